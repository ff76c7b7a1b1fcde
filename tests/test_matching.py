"""The matcher against a real Neo4j holding the canonical fixture."""

from __future__ import annotations

from typing import Any

import pytest

from graph.connection import Graph
from matching.encoder import get_encoder
from matching.matcher import MatchRequest, Suggestion, match
from matching.scoring import Weights
from partnergraph.errors import NotFound
from tests.ingest_support import CANONICAL, run_ingest


@pytest.fixture
def loaded(graph: Graph) -> Graph:
    assert run_ingest(graph, CANONICAL, get_encoder("use-multilingual")).ok
    return graph


def suggest(graph: Graph, text: str, **request: Any) -> list[Suggestion]:
    return match(
        graph, get_encoder("use-multilingual"), MatchRequest(text=text, **request), Weights()
    )


def test_a_welding_problem_finds_the_welding_chair_with_marked_evidence(
    loaded: Graph,
) -> None:
    results = suggest(loaded, "Unsere dünnen Edelstahlbleche verziehen sich beim Schweißen")
    assert "chair-fuegetechnik" in [r.key for r in results[:2]]
    research = suggest(
        loaded,
        "Unsere dünnen Edelstahlbleche verziehen sich beim Schweißen",
        kinds=("research_group", "institute", "university"),
    )
    top = research[0]
    assert top.key == "chair-fuegetechnik"
    assert top.semantic > 0 and top.score >= top.semantic
    titles = [item["title"] for item in top.evidence]
    assert "Laserstrahlschweißen von Dünnblech" in titles
    marked = {item["snippet"][s:e] for item in top.evidence for s, e in item["marks"]}
    assert {"Schweißnahtprüfung", "Edelstahl-"} <= marked


def test_an_english_need_finds_german_competences(loaded: Graph) -> None:
    results = suggest(loaded, "We want solar panels on our factory roof and chargers for EVs")
    assert results[0].key == "org-elektro"


def test_the_asking_company_is_excluded_and_paths_explain_the_connection(
    loaded: Graph,
) -> None:
    results = suggest(loaded, "Schweißen von dünnen Blechen", asker="org-brandt")
    keys = [r.key for r in results]
    assert "org-brandt" not in keys
    chair = next(r for r in results if r.key == "chair-fuegetechnik")
    assert chair.signals.get("cooperation") and chair.signals.get("event")
    assert chair.shared_projects == ["LeichtFüge: Laserfügen im Leichtbau"]
    assert chair.path[0]["key"] == "org-brandt"
    assert chair.path[-1]["key"] == "chair-fuegetechnik"


def test_kind_and_radius_filters(loaded: Graph) -> None:
    only_craft = suggest(loaded, "Schweißen und Metallbau", kinds=("craft_business",))
    assert {r.kind for r in only_craft} == {"craft_business"}
    near_witten = suggest(loaded, "Schweißen und Metallbau", near="58452", radius_km=5)
    assert [r.key for r in near_witten] == ["org-kemper"]
    assert near_witten[0].distance_km is not None and near_witten[0].distance_km <= 5


def test_unknown_postcode_or_asker_is_not_found(loaded: Graph) -> None:
    with pytest.raises(NotFound, match="postcode 99999"):
        suggest(loaded, "Schweißen", near="99999")
    with pytest.raises(NotFound, match="org-unbekannt"):
        suggest(loaded, "Schweißen", asker="org-unbekannt")


def test_lucene_syntax_in_a_need_is_searched_as_words(loaded: Graph) -> None:
    results = suggest(loaded, 'Schweißen AND "Blech~ OR title:(x*) \\ ^2')
    assert {"chair-fuegetechnik", "org-kemper"} <= {r.key for r in results[:3]}


def test_reembed_moves_every_vector_to_the_configured_model(graph: Graph) -> None:
    from graph.vectors import embedding_model, vector_index_dimensions
    from matching.reembed import reembed

    assert run_ingest(graph, CANONICAL, get_encoder("minilm")).ok
    encoder = get_encoder("use-multilingual")
    done = reembed(graph, encoder)
    assert done == {"Competence": 7, "Project": 2, "Need": 3, "SharedNeed": 0}
    assert embedding_model(graph) == (encoder.name, 512)
    assert set(vector_index_dimensions(graph).values()) == {512}
    assert reembed(graph, encoder) == {"Competence": 0, "Project": 0, "Need": 0, "SharedNeed": 0}
    again = run_ingest(graph, CANONICAL, encoder)
    assert again.embedded == 0  # the ingest agrees the texts are current


def test_a_chair_sees_the_open_needs_its_expertise_fits(loaded: Graph) -> None:
    from matching.matcher import needs_for_organization

    needs = needs_for_organization(loaded, "chair-fuegetechnik")
    assert needs[0]["key"] == "need-verzug"
    assert needs[0]["visibility"] == "confidential"  # callers anonymise by visibility
    assert all(n["key"] != "need-inspect" for n in needs)  # in progress, not open
    with pytest.raises(NotFound):
        needs_for_organization(loaded, "org-unbekannt")


def test_similar_organisations_share_competences(loaded: Graph) -> None:
    from matching.matcher import similar_organizations

    similar = similar_organizations(loaded, "org-kemper", limit=3)
    assert similar and all(row["key"] != "org-kemper" for row in similar)
    scores = [row["similarity"] for row in similar]
    assert scores == sorted(scores, reverse=True) and 0 < scores[0] <= 1


def test_open_needs_form_topics_and_gaps_for_analysts(loaded: Graph) -> None:
    from matching.analytics import need_landscape

    landscape = need_landscape(loaded)
    keys = {key for topic in landscape.topics for key in topic.need_keys}
    assert keys == {"need-verzug", "need-pv"}  # the open ones
    assert all(topic.label for topic in landscape.topics)
    assert {gap.key for gap in landscape.gaps} <= keys


def test_a_wider_vector_search_returns_only_the_best_it_was_asked_for(loaded: Graph) -> None:
    from graph.search import semantic_evidence, vector_evidence

    vector = [float(v) for v in get_encoder("use-multilingual").encode(["Schweißen"])[0]]
    exact = vector_evidence(loaded, "Competence", vector, 20)
    wide = vector_evidence(loaded, "Competence", vector, 3, breadth=5.0)
    assert [row["key"] for row in wide] == [row["key"] for row in exact[:3]]
    evidence = semantic_evidence(loaded, vector, 3, 1, breadth=5.0)
    assert sum(row["label"] == "Competence" for row in evidence) == 3
    assert sum(row["label"] == "Project" for row in evidence) <= 1


def test_an_english_text_keeps_its_place_when_german_texts_lead_the_english_analysis(
    graph: Graph,
) -> None:
    from graph import schema
    from graph.search import lexical_evidence
    from matching.matcher import LEXICAL_WIDTH

    texts = [
        ("de-1", "de", "Laser Laser Laserschneiden", "Laser für Bleche, Laser für Rohre"),
        ("de-2", "de", "Laser Laserbeschriftung", "Laser für Kunststoffe und Laser für Glas"),
        ("de-3", "de", "Laser Lasersintern", "Laser für Metallpulver"),
        ("en-1", "en", "Laser welding", "We weld thin sheet with a fibre laser."),
    ]
    for key, lang, title, text in texts:
        graph.write(
            "CREATE (:Organization {key: $key})-[:HAS_COMPETENCE]->"
            "(:Competence {key: $key, lang: $lang, title: $title, text: $text})",
            key=key,
            lang=lang,
            title=title,
            text=text,
        )
    schema.await_indexes(graph)
    # two kept per index: read as English, the three German texts rank above the English one
    narrow = {row["key"] for row in lexical_evidence(graph, "laser", 2, 1, width=1.0)}
    assert "en-1" not in narrow
    found = {row["key"] for row in lexical_evidence(graph, "laser", 2, 1, width=LEXICAL_WIDTH)}
    assert "en-1" in found and len(found & {"de-1", "de-2", "de-3"}) == 2
