"""The needs workflow over HTTP against a real Neo4j holding the canonical fixture.

The fixture is loaded once for the module (a load encodes every text). Tests that write create
their own needs and assert only on those, or on properties that hold whatever else was added
(ordering, filters), so they do not depend on each other's order.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph import writes
from graph.connection import Graph
from graph.model import Label
from matching.encoder import get_encoder
from partnergraph.settings import Settings
from service.app import create_app
from tests.conftest import World
from tests.ingest_support import CANONICAL, run_ingest
from tests.service_support import auth, release_pending

MODEL = "use-multilingual"


def stored(graph: Graph, key: str) -> dict[str, Any]:
    rows = graph.read(
        "MATCH (n:Need {key: $key}) RETURN n {.*, created_at: toString(n.created_at)} AS n",
        key=key,
    )
    need: dict[str, Any] = rows[0]["n"]
    return need


def cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def create(world: World, **body: Any) -> dict[str, Any]:
    response = world.call("staff", "POST", "/api/v1/needs", json=body)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


# --- create, read, update, close ----------------------------------------------------------------


def test_a_created_need_is_encoded_at_once_exactly_as_the_ingest_encodes_it(world: World) -> None:
    ingested = stored(world.graph, "need-verzug")
    view = create(
        world,
        key="need-api-verzug",
        org_key="org-brandt",
        title=ingested["title"],
        text=ingested["text"],
    )
    assert view["organization"]["key"] == "org-brandt"  # staff see the company
    assert view["visibility"] == "confidential" and view["status"] == "open"
    assert view["lang"] == "de"
    made = stored(world.graph, "need-api-verzug")
    assert made["source"] == "api"
    assert made["text_hash"] == ingested["text_hash"]
    assert made["embedding_model"] == ingested["embedding_model"]
    assert made["embedding_dim"] == ingested["embedding_dim"]
    assert cosine(made["embedding"], ingested["embedding"]) > 0.999
    assert made["created_at"] == view["created_at"]
    # Nothing left for `partnergraph reembed` to do.
    model = get_encoder(MODEL).name
    assert not [r for r in writes.stale_texts(world.graph, Label.Need, model, 100)]


def test_language_is_detected_unless_given(world: World) -> None:
    english = create(
        world,
        org_key="org-kemper",
        title="Powder coating for railings",
        text="We are looking for a partner for the corrosion protection of our steel parts.",
    )
    assert english["lang"] == "en"
    assert english["key"].startswith("need-")
    given = create(
        world, org_key="org-kemper", title="Korrosionsschutz", text="Salt spray tests", lang="de"
    )
    assert given["lang"] == "de"


def test_unknown_company_is_404_and_a_taken_key_is_409(world: World) -> None:
    body = {"org_key": "org-unbekannt", "title": "Etwas", "text": "Wir suchen etwas."}
    missing = world.call("staff", "POST", "/api/v1/needs", json=body)
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert "org-unbekannt" in missing.json()["detail"]
    taken = world.call(
        "staff", "POST", "/api/v1/needs", json={**body, "org_key": "org-brandt", "key": "need-pv"}
    )
    assert taken.status_code == 409
    assert "need-pv" in taken.json()["detail"]
    assert stored(world.graph, "need-pv")["title"] == "Solaranlage für Hallendach"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": "ab"}, "title"),
        ({"text": "x" * 20_001}, "text"),
        ({"visibility": "geheim"}, "visibility"),
        ({"lang": "fr"}, "lang"),
        ({"key": "a/b"}, "key"),
        ({"colour": "blue"}, "colour"),
    ],
)
def test_invalid_needs_are_422_naming_the_field(
    world: World, change: dict[str, Any], field: str
) -> None:
    body = {"org_key": "org-brandt", "title": "Ein Bedarf", "text": "Wir suchen etwas.", **change}
    response = world.call("staff", "POST", "/api/v1/needs", json=body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]


def test_a_status_change_keeps_the_vector_and_new_words_are_encoded_again(world: World) -> None:
    key = create(
        world,
        org_key="org-datalab",
        title="Schweißnähte prüfen",
        text="Wir brauchen eine Prüfung der Schweißnähte an Rahmen.",
    )["key"]
    before = stored(world.graph, key)
    moved = world.call("staff", "PATCH", f"/api/v1/needs/{key}", json={"status": "in_progress"})
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    unchanged = stored(world.graph, key)
    assert unchanged["embedding"] == before["embedding"]
    assert unchanged["text_hash"] == before["text_hash"]

    text = "We need solar panels on the roof of our office building."
    changed = world.call(
        "staff", "PATCH", f"/api/v1/needs/{key}", json={"title": "Solar roof", "text": text}
    )
    assert changed.status_code == 200
    assert changed.json()["text"] == text and changed.json()["lang"] == "en"
    after = stored(world.graph, key)
    assert after["text_hash"] != before["text_hash"]
    assert after["embedding_model"] == before["embedding_model"]
    assert cosine(after["embedding"], before["embedding"]) < 0.95
    # the same words again: nothing to encode, the vector stays
    again = world.call("staff", "PATCH", f"/api/v1/needs/{key}", json={"text": text})
    assert again.status_code == 200
    assert stored(world.graph, key)["embedding"] == after["embedding"]


def test_close_sets_the_status_to_closed(world: World) -> None:
    key = create(world, org_key="org-elektro", title="Ladepunkte", text="Zehn Wallboxen.")["key"]
    closed = world.call("staff", "POST", f"/api/v1/needs/{key}/close")
    assert closed.status_code == 200
    assert closed.json()["status"] == "closed"
    assert stored(world.graph, key)["status"] == "closed"


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/v1/needs/need-nirgends", None),
        ("PATCH", "/api/v1/needs/need-nirgends", {"status": "solved"}),
        ("POST", "/api/v1/needs/need-nirgends/close", None),
        ("GET", "/api/v1/needs/need-nirgends/suggestions", None),
        ("GET", "/api/v1/needs/need-nirgends/feedback", None),
        (
            "POST",
            "/api/v1/needs/need-nirgends/suggestions/inst-hagen/feedback",
            {"status": "contacted"},
        ),
    ],
)
def test_an_unknown_need_is_404(world: World, method: str, path: str, body: Any) -> None:
    response = world.call("staff", method, path, json=body)
    assert response.status_code == 404
    assert response.json()["detail"] == "no need with key 'need-nirgends'"


# --- lists ----------------------------------------------------------------------------------------


def walk(world: World, role: str, query: str, limit: int) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    url = f"/api/v1/needs?limit={limit}{query}"
    for _ in range(100):
        page = world.call(role, "GET", url)
        assert page.status_code == 200, page.text
        items += page.json()["items"]
        cursor = page.json()["next_cursor"]
        if cursor is None:
            return items
        url = f"/api/v1/needs?limit={limit}{query}&cursor={cursor}"
    raise AssertionError("the cursor never ended")


def test_pages_follow_each_other_newest_first_without_gaps(world: World) -> None:
    whole = walk(world, "staff", "", 100)
    keys = [item["key"] for item in whole]
    assert {"need-verzug", "need-pv", "need-inspect"} <= set(keys)
    assert [item["key"] for item in walk(world, "staff", "", 1)] == keys
    assert [item["key"] for item in walk(world, "staff", "", 2)] == keys
    days = [item["created_at"] or "" for item in whole]
    assert days == sorted(days, reverse=True)
    assert keys.index("need-inspect") < keys.index("need-pv") < keys.index("need-verzug")


def test_the_page_size_is_capped_by_the_settings(world: World, neo4j_settings: Settings) -> None:
    small = neo4j_settings.model_copy(update={"max_page_size": 2})
    with TestClient(create_app(small)) as client:
        page = client.get("/api/v1/needs?limit=50", headers=auth(world.keys["staff"]))
    assert len(page.json()["items"]) == 2
    assert page.json()["next_cursor"] is not None


def test_filters_by_status_visibility_and_company(world: World) -> None:
    open_needs = walk(world, "staff", "&status=open", 100)
    assert open_needs and {item["status"] for item in open_needs} == {"open"}
    public = walk(world, "staff", "&visibility=public", 100)
    assert "need-pv" in [item["key"] for item in public]
    assert {item["visibility"] for item in public} == {"public"}
    brandt = walk(world, "staff", "&org=org-brandt", 100)
    assert {"need-verzug", "need-pv"} <= {item["key"] for item in brandt}
    assert {item["organization"]["key"] for item in brandt} == {"org-brandt"}


def test_a_cursor_not_made_here_is_400(world: World) -> None:
    for cursor in ("not-a-cursor", "WzEsMiwzXQ"):  # garbage; [1,2,3]
        response = world.call("staff", "GET", f"/api/v1/needs?cursor={cursor}")
        assert response.status_code == 400
        assert "cursor" in response.json()["detail"]


def test_universities_see_open_and_in_progress_needs_only_and_anonymised(world: World) -> None:
    key = create(
        world, org_key="org-brandt", title="Gelöster Bedarf", text="Entgraten von Frästeilen."
    )["key"]
    assert world.call(
        "staff", "PATCH", f"/api/v1/needs/{key}", json={"status": "solved"}
    ).is_success
    shared = release_pending(
        lambda role, method, url, body=None: world.call(role, method, url, json=body)
    )

    seen = walk(world, "university", "", 100)
    assert {item["status"] for item in seen} <= {"open", "in_progress"}
    assert shared[key] not in [item["key"] for item in seen]
    assert world.call("university", "GET", f"/api/v1/needs/{shared[key]}").status_code == 404
    assert walk(world, "university", "&status=solved", 100) == []

    verzug = world.call("university", "GET", f"/api/v1/needs/{shared['need-verzug']}").json()
    assert verzug["organization"] is None
    # the fixture has too few companies for any place or size to keep it among five
    assert verzug["organization_description"] == "ein Unternehmen der Region"
    public = world.call("university", "GET", "/api/v1/needs/need-pv").json()
    assert public["organization"]["key"] == "org-brandt"

    # analysts see every status, anonymised
    solved = world.call("analyst", "GET", f"/api/v1/needs/{shared[key]}")
    assert solved.status_code == 200
    assert solved.json()["organization"] is None and solved.json()["status"] == "solved"


def test_for_universities_and_analysts_a_company_filter_finds_only_public_needs(
    world: World,
) -> None:
    for role in ("university", "analyst"):
        found = walk(world, role, "&org=org-brandt", 100)
        assert "need-pv" in [item["key"] for item in found]
        assert {item["visibility"] for item in found} == {"public"}
        assert walk(world, role, "&org=org-brandt&visibility=confidential", 100) == []


# --- suggestions and feedback ---------------------------------------------------------------------


def test_suggestions_for_a_need_leave_out_its_company_and_measure_from_it(world: World) -> None:
    response = world.call("staff", "GET", "/api/v1/needs/need-verzug/suggestions?limit=5")
    assert response.status_code == 200
    body = response.json()
    assert body["need"]["key"] == "need-verzug"
    assert body["need"]["organization"]["key"] == "org-brandt"
    keys = [s["key"] for s in body["suggestions"]]
    assert "org-brandt" not in keys
    assert "chair-fuegetechnik" in keys[:2]
    chair = body["suggestions"][keys.index("chair-fuegetechnik")]
    assert chair["distance_km"] is not None and chair["distance_km"] < 20
    assert chair["path"][0]["key"] == "org-brandt"
    assert chair["path"][-1]["key"] == "chair-fuegetechnik"
    only_research = world.call(
        "staff",
        "GET",
        "/api/v1/needs/need-verzug/suggestions?kinds=research_group&kinds=institute&radius_km=30",
    ).json()["suggestions"]
    assert only_research
    assert {s["kind"] for s in only_research} <= {"research_group", "institute"}
    assert all(s["distance_km"] <= 30 for s in only_research)


def test_suggestions_honour_the_filters_of_a_search_around_a_postcode_and_in_regions(
    world: World,
) -> None:
    def suggested(query: str) -> list[dict[str, Any]]:
        response = world.call("staff", "GET", f"/api/v1/needs/need-verzug/suggestions?{query}")
        assert response.status_code == 200, response.text
        return response.json()["suggestions"]  # type: ignore[no-any-return]

    # 5 km around Witten's postcode, not around the need's company in Dortmund (15 km away)
    around_witten = suggested("near=58452&radius_km=5")
    assert [s["key"] for s in around_witten] == ["org-kemper"]
    assert around_witten[0]["distance_km"] <= 5
    assert "org-kemper" not in {s["key"] for s in suggested("radius_km=5")}
    in_district = suggested("regions=Ennepe-Ruhr-Kreis&trades=a13")
    assert [s["key"] for s in in_district] == ["org-kemper"]
    assert in_district[0]["signals"]["trade"] > 0
    in_dortmund = suggested("regions=Dortmund&regions=Hagen&kinds=research_group&kinds=institute")
    assert in_dortmund and {s["city"] for s in in_dortmund} <= {"Dortmund", "Hagen"}
    assert {s["kind"] for s in in_dortmund} <= {"research_group", "institute"}
    unknown = world.call(
        "staff", "GET", "/api/v1/needs/need-verzug/suggestions?near=99999&radius_km=5"
    )
    assert unknown.status_code == 404 and "99999" in unknown.json()["detail"]
    for bad in ("near=4414", "trades=Metallbauer", "regions=x"):
        response = world.call("staff", "GET", f"/api/v1/needs/need-verzug/suggestions?{bad}")
        assert response.status_code == 422, bad


def test_feedback_is_one_record_per_need_and_organisation_replaced_by_the_latest(
    world: World,
) -> None:
    key = create(
        world,
        org_key="org-kemper",
        title="Korrosionsschutz für Geländer",
        text="Unsere verzinkten Geländer rosten an den Schweißnähten. Wer prüft Beschichtungen?",
    )["key"]
    url = f"/api/v1/needs/{key}/suggestions/inst-hagen/feedback"
    first = world.call("staff", "POST", url, json={"status": "contacted", "note": "angerufen"})
    assert first.status_code == 200
    assert first.json()["need"] == key
    assert first.json()["organization"] == {
        "key": "inst-hagen",
        "name": "Institut für Oberflächentechnik Hagen (fiktiv)",
    }
    later = world.call("admin", "POST", url, json={"status": "rejected"})
    assert later.status_code == 200
    recorded = world.call("staff", "GET", f"/api/v1/needs/{key}/feedback").json()
    assert len(recorded) == 1
    assert recorded[0]["status"] == "rejected" and recorded[0]["note"] is None
    admin_id = world.call("admin", "GET", "/api/v1/me").json()["key_id"]
    assert recorded[0]["by"] == admin_id

    suggestions = world.call("staff", "GET", f"/api/v1/needs/{key}/suggestions").json()
    by_key = {s["key"]: s for s in suggestions["suggestions"]}
    assert by_key["inst-hagen"]["feedback"]["status"] == "rejected"
    assert all(s["feedback"] is None for k, s in by_key.items() if k != "inst-hagen")


def test_invalid_feedback(world: World) -> None:
    base = "/api/v1/needs/need-inspect/suggestions"
    own = world.call("staff", "POST", f"{base}/org-kemper/feedback", json={"status": "accepted"})
    assert own.status_code == 400  # org-kemper has this need
    unknown = world.call(
        "staff", "POST", f"{base}/org-nirgends/feedback", json={"status": "accepted"}
    )
    assert unknown.status_code == 404 and "org-nirgends" in unknown.json()["detail"]
    for body in ({"status": "vielleicht"}, {"status": "contacted", "note": "x" * 2001}, {}):
        response = world.call("staff", "POST", f"{base}/org-datalab/feedback", json=body)
        assert response.status_code == 422, body
    assert world.call("staff", "GET", "/api/v1/needs/need-inspect/feedback").json() == []


def test_an_accepted_suggestion_counts_as_cooperation_in_later_matches(world: World) -> None:
    def elektro(suggestions: list[dict[str, Any]]) -> dict[str, Any]:
        return next(s for s in suggestions if s["key"] == "org-elektro")

    text = "Photovoltaik auf dem Hallendach und Wallboxen für unsere Firmenwagen"
    ask = {"text": text, "asker": "org-datalab"}
    before = elektro(world.call("staff", "POST", "/api/v1/match", json=ask).json()["suggestions"])
    assert "cooperation" not in before["signals"]

    key = create(world, org_key="org-datalab", title="Solardach", text=text)["key"]
    url = f"/api/v1/needs/{key}/suggestions/org-elektro/feedback"
    assert world.call("staff", "POST", url, json={"status": "accepted"}).status_code == 200
    links = world.graph.read(
        "MATCH (:Organization {key: 'org-datalab'})-[c:COOPERATES_WITH]->"
        "(:Organization {key: 'org-elektro'}) RETURN c.need AS need, c.at IS NOT NULL AS dated"
    )
    assert links == [{"need": key, "dated": True}]

    after = elektro(world.call("staff", "POST", "/api/v1/match", json=ask).json()["suggestions"])
    assert after["signals"]["cooperation"] > 0
    assert after["score"] > before["score"]
    # the path explains it too
    assert [step.get("via") for step in after["path"][1:]] == ["COOPERATES_WITH"]
    # another company asking the same gets no such signal
    other = world.call("staff", "POST", "/api/v1/match", json={"text": text, "asker": "org-kemper"})
    assert "cooperation" not in elektro(other.json()["suggestions"])["signals"]

    # taken back: no longer a cooperation
    assert world.call("staff", "POST", url, json={"status": "rejected"}).status_code == 200
    again = elektro(world.call("staff", "POST", "/api/v1/match", json=ask).json()["suggestions"])
    assert "cooperation" not in again["signals"]


def test_a_status_set_here_survives_a_reload_of_the_unchanged_export(world: World) -> None:
    moved = world.call("staff", "PATCH", "/api/v1/needs/need-inspect", json={"status": "solved"})
    assert moved.status_code == 200
    report = run_ingest(world.graph, CANONICAL, get_encoder(MODEL))
    assert report.ok and report.embedded == 0
    assert report.count("Need").unchanged == 3
    assert stored(world.graph, "need-inspect")["status"] == "solved"
    world.call("staff", "PATCH", "/api/v1/needs/need-inspect", json={"status": "in_progress"})


def test_recorded_decisions_become_training_pairs_and_learned_weights_printed_as_settings(
    world: World, neo4j_settings: Settings
) -> None:
    from typer.testing import CliRunner

    from graph import needs
    from matching.learned import learn
    from matching.scoring import Weights
    from partnergraph.cli import app

    key = create(
        world,
        org_key="org-kemper",
        title="Schweißnähte an Edelstahlgehäusen prüfen",
        text="Wer prüft unsere WIG-Schweißnähte zerstörungsfrei und berät zum Verzug?",
    )["key"]
    shown = world.call("staff", "GET", f"/api/v1/needs/{key}/suggestions?limit=3").json()
    first, second, third = (s["key"] for s in shown["suggestions"])
    url = f"/api/v1/needs/{key}/suggestions/{{}}/feedback"
    for org, status in ((first, "rejected"), (second, "accepted"), (third, "contacted")):
        assert world.call("staff", "POST", url.format(org), json={"status": status}).is_success

    decided = {row["key"]: row for row in needs.decided_needs(world.graph)}
    assert decided[key]["company"] == "org-kemper"
    assert sorted((d["org"], d["status"]) for d in decided[key]["decisions"]) == sorted(
        [(first, "rejected"), (second, "accepted")]
    )  # "contacted" decides nothing

    found = learn(world.graph, get_encoder(MODEL), Weights())
    assert found.pairs >= 1  # accepted > rejected of this need (other needs may add)
    assert found.weights.semantic == 1.0  # the anchor
    assert found.weights.cooperation == Weights().cooperation  # the decision itself records one
    assert found.weights != Weights()  # the pairs moved something, within the prior's pull
    assert 0.0 <= found.agreement_held_out <= 1.0

    env = {
        "NEO4J_URI": neo4j_settings.bolt_uri,
        "NEO4J_USER": neo4j_settings.neo4j_user,
        "NEO4J_PASSWORD": neo4j_settings.neo4j_secret(),
        "NEO4J_DATABASE": neo4j_settings.neo4j_database,
    }
    printed = CliRunner().invoke(app, ["learn"], env=env)
    assert printed.exit_code == 0, printed.output
    assert f"{found.pairs} pairs" in printed.stdout
    assert "PARTNERGRAPH_MATCH_WEIGHT_LEXICAL=" in printed.stdout
