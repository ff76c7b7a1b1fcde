"""Queries of backup and restore: the graph streamed out, and written back in batches.

Reading streams records (a big graph never sits in memory); temporal values come as Neo4j's own
toString() so that an offset (`…Z`) and a zone id (`…Z[UTC]`) stay apart, which the driver's
Python types do not. Writing CREATEs nodes by label and relationships by the labels of their
ends, so each end is found through its key's unique index. `graph.backup_format` is the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, LiteralString

from neo4j import READ_ACCESS, Query

from .connection import Graph, Row, translate_errors

# [name, valueType, toString] of every temporal property (lists: toString of each item)
_TEMPORAL_OF_N: LiteralString = (
    "[k IN keys(n) WHERE valueType(n[k]) =~ '.*(DATE|TIME|DURATION).*' | "
    "[k, valueType(n[k]), CASE WHEN valueType(n[k]) STARTS WITH 'LIST' "
    "THEN [x IN n[k] | toString(x)] ELSE toString(n[k]) END]]"
)
_TEMPORAL_OF_R: LiteralString = (
    "[k IN keys(r) WHERE valueType(r[k]) =~ '.*(DATE|TIME|DURATION).*' | "
    "[k, valueType(r[k]), CASE WHEN valueType(r[k]) STARTS WITH 'LIST' "
    "THEN [x IN r[k] | toString(x)] ELSE toString(r[k]) END]]"
)
# t: {name, type, value} from backup_format: the text back into its temporal type
_TEMPORAL_VALUE: LiteralString = (
    "CASE t.type "
    "WHEN 'date' THEN date(t.value) "
    "WHEN 'datetime' THEN datetime(t.value) "
    "WHEN 'localdatetime' THEN localdatetime(t.value) "
    "WHEN 'time' THEN time(t.value) "
    "WHEN 'localtime' THEN localtime(t.value) "
    "WHEN 'duration' THEN duration(t.value) "
    "WHEN 'date[]' THEN [x IN t.value | date(x)] "
    "WHEN 'datetime[]' THEN [x IN t.value | datetime(x)] "
    "WHEN 'localdatetime[]' THEN [x IN t.value | localdatetime(x)] "
    "WHEN 'time[]' THEN [x IN t.value | time(x)] "
    "WHEN 'localtime[]' THEN [x IN t.value | localtime(x)] "
    "WHEN 'duration[]' THEN [x IN t.value | duration(x)] END"
)


def _stream(graph: Graph, cypher: LiteralString, **params: Any) -> Iterator[Row]:
    """Records one by one from a read transaction (the driver fetches them in chunks)."""
    with (
        translate_errors(graph.uri),
        graph.driver.session(
            database=graph.database, default_access_mode=READ_ACCESS, fetch_size=2000
        ) as session,
    ):
        for record in session.run(Query(cypher), params):
            # Not record.data(): it walks every value (each float of every vector) again.
            # Record.items is the one accessor the driver leaves unannotated
            yield dict(record.items())  # type: ignore[no-untyped-call]


# --- reading ---------------------------------------------------------------------------------


def nodes_to_back_up(graph: Graph, left_out: list[str]) -> Iterator[Row]:
    """Every node without a label of `left_out`: labels, props, temporal props as text."""
    return _stream(
        graph,
        "MATCH (n) WHERE none(label IN labels(n) WHERE label IN $left_out) "
        "RETURN labels(n) AS labels, properties(n) AS props, " + _TEMPORAL_OF_N + " AS temporal",
        left_out=left_out,
    )


def relationships_to_back_up(
    graph: Graph, key_of: dict[str, str], left_out: list[str]
) -> Iterator[Row]:
    """Every relationship between nodes that are backed up, its ends as (label, key).

    A node's label is the first of `key_of` (in its order) it carries; its key is that label's
    key property, as `backup_format.primary_label` decides for the nodes themselves.
    """
    return _stream(
        graph,
        "MATCH (a)-[r]->(b) "
        "WHERE none(label IN labels(a) + labels(b) WHERE label IN $left_out) "
        "WITH a, r, b, [label IN $order WHERE label IN labels(a)][0] AS from_label, "
        "  [label IN $order WHERE label IN labels(b)][0] AS to_label "
        "WHERE from_label IS NOT NULL AND to_label IS NOT NULL "
        "RETURN from_label, a[$key_of[from_label]] AS from_key, type(r) AS type, "
        "to_label, b[$key_of[to_label]] AS to_key, properties(r) AS props, "
        + _TEMPORAL_OF_R
        + " AS temporal",
        key_of=key_of,
        order=list(key_of),
        left_out=left_out,
    )


def holds_data(graph: Graph) -> bool:
    """Whether anything but the schema's own records is there (API keys count: a restore
    brings its own, and two keys must never share a hash)."""
    rows = graph.read("MATCH (n) WHERE NOT n:SchemaMeta RETURN 1 AS found LIMIT 1")
    return bool(rows)


# --- writing ---------------------------------------------------------------------------------


def create_nodes(graph: Graph, label: str, rows: list[Row]) -> int:
    """New nodes of `label` (rows: props, temporal, vectors, labels); returns how many."""
    result = graph.write(
        "UNWIND $rows AS row CREATE (n:$($label)) SET n = row.props SET n:$(row.labels) "
        "WITH n, row "
        "CALL (n, row) { UNWIND row.temporal AS t SET n[t.name] = " + _TEMPORAL_VALUE + " } "
        "CALL (n, row) { UNWIND row.vectors AS v "
        "  CALL db.create.setNodeVectorProperty(n, v.name, v.values) } "
        "RETURN count(n) AS created",
        label=label,
        rows=rows,
    )
    return int(result[0]["created"])


# The ends of a relationship, found by label and key through the key's unique index (a label
# given as a parameter would scan every node).
_FROM: dict[str, LiteralString] = {
    "Organization": "MATCH (a:Organization {key: row.from_key}) ",
    "Trade": "MATCH (a:Trade {code: row.from_key}) ",
    "Industry": "MATCH (a:Industry {code: row.from_key}) ",
    "Region": "MATCH (a:Region {key: row.from_key}) ",
    "Competence": "MATCH (a:Competence {key: row.from_key}) ",
    "Person": "MATCH (a:Person {key: row.from_key}) ",
    "Need": "MATCH (a:Need {key: row.from_key}) ",
    "Project": "MATCH (a:Project {key: row.from_key}) ",
    "Event": "MATCH (a:Event {key: row.from_key}) ",
    "ApiKey": "MATCH (a:ApiKey {id: row.from_key}) ",
    "Subscription": "MATCH (a:Subscription {id: row.from_key}) ",
    "SourceFile": "MATCH (a:SourceFile {id: row.from_key}) ",
    "NeedEvent": "MATCH (a:NeedEvent {id: row.from_key}) ",
    "Answer": "MATCH (a:Answer {id: row.from_key}) ",
}
_TO: dict[str, LiteralString] = {
    "Organization": "MATCH (b:Organization {key: row.to_key}) ",
    "Trade": "MATCH (b:Trade {code: row.to_key}) ",
    "Industry": "MATCH (b:Industry {code: row.to_key}) ",
    "Region": "MATCH (b:Region {key: row.to_key}) ",
    "Competence": "MATCH (b:Competence {key: row.to_key}) ",
    "Person": "MATCH (b:Person {key: row.to_key}) ",
    "Need": "MATCH (b:Need {key: row.to_key}) ",
    "Project": "MATCH (b:Project {key: row.to_key}) ",
    "Event": "MATCH (b:Event {key: row.to_key}) ",
    "ApiKey": "MATCH (b:ApiKey {id: row.to_key}) ",
    "Subscription": "MATCH (b:Subscription {id: row.to_key}) ",
    "SourceFile": "MATCH (b:SourceFile {id: row.to_key}) ",
    "NeedEvent": "MATCH (b:NeedEvent {id: row.to_key}) ",
    "Answer": "MATCH (b:Answer {id: row.to_key}) ",
}


def create_relationships(graph: Graph, from_label: str, to_label: str, rows: list[Row]) -> int:
    """New relationships from `from_label` to `to_label` nodes (rows: from_key, to_key, type,
    props, temporal); returns how many were created (fewer: an end was not found)."""
    result = graph.write(
        "UNWIND $rows AS row "
        + _FROM[from_label]
        + _TO[to_label]
        + "CREATE (a)-[r:$(row.type)]->(b) SET r = row.props "
        "WITH r, row "
        "CALL (r, row) { UNWIND row.temporal AS t SET r[t.name] = " + _TEMPORAL_VALUE + " } "
        "RETURN count(r) AS created",
        rows=rows,
    )
    return int(result[0]["created"])
