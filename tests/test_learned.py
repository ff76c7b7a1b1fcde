"""Ranking weights learned from accepted and rejected suggestions (`matching.learned`): pure."""

from __future__ import annotations

import numpy as np

from matching.learned import (
    FEATURES,
    Outcome,
    agreement,
    features,
    fit,
    outcomes_from,
    pairs,
    settings_lines,
)
from matching.scoring import Candidate, Weights

NEAR = FEATURES.index("near")


def outcome(need: str, org: str, accepted: bool, **parts: float) -> Outcome:
    return Outcome(need, org, accepted, tuple(parts.get(name, 0.0) for name in FEATURES))


def nearer_wins(needs: int, seed: int = 1) -> np.ndarray:
    """Needs where the accepted partner is always the nearer one, the texts alike."""
    rng = np.random.default_rng(seed)
    recorded = []
    for n in range(needs):
        text = rng.uniform(0.5, 1.0)
        recorded += [
            outcome(f"n{n}", "near", True, semantic=text, near=rng.uniform(0.6, 1.0)),
            outcome(f"n{n}", "far", False, semantic=text + 0.15, near=rng.uniform(0.0, 0.3)),
        ]
    return pairs(recorded)


def test_pairs_are_accepted_minus_rejected_within_one_need_only() -> None:
    recorded = [
        outcome("a", "x", True, semantic=0.9),
        outcome("a", "y", False, semantic=0.4),
        outcome("a", "z", False, lexical=1.0),
        outcome("b", "x", False, semantic=0.1),  # another need: no pair with need a
        outcome("c", "w", True, semantic=0.3),  # accepted only: nothing to compare with
    ]
    got = pairs(recorded)
    assert got.shape == (2, len(FEATURES))
    assert got[:, FEATURES.index("semantic")].tolist() == [0.5, 0.9]
    assert got[:, FEATURES.index("lexical")].tolist() == [0.0, -1.0]


def test_without_recorded_pairs_the_prior_weights_stay() -> None:
    prior = Weights(lexical=0.7)
    assert fit(pairs([]), prior) is prior
    assert fit(pairs([outcome("a", "x", True)]), prior) is prior


def test_outcomes_that_agree_raise_the_weight_of_what_set_the_accepted_apart() -> None:
    prior = Weights()
    few, many = fit(nearer_wins(3), prior), fit(nearer_wins(300), prior)
    assert prior.near < few.near < many.near  # a few decisions move it a little
    assert many.near > 2 * prior.near
    assert few.semantic == many.semantic == prior.semantic  # the anchor
    assert many.cooperation == prior.cooperation  # never learned: accepting records one
    held_out = nearer_wins(100, seed=2)
    assert agreement(held_out, many) > agreement(held_out, prior)
    assert agreement(held_out, many) > 0.9


def test_weights_never_turn_negative() -> None:
    recorded = [
        outcome(f"n{n}", org, accepted, lexical=value)
        for n in range(200)
        for org, accepted, value in (("x", True, 0.0), ("y", False, 1.0))
    ]
    learned = fit(pairs(recorded), Weights())
    assert learned.lexical >= 0.0
    assert learned.lexical < Weights().lexical


def test_a_candidates_features_are_its_parts_without_their_weights() -> None:
    weights = Weights(semantic=2.0, lexical=0.5, near=0.3, near_scale_km=10.0)
    candidate = Candidate(
        key="o",
        semantic=1.0,
        lexical=0.25,
        graph={"near": 0.1, "trade": 0.1},
        distance_km=10.0,
    )
    got = dict(zip(FEATURES, features(candidate, weights), strict=True))
    assert got["semantic"] == 0.5 and got["lexical"] == 0.5
    assert abs(got["near"] - np.exp(-1.0)) < 1e-12
    assert got["trade"] == 1.0 and got["cooperation"] == 0.0 and got["event"] == 0.0
    far = Candidate(key="f", semantic=1.0)  # no distance known: not near
    assert features(far, weights)[NEAR] == 0.0


def test_only_decided_organisations_still_ranked_give_outcomes() -> None:
    ranked = [Candidate(key="a", semantic=1.0), Candidate(key="b", semantic=0.5)]
    got = outcomes_from("n", ranked, {"a": True, "gone": False}, Weights())
    assert [(o.org, o.accepted) for o in got] == [("a", True)]


def test_learned_weights_print_as_the_settings_the_matcher_reads() -> None:
    lines = settings_lines(Weights(lexical=0.42))
    assert "PARTNERGRAPH_MATCH_WEIGHT_LEXICAL=0.42" in lines
    assert len(lines) == len(FEATURES)
