"""Topics and coverage gaps of needs (matching.topics), with the real multilingual encoder.

No Neo4j. Why these checks: analysts read the topics as "what the region asks for", so a theme
must come out as one topic whatever language its needs were written in, its label must name
the theme in words people use, and the same data must give the same topics (ids end up in
bookmarks and reports). Gaps must name the need nobody covers and leave the rest alone.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from graph.vectors import Encoder
from matching.topics import (
    Gap,
    NeedText,
    Topic,
    cluster_needs,
    coverage_gaps,
    gap_threshold,
    topic_of,
)

# Four themes a regional network hears about, ten needs each, three of them in English.
THEMES: dict[str, list[tuple[str, str, str]]] = {
    "welding": [
        (
            "de",
            "Risse in Schweißnähten",
            "An unseren geschweißten Stahlrahmen treten nach kurzer Zeit Risse in den "
            "Schweißnähten auf. Wir suchen Unterstützung bei der Ursachenanalyse.",
        ),
        (
            "de",
            "Laserschweißen von Edelstahl",
            "Wir möchten dünne Edelstahlbleche per Laserschweißen fügen und suchen einen Partner "
            "mit Erfahrung in der Parameterfindung.",
        ),
        (
            "de",
            "Schweißverzug an Blechbaugruppen",
            "Beim MAG-Schweißen unserer Blechbaugruppen entsteht starker Verzug. Wer kann die "
            "Schweißfolge und Spannvorrichtung optimieren?",
        ),
        (
            "de",
            "Aluminium schweißen",
            "Wir brauchen Hilfe beim WIG-Schweißen von Aluminiumprofilen, die Schweißnähte "
            "zeigen Poren und Bindefehler.",
        ),
        (
            "de",
            "Schweißroboter einrichten",
            "Für unsere neue Schweißzelle suchen wir jemanden, der den Schweißroboter "
            "programmiert und die Schweißnähte prüft.",
        ),
        (
            "de",
            "Prüfung von Schweißverbindungen",
            "Wir benötigen eine zerstörungsfreie Prüfung unserer Schweißverbindungen nach "
            "DIN EN ISO 5817 für Stahlbauteile.",
        ),
        (
            "de",
            "Fügen von Mischverbindungen",
            "Stahl und Aluminium sollen dauerhaft verbunden werden; wir suchen ein Verfahren "
            "zum Schweißen oder Kleben dieser Mischverbindung.",
        ),
        (
            "en",
            "Cracks in welded joints",
            "Our welded steel frames show cracks along the weld seams after a few months. "
            "We need a welding expert to find the cause.",
        ),
        (
            "en",
            "Robotic welding cell",
            "We are looking for help to program a welding robot and qualify the weld seams "
            "of our steel assemblies.",
        ),
        (
            "en",
            "Porosity in aluminium welds",
            "TIG welding of aluminium profiles leaves porosity in the welds; we need support "
            "with the welding parameters.",
        ),
    ],
    "solar": [
        (
            "de",
            "Photovoltaikanlage auf dem Hallendach",
            "Wir planen eine Photovoltaikanlage auf unserem Hallendach und suchen einen "
            "Solarteur für Planung und Montage.",
        ),
        (
            "de",
            "Eigenverbrauch von Solarstrom",
            "Wie können wir den Eigenverbrauch unseres Solarstroms mit einem Batteriespeicher "
            "erhöhen? Gesucht wird eine Energieberatung.",
        ),
        (
            "de",
            "Ertrag der PV-Anlage zu niedrig",
            "Unsere Photovoltaik-Anlage liefert deutlich weniger Strom als geplant. Wir "
            "suchen einen Fachbetrieb, der die Solarmodule und Wechselrichter prüft.",
        ),
        (
            "de",
            "Solarcarport für Firmenparkplatz",
            "Für unseren Parkplatz suchen wir einen Partner, der ein Solarcarport mit "
            "Photovoltaikmodulen und Ladesäulen errichtet.",
        ),
        (
            "de",
            "Energiekosten senken mit Solarenergie",
            "Unsere Stromkosten steigen stark. Wir möchten mit Solarenergie und einem "
            "Stromspeicher unabhängiger vom Netz werden.",
        ),
        (
            "de",
            "Wechselrichter tauschen",
            "Der Wechselrichter unserer Photovoltaikanlage ist defekt; wir suchen einen "
            "Elektrobetrieb für Austausch und Wartung.",
        ),
        (
            "de",
            "Fassaden-Photovoltaik",
            "Wir möchten Solarmodule in die Fassade unseres Bürogebäudes integrieren und "
            "suchen Architekten mit Erfahrung in gebäudeintegrierter Photovoltaik.",
        ),
        (
            "en",
            "Rooftop solar for our factory",
            "We want to install a rooftop solar power system with photovoltaic panels on our "
            "factory and need an installer for planning.",
        ),
        (
            "en",
            "Battery storage for solar power",
            "We need advice on battery storage to use more of the electricity from our solar "
            "panels ourselves.",
        ),
        (
            "en",
            "Low yield of PV system",
            "Our photovoltaic system produces much less solar energy than expected; we need "
            "someone to inspect the inverter and modules.",
        ),
    ],
    "security": [
        (
            "de",
            "Ransomware-Angriff",
            "Nach einem Ransomware-Angriff sind unsere Server verschlüsselt. Wir suchen "
            "dringend IT-Forensik und Hilfe bei der Wiederherstellung.",
        ),
        (
            "de",
            "IT-Sicherheit im Mittelstand",
            "Wir möchten unsere IT-Sicherheit verbessern und suchen einen Dienstleister für "
            "einen Sicherheitscheck unseres Netzwerks.",
        ),
        (
            "de",
            "Phishing-Schulung für Mitarbeitende",
            "Unsere Mitarbeitenden fallen immer wieder auf Phishing-Mails herein. Gesucht wird "
            "eine Schulung zur IT-Sicherheit.",
        ),
        (
            "de",
            "Backup-Konzept gegen Verschlüsselungstrojaner",
            "Wir brauchen ein sicheres Backup-Konzept, damit ein Verschlüsselungstrojaner "
            "nicht unsere Daten vernichten kann.",
        ),
        (
            "de",
            "Firewall und Netzwerksegmentierung",
            "Unsere Produktionsanlagen hängen im selben Netzwerk wie die Büro-IT. Wir suchen "
            "Unterstützung bei Firewall und Netzwerksegmentierung gegen Cyberangriffe.",
        ),
        (
            "de",
            "Informationssicherheit nach ISO 27001",
            "Ein Kunde verlangt ein Informationssicherheits-Managementsystem nach ISO 27001. "
            "Wer berät uns bei der Einführung?",
        ),
        (
            "de",
            "Penetrationstest der Webanwendung",
            "Wir suchen einen Anbieter für einen Penetrationstest unseres Kundenportals, um "
            "Sicherheitslücken zu finden.",
        ),
        (
            "en",
            "Ransomware recovery",
            "Our servers were encrypted by ransomware and we need incident response and help "
            "to restore our data securely.",
        ),
        (
            "en",
            "Cyber security audit",
            "We are looking for a cyber security consultant to audit our network and protect "
            "us against hacker attacks.",
        ),
        (
            "en",
            "Phishing awareness training",
            "Our staff keep clicking on phishing emails; we need IT security awareness "
            "training for all employees.",
        ),
    ],
    "logistics": [
        (
            "de",
            "Lagerverwaltungssystem einführen",
            "Wir möchten ein Lagerverwaltungssystem einführen, um Bestände und Lagerplätze "
            "in unserem Lager besser zu steuern.",
        ),
        (
            "de",
            "Kommissionierung beschleunigen",
            "Die Kommissionierung in unserem Lager dauert zu lange. Wir suchen Beratung zur "
            "Optimierung der Lagerlogistik.",
        ),
        (
            "de",
            "Hochregallager automatisieren",
            "Für unser Hochregallager suchen wir einen Partner, der die Einlagerung mit "
            "fahrerlosen Transportsystemen automatisiert.",
        ),
        (
            "de",
            "Staplerverkehr im Lager",
            "In unserer Lagerhalle kommt es oft zu Engpässen im Staplerverkehr. Wer hilft "
            "bei der Planung der Lagerlogistik und Wege?",
        ),
        (
            "de",
            "Tourenplanung für Auslieferung",
            "Wir suchen eine Software zur Tourenplanung, damit unsere Lieferfahrzeuge die "
            "Kunden schneller beliefern.",
        ),
        (
            "de",
            "Versandlogistik für Onlinehandel",
            "Unser Onlineshop wächst; wir suchen einen Logistikdienstleister für Lagerung, "
            "Verpackung und Versand der Pakete.",
        ),
        (
            "de",
            "Inventur und Bestandsführung",
            "Die Bestände in unserem Lager stimmen nie mit der Inventur überein. Wir suchen "
            "Hilfe bei Bestandsführung und Barcode-Scannern.",
        ),
        (
            "en",
            "Warehouse management system",
            "We want to introduce a warehouse management system to track stock and storage "
            "locations in our warehouse.",
        ),
        (
            "en",
            "Faster order picking",
            "Order picking in our warehouse is too slow; we need advice on warehouse logistics "
            "and picking strategies.",
        ),
        (
            "en",
            "Automated storage",
            "We plan to automate our high-bay warehouse with automated guided vehicles and need "
            "a logistics integrator.",
        ),
    ],
}

THEME_WORDS = {
    "welding": ("schweiß", "weld"),
    "solar": ("photovoltaik", "solar", "pv"),
    "security": ("sicherheit", "security", "ransomware", "phishing", "cyber"),
    "logistics": ("lager", "warehouse", "logistik", "logistics", "kommissionier"),
}

NEEDS = [
    NeedText(key=f"{theme}-{i:02d}", title=title, text=text, lang=lang)
    for theme, items in THEMES.items()
    for i, (lang, title, text) in enumerate(items)
]
THEME_OF = {need.key: need.key.split("-")[0] for need in NEEDS}


@pytest.fixture(scope="module")
def vectors(encoder: Encoder) -> np.ndarray:
    return encoder.encode([f"{need.title}. {need.text}" for need in NEEDS])


@pytest.fixture(scope="module")
def topics(vectors: np.ndarray) -> list[Topic]:
    return cluster_needs(NEEDS, vectors)


def _topic_by_key(topics: list[Topic]) -> dict[str, str]:
    return {key: topic.id for topic in topics for key in topic.need_keys}


def _main_topic(topics: list[Topic], theme: str) -> tuple[str, int]:
    """The topic holding most of a theme's needs, and how many of them it holds."""
    placed = _topic_by_key(topics)
    counts = Counter(placed[key] for key, t in THEME_OF.items() if t == theme)
    return counts.most_common(1)[0]


# --- clustering with real embeddings ------------------------------------------------------------


def test_automatic_k_finds_the_themes(topics: list[Topic]) -> None:
    assert 3 <= len(topics) <= 5
    assert sorted(key for t in topics for key in t.need_keys) == sorted(THEME_OF)
    for theme, items in THEMES.items():
        _, held = _main_topic(topics, theme)
        assert held >= 0.8 * len(items), (theme, [(t.label, t.need_keys) for t in topics])
    # and the themes do not share a topic
    assert len({_main_topic(topics, theme)[0] for theme in THEMES}) == len(THEMES)


def test_labels_name_the_theme(topics: list[Topic]) -> None:
    by_id = {t.id: t for t in topics}
    for theme, words in THEME_WORDS.items():
        label = by_id[_main_topic(topics, theme)[0]].label.lower()
        assert any(word in label for word in words), (theme, label)
        assert 2 <= len(label.split(", ")) <= 3


def test_labels_leave_out_stop_words_and_need_boilerplate(topics: list[Topic]) -> None:
    for topic in topics:
        words = {word.lower() for word, _ in topic.terms}
        assert not words & {"wir", "ein", "suchen", "unseres", "the", "our", "need", "partner"}
        assert all(len(word) >= 3 for word in words)
        weights = [weight for _, weight in topic.terms]
        assert weights == sorted(weights, reverse=True)
        assert 0 < len(topic.terms) <= 8


def test_english_needs_join_their_german_theme(topics: list[Topic]) -> None:
    placed = _topic_by_key(topics)
    for need in NEEDS:
        if need.lang == "en":
            theme = THEME_OF[need.key]
            assert placed[need.key] == _main_topic(topics, theme)[0], need.key


def test_ids_sizes_and_order(topics: list[Topic], vectors: np.ndarray) -> None:
    assert [t.id for t in topics] == [f"t{i:02d}" for i in range(1, len(topics) + 1)]
    sizes = [t.size for t in topics]
    assert sizes == sorted(sizes, reverse=True)
    index = {need.key: i for i, need in enumerate(NEEDS)}
    for topic in topics:
        assert topic.size == len(topic.need_keys)
        assert np.linalg.norm(topic.centroid) == pytest.approx(1.0)
        closeness = [float(vectors[index[key]] @ topic.centroid) for key in topic.need_keys]
        assert closeness == sorted(closeness, reverse=True)


def test_same_input_gives_the_same_topics(topics: list[Topic], vectors: np.ndarray) -> None:
    again = cluster_needs(NEEDS, vectors.copy())
    assert again == topics
    for first, second in zip(topics, again, strict=True):
        np.testing.assert_array_equal(first.centroid, second.centroid)
    # the graph returns needs in no fixed order: the topics must not depend on it
    assert cluster_needs(NEEDS[::-1], vectors[::-1]) == topics


def test_explicit_k_is_used(vectors: np.ndarray) -> None:
    assert len(cluster_needs(NEEDS, vectors, k=4)) == 4
    assert len(cluster_needs(NEEDS, vectors, k=2)) == 2
    with pytest.raises(ValueError, match="k must be"):
        cluster_needs(NEEDS, vectors, k=0)


def test_topic_of_places_a_new_need(
    topics: list[Topic], encoder: Encoder, vectors: np.ndarray
) -> None:
    new = encoder.encode(
        [
            "Schweißnähte an Edelstahlbehältern sind undicht, wir suchen einen Schweißfachbetrieb.",
            "We need a company to install solar panels on the roof of our workshop.",
        ]
    )
    welding = topic_of(new[0], topics)
    solar = topic_of(new[1], topics)
    assert welding is not None and welding.id == _main_topic(topics, "welding")[0]
    assert solar is not None and solar.id == _main_topic(topics, "solar")[0]
    assert topic_of(new[0], topics, min_similarity=1.01) is None
    assert topic_of(np.zeros(vectors.shape[1]), topics) is None
    assert topic_of(new[0], []) is None
    with pytest.raises(ValueError, match="dimension"):
        topic_of(np.ones(3), topics)


# --- clustering edge cases (no model needed) ------------------------------------------------------


def _need(key: str, text: str = "Schweißen von Stahl") -> NeedText:
    return NeedText(key=key, title=key, text=text, lang="de")


def test_tiny_inputs() -> None:
    assert cluster_needs([], np.zeros((0, 8))) == []

    one = cluster_needs([_need("a")], np.eye(8)[:1])
    assert len(one) == 1 and one[0].need_keys == ("a",) and one[0].id == "t01"
    assert one[0].label  # a label even for a single need

    two_needs = [_need("a"), _need("b", "Photovoltaik auf dem Dach")]
    two = cluster_needs(two_needs, np.eye(8)[:2])
    assert len(two) == 1 and set(two[0].need_keys) == {"a", "b"}
    split = cluster_needs(two_needs, np.eye(8)[:2], k=2)
    assert sorted(t.need_keys for t in split) == [("a",), ("b",)]
    assert len(cluster_needs(two_needs, np.eye(8)[:2], k=5)) == 2


def test_identical_vectors_and_empty_texts_do_not_crash() -> None:
    needs = [NeedText(key=f"n{i}", title="", text="", lang="de") for i in range(6)]
    same = np.tile(np.eye(4)[0], (6, 1))
    topics = cluster_needs(needs, same)
    assert sum(t.size for t in topics) == 6
    assert all(t.label for t in topics)
    assert len(cluster_needs(needs, same, k=3)) == 1  # empty clusters are dropped


def test_bad_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="shape"):
        cluster_needs([_need("a"), _need("b")], np.eye(8)[:3])
    with pytest.raises(ValueError, match="duplicate"):
        cluster_needs([_need("a"), _need("a")], np.eye(8)[:2])
    with pytest.raises(ValueError, match="NaN"):
        cluster_needs([_need("a")], np.full((1, 8), np.nan))


def test_planted_clusters_are_recovered_and_labelled() -> None:
    rng = np.random.default_rng(7)
    centres = rng.normal(size=(6, 64))
    words = [
        "Schweißnaht",
        "Photovoltaik",
        "Ransomware",
        "Lagerlogistik",
        "Gießerei",
        "Wasserstoff",
    ]
    needs, rows, truth = [], [], []
    for c in range(6):
        for i in range(25):
            needs.append(_need(f"c{c}-{i:02d}", f"Problem mit {words[c]} im Werk {i}"))
            rows.append(centres[c] + 0.4 * rng.normal(size=64))
            truth.append(c)
    vectors = np.array(rows)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    topics = cluster_needs(needs, vectors)
    assert len(topics) == 6
    for topic in topics:
        assert len({key.split("-")[0] for key in topic.need_keys}) == 1
        c = int(topic.need_keys[0][1])
        assert words[c] in topic.label


# --- coverage gaps --------------------------------------------------------------------------------


def _scores() -> tuple[list[str], list[float]]:
    keys = [f"n{i:02d}" for i in range(40)]
    scores = [*np.linspace(0.55, 0.85, 39).tolist(), 0.12]
    return keys, scores


def test_a_clear_outlier_is_the_only_gap() -> None:
    keys, scores = _scores()
    assert coverage_gaps(keys, scores) == [Gap(key="n39", best_score=0.12, rank=1)]


def test_evenly_covered_needs_have_no_gaps() -> None:
    keys = [f"n{i}" for i in range(50)]
    assert coverage_gaps(keys, list(np.linspace(0.7, 0.8, 50))) == []
    assert coverage_gaps(keys, [0.7] * 50) == []
    assert coverage_gaps(keys[:1], [0.05]) == []  # one score alone is not a gap


def test_most_scores_equal_still_finds_the_outliers() -> None:
    keys = [f"n{i}" for i in range(20)]
    scores = [0.8] * 18 + [0.3, 0.2]
    gaps = coverage_gaps(keys, scores)
    assert [(g.key, g.rank) for g in gaps] == [("n19", 1), ("n18", 2)]


def test_explicit_threshold_is_respected() -> None:
    keys, scores = _scores()
    gaps = coverage_gaps(keys, scores, threshold=0.6)
    assert all(g.best_score < 0.6 for g in gaps)
    assert {g.key for g in gaps} == {k for k, s in zip(keys, scores, strict=True) if s < 0.6}
    assert [g.rank for g in gaps] == list(range(1, len(gaps) + 1))
    assert [g.best_score for g in gaps] == sorted(g.best_score for g in gaps)
    assert gaps[0].key == "n39"
    assert coverage_gaps(keys, scores, threshold=0.0) == []
    # strictly below: a score equal to the threshold is covered
    assert coverage_gaps(["a", "b"], [0.5, 0.4], threshold=0.5) == [Gap("b", 0.4, 1)]


def test_ties_are_ordered_by_key() -> None:
    gaps = coverage_gaps(["b", "a", "c"], [0.1, 0.1, 0.9], threshold=0.5)
    assert [(g.key, g.rank) for g in gaps] == [("a", 1), ("b", 2)]


def test_gap_inputs_are_checked() -> None:
    assert coverage_gaps([], []) == []
    assert gap_threshold([]) == float("-inf")
    with pytest.raises(ValueError, match="length"):
        coverage_gaps(["a"], [0.1, 0.2])
    with pytest.raises(ValueError, match="NaN"):
        coverage_gaps(["a", "b"], [0.1, float("nan")])
    with pytest.raises(ValueError, match="duplicate"):
        coverage_gaps(["a", "a"], [0.1, 0.2])
