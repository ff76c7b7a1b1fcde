"""Discovery over HTTP: organisation search and profiles, fitting needs, similar organisations,
the explorer's neighbourhoods and node search, on the canonical fixture in a real Neo4j.

The canonical fixture has one confidential need (need-verzug of org-brandt), one public need
of the same company and an anonymous one of org-kemper; org-kemper's owner is a person of a
company, Anna Weber one of a university chair. The tests only read, so one loaded graph and
one client serve the whole module.
"""

from __future__ import annotations

from collections.abc import Iterator
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
UNI = "uni-tu-dortmund"


@pytest.fixture(scope="module")
def loaded(neo4j_settings: Settings) -> Iterator[dict[str, str]]:
    """The canonical fixture with embeddings, and a key per role (the university's: TU
    Dortmund)."""
    with Graph.from_settings(neo4j_settings) as graph:
        admin.delete_everything(graph)
        schema.init_schema(graph)
        assert run_ingest(graph, CANONICAL, get_encoder("use-multilingual")).ok
        yield keys_for_roles(graph, UNI)


@pytest.fixture(scope="module")
def client(neo4j_settings: Settings, loaded: dict[str, str]) -> Iterator[TestClient]:
    small_pages = neo4j_settings.model_copy(update={"max_page_size": 5})
    with TestClient(create_app(small_pages)) as client:
        yield client


@pytest.fixture(scope="module")
def shared(client: TestClient, loaded: dict[str, str]) -> dict[str, str]:
    """Every non-public need released as proposed: need key -> the key readers know."""

    def call(role: str, method: str, url: str, body: Any = None) -> Any:
        return client.request(method, url, headers=auth(loaded[role]), json=body)

    return release_pending(call)


def get(client: TestClient, keys: dict[str, str], role: str, path: str, **params: Any) -> Any:
    response = client.get(API + path, params=params, headers=auth(keys[role]))
    assert response.status_code == 200, response.text
    return response.json()


# --- organisation list ---------------------------------------------------------------------------


def test_pages_follow_the_cursor_through_all_organisations_by_name(
    client: TestClient, loaded: dict[str, str]
) -> None:
    seen: list[str] = []
    cursor = None
    pages = 0
    while True:
        params: dict[str, Any] = {"limit": 3}
        if cursor:
            params["cursor"] = cursor
        page = get(client, loaded, "analyst", "/organizations", **params)
        seen += [item["name"] for item in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert pages == 3
    assert len(seen) == 8 and seen == sorted(seen)


def test_a_limit_above_the_page_size_is_reduced_to_it(
    client: TestClient, loaded: dict[str, str]
) -> None:
    page = get(client, loaded, "staff", "/organizations", limit=1000)
    assert len(page["items"]) == 5 and page["next_cursor"]
    too_big = client.get(f"{API}/organizations?limit=1001", headers=auth(loaded["staff"]))
    assert too_big.status_code == 422


def test_a_cursor_not_made_by_the_service_is_400(
    client: TestClient, loaded: dict[str, str]
) -> None:
    for cursor in ("not-a-cursor", "WzEsMiwzXQ"):  # the second is [1,2,3]
        response = client.get(
            f"{API}/organizations", params={"cursor": cursor}, headers=auth(loaded["staff"])
        )
        assert response.status_code == 400
        assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"kind": "craft_business"}, {"org-elektro", "org-kemper"}),
        ({"region": "Ennepe-Ruhr-Kreis"}, {"org-kemper"}),
        ({"region": "hagen"}, {"inst-hagen"}),
        ({"region": "05954"}, {"org-kemper"}),
        (
            {"region": "Regierungsbezirk Arnsberg", "kind": "craft_business"},
            {"org-elektro", "org-kemper"},
        ),
        ({"trade": "A13"}, {"org-kemper"}),
        ({"q": "schweiß"}, {"org-kemper"}),  # not inside "Lichtbogenschweißen"
        ({"q": "Präzision"}, {"org-brandt"}),  # the start of a longer word
        ({"q": "Laser Dünnblech"}, {"chair-fuegetechnik"}),  # every word must match
        ({"q": "Laser Bäckerei"}, set()),
        ({"q": 'title:(x*) AND "Schwei~'}, set()),  # Lucene syntax is searched as words
        ({"q": "!!!"}, set()),
    ],
)
def test_search_and_filters(
    client: TestClient, loaded: dict[str, str], params: dict[str, str], expected: set[str]
) -> None:
    page = get(client, loaded, "university", "/organizations", limit=100, **params)
    assert {item["key"] for item in page["items"]} == expected


def test_list_items_carry_trades_and_region(client: TestClient, loaded: dict[str, str]) -> None:
    page = get(client, loaded, "staff", "/organizations", trade="A13")
    assert page["items"] == [
        {
            "key": "org-kemper",
            "name": "Kemper Metallbau e.K. (fiktiv)",
            "kind": "craft_business",
            "city": "Witten",
            "district": "Ennepe-Ruhr-Kreis",
            "trades": ["A13"],
            "region": "Regierungsbezirk Arnsberg",
        }
    ]


def test_discovery_needs_a_key(client: TestClient, loaded: dict[str, str]) -> None:
    for path in ("/organizations", "/organizations/org-brandt", "/graph/search?q=x"):
        assert client.get(API + path).status_code == 401


# --- profiles -----------------------------------------------------------------------------------


def test_staff_see_a_companys_contact_data_and_all_its_open_needs(
    client: TestClient, loaded: dict[str, str]
) -> None:
    brandt = get(client, loaded, "staff", "/organizations/org-brandt")
    assert brandt["street"] == "Hafenstraße 12"
    assert {need["key"] for need in brandt["needs"]} == {"need-verzug", "need-pv"}
    assert [r["kind"] for r in brandt["regions"]][:2] == ["municipality", "district"]
    assert brandt["events"] == [
        {
            "key": "evt-netz-2026",
            "name": "Netzwerktreffen Produktion Ruhr 2026",
            "date": "2026-02-11",
        }
    ]
    kemper = get(client, loaded, "staff", "/organizations/org-kemper")
    assert [p["email"] for p in kemper["people"]] == ["info@kemper-metallbau.example"]


@pytest.mark.parametrize("role", ["university", "analyst"])
def test_others_see_no_contact_data_of_companies_and_only_public_needs(
    client: TestClient, loaded: dict[str, str], role: str
) -> None:
    brandt = get(client, loaded, role, "/organizations/org-brandt")
    assert brandt["street"] is None
    assert [need["key"] for need in brandt["needs"]] == ["need-pv"]
    assert "need-verzug" not in str(brandt) and "Verzug" not in str(brandt)
    kemper = get(client, loaded, role, "/organizations/org-kemper")
    assert kemper["people"] == [] and kemper["street"] is None
    assert "Automated weld inspection" not in str(kemper)
    chair = get(client, loaded, role, "/organizations/chair-fuegetechnik")
    assert chair["street"] == "Leonhard-Euler-Straße 5"  # not a company
    assert [(p["name"], p["email"]) for p in chair["people"]] == [("Anna Weber", None)]
    assert chair["parent"]["key"] == "fak-mb-dortmund"
    assert {c["key"] for c in chair["competences"]} == {"comp-laser", "comp-arc"}


def test_an_unknown_organisation_is_404(client: TestClient, loaded: dict[str, str]) -> None:
    response = client.get(f"{API}/organizations/org-gibt-es-nicht", headers=auth(loaded["staff"]))
    assert response.status_code == 404
    assert "org-gibt-es-nicht" in response.json()["detail"]


# --- needs that fit an organisation -------------------------------------------------------------


def test_a_university_finds_fitting_needs_for_its_units_anonymised(
    client: TestClient, loaded: dict[str, str], shared: dict[str, str]
) -> None:
    fits = get(client, loaded, "university", "/organizations/chair-fuegetechnik/needs")
    assert fits[0]["need"]["key"] == shared["need-verzug"]
    assert fits[0]["need"]["organization"] is None
    assert fits[0]["need"]["organization_description"]
    assert {v["key"] for v in fits[0]["via"]} <= {"comp-laser", "comp-arc"}
    assert fits[0]["score"] >= fits[-1]["score"]
    text = str(fits[0])
    assert "org-brandt" not in text and "Brandt" not in text
    public = next(f for f in fits if f["need"]["key"] == "need-pv")
    assert public["need"]["organization"]["key"] == "org-brandt"
    # TU Dortmund has no competences of its own: its needs come through its units (the chair)
    own = get(client, loaded, "university", f"/organizations/{UNI}/needs")
    assert own[0]["need"]["key"] == shared["need-verzug"]
    assert {v["unit"]["key"] for fit in own for v in fit["via"]} <= {"chair-fuegetechnik"}


def test_staff_see_the_company_behind_fitting_needs(
    client: TestClient, loaded: dict[str, str]
) -> None:
    fits = get(client, loaded, "staff", "/organizations/chair-fuegetechnik/needs")
    verzug = next(f for f in fits if f["need"]["key"] == "need-verzug")
    assert verzug["need"]["organization"]["name"] == "Brandt Präzisionstechnik GmbH (fiktiv)"


def test_fitting_needs_of_another_organisation_are_not_for_a_university_or_analyst(
    client: TestClient, loaded: dict[str, str]
) -> None:
    other = client.get(f"{API}/organizations/inst-hagen/needs", headers=auth(loaded["university"]))
    assert other.status_code == 403 and UNI in other.json()["detail"]
    analyst = client.get(
        f"{API}/organizations/chair-fuegetechnik/needs", headers=auth(loaded["analyst"])
    )
    assert analyst.status_code == 403
    missing = client.get(f"{API}/organizations/org-nope/needs", headers=auth(loaded["staff"]))
    assert missing.status_code == 404


def test_similar_organisations_leave_the_organisation_itself_out(
    client: TestClient, loaded: dict[str, str]
) -> None:
    similar = get(client, loaded, "analyst", "/organizations/chair-fuegetechnik/similar", limit=3)
    assert 0 < len(similar) <= 3
    assert "chair-fuegetechnik" not in {s["key"] for s in similar}
    assert similar == sorted(similar, key=lambda s: -s["similarity"])


# --- explorer ----------------------------------------------------------------------------------


def ids(subgraph: dict[str, Any]) -> set[str]:
    return {node["id"] for node in subgraph["nodes"]}


def test_staff_see_a_companys_needs_and_people_in_its_neighbourhood(
    client: TestClient, loaded: dict[str, str]
) -> None:
    brandt = get(client, loaded, "staff", "/graph/neighbourhood", key="org-brandt")
    assert {"Need:need-verzug", "Need:need-pv", "Project:proj-leichtbau"} <= ids(brandt)
    assert {(e["source"], e["type"], e["target"]) for e in brandt["edges"]} >= {
        ("Organization:org-brandt", "HAS_NEED", "Need:need-verzug")
    }
    kemper = get(client, loaded, "staff", "/graph/neighbourhood", key="org-kemper")
    assert "Person:person-kemper" in ids(kemper)


@pytest.mark.parametrize("role", ["university", "analyst"])
def test_others_never_see_a_non_public_need_tied_to_its_company(
    client: TestClient, loaded: dict[str, str], shared: dict[str, str], role: str
) -> None:
    brandt = get(client, loaded, role, "/graph/neighbourhood", key="org-brandt", depth=3)
    assert "Need:need-pv" in ids(brandt)
    assert "Need:need-verzug" not in ids(brandt)
    assert "need-verzug" not in str(brandt) and "Verzug beim Schweißen" not in str(brandt)
    assert not any(e["type"] == "HAS_NEED" and "verzug" in e["target"] for e in brandt["edges"])
    node = next(n for n in brandt["nodes"] if n["id"] == "Organization:org-brandt")
    assert "street" not in node["data"]
    assert f"Need:{shared['need-verzug']}" not in ids(brandt)
    # the need itself may be looked at, by the key its readers know, anonymised and unconnected
    by_own_key = client.get(
        f"{API}/graph/neighbourhood", params={"key": "Need:need-verzug"}, headers=auth(loaded[role])
    )
    assert by_own_key.status_code == 404
    hood = f"Need:{shared['need-verzug']}"
    need = get(client, loaded, role, "/graph/neighbourhood", key=hood, depth=2)
    assert ids(need) == {hood} and need["edges"] == []
    assert "Brandt" not in str(need) and "org-brandt" not in str(need)
    assert need["nodes"][0]["data"]["organization_description"]


@pytest.mark.parametrize("role", ["university", "analyst"])
def test_others_see_no_people_of_companies_in_the_explorer(
    client: TestClient, loaded: dict[str, str], role: str
) -> None:
    kemper = get(client, loaded, role, "/graph/neighbourhood", key="org-kemper", depth=2)
    assert "Person:person-kemper" not in ids(kemper)
    assert "info@kemper" not in str(kemper)
    chair = get(client, loaded, role, "/graph/neighbourhood", key="chair-fuegetechnik")
    weber = next(n for n in chair["nodes"] if n["id"] == "Person:person-weber")
    assert "email" not in weber["data"]
    hidden = client.get(
        f"{API}/graph/neighbourhood",
        params={"key": "Person:person-kemper"},
        headers=auth(loaded[role]),
    )
    assert hidden.status_code == 404


def test_a_neighbourhood_is_bounded_and_says_so(client: TestClient, loaded: dict[str, str]) -> None:
    cut = get(client, loaded, "staff", "/graph/neighbourhood", key="org-brandt", depth=3, limit=5)
    assert len(cut["nodes"]) == 5 and cut["truncated"] is True
    assert cut["nodes"][0]["id"] == "Organization:org-brandt"
    node_ids = ids(cut)
    assert all(e["source"] in node_ids and e["target"] in node_ids for e in cut["edges"])
    whole = get(client, loaded, "staff", "/graph/neighbourhood", key="org-brandt")
    assert whole["truncated"] is False


def test_neighbourhood_filters_by_label_and_kind(
    client: TestClient, loaded: dict[str, str]
) -> None:
    trade = get(client, loaded, "analyst", "/graph/neighbourhood", key="Trade:A13")
    assert ids(trade) == {"Trade:A13", "Organization:org-kemper"}
    only = get(
        client,
        loaded,
        "staff",
        "/graph/neighbourhood",
        key="proj-beschichtung",
        depth=2,
        labels=["Organization", "Project"],
        kinds=["institute"],
    )
    assert ids(only) == {"Project:proj-beschichtung", "Organization:inst-hagen"}
    kemper = next(n for n in trade["nodes"] if n["label"] == "Organization")
    assert kemper["kind"] == "craft_business" and kemper["degree"] >= 3


@pytest.mark.parametrize("role", ["staff", "analyst"])
def test_neighbourhood_organisations_carry_their_trades_without_the_trade_nodes(
    client: TestClient, loaded: dict[str, str], role: str
) -> None:
    witten = get(
        client,
        loaded,
        role,
        "/graph/neighbourhood",
        key="Region:05954-witten",
        labels=["Organization", "Region"],
    )
    assert "Trade:A13" not in ids(witten)
    kemper = next(n for n in witten["nodes"] if n["id"] == "Organization:org-kemper")
    assert kemper["data"]["trades"] == ["A13"]
    assert kemper["data"]["trade_names"] == ["Metallbauer"]
    brandt = get(client, loaded, role, "/graph/neighbourhood", key="org-brandt")
    node = next(n for n in brandt["nodes"] if n["id"] == "Organization:org-brandt")
    assert "trades" not in node["data"]  # it practises no trade


def test_an_unknown_node_is_404(client: TestClient, loaded: dict[str, str]) -> None:
    response = client.get(
        f"{API}/graph/neighbourhood", params={"key": "nope"}, headers=auth(loaded["analyst"])
    )
    assert response.status_code == 404


def test_node_search_finds_organisations_competences_trades_and_regions(
    client: TestClient, loaded: dict[str, str]
) -> None:
    hits = get(client, loaded, "analyst", "/graph/search", q="schweiß")
    assert {"Organization:org-kemper", "Competence:comp-arc"} <= {h["id"] for h in hits}
    district = get(client, loaded, "university", "/graph/search", q="Ennepe")[0]
    assert {k: district[k] for k in ("id", "label", "name", "kind")} == {
        "id": "Region:05954",
        "label": "Region",
        "name": "Ennepe-Ruhr-Kreis",
        "kind": "district",
    }
    trades = get(client, loaded, "staff", "/graph/search", q="Metallbauer")
    assert "Trade:A13" in {h["id"] for h in trades}
    assert get(client, loaded, "staff", "/graph/search", q="~*") == []
    # a trade named by the start of its name comes before organisations and texts that mention it
    metal = get(client, loaded, "staff", "/graph/search", q="Metall")
    assert metal[0]["label"] == "Trade" and metal[0]["name"].startswith("Metall")


def test_a_region_found_names_the_regions_it_lies_in_and_those_in_it(
    client: TestClient, loaded: dict[str, str]
) -> None:
    witten = get(client, loaded, "university", "/graph/search", q="Witten")[0]
    assert witten["id"] == "Region:05954-witten"
    assert witten["within"] == [
        "Ennepe-Ruhr-Kreis",
        "Regierungsbezirk Arnsberg",
        "Nordrhein-Westfalen",
    ]
    assert witten["contains"] == []
    district = get(client, loaded, "university", "/graph/search", q="Ennepe-Ruhr-Kreis")[0]
    assert district["within"] == ["Regierungsbezirk Arnsberg", "Nordrhein-Westfalen"]
    assert len(district["contains"]) == 9 and "Witten" in district["contains"]
    trades = get(client, loaded, "staff", "/graph/search", q="Metallbauer")
    assert all(h["within"] is None and h["contains"] is None for h in trades)
