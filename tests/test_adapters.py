"""The source adapters (CORDIS, ROR, OpenAlex) on fixtures in the sources' own formats.

Pure: no Neo4j. Every adapter's rows must validate with the canonical record models, because
that is what the ingest does with them next.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from ingest.adapters import ADAPTERS, detect_format
from ingest.adapters.cordis import (
    iso_country,
    normalise_role,
    parse_geolocation,
    read_cordis,
)
from ingest.adapters.openalex import abstract_from_inverted_index, read_openalex
from ingest.adapters.ror import kind_for_types, read_ror
from ingest.reading import Table
from ingest.records import RECORD_BY_ENTITY, Record
from ingest.reference import load_reference
from partnergraph.errors import IngestError

FIXTURES = Path(__file__).parent / "fixtures"
CORDIS = FIXTURES / "cordis"
ROR = FIXTURES / "ror" / "ror-data_schema_v2.json"
OPENALEX = FIXTURES / "openalex"

TUD_CORDIS = "cordis:org:999990001"


def by_key(table: Table, key: str = "key") -> dict[str, dict[str, Any]]:
    return {row.cells[key]: row.cells for row in table.rows}


def by_key_row(table: Table, key: str) -> Any:
    return next(row for row in table.rows if row.cells["key"] == key)


def validate_all(tables: dict[str, Table]) -> dict[str, list[Record]]:
    context = {"reference": load_reference().lookup()}
    return {
        entity: [
            RECORD_BY_ENTITY[entity].model_validate(row.cells, context=context)
            for row in table.rows
        ]
        for entity, table in tables.items()
    }


# --- CORDIS ---------------------------------------------------------------------------------


def test_cordis_gives_each_organisation_once_with_kind_and_coordinates() -> None:
    organizations = read_cordis(CORDIS)["organizations"]
    keys = [row.cells["key"] for row in organizations.rows]
    assert len(keys) == len(set(keys))
    tud = by_key(organizations)[TUD_CORDIS]
    assert tud["name"] == "TECHNISCHE UNIVERSITAT DORTMUND"
    assert tud["kind"] == "university"
    assert (tud["lat"], tud["lon"]) == (51.4925, 7.4136)
    assert (tud["postcode"], tud["city"], tud["country"]) == ("44227", "DORTMUND", "DE")
    assert (tud["source"], tud["source_id"]) == ("cordis", "999990001")
    # Of its two rows, the more recently updated one describes it.
    assert tud["website"] == "https://www.tu-dortmund.de"


def test_cordis_activity_types_become_kinds() -> None:
    kinds = {
        cells["source_id"]: cells["kind"]
        for cells in by_key(read_cordis(CORDIS, countries=None)["organizations"]).values()
    }
    assert kinds["999990002"] == "institute"  # REC, Fraunhofer
    assert kinds["999990004"] == "company"  # PRC
    assert kinds["999990006"] == "agency"  # PUB, Stadt Dortmund
    assert kinds["999990012"] == "service_provider"  # OTH


def test_cordis_keeps_german_participants_and_their_partners_by_default() -> None:
    tables = read_cordis(CORDIS)
    organizations = tables["organizations"].rows
    regional = {row.cells["country"] for row in organizations if "outside_region" not in row.cells}
    assert regional == {"DE"}
    # the foreign partners of those projects are kept, marked as outside the region
    outside = {row.cells["country"] for row in organizations if row.cells.get("outside_region")}
    assert outside and "DE" not in outside
    assert by_key(tables["organizations"])["cordis:org:999990003"]["outside_region"] is True
    # without partners only the region's own
    alone = read_cordis(CORDIS, partners=False)["organizations"].rows
    assert {row.cells["country"] for row in alone} == {"DE"}
    projects = by_key(tables["projects"])
    # AGRISENSE has no German partner, so it is left out with its participations.
    assert "cordis:project:101999005" not in projects
    assert len(projects) == 4
    assert all(
        row.cells["org_key"] in by_key(tables["organizations"])
        for row in tables["participations"].rows
    )


def test_cordis_nuts_prefix_keeps_only_the_region() -> None:
    tables = read_cordis(CORDIS, nuts_prefix="DEA5", partners=False)
    names = {row.cells["name"] for row in tables["organizations"].rows}
    assert "RUHR-UNIVERSITAET BOCHUM" in names  # DEA51
    assert "WITTENER ANTRIEBSTECHNIK GMBH & CO KG" in names  # DEA56
    assert "UNIVERSITAET DUISBURG-ESSEN" not in names  # DEA13, Essen
    # The legal seat counts: Fraunhofer is registered in Munich.
    assert not any(name.startswith("FRAUNHOFER") for name in names)
    # RUHRWATER stays for Stadt Dortmund and RUB although its coordinator (Essen) is dropped.
    roles = {
        (row.cells["org_key"], row.cells["project_key"]): row.cells["role"]
        for row in tables["participations"].rows
    }
    assert "cordis:org:999990005" not in {org for org, _ in roles}
    assert ("cordis:org:999990006", "cordis:project:101999002") in roles


def test_cordis_without_regional_participants_gives_empty_tables_with_headers() -> None:
    tables = read_cordis(CORDIS, nuts_prefix="DEF")  # Schleswig-Holstein: nobody in the fixture
    for entity, table in tables.items():
        assert table.rows == []
        assert set(RECORD_BY_ENTITY[entity].required) <= set(table.header)


def test_cordis_foreign_codes_become_iso_when_unfiltered() -> None:
    organizations = by_key(read_cordis(CORDIS, countries=None)["organizations"])
    assert organizations["cordis:org:999990008"]["country"] == "GR"  # CORDIS: EL
    assert organizations["cordis:org:999990009"]["country"] == "GB"  # CORDIS: UK
    assert organizations["cordis:org:999990014"]["lat"] is None  # no geolocation given
    assert iso_country("el") == "GR"
    assert read_cordis(CORDIS, countries={"UK"})["organizations"].rows[0].cells["country"] == "GB"


def test_cordis_participations_carry_roles() -> None:
    participations = read_cordis(CORDIS)["participations"]
    roles = {
        (row.cells["org_key"], row.cells["project_key"]): row.cells["role"]
        for row in participations.rows
    }
    assert roles[(TUD_CORDIS, "cordis:project:999001")] == "coordinator"
    assert roles[(TUD_CORDIS, "cordis:project:101999004")] == "participant"
    assert roles[("cordis:org:999990013", "cordis:project:101999004")] == "associated_partner"
    assert normalise_role("thirdParty") == "third_party"
    assert normalise_role(None) == "participant"


def test_cordis_project_cells_and_objective_with_semicolons_survive() -> None:
    projects = by_key(read_cordis(CORDIS)["projects"])
    flexlog = projects["cordis:project:999001"]
    assert flexlog["title"].startswith("FLEXLOG: Self-organising autonomous vehicle swarms")
    assert (flexlog["start"], flexlog["end"]) == ("2019-01-01", "2022-06-30")
    assert flexlog["funding"] == "H2020 / RIA"
    text = flexlog["text"]
    assert "batch size one; fixed conveyor lines" in text
    assert '"plug and play"' in text
    assert text.endswith("producing drive components.")
    assert "\n" in text  # the paragraph break is kept
    assert projects["cordis:project:101999002"]["funding"] == "HORIZON / HORIZON-IA"


def test_cordis_rows_point_at_their_file_and_line() -> None:
    tables = read_cordis(CORDIS)
    participation = next(
        row
        for row in tables["participations"].rows
        if row.cells["project_key"] == "cordis:project:101999004"
        and row.cells["org_key"] == TUD_CORDIS
    )
    assert participation.file.endswith("organization.csv")
    lines = (CORDIS / "organization.csv").read_text(encoding="utf-8").splitlines()
    assert lines[participation.line - 1].startswith('101999004;"CRAFTCIRCLE";999990001;')
    assert tables["projects"].rows[0].file.endswith("project.csv")


def test_cordis_accepts_either_file_for_the_folder() -> None:
    from_file = read_cordis(CORDIS / "organization.csv")
    assert by_key(from_file["organizations"]) == by_key(read_cordis(CORDIS)["organizations"])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("(51.4935,7.4126)", (51.4935, 7.4126)),
        ("51.4935,7.4126", (51.4935, 7.4126)),
        ("", (None, None)),
        (None, (None, None)),
        ("not a place", (None, None)),
        ("151.0,7.0", (None, None)),
    ],
)
def test_cordis_geolocation_parsing(value: str | None, expected: tuple[Any, Any]) -> None:
    assert parse_geolocation(value) == expected


def test_cordis_rows_validate_with_the_record_models() -> None:
    records = validate_all(read_cordis(CORDIS))
    assert {r.kind for r in records["organizations"]} >= {"university", "company", "agency"}  # type: ignore[attr-defined]
    # the German participants' 12, and 3 of their foreign partners in the same projects
    assert len(records["participations"]) == 15
    assert len(validate_all(read_cordis(CORDIS, partners=False))["participations"]) == 12


def test_cordis_foreign_rows_validate_with_the_record_models() -> None:
    validate_all(read_cordis(CORDIS, countries=None))


def test_cordis_missing_organisation_id_column_names_file_and_field(tmp_path: Path) -> None:
    shutil.copy(CORDIS / "project.csv", tmp_path / "project.csv")
    text = (CORDIS / "organization.csv").read_text(encoding="utf-8")
    (tmp_path / "organization.csv").write_text(
        text.replace("organisationID", "orgIdentifier", 1), encoding="utf-8"
    )
    with pytest.raises(IngestError) as caught:
        read_cordis(tmp_path)
    assert caught.value.file.endswith("organization.csv")
    assert caught.value.field == "organisationID"
    assert caught.value.line == 1


def test_cordis_needs_both_files(tmp_path: Path) -> None:
    shutil.copy(CORDIS / "project.csv", tmp_path / "project.csv")
    with pytest.raises(IngestError, match=r"organization\.csv"):
        read_cordis(tmp_path)


# --- ROR ------------------------------------------------------------------------------------


def test_ror_maps_names_place_and_website() -> None:
    organizations = by_key(read_ror(ROR)["organizations"])
    tud = organizations["ror:01k97gp34"]
    assert tud["name"] == "TU Dortmund University"  # the ror_display name
    assert tud["description"].startswith("Auch: TU Dortmund, Technische Universität Dortmund")
    assert "Gegründet 1968" in tud["description"]
    assert (tud["city"], tud["country"]) == ("Dortmund", "DE")
    assert (tud["lat"], tud["lon"]) == (51.51494, 7.466)
    assert tud["website"] == "https://www.tu-dortmund.de"
    assert (tud["source"], tud["source_id"]) == ("ror", "01k97gp34")
    assert organizations["ror:04tkkr536"]["name"] == "FernUniversität in Hagen"


def test_ror_types_become_kinds() -> None:
    organizations = by_key(read_ror(ROR)["organizations"])
    assert organizations["ror:01k97gp34"]["kind"] == "university"  # education + funder
    assert organizations["ror:0000test1"]["kind"] == "institute"  # facility
    assert organizations["ror:05hkkdn48"]["kind"] == "institute"  # nonprofit + funder
    assert kind_for_types(["company"]) == "company"
    assert kind_for_types(["government"]) == "agency"
    assert kind_for_types(["Education"]) == "university"
    assert kind_for_types([]) == "institute"


def test_ror_parent_relationship_becomes_parent_key() -> None:
    organizations = by_key(read_ror(ROR)["organizations"])
    assert organizations["ror:0000test1"]["parent_key"] == "ror:05hkkdn48"
    assert organizations["ror:05hkkdn48"]["parent_key"] is None  # a child relation is not a parent


def test_ror_parent_outside_the_file_is_named_not_keyed(tmp_path: Path) -> None:
    records = json.loads(ROR.read_text(encoding="utf-8"))
    institute = next(r for r in records if r["id"].endswith("0000test1"))
    single = tmp_path / "record.json"
    single.write_text(json.dumps(institute), encoding="utf-8")
    cells = read_ror(single)["organizations"].rows[0].cells
    assert cells["parent_key"] is None
    assert "Teil von: Fraunhofer Society (ror:05hkkdn48)" in cells["description"]


def test_ror_skips_withdrawn_records() -> None:
    organizations = by_key(read_ror(ROR)["organizations"])
    assert "ror:0000test2" not in organizations
    assert len(organizations) == 5


def test_ror_rows_point_at_the_line_where_the_record_starts() -> None:
    lines = ROR.read_text(encoding="utf-8").splitlines()
    for row in read_ror(ROR)["organizations"].rows:
        assert lines[row.line - 1].strip() == "{"
        following = "\n".join(lines[row.line : row.line + 40])
        assert f'"id": "https://ror.org/{row.cells["source_id"]}"' in following


def test_ror_reads_json_lines_and_single_line_dumps(tmp_path: Path) -> None:
    records = json.loads(ROR.read_text(encoding="utf-8"))
    jsonl = tmp_path / "ror.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    compact = tmp_path / "ror-compact.json"
    compact.write_text(json.dumps(records), encoding="utf-8")
    expected = by_key(read_ror(ROR)["organizations"])
    assert by_key(read_ror(jsonl)["organizations"]) == expected
    from_compact = read_ror(compact)["organizations"]
    assert by_key(from_compact) == expected
    # On one line, "line" is the record's position in the array.
    assert [row.line for row in from_compact.rows] == [1, 2, 3, 4, 5]


def test_ror_rows_validate_with_the_record_models() -> None:
    records = validate_all(read_ror(ROR))
    assert len(records["organizations"]) == 5


def test_ror_broken_json_is_reported_with_its_line(tmp_path: Path) -> None:
    lines = ROR.read_text(encoding="utf-8").splitlines()
    lines[100] = lines[100] + " oops"
    broken = tmp_path / "broken.json"
    broken.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        read_ror(broken)
    assert caught.value.line == 101
    assert "not valid JSON" in caught.value.reason


def test_ror_refuses_schema_v1_records(tmp_path: Path) -> None:
    v1 = tmp_path / "ror-data.json"
    v1.write_text(
        json.dumps([{"id": "https://ror.org/01k97gp34", "name": "TU Dortmund University"}]),
        encoding="utf-8",
    )
    with pytest.raises(IngestError, match="schema v1"):
        read_ror(v1)


# --- OpenAlex -------------------------------------------------------------------------------


def test_abstract_is_rebuilt_in_word_order() -> None:
    index = {"Gear": [0], "drives": [1, 5], "fail": [2], "when": [3], "the": [4], ".": [6]}
    assert abstract_from_inverted_index(index) == "Gear drives fail when the drives ."
    assert abstract_from_inverted_index(None) == ""
    assert abstract_from_inverted_index({}) == ""


def test_openalex_institutions_become_organizations() -> None:
    organizations = by_key(read_openalex(OPENALEX)["organizations"])
    assert set(organizations) == {
        "openalex:I9990000001",
        "openalex:I9990000002",
        "openalex:I9990000003",
    }
    tud = organizations["openalex:I9990000001"]
    assert tud["name"] == "TU Dortmund University"
    assert tud["kind"] == "university"
    assert (tud["source"], tud["source_id"], tud["same_as"]) == (
        "openalex",
        "I9990000001",
        "ror:01k97gp34",
    )
    assert (tud["city"], tud["lat"], tud["lon"]) == ("Dortmund", 51.4925, 7.4136)
    iml = organizations["openalex:I9990000003"]
    assert iml["kind"] == "institute"
    assert iml["parent_key"] is None  # Fraunhofer Society is not in the file
    assert "Teil von: Fraunhofer Society" in iml["description"]


def test_openalex_works_become_competences_of_known_institutions_only() -> None:
    competences = by_key(read_openalex(OPENALEX)["competences"])
    assert set(competences) == {
        "openalex:W9990000101:I9990000001",
        "openalex:W9990000102:I9990000001",  # two regional institutions: one competence each
        "openalex:W9990000102:I9990000002",
        "openalex:W9990000103:I9990000002",
        "openalex:W9990000104:I9990000003",  # the Delft co-author's institution is not known
        "openalex:W9990000106:I9990000001",
    }  # W9990000105 has only a foreign institution
    assert competences["openalex:W9990000102:I9990000002"]["owner_key"] == "openalex:I9990000002"


def test_openalex_competence_text_is_the_abstract_then_the_themes() -> None:
    competences = by_key(read_openalex(OPENALEX)["competences"])
    swarm = competences["openalex:W9990000101:I9990000001"]
    assert swarm["title"].startswith("Auction-based task allocation")
    assert swarm["text"].startswith(
        "Autonomous mobile robots are increasingly used for material transport in intralogistics."
    )
    assert (
        "when individual vehicles failed.\nThemen: Autonomous Vehicles in Logistics"
        in (swarm["text"])
    )
    assert "Swarm robotics" in swarm["text"]
    assert swarm["lang"] == "en"
    mine_water = competences["openalex:W9990000103:I9990000002"]
    assert mine_water["lang"] == "de"
    assert mine_water["text"].startswith("Nach dem Ende des Steinkohlenbergbaus im Ruhrgebiet")
    no_abstract = competences["openalex:W9990000106:I9990000001"]
    assert no_abstract["title"] == (
        "Microstructure of in situ alloyed steels produced by laser powder bed fusion"
    )
    assert no_abstract["text"].startswith("Themen: Additive Manufacturing")


def test_openalex_institution_filter_limits_organizations_and_competences() -> None:
    tables = read_openalex(OPENALEX, institution_ids={"I9990000002"})
    assert [row.cells["key"] for row in tables["organizations"].rows] == ["openalex:I9990000002"]
    assert {row.cells["owner_key"] for row in tables["competences"].rows} == {
        "openalex:I9990000002"
    }


def test_openalex_reads_gzip_and_single_files(tmp_path: Path) -> None:
    for name in ("institutions", "works"):
        data = (OPENALEX / f"{name}.jsonl").read_bytes()
        (tmp_path / f"{name}.jsonl.gz").write_bytes(gzip.compress(data))
    assert by_key(read_openalex(tmp_path)["competences"]) == by_key(
        read_openalex(OPENALEX)["competences"]
    )
    only_works = read_openalex(OPENALEX / "works.jsonl", institution_ids={"I9990000003"})
    assert [row.cells["key"] for row in only_works["competences"].rows] == [
        "openalex:W9990000104:I9990000003"
    ]


def test_openalex_reads_saved_api_response_pages(tmp_path: Path) -> None:
    for name in ("institutions", "works"):
        lines = (OPENALEX / f"{name}.jsonl").read_text(encoding="utf-8").splitlines()
        page = {"meta": {"count": len(lines), "page": 1}, "results": [json.loads(x) for x in lines]}
        (tmp_path / f"{name}.json").write_text(json.dumps(page, indent=2), encoding="utf-8")
    assert by_key(read_openalex(tmp_path)["competences"]) == by_key(
        read_openalex(OPENALEX)["competences"]
    )


def test_openalex_keeps_the_newest_copy_of_a_record(tmp_path: Path) -> None:
    """The snapshot may hold a record in several updated_date partitions."""
    lines = (OPENALEX / "institutions.jsonl").read_text(encoding="utf-8").splitlines()
    newer = json.loads(lines[0]) | {"display_name": "TU Dortmund", "updated_date": "2026-01-01"}
    old_part = tmp_path / "institutions" / "updated_date=2025-01-20" / "part_000.gz"
    new_part = tmp_path / "institutions" / "updated_date=2026-01-01" / "part_000.gz"
    for part, text in ((new_part, json.dumps(newer)), (old_part, "\n".join(lines))):
        part.parent.mkdir(parents=True)
        part.write_bytes(gzip.compress(text.encode()))
    organizations = read_openalex(tmp_path)["organizations"]
    assert len(organizations.rows) == 3
    assert by_key(organizations)["openalex:I9990000001"]["name"] == "TU Dortmund"


def test_openalex_rows_point_at_their_jsonl_line() -> None:
    competences = read_openalex(OPENALEX)["competences"]
    row = by_key_row(competences, "openalex:W9990000103:I9990000002")
    assert row.file.endswith("works.jsonl")
    line = (OPENALEX / "works.jsonl").read_text(encoding="utf-8").splitlines()[row.line - 1]
    assert '"id":"https://openalex.org/W9990000103"' in line


def test_openalex_rows_validate_with_the_record_models() -> None:
    records = validate_all(read_openalex(OPENALEX))
    assert len(records["organizations"]) == 3
    assert {r.lang for r in records["competences"]} == {"de", "en"}  # type: ignore[attr-defined]


def test_openalex_line_that_is_not_json_is_reported_with_its_number(tmp_path: Path) -> None:
    lines = (OPENALEX / "works.jsonl").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2][:-1]  # the closing brace is lost
    (tmp_path / "works.jsonl").write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(IngestError) as caught:
        read_openalex(tmp_path / "works.jsonl")
    assert caught.value.line == 3
    assert caught.value.file.endswith("works.jsonl")


def test_openalex_gzip_line_that_is_not_json_is_reported(tmp_path: Path) -> None:
    text = (OPENALEX / "institutions.jsonl").read_text(encoding="utf-8") + "{not json\n"
    (tmp_path / "institutions.jsonl.gz").write_bytes(gzip.compress(text.encode()))
    with pytest.raises(IngestError) as caught:
        read_openalex(tmp_path)
    assert caught.value.line == 4


def test_openalex_record_without_an_openalex_id_is_refused(tmp_path: Path) -> None:
    (tmp_path / "works.jsonl").write_text('{"id": "https://ror.org/01k97gp34"}\n', "utf-8")
    with pytest.raises(IngestError) as caught:
        read_openalex(tmp_path)
    assert (caught.value.line, caught.value.field) == (1, "id")


# --- detection and the registry -------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (CORDIS, "cordis"),
        (CORDIS / "organization.csv", "cordis"),
        (CORDIS / "project.csv", "cordis"),
        (ROR, "ror"),
        (ROR.parent, "ror"),
        (OPENALEX, "openalex"),
        (OPENALEX / "works.jsonl", "openalex"),
        (FIXTURES / "canonical", None),
        (FIXTURES / "canonical" / "organizations.csv", None),
        (FIXTURES / "does-not-exist", None),
    ],
)
def test_detect_format(path: Path, expected: str | None) -> None:
    assert detect_format(path) == expected


def test_detect_format_looks_into_gzip(tmp_path: Path) -> None:
    gz = tmp_path / "part_000.gz"
    gz.write_bytes(gzip.compress((OPENALEX / "works.jsonl").read_bytes()))
    assert detect_format(gz) == "openalex"


def test_every_adapter_is_registered_and_namespaces_its_keys() -> None:
    inputs = {"cordis": CORDIS, "ror": ROR, "openalex": OPENALEX}
    assert set(ADAPTERS) == set(inputs)
    for name, adapter in ADAPTERS.items():
        for entity, table in adapter(inputs[name]).items():
            assert table.rows, (name, entity)
            for row in table.rows:
                keys = [v for k, v in row.cells.items() if k in ("key", "org_key", "owner_key")]
                assert all(str(k).startswith(f"{name}:") for k in keys), row.cells
                assert row.cells["source"] == name
