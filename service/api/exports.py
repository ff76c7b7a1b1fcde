"""Downloads for analysis tools: the graph as GraphML or GEXF (Gephi), organisations as CSV.

Staff and analysts only. For analysts everything is shaped as in the explorer: needs
anonymised unless public and not connected to their company, no people of companies, no
contact data (the CSV has no street of companies for them). With `key` the export is that
node's neighbourhood, otherwise the whole graph up to `limit` nodes (organisations and their
competences, needs and projects first; the reference nodes they link to after them); the
`X-Truncated` header says whether the limit left anything out.

Whole-graph exports are written as they are read (see `graph_views.spool_whole_graph`), at
most PARTNERGRAPH_MAX_CONCURRENT_EXPORTS at once per process (429 with Retry-After beyond),
each within PARTNERGRAPH_EXPORT_TIMEOUT_S: memory stays bounded however many clients ask.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from graph import explore
from graph.connection import Graph
from partnergraph.errors import Busy, TimedOut
from service.auth import Principal, Role, require
from service.deps import GraphDep, settings_of
from service.exports import (
    attributes_of,
    buffered,
    gexf_chunks,
    graphml_chunks,
    organizations_csv_chunks,
)
from service.redact import organization_view

from .graph_views import neighbourhood_subgraph, past_deadline, spool_whole_graph
from .models import problem_responses

router = APIRouter(tags=["exports"])
exporters = require(Role.staff, Role.analyst)

NEIGHBOURHOOD_DEFAULT = 1000
WHOLE_DEFAULT = 20_000
MAX_NODES = 50_000
MAX_ORGANIZATIONS = 100_000
CSV_BATCH = 1000
RETRY_AFTER_S = 10
log = logging.getLogger("partnergraph.service")


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
        **(
            problem_responses(401, 403, 404, 422, 429, 504)
            if xml
            else problem_responses(401, 403, 422, 429, 504)
        ),
    }


class ExportSlot:
    """One of the process's export slots (PARTNERGRAPH_MAX_CONCURRENT_EXPORTS), taken at once
    or refused with 429: a queue of exports would hold their clients' connections and let
    memory grow with the queue. Released once, however the export ends."""

    def __init__(self, request: Request) -> None:
        self._slots: threading.BoundedSemaphore = request.app.state.export_slots
        if not self._slots.acquire(blocking=False):
            raise Busy(
                "as many exports as the service runs at once are running; try again shortly",
                retry_after_s=RETRY_AFTER_S,
            )
        self._held = True
        self._closers: list[Callable[[], None]] = []

    def on_release(self, closer: Callable[[], None]) -> None:
        self._closers.append(closer)

    def release(self) -> None:
        if self._held:
            self._held = False
            for closer in self._closers:
                closer()
            self._slots.release()


class Download(StreamingResponse):
    """A file written as it is made; the export slot is given back when it is sent, when the
    client goes away, or when writing fails (the download then breaks off: a cut file must not
    look whole)."""

    def __init__(
        self,
        pieces: Iterator[str],
        slot: ExportSlot,
        media_type: str,
        filename: str,
        *,
        truncated: bool,
    ) -> None:
        self.source = buffered(pieces)
        super().__init__(
            self.source,
            media_type=media_type,
            headers={
                "Content-Disposition": f'attachment; filename="{filename}"',
                "X-Truncated": "true" if truncated else "false",
            },
        )
        self.slot = slot

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        except TimedOut as error:
            log.warning("export on %s cut off: %s", scope.get("path"), error)
            raise
        finally:
            # Ends the reads (an open result of Neo4j) of a download its client left; one still
            # running in its thread (ValueError) ends when that step does.
            with contextlib.suppress(ValueError):
                self.source.close()
            self.slot.release()


def _graph_download(
    request: Request,
    graph: Graph,
    principal: Principal,
    key: str | None,
    depth: int,
    limit: int | None,
    write: Callable[..., Iterator[str]],
    media_type: str,
    filename: str,
) -> Download:
    """The graph (or a neighbourhood) written by `write(attributes, nodes, edges)`."""
    settings = settings_of(request)
    slot = ExportSlot(request)
    try:
        if key:
            sub = neighbourhood_subgraph(
                graph, principal, key, depth=depth, limit=limit or NEIGHBOURHOOD_DEFAULT
            )
            pieces = write(attributes_of(sub["nodes"]), sub["nodes"], sub["edges"])
            truncated = sub["truncated"]
        else:
            deadline = time.monotonic() + settings.export_timeout_s
            spooled = spool_whole_graph(
                graph, principal, limit=limit or WHOLE_DEFAULT, deadline=deadline
            )
            slot.on_release(spooled.close)
            pieces = write(spooled.attributes, spooled.nodes(), spooled.edges())
            truncated = spooled.truncated
        return Download(pieces, slot, media_type, filename, truncated=truncated)
    except BaseException:
        slot.release()
        raise


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
    request: Request,
    *,
    principal: Principal = Depends(exporters),
    graph: GraphDep,
    key: str | None = KEY_QUERY,
    depth: int = DEPTH_QUERY,
    limit: int | None = LIMIT_QUERY,
) -> Response:
    return _graph_download(
        request,
        graph,
        principal,
        key,
        depth,
        limit,
        graphml_chunks,
        "application/graphml+xml",
        "partnergraph.graphml",
    )


@router.get(
    "/export/gexf",
    summary="The graph or a neighbourhood as GEXF for Gephi [staff, analyst; anonymised for "
    "analysts]",
    response_class=Response,
    responses=_file("partnergraph.gexf", "application/gexf+xml", "A GEXF 1.2 document"),
)
def export_gexf(
    request: Request,
    *,
    principal: Principal = Depends(exporters),
    graph: GraphDep,
    key: str | None = KEY_QUERY,
    depth: int = DEPTH_QUERY,
    limit: int | None = LIMIT_QUERY,
) -> Response:
    what = f"neighbourhood of {key}, depth {depth}" if key else "whole graph"
    return _graph_download(
        request,
        graph,
        principal,
        key,
        depth,
        limit,
        partial(gexf_chunks, description=f"partnergraph: {what}"),
        "application/gexf+xml",
        "partnergraph.gexf",
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
    request: Request,
    *,
    principal: Principal = Depends(exporters),
    graph: GraphDep,
    limit: int = Query(MAX_ORGANIZATIONS, ge=1, le=MAX_ORGANIZATIONS),
) -> Response:
    deadline = time.monotonic() + settings_of(request).export_timeout_s
    slot = ExportSlot(request)
    try:
        truncated = explore.count_organizations(graph) > limit
        rows = _organizations(graph, limit, deadline)
        return Download(
            organizations_csv_chunks(organization_view(principal, row) for row in rows),
            slot,
            "text/csv; charset=utf-8",
            "organizations.csv",
            truncated=truncated,
        )
    except BaseException:
        slot.release()
        raise


def _organizations(graph: Graph, limit: int, deadline: float) -> Iterator[dict[str, Any]]:
    """The first `limit` organisations by key, read a batch at a time as they are written."""
    after: str | None = None
    left = limit
    while left > 0:
        past_deadline(deadline)
        rows = explore.organizations_for_export(graph, min(left, CSV_BATCH), after=after)
        yield from rows
        if len(rows) < min(left, CSV_BATCH):
            return
        left -= len(rows)
        after = rows[-1]["key"]
