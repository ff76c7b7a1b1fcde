"""Files as they arrive: every encoding and delimiter the format accepts, German headers, and
columns the format does not know. Real files under tests/fixtures/reading/ and
tests/fixtures/german_headers/, loaded into a real Neo4j."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import pytest

from graph.connection import Graph
from ingest.reading import clean_row, clean_text, read_csv
from ingest.records import OrganizationRecord, column_map
from tests.ingest_support import FIXTURES, run_ingest

READING = FIXTURES / "reading"

MUELLER = "Müller Präzisionsteile GmbH (fiktiv)"
WEISS = "Weiß & Söhne Straßenbau KG (fiktiv)"

# case -> (encoding and delimiter read, the rows as stored: key -> properties)
CASES: dict[str, tuple[str, str, dict[str, dict[str, Any]]]] = {
    "utf8_bom": (
        "utf-8-sig",
        ";",
        {
            "r-1": {"name": MUELLER, "lat": 51.5132, "city": "Dortmund"},
            "r-2": {"name": WEISS, "description": "Straßen- und Tiefbau", "city": "Hagen"},
        },
    ),
    "comma": (
        "utf-8",
        ",",
        {
            "r-1": {"name": MUELLER, "description": "Drehteile, Frästeile; Kleinserien"},
            "r-2": {"name": "Weiß & Söhne Straßenbau KG, Hagen (fiktiv)", "lat": 51.35758},
        },
    ),
    "tab": (
        "utf-8",
        "\t",
        {
            "r-1": {"name": MUELLER, "description": "Drehteile, Frästeile; Kleinserien"},
            "r-2": {"name": WEISS, "postcode": "58095"},
        },
    ),
    # ISO-8859-1 without a byte of Windows-1252's own 0x80-0x9F block: both read it alike
    "latin1": (
        "cp1252",
        ";",
        {
            "r-1": {
                "name": MUELLER,
                "description": "Härterei bis 1200°C, Oberflächen nach Kundenwunsch",
            },
            # the no-break space (0xA0) becomes a plain one
            "r-2": {"name": "Café Weiß Röstwerk (fiktiv)", "city": "Lüdenscheid"},
        },
    ),
    # umlauts written as letter + combining diaeresis (NFD): stored composed (NFC)
    "decomposed": (
        "utf-8",
        ";",
        {
            "r-1": {"name": MUELLER, "description": "Dreh- und Frästeile"},
            "r-2": {"name": "Schäfer Röhrenbau (fiktiv)", "city": "Lüdenscheid"},
        },
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_encoding_and_delimiter_is_detected(case: str) -> None:
    encoding, delimiter, rows = CASES[case]
    table = read_csv(READING / case / "organizations.csv")
    assert (table.encoding, table.delimiter) == (encoding, delimiter)
    assert table.header[:3] == ["key", "name", "kind"]  # no BOM left on the first header
    assert [row.cells["key"] for row in table.rows] == sorted(rows)


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_way_a_csv_arrives_loads_the_right_values(graph: Graph, case: str) -> None:
    _, _, rows = CASES[case]
    report = run_ingest(graph, READING / case)
    assert report.ok, [str(p) for p in report.problems]
    assert report.counts["Organization"].created == len(rows)
    assert report.warnings == []
    stored = {
        row["key"]: row["props"]
        for row in graph.read(
            "MATCH (o:Organization) WHERE o.key STARTS WITH 'r-' "
            "RETURN o.key AS key, properties(o) AS props"
        )
    }
    assert sorted(stored) == sorted(rows)
    for key, expected in rows.items():
        for name, value in expected.items():
            if isinstance(value, float):
                assert stored[key][name] == pytest.approx(value), (key, name)
            else:
                assert stored[key][name] == value, (key, name)


def test_decomposed_umlauts_end_up_composed_in_the_graph(graph: Graph) -> None:
    raw = (READING / "decomposed" / "organizations.csv").read_text(encoding="utf-8")
    assert "Mu\u0308ller" in raw  # the fixture really is decomposed
    assert run_ingest(graph, READING / "decomposed").ok
    rows = graph.read(
        "MATCH (o:Organization) WHERE o.key STARTS WITH 'r-' "
        "RETURN o.name AS name, o.city AS city, o.description AS description ORDER BY o.key"
    )
    for row in rows:
        for value in row.values():
            assert value is None or unicodedata.is_normalized("NFC", value), value
    # searchable by the composed spelling people type
    found = graph.read(
        "MATCH (o:Organization {name: $name})-[:LOCATED_IN]->(r:Region) "
        "RETURN o.key AS key, r.name AS town",
        name="Müller Präzisionsteile GmbH (fiktiv)",
    )
    assert found == [{"key": "r-1", "town": "Dortmund"}]
    # the full-text index finds it by the composed word as well
    hits = graph.read(
        "CALL db.index.fulltext.queryNodes('organization_text', 'Müller') YIELD node "
        "RETURN node.key AS key"
    )
    assert "r-1" in {hit["key"] for hit in hits}


# --- headers ----------------------------------------------------------------------------------


def test_branche_wz_is_a_header_for_industries() -> None:
    header = ["Kennung", "Firmenname", "Art", "Branche/WZ"]
    assert column_map(OrganizationRecord, header)["Branche/WZ"] == "industries"


def test_german_headers_load_and_unknown_columns_are_warned_not_rejected(graph: Graph) -> None:
    folder = FIXTURES / "german_headers"
    report = run_ingest(graph, folder)
    assert report.ok, [str(p) for p in report.problems]
    assert report.counts["Organization"].created == 2
    file = folder / "Unternehmen.csv"
    assert [str(w) for w in report.warnings] == [
        f"{file}:1:Umsatz: unknown column, ignored: its values are not loaded; "
        "ingest/FORMAT.md lists the accepted headers",
        f"{file}:1:Firma: ignored: column 'Firmenname' already gives name, so the values of "
        "this one are not loaded",
    ]
    rows = graph.read(
        "MATCH (o:Organization) WHERE o.key STARTS WITH 'hw-' "
        "OPTIONAL MATCH (o)-[:IN_INDUSTRY]->(i:Industry) "
        "RETURN o.key AS key, o.name AS name, collect(i.code) AS wz ORDER BY key"
    )
    assert [(r["key"], r["name"], sorted(r["wz"])) for r in rows] == [
        ("hw-1", "Schäfer Dachtechnik GmbH (fiktiv)", ["43"]),
        ("hw-2", "Becker Feinmechanik GmbH (fiktiv)", ["28", "C"]),
    ]


def test_a_misspelt_header_is_warned_with_the_likely_one(graph: Graph, tmp_path: Path) -> None:
    (tmp_path / "organizations.csv").write_text(
        "key;name;kind;postcod\nx-1;Kaya Logistik AG (fiktiv);company;44135\n", encoding="utf-8"
    )
    report = run_ingest(graph, tmp_path)
    assert report.ok
    assert [w.field for w in report.warnings] == ["postcod"]
    assert "did you mean 'postcode'?" in report.warnings[0].reason


def test_the_adapters_own_columns_are_not_warned(graph: Graph) -> None:
    report = run_ingest(graph, FIXTURES / "openalex")
    assert report.ok and report.warnings == []


TRICKY_CELLS = [
    ("Müller GmbH", "Müller GmbH"),
    ("Mu\u0308ller GmbH", "Müller GmbH"),  # decomposed umlaut
    ("  Dortmund ", "Dortmund"),
    ("Eisen  und   Stahl", "Eisen und Stahl"),
    ("Eisen\tund\u00a0Stahl", "Eisen und Stahl"),
    ("Straße\u2003am\u202fHafen", "Straße am Hafen"),
    ("Null\u200bbreite", "Null breite"),  # not whitespace to Python, but to a reader
    ("Erster Absatz.  \r\n\r\n  Zweiter Absatz.", "Erster Absatz.\nZweiter Absatz."),
    ("Übergröße ", "Übergröße"),
    (" \t ", None),
    ("", None),
]


@pytest.mark.parametrize(("cell", "clean"), TRICKY_CELLS)
def test_cells_are_trimmed_spaced_and_composed_whether_plain_ascii_or_not(
    cell: str, clean: str | None
) -> None:
    assert clean_text(cell) == clean


@pytest.mark.parametrize(("cell", "clean"), TRICKY_CELLS)
@pytest.mark.parametrize("neighbours", [("Dortmund", "44139"), ("Bochum", "Ölmühle"), ("", "")])
def test_a_row_is_cleaned_as_its_cells_are_whatever_its_neighbours(
    cell: str, clean: str | None, neighbours: tuple[str, str]
) -> None:
    header = ["city", "name", "", "street"]
    record = [neighbours[0], cell, "ignored", neighbours[1]]
    assert clean_row(header, record) == {
        "city": clean_text(neighbours[0]),
        "name": clean,
        "street": clean_text(neighbours[1]),
    }
