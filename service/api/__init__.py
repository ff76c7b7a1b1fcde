"""The HTTP API, version 1: one router per area, all under /api/v1.

Routes are thin: they check the role (`service.auth.require`), call `graph` query functions or
`matching`, and shape the answer for the caller's role (`service.redact`). Blocking work runs in
FastAPI's thread pool (routes are plain `def`).
"""

from __future__ import annotations

from fastapi import APIRouter

API_PREFIX = "/api/v1"


def api_router() -> APIRouter:
    router = APIRouter(prefix=API_PREFIX)
    for module_name in MODULES:
        module = __import__(f"service.api.{module_name}", fromlist=["router"])
        router.include_router(module.router)
    return router


# Each module defines `router = APIRouter(tags=[...])`.
MODULES: list[str] = [
    "me",
    "subscriptions",
    "match",
    "needs",
    "cases",
    "organizations",
    "graph_views",
    "analytics",
    "exports",
    "ingest_jobs",
]
