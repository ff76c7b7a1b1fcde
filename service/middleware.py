"""Request-level concerns: the key before the body, body size limits, the request log.

All are plain ASGI middleware so they also cover requests that never reach a route (404s,
oversized bodies) and streamed bodies without a Content-Length.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import uuid
from typing import Any, TextIO

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from partnergraph.errors import Forbidden, PartnergraphError

from . import problems
from .auth import Role, key_of, principal_for

access_log = logging.getLogger("partnergraph.access")

UPLOAD_PATHS = ("/api/v1/ingest",)
UPLOAD_ROLES = frozenset({Role.admin})  # who may send an upload at all (the route says the same)
API_PATHS = "/api/"


class _StderrLines(logging.StreamHandler[TextIO]):
    """Writes each record as it is (one JSON line) to whatever `sys.stderr` is at the time.

    Looked up per record rather than bound once: the handler outlives the app that installed
    it, and a stream bound at install time may since have been replaced (and closed) by
    whoever captures stderr, such as pytest.
    """

    def __init__(self) -> None:
        logging.Handler.__init__(self, logging.INFO)
        self.setFormatter(logging.Formatter("%(message)s"))

    @property
    def stream(self) -> TextIO:
        return sys.stderr

    @stream.setter
    def stream(self, _: TextIO) -> None:  # StreamHandler's own code assigns it; ignore that
        pass


def configure_access_log() -> None:
    """Send the request log to stderr at INFO, once per process however many apps are made.

    Nothing else configures logging when uvicorn serves the app (its own config covers only
    the `uvicorn.*` loggers), so without this the lines fall below the root's WARNING and are
    dropped. The logger does not propagate, so a root handler set up by someone else does not
    print every line twice.
    """
    if not any(isinstance(handler, _StderrLines) for handler in access_log.handlers):
        access_log.addHandler(_StderrLines())
    access_log.setLevel(logging.INFO)
    access_log.propagate = False


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """413 for bodies over the limit: uploads have their own, larger limit.

    A declared Content-Length over the limit is refused before the app runs. A body without
    one (chunked) is counted as the app reads it; past the limit the read raises, and whatever
    the app then answers (FastAPI turns any error while reading a body into a 400 "error
    parsing the body") is replaced by the 413, as long as nothing was sent yet.
    """

    def __init__(self, app: ASGIApp, *, max_body: int, max_upload: int) -> None:
        self.app = app
        self.max_body = max_body
        self.max_upload = max_upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        limit = self.max_upload if path.startswith(UPLOAD_PATHS) else self.max_body
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(scope, receive, send, limit)
            return
        seen = 0
        started = False
        overflowed = False  # the body went over the limit before the app started to answer
        answered = False  # the 413 has been sent

        async def counting_receive() -> Message:
            nonlocal seen, overflowed
            if overflowed:
                raise BodyTooLarge  # an app that catches the first error must not read on
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    overflowed = not started
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started, answered
            if overflowed:
                # The app answers a body it could not read; the caller is owed the 413.
                if not answered:
                    answered = True
                    await _too_large(scope, receive, send, limit)
                return
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except BodyTooLarge:
            if not started:
                overflowed = True
        if overflowed and not answered:
            await _too_large(scope, receive, send, limit)


class KeyFirst:
    """401 for a body sent without a valid key, before a byte of it is read.

    FastAPI reads and parses a request's body (an upload is spooled to a temporary file)
    before the route's dependencies check the key, so anyone could make the service write up
    to the upload limit to disk per request. Here the key is checked first for every API
    request that carries a body, and an upload from a role that may not send one is a 403;
    the route's own checks stay as they are. The connection is closed after the refusal: the
    body is never read.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(API_PATHS) or not _has_body(scope):
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        graph = scope["app"].state.graph_state.graph
        try:
            principal = await run_in_threadpool(principal_for, graph, key_of(request))
            if path.startswith(UPLOAD_PATHS) and principal.role not in UPLOAD_ROLES:
                raise Forbidden(
                    f"the role {principal.role.value!r} may not upload (allowed: admin)"
                )
        except PartnergraphError as error:
            response = problems.typed_problem(request, error)
            response.headers["Connection"] = "close"
            await response(scope, receive, send)
            return
        scope.setdefault("state", {})["principal"] = principal  # for the request log
        await self.app(scope, receive, send)


def _has_body(scope: Scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"transfer-encoding":
            return True
        if name == b"content-length" and value.strip() not in (b"", b"0"):
            return True
    return False


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _too_large(scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    # The same problem+json as every other error (German title after Accept-Language). The
    # connection is closed: the rest of the body is not read.
    response = problems.problem(
        413,
        f"the request body is larger than the limit of {limit:,} bytes",
        Request(scope),
        headers={"Connection": "close"},
    )
    await response(scope, receive, send)


class RequestLog:
    """One JSON line per request: id, method, path, status, milliseconds, role."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex[:12]
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (b"x-request-id", request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            state: Any = scope.get("state", {})
            principal = state.get("principal") if isinstance(state, dict) else None
            access_log.info(
                json.dumps(
                    {
                        "request_id": request_id,
                        "method": scope.get("method"),
                        "path": scope.get("path"),
                        "status": status,
                        "ms": round((time.perf_counter() - started) * 1000, 1),
                        "role": getattr(principal, "role", None),
                        "key_id": getattr(principal, "key_id", None),
                    }
                )
            )
