"""Keys are unique per label whatever the source: a second source using a key that another
source's node holds is refused row by row, and nothing the first source stored changes.

The two sources are real folders under tests/fixtures/two_sources/: `crm` and `ihk` both call
an organisation `org-1` (different firms)."""

from __future__ import annotations

import shutil
from pathlib import Path

from graph.connection import Graph
from graph.dump import dump
from tests.ingest_support import FIXTURES, run_ingest

TWO_SOURCES = FIXTURES / "two_sources"


def org_1(graph: Graph) -> dict[str, object]:
    return graph.read(
        "MATCH (o:Organization {key: 'org-1'}) "
        "RETURN o.name AS name, o.source AS source, o.hash AS hash, o.postcode AS postcode"
    )[0]


def test_a_key_of_another_source_rejects_the_file_and_changes_nothing(graph: Graph) -> None:
    assert run_ingest(graph, TWO_SOURCES / "crm").ok
    before = dump(graph)
    crm_org = org_1(graph)

    report = run_ingest(graph, TWO_SOURCES / "ihk")

    messages = [str(problem) for problem in report.problems]
    organizations = str(TWO_SOURCES / "ihk" / "organizations.csv")
    assert (
        f"{organizations}:2:key: key 'org-1' already belongs to source 'crm'; give this source "
        "its own keys (e.g. a prefix: 'ihk:org-1')"
    ) in messages
    # the competence of ihk's org-1 does not attach to crm's org-1
    competences = str(TWO_SOURCES / "ihk" / "competences.csv")
    assert any(
        m.startswith(f"{competences}:2:owner_key: 'org-1': its row in this load was refused")
        for m in messages
    ), messages
    assert {Path(f).name for f in report.rejected_files} == {"organizations.csv", "competences.csv"}
    assert report.counts["Organization"].rejected == 1
    assert org_1(graph) == crm_org
    assert dump(graph) == before


def test_a_dry_run_reports_the_key_of_another_source_too(graph: Graph) -> None:
    assert run_ingest(graph, TWO_SOURCES / "crm").ok
    report = run_ingest(graph, TWO_SOURCES / "ihk", dry_run=True)
    assert any("key 'org-1' already belongs to source 'crm'" in str(p) for p in report.problems)


def test_skip_invalid_loads_the_other_rows_and_keeps_the_first_sources_node(
    graph: Graph, tmp_path: Path
) -> None:
    assert run_ingest(graph, TWO_SOURCES / "crm").ok
    crm_org = org_1(graph)
    crm_competences = graph.read(
        "MATCH (:Organization {key: 'org-1'})-[:HAS_COMPETENCE]->(c) RETURN c.key AS key"
    )
    folder = Path(shutil.copytree(TWO_SOURCES / "ihk", tmp_path / "ihk"))

    report = run_ingest(graph, folder, skip_invalid=True, rejects_dir=tmp_path / "rejects")

    assert not report.ok
    assert report.counts["Organization"].created == 1
    assert report.counts["Organization"].rejected == 1
    assert report.counts["Competence"].created == 1
    assert report.counts["Competence"].rejected == 1
    assert org_1(graph) == crm_org
    assert (
        graph.read(
            "MATCH (:Organization {key: 'org-1'})-[:HAS_COMPETENCE]->(c) RETURN c.key AS key"
        )
        == crm_competences
    )
    by_source = graph.read(
        "MATCH (o:Organization) RETURN o.source AS source, collect(o.key) AS keys ORDER BY source"
    )
    assert [(r["source"], sorted(r["keys"])) for r in by_source] == [
        ("crm", ["org-1", "org-2"]),
        ("ihk", ["ihk-2"]),
    ]
    assert report.rejects_file is not None
    rejects = report.rejects_file.read_text(encoding="utf-8")
    assert "key 'org-1' already belongs to source 'crm'" in rejects


def test_the_same_source_loading_its_keys_again_updates_them(graph: Graph, tmp_path: Path) -> None:
    assert run_ingest(graph, TWO_SOURCES / "crm").ok
    folder = Path(shutil.copytree(TWO_SOURCES / "crm", tmp_path / "export"))
    organizations = folder / "organizations.csv"
    organizations.write_text(
        organizations.read_text(encoding="utf-8").replace("44147", "44139"), encoding="utf-8"
    )
    report = run_ingest(graph, folder, source="crm")
    assert report.ok, [str(p) for p in report.problems]
    assert report.counts["Organization"].updated == 1
    assert org_1(graph)["postcode"] == "44139"
