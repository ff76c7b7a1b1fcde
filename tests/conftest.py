"""Fixtures: one real Neo4j per test session, emptied before each test that uses it.

The server is started by `graph.server` on free ports in a temporary folder. To run the suite
against another server instead, set TEST_NEO4J_URI (and TEST_NEO4J_USER, TEST_NEO4J_PASSWORD,
TEST_NEO4J_DATABASE): its database is emptied by the tests. NEO4J_URI is deliberately not used
here, so a developer's `.env` never points the tests at data that matters.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from graph import admin, schema
from graph.connection import Graph
from graph.server import LocalNeo4j, ServerConfig
from partnergraph.settings import Settings
from tests.support import local_test_settings

# Hermetic settings: neither the shell's variables nor a developer's .env reach the tests.
for _name in list(os.environ):
    if _name.startswith(("NEO4J_", "PARTNERGRAPH_")):
        del os.environ[_name]
Settings.model_config["env_file"] = None


@pytest.fixture(scope="session")
def neo4j_settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """Settings pointing at the session's Neo4j (local, or TEST_NEO4J_URI)."""
    external = os.environ.get("TEST_NEO4J_URI")
    if external:
        yield Settings(
            neo4j_uri=external,
            neo4j_user=os.environ.get("TEST_NEO4J_USER", "neo4j"),
            neo4j_password=os.environ.get("TEST_NEO4J_PASSWORD", ""),
            neo4j_database=os.environ.get("TEST_NEO4J_DATABASE", "neo4j"),
        )
        return
    settings = local_test_settings(tmp_path_factory.mktemp("neo4j"))
    server = LocalNeo4j(ServerConfig.from_settings(settings))
    server.start()
    try:
        yield settings
    finally:
        server.stop()


@pytest.fixture
def graph(neo4j_settings: Settings) -> Iterator[Graph]:
    """The session's graph, emptied, with the schema in place."""
    with Graph.from_settings(neo4j_settings) as g:
        admin.delete_everything(g)
        schema.init_schema(g)
        yield g
