"""Maintenance queries: emptying a database (tests, re-loads)."""

from __future__ import annotations

from .connection import Graph


def delete_everything(graph: Graph) -> None:
    """Remove every node and relationship, in batches so big graphs fit in memory."""
    graph.autocommit("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
