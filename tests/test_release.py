"""Staff release what universities and analysts read of a non-public need; until then, and
after its words or visibility change, those roles do not see the need on any route.

The canonical fixture is loaded once; each test makes needs of its own.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from partnergraph.settings import Settings
from service.release import GENERIC, K_ANONYMITY, describe
from tests.conftest import World, open_world

API = "/api/v1"
READERS = ("university", "analyst")
NAMED_TEXT = (
    "Die Brandt-Präzisionstechnik in der Hafenstraße 12 beschäftigt etwa 29 Personen. "
    "Herr Jan Krüger sucht für Brandt  Präzisionstechniks Frästeile ein Verfahren zum "
    "Entgraten kleiner Bohrungen."
)


@dataclass
class ReleaseWorld(World):
    prefix = API

    def need(self, visibility: str, text: str = NAMED_TEXT, **extra: Any) -> str:
        key = f"need-brandt-{secrets.token_hex(3)}"
        body = {
            "key": key,
            "org_key": "org-brandt",
            "title": "Entgraten bei Brandt Präzisionstechnik",
            "text": text,
            "visibility": visibility,
            **extra,
        }
        made = self.call("staff", "POST", "/needs", body)
        assert made.status_code == 201, made.text
        return key

    def release_as_proposed(self, key: str) -> dict[str, Any]:
        shared = self.call("staff", "GET", f"/needs/{key}/shared").json()
        body = {"title": shared["proposed_title"]["text"], "text": shared["proposed_text"]["text"]}
        released = self.call("staff", "PUT", f"/needs/{key}/shared", body)
        assert released.status_code == 200, released.text
        return released.json()  # type: ignore[no-any-return]

    def readable(self, role: str) -> str:
        """Everything `role` can read about needs, as one text."""
        urls = [
            "/needs?limit=100",
            "/analytics/topics",
            "/analytics/gaps",
            "/graph/neighbourhood?key=org-brandt&depth=2&limit=1000",
        ]
        if role == "university":
            urls.append("/organizations/uni-tu-dortmund/needs?limit=100")
        else:
            urls += ["/export/graphml", "/export/gexf"]
        texts = []
        for url in urls:
            response = self.call(role, "GET", url)
            assert response.status_code == 200, (url, response.text)
            texts.append(response.text)
        return "\n".join(texts)


@pytest.fixture(scope="module")
def world(neo4j_settings: Settings) -> Iterator[ReleaseWorld]:
    with open_world(neo4j_settings, ReleaseWorld) as loaded:
        yield loaded


def test_a_non_public_need_is_unseen_until_staff_release_it(world: ReleaseWorld) -> None:
    key = world.need("confidential")
    assert world.call("staff", "GET", f"/needs/{key}").json()["release"] == "pending"
    for role in READERS:
        assert key not in world.readable(role)
        assert "Entgraten kleiner Bohrungen" not in world.readable(role)
        assert world.call(role, "GET", f"/needs/{key}").status_code == 404
        assert world.call(role, "GET", f"/graph/neighbourhood?key=Need:{key}").status_code == 404

    released = world.release_as_proposed(key)
    shared_key = released["shared_key"]
    assert released["released"] and shared_key != key and "brandt" not in shared_key
    assert world.call("staff", "GET", f"/needs/{key}").json()["release"] == "released"
    for role in READERS:
        seen = world.call(role, "GET", f"/needs/{shared_key}")
        assert seen.status_code == 200, seen.text
        need = seen.json()
        assert need["key"] == shared_key and need["organization"] is None
        assert need["text"] == released["shared_text"]
        assert "Entgraten kleiner Bohrungen" in need["text"]
        assert need["organization_description"] == released["shared_description"]
        # the need's own key names the company: never a way in for those roles
        assert world.call(role, "GET", f"/needs/{key}").status_code == 404
        assert world.call(role, "GET", f"/graph/neighbourhood?key=Need:{key}").status_code == 404
        node = world.call(role, "GET", f"/graph/neighbourhood?key=Need:{shared_key}")
        assert node.status_code == 200 and key not in node.text
        assert key not in world.readable(role)


def test_the_proposal_marks_what_it_replaced(world: ReleaseWorld) -> None:
    key = world.need("anonymous")
    shared = world.call("staff", "GET", f"/needs/{key}/shared").json()
    text = shared["proposed_text"]
    for gone in ("Brandt", "Hafenstraße", "Krüger", "29 Personen"):
        assert gone not in text["text"], text["text"]
    kinds = {mark["kind"] for mark in text["marks"]}
    assert {"organization", "street", "person", "headcount"} <= kinds
    for mark in text["marks"]:
        assert text["text"][mark["start"] : mark["end"]].startswith("[")
    assert "Brandt" not in shared["proposed_title"]["text"]
    assert not shared["released"] and shared["shared_text"] is None


def test_a_change_of_words_or_visibility_hides_the_need_until_released_again(
    world: ReleaseWorld,
) -> None:
    key = world.need("anonymous")
    shared_key = world.release_as_proposed(key)["shared_key"]
    assert world.call("university", "GET", f"/needs/{shared_key}").status_code == 200

    changed = {"text": NAMED_TEXT + " Stückzahl 5.000 im Jahr."}
    assert world.call("staff", "PATCH", f"/needs/{key}", changed).json()["release"] == "pending"
    assert world.call("university", "GET", f"/needs/{shared_key}").status_code == 404
    again = world.release_as_proposed(key)
    assert again["shared_key"] == shared_key  # readers keep knowing it by the same key
    assert world.call("university", "GET", f"/needs/{shared_key}").status_code == 200

    more_secret = {"visibility": "confidential"}
    assert world.call("staff", "PATCH", f"/needs/{key}", more_secret).status_code == 200
    assert world.call("analyst", "GET", f"/needs/{shared_key}").status_code == 404
    world.release_as_proposed(key)
    assert world.call("staff", "DELETE", f"/needs/{key}/shared").status_code == 204
    assert world.call("analyst", "GET", f"/needs/{shared_key}").status_code == 404


def test_a_subscription_to_the_company_name_does_not_find_its_non_public_need(
    world: ReleaseWorld,
) -> None:
    key = world.need("confidential")
    shared_key = world.release_as_proposed(key)["shared_key"]
    for role in READERS:
        listed = []
        for query in ("Brandt Präzisionstechnik", "Hafenstraße Krüger", "Entgraten Bohrungen"):
            made = world.call(role, "POST", "/subscriptions", {"query": query})
            assert made.status_code == 201
            new = world.call(role, "GET", f"/subscriptions/{made.json()['id']}/new?mark_seen=false")
            listed.append({item["need"]["key"] for item in new.json()["needs"]})
        assert shared_key not in listed[0] and shared_key not in listed[1]
        assert key not in str(listed)
        assert shared_key in listed[2]  # what it is about still finds it


def test_universities_never_read_solved_or_closed_needs(world: ReleaseWorld) -> None:
    key = world.need("public", text="Wir suchen Thermografie für Schaltschränke.")
    assert world.call("university", "GET", f"/needs/{key}").status_code == 200
    assert world.call("staff", "POST", f"/needs/{key}/close").status_code == 200
    assert world.call("university", "GET", f"/needs/{key}").status_code == 404
    hood = f"/graph/neighbourhood?key=Need:{key}"
    assert world.call("university", "GET", hood).status_code == 404
    around = world.call("university", "GET", "/graph/neighbourhood?key=org-brandt").json()
    assert f"Need:{key}" not in {node["id"] for node in around["nodes"]}
    assert world.call("analyst", "GET", hood).status_code == 200


def test_a_public_need_needs_no_release(world: ReleaseWorld) -> None:
    key = world.need("public", text="Wir suchen Thermografie für Schaltschränke.")
    body = {"title": "Thermografie", "text": "Thermografie für Schaltschränke."}
    refused = world.call("staff", "PUT", f"/needs/{key}/shared", body)
    assert refused.status_code == 400
    assert world.call("staff", "GET", f"/needs/{key}").json()["release"] == "public"


COMPANY = {"kind": "company", "employees": 40, "city": "Witten", "district": "Ennepe-Ruhr-Kreis"}


@pytest.mark.parametrize(
    ("visibility", "counts", "expected"),
    [
        (
            "anonymous",
            {"kind_city_size": 5, "kind_district_size": 9, "kind_district": 20, "kind": 99},
            "mittelständisches Unternehmen in Witten",
        ),
        (
            "anonymous",
            {"kind_city_size": 4, "kind_district_size": 9, "kind_district": 20, "kind": 99},
            "mittelständisches Unternehmen im Gebiet Ennepe-Ruhr-Kreis",
        ),
        (
            "anonymous",
            {"kind_city_size": 1, "kind_district_size": 4, "kind_district": 20, "kind": 99},
            "Unternehmen im Gebiet Ennepe-Ruhr-Kreis",
        ),
        (
            "confidential",
            {"kind_city_size": 50, "kind_district_size": 50, "kind_district": 50, "kind": 99},
            "Unternehmen im Gebiet Ennepe-Ruhr-Kreis",
        ),
        (
            "confidential",
            {"kind_city_size": 1, "kind_district_size": 1, "kind_district": 4, "kind": 99},
            "Unternehmen in der Region",
        ),
        ("anonymous", {"kind_city_size": 1, "kind_district_size": 1, "kind_district": 1}, GENERIC),
    ],
)
def test_a_company_is_described_only_as_precisely_as_keeps_it_among_five(
    visibility: str, counts: dict[str, int], expected: str
) -> None:
    assert K_ANONYMITY == 5
    assert describe(COMPANY, visibility, counts) == expected


def test_the_size_adjective_agrees_with_the_noun() -> None:
    counts = {"kind_city_size": 9, "kind_district_size": 9, "kind_district": 9, "kind": 9}
    craft = {"kind": "craft_business", "employees": 40, "city": "Witten"}
    assert describe(craft, "anonymous", counts) == "mittelständischer Handwerksbetrieb in Witten"
    small = {"kind": "service_provider", "employees": 4, "district": "Hagen"}
    assert describe(small, "anonymous", counts) == "kleiner Dienstleister im Gebiet Hagen"
    assert describe(None, "anonymous", counts) == GENERIC
