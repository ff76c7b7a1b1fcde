"""Ranking as plain functions: evidence lists in, ranked organisations with score parts out.

1. Each piece of evidence (a competence or project) gets a reciprocal-rank-fusion score from
   its rank in the semantic list and in the lexical list (RRF, k = 60): robust to the two
   scores' different scales.
2. An organisation is scored from its best pieces of evidence (top 3, weights 1, 1/2, 1/4):
   expert finding ranks by strong evidence, not by one blurred profile.
3. Text scores are scaled to 0..1 by the best candidate; graph signals are added on top:
   nearness (exp(-km / scale)), earlier cooperation, shared events, a matching trade.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

Mode = Literal["lexical", "semantic", "fused", "fused+graph"]
MODES: tuple[Mode, ...] = ("lexical", "semantic", "fused", "fused+graph")


@dataclass(frozen=True)
class Weights:
    """Every signal's weight; `Settings` holds the defaults users can change."""

    semantic: float = 1.0
    lexical: float = 0.5
    rrf_k: int = 60
    top_evidence: int = 3
    decay: float = 0.5
    near: float = 0.15
    near_scale_km: float = 20.0
    cooperation: float = 0.10
    event: float = 0.05
    trade: float = 0.10


@dataclass
class Evidence:
    key: str
    label: str
    title: str
    text: str | None
    orgs: tuple[str, ...]
    semantic_rank: int | None = None
    semantic_score: float | None = None
    lexical_rank: int | None = None
    lexical_score: float | None = None

    def parts(self, weights: Weights, mode: Mode) -> tuple[float, float]:
        semantic = lexical = 0.0
        if mode != "lexical" and self.semantic_rank is not None:
            semantic = weights.semantic / (weights.rrf_k + self.semantic_rank)
        if mode != "semantic" and self.lexical_rank is not None:
            lexical = weights.lexical / (weights.rrf_k + self.lexical_rank)
        return semantic, lexical


@dataclass
class Candidate:
    key: str
    semantic: float = 0.0
    lexical: float = 0.0
    evidence: list[Evidence] = field(default_factory=list)
    graph: dict[str, float] = field(default_factory=dict)
    distance_km: float | None = None
    score: float = 0.0

    @property
    def text(self) -> float:
        return self.semantic + self.lexical


def merge_evidence(
    semantic: Iterable[Sequence[Mapping[str, Any]]],
    lexical: Iterable[Sequence[Mapping[str, Any]]],
) -> dict[str, Evidence]:
    """Evidence by key, with its rank (1-based) in each list it appears in."""
    merged: dict[str, Evidence] = {}

    def entry(row: Mapping[str, Any]) -> Evidence:
        if row["key"] not in merged:
            merged[row["key"]] = Evidence(
                key=row["key"],
                label=row["label"],
                title=row["title"] or "",
                text=row["text"],
                orgs=tuple(dict.fromkeys(row["orgs"])),
            )
        return merged[row["key"]]

    for rows in semantic:
        for rank, row in enumerate(rows, start=1):
            item = entry(row)
            if item.semantic_rank is None or rank < item.semantic_rank:
                item.semantic_rank, item.semantic_score = rank, float(row["score"])
    for rows in lexical:
        for rank, row in enumerate(rows, start=1):
            item = entry(row)
            if item.lexical_rank is None or rank < item.lexical_rank:
                item.lexical_rank, item.lexical_score = rank, float(row["score"])
    return merged


def score_organizations(
    evidence: Iterable[Evidence], weights: Weights, mode: Mode
) -> dict[str, Candidate]:
    """Each organisation's text score from its best evidence (decaying weights)."""
    by_org: dict[str, list[tuple[float, float, Evidence]]] = {}
    for item in evidence:
        semantic, lexical = item.parts(weights, mode)
        if semantic + lexical <= 0:
            continue
        for org in item.orgs:
            by_org.setdefault(org, []).append((semantic, lexical, item))
    candidates: dict[str, Candidate] = {}
    for org, items in by_org.items():
        items.sort(key=lambda t: (-(t[0] + t[1]), t[2].key))
        candidate = Candidate(key=org)
        for position, (semantic, lexical, item) in enumerate(items[: weights.top_evidence]):
            factor = weights.decay**position
            candidate.semantic += semantic * factor
            candidate.lexical += lexical * factor
            candidate.evidence.append(item)
        candidates[org] = candidate
    return candidates


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def graph_signals(
    facts: Mapping[str, Any],
    distance_km: float | None,
    wanted_trades: Sequence[str],
    weights: Weights,
) -> dict[str, float]:
    """The graph part of a score, per signal (zero signals left out)."""
    signals: dict[str, float] = {}
    if distance_km is not None and weights.near:
        signals["near"] = weights.near * math.exp(-distance_km / weights.near_scale_km)
    if facts.get("shared_projects") or facts.get("cooperations"):
        signals["cooperation"] = weights.cooperation
    if facts.get("shared_events"):
        signals["event"] = weights.event
    if wanted_trades and set(wanted_trades) & set(facts.get("trades") or ()):
        signals["trade"] = weights.trade
    return {name: round(value, 4) for name, value in signals.items() if value > 0}


def final_scores(candidates: Iterable[Candidate], mode: Mode) -> list[Candidate]:
    """Text scores scaled by the best candidate, graph signals added; best first."""
    ranked = list(candidates)
    best = max((c.text for c in ranked), default=0.0) or 1.0
    for candidate in ranked:
        candidate.semantic /= best
        candidate.lexical /= best
        graph = sum(candidate.graph.values()) if mode == "fused+graph" else 0.0
        candidate.score = round(candidate.text + graph, 4)
    ranked.sort(key=lambda c: (-c.score, c.key))
    return ranked
