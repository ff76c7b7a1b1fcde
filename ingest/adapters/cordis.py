"""CORDIS exports (Horizon 2020, Horizon Europe) as projects, organizations, participations.

EU projects show who already works with whom: a participation is a proven partnership. CORDIS
publishes per framework programme
- a zip of `;`-separated, quoted, UTF-8 CSV files, of which two are read: `project.csv` (one
  row per project) and `organization.csv` (one row per participation, so an organisation in
  five projects has five rows; they are merged into one organization);
- an XML export: one file per project, `<project>` with its participants as
  `<relations><associations><organization type="coordinator|participant|...">` with their
  `<address>`. Read into the same columns as the CSV export, and from then on alike.
Either comes as its folder or as its zip; which one it is, is seen from the content.

Kinds from `activityType`: HES -> university, REC -> institute, PRC -> company, PUB -> agency,
OTH (and an empty cell) -> service_provider. Chambers and Handwerk do not exist in CORDIS'
classification; they arrive as PUB or OTH.

Keys: `cordis:project:<id>` and `cordis:org:<organisationID>` (the PIC).
"""

from __future__ import annotations

import re
import tempfile
import zipfile
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from defusedxml import ElementTree as SafeET

from graph.model import OrgKind
from partnergraph.errors import IngestError

from ..reading import RawRow, Table, clean_text, read_csv
from ..records import OrganizationRecord
from ..validate import invalid_fields
from .ror import also_known_as, join_description, make_table

PROJECT_FILE = "project.csv"
ORGANIZATION_FILE = "organization.csv"
# The columns of the exports since 2022 (older exports named files and columns differently).
PROJECT_COLUMNS = tuple(
    "id acronym status title startDate endDate totalCost ecMaxContribution legalBasis topics "
    "ecSignatureDate frameworkProgramme masterCall subCall fundingScheme nature objective "
    "contentUpdateDate rcn grantDoi".split()
)
ORGANIZATION_COLUMNS = tuple(
    "projectID projectAcronym organisationID vatNumber name shortName SME activityType street "
    "postCode city country nutsCode geolocation organizationURL contactForm contentUpdateDate "
    "rcn order role ecContribution netEcContribution totalCost endOfParticipation active".split()
)
PROJECT_REQUIRED = ("id", "acronym", "title")
ORGANIZATION_REQUIRED = ("projectID", "organisationID", "name")

KIND_BY_ACTIVITY: dict[str, OrgKind] = {
    "HES": OrgKind.university,
    "REC": OrgKind.institute,
    "PRC": OrgKind.company,
    "PUB": OrgKind.agency,
    "OTH": OrgKind.service_provider,
}
DEFAULT_KIND = OrgKind.service_provider
# CORDIS follows EU usage, not ISO 3166: Greece is EL, the United Kingdom UK.
ISO_COUNTRY = {"EL": "GR", "UK": "GB"}
DEFAULT_COUNTRIES = frozenset({"DE"})

_GEOLOCATION = re.compile(r"^\(?\s*(-?\d+(?:\.\d+)?)\s*[,;]\s*(-?\d+(?:\.\d+)?)\s*\)?$")
_CAMEL = re.compile(r"(?<=[a-z])([A-Z])")
# The start of a project file of the XML export: its root element, then the project's fields.
_XML_PROJECT = re.compile(rb"^\s*(?:<\?xml[^>]*\?>\s*)?<project[\s>]")
_ORGANIZATION_TAG = re.compile(rb"<organization[\s>]")


def read_cordis(
    path: Path,
    countries: Collection[str] | None = DEFAULT_COUNTRIES,
    nuts_prefix: str | None = None,
    partners: bool = True,
) -> dict[str, Table]:
    """Projects, organizations and participations of a CORDIS export: its folder or zip (CSV
    or XML), or one of its files.

    `countries` (ISO or CORDIS codes; None for all) and `nuts_prefix` (e.g. "DEA5" for the
    Regierungsbezirk Arnsberg with Dortmund, Bochum, Hagen, Herne and the Ennepe-Ruhr-Kreis)
    say which participants are of the region; a project is kept when at least one of them
    takes part. With `partners` its other participants (a Dutch university, a French firm)
    are kept too, marked `outside_region`: cooperation with them is what the graph is for.
    Mind that CORDIS gives the legal entity's seat: a Fraunhofer institute in Dortmund is
    "Fraunhofer-Gesellschaft, München" (DE212) and falls out of a Ruhr NUTS filter.

    An organisation seen in several rows keeps, field by field, the most recent valid value
    (by `contentUpdateDate`): one bad row costs no organisation. A value none of its rows has
    valid is left empty, with a note in the report. Participations in projects that the
    export does not list (files from different dumps) are left out.
    """
    projects, organizations = cordis_tables(path)
    pcol = _columns(projects, PROJECT_REQUIRED, PROJECT_FILE)
    needed = ORGANIZATION_REQUIRED + (("country",) if countries is not None else ())
    needed += ("nutsCode",) if nuts_prefix else ()
    ocol = _columns(organizations, needed, ORGANIZATION_FILE)

    wanted_countries = {iso_country(c) for c in countries} if countries is not None else None
    project_rows = {row.cells.get(pcol["id"]): row for row in projects.rows}
    listed = [row for row in organizations.rows if row.cells.get(ocol["projectID"]) in project_rows]
    regional = {id(row) for row in listed if _is_kept(row, ocol, wanted_countries, nuts_prefix)}
    regional_projects = {row.cells.get(ocol["projectID"]) for row in listed if id(row) in regional}
    kept = [
        row
        for row in listed
        if (id(row) in regional)
        or (partners and row.cells.get(ocol["projectID"]) in regional_projects)
    ]

    participations: list[RawRow] = []
    seen_pairs: set[tuple[Any, Any]] = set()
    rows_of: dict[Any, list[RawRow]] = {}  # organisationID -> its rows
    for row in kept:
        org_id, project_id = row.cells.get(ocol["organisationID"]), row.cells.get(ocol["projectID"])
        if org_id is None:
            # Nothing to merge by: passed on alone for the record check to report.
            rows_of[("line", row.file, row.line)] = [row]
            continue
        rows_of.setdefault(org_id, []).append(row)
        if (org_id, project_id) in seen_pairs:
            continue
        seen_pairs.add((org_id, project_id))
        participations.append(
            RawRow(file=row.file, line=row.line, cells=participation_cells(row.cells, ocol))
        )

    notes: list[tuple[str, int | None, str | None, str]] = []
    organization_out = []
    for rows in rows_of.values():
        merged = merge_organization(rows, ocol, notes)
        if not any(id(row) in regional for row in rows):
            merged.cells["outside_region"] = True
        organization_out.append(merged)
    organization_out.sort(key=lambda row: (row.file, row.line))

    used_projects = {row.cells.get(ocol["projectID"]) for row in kept}
    project_out = [
        RawRow(file=row.file, line=row.line, cells=project_cells(row.cells, pcol))
        for project_id, row in project_rows.items()
        if project_id in used_projects
    ]
    organization_table = make_table("organizations", organizations.file, organization_out)
    return {
        "organizations": Table(
            file=organization_table.file,
            header=organization_table.header,
            rows=organization_table.rows,
            notes=tuple(notes),
        ),
        "projects": make_table("projects", projects.file, project_out),
        "participations": make_table("participations", organizations.file, participations),
    }


def merge_organization(
    rows: list[RawRow],
    columns: dict[str, str],
    notes: list[tuple[str, int | None, str | None, str]],
) -> RawRow:
    """One organisation from its rows: per field the most recent valid value.

    The row of the latest update gives the place (file, line) the organisation is reported
    at. A field whose every value is invalid is left empty and noted; an invalid required
    field (a name no row has right) is passed on, for validation to refuse the organisation.
    """
    ordered = sorted(rows, key=lambda row: _updated(row, columns), reverse=True)
    candidates = [organization_cells(row.cells, columns) for row in ordered]
    faults = [invalid_fields(OrganizationRecord, cells) for cells in candidates]
    if len(candidates) == 1 and not faults[0]:
        return RawRow(file=ordered[0].file, line=ordered[0].line, cells=candidates[0])
    required = set(OrganizationRecord.required)
    merged: dict[str, Any] = {}
    for name in candidates[0]:
        chosen = None
        for cells, bad in zip(candidates, faults, strict=True):
            if cells.get(name) not in (None, "") and name not in bad:
                chosen = cells[name]
                break
        if chosen is None:
            wrong = next(
                (
                    (row, cells, bad[name])
                    for row, cells, bad in zip(ordered, candidates, faults, strict=True)
                    if name in bad
                ),
                None,
            )
            if wrong is not None:
                row, cells, reason = wrong
                if name in required:
                    chosen = cells[name]  # refused by validation, with its reason
                else:
                    notes.append(
                        (
                            row.file,
                            row.line,
                            name,
                            f"{reason}; left empty (no valid value in the organisation's "
                            f"{len(rows)} row{'s' if len(rows) > 1 else ''})",
                        )
                    )
        merged[name] = chosen
    return RawRow(file=ordered[0].file, line=ordered[0].line, cells=merged)


def cordis_tables(path: Path) -> tuple[Table, Table]:
    """The export's projects and organisations in the columns of the CSV export."""
    if path.is_file() and path.suffix.lower() == ".zip":
        return _zip_tables(path)
    if path.is_file() and path.suffix.lower() == ".xml":
        return xml_tables([(str(path), path.read_bytes())], str(path))
    folder = path if path.is_dir() else path.parent
    names = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    if PROJECT_FILE in names and ORGANIZATION_FILE in names:
        return read_csv(names[PROJECT_FILE]), read_csv(names[ORGANIZATION_FILE])
    xml_files = sorted(p for p in folder.rglob("*.xml") if p.is_file())
    if xml_files:
        return xml_tables(((str(p), p.read_bytes()) for p in xml_files), str(folder))
    raise IngestError(
        str(path),
        None,
        None,
        f"a CORDIS export needs {PROJECT_FILE} and {ORGANIZATION_FILE} side by side (the "
        "cordis-*projects-csv.zip of the framework programme, packed or not), or the project "
        "files of its XML export",
    )


def _zip_tables(archive: Path) -> tuple[Table, Table]:
    try:
        with zipfile.ZipFile(archive) as zipped:
            members = [info for info in zipped.infolist() if not info.is_dir()]
            by_name = {Path(info.filename).name.lower(): info for info in members}
            if PROJECT_FILE in by_name and ORGANIZATION_FILE in by_name:
                with tempfile.TemporaryDirectory() as folder:
                    tables = []
                    for name in (PROJECT_FILE, ORGANIZATION_FILE):
                        target = Path(folder) / name
                        target.write_bytes(zipped.read(by_name[name]))
                        tables.append(read_csv(target, f"{archive}/{by_name[name].filename}"))
                    return tables[0], tables[1]
            xml_members = sorted(
                (info for info in members if info.filename.lower().endswith(".xml")),
                key=lambda info: info.filename,
            )
            if xml_members:
                files = ((f"{archive}/{info.filename}", zipped.read(info)) for info in xml_members)
                return xml_tables(files, str(archive))
    except zipfile.BadZipFile as error:
        raise IngestError(str(archive), None, None, f"not a readable zip: {error}") from error
    raise IngestError(
        str(archive),
        None,
        None,
        f"the zip holds neither {PROJECT_FILE} and {ORGANIZATION_FILE} nor project files of "
        "CORDIS' XML export",
    )


# --- the XML export ------------------------------------------------------------------------------


def is_cordis_xml(head: bytes) -> bool:
    """Whether the first bytes of a file are those of a project file of the XML export."""
    return bool(_XML_PROJECT.match(head)) and b"<acronym>" in head


def xml_tables(files: Iterable[tuple[str, bytes]], where: str) -> tuple[Table, Table]:
    """Project files of the XML export (name, content) as the CSV export's two tables.

    A row's line is that of its element in the file (`<project>`, `<organization ...>`), so a
    message points at it. Files whose root is not `<project>` are left out.
    """
    projects: list[RawRow] = []
    organizations: list[RawRow] = []
    for name, data in files:
        try:
            root = SafeET.fromstring(data)
        except Exception as error:  # a broken file, or one with entities (refused as unsafe)
            raise IngestError(name, None, None, f"not a readable XML file: {error}") from error
        if root.tag != "project":
            continue
        project, participants = xml_project(root)
        projects.append(RawRow(file=name, line=_line_of(data, rb"<project[\s>]"), cells=project))
        lines = [data.count(b"\n", 0, m.start()) + 1 for m in _ORGANIZATION_TAG.finditer(data)]
        for position, cells in enumerate(participants):
            line = lines[position] if position < len(lines) else None
            organizations.append(RawRow(file=name, line=line or 1, cells=cells))
    return (
        Table(file=where, header=list(PROJECT_COLUMNS), rows=projects),
        Table(file=where, header=list(ORGANIZATION_COLUMNS), rows=organizations),
    )


def xml_project(root: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """A `<project>` element: its cells and its participants' cells, in the CSV's columns."""

    def text(element: Any, path: str) -> str | None:
        value = element.findtext(path)
        return _clean(value)

    def call(kind: str) -> str | None:
        found = (c.findtext("identifier") for c in calls if c.get("type") == kind)
        return _clean(next(found, None))

    associations = root.find("./relations/associations")
    programmes = associations.findall("programme") if associations is not None else []
    calls = associations.findall("call") if associations is not None else []
    legal_basis = next(
        (_clean(p.findtext("code")) for p in programmes if p.get("uniqueProgrammePart") == "true"),
        None,
    )
    scheme = next(
        (
            _clean((c.findtext("code") or "").lstrip("/"))
            for c in root.findall("./relations/categories/category")
            if c.get("classification") == "projectFundingSchemeCategory"
        ),
        None,
    )
    project = {
        "id": text(root, "id"),
        "acronym": text(root, "acronym"),
        "status": text(root, "status"),
        "title": text(root, "title"),
        "startDate": text(root, "startDate"),
        "endDate": text(root, "endDate"),
        "totalCost": text(root, "totalCost"),
        "ecMaxContribution": text(root, "ecMaxContribution"),
        "legalBasis": legal_basis,
        "topics": next(
            (_clean(p.findtext("code")) for p in programmes if p.get("type") == "relatedTopic"),
            None,
        ),
        "ecSignatureDate": text(root, "ecSignatureDate"),
        "frameworkProgramme": next(
            (_clean(p.findtext("frameworkProgramme")) for p in programmes), None
        ),
        "masterCall": call("relatedMasterCall"),
        "subCall": call("relatedSubCall"),
        "fundingScheme": scheme,
        "objective": text(root, "objective"),
        "contentUpdateDate": text(root, "contentUpdateDate"),
        "rcn": text(root, "rcn"),
        "grantDoi": text(root, "identifiers/grantDoi"),
    }
    participants = []
    for org in associations.findall("organization") if associations is not None else []:
        address = org.find("address")
        activity = next(
            (
                _clean((c.findtext("code") or "").lstrip("/"))
                for c in org.findall("./relations/categories/category")
                if c.get("classification") == "organizationActivityType"
            ),
            None,
        )
        nuts = next(
            (
                _clean(r.findtext("nutsCode"))
                for r in org.findall("./relations/regions/region")
                if r.get("type") == "relatedNutsCode"
            ),
            None,
        )
        participants.append(
            {
                "projectID": project["id"],
                "projectAcronym": project["acronym"],
                "organisationID": text(org, "id"),
                "vatNumber": text(org, "vatNumber"),
                "name": text(org, "legalName"),
                "shortName": text(org, "shortName"),
                "SME": org.get("sme"),
                "activityType": activity,
                "street": text(address, "street") if address is not None else None,
                "postCode": text(address, "postalCode") if address is not None else None,
                "city": text(address, "city") if address is not None else None,
                "country": text(address, "country") if address is not None else None,
                "nutsCode": nuts,
                "geolocation": text(address, "geolocation") if address is not None else None,
                "organizationURL": text(address, "url") if address is not None else None,
                # The project's update: what makes one of an organisation's rows the latest.
                "contentUpdateDate": project["contentUpdateDate"],
                "rcn": text(org, "rcn"),
                "order": org.get("order"),
                "role": org.get("type"),
                "ecContribution": org.get("ecContribution"),
                "netEcContribution": org.get("netEcContribution"),
                "totalCost": org.get("totalCost"),
                "active": "false" if org.get("terminated") == "true" else "true",
            }
        )
    return project, participants


def _clean(value: str | None) -> str | None:
    return clean_text(value) if value else None


def _line_of(data: bytes, pattern: bytes) -> int:
    match = re.search(pattern, data)
    return data.count(b"\n", 0, match.start()) + 1 if match else 1


def _columns(table: Table, required: tuple[str, ...], expected: str) -> dict[str, str]:
    """Every known CORDIS column -> the header cell as written (matched ignoring case).

    An optional column that is absent maps to "", a name no row has (read_csv drops cells
    without a header), so `cells.get(columns[name])` is simply None.
    """
    by_folded = {name.casefold(): name for name in table.header if name}
    for name in required:
        if name.casefold() not in by_folded:
            shown = ", ".join(table.header[:8]) + ("..." if len(table.header) > 8 else "")
            raise IngestError(
                table.file,
                1,
                name,
                f"the column {name} is missing: this does not look like CORDIS' {expected} "
                f"(columns found: {shown})",
            )
    known = PROJECT_COLUMNS if expected == PROJECT_FILE else ORGANIZATION_COLUMNS
    return {name: by_folded.get(name.casefold(), "") for name in known}


def _is_kept(
    row: RawRow,
    columns: dict[str, str],
    countries: set[str | None] | None,
    nuts_prefix: str | None,
) -> bool:
    if countries is not None and iso_country(row.cells.get(columns["country"])) not in countries:
        return False
    nuts = (row.cells.get(columns["nutsCode"]) or "").upper()
    return not nuts_prefix or nuts.startswith(nuts_prefix.strip().upper())


def _updated(row: RawRow, columns: dict[str, str]) -> str:
    return row.cells.get(columns["contentUpdateDate"]) or ""


# --- pure row conversions ------------------------------------------------------------------------


def project_cells(cells: dict[str, Any], columns: dict[str, str]) -> dict[str, Any]:
    def get(name: str) -> Any:
        return cells.get(columns[name])

    acronym, title = get("acronym"), get("title")
    funding = " / ".join(p for p in (get("frameworkProgramme"), get("fundingScheme")) if p)
    return {
        "key": f"cordis:project:{get('id')}" if get("id") else None,
        "title": f"{acronym}: {title}" if acronym and title else (title or acronym),
        "text": get("objective"),
        "start": get("startDate"),
        "end": get("endDate"),
        "funding": funding or None,
        "source": "cordis",
    }


def organization_cells(cells: dict[str, Any], columns: dict[str, str]) -> dict[str, Any]:
    def get(name: str) -> Any:
        return cells.get(columns[name])

    org_id, name = get("organisationID"), get("name")
    lat, lon = parse_geolocation(get("geolocation"))
    sme = str(get("SME") or "").lower() in ("true", "1", "yes")
    return {
        "key": f"cordis:org:{org_id}" if org_id else None,
        "name": name,
        "kind": kind_for_activity(get("activityType")),
        "description": join_description(
            [also_known_as([get("shortName")], name), "KMU" if sme else None]
        ),
        "street": get("street"),
        "postcode": get("postCode"),
        "city": get("city"),
        "country": iso_country(get("country")),
        "lat": lat,
        "lon": lon,
        "website": get("organizationURL"),
        "source": "cordis",
        "source_id": org_id,
    }


def participation_cells(cells: dict[str, Any], columns: dict[str, str]) -> dict[str, Any]:
    org_id, project_id = cells.get(columns["organisationID"]), cells.get(columns["projectID"])
    return {
        "org_key": f"cordis:org:{org_id}" if org_id else None,
        "project_key": f"cordis:project:{project_id}" if project_id else None,
        "role": normalise_role(cells.get(columns["role"])),
        "source": "cordis",
    }


def kind_for_activity(activity: str | None) -> OrgKind:
    return KIND_BY_ACTIVITY.get((activity or "").strip().upper(), DEFAULT_KIND)


def iso_country(code: str | None) -> str | None:
    """CORDIS country code -> ISO 3166-1 alpha-2 ('EL' -> 'GR', 'UK' -> 'GB')."""
    if not code:
        return None
    code = code.strip().upper()
    return ISO_COUNTRY.get(code, code)


def normalise_role(role: str | None) -> str:
    """'coordinator' stays, 'associatedPartner' -> 'associated_partner'; empty -> participant."""
    if not role:
        return "participant"
    return _CAMEL.sub(r"_\1", role.strip()).lower()


def parse_geolocation(value: str | None) -> tuple[float | None, float | None]:
    """'(51.4935,7.4126)' or '51.4935,7.4126' -> (lat, lon); anything else -> (None, None).

    A coordinate that cannot be read is dropped rather than passed on: the organisation still
    gets a position from its postcode, and one bad cell would otherwise reject the whole file.
    """
    match = _GEOLOCATION.match((value or "").strip())
    if not match:
        return None, None
    lat, lon = float(match.group(1)), float(match.group(2))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return lat, lon
