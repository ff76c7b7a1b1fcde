"""Evidence fused by its scores, not only its ranks: how strongly a text matches counts.

Reciprocal-rank fusion (`scoring.Evidence.parts`, k = 60) gives the 1st and the 25th piece of
evidence almost the same weight (1/61 against 1/85), so an organisation with three middling
texts beats one with a single text that is exactly the need. On real cooperation (the CORDIS
dev set, `bench/levers.py`) that cost more than the retrievers differ. Here each list's scores
are scaled to 0..1 first: full-text BM25 by the list's best score; cosine from the semantic
floor (the best hit minus the encoder's semantic margin, `matching.encoder.PROFILES`, below
which nothing is kept) to the best hit. A piece of evidence scores weight x scaled score per
retriever; organisations are then scored by their best pieces exactly as
`scoring.score_organizations` does.
"""

from __future__ import annotations

from collections.abc import Iterable

from .scoring import Candidate, Evidence, Mode, Weights


def scaled_parts(
    evidence: list[Evidence], weights: Weights, mode: Mode, margin: float
) -> dict[str, tuple[float, float]]:
    """evidence key -> (semantic part, lexical part), each retriever's scores scaled to 0..1."""
    best_cosine = max((e.semantic_score or 0.0 for e in evidence), default=0.0)
    best_bm25 = max((e.lexical_score or 0.0 for e in evidence), default=0.0)
    floor = best_cosine - margin
    parts: dict[str, tuple[float, float]] = {}
    for item in evidence:
        semantic = lexical = 0.0
        if mode != "lexical" and item.semantic_score is not None and margin > 0:
            semantic = weights.semantic * max(0.0, item.semantic_score - floor) / margin
        if mode != "semantic" and item.lexical_score and best_bm25 > 0:
            lexical = weights.lexical * item.lexical_score / best_bm25
        parts[item.key] = (semantic, lexical)
    return parts


def score_organizations(
    evidence: Iterable[Evidence], weights: Weights, mode: Mode, margin: float
) -> dict[str, Candidate]:
    """Each organisation's text score from its best evidence (decaying weights)."""
    items = list(evidence)
    parts = scaled_parts(items, weights, mode, margin)
    by_org: dict[str, list[tuple[float, float, Evidence]]] = {}
    for item in items:
        semantic, lexical = parts[item.key]
        if semantic + lexical <= 0:
            continue
        for org in item.orgs:
            by_org.setdefault(org, []).append((semantic, lexical, item))
    candidates: dict[str, Candidate] = {}
    for org, found in by_org.items():
        found.sort(key=lambda t: (-(t[0] + t[1]), t[2].key))
        candidate = Candidate(key=org)
        for position, (semantic, lexical, item) in enumerate(found[: weights.top_evidence]):
            factor = weights.decay**position
            candidate.semantic += semantic * factor
            candidate.lexical += lexical * factor
            candidate.evidence.append(item)
        candidates[org] = candidate
    return candidates
