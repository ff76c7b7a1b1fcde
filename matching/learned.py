"""Ranking weights learned from what staff record: accepted and rejected suggestions.

Every decision recorded on a suggestion (`graph.needs.record_feedback`) says that, for that
need, the accepted organisation should rank above the rejected one. Each such pair compares the
two suggestions' score parts (`features`: semantic and lexical evidence, nearness, earlier
cooperation, shared events, a matching trade, each as the matcher measured it with the prior
weights), and a pairwise logistic model (`fit`) finds the weights under which accepted
suggestions outrank rejected ones. The semantic weight is the anchor (1.0: only the ratios
between weights change a ranking); every other weight is pulled towards the prior by a penalty
that a few outcomes cannot outweigh, so ten recorded decisions move the ranking a little and
hundreds as far as they agree. The cooperation weight is not learned: accepting a suggestion
records a cooperation with that partner, so every accepted suggestion would show one.

`fit` and its helpers are pure functions on plain data; `learn` is the I/O edge that reads the
recorded outcomes and ranks their needs again. `partnergraph learn` prints the weights as
settings: nothing changes the ranking until they are set.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from graph.connection import Graph
from graph.vectors import Encoder

from .scoring import Candidate, Weights

FEATURES: tuple[str, ...] = ("semantic", "lexical", "near", "cooperation", "event", "trade")
FIXED: tuple[str, ...] = ("semantic", "cooperation")
PRIOR_STRENGTH = 20.0  # pairs' worth of belief in the prior weights (replay: bench/feedback.py)
STEPS = 3000
LEARNING_RATE = 0.05
# Logits per unit of score: suggestions' scores lie in 0..1.3, and a lead of 0.1 should mean
# about 73 % (a learned sharpness would grow without end on pairs already in order)
SHARPNESS = 10.0
HELD_OUT_FOLDS = 10


@dataclass(frozen=True)
class Outcome:
    """A recorded decision on one suggestion, with the suggestion's score parts."""

    need: str
    org: str
    accepted: bool
    features: tuple[float, ...]


def features(candidate: Candidate, weights: Weights) -> tuple[float, ...]:
    """A ranked candidate's score parts without their weights, in the order of `FEATURES`:
    what a weight multiplies. `weights` are those the candidate was ranked with."""

    def unweighted(part: float, weight: float) -> float:
        return part / weight if weight else 0.0

    near = (
        math.exp(-candidate.distance_km / weights.near_scale_km)
        if candidate.distance_km is not None and weights.near_scale_km > 0
        else 0.0
    )
    signals = candidate.graph
    return (
        unweighted(candidate.semantic, weights.semantic),
        unweighted(candidate.lexical, weights.lexical),
        near,
        1.0 if "cooperation" in signals else 0.0,
        1.0 if "event" in signals else 0.0,
        1.0 if "trade" in signals else 0.0,
    )


def pairs(outcomes: Iterable[Outcome]) -> np.ndarray:
    """Feature differences accepted minus rejected, for every such pair of one need."""
    by_need: dict[str, list[Outcome]] = {}
    for outcome in outcomes:
        by_need.setdefault(outcome.need, []).append(outcome)
    rows = [
        np.subtract(good.features, bad.features)
        for decided in by_need.values()
        for good in decided
        if good.accepted
        for bad in decided
        if not bad.accepted
    ]
    return np.array(rows, dtype=float).reshape(-1, len(FEATURES))


def as_vector(weights: Weights) -> np.ndarray:
    return np.array([getattr(weights, name) for name in FEATURES], dtype=float)


def fit(
    differences: np.ndarray,
    prior: Weights,
    strength: float = PRIOR_STRENGTH,
    steps: int = STEPS,
    fixed: Sequence[str] = FIXED,
) -> Weights:
    """Weights under which the accepted side of each pair (rows of `differences`) scores
    higher: a pairwise logistic loss, the `fixed` weights held at the prior's, every weight
    at least zero, pulled towards `prior` as if by `strength` pairs. No pairs: the prior."""
    theta0 = as_vector(prior)
    if len(differences) == 0:
        return prior
    x = differences
    n = len(x)
    theta = theta0.copy()
    free = np.array([name not in fixed for name in FEATURES])
    # Adam: the features' scales differ by orders (a binary trade against a scaled cosine)
    m = np.zeros(len(FEATURES))
    v = np.zeros(len(FEATURES))
    penalty = strength / n
    for step in range(1, steps + 1):
        margin = SHARPNESS * (x @ theta)
        p = 0.5 * (1.0 - np.tanh(margin / 2.0))  # sigmoid(-margin), stable
        grad = -(x * (p * SHARPNESS)[:, None]).mean(axis=0)
        grad += 2 * penalty * (theta - theta0) / np.maximum(theta0, 0.05) ** 2
        grad[~free] = 0.0
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        update = LEARNING_RATE * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
        theta = np.maximum(theta - update * np.maximum(theta0, 0.05), 0.0)
    learned: dict[str, Any] = {
        name: round(float(value), 4) for name, value in zip(FEATURES, theta, strict=True)
    }
    return replace(prior, **learned)


def agreement(differences: np.ndarray, weights: Weights) -> float:
    """Share of pairs whose accepted side scores higher under `weights` (ties count half)."""
    if len(differences) == 0:
        return 0.0
    margins = differences @ as_vector(weights)
    return float(((margins > 0) + 0.5 * (margins == 0)).mean())


def settings_lines(weights: Weights) -> list[str]:
    """The learned weights as `.env` lines (the settings the matcher reads)."""
    return [
        f"PARTNERGRAPH_MATCH_WEIGHT_{name.upper()}={getattr(weights, name):g}" for name in FEATURES
    ]


def outcomes_from(
    need: str, ranked: Sequence[Candidate], decisions: dict[str, bool], weights: Weights
) -> list[Outcome]:
    """The outcomes of one need: each decided organisation's features as ranked now (an
    organisation decided on but no longer ranked has nothing to learn from and is left out)."""
    return [
        Outcome(need, c.key, decisions[c.key], features(c, weights))
        for c in ranked
        if c.key in decisions
    ]


@dataclass(frozen=True)
class Learned:
    """What `learn` found: the weights before and after, and how well each orders the
    recorded decisions (the learned ones on needs left out of their fit: up to `HELD_OUT_FOLDS`
    folds of needs, each ordered by weights learned from the others)."""

    needs: int
    outcomes: int
    pairs: int
    prior: Weights
    weights: Weights
    agreement_prior: float
    agreement_held_out: float


def learn(
    graph: Graph, encoder: Encoder, prior: Weights, strength: float = PRIOR_STRENGTH
) -> Learned:
    """Weights learned from every accepted and rejected suggestion recorded in `graph`: each
    decided need is ranked again as the service ranks it (its company asking), and its
    decided organisations' score parts become training pairs."""
    from graph import needs as need_queries
    from graph.texts import evidence_text

    from . import matcher

    by_need: list[list[Outcome]] = []
    for row in need_queries.decided_needs(graph):
        request = matcher.MatchRequest(
            text=evidence_text(row["title"], row["text"]), asker=row["company"]
        )
        origin = matcher.origin_point(graph, request)
        retrieved = matcher.retrieve(graph, encoder, request.text)
        ranked = matcher.rank(graph, retrieved, request, prior, "fused+graph", origin)
        decisions = {d["org"]: d["status"] == "accepted" for d in row["decisions"]}
        found = outcomes_from(row["key"], ranked, decisions, prior)
        if found:
            by_need.append(found)
    every = [outcome for found in by_need for outcome in found]
    differences = pairs(every)
    weights = fit(differences, prior, strength)
    held_out: list[float] = []
    folds = min(len(by_need), HELD_OUT_FOLDS)
    for fold in range(folds):
        own = pairs(o for j, found in enumerate(by_need) if j % folds == fold for o in found)
        if len(own):
            others = [o for j, found in enumerate(by_need) if j % folds != fold for o in found]
            without = fit(pairs(others), prior, strength)
            held_out += [agreement(own, without)] * len(own)
    return Learned(
        needs=len(by_need),
        outcomes=len(every),
        pairs=len(differences),
        prior=prior,
        weights=weights,
        agreement_prior=agreement(differences, prior),
        agreement_held_out=sum(held_out) / len(held_out) if held_out else 0.0,
    )
