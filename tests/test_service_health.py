"""Health and readiness of the HTTP service."""

from __future__ import annotations

from fastapi.testclient import TestClient
from pydantic import SecretStr

from graph import schema
from graph.connection import Graph
from graph.server import free_port
from partnergraph.settings import Settings
from service.app import create_app


def test_healthz_answers_while_neo4j_is_down() -> None:
    settings = Settings(neo4j_uri=f"bolt://127.0.0.1:{free_port()}", neo4j_connect_timeout_s=1)
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        ready = client.get("/readyz")
    assert ready.status_code == 503
    body = ready.json()
    assert body["status"] == "unavailable"
    assert "is not reachable" in body["reason"]


def test_readyz_is_ok_and_the_service_created_the_schema(
    neo4j_settings: Settings, graph: Graph
) -> None:
    graph.write("MATCH (m:SchemaMeta) DELETE m")
    with TestClient(create_app(neo4j_settings)) as client:
        ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ok"
    assert schema.schema_version(graph) == schema.SCHEMA_VERSION


def test_readyz_reports_a_wrong_password(neo4j_settings: Settings) -> None:
    wrong = neo4j_settings.model_copy(update={"neo4j_password": SecretStr("not-the-password")})
    with TestClient(create_app(wrong)) as client:
        ready = client.get("/readyz")
    assert ready.status_code == 503
    assert "refused the user name or password" in ready.json()["reason"]


def test_openapi_describes_the_operations_endpoints() -> None:
    settings = Settings(neo4j_uri=f"bolt://127.0.0.1:{free_port()}", neo4j_connect_timeout_s=1)
    with TestClient(create_app(settings)) as client:
        paths = client.get("/openapi.json").json()["paths"]
    assert {"/healthz", "/readyz"} <= set(paths)
