"""Subscriptions of API keys to a topic of needs, and the needs each has already listed.

A subscription is `(:Subscription {id, key_id, query, created_at, last_seen})`: the words of a
topic (a topic label or any text), owned by the API key that made it. Listing its new needs
records the visit: `last_seen` moves to now and every listed need gets
`(:Subscription)-[:SEEN]->(:Need)`, so a need is listed once even though needs are dated by
day only. Which candidates fit the topic is decided in `service` (a rule on the scores).
"""

from __future__ import annotations

from typing import LiteralString

from .connection import Graph, Row

_SUBSCRIPTION: LiteralString = (
    "RETURN s.id AS id, s.query AS query, toString(s.created_at) AS created_at, "
    "toString(s.last_seen) AS last_seen"
)


def create_subscription(graph: Graph, *, id: str, key_id: str, query: str) -> Row:
    rows = graph.write(
        "CREATE (s:Subscription {id: $id, key_id: $key_id, query: $query, "
        "created_at: datetime(), last_seen: null}) " + _SUBSCRIPTION,
        id=id,
        key_id=key_id,
        query=query,
    )
    return rows[0]


def subscriptions_of(graph: Graph, key_id: str) -> list[Row]:
    """The key's subscriptions, oldest first."""
    return graph.read(
        "MATCH (s:Subscription {key_id: $key_id}) WITH s ORDER BY s.created_at, s.id "
        + _SUBSCRIPTION,
        key_id=key_id,
    )


def subscription_of(graph: Graph, id: str, key_id: str) -> Row | None:
    """The subscription `id` if the key owns it (another key's subscription is not found)."""
    rows = graph.read(
        "MATCH (s:Subscription {id: $id, key_id: $key_id}) " + _SUBSCRIPTION,
        id=id,
        key_id=key_id,
    )
    return rows[0] if rows else None


def delete_subscription(graph: Graph, id: str, key_id: str) -> bool:
    rows = graph.write(
        "MATCH (s:Subscription {id: $id, key_id: $key_id}) "
        "WITH s, s.id AS gone DETACH DELETE s RETURN gone",
        id=id,
        key_id=key_id,
    )
    return bool(rows)


# What makes a candidate new to a subscription `s`, and what is read of it: an open need it has not
# listed, dated on or after its last visit (the same rule whether vectors or words found it).
_NEW_TO_SUBSCRIPTION: LiteralString = (
    "node.status = 'open' AND NOT (s)-[:SEEN]->(node) "
    "  AND (s.last_seen IS NULL OR node.created_at IS NULL "
    "       OR date(node.created_at) >= date(s.last_seen)) "
    "OPTIONAL MATCH (o:Organization)-[:HAS_NEED]->(node) "
    "RETURN node {.key, .title, .text, .lang, .status, .visibility, "
    "  created_at: toString(node.created_at)} AS need, "
    "  o {.key, .name, .kind, .city, .district, .employees} AS organization, "
)


def unseen_candidates(graph: Graph, id: str, vector: list[float], lucene: str, k: int) -> list[Row]:
    """Open needs near the topic (vector, top k) or containing its words (full text, top k)
    that this subscription has not listed and that are dated on or after its last visit.

    Rows: need (map, date as ISO string), organization (the company, or None), semantic
    (cosine in -1..1, None when only the words matched) and lexical (BM25, None when only the
    vector matched). An empty `lucene` skips the full-text search.
    """
    return graph.read(
        "MATCH (s:Subscription {id: $id}) "
        "CALL () { "
        "  CALL db.index.vector.queryNodes('need_embedding', $k, $vector) YIELD node, score "
        "  RETURN node, 2 * score - 1 AS semantic, null AS lexical "
        "  UNION ALL "
        "  WITH 1 AS one WHERE $lucene <> '' "
        "  CALL db.index.fulltext.queryNodes('need_text', $lucene, {limit: $k}) "
        "  YIELD node, score "
        "  RETURN node, null AS semantic, score AS lexical "
        "} "
        "WITH s, node, max(semantic) AS semantic, max(lexical) AS lexical "
        "WHERE " + _NEW_TO_SUBSCRIPTION + "  semantic, lexical "
        "ORDER BY coalesce(semantic, -1) DESC, need.key",
        id=id,
        vector=vector,
        lucene=lucene,
        k=k,
    )


def lexical_candidates(graph: Graph, id: str, lucene: str, k: int) -> list[Row]:
    """As `unseen_candidates`, by the words alone (the graph holds no need vectors yet)."""
    return graph.read(
        "MATCH (s:Subscription {id: $id}) "
        "CALL db.index.fulltext.queryNodes('need_text', $lucene, {limit: $k}) "
        "YIELD node, score "
        "WITH s, node, score WHERE "
        + _NEW_TO_SUBSCRIPTION
        + "  null AS semantic, score AS lexical "
        "ORDER BY score DESC, need.key",
        id=id,
        lucene=lucene,
        k=k,
    )


def mark_seen(graph: Graph, id: str, need_keys: list[str]) -> None:
    """Record a visit: these needs are listed, and the last visit is now."""
    graph.write(
        "MATCH (s:Subscription {id: $id}) SET s.last_seen = datetime() "
        "WITH s UNWIND $keys AS key MATCH (n:Need {key: key}) MERGE (s)-[:SEEN]->(n)",
        id=id,
        keys=need_keys,
    )
