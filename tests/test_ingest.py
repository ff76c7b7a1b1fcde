"""Ingest of the canonical format into a real Neo4j: the model, idempotence, formats, changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph import stats
from graph.connection import Graph
from graph.dump import dump
from graph.vectors import Encoder
from ingest.pipeline import IngestReport, _balanced_chunks
from matching.encoder import get_encoder
from tests.ingest_support import CANONICAL, FIXTURES, run_ingest, to_jsonl, to_xlsx


def created(report: IngestReport, label: str) -> int:
    return report.counts[label].created


def test_canonical_folder_loads_the_whole_model(graph: Graph, encoder: Encoder) -> None:
    report = run_ingest(graph, CANONICAL, encoder)
    assert report.ok, [str(p) for p in report.problems]
    nodes = stats.node_counts(graph)
    assert nodes["Organization"] == 8 and nodes["Competence"] == 7 and nodes["Need"] == 3
    assert nodes["Project"] == 2 and nodes["Event"] == 2 and nodes["Person"] == 2
    assert nodes["Trade"] > 100 and nodes["Industry"] > 100 and nodes["Region"] > 400
    assert report.embedded == 7 + 3 + 2

    chain = graph.read(
        "MATCH p = (:Organization {key: 'chair-fuegetechnik'})-[:PART_OF*]->(u) "
        "RETURN [n IN nodes(p) | n.key] AS keys ORDER BY length(p) DESC LIMIT 1"
    )
    assert chain[0]["keys"] == ["chair-fuegetechnik", "fak-mb-dortmund", "uni-tu-dortmund"]

    kemper = graph.read(
        "MATCH (o:Organization {key: 'org-kemper'})-[:LOCATED_IN]->(m:Region)-[:PART_OF]->(d) "
        "MATCH (o)-[:PRACTISES]->(t:Trade) "
        "RETURN o.lat AS lat, o.coordinates_from AS origin, o.district AS district, "
        "m.name AS town, d.key AS district_key, t.name AS trade, o.source AS source, o.hash AS h"
    )[0]
    assert kemper["origin"] == "postcode" and 51.3 < kemper["lat"] < 51.5
    assert kemper["town"] == "Witten" and kemper["district_key"] == "05954"
    assert kemper["district"] == "Ennepe-Ruhr-Kreis"
    assert kemper["trade"] == "Metallbauer"
    assert kemper["source"] == "canonical" and len(kemper["h"]) == 32

    brandt = graph.read("MATCH (o:Organization {key: 'org-brandt'}) RETURN o.lat AS lat")[0]
    assert brandt["lat"] == pytest.approx(51.529)

    need = graph.read(
        "MATCH (o:Organization)-[:HAS_NEED]->(n:Need {key: 'need-pv'}) "
        "RETURN o.key AS org, n.status AS status, n.visibility AS visibility, "
        "toString(n.created_at) AS created, size(n.embedding) AS dim, n.embedding_model AS model"
    )[0]
    assert need == {
        "org": "org-brandt",
        "status": "open",
        "visibility": "public",
        "created": "2026-05-14",
        "dim": 512,
        "model": encoder.name,
    }
    owner = graph.read(
        "MATCH (p:Person)-[:HAS_COMPETENCE]->(:Competence {key: 'comp-arc'}) "
        "MATCH (p)-[:WORKS_AT]->(o) RETURN p.key AS person, o.key AS org"
    )
    assert owner == [{"person": "person-weber", "org": "chair-fuegetechnik"}]
    roles = graph.read(
        "MATCH (o)-[r:PARTICIPATED_IN]->(:Project {key: 'proj-leichtbau'}) "
        "RETURN o.key AS org, r.role AS role ORDER BY org"
    )
    assert roles == [
        {"org": "chair-fuegetechnik", "role": "coordinator"},
        {"org": "org-brandt", "role": "participant"},
    ]


def test_loading_twice_changes_nothing(graph: Graph, encoder: Encoder) -> None:
    run_ingest(graph, CANONICAL, encoder)
    before = dump(graph)
    again = run_ingest(graph, CANONICAL, encoder)
    assert again.ok
    assert dump(graph) == before
    assert again.embedded == 0
    for label, counts in again.counts.items():
        assert counts.created == counts.updated == 0, label


def test_csv_xlsx_and_jsonl_forms_give_the_same_graph(
    graph: Graph,
    encoder: Encoder,
    tmp_path: Path,
) -> None:
    run_ingest(graph, CANONICAL, encoder, source="region")
    from_csv = dump(graph)

    german_sheets = {
        "organizations": "Organisationen",
        "needs": "Bedarfe",
        "events": "Veranstaltungen",
    }
    workbook = to_xlsx(CANONICAL, tmp_path / "export.xlsx", german_sheets)
    jsonl = to_jsonl(CANONICAL, tmp_path / "jsonl")
    for form in (workbook, jsonl):
        graph.write("MATCH (n) DETACH DELETE n")
        report = run_ingest(graph, form, encoder, source="region")
        assert report.ok, [str(p) for p in report.problems]
        assert dump(graph) == from_csv, form.name


def test_a_changed_row_updates_its_node_and_reembeds_only_its_text(
    graph: Graph,
    encoder: Encoder,
    tmp_path: Path,
) -> None:
    folder = tmp_path / "canonical"
    shutil.copytree(CANONICAL, folder)
    run_ingest(graph, folder, encoder)
    competences = folder / "competences.csv"
    competences.write_text(
        competences.read_text(encoding="utf-8").replace("Salzsprühnebeltests", "Klimawechseltests"),
        encoding="utf-8",
    )
    organizations = folder / "organizations.csv"
    organizations.write_text(
        organizations.read_text(encoding="utf-8").replace(";85;CRM-1001", ";90;CRM-1001"),
        encoding="utf-8",
    )
    report = run_ingest(graph, folder, encoder)
    assert report.counts["Competence"].updated == 1
    assert report.counts["Competence"].unchanged == 6
    assert report.counts["Organization"].updated == 1
    assert report.embedded == 1
    text = graph.read("MATCH (c:Competence {key: 'comp-korrosion'}) RETURN c.text AS text")
    assert "Klimawechseltests" in text[0]["text"]
    employees = graph.read("MATCH (o:Organization {key: 'org-brandt'}) RETURN o.employees AS n")
    assert employees == [{"n": 90}]


def test_the_report_says_where_the_time_went_phase_by_phase(graph: Graph, encoder: Encoder) -> None:
    report = run_ingest(graph, CANONICAL, encoder)
    assert list(report.phases) == [
        "read",
        "reference",
        "validate",
        "plan",
        "embed",
        "write",
        "finish",
    ]
    assert all(seconds >= 0 for seconds in report.phases.values())
    assert sum(report.phases.values()) == pytest.approx(report.seconds, abs=0.05)

    dry = run_ingest(graph, CANONICAL, None, dry_run=True)
    assert list(dry.phases) == ["read", "validate", "plan", "finish"]


def test_dry_run_validates_and_counts_but_writes_nothing(graph: Graph) -> None:
    before = dump(graph)
    report = run_ingest(graph, CANONICAL, None, dry_run=True)
    assert report.ok
    assert report.counts["Organization"].created == 8
    assert dump(graph) == before


def test_report_missing_lists_rows_gone_from_a_full_export(graph: Graph, tmp_path: Path) -> None:
    folder = tmp_path / "weekly"
    shutil.copytree(CANONICAL, folder)
    run_ingest(graph, folder)
    needs = folder / "needs.csv"
    lines = needs.read_text(encoding="utf-8").splitlines()
    needs.write_text("\n".join(line for line in lines if "need-inspect" not in line) + "\n")
    report = run_ingest(graph, folder, report_missing=True)
    assert report.missing == {"Need": ["need-inspect"]}


def test_windows_export_with_german_headers_and_decimal_commas(graph: Graph) -> None:
    report = run_ingest(graph, FIXTURES / "crm_export_cp1252")
    assert report.ok, [str(p) for p in report.problems]
    rows = graph.read(
        "MATCH (o:Organization)-[:PRACTISES]->(t:Trade) "
        "OPTIONAL MATCH (o)-[:IN_INDUSTRY]->(i:Industry) "
        "RETURN o.key AS key, o.name AS name, o.lat AS lat, o.employees AS employees, "
        "o.city AS city, collect(DISTINCT t.code) AS trades, collect(DISTINCT i.code) AS wz "
        "ORDER BY key"
    )
    schaefer, oezdemir = rows
    assert schaefer["name"] == "Schäfer Dachtechnik GmbH (fiktiv)"  # trimmed, spaces collapsed
    assert schaefer["lat"] == pytest.approx(51.388)
    assert schaefer["employees"] == 1250
    assert schaefer["trades"] == ["A04"] and schaefer["wz"] == ["43"]
    assert schaefer["city"] == "Wetter (Ruhr)"
    assert sorted(oezdemir["trades"]) == ["A24", "A25"]


def test_same_organisation_from_two_sources_is_linked_as_same_as(
    graph: Graph, tmp_path: Path
) -> None:
    run_ingest(graph, CANONICAL)
    other = tmp_path / "ihk"
    other.mkdir()
    (other / "organizations.csv").write_text(
        "key;name;kind;postcode;city\n"
        "ihk-778;Brandt Praezisionstechnik GmbH & Co. KG (fiktiv);company;44147;Dortmund\n"
        "ihk-779;Brandstätter Logistik AG (fiktiv);company;44147;Dortmund\n",
        encoding="utf-8",
    )
    report = run_ingest(graph, other)
    assert [(m.a, m.b) for m in report.same_as] == [("ihk-778", "org-brandt")]
    links = graph.read(
        "MATCH (a:Organization)-[s:SAME_AS]-(b:Organization {key: 'org-brandt'}) "
        "RETURN a.key AS key, s.score AS score"
    )
    assert links[0]["key"] == "ihk-778" and links[0]["score"] >= 0.9


def test_real_source_exports_load_through_their_adapters(graph: Graph) -> None:
    for source in ("ror", "cordis", "openalex"):
        report = run_ingest(graph, FIXTURES / source)
        assert report.ok, (source, [str(p) for p in report.problems])
        assert report.source == source
    by_source = {
        row["source"]: row["n"]
        for row in graph.read(
            "MATCH (n) WHERE n.source IN ['ror', 'cordis', 'openalex'] "
            "RETURN n.source AS source, count(n) AS n"
        )
    }
    assert set(by_source) == {"ror", "cordis", "openalex"}
    projects = graph.read(
        "MATCH (o:Organization)-[r:PARTICIPATED_IN]->(p:Project) "
        "WHERE p.key STARTS WITH 'cordis:project:' RETURN count(r) AS n"
    )
    assert projects[0]["n"] > 0
    works = graph.read(
        "MATCH (o:Organization)-[:HAS_COMPETENCE]->(c:Competence) "
        "WHERE c.key STARTS WITH 'openalex:' RETURN count(c) AS n"
    )
    assert works[0]["n"] > 0


def test_vector_indexes_follow_the_model_that_made_the_vectors(
    graph: Graph, encoder: Encoder
) -> None:
    from graph.vectors import embedding_model, vector_index_dimensions

    run_ingest(graph, CANONICAL, encoder)
    assert embedding_model(graph) == (encoder.name, 512)
    assert vector_index_dimensions(graph) == {
        "competence_embedding": 512,
        "project_embedding": 512,
        "need_embedding": 512,
    }
    other = get_encoder("minilm")
    report = run_ingest(graph, CANONICAL, other)
    assert report.embedded == 12  # a new model: every text again, nothing else changed
    assert report.counts["Organization"].unchanged == 8
    assert embedding_model(graph) == (other.name, 384)
    assert set(vector_index_dimensions(graph).values()) == {384}
    dims = graph.read("MATCH (c:Competence) RETURN DISTINCT size(c.embedding) AS d")
    assert dims == [{"d": 384}]


def test_a_file_whose_every_row_is_invalid_is_listed_as_rejected(graph: Graph) -> None:
    report = run_ingest(graph, FIXTURES / "malformed" / "bad_kind")
    assert not report.ok
    assert [Path(f).name for f in report.rejected_files] == ["organizations.csv"]


def test_unchanged_reference_tables_are_left_alone_and_deleted_ones_come_back(
    graph: Graph,
) -> None:
    first = run_ingest(graph, CANONICAL)
    trades = first.counts["Trade"].created
    assert trades > 100 and first.counts["Region"].created > 400

    again = run_ingest(graph, CANONICAL)
    assert (again.counts["Trade"].unchanged, again.counts["Trade"].created) == (trades, 0)
    assert again.counts["Region"].updated == 0

    graph.write("MATCH (t:Trade {code: 'A27'}) DETACH DELETE t")
    third = run_ingest(graph, CANONICAL)
    assert (third.counts["Trade"].created, third.counts["Trade"].unchanged) == (1, trades - 1)
    assert graph.read("MATCH (t:Trade {code: 'A27'}) RETURN t.name AS name") == [
        {"name": "Tischler"}
    ]


@pytest.mark.parametrize(
    ("rows", "expected"), [(0, []), (1999, [1999]), (5000, [1250] * 4), (100_000, [2000] * 50)]
)
def test_new_rows_are_split_evenly_between_the_writers(rows: int, expected: list[int]) -> None:
    chunks = _balanced_chunks(list(range(rows)), 2000, 2)
    assert [len(chunk) for chunk in chunks] == expected
    assert [row for chunk in chunks for row in chunk] == list(range(rows))
    ten_k = _balanced_chunks(list(range(10_000)), 2000, 2)
    assert len(ten_k) == 6 and max(map(len, ten_k)) - min(map(len, ten_k)) <= 2
