"""POST /api/v1/match against a real Neo4j holding the canonical fixture (loaded once: these
tests only read)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph import admin, schema
from graph.connection import Graph
from graph.model import Label, NeedStatus, OrgKind, Visibility
from graph.vectors import ensure_vector_indexes
from matching.encoder import get_encoder
from partnergraph.settings import Settings
from service.app import create_app
from tests.ingest_support import CANONICAL, run_ingest
from tests.service_support import auth, keys_for_roles

WELDING = "Unsere dünnen Edelstahlbleche verziehen sich beim Schweißen"


def post(client: TestClient, **body: Any) -> Any:
    return client.post("/api/v1/match", json=body)


# These two run first, on the function-scoped empty graph, before the module's fixture loads.


def test_matching_on_a_graph_without_vectors_finds_nothing_rather_than_failing(
    neo4j_settings: Settings, graph: Graph
) -> None:
    staff = keys_for_roles(graph)["staff"]
    with TestClient(create_app(neo4j_settings), headers=auth(staff)) as client:
        response = post(client, text=WELDING)
    assert response.status_code == 200
    assert response.json()["suggestions"] == []


def test_vectors_of_another_model_are_409_naming_the_fix(
    neo4j_settings: Settings, graph: Graph
) -> None:
    ensure_vector_indexes(graph, "some-other-model", 384)
    staff = keys_for_roles(graph)["staff"]
    with TestClient(create_app(neo4j_settings), headers=auth(staff)) as client:
        response = post(client, text=WELDING)
    assert response.status_code == 409
    assert "some-other-model" in response.json()["detail"]
    assert "partnergraph reembed" in response.json()["detail"]


@pytest.fixture(scope="module")
def client(neo4j_settings: Settings) -> Iterator[TestClient]:
    with Graph.from_settings(neo4j_settings) as graph:
        admin.delete_everything(graph)
        schema.init_schema(graph)
        assert run_ingest(graph, CANONICAL, get_encoder("use-multilingual")).ok
        staff = keys_for_roles(graph)["staff"]
        with TestClient(create_app(neo4j_settings), headers=auth(staff)) as client:
            yield client


def test_a_need_gets_ranked_explained_suggestions(client: TestClient) -> None:
    response = post(client, text=WELDING, asker="org-brandt", limit=5)
    assert response.status_code == 200
    body = response.json()
    assert body["text"] == WELDING
    assert body["model"] == get_encoder("use-multilingual").name
    suggestions = body["suggestions"]
    assert 0 < len(suggestions) <= 5
    keys = [s["key"] for s in suggestions]
    assert "org-brandt" not in keys  # the asking company itself
    assert "chair-fuegetechnik" in keys[:2]
    scores = [s["score"] for s in suggestions]
    assert scores == sorted(scores, reverse=True)

    chair = suggestions[keys.index("chair-fuegetechnik")]
    assert chair["name"] == "Lehrstuhl für Fügetechnik (fiktiv)"
    assert chair["kind"] == "research_group" and chair["city"] == "Dortmund"
    assert chair["distance_km"] is not None  # from the asker
    assert chair["parts"]["semantic"] > 0
    assert chair["parts"]["graph"] == pytest.approx(sum(chair["signals"].values()), abs=1e-3)
    assert {"cooperation", "event"} <= set(chair["signals"])
    assert chair["shared_projects"] == ["LeichtFüge: Laserfügen im Leichtbau"]
    assert chair["shared_events"] == ["Netzwerktreffen Produktion Ruhr 2026"]
    assert chair["path"][0]["key"] == "org-brandt" and chair["path"][-1]["key"] == chair["key"]
    assert all(step["via"] for step in chair["path"][1:])
    assert chair["feedback"] is None
    laser = next(e for e in chair["evidence"] if e["key"] == "comp-laser")
    marked = {laser["snippet"][start:end] for start, end in laser["marks"]}
    assert "Edelstahl-" in marked
    assert laser["label"] == "Competence" and laser["semantic_similarity"] > 0


def test_kinds_and_a_radius_around_a_postcode_filter(client: TestClient) -> None:
    craft = post(client, text="Schweißen und Metallbau", kinds=["craft_business"]).json()
    assert craft["suggestions"]
    assert {s["kind"] for s in craft["suggestions"]} == {"craft_business"}
    near = post(client, text="Schweißen und Metallbau", near="58452", radius_km=5).json()
    assert [s["key"] for s in near["suggestions"]] == ["org-kemper"]
    assert near["suggestions"][0]["distance_km"] <= 5


def test_a_region_by_town_district_or_key_filters(client: TestClient) -> None:
    text = "Schweißen und Metallbau"
    for region in ("Ennepe-Ruhr-Kreis", "05954", "witten"):
        found = post(client, text=text, regions=[region]).json()["suggestions"]
        assert [s["key"] for s in found] == ["org-kemper"], region
    dortmund = post(client, text=text, regions=["Dortmund"]).json()["suggestions"]
    assert dortmund and {s["city"] for s in dortmund} == {"Dortmund"}
    assert post(client, text=text, regions=["Regierungsbezirk Arnsberg"]).json()["suggestions"]


def test_a_wanted_trade_is_a_signal(client: TestClient) -> None:
    text = "Photovoltaik auf dem Hallendach"
    plain = post(client, text=text).json()["suggestions"]
    with_trade = post(client, text=text, trades=["a25"]).json()["suggestions"]
    elektro = next(s for s in with_trade if s["key"] == "org-elektro")
    assert elektro["signals"]["trade"] > 0
    assert "trade" not in next(s for s in plain if s["key"] == "org-elektro")["signals"]


def test_an_unknown_postcode_or_asker_is_404_with_a_clear_message(client: TestClient) -> None:
    postcode = post(client, text=WELDING, near="99999")
    assert postcode.status_code == 404
    assert postcode.headers["content-type"] == "application/problem+json"
    assert postcode.json()["detail"] == "postcode 99999 is not in the reference table (NRW)"
    asker = post(client, text=WELDING, near="44147", asker="org-unbekannt")
    assert asker.status_code == 404
    assert "org-unbekannt" in asker.json()["detail"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"text": "ab"}, "text"),
        ({"text": "x" * 4001}, "text"),
        ({"text": "   ab   "}, "text"),  # stripped first
        ({"text": "Schweißen\x00"}, "text"),
        ({"limit": 0}, "limit"),
        ({"limit": 51}, "limit"),
        ({"radius_km": 0.5, "near": "44147"}, "radius_km"),
        ({"radius_km": 301, "near": "44147"}, "radius_km"),
        ({"kinds": ["bakery"]}, "kinds.0"),
        ({"near": "4414"}, "near"),
        ({"trades": ["Metallbauer"]}, "trades.0"),
        ({"radius_km": 20}, ""),  # no origin to measure from
        ({"colour": "blue"}, "colour"),
    ],
)
def test_invalid_requests_are_422_naming_the_field(
    client: TestClient, change: dict[str, Any], field: str
) -> None:
    response = post(client, **{"text": WELDING, **change})
    assert response.status_code == 422
    problem = response.json()
    assert problem["status"] == 422
    assert [e["field"] for e in problem["errors"]] == [field]


def test_text_that_is_not_valid_unicode_is_422_not_a_crash(client: TestClient) -> None:
    response = client.post(
        "/api/v1/match",
        content=b'{"text": "Schwei\\ud800en von Blechen"}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "text"


def test_the_openapi_document_has_german_examples_and_problem_responses(
    client: TestClient,
) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert "verziehen" in schemas["MatchBody"]["examples"][0]["text"]
    assert schemas["NeedCreate"]["examples"][0]["visibility"] == "confidential"
    assert schemas["FeedbackBody"]["examples"][0]["status"] == "contacted"
    operation = spec["paths"]["/api/v1/match"]["post"]
    assert {"401", "403", "404", "422"} <= set(operation["responses"])
    assert "application/problem+json" in operation["responses"]["404"]["content"]


def test_the_api_accepts_exactly_the_kinds_statuses_and_visibilities_of_the_model() -> None:
    spec = create_app(Settings(neo4j_uri="bolt://127.0.0.1:1")).openapi()
    schemas = spec["components"]["schemas"]
    assert schemas["OrgKind"]["enum"] == [kind.value for kind in OrgKind]
    assert schemas["NeedStatus"]["enum"] == [status.value for status in NeedStatus]
    assert schemas["Visibility"]["enum"] == [v.value for v in Visibility]
    assert schemas["Label"]["enum"] == [label.value for label in Label]
    kinds = schemas["MatchBody"]["properties"]["kinds"]["anyOf"][0]["items"]
    assert kinds == {"$ref": "#/components/schemas/OrgKind"}
    listing = {p["name"]: p["schema"] for p in spec["paths"]["/api/v1/needs"]["get"]["parameters"]}
    assert {"$ref": "#/components/schemas/NeedStatus"} in listing["status"]["anyOf"]
    assert {"$ref": "#/components/schemas/Visibility"} in listing["visibility"]["anyOf"]
