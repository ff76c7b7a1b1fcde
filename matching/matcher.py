"""Partners for a need: retrieval through `graph.search`, ranking through `scoring`.

One call encodes the text once, asks the vector and full-text indexes for competences and
projects, fuses the two rankings, scores organisations by their best evidence, applies filters
(kind, radius, the asking company itself) and graph signals, and explains the top suggestions.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from graph import search
from graph.connection import Graph
from graph.reference import load_reference
from graph.vectors import Encoder, embedding_model, ensure_vector_indexes
from partnergraph.errors import Conflict, NotFound
from partnergraph.settings import Settings

from . import compounds, fusion, vocabulary
from .encoder import DEFAULT_PROFILE, profile_of
from .explain import highlight, query_stems
from .scoring import (
    Candidate,
    Evidence,
    Mode,
    Weights,
    final_scores,
    graph_signals,
    haversine_km,
    merge_evidence,
    score_organizations,
)

EVIDENCE_K = 100  # per index and list; tuned on the dev split (200 was no better, and slower)
CANDIDATES = 100  # organisations ranked per match; dev split: 150 was no better, and dearer
# The vector indexes are searched this many times as wide as the evidence kept (the best
# EVIDENCE_K): on 1M competence vectors (bench/match.py, 100k organisations) the best 10 of a
# search 100 wide held 94.0 % of the exact top 10, of one 150 wide 96.6 % (200: 97.1 %), for
# 1-5 ms more per match.
VECTOR_BREADTH = 1.5
# The semantic margin (cosine below the best hit that still counts) depends on the model's
# scale of cosines: it is `semantic_margin` of the encoder's profile (`matching.encoder`).
# Projects asked per index, as a share of EVIDENCE_K. On CORDIS 0.25 lost 1.5 points of dev
# objective and 2.2 of test short (paired SE 0.8-0.9); 0.5 stayed within 0.6 (bench/RESULTS.md).
PROJECT_SHARE = 1.0
# Distinct query words sent to the full-text indexes: a one-line need has 10-30, a project
# objective 150-300; 64 cut an objective to its first paragraph (bench/levers.py).
LEXICAL_MAX_TERMS = 1024
LANGUAGE_AWARE = True  # each text scored by the analyzer of its own language (graph.search)
# Each analyzer's index is asked for this many times the hits kept: it ranks the texts of the
# other language too, which are then dropped. No effect on the judged set (4.1 % English texts)
# or CORDIS (all English); in a mixed region English texts would otherwise lose their places.
LEXICAL_WIDTH = 2.0
# "score": evidence fused by its scaled scores (`fusion`); "rank": reciprocal-rank fusion
FUSION = "score"
# A query word the full-text index lacks ("röntgen") also searches the indexed words it is part
# of ("Röntgenprüfung"), at this boost (`compounds`; bench/RESULTS.md, issue 21)
DECOMPOUND = True
DECOMPOUND_BOOST = 0.5
# Full-text hits the vector search did not return get their exact cosine, so a text found by
# its words alone is not scored as semantically unrelated (it was outside the nearest k only)
COMPLETE_SEMANTIC = True


@dataclass(frozen=True)
class MatchRequest:
    text: str
    kinds: tuple[str, ...] | None = None
    near: str | None = None  # a postcode
    radius_km: float | None = None
    limit: int = 10
    asker: str | None = None  # the asking organisation's key: excluded, and the origin
    trades: tuple[str, ...] | None = None
    regions: tuple[str, ...] | None = None  # region keys or names (town, district, ...)


@dataclass
class Suggestion:
    key: str
    name: str
    kind: str
    city: str | None
    score: float
    semantic: float
    lexical: float
    graph: float
    signals: dict[str, float]
    distance_km: float | None
    evidence: list[dict[str, Any]]
    path: list[dict[str, Any]] = field(default_factory=list)
    shared_projects: list[str] = field(default_factory=list)
    shared_events: list[str] = field(default_factory=list)


@dataclass
class Retrieved:
    """What the indexes returned for one text: reusable across ranking modes."""

    evidence: dict[str, Evidence]
    stems: set[str]
    margin: float = DEFAULT_PROFILE.semantic_margin
    """The encoder's semantic margin: the floor of the evidence kept and of fusion's scale."""


def weights_from(settings: Settings) -> Weights:
    return Weights(
        semantic=settings.match_weight_semantic,
        lexical=settings.match_weight_lexical,
        near=settings.match_weight_near,
        near_scale_km=settings.match_near_scale_km,
        cooperation=settings.match_weight_cooperation,
        event=settings.match_weight_event,
        trade=settings.match_weight_trade,
    )


def retrieve(graph: Graph, encoder: Encoder, text: str, k: int = EVIDENCE_K) -> Retrieved:
    # The full-text search needs no vector: it runs on the server while the text is encoded
    # here and the vector search follows, so a match waits for the slower of the two only.
    extra = _compound_terms(graph, text) if DECOMPOUND else []
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="lexical") as pool:
        projects = max(1, round(k * PROJECT_SHARE))
        lexical_query = (
            partial(search.lexical_evidence, width=LEXICAL_WIDTH)
            if LANGUAGE_AWARE
            else search.lexical_evidence_german
        )
        pending = pool.submit(
            lexical_query,
            graph,
            text,
            k,
            projects,
            max_terms=LEXICAL_MAX_TERMS,
            extra=extra,
            boost=DECOMPOUND_BOOST,
        )
        vector = [float(x) for x in encoder.encode([text], kind="query")[0]]
        # Competences and projects share one ranking per retriever: their scores are on one
        # scale (cosine; BM25 of one analyzer), and a weak project must not rank like a
        # strong skill.
        semantic = search.semantic_evidence(graph, vector, k, projects, VECTOR_BREADTH)
        lexical = pending.result()
    semantic.sort(key=lambda row: -row["score"])
    lexical.sort(key=lambda row: -row["score"])
    margin = profile_of(encoder.name).semantic_margin
    if semantic:
        # Nearest neighbours always exist; far weaker than the best they are not evidence.
        floor = semantic[0]["score"] - margin
        semantic = [row for row in semantic if row["score"] >= floor]
    evidence = merge_evidence([semantic], [lexical])
    if COMPLETE_SEMANTIC:
        _complete_semantic(graph, evidence, vector)
    return Retrieved(evidence=evidence, stems=query_stems(text), margin=margin)


def _complete_semantic(graph: Graph, evidence: dict[str, Evidence], vector: list[float]) -> None:
    """The exact cosine of every piece of evidence only the full-text search found. Its
    semantic rank stays empty: reciprocal-rank fusion ranks by the vector search's list."""
    missing = [key for key, item in evidence.items() if item.semantic_score is None]
    if missing:
        for key, score in search.similarity_of(graph, missing, vector).items():
            evidence[key].semantic_score = score


def _compound_terms(graph: Graph, text: str) -> list[str]:
    """Indexed words standing for the query words the full-text index lacks (`compounds`);
    none while the index's words are still being read (`vocabulary`)."""
    indexed = vocabulary.words_of(graph)
    if indexed is None:
        return []
    words = compounds.words(text)
    return compounds.extra_terms(
        compounds.expansions(words, indexed), exclude=words, limit=LEXICAL_MAX_TERMS
    )


VECTORS_RECHECK_S = 30.0


def check_vectors(graph: Graph, encoder: Encoder) -> None:
    """Make sure vector search can run with `encoder`: Conflict if the graph's vectors were
    made by another model (comparing them would be meaningless, or fail on the dimension).
    A graph found fine is trusted for `VECTORS_RECHECK_S`: the check would cost every match
    a round trip, and the model changes only with a `reembed`."""
    memo = f"vectors fine for {encoder.name}"
    if time.monotonic() - graph.memo.get(memo, -VECTORS_RECHECK_S) < VECTORS_RECHECK_S:
        return
    _check_vectors(graph, encoder)
    graph.memo[memo] = time.monotonic()


def _check_vectors(graph: Graph, encoder: Encoder) -> None:
    recorded = embedding_model(graph)
    if recorded is None:
        # Nothing encoded yet (an empty graph, or a load without an encoder): empty indexes,
        # as an ingest with this encoder would create, so a search finds nothing, not an error.
        ensure_vector_indexes(graph, encoder.name, encoder.dimension)
    elif recorded[0] != encoder.name:
        raise Conflict(
            f"the graph's vectors were made by {recorded[0]}, but the configured model is "
            f"{encoder.name}: run `partnergraph reembed` (or set PARTNERGRAPH_MODEL back)"
        )


def origin_point(graph: Graph, request: MatchRequest) -> tuple[float, float] | None:
    """Where distances are measured from: the given postcode, else the asking company."""
    if request.near:
        place = load_reference().place(request.near)
        if place is None:
            raise NotFound(f"postcode {request.near} is not in the reference table (NRW)")
        return place.lat, place.lon
    if request.asker:
        asker = search.organization_place(graph, request.asker)
        if asker is None:
            raise NotFound(f"no organisation with key {request.asker!r}")
        if asker["lat"] is not None:
            return float(asker["lat"]), float(asker["lon"])
    return None


def rank(
    graph: Graph,
    retrieved: Retrieved,
    request: MatchRequest,
    weights: Weights,
    mode: Mode = "fused+graph",
    origin: tuple[float, float] | None = None,
) -> list[Candidate]:
    """Candidates best first, after filters; facts for graph signals fetched in one query."""
    return _ranked(graph, retrieved, request, weights, mode, origin)[0]


def _ranked(
    graph: Graph,
    retrieved: Retrieved,
    request: MatchRequest,
    weights: Weights,
    mode: Mode,
    origin: tuple[float, float] | None,
) -> tuple[list[Candidate], dict[str, Any]]:
    """`rank`, and the facts it fetched (the suggestions reuse them)."""
    if FUSION == "score":
        scored = fusion.score_organizations(
            retrieved.evidence.values(), weights, mode, retrieved.margin
        )
    else:
        scored = score_organizations(retrieved.evidence.values(), weights, mode)
    scored.pop(request.asker or "", None)
    pool = sorted(scored.values(), key=lambda c: (-c.text, c.key))[: max(CANDIDATES, 0)]
    wanted_regions = {region.strip().lower() for region in request.regions or ()}
    if request.radius_km is not None or request.kinds or wanted_regions:
        # filters cut deep: look further down the text ranking
        pool = sorted(scored.values(), key=lambda c: (-c.text, c.key))[: CANDIDATES * 4]
    facts = {
        row["key"]: row
        for row in search.organization_facts(
            graph, [c.key for c in pool], request.asker, regions=bool(wanted_regions)
        )
    }
    wanted_trades = tuple(request.trades or ())
    kept = []
    for candidate in pool:
        fact = facts.get(candidate.key)
        if fact is None:
            continue
        if request.kinds and fact["kind"] not in request.kinds:
            continue
        if wanted_regions and wanted_regions.isdisjoint(fact["regions"]):
            continue
        if origin is not None and fact["lat"] is not None:
            candidate.distance_km = round(
                haversine_km(origin, (float(fact["lat"]), float(fact["lon"]))), 1
            )
        if request.radius_km is not None and (
            candidate.distance_km is None or candidate.distance_km > request.radius_km
        ):
            continue
        candidate.graph = graph_signals(fact, candidate.distance_km, wanted_trades, weights)
        kept.append(candidate)
    return final_scores(kept, mode), facts


def match(
    graph: Graph,
    encoder: Encoder,
    request: MatchRequest,
    weights: Weights,
    *,
    explain_paths: bool = True,
) -> list[Suggestion]:
    """Ranked, explained partner suggestions for a need."""
    check_vectors(graph, encoder)
    origin = origin_point(graph, request)
    retrieved = retrieve(graph, encoder, request.text)
    ranked, facts = _ranked(graph, retrieved, request, weights, "fused+graph", origin)
    ranked = ranked[: request.limit]
    suggestions = []
    for candidate in ranked:
        fact = facts[candidate.key]
        suggestion = Suggestion(
            key=candidate.key,
            name=fact["name"],
            kind=fact["kind"],
            city=fact["city"],
            score=candidate.score,
            semantic=round(candidate.semantic, 4),
            lexical=round(candidate.lexical, 4),
            graph=round(sum(candidate.graph.values()), 4),
            signals=candidate.graph,
            distance_km=candidate.distance_km,
            evidence=[_evidence(item, retrieved.stems) for item in candidate.evidence],
            shared_projects=fact["shared_projects"],
            shared_events=fact["shared_events"],
        )
        if explain_paths and request.asker:
            suggestion.path = search.connecting_path(graph, request.asker, candidate.key)
        suggestions.append(suggestion)
    return suggestions


def _evidence(item: Evidence, stems: set[str]) -> dict[str, Any]:
    text = f"{item.title}. {item.text}" if item.text else item.title
    marked = highlight(text, stems)
    return {
        "key": item.key,
        "label": item.label,
        "title": item.title,
        "snippet": marked.snippet,
        "marks": marked.marks,
        "terms": marked.terms,
        "semantic_similarity": round(item.semantic_score, 4) if item.semantic_score else None,
        "lexical_score": round(item.lexical_score, 3) if item.lexical_score else None,
    }


def needs_for_organization(graph: Graph, org: str, limit: int = 20) -> list[dict[str, Any]]:
    """Open needs of other companies that an organisation's competences fit, best first.

    The rows carry the asking company; callers showing them to other roles must anonymise
    them as each need's visibility requires.
    """
    if search.organization_place(graph, org) is None:
        raise NotFound(f"no organisation with key {org!r}")
    return search.open_needs_near_competences(graph, org, limit)


def similar_organizations(graph: Graph, org: str, limit: int = 10) -> list[dict[str, Any]]:
    """Organisations with the most similar competences (mean best cosine per competence)."""
    if search.organization_place(graph, org) is None:
        raise NotFound(f"no organisation with key {org!r}")
    return search.organizations_near_competences(graph, org, limit)
