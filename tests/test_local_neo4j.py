"""The local Neo4j server: start, answer, refuse, stop, restart; and the driver's errors."""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from graph import server as graph_server
from graph.connection import Graph
from graph.server import LocalNeo4j, ServerConfig, find_java, free_port
from partnergraph.errors import ConfigError, GraphAuthError, GraphUnavailable, Neo4jServerError
from partnergraph.settings import Settings
from service.app import create_app
from tests.support import TEST_PASSWORD, crash, local_test_settings, settle


def test_session_server_answers_with_the_configured_password(neo4j_settings: Settings) -> None:
    with Graph.from_settings(neo4j_settings) as graph:
        graph.ping()
        assert graph.read("RETURN 40 + 2 AS answer") == [{"answer": 42}]


def test_local_server_reports_its_pid_memory_and_browser(neo4j_settings: Settings) -> None:
    if not neo4j_settings.uses_local_server:
        pytest.skip("the suite runs against TEST_NEO4J_URI")
    status = LocalNeo4j(ServerConfig.from_settings(neo4j_settings)).status()
    assert status.running and status.answers
    assert status.rss_bytes is not None and status.rss_bytes > 100 * 2**20
    assert status.http_url is not None


def test_local_server_builds_vector_indexes_in_few_large_graphs(neo4j_settings: Settings) -> None:
    """Neo4j's default (1 MB per build) makes hundreds of small HNSW graphs that every query
    searches; the launcher gives the build a share of the heap (the server logs its settings)."""
    if not neo4j_settings.uses_local_server:
        pytest.skip("the suite runs against TEST_NEO4J_URI")
    log = (neo4j_settings.neo4j_home / "logs" / "debug.log").read_text(encoding="utf-8")
    values = re.findall(r"internal\.dbms\.index\.vector\.population_ram_buffer_size=([\d.]+)", log)
    assert values, "the vector build buffer is not set"
    # 768 MB of heap in the tests: a sixteenth, between the floor of 16 and the cap of 128
    assert 16 <= float(values[-1]) <= 128 and float(values[-1]) > 1


def test_starting_a_running_server_reuses_it(neo4j_settings: Settings) -> None:
    if not neo4j_settings.uses_local_server:
        pytest.skip("the suite runs against TEST_NEO4J_URI")
    server = LocalNeo4j(ServerConfig.from_settings(neo4j_settings))
    before = server.status().pid
    assert server.start().pid == before


def test_wrong_password_is_a_clear_auth_error(neo4j_settings: Settings) -> None:
    wrong = neo4j_settings.model_copy(update={"neo4j_password": SecretStr("not-the-password")})
    with Graph.from_settings(wrong) as graph, pytest.raises(GraphAuthError) as caught:
        graph.ping()
    assert "refused the user name or password" in str(caught.value)
    assert "NEO4J_PASSWORD" in str(caught.value)
    settle(neo4j_settings)


def test_repeated_wrong_passwords_stay_a_clear_auth_error_and_the_right_one_works_after(
    neo4j_settings: Settings,
) -> None:
    wrong = neo4j_settings.model_copy(update={"neo4j_password": SecretStr("not-the-password")})
    said = []
    for _ in range(4):  # Neo4j locks the user for a while after three wrong logins in a row
        with Graph.from_settings(wrong) as graph, pytest.raises(GraphAuthError) as caught:
            graph.ping()
        said.append(str(caught.value))
    assert "too many wrong passwords" in said[-1] and "NEO4J_PASSWORD" in said[-1]
    settle(neo4j_settings)


def test_unreachable_server_is_a_clear_unavailable_error() -> None:
    settings = Settings(neo4j_uri=f"bolt://127.0.0.1:{free_port()}", neo4j_connect_timeout_s=2)
    with Graph.from_settings(settings) as graph, pytest.raises(GraphUnavailable) as caught:
        graph.ping()
    assert "is not reachable" in str(caught.value)


def test_malformed_uri_is_reported() -> None:
    with pytest.raises(ConfigError, match="not a Bolt address"):
        Graph.from_settings(Settings(neo4j_uri="http://nowhere:7474"))


def test_start_refuses_a_port_taken_by_another_process(tmp_path: Path) -> None:
    settings = local_test_settings(tmp_path)
    with socket.socket() as blocker:
        blocker.bind(("127.0.0.1", settings.neo4j_bolt_port))
        blocker.listen()
        with pytest.raises(Neo4jServerError) as caught:
            LocalNeo4j(ServerConfig.from_settings(settings)).start()
    message = str(caught.value)
    assert f"Port {settings.neo4j_bolt_port}" in message and "NEO4J_BOLT_PORT" in message


def test_missing_java_is_explained(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    with pytest.raises(Neo4jServerError, match=r"Java 17 or newer is needed.*NEO4J_URI"):
        find_java()


def test_unresolvable_artifacts_are_reported(tmp_path: Path) -> None:
    launcher = tmp_path / "launcher"
    shutil.copytree(Path(__file__).parents[1] / "graph" / "launcher", launcher)
    pom = launcher / "pom.xml"
    pom.write_text(pom.read_text().replace("<neo4j.version>5.26", "<neo4j.version>0.0.0-none-"))
    settings = local_test_settings(tmp_path / "home")
    config = ServerConfig.from_settings(settings)
    config = ServerConfig(
        **{**config.__dict__, "launcher_dir": launcher, "cache_dir": tmp_path / "cache"}
    )
    with pytest.raises(Neo4jServerError) as caught:
        LocalNeo4j(config).install()
    assert "Maven could not resolve the Neo4j artifacts" in str(caught.value)
    assert "0.0.0-none-" in str(caught.value)


@pytest.mark.slow
def test_readiness_follows_neo4j_through_a_crash_and_restart(
    killable_neo4j: tuple[LocalNeo4j, Settings],
) -> None:
    server, settings = killable_neo4j
    with TestClient(create_app(settings)) as client:
        assert client.get("/readyz").status_code == 200

        crashed = server.status().pid
        crash(server)
        # its process object is let go (else "subprocess … is still running" at exit)
        assert crashed not in graph_server._STARTED
        down = client.get("/readyz")
        assert down.status_code == 503
        assert down.json()["status"] == "unavailable"
        assert client.get("/healthz").status_code == 200

        started = time.monotonic()
        server.start()
        warm_start_s = time.monotonic() - started
        up = client.get("/readyz")
        assert up.status_code == 200, up.text
        assert up.json()["status"] == "ok"
    assert warm_start_s < 60


@pytest.mark.slow
def test_stop_ends_the_server_and_frees_its_port(tmp_path: Path) -> None:
    settings = local_test_settings(tmp_path, neo4j_http_port=0)
    server = LocalNeo4j(ServerConfig.from_settings(settings))
    server.start()
    assert server.stop() is True
    status = server.status()
    assert not status.running and not status.answers
    assert not server.pid_file.exists()
    assert server.stop() is False
    with Graph.from_settings(settings) as graph, pytest.raises(GraphUnavailable):
        graph.ping()
    assert TEST_PASSWORD  # the data folder keeps the password for the next start


@contextmanager
def small_disk(tmp_path: Path, size: str, *options: str) -> Iterator[Path]:
    """A tmpfs of `size` mounted for the test (needs root); skipped where mounting is denied."""
    mount = tmp_path / "disk"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", ",".join([f"size={size}", *options]), "tmpfs", str(mount)],
        capture_output=True,
    )
    if done.returncode != 0:
        pytest.skip("mounting a small disk needs root: " + done.stderr.decode().strip())
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_a_full_disk_under_the_data_folder_is_named_before_neo4j_starts(tmp_path: Path) -> None:
    with small_disk(tmp_path, "20m") as disk:
        settings = local_test_settings(disk / "neo4j", neo4j_http_port=0)
        with pytest.raises(Neo4jServerError) as caught:
            LocalNeo4j(ServerConfig.from_settings(settings)).start()
    message = str(caught.value)
    assert "MB free" in message and "NEO4J_HOME" in message and str(disk) in message


def test_a_data_folder_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    with small_disk(tmp_path, "20m", "ro") as disk:
        settings = local_test_settings(disk / "neo4j", neo4j_http_port=0)
        with pytest.raises(Neo4jServerError) as caught:
            LocalNeo4j(ServerConfig.from_settings(settings)).start()
    message = str(caught.value)
    assert "cannot be written" in message and "Read-only file system" in message
    assert "NEO4J_HOME" in message
