"""Helpers shared by tests."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

from graph.connection import Graph
from graph.server import LocalNeo4j, free_port
from partnergraph.errors import GraphAuthError
from partnergraph.settings import Settings

TEST_PASSWORD = "test-password-1"


def local_test_settings(home: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "neo4j_home": home,
        "jobs_dir": home.parent / f"{home.name}-jobs",
        "neo4j_bolt_port": free_port(),
        "neo4j_http_port": free_port(),
        "neo4j_heap": "768m",
        "neo4j_pagecache": "128m",
        "neo4j_password": TEST_PASSWORD,
        "neo4j_start_timeout_s": 180,
        **overrides,
    }
    return Settings(**values)  # type: ignore[arg-type]


def crash(server: LocalNeo4j) -> None:
    """Kill the server as a power cut would (SIGKILL), and wait until it is gone."""
    pid = server.status().pid
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    while server.status().running:
        time.sleep(0.05)


def discard(server: LocalNeo4j) -> None:
    """End a server whose data nobody needs again: killed at once, not shut down cleanly."""
    server.stop(timeout_s=0)


def settle(settings: Settings) -> None:
    """Log in with the right password: Neo4j locks a user for 5 s after 3 failed logins in a
    row, and a success resets the count, so later tests never meet a locked account."""
    deadline = time.monotonic() + 15
    while True:
        try:
            with Graph.from_settings(settings) as graph:
                graph.ping()
            return
        except GraphAuthError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
