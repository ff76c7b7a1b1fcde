"""Helpers for service tests: an app on the session's Neo4j and keys for every role."""

from __future__ import annotations

from graph.connection import Graph
from service.auth import Role, add_key


def keys_for_roles(graph: Graph, organization: str | None = None) -> dict[str, str]:
    """A fresh key per role; the university key belongs to `organization` (or 'uni-test')."""
    made = {}
    for role in Role:
        org = (organization or "uni-test") if role is Role.university else None
        _, secret = add_key(graph, f"test {role.value}", role, org)
        made[role.value] = secret
    return made


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
