"""A canonical dump of the whole graph: for comparing two graphs (tests, restores)."""

from __future__ import annotations

from typing import Any

from .connection import Graph
from .model import BOOKKEEPING_LABELS


def dump(graph: Graph) -> dict[str, list[Any]]:
    """Nodes and relationships as sorted plain data, identified by their keys, not ids."""
    nodes = graph.read(
        "MATCH (n) WHERE none(label IN labels(n) WHERE label IN $bookkeeping) "
        "RETURN labels(n) AS labels, properties(n) AS props",
        bookkeeping=list(BOOKKEEPING_LABELS),
    )
    relationships = graph.read(
        "MATCH (a)-[r]->(b) "
        "RETURN labels(a)[0] AS from_label, coalesce(a.key, a.code) AS from_key, type(r) AS type, "
        "labels(b)[0] AS to_label, coalesce(b.key, b.code) AS to_key, properties(r) AS props"
    )
    node_rows = sorted((sorted(row["labels"]), _plain(row["props"])) for row in nodes)
    rel_rows = sorted(
        (r["from_label"], r["from_key"], r["type"], r["to_label"], r["to_key"], _plain(r["props"]))
        for r in relationships
    )
    return {"nodes": node_rows, "relationships": rel_rows}


def _plain(props: dict[str, Any]) -> str:
    """Properties as a stable string (vectors rounded: float32 storage is not bit-stable)."""
    parts = []
    for name in sorted(props):
        value = props[name]
        if isinstance(value, list) and value and isinstance(value[0], float):
            value = [round(v, 5) for v in value]
        parts.append(f"{name}={value!r}")
    return "; ".join(parts)
