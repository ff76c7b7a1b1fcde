"""The FastAPI application: health, readiness, the API under /api/v1, and the pages."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from graph.connection import Graph
from graph.schema import init_schema
from matching import vocabulary
from partnergraph import __version__
from partnergraph.errors import GraphAuthError, GraphUnavailable, Unauthorized
from partnergraph.settings import Settings, get_settings

from . import pages, problems
from .api import api_router
from .auth import key_of, principal_for
from .middleware import BodyLimit, KeyFirst, RequestLog, configure_access_log
from .release import Scrubbers

log = logging.getLogger("partnergraph.service")


class GraphState:
    """The service's graph connection and whether the schema has been ensured on it."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self.schema_ready = False

    def ensure_ready(self) -> None:
        """Ping Neo4j; on the first success, create the schema. Raises when Neo4j is down."""
        self.graph.ping()
        if not self.schema_ready:
            init_schema(self.graph)
            self.schema_ready = True
            # the full-text index's words take ~30 s to read on 1M texts: begun now, in the
            # background, they are in before most first matches
            vocabulary.words_of(self.graph, wait_s=0)


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = GraphState(Graph.from_settings(settings))
        app.state.graph_state = state
        try:
            await run_in_threadpool(state.ensure_ready)
        except (GraphUnavailable, GraphAuthError) as error:
            # Serve anyway: /readyz says why, and the schema is created once Neo4j answers.
            log.warning("Neo4j not ready at start-up: %s", error)
        yield
        state.graph.close()

    app = FastAPI(
        title="partnergraph",
        version=__version__,
        description="Partner matching for a region's companies, craft businesses, institutes "
        "and universities.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.match_slots = threading.BoundedSemaphore(settings.match_concurrency)
    app.state.scrubbers = Scrubbers()
    app.state.export_slots = threading.BoundedSemaphore(settings.max_concurrent_exports)
    problems.install(app)
    app.include_router(api_router())
    app.include_router(pages.router)
    app.add_middleware(KeyFirst)  # inside BodyLimit: a declared size over the limit costs no query
    app.add_middleware(
        BodyLimit,
        max_body=settings.max_body_kb * 1024,
        max_upload=settings.max_upload_mb * 1024 * 1024,
    )
    app.add_middleware(RequestLog)
    configure_access_log()

    @app.get("/healthz", tags=["operations"], summary="The process is up")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get(
        "/readyz",
        tags=["operations"],
        summary="Neo4j is reachable and the schema is in place",
        description="Says only ready or not to anyone; with a valid API key also where Neo4j "
        "is. Why it is not ready goes to the service log, not to the caller.",
        responses={503: {"description": "Neo4j is not reachable (the log says why)"}},
    )
    async def readyz(request: Request) -> JSONResponse:
        state: GraphState = app.state.graph_state
        try:
            await run_in_threadpool(state.ensure_ready)
        except (GraphUnavailable, GraphAuthError) as error:
            log.warning("not ready: %s", error)
            return JSONResponse({"status": "unavailable"}, status_code=503)
        if await run_in_threadpool(_known_key, state.graph, request):
            return JSONResponse({"status": "ok", "neo4j": "up", "uri": settings.bolt_uri})
        return JSONResponse({"status": "ok"})

    return app


def _known_key(graph: Graph, request: Request) -> bool:
    try:
        principal_for(graph, key_of(request))
    except (Unauthorized, GraphUnavailable, GraphAuthError):
        return False
    return True


def app_from_environment() -> FastAPI:
    """The app with settings from the environment: the factory each uvicorn worker calls."""
    return create_app(get_settings())
