"""CORDIS bulk exports (Horizon 2020, Horizon Europe) as projects, organizations, participations.

EU projects show who already works with whom: a participation is a proven partnership. CORDIS
publishes per framework programme a zip of `;`-separated, quoted, UTF-8 CSV files; two are read
here: `project.csv` (one row per project) and `organization.csv` (one row per participation, so
an organisation in five projects has five rows; they are merged into one organization).

Kinds from `activityType`: HES -> university, REC -> institute, PRC -> company, PUB -> agency,
OTH (and an empty cell) -> service_provider. Chambers and Handwerk do not exist in CORDIS'
classification; they arrive as PUB or OTH.

Keys: `cordis:project:<id>` and `cordis:org:<organisationID>` (the PIC).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

from partnergraph.errors import IngestError

from ..reading import RawRow, Table, read_csv
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

KIND_BY_ACTIVITY = {
    "HES": "university",
    "REC": "institute",
    "PRC": "company",
    "PUB": "agency",
    "OTH": "service_provider",
}
DEFAULT_KIND = "service_provider"
# CORDIS follows EU usage, not ISO 3166: Greece is EL, the United Kingdom UK.
ISO_COUNTRY = {"EL": "GR", "UK": "GB"}

_GEOLOCATION = re.compile(r"^\(?\s*(-?\d+(?:\.\d+)?)\s*[,;]\s*(-?\d+(?:\.\d+)?)\s*\)?$")
_CAMEL = re.compile(r"(?<=[a-z])([A-Z])")


def read_cordis(
    path: Path,
    countries: Collection[str] | None = frozenset({"DE"}),
    nuts_prefix: str | None = None,
) -> dict[str, Table]:
    """Projects, organizations and participations of a CORDIS export folder (or either file).

    `countries` (ISO or CORDIS codes; None for all) and `nuts_prefix` (e.g. "DEA5" for the
    Regierungsbezirk Arnsberg with Dortmund, Bochum, Hagen, Herne and the Ennepe-Ruhr-Kreis)
    keep only the regional participants; a project is kept when at least one kept organisation
    takes part, and only the kept organisations' participations are returned. Mind that CORDIS
    gives the legal entity's seat: a Fraunhofer institute in Dortmund is "Fraunhofer-Gesellschaft,
    München" (DE212) and falls out of a Ruhr NUTS filter.

    An organisation is described by the row of its latest `contentUpdateDate`. Participations in
    projects that project.csv does not list (files from different dumps) are left out.
    """
    project_file, organization_file = cordis_files(path)
    projects = read_csv(project_file)
    organizations = read_csv(organization_file)
    pcol = _columns(projects, PROJECT_REQUIRED, PROJECT_FILE)
    needed = ORGANIZATION_REQUIRED + (("country",) if countries is not None else ())
    needed += ("nutsCode",) if nuts_prefix else ()
    ocol = _columns(organizations, needed, ORGANIZATION_FILE)

    wanted_countries = {iso_country(c) for c in countries} if countries is not None else None
    project_rows = {row.cells.get(pcol["id"]): row for row in projects.rows}
    kept: list[RawRow] = [
        row
        for row in organizations.rows
        if row.cells.get(ocol["projectID"]) in project_rows
        and _is_kept(row, ocol, wanted_countries, nuts_prefix)
    ]

    participations: list[RawRow] = []
    seen_pairs: set[tuple[Any, Any]] = set()
    latest: dict[Any, RawRow] = {}  # organisationID -> its most recently updated row
    for row in kept:
        org_id, project_id = row.cells.get(ocol["organisationID"]), row.cells.get(ocol["projectID"])
        if (org_id, project_id) in seen_pairs:
            continue
        seen_pairs.add((org_id, project_id))
        participations.append(
            RawRow(file=row.file, line=row.line, cells=participation_cells(row.cells, ocol))
        )
        if org_id is None:
            # Nothing to merge by: passed on unmerged for the record check to report.
            latest[("line", row.line)] = row
        elif org_id not in latest or _updated(row, ocol) > _updated(latest[org_id], ocol):
            latest[org_id] = row

    used_projects = {row.cells.get(ocol["projectID"]) for row in kept}
    project_out = [
        RawRow(file=row.file, line=row.line, cells=project_cells(row.cells, pcol))
        for project_id, row in project_rows.items()
        if project_id in used_projects
    ]
    organization_out = sorted(
        (
            RawRow(file=row.file, line=row.line, cells=organization_cells(row.cells, ocol))
            for row in latest.values()
        ),
        key=lambda row: row.line,
    )
    return {
        "organizations": make_table("organizations", organizations.file, organization_out),
        "projects": make_table("projects", projects.file, project_out),
        "participations": make_table("participations", organizations.file, participations),
    }


def cordis_files(path: Path) -> tuple[Path, Path]:
    """project.csv and organization.csv from the folder, or from beside the file given."""
    folder = path if path.is_dir() else path.parent
    files = (folder / PROJECT_FILE, folder / ORGANIZATION_FILE)
    for file in files:
        if not file.is_file():
            raise IngestError(
                str(file),
                None,
                None,
                f"a CORDIS export needs {PROJECT_FILE} and {ORGANIZATION_FILE} side by side "
                "(unpack the cordis-*projects-csv.zip of the framework programme)",
            )
    return files


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
    row: RawRow, columns: dict[str, str], countries: set[str] | None, nuts_prefix: str | None
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


def kind_for_activity(activity: str | None) -> str:
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
