"""Downloads for analysis tools: the graph as GraphML or GEXF (Gephi), organisations as CSV.

Staff and analysts only. For analysts everything is shaped as in the explorer: needs
anonymised unless public and not connected to their company, no people of companies, no
contact data (the CSV has no street of companies for them). With `key` the export is that
node's neighbourhood, otherwise the whole graph up to `limit` nodes (organisations and their
competences, needs and projects first; the reference nodes they link to after them); the
`X-Truncated` header says whether the limit left anything out.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from graph import explore
from graph.connection import Graph
from service.auth import Principal, Role, require
from service.deps import graph_of
from service.exports import organizations_csv, to_gexf, to_graphml
from service.redact import organization_view

from .graph_views import neighbourhood_subgraph, whole_subgraph
from .match import problem_responses

router = APIRouter(tags=["exports"])
exporters = require(Role.staff, Role.analyst)

NEIGHBOURHOOD_DEFAULT = 1000
WHOLE_DEFAULT = 20_000
MAX_NODES = 50_000
MAX_ORGANIZATIONS = 100_000


def _file(
    name: str, media_type: str, description: str, *, xml: bool = True
) -> dict[int | str, dict[str, Any]]:
    example = '<?xml version="1.0" encoding="UTF-8"?>\n...' if xml else "key;name;kind;...\r\n"
    return {
        200: {
            "description": description,
            "content": {media_type: {"schema": {"type": "string"}, "example": example}},
            "headers": {
                "X-Truncated": {
                    "description": "`true` when the node limit left part of the graph out",
                    "schema": {"type": "string", "enum": ["true", "false"]},
                },
                "Content-Disposition": {
                    "description": f"attachment; filename={name}",
                    "schema": {"type": "string"},
                },
            },
        },
        **(problem_responses(401, 403, 404, 422) if xml else problem_responses(401, 403, 422)),
    }


def _subgraph(
    graph: Graph,
    principal: Principal,
    key: str | None,
    depth: int,
    limit: int | None,
) -> dict[str, Any]:
    if key:
        return neighbourhood_subgraph(
            graph, principal, key, depth=depth, limit=limit or NEIGHBOURHOOD_DEFAULT
        )
    return whole_subgraph(graph, principal, limit=limit or WHOLE_DEFAULT)


def _download(body: str, media_type: str, filename: str, truncated: bool) -> Response:
    return Response(
        content=body.encode("utf-8"),
        media_type=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "X-Truncated": "true" if truncated else "false",
        },
    )


KEY_QUERY = Query(
    None,
    min_length=1,
    max_length=300,
    description="Export this node's neighbourhood (as in /graph/neighbourhood); without it, "
    "the whole graph",
)
DEPTH_QUERY = Query(2, ge=1, le=3, description="Steps from `key`")
LIMIT_QUERY = Query(
    None,
    ge=1,
    le=MAX_NODES,
    description=f"Most nodes (default {NEIGHBOURHOOD_DEFAULT:,} around a key, "
    f"{WHOLE_DEFAULT:,} for the whole graph)",
)


@router.get(
    "/export/graphml",
    summary="The graph or a neighbourhood as GraphML [staff, analyst; anonymised for analysts]",
    response_class=Response,
    responses=_file("partnergraph.graphml", "application/graphml+xml", "A GraphML document"),
)
def export_graphml(
    principal: Principal = Depends(exporters),
    graph: Graph = Depends(graph_of),
    key: str | None = KEY_QUERY,
    depth: int = DEPTH_QUERY,
    limit: int | None = LIMIT_QUERY,
) -> Response:
    sub = _subgraph(graph, principal, key, depth, limit)
    return _download(
        to_graphml(sub["nodes"], sub["edges"]),
        "application/graphml+xml",
        "partnergraph.graphml",
        sub["truncated"],
    )


@router.get(
    "/export/gexf",
    summary="The graph or a neighbourhood as GEXF for Gephi [staff, analyst; anonymised for "
    "analysts]",
    response_class=Response,
    responses=_file("partnergraph.gexf", "application/gexf+xml", "A GEXF 1.2 document"),
)
def export_gexf(
    principal: Principal = Depends(exporters),
    graph: Graph = Depends(graph_of),
    key: str | None = KEY_QUERY,
    depth: int = DEPTH_QUERY,
    limit: int | None = LIMIT_QUERY,
) -> Response:
    sub = _subgraph(graph, principal, key, depth, limit)
    what = f"neighbourhood of {key}, depth {depth}" if key else "whole graph"
    return _download(
        to_gexf(sub["nodes"], sub["edges"], description=f"partnergraph: {what}"),
        "application/gexf+xml",
        "partnergraph.gexf",
        sub["truncated"],
    )


@router.get(
    "/export/organizations.csv",
    summary="All organisations as CSV, in the columns of the ingest's organizations.csv "
    "[staff, analyst; without companies' streets for analysts]",
    response_class=Response,
    responses=_file(
        "organizations.csv", "text/csv", "Semicolon-separated, UTF-8 with BOM", xml=False
    ),
)
def export_organizations(
    principal: Principal = Depends(exporters),
    graph: Graph = Depends(graph_of),
    limit: int = Query(MAX_ORGANIZATIONS, ge=1, le=MAX_ORGANIZATIONS),
) -> Response:
    rows = explore.organizations_for_export(graph, limit + 1)
    truncated = len(rows) > limit
    body = organizations_csv(organization_view(principal, row) for row in rows[:limit])
    return _download(body, "text/csv; charset=utf-8", "organizations.csv", truncated)
