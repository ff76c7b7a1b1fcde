"""The request log and the body limit: through the app in-process, and through `partnergraph
serve` (uvicorn on a socket), where what reaches stderr and what a chunked body gets matter."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from graph.connection import Graph
from graph.server import free_port
from partnergraph.settings import Settings
from service.app import create_app
from service.auth import Role, add_key
from service.middleware import access_log
from tests.service_support import auth, keys_for_roles

ROOT = Path(__file__).resolve().parents[1]


def request_lines(stderr: str) -> list[dict[str, Any]]:
    """The request log's lines among whatever else went to stderr."""
    lines = []
    for line in stderr.splitlines():
        try:
            parsed = json.loads(line)
        except ValueError:
            continue
        if isinstance(parsed, dict) and "request_id" in parsed:
            lines.append(parsed)
    return lines


def chunks(*parts: bytes) -> Iterator[bytes]:
    """A body httpx sends chunked: a generator has no length to declare."""
    yield from parts


# --- in-process --------------------------------------------------------------------------------


def test_each_request_is_logged_as_one_json_line_with_its_role(
    neo4j_settings: Settings, graph: Graph, capsys: pytest.CaptureFixture[str]
) -> None:
    staff = keys_for_roles(graph)["staff"]
    create_app(neo4j_settings)  # another app in the same process adds no second handler
    with TestClient(create_app(neo4j_settings)) as client:
        capsys.readouterr()
        me = client.get("/api/v1/me", headers=auth(staff))
        missing = client.get("/api/v1/nirgends")
        logged = request_lines(capsys.readouterr().err)
    assert me.status_code == 200 and missing.status_code == 404
    assert [(line["method"], line["path"], line["status"], line["role"]) for line in logged] == [
        ("GET", "/api/v1/me", 200, "staff"),
        ("GET", "/api/v1/nirgends", 404, None),  # no route, so no key read and no role
    ]
    assert logged[0]["request_id"] == me.headers["x-request-id"]
    assert all(isinstance(line["ms"], float) and line["ms"] >= 0 for line in logged)
    assert logged[0]["key_id"]
    assert sum(handler.__class__.__name__ == "_StderrLines" for handler in access_log.handlers) == 1


def test_a_declared_oversized_body_gets_413_problem_json_in_german(
    neo4j_settings: Settings, graph: Graph
) -> None:
    small = neo4j_settings.model_copy(update={"max_body_kb": 1})
    with TestClient(create_app(small)) as client:
        response = client.post(
            "/api/v1/needs", content=b"x" * 4096, headers={"Accept-Language": "de-DE"}
        )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json() == {
        "type": "about:blank",
        "title": "Anfrage zu groß",
        "status": 413,
        "detail": "the request body is larger than the limit of 1,024 bytes",
        "instance": "/api/v1/needs",
    }


def test_a_chunked_oversized_body_gets_413_not_a_parse_error(
    neo4j_settings: Settings, graph: Graph
) -> None:
    staff = keys_for_roles(graph)["staff"]
    small = neo4j_settings.model_copy(update={"max_body_kb": 1})
    with TestClient(create_app(small), headers=auth(staff)) as client:
        response = client.post(
            "/api/v1/needs",
            content=chunks(b'{"title": "', b"x" * 600, b"x" * 600, b'"}'),
            headers={"Content-Type": "application/json"},
        )
        fits = client.post(
            "/api/v1/needs",
            content=chunks(b'{"org_key": "org-nope", ', b'"title": "Ein Test"}'),
            headers={"Content-Type": "application/json"},
        )
    assert "content-length" not in response.request.headers
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Request too large"
    assert fits.status_code == 422  # read and parsed: only `text` is missing
    assert [error["field"] for error in fits.json()["errors"]] == ["text"]


# --- served by uvicorn -------------------------------------------------------------------------


@dataclass
class Served:
    base: str
    stderr: Path
    staff: str

    def logged(self, response: httpx.Response) -> list[dict[str, Any]]:
        """The log's lines for `response`, waiting briefly: the line is written once the
        response is sent, so it may come a moment after the client has read it."""
        request_id = response.headers["x-request-id"]
        deadline = time.monotonic() + 5
        while True:
            text = self.stderr.read_text(encoding="utf-8", errors="replace")
            found = [line for line in request_lines(text) if line["request_id"] == request_id]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.05)


@pytest.fixture(scope="module")
def served(neo4j_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`partnergraph serve` on the session's Neo4j with a 1 KiB body limit; stderr to a file."""
    with Graph.from_settings(neo4j_settings) as graph:
        _, staff = add_key(graph, "served", Role.staff)
    work = tmp_path_factory.mktemp("served")  # no .env here: only the environment below counts
    port = free_port()
    environment = {
        **os.environ,
        "NEO4J_URI": neo4j_settings.bolt_uri,
        "NEO4J_USER": neo4j_settings.neo4j_user,
        "NEO4J_PASSWORD": neo4j_settings.neo4j_secret(),
        "NEO4J_DATABASE": neo4j_settings.neo4j_database,
        "PARTNERGRAPH_PORT": str(port),
        "PARTNERGRAPH_MAX_BODY_KB": "1",
        "PARTNERGRAPH_JOBS_DIR": str(work / "jobs"),
    }
    stderr = work / "stderr.log"
    with stderr.open("wb") as sink:
        process = subprocess.Popen(
            [str(Path(sys.executable).parent / "partnergraph"), "serve"],
            cwd=work,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=sink,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, stderr.read_text()
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, stderr.read_text()
            time.sleep(0.2)
        yield Served(base, stderr, staff)
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_served_requests_are_logged_to_stderr_as_json_lines(served: Served) -> None:
    me = httpx.get(f"{served.base}/api/v1/me", headers=auth(served.staff), timeout=10)
    assert me.status_code == 200
    found = served.logged(me)
    assert len(found) == 1, served.stderr.read_text()
    line = found[0]
    assert (line["method"], line["path"], line["status"], line["role"]) == (
        "GET",
        "/api/v1/me",
        200,
        "staff",
    )
    assert isinstance(line["ms"], float)
    # one line per request: uvicorn's own access line would repeat it
    assert '"GET /api/v1/me HTTP/1.1"' not in served.stderr.read_text()


def test_a_served_chunked_body_over_the_limit_gets_413_problem_json(served: Served) -> None:
    headers = {**auth(served.staff), "Content-Type": "application/json", "Accept-Language": "de"}
    # The limit is passed by the last chunk, so the whole body is on its way before the 413
    # closes the connection (the client reads the answer, not a reset).
    response = httpx.post(
        f"{served.base}/api/v1/needs",
        content=chunks(b'{"title": "', b"x" * 520, b"x" * 520 + b'"}'),  # 1,053 bytes
        headers=headers,
        timeout=10,
    )
    assert response.request.headers["transfer-encoding"] == "chunked"
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["title"] == "Anfrage zu groß"
    assert response.json()["detail"] == "the request body is larger than the limit of 1,024 bytes"
    assert [line["status"] for line in served.logged(response)] == [413]

    fits = httpx.post(
        f"{served.base}/api/v1/needs",
        content=chunks(b'{"org_key": "org-nope", ', b'"title": "Ein Test"}'),
        headers=headers,
        timeout=10,
    )
    assert fits.status_code == 422
