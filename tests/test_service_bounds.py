"""Bounded work per request (issue 18): what an attacker sent a fresh service, sent again.

Every case here once got a 500, a job "failed unexpectedly", or made the service read, spool or
hold far more than it should: cursors holding a lone surrogate, zip entries with long or
clashing names, workbooks that unpack to far more than the upload limit or declare XML entity
bombs, JSON nested past any reason, bodies of callers without a key, and thirty whole-graph
exports at once. The hostile files are made here (tests/hostile_support.py); the service and
Neo4j are real.
"""

from __future__ import annotations

import asyncio
import base64
import gzip
import json
import time
from collections.abc import Iterator, MutableMapping
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from graph import admin, schema
from graph.connection import Graph
from partnergraph.settings import Settings
from service.app import create_app
from tests.hostile_support import (
    billion_laughs_workbook,
    deep_json,
    workbook,
    workbook_bomb,
    zipped_entries,
)
from tests.ingest_support import CANONICAL, run_ingest
from tests.service_support import auth, keys_for_roles

API = "/api/v1"
# what the raw ASGI export calls below answer: status, headers, body
Answer = tuple[int, dict[bytes, bytes], bytes]
ROW = b"key;name;kind\norg-a;A GmbH;company\n"


@pytest.fixture(scope="module")
def keys(neo4j_settings: Settings) -> Iterator[dict[str, str]]:
    with Graph.from_settings(neo4j_settings) as graph:
        admin.delete_everything(graph)
        schema.init_schema(graph)
        assert run_ingest(graph, CANONICAL).ok
        yield keys_for_roles(graph)


@pytest.fixture(scope="module")
def app(neo4j_settings: Settings, keys: dict[str, str]) -> FastAPI:
    return create_app(neo4j_settings.model_copy(update={"max_upload_mb": 1}))


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


def upload(client: TestClient, key: str, name: str, data: bytes) -> Any:
    """An upload as a dry run: what is refused is refused before anything is written, and a
    dry run needs no encoder."""
    return client.post(
        f"{API}/ingest",
        files={"file": (name, data, "application/octet-stream")},
        data={"dry_run": "true"},
        headers=auth(key),
    )


def finished(client: TestClient, key: str, job_id: str, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        job: dict[str, Any] = client.get(f"{API}/ingest/{job_id}", headers=auth(key)).json()
        if job["status"] in ("done", "failed"):
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.1)


def refused(response: Any) -> dict[str, Any]:
    """The one problem of a 422 refusal."""
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    (error,) = response.json()["errors"]
    return error  # type: ignore[no-any-return]


def cursor_of(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


# --- cursors ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/needs", "/organizations"])
@pytest.mark.parametrize(
    "cursor",
    [
        "WyJcdWQ4MDAiLCJ4Il0",  # ["\ud800","x"]: a lone surrogate, unsendable as UTF-8
        cursor_of('["a", 99999999999999999999999]'),  # past 64 bits
        cursor_of('["a", NaN]'),
        cursor_of('["a"]'),
        cursor_of("[" * 300 + "]" * 300),
        "%%%",
        "//8",  # bytes that are no UTF-8
    ],
)
def test_a_cursor_the_service_did_not_make_is_400_with_a_reason(
    client: TestClient, keys: dict[str, str], path: str, cursor: str
) -> None:
    response = client.get(API + path, params={"cursor": cursor}, headers=auth(keys["staff"]))
    assert response.status_code == 400, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "cursor" in response.json()["detail"]


# --- archives -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entries", "named", "reason"),
    [
        ([("daten/" + "x" * 300 + ".csv", ROW)], "daten/xxx", "longer than 255"),
        (
            [("daten/organizations.csv", ROW), ("daten/organizations.csv/needs.csv", ROW)],
            "daten/organizations.csv",
            "a file and a folder of this name",
        ),
        (
            [("daten/needs.csv/x.csv", ROW), ("daten/needs.csv", ROW)],
            "daten/needs.csv",
            "a file and a folder of this name",
        ),
        (
            [("daten/organizations.csv", ROW), ("daten/organizations.csv", b"key;name\n")],
            "daten/organizations.csv",
            "an entry of this name twice",
        ),
        (
            [("daten/a.csv", ROW), ("daten/./a.csv", ROW)],
            "daten/./a.csv",
            "an entry of this name twice",
        ),
    ],
    ids=["long-name", "file-then-folder", "folder-then-file", "same-name-twice", "same-path"],
)
def test_zip_entries_that_clash_or_run_long_are_refused_naming_the_entry(
    client: TestClient,
    keys: dict[str, str],
    entries: list[tuple[str, bytes]],
    named: str,
    reason: str,
) -> None:
    error = refused(upload(client, keys["admin"], "daten.zip", zipped_entries(entries)))
    assert error["file"].startswith(named) and reason in error["reason"]


def test_a_zip_with_a_name_that_is_no_utf8_is_refused(
    client: TestClient, keys: dict[str, str]
) -> None:
    data = bytearray(zipped_entries([("daten/ab.csv", ROW)]))
    # The headers say the name is UTF-8 (flag bit 11, in the local and the central header);
    # its bytes are not.
    for signature, flags_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + flags_at
        data[at : at + 2] = (int.from_bytes(data[at : at + 2], "little") | 0x800).to_bytes(
            2, "little"
        )
    data = bytearray(bytes(data).replace(b"daten/ab.csv", b"daten/a\xff.csv"))
    response = upload(client, keys["admin"], "daten.zip", bytes(data))
    assert response.status_code == 422, response.text
    assert "not a readable .zip" in response.json()["detail"]


# --- workbooks ------------------------------------------------------------------------------------


def test_a_workbook_that_unpacks_past_the_upload_limit_is_refused_before_it_is_parsed(
    client: TestClient, keys: dict[str, str]
) -> None:
    bomb = workbook_bomb(rows=100_000)  # 14 MB of sheet XML in about 60 kB
    assert len(bomb) < 100_000
    error = refused(upload(client, keys["admin"], "organizations.xlsx", bomb))
    assert error["file"] == "organizations.xlsx"
    assert "unpacks to more than 1,048,576 bytes" in error["reason"]
    inside = refused(
        upload(client, keys["admin"], "daten.zip", zipped_entries([("d/orgs.xlsx", bomb)]))
    )
    assert inside["file"] == "d/orgs.xlsx" and "unpacks to more than" in inside["reason"]


def test_a_gzip_file_in_a_zip_that_unpacks_past_the_limit_is_refused(
    client: TestClient, keys: dict[str, str]
) -> None:
    works = gzip.compress(b'{"id": "W1"}\n' * 300_000)  # 4 MB in a few kB
    data = zipped_entries([("openalex/works.jsonl.gz", works)])
    error = refused(upload(client, keys["admin"], "openalex.zip", data))
    assert error["file"] == "openalex/works.jsonl.gz" and "unpacks to more than" in error["reason"]


def test_a_workbook_packed_a_hundred_times_and_more_is_refused_within_the_limit(
    neo4j_settings: Settings, keys: dict[str, str]
) -> None:
    bomb = workbook_bomb(rows=100_000)  # under 50 MB unpacked, but packed 250:1
    with TestClient(create_app(neo4j_settings)) as client:
        error = refused(upload(client, keys["admin"], "organizations.xlsx", bomb))
    assert error["file"] == "xl/worksheets/sheet1.xml" and "a zip bomb?" in error["reason"]


def test_a_billion_laughs_workbook_fails_its_job_naming_the_file_and_the_bomb(
    client: TestClient, keys: dict[str, str]
) -> None:
    accepted = upload(client, keys["admin"], "organizations.xlsx", billion_laughs_workbook())
    assert accepted.status_code == 202, accepted.text
    job = finished(client, keys["admin"], accepted.json()["job_id"])
    assert job["status"] == "failed"
    (problem,) = job["problems"]
    assert problem["file"].startswith("organizations.xlsx")
    assert "declares entities" in problem["reason"] and "unexpectedly" not in job["error"]


def test_a_plain_workbook_still_loads(client: TestClient, keys: dict[str, str]) -> None:
    accepted = upload(client, keys["admin"], "organizations.xlsx", workbook())
    job = finished(client, keys["admin"], accepted.json()["job_id"])
    assert job["status"] == "done", job
    assert job["report"]["counts"]["Organization"] == {
        "created": 1,
        "updated": 0,
        "unchanged": 0,
        "rejected": 0,
    }


# --- deep JSON ------------------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deeply_nested_json_lines_fail_their_job_with_the_reason(
    client: TestClient, keys: dict[str, str], depth: int
) -> None:
    lines = '{"key": "org-flat", "name": "Flach"}\n' + deep_json(depth) + "\n"
    accepted = upload(client, keys["admin"], "organizations.jsonl", lines.encode())
    job = finished(client, keys["admin"], accepted.json()["job_id"])
    assert job["status"] == "failed", job
    (problem,) = job["problems"]
    assert problem["file"] == "organizations.jsonl" and problem["line"] == 2
    assert "nested more than 64 levels" in problem["reason"]


@pytest.mark.parametrize("body", ["[" * 100_000 + "]" * 100_000, deep_json(100_000)])
def test_deeply_nested_json_bodies_are_4xx(
    client: TestClient, keys: dict[str, str], body: str
) -> None:
    response = client.post(
        f"{API}/match",
        content=body.encode(),
        headers={**auth(keys["staff"]), "Content-Type": "application/json"},
    )
    assert 400 <= response.status_code < 500, response.text
    assert response.headers["content-type"] == "application/problem+json"


# --- the key before the body ----------------------------------------------------------------------


def call(app: FastAPI, method: str, path: str, headers: dict[str, str], body: bytes) -> Any:
    """One request straight into the app; what it answered and whether it read the body."""
    read: list[bytes] = []
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        read.append(body)
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "server": ("testserver", 80),
        "client": ("127.0.0.1", 1234),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], json.loads(content), bool(read)


def test_an_upload_is_refused_before_its_body_is_read_without_an_admin_key(
    app: FastAPI, client: TestClient, keys: dict[str, str]
) -> None:
    body = b"--b\r\nContent-Disposition: form-data; name=file; filename=o.csv\r\n\r\n" + ROW
    body += b"\r\n--b--\r\n"
    form = {"Content-Type": "multipart/form-data; boundary=b", "Content-Length": str(len(body))}
    cases = [
        ({}, 401),
        ({"Authorization": "Bearer pg_not_a_key"}, 401),
        (auth(keys["staff"]), 403),
        ({**auth(keys["admin"]), "Content-Length": str(2 << 20)}, 413),
    ]
    for headers, status in cases:
        answered, problem, read = call(app, "POST", f"{API}/ingest", {**form, **headers}, body)
        assert (answered, read) == (status, False), problem
        assert problem["status"] == status and problem["detail"]
    answered, _, read = call(app, "POST", f"{API}/ingest", {**form, **auth(keys["admin"])}, body)
    assert answered == 202 and read


def test_json_bodies_without_a_key_are_not_read_either(app: FastAPI, client: TestClient) -> None:
    body = json.dumps({"text": "Schweißen"}).encode()
    headers = {"Content-Type": "application/json", "Content-Length": str(len(body))}
    answered, problem, read = call(app, "POST", f"{API}/match", headers, body)
    assert (answered, read) == (401, False) and "API key" in problem["detail"]


# --- exports ------------------------------------------------------------------------------------


def test_thirty_exports_at_once_get_429_beyond_the_cap_and_the_first_two_finish(
    app: FastAPI, client: TestClient, keys: dict[str, str]
) -> None:
    """Two slow clients hold the two export slots (their downloads wait on the network, as a
    real slow client's would); the other 28 of 30 are told to come back, at once."""
    headers = [(b"authorization", f"Bearer {keys['staff']}".encode())]

    async def export(
        send_blocks: asyncio.Event | None, started: asyncio.Event
    ) -> tuple[int, dict[bytes, bytes], bytes]:
        sent: list[MutableMapping[str, Any]] = []

        async def receive() -> dict[str, Any]:
            await asyncio.sleep(3600)  # the client never hangs up on its own
            return {"type": "http.disconnect"}

        async def send(message: MutableMapping[str, Any]) -> None:
            sent.append(message)
            if message["type"] == "http.response.start":
                started.set()
            if message["type"] == "http.response.body" and send_blocks is not None:
                await send_blocks.wait()

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": f"{API}/export/gexf",
            "raw_path": f"{API}/export/gexf".encode(),
            "query_string": b"",
            "root_path": "",
            "server": ("testserver", 80),
            "client": ("127.0.0.1", 1234),
            "headers": headers,
        }
        await app(scope, receive, send)
        start = next(m for m in sent if m["type"] == "http.response.start")
        body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
        return start["status"], dict(start["headers"]), body

    async def scenario() -> tuple[list[Answer], list[Answer]]:
        network = asyncio.Event()
        started = [asyncio.Event() for _ in range(2)]
        slow = [asyncio.create_task(export(network, event)) for event in started]
        for event in started:
            await asyncio.wait_for(event.wait(), 60)
        rest = await asyncio.gather(*(export(None, asyncio.Event()) for _ in range(28)))
        network.set()
        return list(await asyncio.gather(*slow)), list(rest)

    slow, rest = asyncio.run(scenario())
    assert [status for status, _, _ in slow] == [200, 200]
    assert all(body.rstrip().endswith(b"</gexf>") for _, _, body in slow)
    assert [status for status, _, _ in rest] == [429] * 28
    for _, headers_, body in rest:
        assert headers_[b"content-type"] == b"application/problem+json"
        assert int(headers_[b"retry-after"]) > 0
        assert "exports" in json.loads(body)["detail"]
    # the slots are free again
    again = client.get(f"{API}/export/gexf", headers=auth(keys["staff"]))
    assert again.status_code == 200


def test_an_export_past_its_time_is_504_before_its_first_byte(
    neo4j_settings: Settings, keys: dict[str, str]
) -> None:
    hasty = neo4j_settings.model_copy(update={"export_timeout_s": 1e-6})
    with TestClient(create_app(hasty)) as client:
        for path in ("/export/graphml", "/export/gexf"):
            response = client.get(API + path, headers=auth(keys["staff"]))
            assert response.status_code == 504, response.text
            assert "PARTNERGRAPH_EXPORT_TIMEOUT_S" in response.json()["detail"]
        # and the slot came back each time
        assert (
            client.get(
                API + "/export/gexf", params={"key": "org-kemper"}, headers=auth(keys["staff"])
            ).status_code
            == 200
        )
