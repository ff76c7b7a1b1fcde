"""Communities of the whole network in the graph: read the ties, store what `clustering` found.

`recompute(graph)` reads the organisations and the ties between them, runs
`graph.clustering.cluster` and writes back, on every organisation, `community` (its
community's key), `x`/`y` (the layout, computed once and kept), `strength` (weighted degree),
`betweenness` and `bridges`; and one `(:Community)` node per community with its size, label,
characteristic terms and trades, centre, links to other communities and its open needs and
how many of them are covered (an organisation of the same community has a fitting competence).

Needs are counted twice: `needs`/`covered` over every open need (staff), and
`shared_needs`/`shared_covered` over what universities and analysts may read
(`needs.shareable`, by the released wording's vector). In a community of fewer than
`K_ANONYMITY` organisations only public needs count for the latter, so a count cannot point at
a company's non-public need. Labels come from competences and trades only, never from needs.
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any, LiteralString

import numpy as np

from . import clustering
from .connection import Graph, Row
from .needs import shareable, shared_vector

K_ANONYMITY = 5
# Neo4j's cosine score is (1 + cos) / 2: 0.8 is a cosine of 0.6.
COVER_SCORE = 0.8
COVER_CANDIDATES = 20
BATCH = 2000


def _organizations(graph: Graph) -> list[Row]:
    return graph.read(
        "MATCH (o:Organization) "
        "CALL (o) { OPTIONAL MATCH (o)-[:PRACTISES]->(t:Trade) RETURN collect(t.name) AS trades } "
        "CALL (o) { OPTIONAL MATCH (o)-[:IN_INDUSTRY]->(i:Industry) "
        "  RETURN collect(i.name) AS industries } "
        "CALL (o) { OPTIONAL MATCH (o)-[:HAS_COMPETENCE]->(c:Competence) "
        "  RETURN collect(c.title) AS competences } "
        "RETURN o.key AS key, trades, industries, competences ORDER BY key"
    )


def _vectors(graph: Graph) -> dict[str, list[float]]:
    """The mean of each organisation's competence vectors (read in batches of organisations)."""
    out: dict[str, list[float]] = {}
    after = ""
    while True:
        rows = graph.read(
            "MATCH (o:Organization) WHERE o.key > $after WITH o ORDER BY o.key LIMIT $limit "
            "OPTIONAL MATCH (o)-[:HAS_COMPETENCE]->(c:Competence) WHERE c.embedding IS NOT NULL "
            "RETURN o.key AS key, collect(c.embedding) AS vectors ORDER BY key",
            after=after,
            limit=BATCH,
        )
        for row in rows:
            if row["vectors"]:
                out[row["key"]] = np.mean(np.asarray(row["vectors"], dtype=np.float32), 0).tolist()
        if len(rows) < BATCH:
            return out
        after = rows[-1]["key"]


def _pairs(graph: Graph, cypher: LiteralString) -> list[tuple[str, str]]:
    return [(row["a"], row["b"]) for row in graph.read(cypher)]


def _groups(graph: Graph, cypher: LiteralString) -> dict[str, list[str]]:
    return {row["key"]: row["members"] for row in graph.read(cypher)}


def read_ties(graph: Graph) -> tuple[list[clustering.Org], dict[tuple[str, str], float]]:
    """The organisations and the weighted ties between them (see `clustering`)."""
    orgs = [
        clustering.Org(
            key=row["key"],
            trades=tuple(row["trades"]),
            industries=tuple(row["industries"]),
            competences=tuple(t for t in row["competences"] if t),
        )
        for row in _organizations(graph)
    ]
    weights = clustering.weighted_edges(
        [org.key for org in orgs],
        cooperations=_pairs(
            graph,
            "MATCH (a:Organization)-[:COOPERATES_WITH]-(b:Organization) WHERE a.key < b.key "
            "RETURN DISTINCT a.key AS a, b.key AS b",
        ),
        units=_pairs(
            graph,
            "MATCH (a:Organization)-[:PART_OF]->(b:Organization) RETURN a.key AS a, b.key AS b",
        ),
        projects=_groups(
            graph,
            "MATCH (o:Organization)-[:PARTICIPATED_IN]->(p:Project) "
            "WITH p, collect(DISTINCT o.key) AS members WHERE size(members) > 1 "
            "RETURN p.key AS key, members",
        ),
        events=_groups(
            graph,
            "MATCH (o:Organization)-[:ATTENDED]->(e:Event) "
            "WITH e, collect(DISTINCT o.key) AS members WHERE size(members) > 1 "
            "RETURN e.key AS key, members",
        ),
        vectors=_vectors(graph),
    )
    return orgs, weights


def write(graph: Graph, result: clustering.Result) -> None:
    """Store the communities, layout and centrality (replacing the last computation's)."""
    rows = [
        {
            "key": key,
            "community": community,
            "x": result.position[key][0],
            "y": result.position[key][1],
            "strength": result.strength[key],
            "betweenness": result.betweenness[key],
            "bridges": result.bridges[key],
        }
        for key, community in result.community_of.items()
    ]
    for start in range(0, len(rows), BATCH):
        graph.write(
            "UNWIND $rows AS row MATCH (o:Organization {key: row.key}) "
            "SET o.community = row.community, o.x = row.x, o.y = row.y, "
            "o.strength = row.strength, o.betweenness = row.betweenness, o.bridges = row.bridges",
            rows=rows[start : start + BATCH],
        )
    graph.write("MATCH (c:Community) DETACH DELETE c")
    communities = [
        {
            "key": c.key,
            "size": len(c.members),
            "label": c.label,
            "terms": c.terms,
            "trades": c.trades,
            "x": round(c.x, 2),
            "y": round(c.y, 2),
            "links": list(c.links),
            "link_weights": [round(w, 3) for w in c.links.values()],
        }
        for c in result.communities
    ]
    for start in range(0, len(communities), BATCH):
        graph.write(
            "UNWIND $rows AS row CREATE (c:Community) SET c = row, c.computed_at = datetime()",
            rows=communities[start : start + BATCH],
        )


def _coverage_rows(graph: Graph, shared: bool) -> list[Row]:
    """Per open need (of an organisation in a community): its community, and whether an
    organisation of the same community has a fitting competence."""
    if shared:
        return graph.read(
            "MATCH (o:Organization)-[:HAS_NEED]->(n:Need {status: 'open'}) "
            "WHERE o.community IS NOT NULL AND " + shareable("n") + " "
            "WITH o, n, " + shared_vector("n") + " AS v WHERE v IS NOT NULL "
            "CALL (o, v) { CALL db.index.vector.queryNodes('competence_embedding', $k, v) "
            "  YIELD node, score WHERE score >= $cover "
            "  MATCH (node)<-[:HAS_COMPETENCE]-(p:Organization) "
            "  WHERE p <> o AND p.community = o.community RETURN count(p) > 0 AS covered } "
            "RETURN o.community AS community, n.visibility = 'public' AS public, covered",
            k=COVER_CANDIDATES,
            cover=COVER_SCORE,
        )
    return graph.read(
        "MATCH (o:Organization)-[:HAS_NEED]->(n:Need {status: 'open'}) "
        "WHERE o.community IS NOT NULL AND n.embedding IS NOT NULL "
        "CALL (o, n) { CALL db.index.vector.queryNodes('competence_embedding', $k, n.embedding) "
        "  YIELD node, score WHERE score >= $cover "
        "  MATCH (node)<-[:HAS_COMPETENCE]-(p:Organization) "
        "  WHERE p <> o AND p.community = o.community RETURN count(p) > 0 AS covered } "
        "RETURN o.community AS community, true AS public, covered",
        k=COVER_CANDIDATES,
        cover=COVER_SCORE,
    )


def write_coverage(graph: Graph, sizes: dict[str, int]) -> None:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in _coverage_rows(graph, shared=False):
        counts[row["community"]]["needs"] += 1
        counts[row["community"]]["covered"] += int(row["covered"])
    for row in _coverage_rows(graph, shared=True):
        if not row["public"] and sizes.get(row["community"], 0) < K_ANONYMITY:
            continue
        counts[row["community"]]["shared_needs"] += 1
        counts[row["community"]]["shared_covered"] += int(row["covered"])
    rows = [
        {
            "key": key,
            "needs": counts[key]["needs"],
            "covered": counts[key]["covered"],
            "shared_needs": counts[key]["shared_needs"],
            "shared_covered": counts[key]["shared_covered"],
        }
        for key in sizes
    ]
    for start in range(0, len(rows), BATCH):
        graph.write(
            "UNWIND $rows AS row MATCH (c:Community {key: row.key}) "
            "SET c.needs = row.needs, c.covered = row.covered, "
            "c.shared_needs = row.shared_needs, c.shared_covered = row.shared_covered",
            rows=rows[start : start + BATCH],
        )


def recompute(graph: Graph) -> dict[str, Any]:
    """Detect, lay out, label and store the communities; returns counts and seconds."""
    started = time.perf_counter()
    orgs, weights = read_ties(graph)
    read_s = time.perf_counter() - started
    result = clustering.cluster(orgs, weights)
    cluster_s = time.perf_counter() - started - read_s
    write(graph, result)
    write_coverage(graph, {c.key: len(c.members) for c in result.communities})
    return {
        "organizations": len(orgs),
        "ties": len(weights),
        "communities": len(result.communities),
        "read_s": round(read_s, 2),
        "cluster_s": round(cluster_s, 2),
        "total_s": round(time.perf_counter() - started, 2),
    }


# --- reads for the explorer -------------------------------------------------------------------


def list_communities(graph: Graph) -> list[Row]:
    return graph.read(
        "MATCH (c:Community) RETURN c {.*, computed_at: toString(c.computed_at)} AS community "
        "ORDER BY c.size DESC, c.key"
    )


def member_ids(graph: Graph, key: str, limit: int) -> list[str]:
    """Element ids of a community's organisations, the most central first."""
    rows = graph.read(
        "MATCH (o:Organization {community: $key}) "
        "WITH o ORDER BY o.strength DESC, o.key LIMIT $limit RETURN elementId(o) AS id",
        key=key,
        limit=limit,
    )
    return [row["id"] for row in rows]


def community_exists(graph: Graph, key: str) -> bool:
    return bool(graph.read("MATCH (c:Community {key: $key}) RETURN 1 AS found", key=key))
