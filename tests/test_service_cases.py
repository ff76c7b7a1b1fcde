"""Needs as cases over HTTP against a real Neo4j with the canonical fixture: the list staff
work from, a need's history, the stored shortlist, one need per double click, and the answers
universities give (seeing the company only once staff connect them)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph import admin, schema
from graph.connection import Graph
from matching.encoder import get_encoder
from partnergraph.settings import Settings
from service.app import create_app
from tests.ingest_support import CANONICAL, run_ingest
from tests.service_support import auth, keys_for_roles

NEED = {
    "org_key": "org-brandt",
    "title": "Verzug an dünnen Blechen",
    "text": "Unsere dünnen Edelstahlbleche verziehen sich beim Schweißen.",
    "visibility": "confidential",
}


@dataclass
class World:
    graph: Graph
    client: TestClient
    keys: dict[str, str]

    def call(self, role: str, method: str, url: str, **kwargs: Any) -> Any:
        headers = {**auth(self.keys[role]), **kwargs.pop("headers", {})}
        return self.client.request(method, url, headers=headers, **kwargs)


@pytest.fixture(scope="module")
def world(neo4j_settings: Settings) -> Iterator[World]:
    with Graph.from_settings(neo4j_settings) as graph:
        admin.delete_everything(graph)
        schema.init_schema(graph)
        assert run_ingest(graph, CANONICAL, get_encoder("use-multilingual")).ok
        keys = keys_for_roles(graph, "uni-tu-dortmund")
        with TestClient(create_app(neo4j_settings)) as client:
            yield World(graph, client, keys)


def save(world: World, token: str | None = None, **changes: Any) -> Any:
    headers = {"Idempotency-Key": token} if token else {}
    return world.call("staff", "POST", "/api/v1/needs", json={**NEED, **changes}, headers=headers)


def test_the_same_idempotency_key_saves_one_need_even_when_the_clicks_race(world: World) -> None:
    first = save(world, "click-1")
    assert first.status_code == 201
    again = save(world, "click-1")
    assert again.status_code == 200 and again.json()["key"] == first.json()["key"]
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: save(world, "click-2"), range(4)))
    assert sorted(a.status_code for a in answers) == [200, 200, 200, 201]
    assert len({a.json()["key"] for a in answers}) == 1
    count = world.graph.read(
        "MATCH (n:Need) WHERE n.idempotency ENDS WITH ':click-2' RETURN count(n) AS c"
    )[0]["c"]
    assert count == 1
    # without the header every request is a new need, as before
    assert save(world).json()["key"] != save(world).json()["key"]


def test_a_case_keeps_its_history_its_shortlist_and_what_was_done_with_partners(
    world: World,
) -> None:
    key = save(world, "case-history").json()["key"]
    found = world.call(
        "staff", "POST", "/api/v1/match", json={"text": NEED["text"], "asker": "org-brandt"}
    ).json()["suggestions"]
    stored = world.call(
        "staff", "PUT", f"/api/v1/cases/{key}/shortlist", json={"suggestions": found}
    )
    assert stored.status_code == 200, stored.text
    base = f"/api/v1/needs/{key}"
    world.call("staff", "PATCH", base, json={"status": "in_progress"})
    first = found[0]["key"]
    world.call(
        "staff",
        "POST",
        f"{base}/suggestions/{first}/feedback",
        json={"status": "contacted", "note": "angerufen"},
    )
    world.call("staff", "POST", f"{base}/suggestions/{first}/feedback", json={"status": "accepted"})

    case = world.call("staff", "GET", f"/api/v1/cases/{key}").json()
    assert case["case_status"] == "partner_found"
    assert case["owner_name"] == "test staff"
    assert [s["key"] for s in case["shortlist"]["suggestions"]] == [s["key"] for s in found]
    assert [(f["organization"]["key"], f["status"]) for f in case["feedback"]] == [
        (first, "accepted")
    ]
    kinds = [e["kind"] for e in reversed(case["events"])]
    assert kinds == ["created", "shortlist", "status", "feedback", "feedback"]
    status = next(e for e in case["events"] if e["kind"] == "status")
    expected = ("open", "in_progress", "test staff")
    assert (status["old"], status["new"], status["by_name"]) == expected
    assert case["events"][0]["org"] == first and case["events"][0]["new"] == "accepted"


def test_the_case_list_sorts_activity_by_time_even_where_its_text_form_would_not(
    world: World,
) -> None:
    # "…:19.4Z" sorts after "…:19.45Z" as text (Z > 5) though it is the earlier time
    earlier = save(world, title="Früher aktiv").json()["key"]
    later = save(world, title="Später aktiv").json()["key"]
    for key, at in ((earlier, "2030-01-01T10:00:19.4Z"), (later, "2030-01-01T10:00:19.45Z")):
        world.graph.write(
            "MATCH (n:Need {key: $key}) SET n.last_activity = datetime($at)", key=key, at=at
        )
    listed = world.call("staff", "GET", "/api/v1/cases?mine=true").json()
    keys = [item["need"]["key"] for item in listed]
    assert keys[:2] == [later, earlier]


def test_the_case_list_filters_by_owner_and_status_and_sorts_by_latest_activity(
    world: World,
) -> None:
    older = save(world, title="Erster Fall").json()["key"]
    newer = save(world, title="Zweiter Fall").json()["key"]
    world.call("staff", "POST", f"/api/v1/needs/{older}/close")  # now the latest activity
    listed = world.call("staff", "GET", "/api/v1/cases?mine=true").json()
    keys = [item["need"]["key"] for item in listed]
    assert keys.index(older) < keys.index(newer)
    # needs of the canonical fixture have no owner: not "mine"
    assert all(item["owner_name"] == "test staff" for item in listed)
    everyone = world.call("staff", "GET", "/api/v1/cases").json()
    assert any(item["need"]["key"] == "need-verzug" for item in everyone)
    closed = world.call("staff", "GET", "/api/v1/cases?status=closed").json()
    assert {item["case_status"] for item in closed} == {"closed"}
    assert older in [item["need"]["key"] for item in closed]
    by_company = world.call("staff", "GET", "/api/v1/cases?sort=company").json()
    names = [(item["need"]["organization"] or {}).get("name") or "" for item in by_company]
    assert names == sorted(names, key=str.lower)


def test_a_university_answers_and_sees_the_company_only_after_staff_connect_them(
    world: World,
) -> None:
    key = save(world, visibility="public", title="Öffentlicher Bedarf Verzug").json()["key"]
    secret = save(world, title="Vertraulicher Bedarf Verzug").json()["key"]
    shared = world.call("staff", "GET", f"/api/v1/needs/{secret}/shared").json()
    put = world.call(
        "staff",
        "PUT",
        f"/api/v1/needs/{secret}/shared",
        json={"title": shared["proposed_title"]["text"], "text": shared["proposed_text"]["text"]},
    ).json()
    shared_key = put["shared_key"]

    # by its own key a confidential need is unknown to the university
    body = {"message": "Wir forschen an verzugsarmem Schweißen.", "contact": "Dr. Weber"}
    own_key = world.call("university", "POST", f"/api/v1/needs/{secret}/answers", json=body)
    assert own_key.status_code == 404
    answered = world.call("university", "POST", f"/api/v1/needs/{shared_key}/answers", json=body)
    assert answered.status_code == 201, answered.text
    answer = answered.json()
    assert answer["status"] == "new" and answer["company"] is None
    assert "Brandt" not in answered.text and "org-brandt" not in answered.text
    # for another organisation than its own: refused
    other = world.call(
        "university", "POST", f"/api/v1/needs/{key}/answers", json={**body, "org": "org-kemper"}
    )
    assert other.status_code == 403

    case = world.call("staff", "GET", f"/api/v1/cases/{secret}").json()
    assert [(a["organization"]["key"], a["message"]) for a in case["answers"]] == [
        ("uni-tu-dortmund", body["message"])
    ]
    connected = world.call(
        "staff", "POST", f"/api/v1/cases/{secret}/answers/{answer['id']}/connect"
    ).json()
    assert connected["answers"][0]["status"] == "connected"
    assert connected["events"][0]["kind"] == "connected"

    mine = world.call("university", "GET", "/api/v1/answers").json()
    now = next(a for a in mine if a["id"] == answer["id"])
    assert now["status"] == "connected"
    assert now["company"]["key"] == "org-brandt"
    assert now["need"]["organization"]["name"].startswith("Brandt")


def test_cases_are_for_staff_only(world: World) -> None:
    for role in ("university", "analyst"):
        assert world.call(role, "GET", "/api/v1/cases").status_code == 403
        assert world.call(role, "GET", "/api/v1/cases/need-verzug").status_code == 403
    assert world.call("analyst", "GET", "/api/v1/answers").status_code == 403
