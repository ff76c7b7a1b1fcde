"""`partnergraph demo` makes a key per role for the pages, once, and says where it is."""

from __future__ import annotations

import json
import stat
from pathlib import Path

from graph import keys
from graph.connection import Graph
from partnergraph.cli import demo_keys
from service.auth import Role, principal_for
from tests.ingest_support import CANONICAL, run_ingest


def test_demo_keys_cover_every_role_and_the_university_key_belongs_to_a_university(
    graph: Graph, tmp_path: Path
) -> None:
    assert run_ingest(graph, CANONICAL).ok
    path = tmp_path / "var" / "demo-keys.json"
    made = demo_keys(graph, path)
    assert set(made["keys"]) == {role.value for role in Role}
    for role, entry in made["keys"].items():
        principal = principal_for(graph, entry["key"])
        assert principal.role.value == role
    university = principal_for(graph, made["keys"]["university"]["key"])
    assert university.organization == "uni-tu-dortmund"
    assert json.loads(path.read_text(encoding="utf-8")) == made
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_demo_keys_are_reused_while_valid_and_made_anew_when_one_was_revoked(
    graph: Graph, tmp_path: Path
) -> None:
    assert run_ingest(graph, CANONICAL).ok
    path = tmp_path / "demo-keys.json"
    first = demo_keys(graph, path)
    assert demo_keys(graph, path) == first
    assert len(keys.list_keys(graph)) == len(Role)
    keys.revoke_key(graph, first["keys"]["analyst"]["id"])
    again = demo_keys(graph, path)
    assert again["keys"]["analyst"]["key"] != first["keys"]["analyst"]["key"]
    assert principal_for(graph, again["keys"]["analyst"]["key"]).role is Role.analyst
