"""What each role sees of needs, organisations and people (pure functions, no Neo4j)."""

from __future__ import annotations

from service.auth import Principal, Role
from service.redact import (
    anonymous_description,
    need_view,
    organization_view,
    person_view,
    scrub,
)

STAFF = Principal("k1", "staff", Role.staff, None)
UNI = Principal("k2", "uni", Role.university, "org-uni")
ANALYST = Principal("k3", "analyst", Role.analyst, None)

BRANDT = {
    "key": "org-brandt",
    "name": "Brandt Metallbau GmbH",
    "kind": "company",
    "city": "Hagen",
    "district": "Hagen",
    "employees": 85,
    "street": "Eilper Str. 1",
    "lat": 51.35127,
    "lon": 7.48211,
    "source_id": "crm-4711",
}
NEED = {
    "key": "need-verzug",
    "title": "Verzug beim Schweißen",
    "text": "Bei Brandt Metallbau verziehen sich 1-mm-Bleche (org-brandt).",
    "lang": "de",
    "status": "open",
    "visibility": "anonymous",
    "created_at": "2026-03-02",
}


def test_staff_sees_the_company_behind_every_need() -> None:
    for visibility in ("public", "anonymous", "confidential"):
        view = need_view(STAFF, {**NEED, "visibility": visibility}, BRANDT)
        assert view["organization"]["name"] == "Brandt Metallbau GmbH"


def test_universities_see_an_anonymous_need_with_a_description_not_a_name() -> None:
    view = need_view(UNI, NEED, BRANDT)
    assert view["organization"] is None
    assert view["organization_description"] == "mittelständisches Unternehmen in Hagen"
    assert "Brandt" not in view["text"] and "org-brandt" not in view["text"]
    assert "[Unternehmen]" in view["text"]


def test_confidential_needs_name_only_the_district() -> None:
    view = need_view(ANALYST, {**NEED, "visibility": "confidential"}, BRANDT)
    assert view["organization_description"] == "Unternehmen im Gebiet Hagen"


def test_public_needs_show_the_company_to_everyone() -> None:
    view = need_view(UNI, {**NEED, "visibility": "public"}, BRANDT)
    assert view["organization"]["key"] == "org-brandt"


def test_contact_data_of_companies_is_hidden_from_universities_and_analysts() -> None:
    assert "street" not in organization_view(UNI, BRANDT)
    assert "source_id" not in organization_view(ANALYST, BRANDT)
    assert (organization_view(UNI, BRANDT)["lat"], organization_view(UNI, BRANDT)["lon"]) == (
        51.35,
        7.48,
    )
    assert organization_view(STAFF, BRANDT)["lat"] == 51.35127
    assert organization_view(STAFF, BRANDT)["street"] == "Eilper Str. 1"
    person = {"key": "p1", "name": "Eva Brandt", "email": "eva@brandt.de"}
    assert person_view(UNI, person, "company") is None
    assert person_view(ANALYST, person, "university") == {"key": "p1", "name": "Eva Brandt"}
    assert person_view(STAFF, person, "company") == person


def test_scrub_ignores_case_and_short_names() -> None:
    assert scrub("BRANDT hat ein Problem", ["Brandt"]) == "[Unternehmen] hat ein Problem"
    assert scrub("AB hat", ["AB"]) == "AB hat"
    assert anonymous_description(None, "anonymous") == "ein Unternehmen der Region"


def test_the_size_adjective_agrees_with_the_noun() -> None:
    craft = {"kind": "craft_business", "employees": 40, "city": "Witten"}
    assert (
        anonymous_description(craft, "anonymous") == "mittelständischer Handwerksbetrieb in Witten"
    )
    small = {"kind": "service_provider", "employees": 4}
    assert anonymous_description(small, "anonymous") == "kleiner Dienstleister"
