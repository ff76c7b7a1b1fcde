"""Ranking as plain functions: fusion, aggregation per organisation, graph signals, metrics."""

from __future__ import annotations

import pytest

from matching.evaluation import ndcg_at, recall_at, reciprocal_rank
from matching.explain import highlight, query_stems
from matching.scoring import (
    Candidate,
    Weights,
    final_scores,
    graph_signals,
    haversine_km,
    merge_evidence,
    score_organizations,
)


def row(key: str, orgs: list[str], score: float = 1.0) -> dict[str, object]:
    return {
        "key": key,
        "label": "Competence",
        "title": key,
        "text": None,
        "orgs": orgs,
        "score": score,
    }


def test_evidence_found_by_both_retrievers_outranks_evidence_found_by_one() -> None:
    evidence = merge_evidence(
        semantic=[[row("c-both", ["a"]), row("c-sem", ["b"])]],
        lexical=[[row("c-lex", ["c"]), row("c-both", ["a"])]],
    )
    scored = score_organizations(evidence.values(), Weights(), "fused")
    ranked = final_scores(scored.values(), "fused")
    assert ranked[0].key == "a"
    assert ranked[0].semantic > 0 and ranked[0].lexical > 0


def test_modes_use_only_their_own_evidence() -> None:
    evidence = merge_evidence(semantic=[[row("c1", ["a"])]], lexical=[[row("c2", ["b"])]])
    assert set(score_organizations(evidence.values(), Weights(), "semantic")) == {"a"}
    assert set(score_organizations(evidence.values(), Weights(), "lexical")) == {"b"}


def test_an_organisation_is_scored_by_its_best_few_pieces_of_evidence() -> None:
    many_weak = [row(f"w{i}", ["weak"]) for i in range(10)]
    strong = [row("s1", ["strong"]), row("s2", ["strong"])]
    evidence = merge_evidence(semantic=[strong + many_weak], lexical=[strong])
    scored = score_organizations(evidence.values(), Weights(top_evidence=3), "fused")
    assert len(scored["weak"].evidence) == 3
    assert scored["strong"].text > scored["weak"].text


def test_graph_signals_reward_nearness_cooperation_events_and_trades() -> None:
    weights = Weights()
    facts = {"shared_projects": ["P"], "shared_events": ["E"], "trades": ["A04"], "cooperations": 0}
    near = graph_signals(facts, 2.0, ("A04",), weights)
    far = graph_signals({"trades": []}, 80.0, ("A04",), weights)
    assert set(near) == {"near", "cooperation", "event", "trade"}
    assert near["near"] > far["near"]
    assert "trade" not in far


def test_graph_signals_count_only_in_the_graph_mode() -> None:
    a = Candidate(key="a", semantic=1.0, graph={"near": 0.15})
    b = Candidate(key="b", semantic=1.05)
    assert [c.key for c in final_scores([a, b], "fused")] == ["b", "a"]
    a2 = Candidate(key="a", semantic=1.0, graph={"near": 0.15})
    b2 = Candidate(key="b", semantic=1.05)
    assert [c.key for c in final_scores([a2, b2], "fused+graph")] == ["a", "b"]


def test_haversine_distance_dortmund_to_bochum() -> None:
    assert haversine_km((51.5136, 7.4653), (51.4818, 7.2162)) == pytest.approx(17.6, abs=0.5)


def test_metrics_on_a_known_ranking() -> None:
    judged = {"a": 2, "b": 1, "c": 2}
    assert reciprocal_rank(["x", "a"], judged) == 0.5
    assert recall_at(["a", "x", "c"], judged, 10) == 1.0
    assert ndcg_at(["a", "c", "b"], judged, 10) == pytest.approx(1.0)
    assert 0 < ndcg_at(["b", "x", "a"], judged, 10) < 1


def test_matching_words_are_marked_by_stem_across_inflections() -> None:
    stems = query_stems("Schweißnähte an dünnen Blechen verziehen sich")
    marked = highlight("Verzugsarmes Schweißen dünner Bleche mit dem Laser", stems)
    words = [marked.snippet[s:e] for s, e in marked.marks]
    assert words == ["Schweißen", "dünner", "Bleche"]
    assert marked.terms == ["Bleche", "dünner", "Schweißen"]
