"""What each role sees of needs, organisations and people (pure functions, no Neo4j)."""

from __future__ import annotations

import time
from collections.abc import Mapping

import pytest

from service.auth import Principal, Role
from service.redact import (
    need_view,
    organization_view,
    person_view,
    scrub,
    scrub_contacts,
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
    "text_hash": "h1",
}


def released(need: Mapping[str, object], **wording: object) -> dict[str, object]:
    """`need` with a release of its current words: by default its own words, unscrubbed (the
    second line of defence in `need_view` is what these tests look at)."""
    return {
        **need,
        "shared_id": "need-0a1b2c3d",
        "shared_title": wording.get("title", need["title"]),
        "shared_text": wording.get("text", need["text"]),
        "shared_description": wording.get("description", "mittelständisches Unternehmen"),
        "released_hash": need["text_hash"],
        "released_visibility": need["visibility"],
    }


def test_staff_sees_the_company_behind_every_need() -> None:
    for visibility in ("public", "anonymous", "confidential"):
        view = need_view(STAFF, {**NEED, "visibility": visibility}, BRANDT)
        assert view is not None
        assert view["organization"]["name"] == "Brandt Metallbau GmbH"


def test_universities_see_an_anonymous_need_with_a_description_not_a_name() -> None:
    view = need_view(UNI, released(NEED), BRANDT)
    assert view is not None
    assert view["organization"] is None
    assert view["key"] == "need-0a1b2c3d"  # never the need's own key
    assert view["organization_description"] == "mittelständisches Unternehmen"
    assert "Brandt" not in view["text"] and "org-brandt" not in view["text"]
    assert "[Unternehmen]" in view["text"]


def test_a_non_public_need_without_a_current_release_is_not_shown() -> None:
    for principal in (UNI, ANALYST):
        assert need_view(principal, NEED, BRANDT) is None
        changed = {**released(NEED), "text_hash": "h2"}  # the words changed since the release
        assert need_view(principal, changed, BRANDT) is None
        hidden_more = {**released(NEED), "visibility": "confidential"}
        assert need_view(principal, hidden_more, BRANDT) is None
    assert need_view(STAFF, NEED, BRANDT) is not None


def test_readers_get_the_released_wording_not_the_need_s_own() -> None:
    need = released(NEED, text="Verzug an dünnen Blechen.", title="Verzug")
    view = need_view(ANALYST, need, BRANDT)
    assert view is not None
    assert (view["title"], view["text"]) == ("Verzug", "Verzug an dünnen Blechen.")


def test_public_needs_show_the_company_to_everyone() -> None:
    view = need_view(UNI, {**NEED, "visibility": "public"}, BRANDT)
    assert view is not None
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


CONTACTS = (
    "Rückfragen an m.brandt@brandt-metallbau.de, m.brandt (at) brandt-metallbau.de, "
    "Tel. 0231 123456, +49 231 1234-56, (0201) 12 34 56, 0231/123456, 0171 1234567, "
    "+49 (0)231 123456 oder 0049 231 123456; mehr auf https://www.brandt-metallbau.de/kontakt, "
    "www.brandt-metallbau.de und brandt-metallbau.de/anfrage."
)


@pytest.mark.parametrize("visibility", ["anonymous", "confidential"])
def test_contact_data_typed_into_a_hidden_need_is_scrubbed(visibility: str) -> None:
    need: dict[str, object] = {**NEED, "title": "Schweißen, Tel. 02331 987654", "text": CONTACTS}
    need["visibility"] = visibility
    need = released(need)
    for principal in (UNI, ANALYST):
        view = need_view(principal, need, {**BRANDT, "website": "https://brandt-metallbau.de"})
        assert view is not None
        for secret in ("@", "(at)", "brandt-metallbau", "www.", "http", "0231", "49 231", "0201"):
            assert secret not in view["text"], (secret, view["text"])
        assert view["title"] == "Schweißen, Tel. [Telefon]"
        assert view["text"].count("[E-Mail]") == 2
        assert view["text"].count("[Telefon]") == 7
        assert view["text"].count("[Website]") == 3
        assert view["text"].startswith("Rückfragen an [E-Mail], [E-Mail], Tel. [Telefon], ")
        assert view["text"].endswith("und [Website].")  # the sentence's full stop stays


def test_contact_data_stays_in_public_needs_and_for_staff() -> None:
    public = need_view(UNI, {**NEED, "text": CONTACTS, "visibility": "public"}, BRANDT)
    assert public is not None and public["text"] == CONTACTS
    staff = need_view(STAFF, {**NEED, "text": CONTACTS}, BRANDT)
    assert staff is not None and staff["text"] == CONTACTS


def test_the_companys_own_domain_goes_whatever_it_ends_with() -> None:
    text = "Angebote über brandt-metallbau.example oder brandt-metallbau.example/shop bitte."
    website = "https://www.brandt-metallbau.example/start"
    assert scrub_contacts(text, website) == "Angebote über [Website] oder [Website] bitte."
    # without the website, an ending no website here has is not taken for a domain
    assert scrub_contacts(text) == text


def test_numbers_that_are_not_contact_data_stay() -> None:
    text = (
        "Bis 01.03.2026 brauchen wir 1200 x 800 mm Bleche (0,5 mm, 1-mm-Bleche auch) nach "
        "DIN EN ISO 13919-1 in 44147 Dortmund, Los 01 2026, 2 x 10 Stück, 0 - 10 bar, "
        "3/4 Zoll, Version 2.0, z.B. laut bericht.pdf; <script>alert(1)</script> "
        "'}) MATCH (n) DETACH DELETE n //"
    )
    assert scrub_contacts(text) == text


def test_scrubbing_contacts_takes_linear_time_on_hostile_text() -> None:
    hostile = [
        " 0231" * 4000 + "x",
        "0" + "1" * 20_000 + "a",
        "a." * 10_000,
        "a@" * 10_000,
        "www." + "a" * 20_000,
        "+49 " * 5_000,
        "a.b@c.d " * 2_500,
    ]
    started = time.perf_counter()
    for text in hostile:
        scrub_contacts(text, "https://www.brandt-metallbau.de")
    assert time.perf_counter() - started < 1.0


def test_organisation_descriptions_reach_universities_and_analysts_without_contact_data() -> None:
    described = {
        **BRANDT,
        "description": "Lohnfertiger für Frästeile. Ansprechpartner: Herr Jan Krüger, "
        "Tel. 02331 987654, vertrieb@brandt-metallbau.de, Eilper Str. 1, 58091 Hagen.",
    }
    for principal in (UNI, ANALYST):
        shown = organization_view(principal, described)["description"]
        for secret in ("Krüger", "987654", "vertrieb@", "Eilper", "58091"):
            assert secret not in shown, shown
        assert shown.startswith("Lohnfertiger für Frästeile.")
    assert organization_view(STAFF, described)["description"] == described["description"]
    plain = {**BRANDT, "description": "Lohnfertiger für Dreh- und Frästeile aus Edelstahl."}
    assert organization_view(UNI, plain)["description"] == plain["description"]
