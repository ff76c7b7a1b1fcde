"""Analytics over HTTP: topics of the open needs and the needs nobody covers, per role.

The canonical fixture plus three open needs: one whose own words name its company (a
confidential need of org-brandt), a second welding need, and one no organisation of the region
can meet (cakes for a summer party), which must come out as the weakest covered need.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph import admin, schema
from graph.connection import Graph
from matching.encoder import get_encoder
from partnergraph.settings import Settings
from service.app import create_app
from tests.ingest_support import CANONICAL, run_ingest
from tests.service_support import auth, keys_for_roles, release_pending

API = "/api/v1"
EXTRA_NEEDS = [
    "need-haerte;org-brandt;Brandt Präzisionstechnik sucht eine Härterei;Die Brandt "
    "Präzisionstechnik braucht eine Härterei für Edelstahlteile aus der Kleinserie.;de;open;"
    "confidential;2026-04-01",
    "need-naht;org-elektro;Schweißnähte an Kabelpritschen prüfen;Wir brauchen jemanden, der "
    "die Schweißnähte unserer Kabelpritschen aus Stahl prüft.;de;open;anonymous;2026-04-02",
    "need-torte;org-kemper;Torten für das Sommerfest;Wir suchen eine Konditorei, die zum "
    "Sommerfest zweihundert Stück Sahnetorte und Obstkuchen liefert.;de;open;anonymous;"
    "2026-04-03",
]
OPEN_NEEDS = {"need-verzug", "need-pv", "need-haerte", "need-naht", "need-torte"}


@pytest.fixture(scope="module")
def loaded(
    neo4j_settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, str]]:
    folder = tmp_path_factory.mktemp("analytics") / "canonical"
    shutil.copytree(CANONICAL, folder)
    needs = folder / "needs.csv"
    needs.write_text(
        needs.read_text(encoding="utf-8").rstrip("\n") + "\n" + "\n".join(EXTRA_NEEDS) + "\n",
        encoding="utf-8",
    )
    with Graph.from_settings(neo4j_settings) as graph:
        admin.delete_everything(graph)
        schema.init_schema(graph)
        assert run_ingest(graph, Path(folder), get_encoder("use-multilingual")).ok
        yield keys_for_roles(graph, "uni-tu-dortmund")


@pytest.fixture(scope="module")
def client(neo4j_settings: Settings, loaded: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(neo4j_settings)) as client:
        yield client


@pytest.fixture(scope="module")
def shared(client: TestClient, loaded: dict[str, str]) -> dict[str, str]:
    """Every non-public need released as proposed: need key -> the key readers know."""

    def call(role: str, method: str, url: str, body: Any = None) -> Any:
        return client.request(method, url, headers=auth(loaded[role]), json=body)

    return release_pending(call)


def get(client: TestClient, key: str, path: str, **params: Any) -> Any:
    response = client.get(API + path, params=params, headers=auth(key))
    assert response.status_code == 200, response.text
    return response.json()


def test_topics_hold_every_open_need_once_with_labels(
    client: TestClient, loaded: dict[str, str]
) -> None:
    topics = get(client, loaded["staff"], "/analytics/topics")["topics"]
    keys = [need["key"] for topic in topics for need in topic["needs"]]
    assert sorted(keys) == sorted(OPEN_NEEDS)
    assert sum(topic["size"] for topic in topics) == len(OPEN_NEEDS)
    assert [topic["id"] for topic in topics] == [f"t{i:02d}" for i in range(1, len(topics) + 1)]
    assert all(topic["label"] and topic["terms"] for topic in topics)
    gaps = get(client, loaded["staff"], "/analytics/gaps")
    assert sum(topic["gaps"] for topic in topics) == len(gaps)
    assert any("Brandt" in topic["terms"] for topic in topics)  # staff see what others do not
    titles = {need["key"]: need["title"] for topic in topics for need in topic["needs"]}
    assert titles["need-haerte"] == "Brandt Präzisionstechnik sucht eine Härterei"


def test_the_number_of_topics_can_be_chosen(
    client: TestClient, loaded: dict[str, str], shared: dict[str, str]
) -> None:
    one = get(client, loaded["analyst"], "/analytics/topics", k=1)["topics"]
    assert len(one) == 1 and one[0]["size"] == len(OPEN_NEEDS)
    for k in (0, 31):
        response = client.get(
            f"{API}/analytics/topics", params={"k": k}, headers=auth(loaded["analyst"])
        )
        assert response.status_code == 422


@pytest.mark.parametrize("role", ["university", "analyst"])
def test_topics_never_name_the_company_behind_a_non_public_need(
    client: TestClient, loaded: dict[str, str], shared: dict[str, str], role: str
) -> None:
    for k in (None, 1, 2):
        params = {"k": k} if k else {}
        topics = get(client, loaded[role], "/analytics/topics", **params)["topics"]
        text = str(topics).lower()
        assert "brandt" not in text and "präzisionstechnik" not in text
        assert "org-brandt" not in text and "org-kemper" not in text
    titles = {need["key"]: need["title"] for topic in topics for need in topic["needs"]}
    assert titles[shared["need-haerte"]] == "[Unternehmen] sucht eine Härterei"
    assert titles["need-pv"] == "Solaranlage für Hallendach"


def test_the_need_nobody_covers_is_the_weakest_gap(
    client: TestClient, loaded: dict[str, str]
) -> None:
    gaps = get(client, loaded["staff"], "/analytics/gaps")
    assert gaps[0]["need"]["key"] == "need-torte" and gaps[0]["rank"] == 1
    assert gaps[0]["need"]["organization"]["key"] == "org-kemper"
    assert [g["best_score"] for g in gaps] == sorted(g["best_score"] for g in gaps)
    assert all(0 <= g["best_score"] <= 1 for g in gaps)


@pytest.mark.parametrize("role", ["university", "analyst"])
def test_gaps_are_anonymised_for_universities_and_analysts(
    client: TestClient, loaded: dict[str, str], shared: dict[str, str], role: str
) -> None:
    gaps = get(client, loaded[role], "/analytics/gaps")
    torte = gaps[0]["need"]
    assert torte["key"] == shared["need-torte"]
    assert torte["organization"] is None and torte["organization_description"]
    assert "Kemper" not in str(gaps) and "org-kemper" not in str(gaps)


def test_analytics_needs_a_key(client: TestClient, loaded: dict[str, str]) -> None:
    assert client.get(f"{API}/analytics/topics").status_code == 401
    assert client.get(f"{API}/analytics/gaps").status_code == 401
