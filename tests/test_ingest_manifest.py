"""The ingest's manifest: a file loaded whole is not parsed again while its bytes are the same,
and everything that could make skipping wrong makes the file be read again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.connection import Graph
from graph.dump import dump
from ingest import sources
from tests.ingest_support import CANONICAL, FIXTURES, run_ingest, to_xlsx


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return Path(shutil.copytree(CANONICAL, tmp_path / "canonical"))


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the files the ingest actually parsed."""
    names: list[str] = []
    real = sources._tables_of_file

    def spy(file: Path, fmt: str):  # type: ignore[no-untyped-def]
        names.append(file.name)
        return real(file, fmt)

    monkeypatch.setattr(sources, "_tables_of_file", spy)
    return names


def test_an_unchanged_folder_is_hashed_not_parsed(
    graph: Graph, folder: Path, parsed: list[str]
) -> None:
    first = run_ingest(graph, folder)
    before = dump(graph)
    parsed.clear()
    again = run_ingest(graph, folder)
    assert parsed == []
    assert dump(graph) == before
    assert again.ok
    assert again.counts["Organization"].unchanged == first.counts["Organization"].created
    assert all(c.created == 0 and c.updated == 0 for c in again.counts.values())


def test_a_changed_file_is_read_and_only_it(graph: Graph, folder: Path, parsed: list[str]) -> None:
    run_ingest(graph, folder)
    competences = folder / "competences.csv"
    competences.write_text(
        competences.read_text(encoding="utf-8").replace(
            "mit Faserlaser", "mit Faser- und Diodenlaser"
        ),
        encoding="utf-8",
    )
    parsed.clear()
    report = run_ingest(graph, folder)
    assert parsed == ["competences.csv"]
    assert report.counts["Competence"].updated >= 1
    titles = graph.read("MATCH (c:Competence) RETURN collect(c.title + ' ' + c.text) AS t")[0]
    assert any("Diodenlaser" in t for t in titles["t"])


def test_nodes_deleted_by_hand_come_back(graph: Graph, folder: Path) -> None:
    run_ingest(graph, folder)
    before = dump(graph)
    graph.write("MATCH (c:Competence) WITH c LIMIT 2 DETACH DELETE c")
    report = run_ingest(graph, folder)
    assert report.counts["Competence"].created == 2
    assert dump(graph) == before


def test_an_older_export_loaded_again_restores_its_rows(graph: Graph, folder: Path) -> None:
    run_ingest(graph, folder)
    original = dump(graph)
    newer = folder.parent / "newer"
    shutil.copytree(folder, newer)
    orgs = newer / "organizations.csv"
    orgs.write_text(orgs.read_text(encoding="utf-8").replace("Hagen", "Hagen-Haspe"), "utf-8")
    run_ingest(graph, newer, source="canonical")
    assert dump(graph) != original
    run_ingest(graph, folder)
    assert dump(graph) == original


def test_a_file_with_rejected_rows_is_read_and_reported_every_time(
    graph: Graph, tmp_path: Path
) -> None:
    bad = Path(shutil.copytree(FIXTURES / "malformed" / "bad_kind", tmp_path / "bad"))
    first = run_ingest(graph, bad, skip_invalid=True, rejects_dir=tmp_path)
    again = run_ingest(graph, bad, skip_invalid=True, rejects_dir=tmp_path)
    assert first.problems and [str(p) for p in again.problems] == [str(p) for p in first.problems]


def test_an_unchanged_workbook_is_skipped_whole(
    graph: Graph, tmp_path: Path, parsed: list[str]
) -> None:
    workbook = to_xlsx(CANONICAL, tmp_path / "network.xlsx")
    run_ingest(graph, workbook, source="workbook")
    before = dump(graph)
    parsed.clear()
    report = run_ingest(graph, workbook, source="workbook")
    assert parsed == []
    assert report.counts["Competence"].unchanged == 7
    assert dump(graph) == before


def test_report_missing_reads_every_file(graph: Graph, folder: Path, parsed: list[str]) -> None:
    run_ingest(graph, folder)
    parsed.clear()
    report = run_ingest(graph, folder, report_missing=True)
    assert "organizations.csv" in parsed
    assert report.missing == {}
