"""The reference tables shipped in `data/reference/` (see its SOURCES.md): trades of the
Handwerksordnung, WZ 2008 sections and divisions, NRW regions and postcodes. They are read from
`reference/` in PARTNERGRAPH_DATA_DIR (default `data`)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from partnergraph.settings import get_settings

from .records import Reference, fold


@cache
def reference_dir() -> Path:
    """`reference/` in PARTNERGRAPH_DATA_DIR, as the process found it first."""
    return get_settings().data_dir / "reference"


@dataclass(frozen=True)
class Postcode:
    postcode: str
    municipality_key: str
    municipality: str
    district_key: str
    district: str
    lat: float
    lon: float


@dataclass(frozen=True)
class ReferenceData:
    trades: list[dict[str, str]]
    industries: list[dict[str, str]]
    regions: list[dict[str, str]]
    postcodes: dict[str, list[Postcode]]

    def lookup(self) -> Reference:
        names: dict[str, str] = {}
        for trade in self.trades:
            names[fold(trade["name"])] = trade["code"]
        return Reference(
            trade_codes=frozenset(t["code"] for t in self.trades),
            trade_by_name=names,
            industry_codes=frozenset(i["code"] for i in self.industries),
        )

    def place(self, postcode: str | None, city: str | None = None) -> Postcode | None:
        """The municipality of a postcode; with several, the one named like `city`."""
        candidates = self.postcodes.get(postcode or "", [])
        if city and len(candidates) > 1:
            for candidate in candidates:
                if fold(candidate.municipality) == fold(city):
                    return candidate
        return candidates[0] if candidates else None


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference(folder: Path | None = None) -> ReferenceData:
    """The tables in `folder` (default: `reference_dir()`), read once per folder."""
    return _load_reference(folder or reference_dir())


@cache
def _load_reference(folder: Path) -> ReferenceData:
    postcodes: dict[str, list[Postcode]] = {}
    for row in _rows(folder / "postcodes.csv"):
        postcodes.setdefault(row["postcode"], []).append(
            Postcode(
                postcode=row["postcode"],
                municipality_key=row["municipality_key"],
                municipality=row["municipality"],
                district_key=row["district_key"],
                district=row["district"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
            )
        )
    return ReferenceData(
        trades=_rows(folder / "trades.csv"),
        industries=_rows(folder / "wz2008.csv"),
        regions=_rows(folder / "regions.csv"),
        postcodes=postcodes,
    )
