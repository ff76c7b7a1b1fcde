"""The service while its Neo4j dies and comes back: API routes answer 503 (the reason goes to
the log, not to the caller), then work again without a restart of the service. On the spare
Neo4j of the tests that kill theirs, so other tests are not hit."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from graph.connection import Graph
from graph.server import LocalNeo4j
from matching.encoder import get_encoder
from partnergraph.settings import Settings
from service.app import create_app
from service.auth import Role, add_key
from tests.ingest_support import CANONICAL, run_ingest
from tests.service_support import auth
from tests.support import crash

WELDING = {"text": "Unsere dünnen Edelstahlbleche verziehen sich beim Schweißen", "limit": 5}


@pytest.mark.slow
def test_match_answers_503_while_neo4j_is_down_and_200_once_it_is_back(
    killable_neo4j: tuple[LocalNeo4j, Settings],
) -> None:
    server, settings = killable_neo4j
    with Graph.from_settings(settings) as graph:
        assert run_ingest(graph, CANONICAL, get_encoder(settings.model)).ok
        _, staff = add_key(graph, "faults", Role.staff)
    with TestClient(create_app(settings), headers=auth(staff)) as client:
        before = client.post("/api/v1/match", json=WELDING)
        assert before.status_code == 200, before.text
        ranked = [s["key"] for s in before.json()["suggestions"]]
        assert ranked

        crash(server)
        for language, title, detail in (
            ("en", "Graph database unavailable", "try again later"),
            ("de", "Graphdatenbank nicht erreichbar", "bitte später erneut versuchen"),
        ):
            down = client.post("/api/v1/match", json=WELDING, headers={"Accept-Language": language})
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
