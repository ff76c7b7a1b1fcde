"""Fixtures: one real Neo4j per test session, emptied before each test that uses it.

The server is started by `graph.server` on free ports in a temporary folder. To run the suite
against another server instead, set TEST_NEO4J_URI (and TEST_NEO4J_USER, TEST_NEO4J_PASSWORD,
TEST_NEO4J_DATABASE): its database is emptied by the tests. NEO4J_URI is deliberately not used
here, so a developer's `.env` never points the tests at data that matters.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import numpy as np
import pytest

from graph import admin, schema
from graph.connection import Graph
from graph.server import LocalNeo4j, ServerConfig
from graph.vectors import Encoder
from matching.encoder import get_encoder
from partnergraph.settings import Settings
from tests.support import discard, local_test_settings

if TYPE_CHECKING:
    from fastapi.testclient import TestClient
    from httpx2 import Response  # what starlette's TestClient answers with

# Fixtures that reach a Neo4j: a test using any of them (directly or through another fixture)
# is marked `neo4j`, so `pytest -m "not neo4j"` runs the pure tier alone.
NEO4J_FIXTURES = frozenset({"neo4j_settings", "graph", "world", "killable_neo4j"})

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
        discard(server)  # its data dies with the temporary folder: no clean shutdown needed


@pytest.fixture(scope="session")
def _spare_neo4j(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LocalNeo4j, Settings]]:
    """A second local Neo4j for the tests that kill their server; started once per session."""
    settings = local_test_settings(
        tmp_path_factory.mktemp("spare") / "neo4j", neo4j_http_port=0, neo4j_connect_timeout_s=2
    )
    server = LocalNeo4j(ServerConfig.from_settings(settings))
    server.start()
    try:
        yield server, settings
    finally:
        discard(server)


@pytest.fixture
def killable_neo4j(_spare_neo4j: tuple[LocalNeo4j, Settings]) -> tuple[LocalNeo4j, Settings]:
    """A local Neo4j the test may kill (and start again): running, emptied, schema in place.

    Shared by the fault tests, so each of them does not pay for a server's first start; a test
    that killed it leaves it down, and the next one starts it again (a recovery start)."""
    server, settings = _spare_neo4j
    server.start()
    with Graph.from_settings(settings) as g:
        admin.delete_everything(g)
        schema.init_schema(g)
    return server, settings


@pytest.fixture
def graph(neo4j_settings: Settings) -> Iterator[Graph]:
    """The session's graph, emptied, with the schema in place."""
    with Graph.from_settings(neo4j_settings) as g:
        admin.delete_everything(g)
        schema.init_schema(g)
        yield g


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if NEO4J_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker(
            "slow"
        ):
            item.add_marker(pytest.mark.neo4j)


@pytest.fixture(scope="session", autouse=True)
def _remembered_vectors() -> Iterator[None]:
    """USE encoders loaded in this session remember each text's vector.

    The suite loads the same fixtures in many modules, and re-encoding them was a good part of
    its time. The vectors stay the model's own: a USE vector of a text does not depend on the
    batch it is computed in. Applied when an encoder loads, so the pure tier loads none."""
    from matching import encoder as encoders

    load_use = encoders._load_use
    memory: dict[str, np.ndarray] = {}

    def remembering(*args: Any, **kwargs: Any) -> encoders.LoadedEncoder:
        loaded = load_use(*args, **kwargs)
        embed = loaded._embed_batch

        def embed_batch(batch: list[str]) -> np.ndarray:
            new = [text for text in dict.fromkeys(batch) if text not in memory]
            if new:
                vectors = np.asarray(embed(new), dtype=np.float32).reshape(len(new), -1)
                memory.update(zip(new, vectors, strict=True))
            return np.stack([memory[text] for text in batch])

        loaded._embed_batch = embed_batch
        return loaded

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(encoders, "_load_use", remembering)
        yield


@pytest.fixture(scope="session")
def encoder() -> Encoder:
    """The default model (modules that compare models parametrise their own)."""
    return get_encoder("use-multilingual")


@dataclass
class World:
    """The canonical fixture loaded with embeddings, the service on it, an API key per role."""

    graph: Graph
    client: TestClient
    keys: dict[str, str]
    prefix: ClassVar[str] = ""  # put before every URL of `call`

    def call(
        self, role: str | None, method: str, url: str, body: Any = None, **kwargs: Any
    ) -> Response:
        from tests.service_support import auth

        headers = auth(self.keys[role]) if role else {}
        if body is not None:
            kwargs["json"] = body
        return self.client.request(method, self.prefix + url, headers=headers, **kwargs)


W = TypeVar("W", bound=World)


@contextmanager
def open_world(
    settings: Settings,
    world_type: type[W],
    prepare: Callable[[Graph], None] | None = None,
    data: Path | None = None,
    source: str | None = None,
) -> Iterator[W]:
    """An emptied graph with the canonical fixture (or the folder `data`, ingested as `source`)
    loaded, then `prepare`d; keys and a client."""
    from fastapi.testclient import TestClient

    from service.app import create_app
    from tests.ingest_support import CANONICAL, run_ingest
    from tests.service_support import keys_for_roles

    with Graph.from_settings(settings) as graph:
        admin.delete_everything(graph)
        schema.init_schema(graph)
        options = {"source": source} if source else {}
        folder = data or CANONICAL
        assert run_ingest(graph, folder, get_encoder("use-multilingual"), **options).ok
        if prepare is not None:
            prepare(graph)
        keys = keys_for_roles(graph, "uni-tu-dortmund")
        with TestClient(create_app(settings)) as client:
            yield world_type(graph, client, keys)


@pytest.fixture(scope="module")
def world(neo4j_settings: Settings) -> Iterator[World]:
    """A `World` of the module's own (its tests may change the graph)."""
    with open_world(neo4j_settings, World) as loaded:
        yield loaded
