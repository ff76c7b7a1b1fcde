"""Maintenance queries: emptying a database (tests, re-loads)."""

from __future__ import annotations

from .connection import Graph


def delete_everything(graph: Graph) -> None:
    """Remove every node and relationship, in batches so big graphs fit in memory."""
    graph.autocommit("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")


def delete_loaded_data(graph: Graph) -> None:
    """Remove everything but the shipped reference tables (trades, WZ 2008, regions)."""
    graph.autocommit(
        "MATCH (n) WHERE n.source IS NULL OR n.source <> 'reference' "
        "CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS"
    )
