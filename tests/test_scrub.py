"""The proposed released wording of a non-public need (pure, no Neo4j): every identifying
detail an attacker used against the old scrubber is found, replaced and marked."""

from __future__ import annotations

import random
import re

import pytest

from service.scrub import (
    PLACEHOLDERS,
    Gazetteer,
    Owner,
    Proposal,
    Scrubber,
    fold,
    ordinary_words,
    sentence_spans,
)

GAZETTEER = Gazetteer(
    organizations=[
        ("org-brandt", "Brandt Metallbau GmbH"),
        ("org-hohen", "Hohensyburg Pumpentechnik GmbH"),
        ("org-schulte", "Schulte Metallbau GmbH & Co. KG"),
        ("org-elektro", "Elektro Metallbau AG"),
        ("org-kemper", "Kemper Metallbau e.K. (fiktiv)"),
        ("org-yilmaz", "Yilmaz Elektro GmbH"),
        ("org-tu", "Technische Universität Dortmund"),
    ],
    people=["Jan Krüger", "Dr. Anna Weber", "Petra Schmitz"],
    towns=["Hagen", "Schwerte", "Iserlohn", "Dortmund", "Lage", "Essen", "Mülheim an der Ruhr"],
    districts=["Ennepe-Ruhr-Kreis", "Kreis Unna", "Märkischer Kreis", "Dortmund"],
    keys=["need-brandt-verzug", "need-7"],
    common_words=frozenset({"metallbau", "elektro", "pumpentechnik", "bescheid", "technische"}),
)
SCRUBBER = Scrubber(GAZETTEER)
BRANDT = Owner(
    key="org-brandt",
    name="Brandt Metallbau GmbH",
    street="Eilper Str. 1",
    postcode="58091",
    city="Hagen",
    district="Hagen",
    website="https://www.brandt-metallbau.de",
    email="info@brandt-metallbau.de",
    phone="+49 2331 987654",
    people=("Jan Krüger",),
)
HOHEN = Owner(key="org-hohen", name="Hohensyburg Pumpentechnik GmbH", city="Dortmund")


def propose(text: str, owner: Owner | None = BRANDT, **kwargs: object) -> Proposal:
    proposal = SCRUBBER.propose(text, owner, **kwargs)  # type: ignore[arg-type]
    assert_marks_are_true(text, proposal)
    return proposal


def assert_marks_are_true(text: str, proposal: Proposal) -> None:
    """Each mark covers its placeholder in the proposal, and the text between marks is the
    original text: putting the originals back gives the need's text."""
    rebuilt, at = [], 0
    for mark in proposal.marks:
        assert proposal.text[mark.start : mark.end] == PLACEHOLDERS[mark.kind], mark
        assert mark.start >= at
        rebuilt.append(proposal.text[at : mark.start])
        rebuilt.append(mark.original)
        at = mark.end
    rebuilt.append(proposal.text[at:])
    assert "".join(rebuilt) == text


def kinds(proposal: Proposal) -> list[str]:
    return [mark.kind for mark in proposal.marks]


def assert_gone(proposal: Proposal, *secrets: str) -> None:
    folded = fold(proposal.text)
    for secret in secrets:
        assert fold(secret) not in folded, (secret, proposal.text)


@pytest.mark.parametrize(
    "spelling",
    [
        "Brandt Metallbau",
        "Brandt  Metallbau",
        "Brandt-Metallbau",
        "Brandt\nMetallbau",
        "Brandt Metall-\nbau",
        "BRANDT METALLBAU",
        "brandt metallbau gmbh",
        "Brandt Metallbau GmbH",
        "Brandt Metallbaus",
        "Brandt-Metallbau's",
        "Brandt Metallbau’s",
        "BrandtMetallbau",
        "Brandts",
        "Bra\u00adndt",
    ],
)
def test_the_owners_name_goes_in_every_spelling(spelling: str) -> None:
    proposal = propose(f"Bei {spelling} verziehen sich 1-mm-Bleche.")
    assert proposal.text == "Bei [Unternehmen] verziehen sich 1-mm-Bleche."
    assert proposal.marks[0].original == spelling
    assert_gone(proposal, "brandt", "bra\u00adndt")


def test_legal_forms_and_bracket_remarks_are_optional() -> None:
    kemper = Owner(key="org-kemper", name="Kemper Metallbau e.K. (fiktiv)")
    for spelling in ("Kemper Metallbau e.K. (fiktiv)", "Kemper Metallbau e.K.", "Kemper Metallbau"):
        proposal = propose(f"Die {spelling} fertigt Geländer.", kemper)
        assert proposal.text == "Die [Unternehmen] fertigt Geländer.", spelling
    schulte = propose("Die Schulte Metallbau GmbH & Co. KG und Schulte-Metallbau liefern.")
    assert schulte.text == "Die [Unternehmen] und [Unternehmen] liefern."
    koehler = Owner(key="org-kw", name="Köhler & Westermann e.K.")
    for spelling in ("Köhler & Westermann", "Köhler und Westermann", "KOEHLER+WESTERMANN"):
        assert propose(f"Bei {spelling} gibt es", koehler).text == "Bei [Unternehmen] gibt es"
    # a legal form the gazetteer does not have goes with the name
    longer = propose("Die BRANDT‑METALLBAU GMBH & CO. KG liefert.")
    assert longer.text == "Die [Unternehmen] liefert."


def test_a_distinctive_part_of_the_owners_name_goes_but_ordinary_parts_stay() -> None:
    proposal = propose("Wir bei Hohensyburg pumpen; Hohensyburgs Pumpentechnik ist alt.", HOHEN)
    assert proposal.text == "Wir bei [Unternehmen] pumpen; [Unternehmen] Pumpentechnik ist alt."
    brandt = propose("Brandt sucht Hilfe im Metallbau und in der Elektro-Montage.")
    assert brandt.text == "[Unternehmen] sucht Hilfe im Metallbau und in der Elektro-Montage."
    assert SCRUBBER.distinctive_parts("Brandt Metallbau GmbH") == ["brandt"]
    # a word in many names is no one's: with three "Kemper ..." organisations it stays
    crowded = Scrubber(
        Gazetteer(
            organizations=[(f"o{i}", f"Kemper {x} GmbH") for i, x in enumerate("ABC")],
            people=[],
            towns=[],
            districts=[],
            common_words=frozenset({"metallbau"}),
        )
    )
    assert crowded.distinctive_parts("Kemper Metallbau GmbH") == []


def test_other_organisations_are_found_only_by_their_full_name() -> None:
    proposal = propose("Wie Schulte Metallbau und die Technische Universität Dortmund zeigen")
    assert kinds(proposal) == ["organization", "organization"]
    # parts of another organisation's name are ordinary words here
    kept = "Schulte hat recht: Elektro und Metallbau, Hohensyburg als Ausflugsziel."
    assert propose(kept).text == kept


def test_people_go_by_full_name_surname_after_a_title_and_any_title_and_name() -> None:
    text = (
        "Ansprechpartner: Herr Jan Krüger, Frau Dr. Anna Weber, Dr. Weber, Herrn Krüger, "
        "JAN KRÜGER, Jan Krueger, J. Krüger, Frau Petra Unbekannt und Prof. Dr.-Ing. Max Muster; "
        "Krüger weiß Bescheid, Frau Schmitz Bescheid geben, Frau von Rhein auch."
    )
    proposal = propose(text)
    assert proposal.text == (
        "Ansprechpartner: [Person], [Person], [Person], [Person], [Person], [Person], "
        "[Person], [Person] und [Person]; [Person] weiß Bescheid, [Person] Bescheid geben, "
        "[Person] auch."
    )
    assert_gone(proposal, "krüger", "krueger", "weber", "unbekannt", "muster", "schmitz", "rhein")
    labelled = propose("Inhaberin Erika Beispiel, Kontakt: Technische Universität Dortmund")
    assert labelled.text == "Inhaberin [Person], Kontakt: [Unternehmen]"
    # an initial is one only with its dot
    kept = "Wir nutzen a Weber grill und einen Fischer-Tropsch-Reaktor."
    assert propose(kept).text == kept


def test_streets_with_house_numbers_and_the_owners_street_in_any_spelling() -> None:
    text = (
        "Lieferung an Hauptstraße 12, Karl-Marx-Allee 3a, Dortmunder Str. 7-9, Am Stadtgarten 5, "
        "An der Ruhr 12 oder Rheinlanddamm 201; wir sitzen in der EILPER STRASSE 1, "
        "Eilperstr. 1 bzw. Eilper  Straße."
    )
    proposal = propose(text)
    assert kinds(proposal) == ["street"] * 9
    assert_gone(proposal, "eilper", "hauptstr", "allee", "stadtgarten", "damm")


def test_postcodes_go_where_they_are_one() -> None:
    text = "58091 liegt nah. Versand an D-44135, PLZ 44135, 44139 Dortmund und 45468 Mülheim."
    proposal = propose(text)
    assert proposal.text == (
        "[PLZ] liegt nah. Versand an [PLZ], [PLZ], [PLZ] [Ort] und [PLZ] [Ort]."
    )
    kept = "Wir brauchen 20.000 Teile, 44135 Stück, DIN EN ISO 13919 und Los 12345."
    assert propose(kept).text == kept


def test_towns_and_districts_go_and_ordinary_words_only_where_a_place_is_meant() -> None:
    text = (
        "Unser Familienunternehmen in Schwerte, Standort Iserlohn, im Ennepe-Ruhr-Kreis, "
        "im Kreis Unna und im Märkischen Kreis, eine Dortmunder Firma aus Mülheim an der Ruhr, "
        "Werk in Lage, Kunden aus Essen, Lager in Hagen-Haspe."
    )
    proposal = propose(text)
    assert kinds(proposal).count("town") == 9
    assert proposal.text.endswith("Lager in [Ort].")
    assert_gone(proposal, "schwerte", "iserlohn", "ennepe", "unna", "dortmund", "mülheim")
    kept = "Die Lage der Bohrungen beim Essen-Ausgabeautomat; hagen und schwerte klein."
    assert propose(kept).text == kept


def test_a_town_stays_a_town_even_when_texts_use_it_as_a_word() -> None:
    scrubber = Scrubber(
        Gazetteer(
            [],
            [],
            ["Dortmund", "Kirchlengern", "Hamm"],
            [],
            common_words=frozenset({"dortmund", "dortmunder"}),
            ordinary_towns=frozenset({"Kirchlengern"}),
        )
    )
    assert scrubber.propose("Dortmund ist nah.", None).text == "[Ort] ist nah."
    assert scrubber.propose("Ein Dortmunder Betrieb", None).text == "Ein [Ort] Betrieb"
    assert scrubber.propose("Kirchlengern ist nah.", None).text == "Kirchlengern ist nah."
    assert scrubber.propose("Werk in Kirchlengern.", None).text == "Werk in [Ort]."
    assert scrubber.propose("Hamm: Hammer und Meißel", None).text == "[Ort]: Hammer und Meißel"


def test_ordinary_words_leave_out_names_their_own_company_mentions() -> None:
    texts = [f"Die Holtkamp GmbH fräst Metallbau-Teile aus Stahl, Nummer {i}." for i in range(2)]
    texts += [f"Metallbau und Stahl, Firma {i}." for i in range(5)]
    words = ordinary_words(texts)
    assert {"metallbau", "stahl", "fraest", "aus"} <= words
    assert "holtkamp" not in words and "gmbh" not in words and "0" not in words


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("beschäftigt etwa 29 Personen", "beschäftigt [Anzahl] Personen"),
        ("91 Mitarbeitende, Standort", "[Anzahl] Mitarbeitende, Standort"),
        ("rund 120 Beschäftigte", "[Anzahl] Beschäftigte"),
        ("mit 45 Mitarbeitern", "mit [Anzahl] Mitarbeitern"),
        ("mit 45 Mitarbeiter:innen", "mit [Anzahl] Mitarbeiter:innen"),
        ("ein Team von 12 Leuten", "ein Team von [Anzahl] Leuten"),
        ("ein Team von 12", "ein Team von [Anzahl]"),
        ("zwölf Mitarbeiter", "[Anzahl] Mitarbeiter"),
        ("Mitarbeitende: ca. 91", "Mitarbeitende: [Anzahl]"),
        ("The firm employs 80 people", "The firm employs [Anzahl] people"),
        ("a staff of 30", "a staff of [Anzahl]"),
        ("Umsatz von 12 Mio. €", "Umsatz von [Umsatz]"),
        ("Jahresumsatz rund 3,5 Millionen Euro", "Jahresumsatz [Umsatz]"),
        ("Umsatz 2024: 1.200.000 EUR", "Umsatz 2024: [Umsatz]"),
        ("Der Umsatz lag 2023 bei 4 Mio €.", "Der Umsatz lag 2023 bei [Umsatz]."),
        ("revenue of EUR 5m", "revenue of [Umsatz]"),
        ("turnover of 2 million", "turnover of [Umsatz]"),
        ("ca. 8 Mio. € Umsatz", "[Umsatz] Umsatz"),
    ],
)
def test_headcounts_and_revenue_figures_go(text: str, expected: str) -> None:
    assert propose(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "Wir fertigen 20.000 Messingdrehteile im Jahr aus 1-mm-Blechen bis 600 °C, "
        "in 3 Schichten an 5 Tagen, Toleranz 0,05 mm, Budget 40.000 € für das Projekt.",
        "Laser-Schweißen nach DIN EN ISO 3834-2, Werkstoff 1.4301, VDA 6.3, Start Q3/2026.",
        "Für 3 Mitarbeiter-Workshops und 2 Personen-Aufzüge, ein Umsatzplus von 20 %.",
        "Der Platz 2 im Ranking, Weg 3 von 5, die Halle 4, das Tor 2 und Dichtring 3.",
        "Auf der Messe 2026 in Halle 3 am Stand 12; zum Beispiel 3 Teile am Arbeitsplatz 2.",
        "Wir haben im Jahr 2025 rund 2.000 Kunden beliefert und 5 Mio. Teile gefertigt.",
    ],
)
def test_other_numbers_stay(text: str) -> None:
    assert propose(text).text == text


def test_contact_data_goes_and_an_address_holding_the_name_is_one_finding() -> None:
    text = (
        "Mail an j.krueger@brandt-metallbau.de oder info@brandt-metallbau.de, Tel. 02331 987654, "
        "Fax: 0 23 31 / 98 76 55, www.brandt-metallbau.de/kontakt und brandt-metallbau.de."
    )
    proposal = propose(text)
    assert proposal.text == (
        "Mail an [E-Mail] oder [E-Mail], Tel. [Telefon], Fax: [Telefon], [Website] und [Website]."
    )
    assert proposal.marks[0].original == "j.krueger@brandt-metallbau.de"
    assert_gone(proposal, "brandt", "krueger", "@")


def test_the_owners_phone_number_goes_however_it_is_spaced() -> None:
    text = "Ruf an: 0 23 31 98 76 54 oder 2331/987654, Bestellnr. 987654."
    assert propose(text).text == "Ruf an: [Telefon] oder [Telefon], Bestellnr. 987654."


def test_keys_go_as_whole_tokens_only() -> None:
    text = "Siehe org-brandt, (org-schulte) und need-brandt-verzug. Nicht: org-brandtx, need-77."
    proposal = propose(text)
    assert proposal.text == (
        "Siehe [Schlüssel], ([Schlüssel]) und [Schlüssel]. Nicht: org-brandtx, need-77."
    )
    assert kinds(proposal)[:3] == ["key", "key", "key"]


def test_the_attackers_examples_leave_nothing_to_link() -> None:
    text = (
        "Die Brandt-\nMetallbau GmbH (Eilper Straße 1, 58091 Hagen) sucht Hilfe. Unser "
        "Familienunternehmen in Schwerte beschäftigt etwa 29 Personen. Herr Jan Krüger "
        "(j.krueger@brandt-metallbau.de) antwortet. Wir bei Hohensyburg? Nein: Brandts "
        "Schweißer, 91 Mitarbeitende, Standort Iserlohn."
    )
    proposal = propose(text)
    assert_gone(proposal, "brandt", "eilper", "58091", "hagen", "schwerte", "29 ", "krüger")
    assert_gone(proposal, "krueger", "91", "iserlohn")
    assert "Hohensyburg" in proposal.text  # another organisation's part is no finding


def test_a_proposal_proposed_again_stays_as_it_is() -> None:
    """Staff may edit a proposal and have it checked again: placeholders are no findings."""
    text = (
        "Die Brandt Metallbau GmbH, Eilper Str. 1, 58091 Hagen, Herr Jan Krüger, org-brandt, "
        "info@brandt-metallbau.de, Tel. 02331 987654, etwa 29 Personen, Umsatz 3 Mio. €."
    )
    once = propose(text)
    assert propose(once.text).marks == ()


def test_a_sentence_the_public_can_read_of_the_same_company_is_removed_whole() -> None:
    public = [
        "Die Brandt Metallbau GmbH sucht Unterstützung beim Laserschweißen dünner Bleche! "
        "Mehr auf www.brandt-metallbau.de.",
        "Wir fertigen Geländer und Treppen aus Edelstahl für Kunden in der ganzen Region.",
    ]
    text = (
        "Brandt Metallbau sucht Unterstützung beim Laserschweißen dünner Bleche. "
        "Wir fertigen Geländer und Treppen aus Edelstahl für Kunden in der Region. "
        "Der Verzug liegt bei 2 mm. Danke!"
    )
    proposal = propose(text, public_texts=public)
    assert proposal.text == "[Satz entfernt] [Satz entfernt] Der Verzug liegt bei 2 mm. Danke!"
    assert proposal.marks[0].original == (
        "Brandt Metallbau sucht Unterstützung beim Laserschweißen dünner Bleche."
    )
    assert kinds(proposal) == ["linked_sentence", "linked_sentence"]
    # without public texts nothing is linked
    assert "linked_sentence" not in kinds(propose(text))


def test_sentences_split_not_after_abbreviations_or_ordinals() -> None:
    text = "Dr. Weber prüft z. B. am 3. Mai die Str. 5 Teile. Danach\nneue Zeile"
    spans = [text[s:e] for s, e in sentence_spans(text)]
    assert spans == ["Dr. Weber prüft z. B. am 3. Mai die Str. 5 Teile.", "Danach", "neue Zeile"]


def test_marks_hold_offsets_into_the_proposal_and_the_original_passages() -> None:
    text = "Kontakt: Herr Jan Krüger, Eilper Str. 1, 58091 Hagen, info@brandt-metallbau.de."
    proposal = propose(text)
    assert proposal.text == "Kontakt: [Person], [Straße], [PLZ] [Ort], [E-Mail]."
    assert [(m.kind, m.original) for m in proposal.marks] == [
        ("person", "Herr Jan Krüger"),
        ("street", "Eilper Str. 1"),
        ("postcode", "58091"),
        ("town", "Hagen"),
        ("email", "info@brandt-metallbau.de"),
    ]
    assert propose("", BRANDT) == Proposal("", ())
    assert propose("Nichts zu finden.", None).marks == ()


def test_contact_free_keeps_the_organisations_name_and_removes_its_contacts() -> None:
    text = (
        "Brandt Metallbau GmbH, Eilper Str. 1, 58091 Hagen. Ansprechpartner Herr Jan Krüger, "
        "j.krueger@brandt-metallbau.de, 02331 987654, www.brandt-metallbau.de. 85 Mitarbeitende."
    )
    assert SCRUBBER.contact_free(text, BRANDT) == (
        "Brandt Metallbau GmbH, [Straße], [PLZ] Hagen. Ansprechpartner [Person], "
        "[E-Mail], [Telefon], [Website]. 85 Mitarbeitende."
    )


def test_contact_free_leaves_a_persons_name_inside_the_organisations_own() -> None:
    owner = Owner(key="org-jk", name="Jan Krüger Metallbau GmbH", people=("Jan Krüger",))
    text = "Die Jan Krüger Metallbau GmbH; Inhaber Jan Krüger."
    assert SCRUBBER.contact_free(text, owner) == "Die Jan Krüger Metallbau GmbH; Inhaber [Person]."


def test_hostile_text_is_read_without_backtracking() -> None:
    hostile = [
        "A." * 10_000,
        "Aaaa " * 4_000,
        "etwa " * 4_000 + "x",
        "Umsatz " * 3_000,
        "Herr " * 4_000,
        "1" * 20_000,
        "Brandt-" * 3_000,
        "Dr. " * 5_000,
        "a" * 20_000 + "straße",
    ]
    for text in hostile:
        propose(text, BRANDT, public_texts=[text[:5000]])


def test_a_large_gazetteer_compiles_once_and_proposes_on_a_long_need() -> None:
    rnd = random.Random(7)
    syllables = ["ber", "gen", "hoh", "sy", "burg", "kem", "per", "tal", "stein", "dorf", "feld"]

    def word() -> str:
        return "".join(rnd.choice(syllables) for _ in range(3)).capitalize()

    organizations = [(f"org-{i}", f"{word()} {word()} GmbH") for i in range(5_000)]
    people = [f"{word()} {word()}" for _ in range(10_000)]
    scrubber = Scrubber(
        Gazetteer(organizations, people, [word() for _ in range(400)], ["Kreis Unna"])
    )
    owner = Owner("org-17", organizations[17][1], people=(people[3],))
    sentences: list[str] = []
    while sum(map(len, sentences)) < 20_000:
        pick = rnd.random()
        if pick < 0.05:
            sentences.append(f"{organizations[rnd.randrange(5_000)][1]} liefert Bleche.")
        elif pick < 0.1:
            sentences.append(f"Herr {people[rnd.randrange(10_000)]} ruft an.")
        else:
            sentences.append("Wir brauchen Hilfe beim Laserschweißen von 1-mm-Blechen.")
    text = " ".join(sentences)[:20_000]
    proposal = scrubber.propose(text, owner, public_texts=[text[:2_000]])
    assert_marks_are_true(text, proposal)
    assert {"organization", "person"} <= set(kinds(proposal))
    assert not re.search(re.escape(organizations[17][1].split()[0]), proposal.text)
