"""PART_OF hierarchies: chains load, circles are refused row by row, within a load (pure) and
through organisations loaded before (real Neo4j, real files)."""

from __future__ import annotations

from pathlib import Path

from graph.connection import Graph
from graph.dump import dump
from ingest.records import OrganizationRecord
from ingest.validate import Validated, check_part_of_cycles
from tests.ingest_support import run_ingest


def organisations(*rows: tuple[str, str | None]) -> Validated:
    table = Validated(entity="organizations", file="organizations.csv", rows=len(rows))
    for line, (key, parent) in enumerate(rows, start=2):
        record = OrganizationRecord.model_validate(
            {"key": key, "name": f"{key} (fiktiv)", "kind": "institute", "parent_key": parent}
        )
        table.records.append((line, record))
    return table


def test_a_chair_faculty_university_chain_loads_whole() -> None:
    table = organisations(("lehrstuhl", "fakultaet"), ("fakultaet", "uni"), ("uni", None))
    check_part_of_cycles([table])
    assert table.problems == []
    assert len(table.records) == 3


def test_only_the_rows_on_a_circle_are_refused_each_naming_the_circle() -> None:
    table = organisations(
        ("a", "b"),
        ("b", "c"),
        ("c", "a"),
        ("unter-a", "a"),  # hangs below the circle, is not on it
        ("extern", "im-graph"),  # a parent outside this load is not followed
    )
    check_part_of_cycles([table])
    assert [(p.line, p.field) for p in table.problems] == [
        (2, "parent_key"),
        (3, "parent_key"),
        (4, "parent_key"),
    ]
    assert "(b -> c -> a -> b)" in table.problems[1].reason
    assert [record.identity() for _, record in table.records] == ["unter-a", "extern"]


def test_a_circle_through_the_graph_is_found_and_the_load_replaces_old_links() -> None:
    graph = {"fak": "uni", "lehr": "fak", "uni": None, "alt": "uni"}
    asked: list[list[str]] = []

    def parents_in_graph(keys: list[str]) -> dict[str, str | None]:
        asked.append(keys)
        found: dict[str, str | None] = {}
        for key in keys:
            while key in graph and key not in found:
                found[key] = graph[key]
                key = graph[key]  # type: ignore[assignment]
        return found

    # uni -> lehr (today) -> fak -> uni (both loaded before): a circle
    table = organisations(("uni", "lehr"), ("neu", "alt"))
    check_part_of_cycles([table], parents_in_graph)
    assert asked == [["alt", "lehr"]]  # only parents outside the load, in one call
    assert [(p.line, p.field) for p in table.problems] == [(2, "parent_key")]
    assert "(uni -> lehr -> fak -> uni; lehr, fak loaded before)" in table.problems[0].reason
    assert [record.identity() for _, record in table.records] == ["neu"]

    # fak's row moves it under a new top: its old link to uni no longer counts
    table = organisations(("uni", "lehr"), ("fak", "neu-top"), ("neu-top", None))
    check_part_of_cycles([table], parents_in_graph)
    assert table.problems == []


def write(folder: Path, *rows: str) -> Path:
    """An organizations.csv of `rows` ('key;name;kind;parent_key') in a folder of its own."""
    folder.mkdir()
    text = "".join(f"{row}\n" for row in ("key;name;kind;parent_key", *rows))
    (folder / "organizations.csv").write_text(text, encoding="utf-8")
    return folder


def test_a_row_closing_a_circle_with_organisations_loaded_before_changes_nothing(
    graph: Graph, tmp_path: Path
) -> None:
    uni = write(
        tmp_path / "uni",
        "uni;Universität (fiktiv);university;",
        "fak;Fakultät (fiktiv);institute;uni",
    )
    chairs = write(tmp_path / "chairs", "lehr;Lehrstuhl (fiktiv);research_group;fak")
    assert run_ingest(graph, uni, source="uni").ok
    assert run_ingest(graph, chairs, source="chairs").ok
    before = dump(graph)

    # the university's next export puts itself below the chair
    again = write(tmp_path / "again", "uni;Universität (fiktiv);university;lehr")
    for dry_run in (True, False):
        report = run_ingest(graph, again, source="uni", dry_run=dry_run)
        assert [str(p) for p in report.problems] == [
            f"{again / 'organizations.csv'}:2:parent_key: PART_OF goes round in a circle "
            "(uni -> lehr -> fak -> uni; lehr, fak loaded before): one of them must be at "
            "the top (empty parent_key)"
        ]
    assert dump(graph) == before


def test_a_row_left_out_keeps_its_link_and_the_circle_it_closes_is_refused_too(
    graph: Graph, tmp_path: Path
) -> None:
    first = write(
        tmp_path / "first",
        "x;Institut X (fiktiv);institute;",
        "l;Lehrstuhl L (fiktiv);research_group;x",
    )
    assert run_ingest(graph, first, source="s").ok
    # l's row is refused (its parent does not exist), so l stays below x; x below l would
    # then close the circle x -> l -> x
    second = write(
        tmp_path / "second",
        "x;Institut X (fiktiv);institute;l",
        "l;Lehrstuhl L (fiktiv);research_group;fehlt",
    )
    report = run_ingest(graph, second, source="s", skip_invalid=True, rejects_dir=tmp_path)
    messages = [str(p) for p in report.problems]
    assert any(":3:parent_key: 'fehlt' names no" in m for m in messages), messages
    assert any(
        ":2:parent_key: PART_OF goes round in a circle (x -> l -> x; l loaded before)" in m
        for m in messages
    ), messages
    rows = graph.read(
        "MATCH (a:Organization)-[:PART_OF]->(b:Organization) RETURN a.key AS a, b.key AS b"
    )
    assert [(row["a"], row["b"]) for row in rows] == [("l", "x")]
