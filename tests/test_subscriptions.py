"""Subscriptions to a topic of needs: new needs listed once, anonymised, per key."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph.connection import Graph
from matching.encoder import get_encoder
from partnergraph.settings import Settings
from service.api.subscriptions import fits
from service.app import create_app
from tests.ingest_support import CANONICAL, run_ingest
from tests.service_support import auth, keys_for_roles, release_pending

WELDING = "Schweißen dünner Bleche"


@pytest.fixture
def loaded(graph: Graph) -> Graph:
    assert run_ingest(graph, CANONICAL, get_encoder("use-multilingual")).ok
    return graph


def add_need(graph: Graph, folder: Path, key: str, title: str, text: str) -> None:
    """A new open need of Kemper Metallbau, dated today, loaded the way imports load it."""
    folder.mkdir()
    (folder / "needs.csv").write_text(
        "key;org_key;title;text;lang;status;visibility;created_at\n"
        f"{key};org-kemper;{title};{text};de;open;anonymous;{dt.date.today().isoformat()}\n",
        encoding="utf-8",
    )
    assert run_ingest(graph, folder, get_encoder("use-multilingual"), source="later").ok


def test_the_first_visit_lists_the_topics_open_needs_anonymised_and_the_next_only_new_ones(
    neo4j_settings: Settings, loaded: Graph, tmp_path: Path
) -> None:
    keys = keys_for_roles(loaded, "uni-tu-dortmund")
    with TestClient(create_app(neo4j_settings)) as client:

        def call(role: str, method: str, url: str, body: Any = None) -> Any:
            return client.request(method, url, headers=auth(keys[role]), json=body)

        shared = release_pending(call)  # universities read only released wordings
        made = client.post(
            "/api/v1/subscriptions", json={"query": WELDING}, headers=auth(keys["university"])
        )
        assert made.status_code == 201
        sub = made.json()
        assert sub["query"] == WELDING and sub["last_seen"] is None

        first = client.get(
            f"/api/v1/subscriptions/{sub['id']}/new", headers=auth(keys["university"])
        )
        listed = first.json()["needs"]
        assert [item["need"]["key"] for item in listed] == [shared["need-verzug"]]
        need = listed[0]["need"]
        # confidential: no company name or key, a description instead
        assert need["organization"] is None
        assert need["organization_description"]
        assert "Brandt" not in first.text and "org-brandt" not in first.text

        again = client.get(
            f"/api/v1/subscriptions/{sub['id']}/new", headers=auth(keys["university"])
        )
        assert again.json()["needs"] == []
        assert again.json()["subscription"]["last_seen"] is not None

        add_need(
            loaded,
            tmp_path / "later",
            "need-naht",
            "Schweißnähte an dünnen Blechen prüfen",
            "Wir schweißen dünne Bleche und suchen Hilfe bei Verzug und Prüfung der Nähte.",
        )
        add_need(
            loaded,
            tmp_path / "other",
            "need-kantine",
            "Neue Kantine",
            "Wir suchen einen Caterer für das Mittagessen unserer Belegschaft.",
        )
        unseen = client.get(
            f"/api/v1/subscriptions/{sub['id']}/new", headers=auth(keys["university"])
        )
        assert unseen.json()["needs"] == []  # not released yet
        shared = release_pending(call)
        later = client.get(
            f"/api/v1/subscriptions/{sub['id']}/new", headers=auth(keys["university"])
        )
        assert [item["need"]["key"] for item in later.json()["needs"]] == [shared["need-naht"]]


def test_a_look_without_marking_keeps_the_needs_new(
    neo4j_settings: Settings, loaded: Graph
) -> None:
    keys = keys_for_roles(loaded, "uni-tu-dortmund")
    with TestClient(create_app(neo4j_settings)) as client:
        sub = client.post(
            "/api/v1/subscriptions", json={"query": "Photovoltaik"}, headers=auth(keys["staff"])
        ).json()
        url = f"/api/v1/subscriptions/{sub['id']}/new"
        peek = client.get(url, params={"mark_seen": "false"}, headers=auth(keys["staff"]))
        visit = client.get(url, headers=auth(keys["staff"]))
    assert [item["need"]["key"] for item in peek.json()["needs"]] == ["need-pv"]
    assert visit.json()["needs"] == peek.json()["needs"]
    # public need, staff: the company is named
    assert visit.json()["needs"][0]["need"]["organization"]["key"] == "org-brandt"


def test_subscriptions_belong_to_their_key(neo4j_settings: Settings, loaded: Graph) -> None:
    keys = keys_for_roles(loaded, "uni-tu-dortmund")
    with TestClient(create_app(neo4j_settings)) as client:
        sub = client.post(
            "/api/v1/subscriptions", json={"query": WELDING}, headers=auth(keys["university"])
        ).json()
        mine = client.get("/api/v1/subscriptions", headers=auth(keys["university"])).json()
        theirs = client.get("/api/v1/subscriptions", headers=auth(keys["analyst"])).json()
        foreign = client.get(
            f"/api/v1/subscriptions/{sub['id']}/new", headers=auth(keys["analyst"])
        )
        foreign_delete = client.delete(
            f"/api/v1/subscriptions/{sub['id']}", headers=auth(keys["analyst"])
        )
        deleted = client.delete(
            f"/api/v1/subscriptions/{sub['id']}", headers=auth(keys["university"])
        )
        after = client.get("/api/v1/subscriptions", headers=auth(keys["university"])).json()
    assert [s["id"] for s in mine] == [sub["id"]] and theirs == []
    assert foreign.status_code == 404 and foreign_delete.status_code == 404
    assert foreign.headers["content-type"] == "application/problem+json"
    assert deleted.status_code == 204 and after == []


def test_a_subscription_needs_a_key_and_a_topic(neo4j_settings: Settings, graph: Graph) -> None:
    keys = keys_for_roles(graph)
    with TestClient(create_app(neo4j_settings)) as client:
        anonymous = client.get("/api/v1/subscriptions")
        empty = client.post(
            "/api/v1/subscriptions", json={"query": "x"}, headers=auth(keys["staff"])
        )
    assert anonymous.status_code == 401
    assert empty.status_code == 422


def test_a_need_fits_by_meaning_or_by_words_when_not_far_off() -> None:
    assert fits(0.3, None)
    assert fits(0.12, 1.5)
    assert fits(None, 0.8)  # only the words matched: the vector search did not reach it
    assert not fits(0.2, None)
    assert not fits(0.05, 2.0)
    assert not fits(None, None)
