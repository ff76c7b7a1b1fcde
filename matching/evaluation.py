"""Quality on a judged set: nDCG@10, Recall@10 and MRR per ranking mode.

The judged set (`data/eval/`) holds needs as staff write them and graded judgements (2 = can
solve it, 1 = partly); unjudged organisations count as 0. Each query is retrieved once and ranked
in every mode, so the modes differ only in how the same evidence is scored. A `bm25` row, a
plain BM25 over the same texts (`matching.bm25`), is the yardstick the modes must beat; the
milliseconds per query are those of the matcher's own path (retrieval and fused + graph ranking).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graph.connection import Graph
from graph.vectors import Encoder

from .bm25 import BM25Reference
from .matcher import MatchRequest, origin_point, rank, retrieve
from .scoring import MODES, Mode, Weights

CUTOFF = 10


@dataclass(frozen=True)
class Query:
    id: str
    text: str
    split: str
    tags: tuple[str, ...] = ()
    lang: str | None = None
    near: str | None = None
    radius_km: float | None = None
    kinds: tuple[str, ...] | None = None
    topics: tuple[str, ...] = ()  # the judged set's ground-truth topics (feedback replay folds)


@dataclass
class Scores:
    ndcg: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    mrr: list[float] = field(default_factory=list)

    def add(self, ranking: Sequence[str], judged: Mapping[str, int]) -> None:
        self.ndcg.append(ndcg_at(ranking, judged, CUTOFF))
        self.recall.append(recall_at(ranking, judged, CUTOFF))
        self.mrr.append(reciprocal_rank(ranking, judged))

    def means(self) -> dict[str, float]:
        def mean(values: list[float]) -> float:
            return round(100 * sum(values) / len(values), 1) if values else 0.0

        return {"nDCG@10": mean(self.ndcg), "Recall@10": mean(self.recall), "MRR": mean(self.mrr)}


def ndcg_at(ranking: Sequence[str], judged: Mapping[str, int], k: int) -> float:
    gains = [(2 ** judged.get(key, 0) - 1) / math.log2(i + 2) for i, key in enumerate(ranking[:k])]
    ideal = sorted(judged.values(), reverse=True)[:k]
    best = sum((2**grade - 1) / math.log2(i + 2) for i, grade in enumerate(ideal))
    return sum(gains) / best if best else 0.0


def recall_at(ranking: Sequence[str], judged: Mapping[str, int], k: int) -> float:
    """Share of the clearly relevant (grade 2) found in the top k, capped by what k can hold."""
    relevant = {key for key, grade in judged.items() if grade >= 2}
    if not relevant:
        return 0.0
    found = len(relevant & set(ranking[:k]))
    return found / min(len(relevant), k)


def reciprocal_rank(ranking: Sequence[str], judged: Mapping[str, int]) -> float:
    for position, key in enumerate(ranking, start=1):
        if judged.get(key, 0) >= 2:
            return 1.0 / position
    return 0.0


def load_queries(path: Path) -> list[Query]:
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        queries.append(
            Query(
                id=item["id"],
                text=item["text"],
                split=item.get("split", "test"),
                tags=tuple(item.get("tags") or ()),
                lang=item.get("lang"),
                near=item.get("near"),
                radius_km=item.get("radius_km"),
                kinds=tuple(item["kinds"]) if item.get("kinds") else None,
                topics=tuple(item.get("topics") or ()),
            )
        )
    return queries


def load_qrels(path: Path) -> dict[str, dict[str, int]]:
    judged: dict[str, dict[str, int]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, org, grade = line.split("\t")[:3]
        if not grade.strip().isdigit():
            continue  # a header line
        judged.setdefault(query, {})[org] = int(grade)
    return judged


@dataclass
class Evaluation:
    """Means per mode, overall and per tag, for the queries evaluated."""

    queries: int
    overall: dict[str, dict[str, float]]
    by_tag: dict[str, dict[str, dict[str, float]]]
    ms_per_query: dict[str, float] = field(default_factory=dict)
    against_bm25: dict[str, dict[str, float]] = field(default_factory=dict)
    """row -> nDCG@10 minus the bm25 row's, mean over queries and its standard error (paired):
    whether a difference is larger than what the choice of queries alone would give."""


def paired_difference(a: Sequence[float], b: Sequence[float]) -> dict[str, float]:
    """Mean of a - b over paired values, and its standard error, in points (x 100)."""
    diffs = [x - y for x, y in zip(a, b, strict=True)]
    if len(diffs) < 2:
        return {"mean": 0.0, "se": 0.0}
    mean = sum(diffs) / len(diffs)
    variance = sum((d - mean) ** 2 for d in diffs) / (len(diffs) - 1)
    return {"mean": round(100 * mean, 1), "se": round(100 * math.sqrt(variance / len(diffs)), 1)}


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def evaluate(
    graph: Graph,
    encoder: Encoder,
    queries: Iterable[Query],
    qrels: Mapping[str, Mapping[str, int]],
    weights: Weights,
    modes: Sequence[Mode] = MODES,
    reference: BM25Reference | None = None,
) -> Evaluation:
    rows: list[str] = [*modes, *(["bm25"] if reference is not None else [])]
    overall = {row: Scores() for row in rows}
    by_tag: dict[str, dict[str, Scores]] = {}
    timings: list[float] = []
    count = 0
    for query in queries:
        judged = qrels.get(query.id, {})
        request = MatchRequest(
            text=query.text, kinds=query.kinds, near=query.near, radius_km=query.radius_km
        )
        started = time.perf_counter()
        origin = origin_point(graph, request)
        retrieved = retrieve(graph, encoder, query.text)
        rankings = {"fused+graph": rank(graph, retrieved, request, weights, "fused+graph", origin)}
        timings.append(1000 * (time.perf_counter() - started))
        count += 1
        for row in rows:
            if row == "bm25":
                assert reference is not None
                ranking = reference.rank(query.text)[:100]
            else:
                mode: Mode = row  # type: ignore[assignment]
                if mode not in rankings:
                    rankings[mode] = rank(graph, retrieved, request, weights, mode, origin)
                ranking = [c.key for c in rankings[mode]]
            overall[row].add(ranking, judged)
            for tag in query.tags or ("plain",):
                by_tag.setdefault(tag, {r: Scores() for r in rows})[row].add(ranking, judged)
    return Evaluation(
        queries=count,
        overall={row: scores.means() for row, scores in overall.items()},
        by_tag={
            tag: {row: scores.means() for row, scores in per_row.items()}
            for tag, per_row in sorted(by_tag.items())
        },
        against_bm25={
            row: paired_difference(scores.ndcg, overall["bm25"].ndcg)
            for row, scores in overall.items()
            if "bm25" in overall and row != "bm25"
        },
        ms_per_query={
            "p50": round(percentile(timings, 0.5), 1),
            "p95": round(percentile(timings, 0.95), 1),
        },
    )
