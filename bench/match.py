"""Match latency and vector-index recall, against exact brute force in the same run.

For each size it generates organisations with N competences each (`partnergraph generate`),
loads them with embeddings into its own Neo4j, then for the judged needs of data/eval:

- end-to-end `match()` latency (query encoding, both indexes, fusion, graph facts), warm:
  p50 / p95 / p99;
- the vector index's top 10 competences against the exact top 10 by cosine over the same
  vectors (fetched once into numpy): recall@10, and the latency of both.

Usage: .venv/bin/python bench/match.py [--sizes 10000,100000] [--competences-per-org 10]
Target (issue 4): p95 under 100 ms at 100k organisations on 2 cores; recall@10 >= 0.95.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph import admin, schema, search, vectors  # noqa: E402
from graph.connection import Graph  # noqa: E402
from graph.server import LocalNeo4j, ServerConfig, free_port  # noqa: E402
from ingest.pipeline import IngestOptions, ingest_path  # noqa: E402
from matching.encoder import get_encoder  # noqa: E402
from matching.evaluation import load_queries  # noqa: E402
from matching.matcher import MatchRequest, match  # noqa: E402
from matching.scoring import Weights  # noqa: E402
from partnergraph.settings import Settings  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def all_vectors(graph: Graph) -> tuple[list[str], np.ndarray]:
    keys: list[str] = []
    chunks: list[np.ndarray] = []
    after = ""
    while rows := vectors.competence_vectors(graph, after, 20000):
        keys += [row["key"] for row in rows]
        chunks.append(np.asarray([row["vector"] for row in rows], dtype=np.float32))
        after = rows[-1]["key"]
    return keys, np.vstack(chunks)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--competences-per-org", type=int, default=10)
    parser.add_argument("--queries", type=int, default=100)
    args = parser.parse_args()
    texts = [q.text for q in load_queries(ROOT / "data" / "eval" / "queries.jsonl")]
    texts = texts[: args.queries]

    work = Path(tempfile.mkdtemp(prefix="partnergraph-bench-match-"))
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        neo4j_home=work / "neo4j",
        neo4j_bolt_port=free_port(),
        neo4j_http_port=0,
        neo4j_heap="3g",
        neo4j_pagecache="4g",
    )
    server = LocalNeo4j(ServerConfig.from_settings(settings))
    server.start()
    encoder = get_encoder(settings.model)
    lines = []
    try:
        with Graph.from_settings(settings) as graph:
            for size in [int(s) for s in args.sizes.split(",") if s]:
                admin.delete_everything(graph)
                schema.init_schema(graph)
                folder = work / f"data-{size}"
                subprocess.run(
                    [
                        str(ROOT / ".venv" / "bin" / "partnergraph"),
                        "generate",
                        "--orgs",
                        str(size),
                        "--competences-per-org",
                        str(args.competences_per_org),
                        str(folder),
                    ],
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                started = time.perf_counter()
                report = ingest_path(graph, folder, IngestOptions(source="bench"), encoder)
                load_s = time.perf_counter() - started
                schema.await_indexes(graph)

                for text in texts[:10]:  # warm caches and the JIT
                    match(graph, encoder, MatchRequest(text=text), Weights())
                latencies = []
                for text in texts:
                    started = time.perf_counter()
                    match(graph, encoder, MatchRequest(text=text), Weights(), explain_paths=False)
                    latencies.append((time.perf_counter() - started) * 1000)

                keys, matrix = all_vectors(graph)
                recalls, index_ms, brute_ms = [], [], []
                for text in texts:
                    vector = encoder.encode([text], kind="query")[0]
                    started = time.perf_counter()
                    rows = search.vector_evidence(graph, "Competence", vector.tolist(), 10)
                    index_ms.append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    exact = np.argpartition(-(matrix @ vector), 10)[:10]
                    brute_ms.append((time.perf_counter() - started) * 1000)
                    exact_keys = {keys[i] for i in exact}
                    recalls.append(len(exact_keys & {r["key"] for r in rows}) / 10)
                lines.append(
                    (
                        f"{size:,}",
                        f"{len(keys):,}",
                        f"{load_s:.0f} s ({report.embedded:,} texts)",
                        f"{statistics.median(latencies):.0f}",
                        f"{percentile(latencies, 0.95):.0f}",
                        f"{percentile(latencies, 0.99):.0f}",
                        f"{statistics.mean(recalls):.3f}",
                        f"{statistics.median(index_ms):.1f}",
                        f"{statistics.median(brute_ms):.1f}",
                        f"{statistics.median(brute_ms) / statistics.median(index_ms):.1f}x",
                    )
                )
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    header = (
        "orgs",
        "competences",
        "load",
        "match p50 ms",
        "p95",
        "p99",
        "recall@10",
        "index ms",
        "brute ms",
        "brute/index",
    )
    widths = [max(len(r[i]) for r in [*lines, header]) for i in range(len(header))]
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for line in lines:
        print(" | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)))


if __name__ == "__main__":
    main()
