"""Counts of what the graph holds, per node label and per relationship type."""

from __future__ import annotations

from .connection import Graph
from .model import BOOKKEEPING_LABELS


def node_counts(graph: Graph) -> dict[str, int]:
    rows = graph.read(
        "CALL db.labels() YIELD label "
        "CALL (label) { MATCH (n:$(label)) RETURN count(n) AS count } "
        "RETURN label, count ORDER BY label"
    )
    return {row["label"]: row["count"] for row in rows}


def relationship_counts(graph: Graph) -> dict[str, int]:
    rows = graph.read(
        "CALL db.relationshipTypes() YIELD relationshipType AS type "
        "CALL (type) { MATCH ()-[r:$(type)]->() RETURN count(r) AS count } "
        "RETURN type, count ORDER BY type"
    )
    return {row["type"]: row["count"] for row in rows}


def is_empty(graph: Graph) -> bool:
    """True when no data nodes exist (the schema's own bookkeeping does not count)."""
    rows = graph.read(
        "MATCH (n) WHERE none(label IN labels(n) WHERE label IN $bookkeeping) RETURN n LIMIT 1",
        bookkeeping=list(BOOKKEEPING_LABELS),
    )
    return not rows


def organization_keys(graph: Graph) -> list[str]:
    """Every organisation's key (benchmarks pick from them)."""
    return [row["key"] for row in graph.read("MATCH (o:Organization) RETURN o.key AS key")]
