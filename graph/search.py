"""Retrieval queries of the matcher: evidence by vector and by full text, and the facts about
candidate organisations that graph signals and explanations need.

Evidence is a competence or project with the organisations it speaks for: a competence's owner
(or, for a person's competence, the organisation the person works at) and a project's
participants. Each query returns plain rows; ranking happens in `matching`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any, LiteralString

from .connection import Graph, Row

_EVIDENCE_TAIL: LiteralString = (
    "CALL (node) { "
    "  OPTIONAL MATCH (owner:Organization)-[:HAS_COMPETENCE]->(node) "
    "  WITH node, collect(DISTINCT owner.key) AS direct "
    "  OPTIONAL MATCH (node)<-[:HAS_COMPETENCE]-(:Person)-[:WORKS_AT]->(employer:Organization) "
    "  WITH node, direct, collect(DISTINCT employer.key) AS employers "
    "  OPTIONAL MATCH (participant:Organization)-[:PARTICIPATED_IN]->(node) "
    "  WITH direct, employers, collect(DISTINCT participant.key) AS participants "
    "  RETURN direct + employers + participants AS orgs "
    "} "
    "RETURN node.key AS key, labels(node)[0] AS label, node.title AS title, node.text AS text, "
    "score, orgs"
)

# The HNSW search looks at as many candidates as it is asked for (Neo4j has no separate
# search width): asking for more than are kept (`breadth` > k) finds more of the true nearest
# at the cost of the index's time only; the evidence lookups still run for the k kept.
_VECTOR: dict[str, LiteralString] = {
    "Competence": "CALL db.index.vector.queryNodes('competence_embedding', $breadth, $vector) "
    "YIELD node, score WITH node, score ORDER BY score DESC LIMIT $k " + _EVIDENCE_TAIL,
    "Project": "CALL db.index.vector.queryNodes('project_embedding', $breadth, $vector) "
    "YIELD node, score WITH node, score ORDER BY score DESC LIMIT $k " + _EVIDENCE_TAIL,
}
_LUCENE_SPECIAL = re.compile(r'([+\-!(){}\[\]^"~*?:\\/]|&&|\|\|)')


def semantic_evidence(
    graph: Graph, vector: list[float], competences: int, projects: int, breadth: float = 1.0
) -> list[Row]:
    """The nearest competences and projects to `vector` (cosine), with their organisations:
    both indexes in one round trip, each searched `breadth` times as wide as it returns."""
    return graph.read(
        "CALL () { "
        "  CALL db.index.vector.queryNodes('competence_embedding', $competence_width, $vector) "
        "  YIELD node, score RETURN node, score ORDER BY score DESC LIMIT $competences "
        "  UNION ALL "
        "  CALL db.index.vector.queryNodes('project_embedding', $project_width, $vector) "
        "  YIELD node, score RETURN node, score ORDER BY score DESC LIMIT $projects "
        "} " + _EVIDENCE_TAIL,
        vector=vector,
        competences=competences,
        projects=projects,
        competence_width=max(competences, round(competences * breadth)),
        project_width=max(projects, round(projects * breadth)),
    )


def lexical_evidence(
    graph: Graph,
    text: str,
    competences: int,
    projects: int,
    *,
    max_terms: int = 64,
    extra: Sequence[str] = (),
    boost: float = 0.5,
    width: float = 1.0,
) -> list[Row]:
    """Competences and projects matching the words of `text` (BM25), both indexes in one round
    trip. Every text is indexed twice, with Lucene's German and English analyzers; a text's
    score comes from the analyzer of its own language (`lang`; German when unknown), so the
    query is searched both ways and each text is read the way it is written. Each index is
    asked for `width` times the hits kept, since texts of the other language take places
    among them. `extra`: indexed words added at `boost` (see `lucene_query`)."""
    query = lucene_query(text, max_terms, extra, boost)
    if not query:
        return []
    return graph.read(
        "CALL () { "
        "  CALL db.index.fulltext.queryNodes('competence_text', $query, "
        "    {limit: $competence_width}) "
        "  YIELD node, score WHERE coalesce(node.lang, 'de') <> 'en' "
        "  RETURN node, score ORDER BY score DESC LIMIT $competences "
        "  UNION ALL "
        "  CALL db.index.fulltext.queryNodes('competence_text_en', $query, "
        "    {limit: $competence_width}) "
        "  YIELD node, score WHERE node.lang = 'en' "
        "  RETURN node, score ORDER BY score DESC LIMIT $competences "
        "  UNION ALL "
        "  CALL db.index.fulltext.queryNodes('project_text', $query, {limit: $project_width}) "
        "  YIELD node, score WHERE coalesce(node.lang, 'de') <> 'en' "
        "  RETURN node, score ORDER BY score DESC LIMIT $projects "
        "  UNION ALL "
        "  CALL db.index.fulltext.queryNodes('project_text_en', $query, {limit: $project_width}) "
        "  YIELD node, score WHERE node.lang = 'en' "
        "  RETURN node, score ORDER BY score DESC LIMIT $projects "
        "} " + _EVIDENCE_TAIL,
        query=query,
        competences=competences,
        projects=projects,
        competence_width=max(competences, round(competences * width)),
        project_width=max(projects, round(projects * width)),
    )


def lexical_evidence_german(
    graph: Graph,
    text: str,
    competences: int,
    projects: int,
    *,
    max_terms: int = 64,
    extra: Sequence[str] = (),
    boost: float = 0.5,
) -> list[Row]:
    """`lexical_evidence` as before language-aware analysis: every text read as German (kept
    for `bench/levers.py`)."""
    query = lucene_query(text, max_terms, extra, boost)
    if not query:
        return []
    return graph.read(
        "CALL () { "
        "  CALL db.index.fulltext.queryNodes('competence_text', $query, {limit: $competences}) "
        "  YIELD node, score RETURN node, score "
        "  UNION ALL "
        "  CALL db.index.fulltext.queryNodes('project_text', $query, {limit: $projects}) "
        "  YIELD node, score RETURN node, score "
        "} " + _EVIDENCE_TAIL,
        query=query,
        competences=competences,
        projects=projects,
    )


def vector_evidence(
    graph: Graph, label: str, vector: list[float], k: int, breadth: float = 1.0
) -> list[Row]:
    """The `k` nearest competences or projects to `vector` (cosine), with their organisations,
    from a search `breadth` times as wide."""
    return graph.read(_VECTOR[label], vector=vector, k=k, breadth=max(k, round(k * breadth)))


# The German analyzer drops German stop words; English ones would match every English text.
_ENGLISH_STOP = frozenset(
    "a an and are as at be but by can could do for from has have i in into is it its need "
    "needs of on or our should so some that the their them they this to us want was we were "
    "will with would you your looking help".split()
)


def lucene_query(
    text: str, max_terms: int = 64, extra: Sequence[str] = (), boost: float = 0.5
) -> str:
    """The user's distinct words (at most `max_terms`) as an OR query: Lucene operators in the
    text are escaped, not run. `extra` words (indexed words standing for a query word the index
    lacks, `matching.compounds`) follow at `boost`, within the same `max_terms`."""
    words = [word.lower() for word in re.findall(r"[\w\-]+", text)]
    words = [w for w in words if len(w.strip("-")) >= 2 and w not in _ENGLISH_STOP]
    escaped = [_LUCENE_SPECIAL.sub(r"\\\1", word) for word in dict.fromkeys(words)]
    terms = escaped[:max_terms]
    room = max(max_terms - len(terms), 0)
    own = set(words)
    added = [w for w in dict.fromkeys(w.lower() for w in extra) if w not in own][:room]
    terms += [_LUCENE_SPECIAL.sub(r"\\\1", word) + f"^{boost:g}" for word in added]
    return " OR ".join(terms)


def organization_facts(
    graph: Graph, keys: list[str], asker: str | None, *, regions: bool = True
) -> list[Row]:
    """Name, kind, place, trades and regions (keys and lower-case names of the town, district and
    above; empty unless `regions`, a third of the query's time) of candidates; what they share
    with the asking company."""
    if asker is None:
        return _organization_facts_alone(graph, keys, regions)
    return graph.read(
        "UNWIND $keys AS key MATCH (o:Organization {key: key}) "
        "OPTIONAL MATCH (a:Organization {key: $asker}) "
        "CALL (o) { OPTIONAL MATCH (o)-[:PRACTISES]->(t:Trade) "
        "  RETURN collect(t.code) AS trades } "
        "CALL (o) { OPTIONAL MATCH (o)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(r:Region) "
        "  WHERE $regions "
        "  RETURN collect(DISTINCT r.key) + collect(DISTINCT toLower(r.name)) AS regions } "
        "CALL (o, a) { OPTIONAL MATCH (a)-[:PARTICIPATED_IN]->(p:Project)<-[:PARTICIPATED_IN]-(o) "
        "  RETURN collect(DISTINCT p.title) AS shared_projects } "
        "CALL (o, a) { OPTIONAL MATCH (a)-[:ATTENDED]->(e:Event)<-[:ATTENDED]-(o) "
        "  RETURN collect(DISTINCT e.name) AS shared_events } "
        "CALL (o, a) { OPTIONAL MATCH (a)-[c:COOPERATES_WITH]-(o) "
        "  RETURN count(c) AS cooperations } "
        "RETURN o.key AS key, o.name AS name, o.kind AS kind, o.city AS city, "
        "o.postcode AS postcode, o.lat AS lat, o.lon AS lon, trades, regions, "
        "shared_projects, shared_events, cooperations",
        keys=keys,
        asker=asker,
        regions=regions,
    )


def _organization_facts_alone(graph: Graph, keys: list[str], regions: bool) -> list[Row]:
    """The same facts when nobody asks: nothing can be shared, so nothing is looked up."""
    return graph.read(
        "UNWIND $keys AS key MATCH (o:Organization {key: key}) "
        "CALL (o) { OPTIONAL MATCH (o)-[:PRACTISES]->(t:Trade) "
        "  RETURN collect(t.code) AS trades } "
        "CALL (o) { OPTIONAL MATCH (o)-[:LOCATED_IN]->(:Region)-[:PART_OF*0..3]->(r:Region) "
        "  WHERE $regions "
        "  RETURN collect(DISTINCT r.key) + collect(DISTINCT toLower(r.name)) AS regions } "
        "RETURN o.key AS key, o.name AS name, o.kind AS kind, o.city AS city, "
        "o.postcode AS postcode, o.lat AS lat, o.lon AS lon, trades, regions, "
        "[] AS shared_projects, [] AS shared_events, 0 AS cooperations",
        keys=keys,
        regions=regions,
    )


def organization_place(graph: Graph, key: str) -> Row | None:
    rows = graph.read(
        "MATCH (o:Organization {key: $key}) RETURN o.key AS key, o.name AS name, "
        "o.lat AS lat, o.lon AS lon, o.postcode AS postcode",
        key=key,
    )
    return rows[0] if rows else None


def connecting_path(graph: Graph, asker: str, partner: str) -> list[Row]:
    """The shortest path through projects, events, parents or cooperations, as steps."""
    rows = graph.read(
        "MATCH (a:Organization {key: $asker}), (b:Organization {key: $partner}) "
        "MATCH p = shortestPath((a)-[:PARTICIPATED_IN|ATTENDED|PART_OF|COOPERATES_WITH*..4]-(b)) "
        "RETURN [n IN nodes(p) | {label: labels(n)[0], key: coalesce(n.key, n.code), "
        "name: coalesce(n.name, n.title)}] AS steps, "
        "[r IN relationships(p) | type(r)] AS types",
        asker=asker,
        partner=partner,
    )
    if not rows:
        return []
    steps: list[dict[str, Any]] = rows[0]["steps"]
    for step, kind in zip(steps[1:], rows[0]["types"], strict=True):
        step["via"] = kind
    return steps


def open_needs_near_competences(graph: Graph, org: str, k: int) -> list[Row]:
    """Open needs nearest to any competence of `org`, of its units (chairs, institutes, groups
    below it) and of their people, best score each; `via` names the unit holding each."""
    return graph.read(
        "MATCH (o:Organization {key: $org}) "
        "MATCH (u:Organization)-[:PART_OF*0..4]->(o) "
        "CALL (u) { MATCH (u)-[:HAS_COMPETENCE]->(c:Competence) RETURN c "
        "  UNION MATCH (u)<-[:WORKS_AT]-(:Person)-[:HAS_COMPETENCE]->(c:Competence) RETURN c } "
        "WITH u, c WHERE c.embedding IS NOT NULL "
        "CALL db.index.vector.queryNodes('need_embedding', $k, c.embedding) YIELD node, score "
        "WITH node, u, c, score WHERE node.status = 'open' "
        "MATCH (asker:Organization)-[:HAS_NEED]->(node) WHERE asker.key <> $org "
        "WITH node, asker, u, c, score ORDER BY score DESC "
        "WITH node, asker, max(score) AS best, "
        "  collect({key: c.key, title: c.title, text: c.text, score: score, unit_key: u.key, "
        "  unit_name: u.name}) AS via "
        "RETURN node.key AS key, node.title AS title, node.text AS text, "
        "node.visibility AS visibility, node.created_at AS created_at, asker.key AS org_key, "
        "asker.name AS org_name, asker.city AS org_city, best AS score, via "
        "ORDER BY best DESC, key LIMIT $k",
        org=org,
        k=k,
    )


def organizations_near_competences(graph: Graph, org: str, k: int) -> list[Row]:
    """Other organisations whose competences lie nearest to those of `org`."""
    return graph.read(
        "MATCH (o:Organization {key: $org})-[:HAS_COMPETENCE]->(c:Competence) "
        "WHERE c.embedding IS NOT NULL "
        "CALL db.index.vector.queryNodes('competence_embedding', $k, c.embedding) "
        "YIELD node, score "
        "MATCH (other:Organization)-[:HAS_COMPETENCE]->(node) WHERE other.key <> $org "
        "WITH other, c, max(score) AS best "
        "WITH other, sum(best) / count(c) AS similarity, count(c) AS shared "
        "RETURN other.key AS key, other.name AS name, other.kind AS kind, other.city AS city, "
        "similarity, shared ORDER BY similarity DESC, key LIMIT $limit",
        org=org,
        k=k,
        limit=k,
    )


def open_needs_with_vectors(graph: Graph) -> list[Row]:
    """Every open need with its vector and how well the region's best competence covers it."""
    return graph.read(
        "MATCH (n:Need {status: 'open'}) WHERE n.embedding IS NOT NULL "
        "CALL (n) { CALL db.index.vector.queryNodes('competence_embedding', 3, n.embedding) "
        "  YIELD score RETURN max(score) AS best } "
        "RETURN n.key AS key, n.title AS title, n.text AS text, n.lang AS lang, "
        "n.embedding AS embedding, best ORDER BY key"
    )


def all_evidence_texts(graph: Graph) -> list[Row]:
    """Every competence and project with its text, language and organisations (the corpus of
    the BM25 reference ranking in `matching.bm25`; small graphs only)."""
    return graph.read(
        "MATCH (node) WHERE node:Competence OR node:Project "
        "WITH node, 0.0 AS score " + _EVIDENCE_TAIL + ", node.lang AS lang ORDER BY key"
    )


def evidence_count(graph: Graph) -> int:
    """How many competences and projects the graph holds (from the count store: no scan)."""
    rows = graph.read(
        "CALL () { MATCH (c:Competence) RETURN count(c) AS n "
        "  UNION ALL MATCH (p:Project) RETURN count(p) AS n } RETURN sum(n) AS total"
    )
    return int(rows[0]["total"]) if rows else 0


def indexed_texts(graph: Graph) -> Iterator[str]:
    """The titles and texts the full-text indexes of evidence hold (competences and projects):
    what `matching.compounds` reads the index's vocabulary from. Streamed: 1M texts are read
    one batch at a time, never held together."""
    for row in graph.stream(
        "MATCH (node) WHERE node:Competence OR node:Project "
        "RETURN coalesce(node.title, '') + ' ' + coalesce(node.text, '') AS text"
    ):
        yield str(row["text"])


def similarity_of(graph: Graph, keys: Sequence[str], vector: list[float]) -> dict[str, float]:
    """Exact cosine of `vector` to the competences and projects with these keys (on the vector
    indexes' scale, (1 + cosine) / 2), for evidence the approximate vector search did not
    return; texts without a vector are left out."""
    rows = graph.read(
        "UNWIND $keys AS key "
        "CALL (key) { MATCH (n:Competence {key: key}) RETURN n "
        "  UNION MATCH (n:Project {key: key}) RETURN n } "
        "WITH key, n WHERE n.embedding IS NOT NULL "
        "RETURN key, vector.similarity.cosine(n.embedding, $vector) AS score",
        keys=list(keys),
        vector=vector,
    )
    return {str(row["key"]): float(row["score"]) for row in rows}
