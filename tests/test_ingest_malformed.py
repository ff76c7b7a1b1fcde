"""Malformed input: every case gives a clear file:line:field message and leaves the graph as it was.

The cases are real files under tests/fixtures/malformed/<case>/; the graph first holds the
canonical fixture, and each bad load must leave exactly that graph behind.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from pydantic import ValidationError

from graph.connection import Graph
from graph.dump import dump
from ingest.reading import RawRow, Table
from ingest.records import FormulaText, OrganizationRecord
from ingest.reference import load_reference
from ingest.validate import validate_table
from partnergraph.errors import IngestError
from tests.ingest_support import CANONICAL, FIXTURES, run_ingest

MALFORMED = FIXTURES / "malformed"

# case -> (file:line:field the message must start with (None: not row-specific), reason part)
PROBLEMS: dict[str, tuple[str | None, str]] = {
    "wrong_delimiter": ("organizations.csv:1:key", "single column: is the delimiter"),
    "missing_column": ("organizations.csv:1:name", "required column 'name' is missing"),
    "bad_postcode": ("organizations.csv:3:postcode", "'441' is not a German postcode"),
    "duplicate_keys": ("organizations.csv:4:key", "duplicate key 'm-1': already on line 2"),
    "unknown_trade": ("organizations.csv:3:trades", "unknown trade 'Z99'"),
    "bad_kind": ("organizations.csv:2:kind", "is not one of"),
    "bad_number": ("organizations.csv:2:lat", "'einundfünfzig'"),
    "lat_without_lon": ("organizations.csv:2", "give both coordinates or neither"),
    "coordinates_out_of_range": ("organizations.csv:2:lat", "less than or equal to 90"),
    "javascript_website": ("organizations.csv:2:website", "is not a web address"),
    "unknown_owner": ("competences.csv:2:owner_key", "'org-gibt-es-nicht' names no"),
    "project_end_before_start": ("projects.csv:2", "end 2025-05-01 lies before start"),
    "bad_email": ("people.csv:2:email", "is not an e-mail address"),
    "bad_date": ("needs.csv:2:created_at", "day is out of range"),
    "bad_visibility": ("needs.csv:2:visibility", "'geheim' is not one of"),
    "bad_reference_cascade": ("competences.csv:2:owner_key", "'m-1' names no"),
    "too_few_cells": ("organizations.csv:2:kind", "required value is missing"),
    "parent_is_itself": ("organizations.csv:2:parent_key", "'m-1' is the organisation itself"),
    "part_of_cycle": (
        "organizations.csv:3:parent_key",
        "PART_OF goes round in a circle (m-fak -> m-lehr -> m-inst -> m-fak)",
    ),
    "spreadsheet_error_values": ("organizations.csv:2", "name: '#NV' is a spreadsheet error"),
    "xlsx_error_cell": ("daten.xlsx[organizations]:2", "name: '#REF!' is a spreadsheet error"),
    # a formula cell without a computed value (written by a program) used to read as empty
    "xlsx_formula": ("daten.xlsx[organizations]:2", "is a formula without a computed value"),
    "xlsx_title_row": ("daten.xlsx[organizations]:1:key", "required column 'key' is missing"),
    "control_characters": ("organizations.csv:2", "control character '\\x1b' at position 7"),
    "jsonl_nul_escape": ("organizations.jsonl:1", "control character '\\x00' at position 7"),
    "jsonl_nested_object": ("organizations.jsonl:1:name", "Input should be a valid string"),
}
# cases refused as a whole file before any row is read
FILE_ERRORS: dict[str, str] = {
    "utf16": "the file is UTF-16",
    "binary": "contains NUL bytes",
    "empty_file": "the file is empty",
    "unknown_table": "no known tables found",
    "not_xlsx": "not a readable .xlsx workbook",
    "broken_jsonl": "organizations.jsonl:2: not valid JSON",
    "jsonl_not_object": "organizations.jsonl:1: each line must be a JSON object",
    "twice_the_same_table": "organizations is given twice",
    "too_many_cells": "organizations.csv:2: the row has 4 cells but the header has 3",
    "utf16_without_bom": "organizations.csv: the file is UTF-16",
    "nul_byte_late": "organizations.csv:1227: the file contains NUL bytes",
    "mojibake_mix": "organizations.csv:3: the file mixes encodings: this line is not UTF-8",
    "html_as_csv": "organizations.csv: the file is an HTML page",
    "pdf_as_csv": "organizations.csv: the file is a PDF document",
    "xlsx_named_csv": "organizations.csv: the file is an .xlsx workbook",
    "duplicate_header": "organizations.csv:1:Name: the column is there twice (columns 2 and 4)",
    "jsonl_duplicate_field": "organizations.jsonl:1:name: the field is given twice",
    "jsonl_whole_array": "organizations.jsonl:1: the file is one JSON array, not JSON lines",
}


@pytest.fixture
def loaded(graph: Graph) -> Graph:
    assert run_ingest(graph, CANONICAL).ok
    return graph


@pytest.mark.parametrize("case", sorted(PROBLEMS))
def test_bad_rows_are_reported_and_nothing_is_written(loaded: Graph, case: str) -> None:
    before = dump(loaded)
    report = run_ingest(loaded, MALFORMED / case)
    location, reason = PROBLEMS[case]
    messages = [str(problem) for problem in report.problems]
    assert not report.ok
    assert any(
        reason in message and (location is None or location in message) for message in messages
    ), messages
    assert dump(loaded) == before


@pytest.mark.parametrize("case", sorted(FILE_ERRORS))
def test_unreadable_files_are_refused_whole(loaded: Graph, case: str) -> None:
    before = dump(loaded)
    with pytest.raises(IngestError) as caught:
        run_ingest(loaded, MALFORMED / case)
    assert FILE_ERRORS[case] in str(caught.value)
    assert dump(loaded) == before


def test_a_ten_megabyte_field_is_refused(loaded: Graph, tmp_path: Path) -> None:
    before = dump(loaded)
    big = tmp_path / "organizations.csv"
    big.write_text("key;name;kind;description\nm-1;Groß GmbH (fiktiv);company;" + "x" * 10 * 2**20)
    report = run_ingest(loaded, big)
    assert [str(p) for p in report.problems] == [
        f"{big}:2:description: too long: 10,485,760 characters, at most 20,000"
    ]
    assert dump(loaded) == before


def test_the_corpus_holds_every_case_once() -> None:
    cases = {path.name for path in MALFORMED.iterdir() if path.is_dir()}
    accepted = {
        "cypher_strings",
        "html_injection",
        "excel_sep_line",
        "formula_injection",
        "formula_plus",
    }
    assert cases == set(PROBLEMS) | set(FILE_ERRORS) | accepted
    assert not set(PROBLEMS) & set(FILE_ERRORS)
    assert len(PROBLEMS) + len(FILE_ERRORS) >= 28


def test_excels_sep_line_names_the_delimiter(loaded: Graph) -> None:
    report = run_ingest(loaded, MALFORMED / "excel_sep_line")
    assert report.ok, [str(p) for p in report.problems]
    stored = loaded.read(
        "MATCH (o:Organization {key: 'm-1'}) RETURN o.name AS name, o.city AS city"
    )
    assert stored == [{"name": "Müller GmbH (fiktiv)", "city": "Dortmund"}]


def test_cypher_and_html_are_stored_verbatim_as_data(loaded: Graph) -> None:
    # one source for both files: they share the key m-1, and keys belong to their source
    assert run_ingest(loaded, MALFORMED / "cypher_strings", source="hostile").ok
    stored = loaded.read("MATCH (o:Organization {key: 'm-1'}) RETURN o.name AS name")
    assert stored == [{"name": "x'}) MATCH (n) DETACH DELETE n //"}]
    assert run_ingest(loaded, MALFORMED / "html_injection", source="hostile").ok
    names = {
        row["key"]: row["name"]
        for row in loaded.read(
            "MATCH (o:Organization) WHERE o.key STARTS WITH 'm-' "
            "RETURN o.key AS key, o.name AS name"
        )
    }
    assert names["m-1"] == "<script>alert(1)</script> GmbH"
    assert names["m-2"] == '") RETURN 1; CREATE (:Hack) //'
    assert loaded.read("MATCH (n:Hack) RETURN count(n) AS n") == [{"n": 0}]
    assert loaded.read("MATCH (o:Organization) RETURN count(o) AS n")[0]["n"] == 8 + 2


@pytest.mark.parametrize(
    ("case", "name"),
    [
        ("formula_injection", '=HYPERLINK("http://evil.example/x";"Klick")'),
        ("formula_plus", '+cmd("/C calc")'),
    ],
)
def test_a_text_that_starts_like_a_formula_is_stored_as_it_is(
    loaded: Graph, case: str, name: str
) -> None:
    # a value (CORDIS has an organisation named "@FIRE - ..."); the exports defuse it
    report = run_ingest(loaded, MALFORMED / case, source="hostile")
    assert report.ok, [str(p) for p in report.problems]
    stored = loaded.read("MATCH (o:Organization {key: 'm-1'}) RETURN o.name AS name")
    assert stored == [{"name": name}]


def test_skip_invalid_drops_a_bad_optional_cell_and_keeps_the_row(
    loaded: Graph, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    shutil.copytree(MALFORMED / "bad_postcode", folder)
    report = run_ingest(loaded, folder, skip_invalid=True, rejects_dir=tmp_path / "rejects")
    assert report.ok, [str(p) for p in report.problems]
    assert report.counts["Organization"].created == 3
    assert report.counts["Organization"].rejected == 0
    stored = loaded.read(
        "MATCH (o:Organization {key: 'm-2'}) RETURN o.postcode AS postcode, o.city AS city"
    )
    assert stored == [{"postcode": None, "city": "Dortmund"}]
    assert [str(w) for w in report.warnings] == [
        f"{folder / 'organizations.csv'}:3:postcode: '441' is not a German postcode (five "
        "digits); dropped, the row is kept"
    ]


def test_without_skip_invalid_a_bad_optional_cell_refuses_the_file_and_says_what_would_load(
    loaded: Graph, tmp_path: Path
) -> None:
    before = dump(loaded)
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "organizations.csv").write_text(
        "key;name;kind;postcode;website\n"
        "m-1;Müller GmbH (fiktiv);company;44135;www.mueller.example\n"
        "m-2;Schmidt KG (fiktiv);company;441;www.schmidt.example\n"
        "m-3;Kaya AG (fiktiv);Raumschiff;44137;\n"
        "m-4;Brandt OHG (fiktiv);company;44139;javascript:alert(1)\n",
        encoding="utf-8",
    )
    report = run_ingest(loaded, folder)
    file = str(folder / "organizations.csv")
    assert report.rejected_files == [file]
    assert report.skip_invalid_would == {file: (1, 2, 1)}
    assert {str(p).split(": ")[0] for p in report.problems} == {
        f"{file}:3:postcode",
        f"{file}:4:kind",
        f"{file}:5:website",
    }
    assert dump(loaded) == before


def test_skip_invalid_drops_a_row_whose_required_field_is_bad_and_writes_the_rejects(
    loaded: Graph, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "organizations.csv").write_text(
        "key;name;kind;postcode\n"
        "m-1;Müller GmbH (fiktiv);company;44135\n"
        "m-2;Schmidt KG (fiktiv);Raumschiff;441\n",
        encoding="utf-8",
    )
    report = run_ingest(loaded, folder, skip_invalid=True, rejects_dir=tmp_path / "rejects")
    assert not report.ok
    assert report.counts["Organization"].created == 1
    assert report.counts["Organization"].rejected == 1
    keys = loaded.read("MATCH (o:Organization) WHERE o.key STARTS WITH 'm-' RETURN o.key AS k")
    assert [row["k"] for row in keys] == ["m-1"]
    assert report.rejects_file is not None
    rejects = report.rejects_file.read_text(encoding="utf-8")
    assert "Raumschiff" in rejects and "is not one of" in rejects


@pytest.mark.parametrize(
    ("cells", "reason"),
    [
        ({"name": "Err:502"}, "name: 'Err:502' is a spreadsheet error"),
        ({"name": "#DIV/0!"}, "name: '#DIV/0!' is a spreadsheet error"),
        ({"name": FormulaText("=SUMME(A1)")}, "name: '=SUMME(A1)' is a formula without"),
        ({"trades": ["A13", "#REF!"]}, "trades: '#REF!' is a spreadsheet error"),
        ({"description": "Gut\x07 gemacht"}, "control character '\\x07' at position 4"),
        # a bad cell between good ones, in a row with and without umlauts
        ({"city": "#WERT!", "street": "Hauptstraße 1"}, "city: '#WERT!' is a spreadsheet"),
        ({"district": "#NV", "street": "Hauptstrasse 1"}, "district: '#NV' is a spreadsheet"),
        ({"city": "Hagen\x1b", "street": "Ölweg 2"}, "city: control character '\\x1b'"),
    ],
)
def test_every_cell_is_checked_for_formulas_errors_and_control_characters(
    cells: dict[str, object], reason: str
) -> None:
    base = {"key": "m-1", "name": "Musterfirma (fiktiv)", "kind": "company"}
    row = {**base, **cells}
    with pytest.raises(ValidationError, match=re.escape(reason)):
        OrganizationRecord.model_validate(row, context={"reference": load_reference().lookup()})
    # without the bad cell the row is fine, a text may start like a formula, and a list cell
    # may hold what looks like a formula start after its separator
    record = OrganizationRecord.model_validate(
        {
            **base,
            "name": "@FIRE - Internationaler Katastrophenschutz (real)",
            "city": "=HYPERLINK(1)",
            "description": "- Schweißen\n- Fräsen (CNC)",
            "street": "Weg 1|-2",
        },
        context={"reference": load_reference().lookup()},
    )
    assert record.name == "@FIRE - Internationaler Katastrophenschutz (real)"
    assert record.city == "=HYPERLINK(1)"


@pytest.mark.parametrize(
    ("cell", "stored"),
    [("'=HYPERLINK(1)", "=HYPERLINK(1)"), ("'@FIRE", "@FIRE"), ("'+49 231", "+49 231")],
)
def test_a_defused_formula_start_loses_its_apostrophe(cell: str, stored: str) -> None:
    # what the exports write reads back as the value it was
    base = {"key": "m-1", "name": "Musterfirma (fiktiv)", "kind": "company"}
    record = OrganizationRecord.model_validate({**base, "description": cell})
    assert record.description == stored
    assert OrganizationRecord.model_validate({**base, "description": "'Ja'"}).description == "'Ja'"


def test_a_trade_or_industry_cell_seen_before_gives_the_same_codes_or_the_same_refusal() -> None:
    reference = load_reference().lookup()
    base = {"key": "m-1", "name": "Musterfirma (fiktiv)", "kind": "craft_business"}
    for _ in range(2):  # the second time from what the first one found
        record = OrganizationRecord.model_validate(
            {**base, "trades": "Tischler|A01", "industries": "43.32|C"},
            context={"reference": reference},
        )
        assert (record.trades, record.industries) == (["A01", "A27"], ["43", "C"])
        with pytest.raises(ValidationError, match="unknown trade 'Z99'"):
            OrganizationRecord.model_validate(
                {**base, "trades": "A01|Z99"}, context={"reference": reference}
            )


def test_a_bad_coordinate_costs_the_pair_and_a_bad_row_check_names_its_cells() -> None:
    table = Table(
        file="o.csv",
        header=["key", "name", "kind", "lat", "lon"],
        rows=[
            RawRow(
                "o.csv", 2, {"key": "m-1", "name": "A", "kind": "company", "lat": "x", "lon": "7,4"}
            ),
            RawRow("o.csv", 3, {"key": "m-2", "name": "B", "kind": "Raumschiff", "lat": "x"}),
        ],
    )
    checked = validate_table("organizations", table, load_reference().lookup())
    ((line, record),) = checked.records
    assert isinstance(record, OrganizationRecord)
    assert (line, record.lat, record.lon) == (2, None, None)
    assert [p.field for p in checked.dropped] == ["lat", "lat,lon"]
    assert "give both coordinates or neither" in checked.dropped[1].reason
    # a required field refuses the row, with every reason
    assert {p.field for p in checked.problems} == {"kind", "lat"}
