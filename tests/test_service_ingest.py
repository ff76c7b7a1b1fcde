"""Ingest over HTTP: real files uploaded, a job polled to its report, hostile archives refused.

The uploads are the test fixtures themselves: the canonical folder zipped, malformed files from
tests/fixtures/malformed, and archives built here with entries that try to leave their folder
or unpack to far more than the upload limit.
"""

from __future__ import annotations

import io
import stat
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.connection import Graph
from graph.dump import dump
from partnergraph.errors import IngestError
from partnergraph.settings import Settings
from service import jobs
from service.app import create_app
from tests.ingest_support import CANONICAL, FIXTURES, run_ingest
from tests.service_support import auth, keys_for_roles

API = "/api/v1"
MALFORMED = FIXTURES / "malformed"


def zipped(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def zipped_folder(folder: Path, prefix: str) -> bytes:
    return zipped({f"{prefix}/{f.name}": f.read_bytes() for f in sorted(folder.iterdir())})


@pytest.fixture
def keys(graph: Graph) -> dict[str, str]:
    return keys_for_roles(graph)


@pytest.fixture
def client(neo4j_settings: Settings, graph: Graph) -> Iterator[TestClient]:
    with TestClient(create_app(neo4j_settings)) as client:
        yield client


def upload(client: TestClient, key: str, name: str, data: bytes, **form: Any) -> Any:
    return client.post(
        f"{API}/ingest",
        files={"file": (name, data, "application/octet-stream")},
        data={k: str(v).lower() if isinstance(v, bool) else v for k, v in form.items()},
        headers=auth(key),
    )


def finished(client: TestClient, key: str, job_id: str, timeout: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        response = client.get(f"{API}/ingest/{job_id}", headers=auth(key))
        assert response.status_code == 200, response.text
        job: dict[str, Any] = response.json()
        if job["status"] in ("done", "failed"):
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.1)


def test_a_zipped_canonical_folder_loads_as_with_the_cli(
    client: TestClient, keys: dict[str, str], graph: Graph
) -> None:
    accepted = upload(client, keys["admin"], "canonical.zip", zipped_folder(CANONICAL, "canonical"))
    assert accepted.status_code == 202, accepted.text
    assert accepted.json()["status"] in ("queued", "running")
    job = finished(client, keys["admin"], accepted.json()["job_id"])
    assert job["status"] == "done" and job["problems"] == [] and job["error"] is None
    report = job["report"]
    assert report["ok"] and report["source"] == "canonical" and not report["dry_run"]
    assert report["counts"]["Organization"]["created"] == 8
    assert report["counts"]["Need"]["created"] == 3
    assert report["embedded"] > 0
    stored = graph.read(
        "MATCH (c:Competence) RETURN count(c) AS all, count(c.embedding) AS embedded"
    )
    assert stored == [{"all": 7, "embedded": 7}]


def test_a_dry_run_counts_and_writes_nothing(
    client: TestClient, keys: dict[str, str], graph: Graph
) -> None:
    accepted = upload(
        client,
        keys["admin"],
        "crm.zip",
        zipped_folder(CANONICAL, "export"),
        dry_run=True,
        source="crm",
    )
    job = finished(client, keys["admin"], accepted.json()["job_id"])
    assert job["status"] == "done" and job["dry_run"] and job["source"] == "crm"
    assert job["report"]["counts"]["Organization"]["created"] == 8
    assert job["report"]["source"] == "crm"
    assert graph.read("MATCH (o:Organization) RETURN count(o) AS n") == [{"n": 0}]


@pytest.mark.parametrize(
    ("case", "as_zip", "expected"),
    [
        (
            "bad_postcode",
            False,
            {"file": "organizations.csv", "line": 3, "field": "postcode"},
        ),
        (
            "bad_reference_cascade",
            True,
            {"file": "bad_reference_cascade/competences.csv", "line": 2, "field": "owner_key"},
        ),
    ],
)
def test_malformed_files_report_file_line_field_and_write_nothing(
    client: TestClient,
    keys: dict[str, str],
    graph: Graph,
    case: str,
    as_zip: bool,
    expected: dict[str, Any],
) -> None:
    assert run_ingest(graph, CANONICAL).ok
    before = dump(graph)
    folder = MALFORMED / case
    if as_zip:
        accepted = upload(client, keys["admin"], f"{case}.zip", zipped_folder(folder, case))
    else:
        (file,) = folder.iterdir()
        accepted = upload(client, keys["admin"], file.name, file.read_bytes())
    job = finished(client, keys["admin"], accepted.json()["job_id"])
    assert job["status"] == "done" and job["report"]["ok"] is False
    problem = next(p for p in job["problems"] if p["file"] == expected["file"])
    assert {k: problem[k] for k in expected} == expected
    if case == "bad_postcode":  # an optional cell: the row would load without it
        assert job["report"]["skip_invalid_would"] == {
            "organizations.csv": {"whole": 2, "with_dropped_cells": 1, "dropped": 0}
        }
    assert problem["reason"] and "/tmp" not in str(job) and "partnergraph-ingest" not in str(job)
    assert sum(c["rejected"] for c in job["report"]["counts"].values()) >= 1
    assert job["problems_total"] == len(job["problems"])
    assert dump(graph) == before


def test_a_file_that_cannot_be_read_fails_the_job_with_its_problem(
    client: TestClient, keys: dict[str, str], graph: Graph
) -> None:
    data = (MALFORMED / "utf16" / "organizations.csv").read_bytes()
    job = finished(
        client,
        keys["admin"],
        upload(client, keys["admin"], "organizations.csv", data).json()["job_id"],
    )
    assert job["status"] == "failed" and job["report"] is None
    (problem,) = job["problems"]
    assert problem["file"] == "organizations.csv" and "UTF-16" in problem["reason"]
    assert graph.read("MATCH (o:Organization) RETURN count(o) AS n") == [{"n": 0}]


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ("../organizations.csv", ".."),
        ("daten/../../organizations.csv", ".."),
        ("/etc/organizations.csv", "absolute path"),
        ("C:/daten/organizations.csv", "absolute path"),
        ("..\\organizations.csv", ".."),
    ],
)
def test_archives_that_leave_their_folder_are_refused(
    client: TestClient,
    keys: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    entry: str,
    reason: str,
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    data = zipped({"daten/needs.csv": b"key;org_key;title\n", entry: b"key;name;kind\n"})
    response = upload(client, keys["admin"], "daten.zip", data)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    (error,) = response.json()["errors"]
    assert error["file"] == entry and reason in error["reason"]
    assert list(tmp_path.iterdir()) == []  # nothing left on disk
    assert not (tmp_path.parent / "organizations.csv").exists()


def test_links_and_zip_bombs_are_refused(
    neo4j_settings: Settings, graph: Graph, keys: dict[str, str]
) -> None:
    link = zipfile.ZipInfo("daten/organizations.csv")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(link, "/etc/passwd")
    # 3 MB of one repeated row packs into a few kilobytes
    bomb = zipped({"daten/organizations.csv": b"key;name;kind\n" + b"a;b;company\n" * 250_000})
    assert len(bomb) < 50_000
    one_megabyte = neo4j_settings.model_copy(update={"max_upload_mb": 1})
    with TestClient(create_app(one_megabyte)) as client:
        refused_link = upload(client, keys["admin"], "daten.zip", out.getvalue())
        refused_bomb = upload(client, keys["admin"], "daten.zip", bomb)
        too_big = upload(client, keys["admin"], "organizations.csv", b"x" * (2 << 20))
        not_a_zip = upload(client, keys["admin"], "daten.zip", b"PK not really")
    assert refused_link.status_code == 422 and "link" in refused_link.json()["detail"]
    assert refused_bomb.status_code == 422
    assert "unpacks to more than 1,048,576 bytes" in refused_bomb.json()["detail"]
    assert too_big.status_code == 413
    assert not_a_zip.status_code == 422 and "not a readable .zip" in not_a_zip.json()["detail"]


def test_ingest_is_for_admins_and_jobs_are_found_by_id(
    client: TestClient, keys: dict[str, str]
) -> None:
    data = (CANONICAL / "events.csv").read_bytes()
    assert upload(client, keys["staff"], "events.csv", data).status_code == 403
    assert client.post(f"{API}/ingest", files={"file": ("e.csv", data)}).status_code == 401
    assert client.get(f"{API}/ingest/abc", headers=auth(keys["staff"])).status_code == 403
    missing = client.get(f"{API}/ingest/abc", headers=auth(keys["admin"]))
    assert missing.status_code == 404
    wrong = upload(client, keys["admin"], "tool.exe", b"MZ")
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["file"] == "tool.exe"
    bad_format = upload(client, keys["admin"], "events.csv", data, format="pdf")
    assert bad_format.status_code == 422


# --- the upload helpers without a service --------------------------------------------------------


def test_safe_names_keep_the_file_name_only() -> None:
    assert jobs.safe_name("C:\\Users\\x\\Bedarfe.csv") == "Bedarfe.csv"
    assert jobs.safe_name("../../etc/organizations.csv") == "organizations.csv"
    assert jobs.safe_name("a<b>|c.csv") == "a_b__c.csv"
    assert jobs.safe_name("..") == "upload" and jobs.safe_name(None) == "upload"


def test_an_archive_with_one_folder_is_loaded_from_that_folder(tmp_path: Path) -> None:
    archive = tmp_path / "x.zip"
    archive.write_bytes(
        zipped(
            {
                "export/organizations.csv": b"key;name;kind\n",
                "__MACOSX/export/._organizations.csv": b"\x00\x05",
                "export/": b"",
            }
        )
    )
    assert jobs.extract_zip(archive, tmp_path / "out", 1 << 20) == tmp_path / "out" / "export"
    assert not (tmp_path / "out" / "__MACOSX").exists()
    flat = tmp_path / "flat.zip"
    flat.write_bytes(zipped({"organizations.csv": b"a", "needs.csv": b"b"}))
    assert jobs.extract_zip(flat, tmp_path / "flat", 1 << 20) == tmp_path / "flat"
    empty = tmp_path / "empty.zip"
    empty.write_bytes(zipped({"__MACOSX/._x": b""}))
    with pytest.raises(IngestError, match="no files"):
        jobs.extract_zip(empty, tmp_path / "empty", 1 << 20)


def test_any_worker_process_answers_a_poll_and_a_dead_workers_job_is_failed(
    neo4j_settings: Settings, graph: Graph, keys: dict[str, str], tmp_path: Path
) -> None:
    settings = neo4j_settings.model_copy(update={"jobs_dir": tmp_path / "jobs"})
    with TestClient(create_app(settings)) as first, TestClient(create_app(settings)) as second:
        accepted = upload(first, keys["admin"], "canonical.zip", zipped_folder(CANONICAL, "c"))
        job_id = accepted.json()["job_id"]
        done = finished(second, keys["admin"], job_id)  # the other "worker" polls
    assert done["status"] == "done" and done["report"]["counts"]["Organization"]["created"] == 8

    stale = tmp_path / "jobs" / "0123456789abcdef.json"
    stale.write_text(
        (tmp_path / "jobs" / f"{job_id}.json")
        .read_text("utf-8")
        .replace(job_id, "0123456789abcdef")
        .replace('"status": "done"', '"status": "running"')
        .replace(f'"pid": {__import__("os").getpid()}', '"pid": 999999999'),
        "utf-8",
    )
    with TestClient(create_app(settings)) as third:
        response = third.get(f"{API}/ingest/0123456789abcdef", headers=auth(keys["admin"]))
    assert response.json()["status"] == "failed"
    assert "process running this job stopped" in response.json()["error"]
