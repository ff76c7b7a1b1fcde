"""Calibrate the strength bands (stark / mittel / schwach) on the judged set, and show the
failure cases of issue 21 (the X-ray/porosity need and others) as ranked on the network sample.

    python bench/strength.py [--uri bolt://... --password ...] [--strong 0.72 --medium 0.66]

Without `--uri` it starts a Neo4j of its own in a temporary folder and loads the network sample
(`partnergraph generate`, seed 7) with embeddings, as `make run` does. For every judged query it
takes the top 10 of the matcher (its filters as the query says) and each suggestion's strength
score (`matching.strength.strength_score`: the best evidence's semantic similarity); a
suggestion is relevant when the judged set grades it 1 or 2. It prints the precision of each
band per split, the thresholds that give "stark" a precision of at least 80 % on the dev split,
and for the failure queries (tag `workflow` in data/eval/queries.jsonl) the rank of the
organisations they must find.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph import admin, schema
from graph.connection import Graph
from graph.server import LocalNeo4j, ServerConfig
from graph.vectors import Encoder
from ingest.pipeline import IngestOptions, ingest_path
from matching import matcher
from matching.encoder import get_encoder
from matching.evaluation import Query, load_qrels, load_queries
from matching.scoring import Weights
from matching.strength import MEDIUM, STRONG, strength, strength_score
from partnergraph.settings import Settings
from sample.generator import SampleSpec, write_scaled

EVAL = Path(__file__).resolve().parents[1] / "data" / "eval"


def rows_for(
    graph: Graph, encoder: Encoder, queries: list[Query], qrels: dict[str, dict[str, int]]
) -> list[dict[str, Any]]:
    out = []
    for query in queries:
        request = matcher.MatchRequest(
            text=query.text,
            kinds=query.kinds,
            near=query.near,
            radius_km=query.radius_km,
            limit=10,
        )
        found = matcher.match(graph, encoder, request, Weights(), explain_paths=False)
        judged = qrels.get(query.id, {})
        for rank, s in enumerate(found, 1):
            score = strength_score(e.get("semantic_similarity") for e in s.evidence)
            out.append(
                {
                    "query": query.id,
                    "split": query.split,
                    "tags": list(query.tags),
                    "rank": rank,
                    "key": s.key,
                    "name": s.name,
                    "score": score,
                    "grade": judged.get(s.key, 0),
                }
            )
    return out


def precision(
    rows: list[dict[str, Any]], strong: float, medium: float
) -> dict[str, tuple[float, int]]:
    bands: dict[str, list[int]] = {"strong": [], "medium": [], "weak": []}
    for row in rows:
        bands[strength(row["score"], strong=strong, medium=medium)].append(row["grade"] > 0)
    return {
        band: (100 * sum(hits) / len(hits) if hits else 0.0, len(hits))
        for band, hits in bands.items()
    }


def table(rows: list[dict[str, Any]], strong: float, medium: float) -> None:
    print(f"\nbands: stark >= {strong}, mittel >= {medium} (precision = graded 1 or 2)")
    print("| split | stark | mittel | schwach |")
    print("|---|---:|---:|---:|")
    for split in ("dev", "test"):
        p = precision([r for r in rows if r["split"] == split], strong, medium)
        cells = [f"{p[b][0]:.1f} % of {p[b][1]}" for b in ("strong", "medium", "weak")]
        print(f"| {split} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--uri")
    parser.add_argument("--password", default="")
    parser.add_argument("--strong", type=float, default=STRONG)
    parser.add_argument("--medium", type=float, default=MEDIUM)
    parser.add_argument("--cache", type=Path, help="keep the per-suggestion rows in this file")
    args = parser.parse_args()
    encoder = get_encoder("use-multilingual")
    queries = load_queries(EVAL / "queries.jsonl")
    qrels = load_qrels(EVAL / "qrels.tsv")
    server = None
    if args.uri:
        settings = Settings(neo4j_uri=args.uri, neo4j_password=args.password)
    else:
        home = Path(tempfile.mkdtemp(prefix="pg-strength-"))
        from tests.support import local_test_settings

        settings = local_test_settings(home / "neo4j")
        server = LocalNeo4j(ServerConfig.from_settings(settings))
        server.start()
    try:
        with Graph.from_settings(settings) as graph:
            if not args.uri:
                admin.delete_everything(graph)
                schema.init_schema(graph)
                folder = Path(tempfile.mkdtemp(prefix="pg-sample-"))
                write_scaled(SampleSpec.network(), folder)
                report = ingest_path(graph, folder, IngestOptions(source="sample"), encoder)
                assert report.ok
            rows = rows_for(graph, encoder, queries, qrels)
    finally:
        if server is not None:
            server.stop()
    if args.cache:
        args.cache.write_text(json.dumps(rows), encoding="utf-8")
    report_rows(rows, args.strong, args.medium)


def report_rows(rows: list[dict[str, Any]], strong: float, medium: float) -> None:
    table(rows, strong, medium)
    dev = [r for r in rows if r["split"] == "dev"]
    print("\ndev split: the lowest 'stark' threshold with precision >= 80 %, 'mittel' >= 50 %")
    grid = [round(0.55 + 0.01 * i, 2) for i in range(35)]
    best_strong = next((t for t in grid if precision(dev, t, 0)["strong"][0] >= 80), None)
    best_medium = next(
        (
            t
            for t in grid
            if best_strong and t < best_strong and precision(dev, best_strong, t)["medium"][0] >= 50
        ),
        None,
    )
    print(f"stark >= {best_strong}, mittel >= {best_medium}")
    print("\nworkflow failure queries: rank, grade, strength")
    for query in sorted({r["query"] for r in rows if "workflow" in r["tags"]}):
        for r in (r for r in rows if r["query"] == query):
            band = strength(r["score"], strong=strong, medium=medium)
            print(f"{query} {r['rank']:>2} g{r['grade']} {band:<6} {r['score']:.3f} {r['name']}")


if __name__ == "__main__":
    main()
