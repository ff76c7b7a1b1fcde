"""Entity resolution as plain functions: name normalisation, scores, candidate pairs."""

from __future__ import annotations

import pytest

from ingest.resolve import (
    LINK_THRESHOLD,
    REPORT_THRESHOLD,
    candidates_for_review,
    find_matches,
    normalise_name,
    review_status,
    score,
)


@pytest.mark.parametrize(
    ("name", "normalised"),
    [
        ("Müller & Söhne GmbH & Co. KG", "mueller soehne"),
        ("Mueller und Soehne GmbH", "mueller soehne"),
        ("Straßenbau Weiß e.K.", "strassenbau weiss"),
        ("Förderverein Technik e.V.", "foerderverein technik"),
        ("Lebenshilfe Werkstätten gGmbH", "lebenshilfe werkstaetten"),
        ("ACME AG", "acme"),
        ("Brandt Präzisionstechnik GmbH (fiktiv)", "brandt praezisionstechnik"),
        ("Agentur-Service Hagen", "agentur service hagen"),
    ],
)
def test_legal_forms_umlauts_and_punctuation_do_not_count(name: str, normalised: str) -> None:
    assert normalise_name(name) == normalised


def org(key: str, name: str, postcode: str | None, city: str, source: str) -> dict[str, object]:
    return {"key": key, "name": name, "postcode": postcode, "city": city, "source": source}


def test_same_name_in_other_legal_form_and_spelling_scores_as_the_same() -> None:
    a = org("crm-1", "Müller & Söhne GmbH & Co. KG", "44135", "Dortmund", "crm")
    b = org("ihk-9", "Mueller und Soehne GmbH", "44135", "Dortmund", "ihk")
    assert score(a, b) >= LINK_THRESHOLD


def test_other_firms_in_the_same_street_do_not_match() -> None:
    a = org("crm-1", "Müller Metallbau GmbH", "44135", "Dortmund", "crm")
    b = org("ihk-9", "Kaya Logistik AG", "44135", "Dortmund", "ihk")
    assert score(a, b) < REPORT_THRESHOLD


def test_a_different_place_lowers_the_score() -> None:
    a = org("crm-1", "Müller Metallbau GmbH", "44135", "Dortmund", "crm")
    b = org("ihk-9", "Müller Metallbau GmbH", "58095", "Hagen", "ihk")
    c = org("ihk-8", "Müller Metallbau GmbH", "44139", "Dortmund", "ihk")
    assert score(a, b) < score(a, c) < score(a, dict(c, postcode="44135"))


def test_matches_need_a_shared_place_and_different_sources() -> None:
    records = [org("crm-1", "Kemper Metallbau e.K.", "58452", "Witten", "crm")]
    candidates = [
        org("ihk-1", "Kemper Metallbau GmbH", "58452", "Witten", "ihk"),
        org("crm-2", "Kemper Metallbau", "58452", "Witten", "crm"),
        org("ihk-2", "Kemper Metallbau GmbH", "44135", "Dortmund", "ihk"),
    ]
    matches = find_matches(records, candidates, LINK_THRESHOLD)
    assert [(m.a, m.b) for m in matches] == [("crm-1", "ihk-1")]
    review = candidates_for_review(records + candidates)
    assert ("crm-1", "crm-2") in {(m.a, m.b) for m in review}


def test_review_status_says_what_is_true_of_a_pair_not_what_its_score_suggests() -> None:
    organizations = [
        org("crm-2", "Schäfer Dachtechnik GmbH", None, "Muelheim an der Ruhr", "crm"),
        org("crm-3", "Schaefer Dachtechnik", None, "Muelheim an der Ruhr", "crm"),
        org("ihk-2", "Schäfer Dachtechnik GmbH", None, "Mülheim an der Ruhr", "ihk"),
        org("crm-1", "Kemper Metallbau e.K.", "58452", "Witten", "crm"),
        org("ihk-1", "Kemper Metallbau GmbH", "58452", "Witten", "ihk"),
    ]
    sources = {str(o["key"]): str(o["source"]) for o in organizations}
    linked = {("ihk-1", "crm-1")}  # as the graph returns it: either direction
    statuses = {
        (m.a, m.b): review_status(m, sources, linked) for m in candidates_for_review(organizations)
    }
    assert statuses == {
        ("crm-1", "ihk-1"): "SAME_AS",
        ("crm-2", "crm-3"): "same source",
        # two sources, scored above the link threshold, yet not linked: a person decides
        ("crm-2", "ihk-2"): "to confirm",
        ("crm-3", "ihk-2"): "to confirm",
    }
    above = next(
        m for m in candidates_for_review(organizations) if (m.a, m.b) == ("crm-2", "ihk-2")
    )
    assert above.score >= LINK_THRESHOLD
