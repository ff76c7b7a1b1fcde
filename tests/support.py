"""Helpers shared by tests."""

from __future__ import annotations

from pathlib import Path

from graph.server import free_port
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
