"""Discovery and explorer queries: organisation search and profiles, neighbourhoods, node search,
whole-graph export.

Every function returns plain rows (Neo4j temporal values as ISO strings, embeddings left out).
What a caller may see is decided in two places: here, `restricted=True` keeps out what must
never be connected for universities and analysts (a company's non-public needs, feedback on
suggestions, people working at companies); the service then shapes each row for the role.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, LiteralString

from .connection import Graph, Row
from .model import COMPANY_KINDS, Label
from .needs import NEED_FIELDS, shareable, shared_vector
from .search import lucene_query

# Labels the explorer shows, content before the reference hubs; ApiKey and SchemaMeta are
# bookkeeping and never leave the graph.
LABELS: tuple[Label, ...] = tuple(Label)
# When a neighbourhood must be cut, content comes before the reference hubs.
LABEL_RANK: dict[str, int] = {label: rank for rank, label in enumerate(LABELS)}
_COMPANY_KINDS: list[str] = sorted(COMPANY_KINDS)  # a query parameter
_INTERNAL = frozenset(
    {
        "embedding",
        "embedding_model",
        "embedding_dim",
        "text_hash",
        "hash",
        "shared_embedding",
        "shared_embedding_model",
    }
)


def plain(value: Any) -> Any:
    """Neo4j temporal values as ISO strings; everything else as it is."""
    if hasattr(value, "iso_format"):
        return value.iso_format()
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def _plain_rows(rows: Iterable[Row]) -> list[Row]:
    return [plain(row) for row in rows]


def _props(props: dict[str, Any] | None) -> dict[str, Any]:
    """A node's properties without vectors and bookkeeping hashes."""
    return {k: plain(v) for k, v in (props or {}).items() if k not in _INTERNAL and v is not None}


def prefix_query(text: str) -> str:
    """Every word of `text` must match, as typed or as the start of a word (search as you type).

    Words are escaped by `lucene_query`, so Lucene syntax in the text is searched, not run.
    """
    words = [w for w in lucene_query(text).split(" OR ") if w]
    return " AND ".join(f"({w} OR {w}*)" for w in words)


# --- organisation list ----------------------------------------------------------------------------

_ORG_FILTER: LiteralString = (
    "WHERE ($kind IS NULL OR o.kind = $kind) "
    "AND ($trade IS NULL OR EXISTS { (o)-[:PRACTISES]->(t:Trade) "
    "  WHERE t.code = $trade OR toLower(t.name) = toLower($trade) }) "
    "AND ($region IS NULL OR toLower(o.district) = toLower($region) "
    "  OR toLower(o.city) = toLower($region) "
    "  OR EXISTS { (o)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..4]->(r:Region) "
    "    WHERE r.key = $region OR toLower(r.name) = toLower($region) }) "
    "AND ($after_name IS NULL OR name > $after_name "
    "  OR (name = $after_name AND o.key > $after_key)) "
)
_ORG_ROW: LiteralString = (
    "WITH o, name ORDER BY name, o.key LIMIT $limit "
    "CALL (o) { OPTIONAL MATCH (o)-[:PRACTISES]->(t:Trade) RETURN collect(t.code) AS trades } "
    "CALL (o) { OPTIONAL MATCH path = (o)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..4]->"
    "  (r:Region {kind: 'region'}) WITH r ORDER BY length(path) "
    "  RETURN head(collect(r.name)) AS region } "
    "RETURN o.key AS key, name, o.kind AS kind, o.city AS city, "
    "o.district AS district, trades, region ORDER BY name, key"
)
# Sorted by name; an organisation without one (none comes from the ingest) by its key.
_ORG_NAME: LiteralString = "WITH o, coalesce(o.name, o.key) AS name "
_ORGS_ALL: LiteralString = "MATCH (o:Organization) " + _ORG_NAME + _ORG_FILTER + _ORG_ROW
_ORGS_TEXT: LiteralString = (
    "CALL db.index.fulltext.queryNodes('organization_text', $query) YIELD node AS o "
    + _ORG_NAME
    + _ORG_FILTER
    + _ORG_ROW
)


def search_organizations(
    graph: Graph,
    *,
    q: str | None = None,
    kind: str | None = None,
    region: str | None = None,
    trade: str | None = None,
    after: tuple[str, str] | None = None,
    limit: int = 50,
) -> list[Row]:
    """Organisations by name then key, after the (name, key) of the previous page's last one.

    `q` searches name and description (German full text, words as prefixes, all must match);
    `region` is a Region key or name at any level, or a district or town name; `trade` a trade
    code or name. Returns at most `limit` rows: ask for one more to know whether a page follows.
    """
    params: dict[str, Any] = {
        "kind": kind,
        "region": region,
        "trade": trade,
        "after_name": after[0] if after else None,
        "after_key": after[1] if after else None,
        "limit": limit,
    }
    if q and q.strip():
        query = prefix_query(q)
        if not query:
            return []  # only punctuation or stop words: nothing can match
        return _plain_rows(graph.read(_ORGS_TEXT, query=query, **params))
    return _plain_rows(graph.read(_ORGS_ALL, **params))


# --- organisation profile -------------------------------------------------------------------------


def organization_profile(graph: Graph, key: str) -> Row | None:
    """An organisation with everything around it; the caller shapes it for the role."""
    rows = graph.read(
        "MATCH (o:Organization {key: $key}) "
        "CALL (o) { OPTIONAL MATCH (o)-[:PART_OF]->(p:Organization) "
        "  RETURN head(collect(p {.key, .name, .kind})) AS parent } "
        "CALL (o) { OPTIONAL MATCH (c:Organization)-[:PART_OF]->(o) WITH c ORDER BY c.name "
        "  RETURN collect(c {.key, .name, .kind}) AS children } "
        "CALL (o) { OPTIONAL MATCH (o)-[:PRACTISES]->(t:Trade) WITH t ORDER BY t.code "
        "  RETURN collect(t {.code, .name}) AS trades } "
        "CALL (o) { OPTIONAL MATCH (o)-[:IN_INDUSTRY]->(i:Industry) WITH i ORDER BY i.code "
        "  RETURN collect(i {.code, .name}) AS industries } "
        "CALL (o) { OPTIONAL MATCH path = (o)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..4]->(r:Region) "
        "  WITH r, length(path) AS depth ORDER BY depth "
        "  RETURN collect(r {.key, .name, .kind}) AS regions } "
        "CALL (o) { OPTIONAL MATCH (o)-[:HAS_COMPETENCE]->(c:Competence) "
        "  RETURN collect(c {.key, .title, .text}) AS own } "
        "CALL (o) { OPTIONAL MATCH (o)<-[:WORKS_AT]-(:Person)-[:HAS_COMPETENCE]->(c:Competence) "
        "  RETURN collect(DISTINCT c {.key, .title, .text}) AS of_people } "
        "CALL (o) { OPTIONAL MATCH (p:Person)-[:WORKS_AT]->(o) WITH p ORDER BY p.name "
        "  RETURN collect(p {.key, .name, .title, .role, .email}) AS people } "
        "CALL (o) { OPTIONAL MATCH (o)-[r:PARTICIPATED_IN]->(p:Project) WITH p, r ORDER BY p.title "
        "  RETURN collect(p {.key, .title, role: r.role}) AS projects } "
        "CALL (o) { OPTIONAL MATCH (o)-[:ATTENDED]->(e:Event) WITH e ORDER BY e.date DESC "
        "  RETURN collect(e {.key, .name, .date}) AS events } "
        "CALL (o) { OPTIONAL MATCH (o)-[:HAS_NEED]->(n:Need {status: 'open'}) "
        "  WITH n ORDER BY n.created_at DESC, n.key "
        "  RETURN collect(n {.key, .title, .text, .lang, .status, .visibility, .created_at}) "
        "  AS needs } "
        "RETURN o {.*, embedding: null} AS organization, parent, children, trades, industries, "
        "regions, own + [c IN of_people WHERE NOT c IN own] AS competences, people, projects, "
        "events, needs",
        key=key,
    )
    if not rows:
        return None
    row: dict[str, Any] = plain(rows[0])
    row["organization"] = _props(row["organization"])
    return row


def needs_with_organizations(graph: Graph, keys: list[str]) -> list[Row]:
    """Needs by key with the organisation that has them (None if it has none), in key order."""
    rows = graph.read(
        "UNWIND $keys AS key MATCH (n:Need {key: key}) "
        "OPTIONAL MATCH (o:Organization)-[:HAS_NEED]->(n) "
        "WITH n, head(collect(o)) AS o "
        "RETURN n {" + NEED_FIELDS + ", .created_at} AS need, "
        "CASE WHEN o IS NULL THEN null ELSE o {.key, .name, .kind, .city, .district, .employees} "
        "END AS organization ORDER BY n.key",
        keys=keys,
    )
    return _plain_rows(rows)


def is_within(graph: Graph, key: str, ancestor: str) -> bool:
    """Whether organisation `key` is `ancestor` or one of its units (chair -> faculty -> ...)."""
    rows = graph.read(
        "MATCH (o:Organization {key: $key}) "
        "RETURN EXISTS { (o)-[:PART_OF*0..6]->(:Organization {key: $ancestor}) } AS within",
        key=key,
        ancestor=ancestor,
    )
    return bool(rows and rows[0]["within"])


def organization_exists(graph: Graph, key: str) -> bool:
    return bool(graph.read("MATCH (o:Organization {key: $key}) RETURN 1 AS found", key=key))


# --- neighbourhood --------------------------------------------------------------------------------

# What `restricted` hides: feedback on suggestions, the tie between a company and its
# non-public needs, and people working at companies (their contact data).
_EDGE_VISIBLE: LiteralString = (
    "(NOT $restricted OR NOT (type(r) = 'FEEDBACK' OR (type(r) = 'HAS_NEED' "
    "  AND coalesce(endNode(r).visibility, 'confidential') <> 'public')))"
)
# For them a need exists only in a wording staff released (`needs.shareable`), and for
# universities only while it is open or in progress (`$need_statuses`).
_NODE_VISIBLE: LiteralString = (
    "(any(l IN labels(b) WHERE l IN $labels) AND (NOT $restricted OR NOT (b:Person AND "
    "  EXISTS { (b)-[:WORKS_AT]->(c:Organization) WHERE c.kind IN $company_kinds })) "
    "  AND (NOT b:Need OR ((NOT $restricted OR " + shareable("b") + ") "
    "  AND ($need_statuses IS NULL OR b.status IN $need_statuses))))"
)

_START: dict[str, LiteralString] = {
    "Organization": "MATCH (b:Organization {key: $key}) ",
    "Competence": "MATCH (b:Competence {key: $key}) ",
    # a non-public need is found by the key its readers know (`shared_id`), never by its own
    "Need": "CALL () { MATCH (b:Need {key: $key}) WHERE NOT $restricted OR b.visibility = "
    "'public' RETURN b UNION MATCH (b:Need {shared_id: $key}) WHERE $restricted RETURN b } "
    "WITH b ",
    "Project": "MATCH (b:Project {key: $key}) ",
    "Event": "MATCH (b:Event {key: $key}) ",
    "Person": "MATCH (b:Person {key: $key}) ",
    "Trade": "MATCH (b:Trade {code: $key}) ",
    "Industry": "MATCH (b:Industry {code: $key}) ",
    "Region": "MATCH (b:Region {key: $key}) ",
}
_START_TAIL: LiteralString = (
    "WHERE " + _NODE_VISIBLE + " RETURN elementId(b) AS id, $label AS label"
)


def find_node(
    graph: Graph,
    key: str,
    label: str | None,
    *,
    restricted: bool,
    labels: Iterable[str] = LABELS,
    need_statuses: list[str] | None = None,
) -> tuple[str, str] | None:
    """(element id, label) of the node with this key: of `label`, else the first label that has
    it, organisations first. None when there is none the caller may see."""
    for candidate in [label] if label else LABELS:
        if candidate not in _START:
            continue
        rows = graph.read(
            _START[candidate] + _START_TAIL,
            key=key,
            label=candidate,
            labels=list(set(labels) | {candidate}),
            restricted=restricted,
            company_kinds=_COMPANY_KINDS,
            need_statuses=need_statuses,
        )
        if rows:
            return rows[0]["id"], candidate
    return None


def neighbours(
    graph: Graph,
    frontier: list[str],
    seen: list[str],
    *,
    room: int,
    labels: Iterable[str],
    kinds: Iterable[str] | None,
    restricted: bool,
    need_statuses: list[str] | None = None,
) -> list[str]:
    """Up to `room` nodes one step from `frontier` and not yet `seen`, content first."""
    rows = graph.read(
        "UNWIND $frontier AS id MATCH (a) WHERE elementId(a) = id "
        "MATCH (a)-[r]-(b) WHERE NOT elementId(b) IN $seen AND " + _EDGE_VISIBLE + " AND "
        "" + _NODE_VISIBLE + " AND ($kinds IS NULL OR NOT b:Organization OR b.kind IN $kinds) "
        "WITH DISTINCT b "
        "WITH b, $rank[head([l IN labels(b) WHERE l IN $labels])] AS rank, "
        "coalesce(b.key, b.code) AS key ORDER BY rank, key LIMIT $room "
        "RETURN elementId(b) AS id",
        frontier=frontier,
        seen=seen,
        room=room,
        labels=list(labels),
        kinds=list(kinds) if kinds else None,
        restricted=restricted,
        company_kinds=_COMPANY_KINDS,
        need_statuses=need_statuses,
        rank=LABEL_RANK,
    )
    return [row["id"] for row in rows]


def nodes_by_id(
    graph: Graph, ids: list[str], *, restricted: bool, need_statuses: list[str] | None = None
) -> list[Row]:
    """The nodes with their properties, the degree the caller may see, for needs and people
    the organisations they belong to (redaction describes companies by them), and for
    organisations the codes and names of the trades they practise (sorted by code) and their
    community (`graph.communities`) with its need counts."""
    rows = graph.read(
        "UNWIND $ids AS id MATCH (b) WHERE elementId(b) = id "
        "WITH b, head([l IN labels(b) WHERE l IN $labels]) AS label "
        "CALL (b) { MATCH (b)-[r]-(other) WHERE " + _EDGE_VISIBLE + " AND "
        "  any(l IN labels(other) WHERE l IN $labels) AND "
        "  (NOT $restricted OR NOT (other:Person AND EXISTS { (other)-[:WORKS_AT]->"
        "  (c:Organization) WHERE c.kind IN $company_kinds })) "
        "  AND (NOT other:Need OR $need_statuses IS NULL OR other.status IN $need_statuses) "
        "  RETURN count(r) AS degree } "
        "CALL (b) { OPTIONAL MATCH (o:Organization)-[:HAS_NEED]->(b) "
        "  RETURN head(collect(o {.key, .name, .kind, .city, .district, .employees})) AS owner } "
        "CALL (b) { OPTIONAL MATCH (b)-[:WORKS_AT]->(e:Organization) "
        "  RETURN collect(e.kind) AS employer_kinds } "
        "CALL (b) { OPTIONAL MATCH path = (b)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..4]->"
        "  (r:Region {kind: 'region'}) WITH r ORDER BY length(path) "
        "  RETURN head(collect(r.name)) AS region } "
        "CALL (b) { OPTIONAL MATCH (b)-[:PRACTISES]->(t:Trade) WITH t ORDER BY t.code "
        "  RETURN collect(t.code) AS trades, collect(t.name) AS trade_names } "
        "CALL (b) { OPTIONAL MATCH (cm:Community {key: b.community}) "
        "  RETURN head(collect(cm {.key, .label, .size, .needs, .covered, .shared_needs, "
        "  .shared_covered})) AS community } "
        "RETURN elementId(b) AS id, label, b {.*, embedding: null, shared_embedding: null} "
        "AS props, b.text_hash AS text_hash, degree, owner, employer_kinds, region, trades, "
        "trade_names, community",
        ids=ids,
        labels=list(LABELS),
        restricted=restricted,
        company_kinds=_COMPANY_KINDS,
        need_statuses=need_statuses,
    )
    out = []
    for row in rows:
        row = plain(row)
        row["props"] = _props(row["props"])
        out.append(row)
    return out


def edges_between(graph: Graph, ids: list[str], *, restricted: bool, limit: int) -> list[Row]:
    """Relationships among the given nodes that the caller may see (at most `limit`)."""
    return graph.read(
        "MATCH (a)-[r]->(b) WHERE elementId(a) IN $ids AND elementId(b) IN $ids AND "
        + _EDGE_VISIBLE
        + " RETURN elementId(r) AS id, elementId(a) AS source, elementId(b) AS target, "
        "type(r) AS type LIMIT $limit",
        ids=ids,
        restricted=restricted,
        limit=limit,
    )


# --- whole graph ----------------------------------------------------------------------------

# Content nodes, and only those trades, industries and regions that organisations link to.
_EXPORTED: LiteralString = (
    _NODE_VISIBLE + " AND (NOT (b:Trade OR b:Industry OR b:Region) "
    "OR EXISTS { (b)<-[:PRACTISES|IN_INDUSTRY|LOCATED_IN]-(:Organization) })"
)


def all_node_ids(
    graph: Graph, *, restricted: bool, limit: int, need_statuses: list[str] | None = None
) -> list[str]:
    """The explorer's nodes of the whole graph, content first; at most `limit`."""
    rows = graph.read(
        "MATCH (b) WHERE " + _EXPORTED + " "
        "WITH b, $rank[head([l IN labels(b) WHERE l IN $labels])] AS rank, "
        "coalesce(b.key, b.code) AS key ORDER BY rank, key LIMIT $limit "
        "RETURN elementId(b) AS id",
        labels=list(LABELS),
        restricted=restricted,
        company_kinds=_COMPANY_KINDS,
        need_statuses=need_statuses,
        rank=LABEL_RANK,
        limit=limit,
    )
    return [row["id"] for row in rows]


def all_edges(
    graph: Graph, *, restricted: bool, limit: int, need_statuses: list[str] | None = None
) -> list[Row]:
    """Visible relationships between nodes of `all_node_ids` (the caller drops those whose
    ends the node limit left out: checking membership here would scan a list per edge)."""
    return list(
        stream_all_edges(graph, restricted=restricted, limit=limit, need_statuses=need_statuses)
    )


_ALL_EDGES: LiteralString = (
    "MATCH (a)-[r]->(b) WHERE " + _EDGE_VISIBLE + " AND " + _EXPORTED + " "
    "WITH r, a AS b, b AS target WHERE " + _EXPORTED + " "
)


def stream_all_edges(
    graph: Graph,
    *,
    restricted: bool,
    limit: int,
    timeout_s: float | None = None,
    need_statuses: list[str] | None = None,
) -> Iterator[Row]:
    """`all_edges` one at a time, in the same order, without holding them all."""
    return graph.stream(
        _ALL_EDGES + "RETURN elementId(r) AS id, elementId(b) AS source, "
        "elementId(target) AS target, type(r) AS type LIMIT $limit",
        timeout_s=timeout_s,
        labels=list(LABELS),
        restricted=restricted,
        company_kinds=_COMPANY_KINDS,
        need_statuses=need_statuses,
        limit=limit,
    )


def count_all_edges(
    graph: Graph, *, restricted: bool, limit: int, need_statuses: list[str] | None = None
) -> int:
    """How many rows `all_edges` would give, counted up to `limit` (an export decides from it
    whether it is truncated before it writes anything)."""
    rows = graph.read(
        "CALL () { " + _ALL_EDGES + "RETURN r LIMIT $limit } RETURN count(*) AS n",
        labels=list(LABELS),
        restricted=restricted,
        company_kinds=_COMPANY_KINDS,
        need_statuses=need_statuses,
        limit=limit,
    )
    return int(rows[0]["n"])


# --- node search ----------------------------------------------------------------------------------


def search_nodes(graph: Graph, q: str, limit: int) -> list[Row]:
    """Organisations, competences, trades and regions whose names fit `q` (for the explorer)."""
    query = prefix_query(q)
    needle = q.strip().lower()
    if not needle:
        return []
    rows = graph.read(
        "CALL () { "
        "  UNWIND [q IN [$query] WHERE q <> ''] AS query "
        "  CALL db.index.fulltext.queryNodes('organization_text', query, {limit: $limit}) "
        "  YIELD node, score "
        "  RETURN node.key AS key, 'Organization' AS label, node.name AS name, "
        "  node.kind AS kind, score "
        "  UNION ALL "
        "  UNWIND [q IN [$query] WHERE q <> ''] AS query "
        "  CALL db.index.fulltext.queryNodes('competence_text', query, {limit: $limit}) "
        "  YIELD node, score "
        "  RETURN node.key AS key, 'Competence' AS label, node.title AS name, "
        "  null AS kind, score * 0.9 AS score "
        "  UNION ALL "
        "  MATCH (t:Trade) WHERE toLower(t.name) CONTAINS $needle OR toLower(t.code) = $needle "
        "  RETURN t.code AS key, 'Trade' AS label, t.name AS name, t.annex AS kind, "
        "  CASE WHEN toLower(t.name) STARTS WITH $needle OR toLower(t.code) = $needle "
        "  THEN 1000.0 ELSE 500.0 END AS score "
        "  UNION ALL "
        "  MATCH (r:Region) WHERE toLower(r.name) CONTAINS $needle OR r.key = $needle "
        "  RETURN r.key AS key, 'Region' AS label, r.name AS name, r.kind AS kind, "
        "  CASE WHEN toLower(r.name) STARTS WITH $needle OR r.key = $needle "
        "  THEN 1000.0 ELSE 500.0 END AS score "
        "} "
        "RETURN key, label, name, kind ORDER BY score DESC, name, key LIMIT $limit",
        query=query,
        needle=needle,
        limit=limit * 3,
    )
    # Trades and regions are few and named exactly: a name match ranks above any text score.
    # Many competences share a title; one of each is enough to find them.
    seen: set[tuple[str, str]] = set()
    found = []
    for row in rows:
        shown = (row["label"], (row["name"] or "").lower())
        if row["label"] == Label.Competence and shown in seen:
            continue
        seen.add(shown)
        found.append(row)
    return found[:limit]


def region_hierarchy(graph: Graph, keys: list[str]) -> dict[str, dict[str, list[str]]]:
    """For each Region key: `within`, the names of the regions it lies in (nearest first), and
    `contains`, those of the regions that lie in it (by name). Reference data only
    (municipality -> district -> Regierungsbezirk -> state); unknown keys are left out."""
    rows = graph.read(
        "UNWIND $keys AS key MATCH (r:Region {key: key}) "
        "CALL (r) { OPTIONAL MATCH path = (r)-[:PART_OF*1..4]->(up:Region) "
        "  WITH up ORDER BY length(path) RETURN collect(up.name) AS within } "
        "CALL (r) { OPTIONAL MATCH (r)<-[:PART_OF*1..4]-(down:Region) "
        "  WITH DISTINCT down ORDER BY down.name RETURN collect(down.name) AS contains } "
        "RETURN r.key AS key, within, contains",
        keys=keys,
    )
    return {row["key"]: {"within": row["within"], "contains": row["contains"]} for row in rows}


# --- CSV export -----------------------------------------------------------------------------------


def organizations_for_export(graph: Graph, limit: int, *, after: str | None = None) -> list[Row]:
    """Organisations as the canonical organizations.csv has them, by key (those after `after`:
    an export reads them a batch at a time)."""
    rows = graph.read(
        "MATCH (o:Organization) WHERE $after IS NULL OR o.key > $after "
        "WITH o ORDER BY o.key LIMIT $limit "
        "CALL (o) { OPTIONAL MATCH (o)-[:PRACTISES]->(t:Trade) WITH t ORDER BY t.code "
        "  RETURN collect(t.code) AS trades } "
        "CALL (o) { OPTIONAL MATCH (o)-[:IN_INDUSTRY]->(i:Industry) WITH i ORDER BY i.code "
        "  RETURN collect(i.code) AS industries } "
        "CALL (o) { OPTIONAL MATCH (o)-[:PART_OF]->(p:Organization) "
        "  RETURN head(collect(p.key)) AS parent_key } "
        "RETURN o {.*, embedding: null} AS organization, trades, industries, parent_key",
        limit=limit,
        after=after,
    )
    out = []
    for row in rows:
        org = _props(row["organization"])
        org.update(trades=row["trades"], industries=row["industries"], parent_key=row["parent_key"])
        out.append(org)
    return out


def count_organizations(graph: Graph) -> int:
    return int(graph.read("MATCH (o:Organization) RETURN count(o) AS n")[0]["n"])


# --- needs and who could serve them ------------------------------------------------------------


def fitting_organizations(
    graph: Graph, need_ids: list[str], per_need: int, *, restricted: bool
) -> list[Row]:
    """For each need (element ids) the `per_need` organisations whose competences fit it best
    (vector index), other than the need's own; for `restricted` callers by the released
    wording's vector. Rows: need, organization (element ids), score (0..1)."""
    return graph.read(
        "UNWIND $ids AS id MATCH (n:Need) WHERE elementId(n) = id "
        "WITH n, CASE WHEN $restricted THEN " + shared_vector("n") + " ELSE n.embedding END AS v "
        "WHERE v IS NOT NULL "
        "CALL (n, v) { CALL db.index.vector.queryNodes('competence_embedding', $k, v) "
        "  YIELD node, score "
        "  MATCH (node)<-[:HAS_COMPETENCE]-(o:Organization) "
        "  WHERE NOT (o)-[:HAS_NEED]->(n) "
        "  WITH o, max(score) AS score ORDER BY score DESC, o.key LIMIT $per_need "
        "  RETURN o, score } "
        "RETURN elementId(n) AS need, elementId(o) AS organization, score",
        ids=need_ids,
        restricted=restricted,
        k=per_need * 10,
        per_need=per_need,
    )
