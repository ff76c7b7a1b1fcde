"""Constraints, indexes and the schema version recorded in the graph.

Every statement is idempotent (`IF NOT EXISTS`), so `init_schema` runs at every `serve` and
`ingest`. Raise `SCHEMA_VERSION` when the statements change.
"""

from __future__ import annotations

from typing import LiteralString

from .connection import Graph

SCHEMA_VERSION = 8

STATEMENTS: list[LiteralString] = [
    # uniqueness of every node's key (see model.NODE_KEYS)
    "CREATE CONSTRAINT organization_key IF NOT EXISTS FOR (n:Organization) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT trade_code IF NOT EXISTS FOR (n:Trade) REQUIRE n.code IS UNIQUE",
    "CREATE CONSTRAINT industry_code IF NOT EXISTS FOR (n:Industry) REQUIRE n.code IS UNIQUE",
    "CREATE CONSTRAINT region_key IF NOT EXISTS FOR (n:Region) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT competence_key IF NOT EXISTS FOR (n:Competence) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT person_key IF NOT EXISTS FOR (n:Person) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT need_key IF NOT EXISTS FOR (n:Need) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT project_key IF NOT EXISTS FOR (n:Project) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT event_key IF NOT EXISTS FOR (n:Event) REQUIRE n.key IS UNIQUE",
    "CREATE CONSTRAINT api_key_id IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT api_key_hash IF NOT EXISTS FOR (n:ApiKey) REQUIRE n.hash IS UNIQUE",
    "CREATE CONSTRAINT subscription_id IF NOT EXISTS FOR (n:Subscription) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT source_file_id IF NOT EXISTS FOR (n:SourceFile) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT schema_meta_id IF NOT EXISTS FOR (n:SchemaMeta) REQUIRE n.id IS UNIQUE",
    # one load at a time (graph.loads)
    "CREATE CONSTRAINT load_lock_id IF NOT EXISTS FOR (n:LoadLock) REQUIRE n.id IS UNIQUE",
    # lookups by what users filter on
    "CREATE INDEX organization_name IF NOT EXISTS FOR (n:Organization) ON (n.name)",
    "CREATE INDEX organization_kind IF NOT EXISTS FOR (n:Organization) ON (n.kind)",
    "CREATE INDEX organization_postcode IF NOT EXISTS FOR (n:Organization) ON (n.postcode)",
    "CREATE INDEX organization_city IF NOT EXISTS FOR (n:Organization) ON (n.city)",
    "CREATE INDEX need_status IF NOT EXISTS FOR (n:Need) ON (n.status)",
    # communities of the whole network (graph.communities)
    "CREATE CONSTRAINT community_key IF NOT EXISTS FOR (n:Community) REQUIRE n.key IS UNIQUE",
    "CREATE INDEX organization_community IF NOT EXISTS FOR (n:Organization) ON (n.community)",
    # the opaque key universities and analysts know a released non-public need by
    "CREATE CONSTRAINT need_shared_id IF NOT EXISTS FOR (n:Need) REQUIRE n.shared_id IS UNIQUE",
    # cases: a need's history, university answers, one need per idempotency key (double click)
    "CREATE CONSTRAINT need_event_id IF NOT EXISTS FOR (n:NeedEvent) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT answer_id IF NOT EXISTS FOR (n:Answer) REQUIRE n.id IS UNIQUE",
    "CREATE CONSTRAINT need_idempotency IF NOT EXISTS FOR (n:Need) REQUIRE n.idempotency IS UNIQUE",
    "CREATE INDEX need_owner IF NOT EXISTS FOR (n:Need) ON (n.owner)",
    "CREATE INDEX subscription_key_id IF NOT EXISTS FOR (n:Subscription) ON (n.key_id)",
    # lexical retrieval: Lucene's German analyzer (stemming, stop words) on the texts
    "CREATE FULLTEXT INDEX competence_text IF NOT EXISTS FOR (n:Competence) "
    "ON EACH [n.title, n.text] OPTIONS {indexConfig: {`fulltext.analyzer`: 'german'}}",
    "CREATE FULLTEXT INDEX project_text IF NOT EXISTS FOR (n:Project) "
    "ON EACH [n.title, n.text] OPTIONS {indexConfig: {`fulltext.analyzer`: 'german'}}",
    # the same texts analysed as English (stemming, stop words): the matcher takes each text's
    # score from the index of its own language (`lang`), so English texts are stemmed as English.
    # The properties in the other order: Neo4j takes a second full-text index on the same
    # label and property list for the first one and `IF NOT EXISTS` then creates nothing.
    "CREATE FULLTEXT INDEX competence_text_en IF NOT EXISTS FOR (n:Competence) "
    "ON EACH [n.text, n.title] OPTIONS {indexConfig: {`fulltext.analyzer`: 'english'}}",
    "CREATE FULLTEXT INDEX project_text_en IF NOT EXISTS FOR (n:Project) "
    "ON EACH [n.text, n.title] OPTIONS {indexConfig: {`fulltext.analyzer`: 'english'}}",
    "CREATE FULLTEXT INDEX need_text IF NOT EXISTS FOR (n:Need) "
    "ON EACH [n.title, n.text] OPTIONS {indexConfig: {`fulltext.analyzer`: 'german'}}",
    "CREATE FULLTEXT INDEX organization_text IF NOT EXISTS FOR (n:Organization) "
    "ON EACH [n.name, n.description] OPTIONS {indexConfig: {`fulltext.analyzer`: 'german'}}",
]


def init_schema(graph: Graph, *, force: bool = False) -> int:
    """Create what is missing and record the version; returns the version now in the graph.

    A graph that already records this version is left alone (one read instead of a round of
    schema statements at every ingest); `force` runs every statement anyway.
    """
    if not force and schema_version(graph) == SCHEMA_VERSION:
        return SCHEMA_VERSION
    for statement in STATEMENTS:
        graph.write(statement)
    graph.write("CALL db.awaitIndexes(300)")
    record_version(graph, SCHEMA_VERSION)
    return SCHEMA_VERSION


def await_indexes(graph: Graph, timeout_s: int = 3600) -> None:
    """Block until every index is populated (after a load: its texts are searchable)."""
    graph.write("CALL db.awaitIndexes($timeout)", timeout=timeout_s)


def record_version(graph: Graph, version: int) -> None:
    graph.write(
        "MERGE (m:SchemaMeta {id: 'partnergraph'}) "
        "SET m.version = $version, m.applied_at = datetime()",
        version=version,
    )


def schema_version(graph: Graph) -> int | None:
    rows = graph.read("MATCH (m:SchemaMeta {id: 'partnergraph'}) RETURN m.version AS version")
    return rows[0]["version"] if rows else None


def constraint_names(graph: Graph) -> set[str]:
    return {row["name"] for row in graph.read("SHOW CONSTRAINTS YIELD name RETURN name")}


def index_names(graph: Graph) -> set[str]:
    return {row["name"] for row in graph.read("SHOW INDEXES YIELD name RETURN name")}
