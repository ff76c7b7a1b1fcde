"""Queries of the needs workflow: needs with their company, and what staff did with suggestions.

A need is read together with the organisation that has it, because what a caller may see of a
need depends on that organisation (`service.redact`). Vectors are not written here: the service
encodes a need's text and stores the vector with `writes.set_embeddings`, as `reembed` does, so
text hashes and the recorded model follow one rule.

Feedback is one `(:Need)-[:FEEDBACK]->(:Organization)` per need and suggested organisation,
overwritten by the latest decision. An accepted suggestion also leaves
`(company)-[:COOPERATES_WITH {need}]->(partner)`, which the matcher reads as earlier cooperation.
"""

from __future__ import annotations

from typing import Any, LiteralString

from neo4j import exceptions as neo4j_errors

from partnergraph.errors import Conflict

from .connection import Graph, Record

# A need and its company, as plain maps (dates as ISO strings, no vector).
_NEED_AND_COMPANY: LiteralString = (
    "RETURN n {.key, .title, .text, .lang, .status, .visibility, .source, .text_hash, "
    ".embedding_model, created_at: toString(n.created_at)} AS need, "
    "o {.key, .name, .kind, .city, .district, .employees} AS organization"
)


def need_with_company(graph: Graph, key: str) -> Record | None:
    """{need, organization} for the need `key`; organization is None if it has no company."""
    rows = graph.read(
        "MATCH (n:Need {key: $key}) OPTIONAL MATCH (o:Organization)-[:HAS_NEED]->(n) "
        + _NEED_AND_COMPANY,
        key=key,
    )
    return rows[0] if rows else None


def create_need(graph: Graph, org_key: str, props: dict[str, Any]) -> bool:
    """A new need of `org_key`, created today; False if there is no such organisation.

    Raises Conflict when a need with this key exists (the key constraint decides, so two
    requests racing for one key cannot both succeed).
    """
    try:
        rows = graph.write(
            "MATCH (o:Organization {key: $org_key}) "
            "CREATE (o)-[:HAS_NEED]->(n:Need) SET n = $props, n.created_at = date() "
            "RETURN n.key AS key",
            org_key=org_key,
            props=props,
        )
    except neo4j_errors.ConstraintError as error:
        raise Conflict(f"a need with key {props.get('key')!r} exists already") from error
    return bool(rows)


def update_need(graph: Graph, key: str, changes: dict[str, Any]) -> bool:
    """Set the given properties of a need; False if there is no such need."""
    rows = graph.write(
        "MATCH (n:Need {key: $key}) SET n += $changes RETURN n.key AS key",
        key=key,
        changes=changes,
    )
    return bool(rows)


def list_needs(
    graph: Graph,
    *,
    statuses: list[str] | None,
    visibilities: list[str] | None,
    org: str | None,
    after: tuple[str, str] | None,
    limit: int,
) -> list[Record]:
    """Needs newest first (then by key), after the cursor position (day, key); filters are
    lists of allowed values, None meaning any. Needs without a date sort last."""
    after_day, after_key = after if after else (None, None)
    return graph.read(
        "MATCH (n:Need) "
        "WHERE ($statuses IS NULL OR n.status IN $statuses) "
        "  AND ($visibilities IS NULL OR n.visibility IN $visibilities) "
        "OPTIONAL MATCH (o:Organization)-[:HAS_NEED]->(n) "
        "WITH n, o, toString(coalesce(n.created_at, date('0001-01-01'))) AS day "
        "WHERE ($org IS NULL OR o.key = $org) "
        "  AND ($after_day IS NULL OR day < $after_day "
        "       OR (day = $after_day AND n.key > $after_key)) "
        "WITH n, o, day ORDER BY day DESC, n.key LIMIT $limit " + _NEED_AND_COMPANY + ", day",
        statuses=statuses,
        visibilities=visibilities,
        org=org,
        after_day=after_day,
        after_key=after_key,
        limit=limit,
    )


def record_feedback(
    graph: Graph, need: str, org: str, status: str, note: str | None, by: str
) -> Record | None:
    """Store what happened to the suggestion of `org` for `need` (one transaction).

    `accepted` merges the company's COOPERATES_WITH for this need; any other status removes
    it again, so a decision taken back no longer counts as a cooperation. None if the need or
    the organisation does not exist.
    """
    rows = graph.write(
        "MATCH (n:Need {key: $need}) MATCH (p:Organization {key: $org}) "
        "MERGE (n)-[f:FEEDBACK]->(p) "
        "SET f.status = $status, f.note = $note, f.at = datetime(), f.by = $by "
        "WITH n, p, f OPTIONAL MATCH (c:Organization)-[:HAS_NEED]->(n) "
        "CALL (c, p, n, f) { WITH c, p, n, f WHERE c IS NOT NULL AND f.status = 'accepted' "
        "  MERGE (c)-[co:COOPERATES_WITH {need: n.key}]->(p) SET co.at = f.at } "
        "CALL (c, p, n, f) { WITH c, p, n, f WHERE c IS NOT NULL AND f.status <> 'accepted' "
        "  OPTIONAL MATCH (c)-[co:COOPERATES_WITH {need: n.key}]->(p) DELETE co } "
        "RETURN n.key AS need, p {.key, .name} AS organization, f.status AS status, "
        "f.note AS note, toString(f.at) AS at, f.by AS by",
        need=need,
        org=org,
        status=status,
        note=note,
        by=by,
    )
    return rows[0] if rows else None


def feedback_of_need(graph: Graph, need: str) -> list[Record]:
    """Every recorded decision on the suggestions for `need`, latest first."""
    return graph.read(
        "MATCH (:Need {key: $need})-[f:FEEDBACK]->(p:Organization) "
        "RETURN p {.key, .name} AS organization, f.status AS status, f.note AS note, "
        "toString(f.at) AS at, f.by AS by ORDER BY f.at DESC, p.key",
        need=need,
    )
