"""Real exports as they are published: CORDIS' XML and CSV exports (35 real Horizon Europe
projects, tests/fixtures/cordis_real, © European Union, CC BY 4.0) load without --skip-invalid;
a value that starts like a formula is kept and defused on the way out; a bad cell costs that
cell; an organisation of many rows keeps the best of them; the real-data dev set loads through
the canonical reader.
"""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from graph.connection import Graph
from graph.texts import FORMULA_START
from ingest.adapters import detect_format
from ingest.adapters.cordis import read_cordis
from ingest.pipeline import write_rejects
from ingest.reading import RawRow, Table
from ingest.records import PersonRecord
from ingest.reference import load_reference
from ingest.validate import Problem, validate_table
from partnergraph.cli import _countries
from partnergraph.settings import Settings
from service.app import create_app
from tests.ingest_support import FIXTURES, run_ingest
from tests.service_support import auth, keys_for_roles

REAL = FIXTURES / "cordis_real"
XML = REAL / "xml"
CSV = REAL / "csv"
REPO = Path(__file__).resolve().parents[1]
DEV_SET = REPO.parent / "shared" / "realdata" / "cordis-he-dev" / "corpus"

MLU_HALLE = "cordis:org:999871539"  # postcode 6108 in CORDIS (06108)
BOEHRINGER = "cordis:org:998206922"  # www.boehringer‐ingelheim.com, with U+2010
AT_FIRE = "cordis:org:894145419"  # "@FIRE - INTERNATIONALER KATASTROPHENSCHUTZ ..."
NAPA = "cordis:org:880762814"  # German, with the Swedish postcode "220 83"
AMTC = "cordis:org:953609038"  # postcode 1109 in CORDIS (01109 Dresden)
NTUA = "cordis:org:999978142"  # Athens, "157 72"


def organization(graph: Graph, key: str) -> dict[str, object]:
    rows = graph.read("MATCH (o:Organization {key: $key}) RETURN o {.*} AS o", key=key)
    assert rows, key
    organization: dict[str, object] = rows[0]["o"]
    return organization


def warnings_of(report: object, key_file: str) -> list[str]:
    return [str(w) for w in report.warnings if key_file in w.file]  # type: ignore[attr-defined]


# --- the adapter, pure ----------------------------------------------------------------------


def test_the_real_fixture_is_the_published_files_with_their_attribution() -> None:
    assert len(list(XML.glob("*.xml"))) == 35
    note = (REAL / "README.md").read_text(encoding="utf-8")
    assert "Source: CORDIS, European Commission. © European Union, reused under CC BY 4.0." in note
    published = REPO.parent / "shared" / "realdata" / "cordis-xml-sample"
    if published.is_dir():  # beside the repository where the project keeps its real data
        for file in XML.glob("*.xml"):
            assert file.read_bytes() == (published / file.name).read_bytes(), file.name


@pytest.mark.parametrize("path", [XML, CSV, XML / "239733.xml", CSV / "organization.csv"])
def test_cordis_exports_are_recognised_by_their_content(path: Path) -> None:
    assert detect_format(path) == "cordis"


def test_the_xml_and_the_csv_export_give_the_same_tables() -> None:
    def rows(tables: dict, entity: str) -> list[str]:  # type: ignore[type-arg]
        return sorted(str(sorted(row.cells.items())) for row in tables[entity].rows)

    from_xml, from_csv = read_cordis(XML), read_cordis(CSV)
    for entity in ("organizations", "projects", "participations"):
        assert rows(from_xml, entity) == rows(from_csv, entity), entity
    assert len(from_xml["projects"].rows) == 14  # the projects with a German participant


def test_zips_of_either_export_read_like_their_folders(tmp_path: Path) -> None:
    for folder in (XML, CSV):
        archive = tmp_path / f"cordis-{folder.name}.zip"
        with zipfile.ZipFile(archive, "w") as zipped:
            for file in sorted(folder.iterdir()):
                zipped.write(file, f"export/{file.name}")
        assert detect_format(archive) == "cordis"
        tables = read_cordis(archive)
        assert {len(t.rows) for t in tables.values()} >= {14}
        keys = {row.cells["key"] for row in tables["organizations"].rows}
        assert {MLU_HALLE, BOEHRINGER, AT_FIRE} <= keys


def test_foreign_partners_of_german_projects_are_kept_and_marked() -> None:
    tables = read_cordis(XML)
    organizations = {row.cells["key"]: row.cells for row in tables["organizations"].rows}
    assert organizations[NTUA]["country"] == "GR" and organizations[NTUA]["outside_region"]
    assert "outside_region" not in organizations[MLU_HALLE]
    assert {c["country"] for c in organizations.values() if not c.get("outside_region")} == {"DE"}
    # every participation of a kept project is there, foreign partners' too
    partners = {
        row.cells["org_key"]
        for row in tables["participations"].rows
        if row.cells["project_key"] == "cordis:project:101059546"  # MLU Halle's project
    }
    assert MLU_HALLE in partners and len(partners) > 1
    # --countries all: every project, nobody outside
    everything = read_cordis(XML, countries=None)
    assert len(everything["projects"].rows) == 35
    assert not any(row.cells.get("outside_region") for row in everything["organizations"].rows)


def test_countries_option_reads_lists_and_all() -> None:
    assert _countries("DE") == frozenset({"DE"})
    assert _countries("de, nl") == frozenset({"DE", "NL"})
    assert _countries("all") is None


def test_unicode_dashes_and_spaces_in_addresses_are_normalised_with_a_warning() -> None:
    people = Table(
        file="people.csv",
        header=["key", "name", "email"],
        rows=[
            RawRow("people.csv", 2, {"key": "p-1", "name": "Eva (fiktiv)", "email": "eva@x‐y.de"}),
            RawRow("people.csv", 3, {"key": "p-2", "name": "Jan", "email": "jan @firma.de"}),
            RawRow("people.csv", 4, {"key": "p-3", "name": "Ida", "email": "ida@firma.de"}),
        ],
    )
    checked = validate_table("people", people, load_reference().lookup())
    assert [cast(PersonRecord, record).email for _, record in checked.records] == [
        "eva@x-y.de",
        "jan@firma.de",
        "ida@firma.de",
    ]
    assert [str(note) for note in checked.notes] == [
        "people.csv:2:email: 'eva@x‐y.de' read as 'eva@x-y.de'",
        "people.csv:3:email: 'jan @firma.de' read as 'jan@firma.de'",
    ]


def _organization_rows(tmp_path: Path, replace: dict[str, str]) -> Path:
    """The hand-written CORDIS fixture with text replaced in organization.csv."""
    folder = tmp_path / "cordis"
    shutil.copytree(FIXTURES / "cordis", folder)
    file = folder / "organization.csv"
    text = file.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    file.write_text(text, encoding="utf-8")
    return folder


def test_an_organisation_of_many_rows_keeps_the_latest_valid_value_of_each_field(
    tmp_path: Path,
) -> None:
    # TU Dortmund has two rows; its latest one gets a broken web address and postcode
    folder = _organization_rows(tmp_path, {'"https://www.tu-dortmund.de"': '"javascript:alert(1)"'})
    tables = read_cordis(folder)
    tud = next(
        row for row in tables["organizations"].rows if row.cells["key"] == "cordis:org:999990001"
    )
    assert tud.cells["website"] == "http://www.tu-dortmund.de"  # from its older row
    assert tud.cells["name"] == "TECHNISCHE UNIVERSITAT DORTMUND"
    assert tables["organizations"].notes == ()  # nothing left empty: nothing to report
    roles = {
        row.cells["project_key"]
        for row in tables["participations"].rows
        if row.cells["org_key"] == "cordis:org:999990001"
    }
    assert len(roles) == 2  # both projects stay


# --- loading into the graph ------------------------------------------------------------------


@pytest.mark.parametrize("export", [XML, CSV])
def test_the_real_export_loads_without_skip_invalid_and_reports_what_it_repaired(
    graph: Graph, export: Path
) -> None:
    report = run_ingest(graph, export)
    assert report.ok, [str(p) for p in report.problems]
    assert report.source == "cordis"
    assert report.counts["Organization"].created == 252
    assert report.counts["PARTICIPATED_IN"].created == 256
    file = "238980.xml" if export == XML else "organization.csv"

    # a formula start is a value: stored as it is
    assert organization(graph, AT_FIRE)["name"] == (
        "@FIRE - INTERNATIONALER KATASTROPHENSCHUTZ DEUTSCHLAND EV"
    )
    # a German postcode that lost its zero gets it back, with a warning at its row
    assert organization(graph, MLU_HALLE)["postcode"] == "06108"
    assert organization(graph, AMTC)["postcode"] == "01109"
    halle = [w for w in warnings_of(report, file) if "'6108' read as '06108'" in w]
    assert len(halle) == 1 and f"{file}:" in halle[0] and ":postcode: " in halle[0]
    # the Unicode hyphen in a web address is a hyphen
    assert organization(graph, BOEHRINGER)["website"] == "http://www.boehringer-ingelheim.com"
    fixed = "website: 'http://www.boehringer‐ingelheim.com' read as 'http://www.boehringer-"
    assert any(fixed in str(w) for w in report.warnings)
    # other countries keep their postcodes as given
    assert organization(graph, NTUA)["postcode"] == "157 72"
    assert organization(graph, NTUA)["outside_region"] is True
    assert "outside_region" not in organization(graph, MLU_HALLE)
    # a German organisation with a Swedish postcode: the cell is left empty, and said so
    napa = organization(graph, NAPA)
    assert napa.get("postcode") is None
    assert napa["name"] == "NAPA Software Germany GmbH"
    napa_file = "259607.xml" if export == XML else "organization.csv"
    assert any(
        napa_file in str(w)
        and ":postcode: '220 83' is not a German postcode" in str(w)
        and "left empty" in str(w)
        for w in report.warnings
    )
    # every one of them still has its projects
    for key in (MLU_HALLE, BOEHRINGER, AT_FIRE, NAPA):
        projects = graph.read(
            "MATCH (:Organization {key: $key})-[:PARTICIPATED_IN]->(p) RETURN count(p) AS n",
            key=key,
        )
        assert projects[0]["n"] >= 1, key


def test_the_same_export_loaded_again_changes_nothing(graph: Graph) -> None:
    assert run_ingest(graph, XML).ok
    again = run_ingest(graph, CSV)  # the same data in the other layout
    assert again.ok
    assert again.counts["Organization"].created == 0
    assert again.counts["Organization"].updated == 0


# --- exports: no formula runs ---------------------------------------------------------------


@pytest.fixture
def client(neo4j_settings: Settings, graph: Graph) -> Iterator[TestClient]:
    with TestClient(create_app(neo4j_settings)) as client:
        yield client


def test_the_organisation_csv_runs_no_formula_in_a_spreadsheet(
    graph: Graph, client: TestClient, tmp_path: Path
) -> None:
    assert run_ingest(graph, XML).ok
    staff = keys_for_roles(graph)["staff"]
    response = client.get("/api/v1/export/organizations.csv", headers=auth(staff))
    assert response.status_code == 200, response.text
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert len(body) == 252
    # cell by cell: nothing starts like a formula, except numbers a spreadsheet reads as numbers
    for row in body:
        for column, cell in zip(header, row, strict=True):
            if column in ("lat", "lon", "employees"):
                continue
            assert not cell.startswith(FORMULA_START), (column, cell)
    fire = next(dict(zip(header, row, strict=True)) for row in body if row[0] == AT_FIRE)
    assert fire["name"] == "'@FIRE - INTERNATIONALER KATASTROPHENSCHUTZ DEUTSCHLAND EV"
    nrw = next(dict(zip(header, row, strict=True)) for row in body if row[0] == NTUA)
    assert nrw["outside_region"] == "true" and nrw["country"] == "GR"
    # as a spreadsheet takes typed cells: a text starting with "=" would become a formula
    workbook = Workbook()
    sheet = workbook.worksheets[0]  # the active one of a new workbook
    for row in rows:
        sheet.append(row)
    sheet.append(['=HYPERLINK("x")'])  # the control: openpyxl does make this a formula
    workbook.save(tmp_path / "export.xlsx")
    read = load_workbook(tmp_path / "export.xlsx")
    formulas = [
        c.coordinate for r in read.worksheets[0].iter_rows() for c in r if c.data_type == "f"
    ]
    assert formulas == [f"A{len(rows) + 1}"]
    # and the export loads back as the same nodes: the apostrophe is dropped on the way in
    folder = tmp_path / "again"
    folder.mkdir()
    (folder / "organizations.csv").write_bytes(response.content)
    report = run_ingest(graph, folder, source="cordis", dry_run=True)
    assert report.ok, [str(p) for p in report.problems[:5]]
    assert report.counts["Organization"].created == 0


def test_the_rejects_file_defuses_formula_starts(tmp_path: Path) -> None:
    problem = Problem("o.csv", 2, "kind", "=1+1 is not one of ...", {"name": "@x"})
    text = write_rejects([problem], tmp_path).read_text(encoding="utf-8")
    row = list(csv.reader(io.StringIO(text), delimiter=";"))[1]
    assert row[3] == "'=1+1 is not one of ..." and not row[4].startswith(FORMULA_START)


# --- the real-data dev set --------------------------------------------------------------------


@pytest.mark.skipif(
    not DEV_SET.is_dir(),
    reason=f"the CORDIS dev set is not here ({DEV_SET}): it lives in ../shared/realdata beside "
    "the repository",
)
def test_the_cordis_dev_set_loads_through_the_canonical_reader(graph: Graph) -> None:
    report = run_ingest(graph, DEV_SET, dry_run=True)
    assert report.ok, [str(p) for p in report.problems[:5]]
    assert report.counts["Organization"].created == 899
    assert report.counts["Project"].created == 2346
    assert report.counts["PARTICIPATED_IN"].created == 3504
