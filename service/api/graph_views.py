"""The graph explorer: a bounded neighbourhood around a node, and node search.

A neighbourhood is grown breadth first from the start node, one query per step, so a hub (a
town, a trade) can never pull the whole graph in: each step takes at most what is left of
`limit`, organisations and their competences, needs and projects before the reference nodes,
and `truncated` says when something was left out.

For universities and analysts the graph queries leave out what would tie a company to a
non-public need (its HAS_NEED edge, feedback on suggestions) and people working at companies;
every node is then shaped by `service.redact`, so such a need appears, if at all, anonymised
and unconnected. The same builders serve the GraphML and GEXF exports.
"""

from __future__ import annotations

import pickle
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from graph import communities as community_queries
from graph import explore
from graph.connection import Graph
from graph.model import COMPANY_KINDS, HUB_LABELS, Label, OrgKind, Visibility
from partnergraph.errors import NotFound, TimedOut
from service.auth import Principal, Role, require
from service.deps import GraphDep
from service.exports import AttributeTypes
from service.redact import need_view, organization_view, person_view

from .models import UNIVERSITY_STATUSES, problem_responses

router = APIRouter(tags=["graph"])
readers = require(Role.staff, Role.university, Role.analyst)

NodeKey = Annotated[
    str,
    Query(
        min_length=1,
        max_length=300,
        description="A node's id as the explorer returns it (`Organization:org-brandt`, "
        "`Trade:A13`), or a plain key (organisations first)",
        examples=["org-brandt", "Organization:org-brandt"],
    ),
]
EDGES_PER_NODE = 10  # a neighbourhood's edges are cut at this many per node shown
# Without `hubs` a neighbourhood is grown without the reference nodes (graph.model.HUB_LABELS:
# towns and districts, industries, trades); they stay attributes of the organisations.


# --- models ---------------------------------------------------------------------------------------


class GraphNode(BaseModel):
    id: str = Field(description="`Label:key`, stable across requests")
    label: str
    kind: str | None = Field(None, description="Organisation, region or event kind")
    name: str | None
    city: str | None = None
    region: str | None = Field(None, description="An organisation's Regierungsbezirk")
    degree: int = Field(description="Relationships the caller may see, also outside this view")
    data: dict[str, Any] = Field(
        description="The node's fields as the caller may see them; an organisation's also "
        "`trades` and `trade_names` (the trades it practises, by code)"
    )


class GraphEdge(BaseModel):
    id: str
    source: str
    target: str
    type: str
    score: float | None = Field(None, description="`FITS` edges only: how well it fits")


class Subgraph(BaseModel):
    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = Field(description="Whether the limit left nodes or edges out")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "nodes": [
                        {
                            "id": "Organization:org-kemper",
                            "label": "Organization",
                            "kind": "craft_business",
                            "name": "Kemper Metallbau e.K.",
                            "city": "Witten",
                            "region": "Regierungsbezirk Arnsberg",
                            "degree": 7,
                            "data": {
                                "key": "org-kemper",
                                "employees": 12,
                                "trades": ["A13"],
                                "trade_names": ["Metallbauer"],
                            },
                        },
                        {
                            "id": "Trade:A13",
                            "label": "Trade",
                            "kind": "A",
                            "name": "Metallbauer",
                            "degree": 1,
                            "data": {"code": "A13"},
                        },
                    ],
                    "edges": [
                        {
                            "id": "Organization:org-kemper|PRACTISES|Trade:A13",
                            "source": "Organization:org-kemper",
                            "target": "Trade:A13",
                            "type": "PRACTISES",
                        }
                    ],
                    "truncated": False,
                }
            ]
        }
    )


class NodeHit(BaseModel):
    id: str
    label: str
    name: str | None
    kind: str | None = None
    within: list[str] | None = Field(
        None, description="A region's hits only: the regions it lies in, nearest first"
    )
    contains: list[str] | None = Field(
        None, description="A region's hits only: the regions that lie in it, by name"
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "id": "Organization:org-kemper",
                    "label": "Organization",
                    "name": "Kemper Metallbau e.K.",
                    "kind": "craft_business",
                }
            ]
        }
    )


# --- routes ---------------------------------------------------------------------------------------


@router.get(
    "/graph/neighbourhood",
    summary="Nodes and edges around a node, bounded, for the explorer [staff, university, "
    "analyst; anonymised for the latter two]",
    description="Grows `depth` steps from the node; `kinds` keeps only organisations of those "
    "kinds (other nodes stay), `labels` only nodes with those labels. At most `limit` nodes; "
    "`truncated` tells when more were there.",
    responses=problem_responses(401, 403, 404, 422),
)
def neighbourhood(
    key: NodeKey,
    *,
    principal: Principal = Depends(readers),
    graph: GraphDep,
    depth: int = Query(1, ge=1, le=3),
    kinds: list[OrgKind] | None = Query(None, description="Organisation kinds to keep"),
    labels: list[Label] | None = Query(None, description="Node labels to keep"),
    hubs: bool = Query(
        True,
        description="Grow through towns, districts, industries and trades; `false` leaves "
        "them out (the explorer's default), unless the start node is one",
    ),
    limit: int = Query(200, ge=1, le=1000),
) -> Subgraph:
    wanted: list[str] | None = list(labels) if labels else None
    if not hubs:
        wanted = [lb for lb in (wanted or explore.LABELS) if lb not in HUB_LABELS]
    return Subgraph(
        **neighbourhood_subgraph(
            graph, principal, key, depth=depth, kinds=kinds, labels=wanted, limit=limit
        )
    )


class CommunityOut(BaseModel):
    key: str = Field(description="c001, c002, ... by size, largest first")
    label: str = Field(description="Its characteristic trades and competence words")
    size: int = Field(description="Organisations in it")
    terms: list[str]
    trades: list[str]
    x: float
    y: float
    needs: int = Field(description="Open needs of its organisations the caller may read")
    covered: int = Field(description="Of those, how many an organisation of it covers")
    coverage: float | None = Field(description="covered / needs; null without needs")


class CommunityLink(BaseModel):
    source: str
    target: str
    weight: float


class Communities(BaseModel):
    communities: list[CommunityOut]
    links: list[CommunityLink]
    computed_at: str | None = Field(description="When they were computed (after each ingest)")


@router.get(
    "/graph/communities",
    summary="The communities of the whole network, for the explorer's overview [staff, "
    "university, analyst]",
    description="Computed on the server after every ingest (`partnergraph communities`): "
    "Leiden on the organisations weighted by cooperation, shared projects and events and "
    "similar competences. Sizes, labels, the stored layout, the links between communities, "
    "and the open needs (those the caller may read) with how many are covered inside.",
    responses=problem_responses(401, 403),
)
def communities(*, principal: Principal = Depends(readers), graph: GraphDep) -> Communities:
    rows = [row["community"] for row in community_queries.list_communities(graph)]
    prefix = "" if principal.privileged else "shared_"
    out, links = [], []
    for row in rows:
        needs = int(row.get(f"{prefix}needs") or 0)
        covered = int(row.get(f"{prefix}covered") or 0)
        out.append(
            CommunityOut(
                key=row["key"],
                label=row.get("label") or "",
                size=int(row.get("size") or 0),
                terms=row.get("terms") or [],
                trades=row.get("trades") or [],
                x=float(row.get("x") or 0.0),
                y=float(row.get("y") or 0.0),
                needs=needs,
                covered=covered,
                coverage=round(covered / needs, 3) if needs else None,
            )
        )
        pairs = zip(row.get("links") or [], row.get("link_weights") or [], strict=False)
        for other, weight in pairs:
            if row["key"] < other:
                links.append(CommunityLink(source=row["key"], target=other, weight=weight))
    computed = rows[0].get("computed_at") if rows else None
    return Communities(communities=out, links=links, computed_at=computed)


@router.get(
    "/graph/communities/{key}",
    summary="A community's organisations and the ties among them [staff, university, analyst]",
    description="Its organisations, the most central first (at most `limit`), with their "
    "stored positions (`data.x`, `data.y`) and centrality (`data.strength`, "
    "`data.betweenness`, `data.bridges`), and the relationships among them.",
    responses=problem_responses(401, 403, 404, 422),
)
def community(
    key: Annotated[str, Path(pattern=r"^c\d{3,7}$", examples=["c001"])],
    *,
    principal: Principal = Depends(readers),
    graph: GraphDep,
    limit: int = Query(1000, ge=1, le=5000),
) -> Subgraph:
    if not community_queries.community_exists(graph, key):
        raise NotFound(f"no community {key!r}")
    restricted = not principal.privileged
    ids = community_queries.member_ids(graph, key, limit + 1)
    truncated = len(ids) > limit
    ids = ids[:limit]
    edge_limit = limit * EDGES_PER_NODE
    edges = explore.edges_between(graph, ids, restricted=restricted, limit=edge_limit + 1)
    if len(edges) > edge_limit:
        truncated, edges = True, edges[:edge_limit]
    rows = explore.nodes_by_id(
        graph, ids, restricted=restricted, need_statuses=need_statuses(principal)
    )
    nodes, kept = shape(principal, rows, edges)
    # validated from plain dicts, as `Subgraph(**...)` would
    return Subgraph.model_validate({"nodes": nodes, "edges": kept, "truncated": truncated})


@router.get(
    "/graph/fit",
    summary="Needs with the organisations that could serve them (edges = fit) [staff, "
    "university, analyst; anonymised for the latter two]",
    description="For each need (by the key the caller knows it by) the `per_need` "
    "organisations whose competences fit it best, as `FITS` edges with the score; a need "
    "without an edge has no fitting partner in the graph.",
    responses=problem_responses(401, 403, 422),
)
def fit(
    *,
    need: list[str] = Query(min_length=1, max_length=50, description="Need keys"),
    principal: Principal = Depends(readers),
    graph: GraphDep,
    per_need: int = Query(3, ge=1, le=10),
) -> Subgraph:
    restricted = not principal.privileged
    statuses = need_statuses(principal)
    need_ids = []
    for key in need:
        found = explore.find_node(
            graph, split_key(key)[1], "Need", restricted=restricted, need_statuses=statuses
        )
        if found:
            need_ids.append(found[0])
    fits = explore.fitting_organizations(graph, need_ids, per_need, restricted=restricted)
    ids = need_ids + sorted({row["organization"] for row in fits} - set(need_ids))
    rows = explore.nodes_by_id(graph, ids, restricted=restricted, need_statuses=statuses)
    shown: dict[str, dict[str, Any]] = {}
    for row in rows:
        node = node_view(principal, row)
        if node is not None:
            shown[row["id"]] = node
    edges = [
        GraphEdge(
            id=f"{shown[row['organization']]['id']}|FITS|{shown[row['need']]['id']}",
            source=shown[row["organization"]]["id"],
            target=shown[row["need"]]["id"],
            type="FITS",
            score=round(float(row["score"]), 3),
        )
        for row in fits
        if row["need"] in shown and row["organization"] in shown
    ]
    return Subgraph(
        nodes=[GraphNode(**node) for node in shown.values()], edges=edges, truncated=False
    )


@router.get(
    "/graph/search",
    summary="Organisations, competences, trades and regions by name, for the explorer "
    "[staff, university, analyst]",
    description="A region comes with the regions it lies in and those that lie in it "
    "(municipality, district, Regierungsbezirk), so a place can be matched at any level.",
    responses=problem_responses(401, 403, 422),
)
def search(
    *,
    q: str = Query(min_length=1, max_length=200, examples=["schweiß"]),
    principal: Principal = Depends(readers),
    graph: GraphDep,
    limit: int = Query(20, ge=1, le=100),
) -> list[NodeHit]:
    rows = explore.search_nodes(graph, q, limit)
    regions = explore.region_hierarchy(graph, [r["key"] for r in rows if r["label"] == "Region"])
    return [
        NodeHit(
            id=f"{row['label']}:{row['key']}",
            label=row["label"],
            name=row["name"],
            kind=row["kind"],
            **(regions.get(row["key"], {}) if row["label"] == "Region" else {}),
        )
        for row in rows
    ]


# --- building subgraphs (also used by the exports) ------------------------------------------------


def split_key(key: str) -> tuple[str | None, str]:
    """`Label:key` -> (label, key); a plain key (it may hold colons: `ror:...`) -> (None, key)."""
    label, sep, rest = key.partition(":")
    if sep and label in explore.LABELS and rest:
        return label, rest
    return None, key


def neighbourhood_subgraph(
    graph: Graph,
    principal: Principal,
    key: str,
    *,
    depth: int,
    limit: int,
    kinds: Sequence[str] | None = None,
    labels: list[str] | None = None,
) -> dict[str, Any]:
    restricted = not principal.privileged
    statuses = need_statuses(principal)
    wanted = list(labels) if labels else list(explore.LABELS)
    label, plain_key = split_key(key)
    found = explore.find_node(
        graph, plain_key, label, restricted=restricted, labels=wanted, need_statuses=statuses
    )
    if found is None:
        raise NotFound(f"no node with key {key!r}")
    start, _ = found
    seen = [start]
    frontier = [start]
    truncated = False
    for _ in range(depth):
        room = limit - len(seen)
        step = explore.neighbours(
            graph,
            frontier,
            seen,
            room=max(room, 0) + 1,
            labels=wanted,
            kinds=kinds,
            restricted=restricted,
            need_statuses=statuses,
        )
        if len(step) > room:
            truncated = True
            step = step[: max(room, 0)]
        if not step:
            break
        seen += step
        frontier = step
    edge_limit = limit * EDGES_PER_NODE
    edges = explore.edges_between(graph, seen, restricted=restricted, limit=edge_limit + 1)
    if len(edges) > edge_limit:
        truncated = True
        edges = edges[:edge_limit]
    rows = explore.nodes_by_id(graph, seen, restricted=restricted, need_statuses=statuses)
    order = {element_id: i for i, element_id in enumerate(seen)}
    rows.sort(key=lambda row: order.get(row["id"], len(order)))
    nodes, kept_edges = shape(principal, rows, edges)
    return {"nodes": nodes, "edges": kept_edges, "truncated": truncated}


def _whole_node_ids(graph: Graph, principal: Principal, limit: int) -> tuple[list[str], bool]:
    """The ids of the whole graph's nodes the caller may see, content first, at most `limit`
    of them, and whether there were more."""
    ids = explore.all_node_ids(
        graph,
        restricted=not principal.privileged,
        limit=limit + 1,
        need_statuses=need_statuses(principal),
    )
    return ids[:limit], len(ids) > limit


def whole_subgraph(graph: Graph, principal: Principal, *, limit: int) -> dict[str, Any]:
    """The explorer's nodes of the whole graph (content first), at most `limit` of them, in
    memory. Exports use `spool_whole_graph`, which gives the same without holding it all."""
    restricted = not principal.privileged
    statuses = need_statuses(principal)
    ids, truncated = _whole_node_ids(graph, principal, limit)
    edge_limit = limit * EDGES_PER_NODE
    edges = explore.all_edges(
        graph, restricted=restricted, limit=edge_limit + 1, need_statuses=statuses
    )
    if len(edges) > edge_limit:
        truncated = True
        edges = edges[:edge_limit]
    rows = explore.nodes_by_id(graph, ids, restricted=restricted, need_statuses=statuses)
    nodes, kept_edges = shape(principal, rows, edges)
    return {"nodes": nodes, "edges": kept_edges, "truncated": truncated}


def need_statuses(principal: Principal) -> list[str] | None:
    """The statuses of needs the caller may see anywhere (universities: those still worked on)."""
    return list(UNIVERSITY_STATUSES) if principal.role is Role.university else None


@dataclass
class SpooledGraph:
    """The whole graph for an export, read and shaped, its nodes spooled to a temporary file.

    The nodes are read a batch at a time and pickled to disk as they are shaped, so the
    attribute types (which GraphML and GEXF declare before any node) are known before a
    byte is written, while memory holds only the node ids and their public ids. The edges
    are read only while they are written (`edges`). `close` deletes the spool.
    """

    graph: Graph
    principal: Principal
    truncated: bool
    attributes: list[tuple[str, str, str]]
    node_count: int
    ends: dict[str, tuple[str, str | None]]  # element id -> (public id, a need's visibility)
    edge_limit: int
    spool: IO[bytes]
    deadline: float

    def nodes(self) -> Iterator[dict[str, Any]]:
        self.spool.seek(0)
        for _ in range(self.node_count):
            yield pickle.load(self.spool)  # our own file, written just now

    def edges(self) -> Iterator[dict[str, Any]]:
        rows = explore.stream_all_edges(
            self.graph,
            restricted=not self.principal.privileged,
            need_statuses=need_statuses(self.principal),
            limit=self.edge_limit,
            timeout_s=max(self.deadline - time.monotonic(), 0.001),
        )
        for number, edge in enumerate(shaped_edges(self.principal, self.ends, rows)):
            if number % 1000 == 0:
                past_deadline(self.deadline)
            yield edge

    def close(self) -> None:
        self.spool.close()


def past_deadline(deadline: float) -> None:
    if time.monotonic() > deadline:
        raise TimedOut(
            "the export took longer than the service allows (PARTNERGRAPH_EXPORT_TIMEOUT_S): "
            "export less with `limit` or `key`, or try again when the service is less busy"
        )


def spool_whole_graph(
    graph: Graph, principal: Principal, *, limit: int, deadline: float, batch: int = 500
) -> SpooledGraph:
    """The whole graph as `whole_subgraph` has it, ready to be written piece by piece.

    Whether the limit cuts anything is decided first, from the node ids and a count of the
    edges, so the response can say so in its headers.
    """
    restricted = not principal.privileged
    statuses = need_statuses(principal)
    ids, truncated = _whole_node_ids(graph, principal, limit)
    edge_limit = limit * EDGES_PER_NODE
    counted = explore.count_all_edges(
        graph, restricted=restricted, limit=edge_limit + 1, need_statuses=statuses
    )
    if counted > edge_limit:
        truncated = True
    spool = tempfile.TemporaryFile(prefix="partnergraph-export-")  # noqa: SIM115 - kept open
    try:
        types = AttributeTypes()
        ends: dict[str, tuple[str, str | None]] = {}
        for start in range(0, len(ids), batch):
            past_deadline(deadline)
            for row in explore.nodes_by_id(
                graph, ids[start : start + batch], restricted=restricted, need_statuses=statuses
            ):
                node = node_view(principal, row)
                if node is None:
                    continue
                ends[row["id"]] = _end(node)
                types.add(node)
                pickle.dump(node, spool, protocol=pickle.HIGHEST_PROTOCOL)
        past_deadline(deadline)
    except BaseException:
        spool.close()
        raise
    return SpooledGraph(
        graph=graph,
        principal=principal,
        truncated=truncated,
        attributes=types.attributes(),
        node_count=len(ends),
        ends=ends,
        edge_limit=edge_limit,
        spool=spool,
        deadline=deadline,
    )


def _end(node: dict[str, Any]) -> tuple[str, str | None]:
    return node["id"], node["data"].get("visibility") if node["label"] == Label.Need else None


def shape(
    principal: Principal, rows: list[dict[str, Any]], edges: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes as `principal` may see them and the edges between those, by public ids.

    The graph queries already leave out what the caller may not see; this is the second line:
    a node redaction drops takes its edges along, and a company's tie to a non-public need is
    dropped here too.
    """
    by_element: dict[str, dict[str, Any]] = {}
    for row in rows:
        node = node_view(principal, row)
        if node is not None:
            by_element[row["id"]] = node
    ends = {element_id: _end(node) for element_id, node in by_element.items()}
    return list(by_element.values()), list(shaped_edges(principal, ends, edges))


def shaped_edges(
    principal: Principal,
    ends: Mapping[str, tuple[str, str | None]],
    edges: Iterable[Mapping[str, Any]],
) -> Iterator[dict[str, Any]]:
    """The edges between shown nodes (`ends`: element id -> public id, a need's visibility)
    that `principal` may see, by public ids."""
    used: Counter[str] = Counter()
    for edge in edges:
        source, target = ends.get(edge["source"]), ends.get(edge["target"])
        if source is None or target is None:
            continue
        if not principal.privileged and (
            edge["type"] == "FEEDBACK"
            or (edge["type"] == "HAS_NEED" and target[1] != Visibility.public)
        ):
            continue
        edge_id = f"{source[0]}|{edge['type']}|{target[0]}"
        used[edge_id] += 1
        if used[edge_id] > 1:  # two relationships of one type between the same nodes
            edge_id = f"{edge_id}|{used[edge_id]}"
        yield {"id": edge_id, "source": source[0], "target": target[0], "type": edge["type"]}


def node_view(principal: Principal, row: dict[str, Any]) -> dict[str, Any] | None:
    """One node of `graph.explore.nodes_by_id` for the explorer, or None if it must not show."""
    label: str = row["label"]
    props: dict[str, Any] = dict(row["props"])
    key = props.get("code") if label in (Label.Trade, Label.Industry) else props.get("key")
    node: dict[str, Any] = {
        "id": f"{label}:{key}",
        "label": label,
        "kind": None,
        "name": props.get("name") or props.get("title"),
        "city": None,
        "region": None,
        "degree": int(row.get("degree") or 0),
    }
    if label == Label.Organization:
        # Trades are PRACTISES edges, not properties: carried along so the explorer can filter
        # by trade without the Trade nodes in view.
        data = organization_view(principal, props)
        if row.get("trades"):
            data.update(trades=row["trades"], trade_names=row["trade_names"])
        community = row.get("community")
        if community:
            data.update(
                community=community["key"],
                community_label=community.get("label"),
                coverage=coverage(principal, community),
            )
        node.update(kind=props.get("kind"), city=props.get("city"), region=row.get("region"))
    elif label == Label.Need:
        need = need_view(principal, {**props, "text_hash": row.get("text_hash")}, row.get("owner"))
        if need is None:
            return None
        data = need
        node["id"] = f"Need:{need['key']}"  # for its readers, the key they know it by
        node["name"] = data.get("title")
    elif label == Label.Person:
        kinds = row.get("employer_kinds") or []
        employer = next((k for k in kinds if k in COMPANY_KINDS), kinds[0] if kinds else None)
        person = person_view(principal, props, employer)
        if person is None:
            return None
        data = person
    else:
        data = props
        if label in ("Region", "Event"):
            node["kind"] = props.get("kind")
        elif label == "Trade":
            node["kind"] = props.get("annex")
        elif label == "Industry":
            node["kind"] = props.get("level")
    node["data"] = {k: v for k, v in data.items() if v is not None}
    return node


def coverage(principal: Principal, community: Mapping[str, Any]) -> float | None:
    """The share of a community's open needs an organisation of it covers, over the needs the
    caller may read (`graph.communities`); None when it has none."""
    prefix = "" if principal.privileged else "shared_"
    needs = int(community.get(f"{prefix}needs") or 0)
    if not needs:
        return None
    return round(int(community.get(f"{prefix}covered") or 0) / needs, 3)
