"""Helpers for service tests: an app on the session's Neo4j and keys for every role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from httpx import Response as HttpxResponse
from httpx2 import Response  # what starlette's TestClient answers with

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


def release_pending(call: Callable[..., Response | HttpxResponse]) -> dict[str, str]:
    """As staff, release every non-public need in the wording the service proposes (what
    universities and analysts then read); `call(role, method, url, body)` reaches the API.
    Returns each released need's key -> the key its readers know it by."""
    released = {}
    cursor: str | None = None
    while True:
        url = "/api/v1/needs?limit=100" + (f"&cursor={cursor}" if cursor else "")
        page = call("staff", "GET", url).json()
        for need in page["items"]:
            if need["release"] != "pending":
                continue
            shared = call("staff", "GET", f"/api/v1/needs/{need['key']}/shared").json()
            body: dict[str, Any] = {
                "title": shared["proposed_title"]["text"],
                "text": shared["proposed_text"]["text"],
            }
            put = call("staff", "PUT", f"/api/v1/needs/{need['key']}/shared", body)
            assert put.status_code == 200, put.text
            released[need["key"]] = put.json()["shared_key"]
        cursor = page["next_cursor"]
        if not cursor:
            return released
