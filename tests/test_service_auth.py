"""API keys: hashed at rest, 401 without or with a revoked key, 403 for the wrong role."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from graph import keys
from graph.connection import Graph
from partnergraph.cli import app as cli
from partnergraph.settings import Settings
from service.app import create_app
from service.auth import hash_key
from tests.service_support import auth, keys_for_roles


def test_a_request_without_a_key_gets_401_as_problem_json(
    neo4j_settings: Settings, graph: Graph
) -> None:
    with TestClient(create_app(neo4j_settings)) as client:
        response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["www-authenticate"] == "Bearer"
    assert "API key" in response.json()["detail"]


def test_a_key_works_by_bearer_or_header_and_only_its_hash_is_stored(
    neo4j_settings: Settings, graph: Graph
) -> None:
    made = keys_for_roles(graph)
    with TestClient(create_app(neo4j_settings)) as client:
        by_bearer = client.get("/api/v1/me", headers=auth(made["university"]))
        by_header = client.get("/api/v1/me", headers={"X-API-Key": made["analyst"]})
    assert by_bearer.json()["role"] == "university"
    assert by_bearer.json()["organization"] == "uni-test"
    assert by_header.json()["role"] == "analyst"
    stored = graph.read("MATCH (k:ApiKey) RETURN properties(k) AS p")
    dumped = json.dumps([row["p"] for row in stored], default=str)
    for secret in made.values():
        assert secret not in dumped
        assert hash_key(secret) in dumped


def test_a_revoked_key_gets_401(neo4j_settings: Settings, graph: Graph) -> None:
    made = keys_for_roles(graph)
    staff_id = next(row["id"] for row in keys.list_keys(graph) if row["role"] == "staff")
    assert keys.revoke_key(graph, staff_id)
    with TestClient(create_app(neo4j_settings)) as client:
        response = client.get("/api/v1/me", headers=auth(made["staff"]))
    assert response.status_code == 401
    assert "revoked" in response.json()["detail"]


def test_german_titles_follow_accept_language(neo4j_settings: Settings, graph: Graph) -> None:
    with TestClient(create_app(neo4j_settings)) as client:
        response = client.get("/api/v1/me", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert response.json()["title"] == "API-Schlüssel fehlt oder ist ungültig"


def test_an_oversized_body_gets_413(neo4j_settings: Settings, graph: Graph) -> None:
    small = neo4j_settings.model_copy(update={"max_body_kb": 1})
    with TestClient(create_app(small)) as client:
        response = client.post("/api/v1/me", content=b"x" * 4096)
    assert response.status_code == 413
    assert response.json()["status"] == 413


def test_keys_cli_adds_lists_and_revokes(
    neo4j_settings: Settings, graph: Graph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("partnergraph.cli._settings", lambda: neo4j_settings)
    runner = CliRunner()
    added = runner.invoke(cli, ["keys", "add", "Transfer office", "--role", "university"])
    assert added.exit_code != 0  # a university key needs its organisation
    added = runner.invoke(
        cli, ["keys", "add", "Transfer office", "--role", "university", "--organization", "u1"]
    )
    assert added.exit_code == 0, added.output
    secret = added.stdout.strip().splitlines()[-1]
    assert secret.startswith("pg_")
    listed = json.loads(runner.invoke(cli, ["keys", "list", "--json"]).stdout)
    assert [(k["name"], k["role"], k["revoked_at"]) for k in listed] == [
        ("Transfer office", "university", None)
    ]
    assert runner.invoke(cli, ["keys", "revoke", listed[0]["id"]]).exit_code == 0
    assert json.loads(runner.invoke(cli, ["keys", "list", "--json"]).stdout)[0]["revoked_at"]
    assert runner.invoke(cli, ["keys", "revoke", "nope"]).exit_code != 0
