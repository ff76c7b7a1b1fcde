"""Queries of needs kept as cases: their history, stored shortlist, owner and answers.

A case is a need seen by the staff who work on it. What belongs to it lives in the graph:

- `(:Need)-[:HAS_EVENT]->(:NeedEvent {id, at, by, kind, field, old, new, org, note})`: who
  changed what, and when (created, status, visibility, text, feedback, shortlist, answer,
  connected, released). Events are written by the service in the same request as the change.
- `Need.owner`: the id of the API key that recorded the need; `Need.idempotency`: the key's id
  and the client's `Idempotency-Key` header (unique), so a double click makes one need.
- `Need.shortlist`: the suggestions as they were when the need was saved (JSON text) and
  `Need.shortlist_at`; a later search does not reshuffle them.
- `(:Organization)-[:GAVE_ANSWER]->(:Answer {id, message, contact, at, by, status})
  -[:ANSWERS]->(:Need)`: a university (or one of its units) says it can help; staff connect
  the two (`status: connected`), and only then does the university learn who has the need.

Case status is read, not stored: closed and solved needs are `closed` / `solved`, a need with
an accepted partner is `partner_found`, in progress is `in_progress`, open is `new`.
"""

from __future__ import annotations

from typing import Any, LiteralString

from neo4j import exceptions as neo4j_errors

from .connection import Graph, Row
from .needs import NEED_FIELDS

# Cypher: the case status of need `n` given `accepted` (any accepted feedback).
_CASE_STATUS: LiteralString = (
    "CASE WHEN n.status = 'closed' THEN 'closed' WHEN n.status = 'solved' THEN 'solved' "
    "WHEN accepted THEN 'partner_found' WHEN n.status = 'in_progress' THEN 'in_progress' "
    "ELSE 'new' END"
)


def need_by_idempotency(graph: Graph, token: str) -> str | None:
    """The key of the need made with this idempotency token, if any."""
    rows = graph.read("MATCH (n:Need {idempotency: $token}) RETURN n.key AS key", token=token)
    return rows[0]["key"] if rows else None


def is_idempotency_conflict(error: neo4j_errors.ConstraintError) -> bool:
    return "idempotency" in str(error)


def add_event(
    graph: Graph,
    need: str,
    id: str,
    kind: str,
    by: str | None,
    *,
    field: str | None = None,
    old: str | None = None,
    new: str | None = None,
    org: str | None = None,
    note: str | None = None,
) -> bool:
    """Record one change of a need in its history; False if there is no such need."""
    rows = graph.write(
        "MATCH (n:Need {key: $need}) "
        "CREATE (n)-[:HAS_EVENT]->(e:NeedEvent {id: $id, at: datetime(), by: $by, kind: $kind, "
        "  field: $field, old: $old, new: $new, org: $org, note: $note}) "
        "SET n.last_activity = e.at RETURN e.id AS id",
        need=need,
        id=id,
        kind=kind,
        by=by,
        field=field,
        old=old,
        new=new,
        org=org,
        note=note,
    )
    return bool(rows)


def events_of(graph: Graph, need: str) -> list[Row]:
    """A need's history, newest first, with the name of the key that made each change."""
    return graph.read(
        "MATCH (:Need {key: $need})-[:HAS_EVENT]->(e:NeedEvent) "
        "OPTIONAL MATCH (k:ApiKey {id: e.by}) "
        "OPTIONAL MATCH (o:Organization {key: e.org}) "
        "RETURN e.id AS id, toString(e.at) AS at, e.by AS by, k.name AS by_name, e.kind AS kind, "
        "e.field AS field, e.old AS old, e.new AS new, e.org AS org, o.name AS org_name, "
        "e.note AS note ORDER BY e.at DESC, e.id DESC",
        need=need,
    )


def store_shortlist(graph: Graph, need: str, shortlist: str) -> str | None:
    """Keep the suggestions as saved (JSON text); returns when, None if there is no need."""
    rows = graph.write(
        "MATCH (n:Need {key: $need}) SET n.shortlist = $shortlist, n.shortlist_at = datetime() "
        "RETURN toString(n.shortlist_at) AS at",
        need=need,
        shortlist=shortlist,
    )
    return rows[0]["at"] if rows else None


_CASE_ROW: LiteralString = (
    "CALL (n) { OPTIONAL MATCH (n)-[f:FEEDBACK]->(p:Organization) WITH f, p ORDER BY f.at DESC "
    "  RETURN collect(CASE WHEN f IS NULL THEN null ELSE {organization: p {.key, .name, .kind}, "
    "  status: f.status, note: f.note, at: toString(f.at), by: f.by} END) AS feedback } "
    "CALL (n) { OPTIONAL MATCH (u:Organization)-[:GAVE_ANSWER]->(a:Answer)-[:ANSWERS]->(n) "
    "  WITH a, u ORDER BY a.at DESC "
    "  RETURN collect(CASE WHEN a IS NULL THEN null ELSE {id: a.id, organization: "
    "  u {.key, .name, .kind}, message: a.message, contact: a.contact, status: a.status, "
    "  at: toString(a.at)} END) AS answers } "
    "OPTIONAL MATCH (k:ApiKey {id: n.owner}) "
    "WITH n, o, feedback, answers, k, any(f IN feedback WHERE f.status = 'accepted') AS accepted "
    "RETURN n {" + NEED_FIELDS + ", created_at: toString(n.created_at), .owner, "
    "  last_activity: coalesce(toString(n.last_activity), toString(n.created_at))} AS need, "
    "o {.key, .name, .kind, .city, .district, .employees} AS organization, "
    "k.name AS owner_name, " + _CASE_STATUS + " AS case_status, feedback, answers"
)


def list_cases(
    graph: Graph, *, owner: str | None, statuses: list[str] | None, sort: str, limit: int
) -> list[Row]:
    """Needs as cases: company, owner, case status, last activity, feedback and answers.

    `owner`: only the needs this key recorded; `statuses`: case statuses to keep (None: all);
    `sort`: `activity` (latest first), `created` (newest first) or `company` (by name)."""
    rows = graph.read(
        "MATCH (n:Need) WHERE ($owner IS NULL OR n.owner = $owner) "
        "OPTIONAL MATCH (o:Organization)-[:HAS_NEED]->(n) "
        "WITH n, head(collect(o)) AS o " + _CASE_ROW + " "
        "ORDER BY CASE $sort WHEN 'company' THEN toLower(coalesce(organization.name, '')) "
        "  ELSE null END, "
        # by the temporal values: their text forms drop trailing zeros and do not sort
        "CASE $sort WHEN 'created' THEN n.created_at ELSE coalesce(n.last_activity, "
        "  CASE WHEN n.created_at IS NULL THEN null ELSE datetime({date: n.created_at}) END) "
        "END DESC, "
        "need.key",
        owner=owner,
        sort=sort,
    )
    kept = [row for row in rows if statuses is None or row["case_status"] in statuses]
    return kept[:limit]


def case(graph: Graph, need: str) -> Row | None:
    """One need as a case, with its stored shortlist (JSON text)."""
    rows = graph.read(
        "MATCH (n:Need {key: $need}) OPTIONAL MATCH (o:Organization)-[:HAS_NEED]->(n) "
        "WITH n, head(collect(o)) AS o " + _CASE_ROW + ", n.shortlist AS shortlist, "
        "toString(n.shortlist_at) AS shortlist_at",
        need=need,
    )
    return rows[0] if rows else None


# --- answers of universities --------------------------------------------------------------------


def add_answer(
    graph: Graph,
    need: str,
    org: str,
    props: dict[str, Any],
) -> Row | None:
    """A university's (or unit's) answer to a need; one per need and organisation, replaced by
    the latest. None if the need or organisation does not exist."""
    rows = graph.write(
        "MATCH (n:Need {key: $need}) MATCH (u:Organization {key: $org}) "
        "OPTIONAL MATCH (u)-[:GAVE_ANSWER]->(old:Answer)-[:ANSWERS]->(n) "
        "WITH n, u, head(collect(old)) AS old "
        "FOREACH (_ IN CASE WHEN old IS NULL THEN [1] ELSE [] END | "
        "  CREATE (u)-[:GAVE_ANSWER]->(:Answer {id: $props.id, status: 'new'})-[:ANSWERS]->(n)) "
        "WITH n, u MATCH (u)-[:GAVE_ANSWER]->(a:Answer)-[:ANSWERS]->(n) "
        "SET a.message = $props.message, a.contact = $props.contact, a.at = datetime(), "
        "  a.by = $props.by "
        "RETURN a.id AS id, a.status AS status, toString(a.at) AS at, u {.key, .name} AS "
        "organization, a.message AS message, a.contact AS contact",
        need=need,
        org=org,
        props=props,
    )
    return rows[0] if rows else None


def connect_answer(graph: Graph, need: str, answer: str) -> Row | None:
    """Staff connect the university of `answer` with the company of `need`."""
    rows = graph.write(
        "MATCH (u:Organization)-[:GAVE_ANSWER]->(a:Answer {id: $answer})-[:ANSWERS]->"
        "(n:Need {key: $need}) SET a.status = 'connected', a.connected_at = datetime() "
        "RETURN a.id AS id, u.key AS org",
        need=need,
        answer=answer,
    )
    return rows[0] if rows else None


def answers_of_organizations(graph: Graph, orgs: list[str]) -> list[Row]:
    """The answers given by these organisations (a university and its units), newest first,
    with the need and its company (the caller decides what of them to show)."""
    return graph.read(
        "MATCH (u:Organization)-[:GAVE_ANSWER]->(a:Answer)-[:ANSWERS]->(n:Need) "
        "WHERE u.key IN $orgs "
        "OPTIONAL MATCH (o:Organization)-[:HAS_NEED]->(n) "
        "WITH a, u, n, head(collect(o)) AS c ORDER BY a.at DESC "
        "RETURN a.id AS id, a.status AS status, a.message AS message, a.contact AS contact, "
        "toString(a.at) AS at, u {.key, .name} AS organization, "
        "n {" + NEED_FIELDS + ", created_at: toString(n.created_at)} AS need, "
        "c {.key, .name, .kind, .city, .district, .employees, .website, .email, .phone} "
        "AS company",
        orgs=orgs,
    )


def units_of(graph: Graph, org: str) -> list[Row]:
    """An organisation and every unit below it (faculties, chairs, groups), with their
    competences: who of a university can help."""
    return graph.read(
        "MATCH (o:Organization {key: $org}) "
        "OPTIONAL MATCH (u:Organization)-[:PART_OF*1..4]->(o) "
        "WITH o, collect(DISTINCT u) AS below UNWIND [o] + below AS u "
        "RETURN u.key AS key, u.name AS name, u.kind AS kind",
        org=org,
    )
