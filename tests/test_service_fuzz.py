"""Property-based run over the whole OpenAPI schema (schemathesis): no input gives a 5xx.

The schema is read from the live app, so every route any module adds is covered as it lands.
Calls carry an admin key (admin may do everything), on a graph holding the canonical fixture
with embeddings, so generated requests reach the code behind the auth check. The run is
bounded to finish in about a minute: few examples per operation, no shrinking, no stateful
phase, a fixed seed (the same inputs every run, so a failure reproduces).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig

from graph import admin, schema
from graph.connection import Graph
from matching.encoder import get_encoder
from partnergraph.settings import Settings
from service.app import create_app
from service.auth import Role, add_key
from tests.ingest_support import CANONICAL, run_ingest

MAX_EXAMPLES = 4
# What the run must at least generate (issue 7 asks for 1,000+). With 4 examples per operation
# schemathesis's other phases (explicit examples, coverage of each schema's edges) bring it to
# about 1,370 over 29 operations; raise MAX_EXAMPLES if routes are removed and it falls below.
MIN_REQUESTS = 1_000
STATUSES: Counter[tuple[str, int]] = Counter()


@pytest.fixture(scope="module")
def fuzzed_app(neo4j_settings: Settings) -> Iterator[tuple[FastAPI, str]]:
    with Graph.from_settings(neo4j_settings) as graph:
        admin.delete_everything(graph)
        schema.init_schema(graph)
        assert run_ingest(graph, CANONICAL, get_encoder("use-multilingual")).ok
        _, key = add_key(graph, "fuzz", Role.admin)
    app = create_app(neo4j_settings)
    yield app, key
    # schemathesis keeps an app's lifespan running for the whole process; end ours here
    from schemathesis.python.asgi import shutdown_lifespans

    shutdown_lifespans()


@pytest.fixture(scope="module")
def api_schema(fuzzed_app: tuple[FastAPI, str]) -> Any:
    app, key = fuzzed_app
    config = SchemathesisConfig.from_dict(
        {
            "seed": 20261125,
            "headers": {"Authorization": f"Bearer {key}"},
            "generation": {"max-examples": MAX_EXAMPLES, "no-shrink": True, "database": "none"},
            "phases": {"stateful": {"enabled": False}},
        }
    )
    return schemathesis.openapi.from_asgi("/openapi.json", app, config=config)


api = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request: pytest.FixtureRequest) -> None:
    # schemathesis 4.32.5 reads `Node._nodeid`, which pytest 9 no longer has (it is `nodeid`)
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@api.parametrize()
def test_no_generated_request_gets_a_server_error(
    case: Any, fuzzed_app: tuple[FastAPI, str]
) -> None:
    _, key = fuzzed_app
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {key}"}, checks=[not_a_server_error]
    )
    STATUSES[(case.operation.label, response.status_code)] += 1


def test_the_run_reached_the_routes_behind_the_key() -> None:
    """Most operations answered 2xx at least once: the run was not stopped at the door."""
    if not STATUSES:
        pytest.skip("runs after the schemathesis test only")
    operations = {operation for operation, _ in STATUSES}
    succeeded = {operation for operation, status in STATUSES if 200 <= status < 300}
    assert not {status for _, status in STATUSES if status >= 500}
    assert len(succeeded) >= 0.5 * len(operations), sorted(operations - succeeded)
    refused = {
        operation
        for operation in operations
        if all(status in (401, 403) for op, status in STATUSES if op == operation)
    }
    assert not refused, refused  # the key was accepted everywhere


def test_the_run_generated_at_least_a_thousand_requests() -> None:
    if not STATUSES:
        pytest.skip("runs after the schemathesis test only")
    assert sum(STATUSES.values()) >= MIN_REQUESTS, STATUSES
