"""Communities of the whole network: detection on plain data, stored in the graph, served to
the explorer, and written into the exports Gephi reads (read back with networkx).

Analysts see community need counts only over what they may read (public needs and released
wordings); labels come from competences and trades, never from needs.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import networkx
import pytest
from fastapi.testclient import TestClient

from graph import admin, clustering, communities, schema
from graph.connection import Graph
from matching.encoder import get_encoder
from partnergraph.settings import Settings
from service.app import create_app
from tests.ingest_support import CANONICAL, run_ingest
from tests.service_support import auth, keys_for_roles

API = "/api/v1"


# --- pure ---------------------------------------------------------------------------------------


def two_cliques() -> tuple[list[clustering.Org], dict[tuple[str, str], float]]:
    orgs = [
        clustering.Org(
            key=f"m{i}", trades=("Metallbauer",), competences=("Laserschweißen dünner Bleche",)
        )
        for i in range(6)
    ] + [
        clustering.Org(key=f"e{i}", trades=("Elektrotechniker",), competences=("Gebäudetechnik",))
        for i in range(6)
    ]
    cooperations = [(f"{p}{i}", f"{p}{j}") for p in "me" for i in range(6) for j in range(i)]
    weights = clustering.weighted_edges(
        [o.key for o in orgs], cooperations=[*cooperations, ("m0", "e0")]
    )
    return orgs, weights


def test_leiden_separates_two_cooperating_groups_and_labels_them_by_trade() -> None:
    orgs, weights = two_cliques()
    result = clustering.cluster(orgs, weights)
    assert sorted(sorted(c.members) for c in result.communities) == [
        [f"e{i}" for i in range(6)],
        [f"m{i}" for i in range(6)],
    ]
    labels = {c.label.split(",")[0] for c in result.communities}
    assert labels == {"Metallbauer", "Elektrotechniker"}
    assert result.bridges["m0"] == 1 and result.bridges["m1"] == 0
    assert result.betweenness["m0"] > result.betweenness["m1"]
    assert set(result.position) == {o.key for o in orgs}
    first, second = result.communities
    assert first.links == {second.key: clustering.COOPERATION_WEIGHT}
    # the same graph gives the same communities and layout
    again = clustering.cluster(orgs, weights)
    assert again.position == result.position


def test_a_shared_project_ties_weakly_and_a_huge_one_not_at_all() -> None:
    keys = [f"o{i}" for i in range(100)]
    weights = clustering.weighted_edges(keys, projects={"small": ["o0", "o1", "o2"], "huge": keys})
    assert weights == {("o0", "o1"): 0.5, ("o0", "o2"): 0.5, ("o1", "o2"): 0.5}


# --- in the graph and over HTTP -------------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded(neo4j_settings: Settings) -> Iterator[dict[str, str]]:
    with Graph.from_settings(neo4j_settings) as graph:
        admin.delete_everything(graph)
        schema.init_schema(graph)
        assert run_ingest(graph, CANONICAL, get_encoder("use-multilingual")).ok
        done = communities.recompute(graph)
        assert done["communities"] >= 2
        yield keys_for_roles(graph, "uni-tu-dortmund")


@pytest.fixture(scope="module")
def client(neo4j_settings: Settings, loaded: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(neo4j_settings)) as client:
        yield client


def get(client: TestClient, api_key: str, path: str, **params: Any) -> Any:
    response = client.get(API + path, params=params, headers=auth(api_key))
    assert response.status_code == 200, response.text
    return response


def test_every_organisation_is_in_one_stored_community_with_its_members_served(
    client: TestClient, loaded: dict[str, str]
) -> None:
    overview = get(client, loaded["analyst"], "/graph/communities").json()
    sizes = {c["key"]: c["size"] for c in overview["communities"]}
    members: set[str] = set()
    for key, size in sizes.items():
        sub = get(client, loaded["analyst"], f"/graph/communities/{key}").json()
        ids = {n["id"] for n in sub["nodes"]}
        assert len(ids) == size and not ids & members
        members |= ids
        for node in sub["nodes"]:
            assert node["label"] == "Organization" and node["data"]["community"] == key
            assert {"x", "y", "strength", "betweenness", "bridges"} <= set(node["data"])
    everyone = get(client, loaded["staff"], "/organizations", limit=500).json()["items"]
    assert members == {f"Organization:{o['key']}" for o in everyone}
    assert overview["computed_at"]
    assert (
        client.get(API + "/graph/communities/c999", headers=auth(loaded["analyst"])).status_code
        == 404
    )


def test_analysts_count_only_the_needs_they_may_read(
    client: TestClient, loaded: dict[str, str]
) -> None:
    staff = get(client, loaded["staff"], "/graph/communities").json()["communities"]
    analyst = get(client, loaded["analyst"], "/graph/communities").json()["communities"]
    assert sum(c["needs"] for c in staff) > sum(c["needs"] for c in analyst)  # none released yet
    for community in analyst:
        assert 0 <= community["covered"] <= community["needs"]


def test_without_hubs_a_neighbourhood_holds_no_towns_industries_or_trades(
    client: TestClient, loaded: dict[str, str]
) -> None:
    with_hubs = get(client, loaded["analyst"], "/graph/neighbourhood", key="org-kemper", depth=2)
    without = get(
        client, loaded["analyst"], "/graph/neighbourhood", key="org-kemper", depth=2, hubs=False
    )
    labels = {n["label"] for n in with_hubs.json()["nodes"]}
    assert labels & {"Region", "Trade", "Industry"}
    assert not {n["label"] for n in without.json()["nodes"]} & {"Region", "Trade", "Industry"}


def test_a_need_is_shown_with_the_organisations_that_fit_it(
    client: TestClient, loaded: dict[str, str]
) -> None:
    sub = get(client, loaded["staff"], "/graph/fit", need=["need-verzug"]).json()
    need = "Need:need-verzug"
    fits = [e for e in sub["edges"] if e["target"] == need]
    assert fits and all(e["type"] == "FITS" and 0 < e["score"] <= 1 for e in fits)
    shown = {n["id"] for n in sub["nodes"]}
    assert need in shown and {e["source"] for e in fits} <= shown
    # an analyst does not find a need whose wording is not released
    hidden = get(client, loaded["analyst"], "/graph/fit", need=["need-verzug"]).json()
    assert hidden["nodes"] == []


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_exports_read_by_networkx_carry_name_kind_community_coverage_and_position(
    client: TestClient, loaded: dict[str, str], fmt: str
) -> None:
    for params in ({}, {"key": "org-kemper", "depth": 1}):
        body = get(client, loaded["analyst"], f"/export/{fmt}", **params).content
        read = networkx.read_graphml if fmt == "graphml" else networkx.read_gexf
        graph = read(io.BytesIO(body))
        org = graph.nodes["Organization:org-kemper"]
        assert org["label"] == "Kemper Metallbau e.K. (fiktiv)"
        assert org["type"] == "Organization" and org["kind"] == "craft_business"
        assert str(org["community"]).startswith("c")
        assert isinstance(org["x"], float) and isinstance(org["y"], float)
        with_coverage = [n for _, n in graph.nodes(data=True) if "coverage" in n]
        for node in with_coverage:
            assert 0.0 <= float(node["coverage"]) <= 1.0
