"""PART_OF hierarchies of one load: chains load, circles are refused row by row (pure, no Neo4j)."""

from __future__ import annotations

from ingest.records import OrganizationRecord
from ingest.validate import Validated, check_part_of_cycles


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
