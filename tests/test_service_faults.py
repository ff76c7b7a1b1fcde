"""The service while its Neo4j dies and comes back: API routes answer 503 (the reason goes to
the log, not to the caller), then work again without a restart of the service. On a private
Neo4j, so other tests are not hit."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph import schema
from graph.connection import Graph
from graph.server import LocalNeo4j, ServerConfig
from matching.encoder import get_encoder
from service.app import create_app
from service.auth import Role, add_key
from tests.ingest_support import CANONICAL, run_ingest
from tests.service_support import auth
from tests.support import local_test_settings

WELDING = {"text": "Unsere dünnen Edelstahlbleche verziehen sich beim Schweißen", "limit": 5}


@pytest.mark.slow
def test_match_answers_503_while_neo4j_is_down_and_200_once_it_is_back(tmp_path: Path) -> None:
    settings = local_test_settings(tmp_path / "neo4j", neo4j_http_port=0, neo4j_connect_timeout_s=2)
    server = LocalNeo4j(ServerConfig.from_settings(settings))
    server.start()
    try:
        with Graph.from_settings(settings) as graph:
            schema.init_schema(graph)
            assert run_ingest(graph, CANONICAL, get_encoder(settings.model)).ok
            _, staff = add_key(graph, "faults", Role.staff)
        with TestClient(create_app(settings), headers=auth(staff)) as client:
            before = client.post("/api/v1/match", json=WELDING)
            assert before.status_code == 200, before.text
            ranked = [s["key"] for s in before.json()["suggestions"]]
            assert ranked

            pid = server.status().pid
            assert pid is not None
            os.kill(pid, signal.SIGKILL)
            while server.status().running:
                time.sleep(0.05)
            for language, title, detail in (
                ("en", "Graph database unavailable", "try again later"),
                ("de", "Graphdatenbank nicht erreichbar", "bitte später erneut versuchen"),
            ):
                down = client.post(
                    "/api/v1/match", json=WELDING, headers={"Accept-Language": language}
                )
                assert down.status_code == 503, down.text
                assert down.headers["content-type"] == "application/problem+json"
                problem = down.json()
                assert problem["title"] == title
                assert problem["instance"] == "/api/v1/match"
                assert settings.bolt_uri not in down.text  # where Neo4j is stays in the log
                assert detail in problem["detail"]
            assert client.get("/healthz").status_code == 200
            assert client.get("/readyz").status_code == 503

            server.start()
            # The first request after the restart already succeeds: the driver dropped the
            # dead connections while Neo4j was down, nothing is left to fail once.
            after = client.post("/api/v1/match", json=WELDING)
            assert after.status_code == 200, after.text
            assert [s["key"] for s in after.json()["suggestions"]] == ranked
            assert client.get("/readyz").status_code == 200
    finally:
        server.stop()
