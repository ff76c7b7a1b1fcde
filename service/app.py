"""The FastAPI application: health, readiness, the API under /api/v1, and the pages."""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from graph.connection import Graph
from graph.schema import init_schema
from partnergraph import __version__
from partnergraph.errors import GraphAuthError, GraphUnavailable
from partnergraph.settings import Settings

from . import pages, problems
from .api import api_router
from .middleware import BodyLimit, RequestLog, configure_access_log
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
    problems.install(app)
    app.include_router(api_router())
    app.include_router(pages.router)
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
        responses={503: {"description": "Neo4j is not reachable; `reason` says why"}},
    )
    async def readyz() -> JSONResponse:
        state: GraphState = app.state.graph_state
        try:
            await run_in_threadpool(state.ensure_ready)
        except (GraphUnavailable, GraphAuthError) as error:
            return JSONResponse(
                {"status": "unavailable", "neo4j": "down", "reason": str(error)},
                status_code=503,
            )
        return JSONResponse({"status": "ok", "neo4j": "up", "uri": settings.bolt_uri})

    return app


def app_from_environment() -> FastAPI:
    """The app with settings from the environment: the factory each uvicorn worker calls."""
    return create_app(Settings())
