"""Learning from recorded feedback, replayed: how much the ranking gains after N outcomes.

The judged set stands in for staff at work. Each judged need is matched as the service does it
(fused + graph, its filters as the query says); staff look at the top 10 and record a decision
on each: accepted if the judged set grades the organisation 1 or 2, rejected otherwise. Those
outcomes train `matching.learned.fit`, and the learned weights rank needs whose outcomes were
not used: the queries are dealt into five folds, each fold is ranked with weights learned only
from outcomes of the other four (the first N outcomes, needs taken in a random order), so no
need's own feedback ever reaches its evaluation. `--group topic` keeps every query of a topic
in one fold: weights must carry over to kinds of need never decided on before.

    python bench/feedback.py                         # network sample and the judged set
    python bench/feedback.py --data cordis --wording short
    python bench/feedback.py --outcomes 0,20,50,100,200,500,1000 --seeds 3

Starts a Neo4j of its own in a temporary folder; vectors are cached on disk across runs
(`bench/encoders.py`'s cache). With `--data cordis` the real development set
(`../shared/realdata/cordis-he-dev`; source: CORDIS, European Commission. © European Union,
reused under CC BY 4.0.) replaces the sample: its partners are the accepted suggestions.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.encoders import CORDIS, EVAL, CachedEncoder, _private_graph  # noqa: E402
from graph.connection import Graph  # noqa: E402
from graph.vectors import Encoder  # noqa: E402
from ingest.pipeline import IngestOptions, ingest_path  # noqa: E402
from matching import learned, matcher  # noqa: E402
from matching.encoder import load_encoder  # noqa: E402
from matching.evaluation import Query, load_qrels, load_queries, ndcg_at  # noqa: E402
from matching.scoring import Weights  # noqa: E402

SHOWN = 10  # suggestions staff decide on per need
FOLDS = 5


@dataclass
class Replayed:
    """One query, retrieved once: what it is ranked from and the outcomes staff would record."""

    query: Query
    request: matcher.MatchRequest
    retrieved: matcher.Retrieved
    origin: tuple[float, float] | None
    outcomes: list[learned.Outcome]


def prepare(
    graph: Graph, encoder: Encoder, queries: list[Query], qrels: dict[str, dict[str, int]]
) -> list[Replayed]:
    prior = Weights()
    out = []
    for query in queries:
        request = matcher.MatchRequest(
            text=query.text, kinds=query.kinds, near=query.near, radius_km=query.radius_km
        )
        origin = matcher.origin_point(graph, request)
        retrieved = matcher.retrieve(graph, encoder, query.text)
        ranked = matcher.rank(graph, retrieved, request, prior, "fused+graph", origin)
        judged = qrels.get(query.id, {})
        decisions = {c.key: judged.get(c.key, 0) > 0 for c in ranked[:SHOWN]}
        outcomes = learned.outcomes_from(query.id, ranked, decisions, prior)
        out.append(Replayed(query, request, retrieved, origin, outcomes))
    return out


def folds_of(replayed: list[Replayed], group: str, seed: int) -> list[list[int]]:
    """Query indexes dealt into FOLDS folds; with `group` = topic, a topic's queries together."""
    rng = random.Random(seed)
    if group == "topic":
        topics: dict[str, list[int]] = {}
        for index, item in enumerate(replayed):
            topic = (item.query.topics or (item.query.id,))[0]
            topics.setdefault(topic, []).append(index)
        groups = list(topics.values())
    else:
        groups = [[index] for index in range(len(replayed))]
    rng.shuffle(groups)
    folds: list[list[int]] = [[] for _ in range(FOLDS)]
    for group_indexes in sorted(groups, key=len, reverse=True):
        min(folds, key=len).extend(group_indexes)
    return folds


def replay(
    graph: Graph,
    replayed: list[Replayed],
    qrels: dict[str, dict[str, int]],
    budgets: list[int],
    seeds: int,
    group: str,
) -> None:
    print(
        f"| outcomes recorded | nDCG@10 held out | change | pairs | agreement held out "
        f"| lexical | near | cooperation | trade |  ({group} folds, {seeds} seeds)"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    base: float | None = None
    for budget in budgets:
        ndcgs: list[float] = []
        agreements: list[float] = []
        pair_counts: list[int] = []
        weights_seen: list[Weights] = []
        for seed in range(seeds):
            folds = folds_of(replayed, group, seed)
            for held_out in folds:
                held = set(held_out)
                training = [i for i in range(len(replayed)) if i not in held]
                random.Random(1000 + seed).shuffle(training)
                outcomes: list[learned.Outcome] = []
                for index in training:
                    if len(outcomes) >= budget:
                        break
                    outcomes.extend(replayed[index].outcomes[: budget - len(outcomes)])
                differences = learned.pairs(outcomes)
                weights = learned.fit(differences, Weights())
                pair_counts.append(len(differences))
                weights_seen.append(weights)
                held_pairs = learned.pairs(o for i in held_out for o in replayed[i].outcomes)
                agreements.append(learned.agreement(held_pairs, weights))
                for index in held_out:
                    item = replayed[index]
                    ranked = matcher.rank(
                        graph, item.retrieved, item.request, weights, "fused+graph", item.origin
                    )
                    judged = qrels.get(item.query.id, {})
                    ndcgs.append(ndcg_at([c.key for c in ranked], judged, 10))
        mean = 100 * statistics.fmean(ndcgs)
        base = mean if base is None else base

        def avg(name: str, seen: list[Weights] = weights_seen) -> str:
            return f"{statistics.fmean(getattr(w, name) for w in seen):.3g}"

        print(
            f"| {budget} | {mean:.1f} | {mean - base:+.1f} | {statistics.fmean(pair_counts):.0f} "
            f"| {100 * statistics.fmean(agreements):.1f} % | {avg('lexical')} | {avg('near')} "
            f"| {avg('cooperation')} | {avg('trade')} |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", choices=("judged", "cordis"), default="judged")
    parser.add_argument("--wording", default="objective", help="cordis: objective or short")
    parser.add_argument("--outcomes", default="0,20,50,100,200,500,1000,2000")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--group", choices=("query", "topic", "both"), default="both")
    parser.add_argument("--model", default="use-multilingual")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "pg-encoders")
    args = parser.parse_args()
    encoder = CachedEncoder(load_encoder(args.model), args.cache)
    with _private_graph() as graph:
        started = time.perf_counter()
        if args.data == "judged":
            from sample.generator import SampleSpec, write_scaled

            with tempfile.TemporaryDirectory(prefix="pg-feedback-") as folder:
                write_scaled(SampleSpec.network(), Path(folder))
                report = ingest_path(graph, Path(folder), IngestOptions(source="sample"), encoder)
            queries = load_queries(EVAL / "queries.jsonl")
            qrels = load_qrels(EVAL / "qrels.tsv")
        else:
            report = ingest_path(graph, CORDIS / "corpus", IngestOptions(source="cordis"), encoder)
            queries = load_queries(CORDIS / f"queries-{args.wording}.jsonl")
            qrels = load_qrels(CORDIS / "qrels.tsv")
        encoder.save()
        assert report.ok, report
        print(f"loaded in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        started = time.perf_counter()
        replayed = prepare(graph, encoder, queries, qrels)
        encoder.save()
        decided = sum(len(r.outcomes) for r in replayed)
        accepted = sum(o.accepted for r in replayed for o in r.outcomes)
        print(
            f"{len(replayed)} needs, {decided} outcomes ({accepted} accepted) "
            f"in {time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )
        budgets = [int(n) for n in args.outcomes.split(",")]
        for group in ("query", "topic") if args.group == "both" else (args.group,):
            replay(graph, replayed, qrels, budgets, args.seeds, group)


if __name__ == "__main__":
    main()
