"""Health and readiness of the HTTP service: ready or not for anyone, the reason in the log."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from graph import schema
from graph.connection import Graph
from graph.server import free_port
from partnergraph.settings import Settings
from service.app import create_app
from tests.service_support import auth, keys_for_roles


def test_healthz_answers_while_neo4j_is_down_and_readyz_keeps_the_reason_in_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    settings = Settings(neo4j_uri=f"bolt://127.0.0.1:{free_port()}", neo4j_connect_timeout_s=1)
    with TestClient(create_app(settings)) as client:
        assert client.get("/healthz").json() == {"status": "ok"}
        with caplog.at_level(logging.WARNING, logger="partnergraph.service"):
            ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json() == {"status": "unavailable"}
    assert "is not reachable" in caplog.text and settings.bolt_uri in caplog.text


def test_readyz_is_ok_and_the_service_created_the_schema(
    neo4j_settings: Settings, graph: Graph
) -> None:
    graph.write("MATCH (m:SchemaMeta) DELETE m")
    (staff,) = [secret for role, secret in keys_for_roles(graph).items() if role == "staff"]
    with TestClient(create_app(neo4j_settings)) as client:
        ready = client.get("/readyz")
        with_key = client.get("/readyz", headers=auth(staff))
        wrong_key = client.get("/readyz", headers=auth("pg_not_a_key"))
    assert ready.status_code == 200
    assert ready.json() == {"status": "ok"}  # nothing about Neo4j for anyone
    assert wrong_key.json() == {"status": "ok"}
    assert with_key.json() == {"status": "ok", "neo4j": "up", "uri": neo4j_settings.bolt_uri}
    assert schema.schema_version(graph) == schema.SCHEMA_VERSION


def test_readyz_keeps_a_wrong_password_to_the_log(
    neo4j_settings: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    # Two wrong logins in all (start-up and /readyz): a third would make Neo4j lock the user
    # for a few seconds, and the tests after this one with it.
    wrong = neo4j_settings.model_copy(update={"neo4j_password": SecretStr("not-the-password")})
    with (
        TestClient(create_app(wrong)) as client,
        caplog.at_level(logging.WARNING, logger="partnergraph.service"),
    ):
        ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json() == {"status": "unavailable"}
    assert "refused the user name or password" in caplog.text


def test_503_bodies_do_not_show_where_neo4j_is(caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(neo4j_uri=f"bolt://127.0.0.1:{free_port()}", neo4j_connect_timeout_s=1)
    with (
        TestClient(create_app(settings)) as client,
        caplog.at_level(logging.WARNING, logger="partnergraph.service"),
    ):
        down = client.post("/api/v1/match", json={"text": "x"}, headers=auth("pg_any_key"))
    assert down.status_code == 503
    assert settings.bolt_uri not in down.text and "127.0.0.1" not in down.text
    assert "try again later" in down.json()["detail"]
    assert settings.bolt_uri in caplog.text


def test_openapi_describes_the_operations_endpoints() -> None:
    settings = Settings(neo4j_uri=f"bolt://127.0.0.1:{free_port()}", neo4j_connect_timeout_s=1)
    with TestClient(create_app(settings)) as client:
        paths = client.get("/openapi.json").json()["paths"]
    assert {"/healthz", "/readyz"} <= set(paths)
