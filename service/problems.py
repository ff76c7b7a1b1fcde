"""The one mapping from typed errors to HTTP problem responses (application/problem+json)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from partnergraph.errors import (
    GraphAuthError,
    GraphUnavailable,
    NotFound,
    PartnergraphError,
)

PROBLEM_JSON = "application/problem+json"

STATUS_BY_ERROR: list[tuple[type[PartnergraphError], int, str]] = [
    (NotFound, 404, "Not found"),
    (GraphAuthError, 503, "Graph database refused our credentials"),
    (GraphUnavailable, 503, "Graph database unavailable"),
    (PartnergraphError, 500, "Internal error"),
]


def problem(status: int, title: str, detail: str, **extra: object) -> JSONResponse:
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON)


def install(app: FastAPI) -> None:
    async def handle(request: Request, error: Exception) -> JSONResponse:
        for error_type, status, title in STATUS_BY_ERROR:
            if isinstance(error, error_type):
                return problem(status, title, str(error))
        raise error  # pragma: no cover - only PartnergraphError is registered

    app.add_exception_handler(PartnergraphError, handle)
