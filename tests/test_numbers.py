"""German and English number forms in input cells (pure, no Neo4j)."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter

from ingest.records import GermanFloat, GermanInt

floats = TypeAdapter(GermanFloat)
ints = TypeAdapter(GermanInt)


@pytest.mark.parametrize(
    ("cell", "value"),
    [("51,5136", 51.5136), ("51.529", 51.529), ("1.250,5", 1250.5), ("-7,39", -7.39), ("7", 7.0)],
)
def test_decimal_commas_and_points_both_read_as_decimals(cell: str, value: float) -> None:
    assert floats.validate_python(cell) == pytest.approx(value)


@pytest.mark.parametrize(("cell", "value"), [("1.250", 1250), ("1.200.000", 1_200_000), ("85", 85)])
def test_counts_read_thousands_points(cell: str, value: int) -> None:
    assert ints.validate_python(cell) == value
