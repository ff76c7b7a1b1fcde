"""Queries of the needs workflow: needs with their company, and what staff did with suggestions.

A need is read together with the organisation that has it, because what a caller may see of a
need depends on that organisation (`service.redact`).

Universities and analysts read an anonymous or confidential need only in the wording staff
released for it (`shared_title`, `shared_text`, `shared_description`, `shared_embedding`, under
the opaque `shared_id`). A release holds while the need's words and visibility are those it
was made for (`released_hash` = `text_hash`, `released_visibility` = `visibility`): a changed
need disappears for those roles until staff release it again. `shareable` is that rule as
Cypher, used by every query that serves them. Vectors are not written here: the service
encodes a need's text and stores the vector with `writes.set_embeddings`, as `reembed` does, so
text hashes and the recorded model follow one rule.

Feedback is one `(:Need)-[:FEEDBACK]->(:Organization)` per need and suggested organisation,
overwritten by the latest decision. An accepted suggestion also leaves
`(company)-[:COOPERATES_WITH {need}]->(partner)`, which the matcher reads as earlier cooperation.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, LiteralString

from neo4j import exceptions as neo4j_errors

from partnergraph.errors import Conflict

from .connection import Graph, Row


def shareable(var: LiteralString) -> LiteralString:
    """Cypher: whether universities and analysts may read the need `var` (public, or released
    for its current words and visibility)."""
    return (
        "("
        + var
        + ".visibility = 'public' OR ("
        + var
        + ".released_hash IS NOT NULL AND "
        + var
        + ".released_hash = "
        + var
        + ".text_hash AND "
        + var
        + ".released_visibility = "
        + var
        + ".visibility))"
    )


def shared_vector(var: LiteralString) -> LiteralString:
    """Cypher: the vector of what universities and analysts read of the need `var`."""
    return (
        "CASE WHEN " + var + ".visibility = 'public' THEN " + var + ".embedding "
        "ELSE " + var + ".shared_embedding END"
    )


# The fields of a need every reader of needs gets (the service picks what a role sees).
NEED_FIELDS: LiteralString = (
    ".key, .title, .text, .lang, .status, .visibility, .shared_id, .shared_title, "
    ".shared_text, .shared_description, .released_hash, .released_visibility, .text_hash, "
    "released_at: toString(n.released_at), .released_by"
)
# A need and its company, as plain maps (dates as ISO strings, no vector).
_NEED_AND_COMPANY: LiteralString = (
    "RETURN n {" + NEED_FIELDS + ", .source, .embedding_model, "
    "created_at: toString(n.created_at)} AS need, "
    "o {.key, .name, .kind, .city, .district, .employees} AS organization"
)


def need_with_company(graph: Graph, key: str) -> Row | None:
    """{need, organization} for the need `key`; organization is None if it has no company."""
    rows = graph.read(
        "MATCH (n:Need {key: $key}) OPTIONAL MATCH (o:Organization)-[:HAS_NEED]->(n) "
        + _NEED_AND_COMPANY,
        key=key,
    )
    return rows[0] if rows else None


def shared_need_with_company(graph: Graph, public_key: str) -> Row | None:
    """As `need_with_company`, for a reader who may see only shareable needs: `public_key` is a
    public need's key or a released need's `shared_id` (never a non-public need's own key)."""
    rows = graph.read(
        "CALL () { MATCH (n:Need {key: $key}) WHERE n.visibility = 'public' RETURN n "
        "  UNION MATCH (n:Need {shared_id: $key}) WHERE n.visibility <> 'public' RETURN n } "
        "WITH n WHERE " + shareable("n") + " "
        "OPTIONAL MATCH (o:Organization)-[:HAS_NEED]->(n) " + _NEED_AND_COMPANY,
        key=public_key,
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
    statuses: Sequence[str] | None,
    visibilities: Sequence[str] | None,
    org: str | None,
    after: tuple[str, str] | None,
    limit: int,
    shared_only: bool = False,
) -> list[Row]:
    """Needs newest first (then by key), after the cursor position (day, key); filters are
    lists of allowed values, None meaning any. Needs without a date sort last.

    `shared_only`: only shareable needs, ordered and paged by the key their readers know
    (`shared_id` for non-public ones), returned as `public_key`."""
    after_day, after_key = after if after else (None, None)
    return graph.read(
        "MATCH (n:Need) "
        "WHERE ($statuses IS NULL OR n.status IN $statuses) "
        "  AND ($visibilities IS NULL OR n.visibility IN $visibilities) "
        "  AND (NOT $shared_only OR " + shareable("n") + ") "
        "OPTIONAL MATCH (o:Organization)-[:HAS_NEED]->(n) "
        "WITH n, o, toString(coalesce(n.created_at, date('0001-01-01'))) AS day, "
        "  CASE WHEN $shared_only AND n.visibility <> 'public' THEN n.shared_id ELSE n.key END "
        "  AS public_key "
        "WHERE ($org IS NULL OR o.key = $org) "
        "  AND ($after_day IS NULL OR day < $after_day "
        "       OR (day = $after_day AND public_key > $after_key)) "
        "WITH n, o, day, public_key ORDER BY day DESC, public_key LIMIT $limit "
        + _NEED_AND_COMPANY
        + ", day, public_key",
        statuses=statuses,
        visibilities=visibilities,
        shared_only=shared_only,
        org=org,
        after_day=after_day,
        after_key=after_key,
        limit=limit,
    )


def record_feedback(
    graph: Graph, need: str, org: str, status: str, note: str | None, by: str
) -> Row | None:
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


def feedback_of_need(graph: Graph, need: str) -> list[Row]:
    """Every recorded decision on the suggestions for `need`, latest first."""
    return graph.read(
        "MATCH (:Need {key: $need})-[f:FEEDBACK]->(p:Organization) "
        "RETURN p {.key, .name} AS organization, f.status AS status, f.note AS note, "
        "toString(f.at) AS at, f.by AS by ORDER BY f.at DESC, p.key",
        need=need,
    )


def decided_needs(graph: Graph, limit: int = 10_000) -> list[Row]:
    """Needs with at least one accepted or rejected suggestion, most recently decided first:
    the need's title and text, its company's key, and each decision (organisation, status).
    What `matching.learned` learns ranking weights from; "contacted" decides nothing."""
    return graph.read(
        "MATCH (n:Need)-[f:FEEDBACK]->(p:Organization) "
        "WHERE f.status IN ['accepted', 'rejected'] "
        "WITH n, collect({org: p.key, status: f.status}) AS decisions, max(f.at) AS latest "
        "CALL (n) { OPTIONAL MATCH (o:Organization)-[:HAS_NEED]->(n) "
        "  RETURN head(collect(o.key)) AS company } "
        "RETURN n.key AS key, n.title AS title, n.text AS text, company, decisions "
        "ORDER BY latest DESC, key LIMIT $limit",
        limit=limit,
    )


# --- releasing the shared wording of non-public needs ---------------------------------------


def release_context(graph: Graph, key: str) -> Row | None:
    """What a proposal of a need's shared wording starts from: the need, its company with
    its contact data and people, and what universities can already read of that company
    (its public needs, its description). None if there is no such need."""
    rows = graph.read(
        "MATCH (n:Need {key: $key}) "
        "OPTIONAL MATCH (o:Organization)-[:HAS_NEED]->(n) "
        "WITH n, head(collect(o)) AS o "
        "CALL (o) { OPTIONAL MATCH (p:Person)-[:WORKS_AT]->(o) RETURN collect(p.name) AS people } "
        "CALL (o, n) { OPTIONAL MATCH (o)-[:HAS_NEED]->(m:Need {visibility: 'public'}) "
        "  WHERE m <> n RETURN collect(coalesce(m.title, '') + '. ' + coalesce(m.text, '')) "
        "  AS public_texts } "
        "RETURN n {" + NEED_FIELDS + "} AS need, "
        "o {.key, .name, .kind, .street, .postcode, .city, .district, .employees, .website, "
        "  .email, .phone, .description} AS organization, people, public_texts",
        key=key,
    )
    return rows[0] if rows else None


def gazetteer_rows(graph: Graph) -> Row:
    """Every name the graph holds that could point at a company: organisations (key, name),
    people, towns and districts (reference regions and organisations' own), need keys; and
    per organisation its competence texts joined (what words are ordinary vocabulary)."""
    rows = graph.read(
        "CALL () { MATCH (o:Organization) RETURN collect([o.key, coalesce(o.name, '')]) AS orgs, "
        "  collect(DISTINCT o.city) AS cities, collect(DISTINCT o.district) AS org_districts } "
        "CALL () { MATCH (p:Person) WHERE p.name IS NOT NULL "
        "  RETURN collect(DISTINCT p.name) AS people } "
        "CALL () { MATCH (r:Region) WHERE r.kind = 'municipality' "
        "  RETURN collect(DISTINCT r.name) AS towns } "
        "CALL () { MATCH (r:Region) WHERE r.kind = 'district' "
        "  RETURN collect(DISTINCT r.name) AS districts } "
        "CALL () { MATCH (n:Need) RETURN collect(n.key) AS need_keys } "
        "CALL () { MATCH (o:Organization)-[:HAS_COMPETENCE]->(c:Competence) "
        "  WITH o, collect(coalesce(c.title, '') + ' ' + coalesce(c.text, '')) AS texts "
        "  RETURN collect(reduce(all = '', t IN texts | all + ' ' + t)) AS competence_texts } "
        "RETURN orgs, cities, org_districts, people, towns, districts, need_keys, "
        "competence_texts"
    )
    return rows[0]


def peer_counts(
    graph: Graph,
    *,
    kind: str | None,
    city: str | None,
    district: str | None,
    employees_from: int | None,
    employees_below: int | None,
) -> Row:
    """How many organisations share a company's kind and place, with and without its size
    class (employees in [from, below)): what a reader could narrow it down to."""
    rows = graph.read(
        "MATCH (o:Organization) WHERE o.kind = $kind "
        "WITH o, (o.employees IS NOT NULL AND o.employees >= coalesce($from, 0) "
        "  AND ($below IS NULL OR o.employees < $below)) AS same_size "
        "RETURN count(o) AS kind, "
        "  count(CASE WHEN o.district = $district THEN 1 END) AS kind_district, "
        "  count(CASE WHEN o.district = $district AND same_size THEN 1 END) "
        "  AS kind_district_size, "
        "  count(CASE WHEN o.city = $city AND same_size THEN 1 END) AS kind_city_size",
        kind=kind,
        city=city,
        district=district,
        **{"from": employees_from, "below": employees_below},
    )
    return rows[0]


def release_need(graph: Graph, key: str, shared: dict[str, Any], by: str) -> Row | None:
    """Store the wording universities and analysts may read of a need, for its current words
    and visibility (`shared`: title, text, description, embedding, embedding_model, lang).
    The need keeps its `shared_id` across releases. None if there is no such need."""
    rows = graph.write(
        "MATCH (n:Need {key: $key}) "
        "SET n.shared_id = coalesce(n.shared_id, $new_id), n.shared_title = $shared.title, "
        "n.shared_text = $shared.text, n.shared_description = $shared.description, "
        "n.shared_embedding = $shared.embedding, "
        "n.shared_embedding_model = $shared.embedding_model, "
        "n.released_hash = n.text_hash, n.released_visibility = n.visibility, "
        "n.released_at = datetime(), n.released_by = $by "
        "RETURN n {" + NEED_FIELDS + "} AS need",
        key=key,
        shared=shared,
        new_id=shared["id"],
        by=by,
    )
    return rows[0]["need"] if rows else None


def withdraw_release(graph: Graph, key: str) -> bool:
    """Universities and analysts no longer read the need (until it is released again)."""
    rows = graph.write(
        "MATCH (n:Need {key: $key}) REMOVE n.shared_title, n.shared_text, "
        "n.shared_description, n.shared_embedding, n.shared_embedding_model, n.released_hash, "
        "n.released_visibility, n.released_at, n.released_by RETURN n.key AS key",
        key=key,
    )
    return bool(rows)


def needs_to_release(graph: Graph) -> list[str]:
    """Keys of the non-public needs whose current words have no release."""
    rows = graph.read(
        "MATCH (n:Need) WHERE n.visibility <> 'public' AND NOT " + shareable("n") + " "
        "RETURN n.key AS key ORDER BY key"
    )
    return [row["key"] for row in rows]


def shared_needs_near_vector(graph: Graph, id: str, vector: list[float], k: int) -> list[Row]:
    """For a subscription of a university or analyst: open, shareable needs it has not listed
    (dated on or after its last visit), nearest first by what those readers may read (the
    released wording's vector), at most `k`; `semantic` is the cosine in -1..1."""
    return graph.read(
        "MATCH (s:Subscription {id: $id}) "
        "MATCH (n:Need {status: 'open'}) WHERE " + shareable("n") + " "
        "  AND NOT (s)-[:SEEN]->(n) AND (s.last_seen IS NULL OR n.created_at IS NULL "
        "       OR date(n.created_at) >= date(s.last_seen)) "
        "WITH n, " + shared_vector("n") + " AS v "
        "WITH n, CASE WHEN v IS NULL OR size(v) <> size($vector) THEN null "
        "  ELSE 2 * vector.similarity.cosine(v, $vector) - 1 END AS semantic "
        "ORDER BY coalesce(semantic, -2) DESC, n.key LIMIT $k "
        "OPTIONAL MATCH (o:Organization)-[:HAS_NEED]->(n) "
        "RETURN n {" + NEED_FIELDS + ", created_at: toString(n.created_at)} AS need, "
        "  o {.key, .name, .kind, .city, .district, .employees} AS organization, semantic",
        id=id,
        vector=vector,
        k=k,
    )


def shared_needs_near_competences(graph: Graph, org: str, k: int) -> list[Row]:
    """As `search.open_needs_near_competences`, for universities: only shareable needs, each
    compared by what they may read of it (the released wording's vector), all compared (the
    shareable open needs are few) instead of searched in the vector index."""
    return graph.read(
        "MATCH (o:Organization {key: $org}) "
        "MATCH (u:Organization)-[:PART_OF*0..4]->(o) "
        "CALL (u) { MATCH (u)-[:HAS_COMPETENCE]->(c:Competence) RETURN c "
        "  UNION MATCH (u)<-[:WORKS_AT]-(:Person)-[:HAS_COMPETENCE]->(c:Competence) RETURN c } "
        "WITH u, c WHERE c.embedding IS NOT NULL "
        "WITH collect({c: c, unit: u}) AS competences "
        "MATCH (asker:Organization)-[:HAS_NEED]->(n:Need {status: 'open'}) "
        "WHERE asker.key <> $org AND " + shareable("n") + " "
        "WITH n, " + shared_vector("n") + " AS v, competences WHERE v IS NOT NULL "
        "UNWIND competences AS cu "
        "WITH n, cu.c AS c, cu.unit AS u, CASE WHEN size(v) = size(cu.c.embedding) "
        "  THEN vector.similarity.cosine(cu.c.embedding, v) END AS score "
        "WHERE score IS NOT NULL "
        "ORDER BY score DESC "
        "WITH n, max(score) AS best, collect({key: c.key, title: c.title, text: c.text, "
        "  score: score, unit_key: u.key, unit_name: u.name})[..3] AS via "
        "RETURN n.key AS key, best AS score, via ORDER BY best DESC, key LIMIT $k",
        org=org,
        k=k,
    )


def shared_open_needs_with_vectors(graph: Graph) -> list[Row]:
    """As `search.open_needs_with_vectors`, as universities and analysts may read the needs:
    shareable ones only, by their released wording (title and vector)."""
    return graph.read(
        "MATCH (n:Need {status: 'open'}) WHERE " + shareable("n") + " "
        "WITH n, " + shared_vector("n") + " AS v WHERE v IS NOT NULL "
        "CALL (v) { CALL db.index.vector.queryNodes('competence_embedding', 3, v) "
        "  YIELD score RETURN max(score) AS best } "
        "RETURN n.key AS key, "
        "CASE WHEN n.visibility = 'public' THEN n.title ELSE n.shared_title END AS title, "
        "n.lang AS lang, v AS embedding, best ORDER BY key"
    )


def stale_shared_wordings(graph: Graph, model: str, limit: int) -> list[Row]:
    """Released wordings whose vector another model made (or none), at most `limit`."""
    return graph.read(
        "MATCH (n:Need) WHERE n.shared_title IS NOT NULL "
        "AND coalesce(n.shared_embedding_model, '') <> $model "
        "RETURN n.key AS key, n.shared_title AS title, n.shared_text AS text LIMIT $limit",
        model=model,
        limit=limit,
    )


def set_shared_embeddings(graph: Graph, rows: list[dict[str, Any]], model: str) -> None:
    """Store the vectors of released wordings (`rows`: key, embedding)."""
    graph.write(
        "UNWIND $rows AS row MATCH (n:Need {key: row.key}) "
        "SET n.shared_embedding = row.embedding, n.shared_embedding_model = $model",
        rows=rows,
        model=model,
    )
