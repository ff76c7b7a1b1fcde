"""The one mapping from errors to HTTP problem responses (RFC 9457, application/problem+json).

Typed errors of `partnergraph.errors`, FastAPI's validation errors and Starlette's HTTP errors
all leave the service in the same shape: `{type, title, status, detail, instance}` plus
`errors` for field problems. Titles are German or English after `Accept-Language`; details are
the typed errors' own messages (in German for the common ones, `GERMAN_DETAILS`), except
Neo4j's (503: logged, a plain detail shown). Unexpected
errors give a 500 without internals, logged in full.
"""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from partnergraph.errors import (
    BackupError,
    Busy,
    Conflict,
    FileError,
    Forbidden,
    GraphAuthError,
    GraphUnavailable,
    IngestError,
    InvalidRequest,
    NotFound,
    PartnergraphError,
    TimedOut,
    Unauthorized,
)

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("partnergraph.service")

STATUS_BY_ERROR: list[tuple[type[PartnergraphError], int]] = [
    (NotFound, 404),
    (Unauthorized, 401),
    (Forbidden, 403),
    (Conflict, 409),
    (InvalidRequest, 400),
    (IngestError, 422),
    (BackupError, 422),
    (Busy, 429),
    (TimedOut, 504),
    (GraphAuthError, 503),
    (GraphUnavailable, 503),
    (PartnergraphError, 500),
]

TITLES: dict[int, tuple[str, str]] = {  # status -> (English, German)
    400: ("Bad request", "Ungültige Anfrage"),
    401: ("API key missing or invalid", "API-Schlüssel fehlt oder ist ungültig"),
    403: ("Not allowed for this role", "Für diese Rolle nicht erlaubt"),
    404: ("Not found", "Nicht gefunden"),
    405: ("Method not allowed", "Methode nicht erlaubt"),
    409: ("Conflict", "Konflikt"),
    413: ("Request too large", "Anfrage zu groß"),
    415: ("Unsupported media type", "Medientyp nicht unterstützt"),
    422: ("Invalid input", "Ungültige Eingabe"),
    429: ("Too many requests", "Zu viele Anfragen"),
    500: ("Internal error", "Interner Fehler"),
    503: ("Graph database unavailable", "Graphdatenbank nicht erreichbar"),
    504: ("Took too long", "Hat zu lange gedauert"),
}


# The details people meet in the German pages, in German (`Accept-Language: de`); any other
# detail stays as the error says it. Patterns match the whole detail.
GERMAN_DETAILS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(p), german)
    for p, german in (
        (
            r"postcode (\d+) is not in the reference table \(NRW\)",
            "Die Postleitzahl {0} liegt nicht in Nordrhein-Westfalen (nicht in der "
            "Referenztabelle).",
        ),
        (r"no need with key (.+)", "Kein Bedarf mit dem Schlüssel {0}."),
        (r"no organisation with key (.+)", "Keine Organisation mit dem Schlüssel {0}."),
        (r"no answer (.+) to the need (.+)", "Keine Antwort {0} auf den Bedarf {1}."),
        (r"no node with key (.+)", "Kein Knoten mit dem Schlüssel {0}."),
        (r"no subscription (.+) of this key", "Kein Abonnement {0} dieses Schlüssels."),
        (
            r"the role '(\w+)' may not do this \(allowed: (.+)\)",
            "Die Rolle „{0}“ darf das nicht (erlaubt: {1}).",
        ),
        (
            r"the API key is unknown or has been revoked",
            "Der API-Schlüssel ist unbekannt oder widerrufen.",
        ),
        (
            r"an API key is needed: send `Authorization: Bearer <key>`",
            "Ein API-Schlüssel fehlt: bitte anmelden.",
        ),
        (
            r"a university key answers for its own organisation \((.+)\) and its units, "
            r"not for (.+)",
            "Eine Hochschule antwortet für sich selbst ({0}) und ihre Einheiten, nicht für {1}.",
        ),
        (
            r"the graph database cannot answer now; try again later \(the service log has "
            r"the reason\)",
            "Die Graphdatenbank antwortet gerade nicht; bitte später erneut versuchen.",
        ),
    )
]


def german_detail(detail: str) -> str:
    """`detail` in German where a translation is known, else as it is."""
    for pattern, german in GERMAN_DETAILS:
        found = pattern.fullmatch(detail)
        if found:
            return german.format(*found.groups())
    return detail


def wants_german(request: Request | None) -> bool:
    if request is None:
        return False
    accept = request.headers.get("accept-language", "")
    return accept.strip().lower().startswith("de")


def title_for(status: int, request: Request | None = None) -> str:
    english, german = TITLES.get(status, ("Error", "Fehler"))
    return german if wants_german(request) else english


def problem(
    status: int,
    detail: str,
    request: Request | None = None,
    *,
    headers: dict[str, str] | None = None,
    **extra: object,
) -> JSONResponse:
    body: dict[str, object] = {
        "type": "about:blank",
        "title": title_for(status, request),
        "status": status,
        "detail": german_detail(detail) if wants_german(request) else detail,
    }
    if request is not None:
        body["instance"] = request.url.path
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def status_of(error: PartnergraphError) -> int:
    for error_type, status in STATUS_BY_ERROR:
        if isinstance(error, error_type):
            return status
    return 500  # pragma: no cover - PartnergraphError is last in the list


GRAPH_DOWN_DETAIL = (
    "the graph database cannot answer now; try again later (the service log has the reason)"
)


def typed_problem(request: Request, error: PartnergraphError) -> JSONResponse:
    """The problem response for one of our typed errors.

    Neo4j's troubles (503) are logged, not shown: their text names the Bolt address and
    repeats the driver's words, which tell an attacker where the database is and how it fails.
    """
    status = status_of(error)
    if status == 500:
        log.error("unexpected error on %s: %s", request.url.path, error, exc_info=error)
    detail = str(error)
    if status == 503:
        log.warning("graph database unavailable on %s: %s", request.url.path, error)
        detail = GRAPH_DOWN_DETAIL
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if isinstance(error, Busy):
        headers = {"Retry-After": str(error.retry_after_s)}
    extra: dict[str, object] = {}
    if isinstance(error, FileError):
        extra["errors"] = [
            {
                "file": error.file,
                "line": error.line,
                "field": error.field,
                "reason": error.reason,
            }
        ]
    return problem(status, detail, request, headers=headers, **extra)


def install(app: FastAPI) -> None:
    async def typed(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, PartnergraphError)
        return typed_problem(request, error)

    async def validation(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        errors = [
            {
                "field": ".".join(str(part) for part in item.get("loc", ()) if part != "body"),
                "reason": item.get("msg", ""),
            }
            for item in error.errors()
        ]
        detail = "; ".join(f"{e['field']}: {e['reason']}" for e in errors) or "invalid request"
        return problem(422, detail, request, errors=errors)

    async def http(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, StarletteHTTPException)
        return problem(
            error.status_code, str(error.detail), request, headers=getattr(error, "headers", None)
        )

    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.error("unexpected error on %s", request.url.path, exc_info=error)
        return problem(500, "the service failed on this request; the log has the details", request)

    app.add_exception_handler(PartnergraphError, typed)
    app.add_exception_handler(RequestValidationError, validation)
    app.add_exception_handler(StarletteHTTPException, http)
    app.add_exception_handler(Exception, unexpected)
