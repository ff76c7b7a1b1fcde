"""Scale: load time, size on disk, memory, match latency and vector-index recall, per size.

For each size it generates organisations with N competences each (`partnergraph generate`),
loads them with embeddings into its own Neo4j, then measures:

- the load (validation, embeddings, writes, indexes populated), the store's size on disk, and
  the resident memory of Neo4j and of this process (which holds what the service holds: the
  encoder, the driver);
- end-to-end `match()` latency over the judged needs of data/eval (query encoding, both indexes,
  fusion, graph facts), warm: p50 / p95 / p99;
- the vector index's top 10 competences against the exact top 10 by cosine over the same
  vectors (fetched once into numpy): recall@10 (ties counted as hits: the synthetic texts
  repeat), asking the index for 10 and, as the matcher does, for the best EVIDENCE_K of a
  search VECTOR_BREADTH times as wide; latency of the first.
With two sizes or more it adds a row for 1M organisations on the measured growth (a power law
through the two largest sizes), and says so.

Usage: .venv/bin/python bench/match.py [--sizes 10000,100000] [--competences-per-org 10]
       .venv/bin/python bench/match.py --uri bolt://HOST:PORT   (a graph loaded before: its
       match latency and recall again, e.g. after a change to the matcher, without a new load)
Targets: p95 under 100 ms at 100k organisations on 2 cores (issue 4); recall@10 >= 0.95.
"""

from __future__ import annotations

import argparse
import math
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph import admin, schema, search, stats, vectors  # noqa: E402
from graph.connection import Graph  # noqa: E402
from graph.server import LocalNeo4j, ServerConfig, free_port  # noqa: E402
from graph.vectors import Encoder  # noqa: E402
from ingest.pipeline import IngestOptions, ingest_path  # noqa: E402
from matching.encoder import get_encoder  # noqa: E402
from matching.evaluation import load_queries  # noqa: E402
from matching.matcher import EVIDENCE_K, VECTOR_BREADTH, MatchRequest, match  # noqa: E402
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


def tree_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def own_rss_bytes() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def recall_at_10(
    matrix: np.ndarray, index_of: dict[str, int], vector: np.ndarray, hits: list[str]
) -> float:
    """Share of the index's hits that are as similar as the exact 10th best (ties count)."""
    similarities = matrix @ vector
    tenth = np.partition(-similarities, 9)[9] * -1
    good = sum(1 for key in hits if similarities[index_of[key]] >= tenth - 1e-5)
    return min(good, 10) / 10


def projected(sizes: list[int], values: list[float], target: int) -> float:
    """`values` at `target` on the power law through the two largest sizes."""
    (x1, y1), (x2, y2) = sorted(zip(sizes, values, strict=True))[-2:]
    exponent = math.log(y2 / y1) / math.log(x2 / x1) if y1 > 0 and y2 > 0 else 1.0
    return y2 * math.pow(target / x2, exponent)


def measure(
    graph: Graph,
    query_encoder: Encoder,
    texts: list[str],
    *,
    size: str,
    load: str,
    disk: str,
    memory: str,
) -> tuple[tuple[str, ...], float]:
    """A table line for a loaded graph (its size, load, disk and memory cells as given) and the
    match p95: warm match latency, the vector index's recall@10 and time against exact cosine
    over the same vectors."""
    # Warm: one whole pass first. Ten matches were not enough on a store just loaded or
    # started (page cache, Neo4j's JIT): p95 fell by a third from the first pass to the third.
    for text in texts:
        match(graph, query_encoder, MatchRequest(text=text), Weights())
    latencies = []
    for text in texts:
        started = time.perf_counter()
        match(graph, query_encoder, MatchRequest(text=text), Weights(), explain_paths=False)
        latencies.append((time.perf_counter() - started) * 1000)

    keys, matrix = all_vectors(graph)
    index_of = {key: i for i, key in enumerate(keys)}
    recalls, wide_recalls, index_ms, brute_ms = [], [], [], []
    for text in texts:
        vector = query_encoder.encode([text], kind="query")[0]
        started = time.perf_counter()
        rows = search.vector_evidence(graph, "Competence", vector.tolist(), 10)
        index_ms.append((time.perf_counter() - started) * 1000)
        # what the matcher does: a search VECTOR_BREADTH times as wide as the EVIDENCE_K kept
        wide = search.vector_evidence(
            graph, "Competence", vector.tolist(), EVIDENCE_K, VECTOR_BREADTH
        )
        wide_hits = [r["key"] for r in sorted(wide, key=lambda r: -r["score"])[:10]]
        wide_recalls.append(recall_at_10(matrix, index_of, vector, wide_hits))
        started = time.perf_counter()
        np.argpartition(-(matrix @ vector), 10)[:10]
        brute_ms.append((time.perf_counter() - started) * 1000)
        recalls.append(recall_at_10(matrix, index_of, vector, [r["key"] for r in rows]))
    cells = (
        size,
        f"{len(keys):,}",
        load,
        disk,
        memory,
        f"{statistics.median(latencies):.0f}",
        f"{percentile(latencies, 0.95):.0f}",
        f"{percentile(latencies, 0.99):.0f}",
        f"{statistics.mean(recalls):.3f} / {statistics.mean(wide_recalls):.3f}",
        f"{statistics.median(index_ms):.1f}",
        f"{statistics.median(brute_ms):.1f}",
        f"{statistics.median(brute_ms) / statistics.median(index_ms):.1f}x",
    )
    return cells, percentile(latencies, 0.95)


HEADER = (
    "orgs",
    "competences",
    "load",
    "disk",
    "RSS neo4j / this",
    "match p50 ms",
    "p95",
    "p99",
    f"recall@10 k=10 / k={EVIDENCE_K} of {round(EVIDENCE_K * VECTOR_BREADTH)}",
    "index ms",
    "brute ms",
    "brute/index",
)


def print_table(lines: list[tuple[str, ...]]) -> None:
    widths = [max(len(r[i]) for r in [*lines, HEADER]) for i in range(len(HEADER))]
    print(" | ".join(h.ljust(w) for h, w in zip(HEADER, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for line in lines:
        print(" | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)))


# The ranking levers of issues 19 and 21 switched off: the matcher whose latency this file
# recorded on 2026-12-02 (64 query words, German analysis only, 25 projects per index,
# reciprocal-rank fusion, no compound words, no exact cosine for full-text hits).
LEVERS_OFF: dict[str, object] = {
    "LEXICAL_MAX_TERMS": 64,
    "LANGUAGE_AWARE": False,
    "PROJECT_SHARE": 0.25,
    "FUSION": "rank",
    "DECOMPOUND": False,
    "COMPLETE_SEMANTIC": False,
}


# Values between off and on, timed like the others (what a middle setting would cost).
LEVERS_HALFWAY: dict[str, object] = {"PROJECT_SHARE": 0.5}


def levers_compared(graph: Graph, query_encoder: Encoder, texts: list[str]) -> list[str]:
    """Warm match p50 / p95 with the levers off, on, and on but for one of them, alternating
    passes in one run (what each lever costs)."""
    from matching import matcher, vocabulary

    now = {name: getattr(matcher, name) for name in LEVERS_OFF}
    # the compound words' vocabulary is read from every indexed text once (then when the
    # number of texts changes): the first match after a load waits for it
    started = time.perf_counter()
    words = vocabulary.read_now(graph)
    vocabulary_s = time.perf_counter() - started
    variants: dict[str, dict[str, object]] = {"off": LEVERS_OFF, "on": now}
    for name, value in [*LEVERS_OFF.items(), *LEVERS_HALFWAY.items()]:
        if now[name] != value:
            variants[f"on but {name}={value}"] = {**now, name: value}
    timings: dict[str, list[float]] = {variant: [] for variant in variants}
    try:
        for round_ in range(4):  # the first round of each warms up and is not counted
            for variant, values in variants.items():
                for name, value in values.items():
                    setattr(matcher, name, value)
                for text in texts:
                    started = time.perf_counter()
                    request = MatchRequest(text=text)
                    match(graph, query_encoder, request, Weights(), explain_paths=False)
                    if round_:
                        timings[variant].append((time.perf_counter() - started) * 1000)
    finally:
        for name, value in now.items():
            setattr(matcher, name, value)
    p = {v: (percentile(t, 0.5), percentile(t, 0.95)) for v, t in timings.items()}
    lines = [
        f"compound vocabulary read in {vocabulary_s:.1f} s ({len(words):,} words)",
        f"levers off: p50 {p['off'][0]:.0f} ms, p95 {p['off'][1]:.0f} ms",
        f"levers on (now): p50 {p['on'][0]:.0f} ms, p95 {p['on'][1]:.0f} ms",
        f"p95 on / off: {p['on'][1] / p['off'][1]:.2f}x",
    ]
    for variant in list(variants)[2:]:
        lines.append(
            f"{variant}: p50 {p[variant][0]:.0f} ms, p95 {p[variant][1]:.0f} ms "
            f"({p[variant][1] / p['off'][1]:.2f}x off)"
        )
    return lines


def measure_loaded(uri: str, texts: list[str]) -> None:
    """The measurements on a graph loaded before (a big one kept, or another server), whose
    credentials come from the environment as for the service: no load, no disk figure."""
    settings = Settings(neo4j_uri=uri)
    query_encoder = get_encoder(settings.model, threads=1)
    with Graph.from_settings(settings) as graph:
        orgs = stats.node_counts(graph).get("Organization", 0)
        cells, _ = measure(
            graph,
            query_encoder,
            texts,
            size=f"{orgs:,} (loaded)",
            load="",
            disk="",
            memory=f"- / {own_rss_bytes() / 2**20:,.0f} MiB",
        )
    print_table([cells])


def main() -> None:
    # SIGTERM (a CI timeout, kill) must still stop the Neo4j this script started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--competences-per-org", type=int, default=10)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--heap", default="3g")
    parser.add_argument("--pagecache", default="4g")
    parser.add_argument(
        "--uri",
        help="measure the graph already loaded at this Neo4j (NEO4J_USER/NEO4J_PASSWORD from "
        "the environment) instead of generating and loading sizes",
    )
    parser.add_argument(
        "--levers",
        action="store_true",
        help="also time match with the ranking levers of issues 19 and 21 off and on, "
        "alternating in the same run, and print the p95 ratio",
    )
    args = parser.parse_args()
    texts = [q.text for q in load_queries(ROOT / "data" / "eval" / "queries.jsonl")]
    texts = texts[: args.queries]
    if args.uri:
        measure_loaded(args.uri, texts)
        return

    work = Path(tempfile.mkdtemp(prefix="partnergraph-bench-match-"))
    settings = Settings(
        _env_file=None,
        neo4j_home=work / "neo4j",
        neo4j_bolt_port=free_port(),
        neo4j_http_port=0,
        neo4j_heap=args.heap,
        neo4j_pagecache=args.pagecache,
    )
    server = LocalNeo4j(ServerConfig.from_settings(settings))
    server.start()
    encoder = get_encoder(settings.model)  # batches for the load: every core
    # queries as the service encodes them: one thread each (see matching.encoder.load_encoder;
    # more threads per short query wait on each other while Neo4j works on the other core)
    query_encoder = get_encoder(settings.model, threads=1)
    lines = []
    measured: list[tuple[int, float, int, int, float]] = []
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

                neo4j_rss = server.status().rss_bytes or 0
                disk = tree_bytes(settings.neo4j_home / "data")
                cells, p95 = measure(
                    graph,
                    query_encoder,
                    texts,
                    size=f"{size:,}",
                    load=f"{load_s:.0f} s ({report.embedded:,} texts)",
                    disk=f"{disk / 2**20:,.0f} MiB",
                    memory=f"{neo4j_rss / 2**20:,.0f} / {own_rss_bytes() / 2**20:,.0f} MiB",
                )
                measured.append((size, load_s, disk, neo4j_rss, p95))
                if args.levers:
                    for line in levers_compared(graph, query_encoder, texts):
                        print(f"{size:,}: {line}", flush=True)
                lines.append(cells)
                print(" | ".join(cells), file=sys.stderr, flush=True)  # kept if a later size fails
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    if len(measured) >= 2:
        sizes = [m[0] for m in measured]
        target = 1_000_000

        def at_1m(i: int) -> float:
            return projected(sizes, [float(m[i]) for m in measured], target)

        lines.append(
            (
                "1,000,000 (projected)",
                f"{target * args.competences_per_org:,}",
                f"{at_1m(1) / 3600:.1f} h",
                f"{at_1m(2) / 2**30:,.1f} GiB",
                "(heap + page cache)",
                "",
                f"{at_1m(4):.0f}",
                "",
                "",
                "",
                "",
                "",
            )
        )
    print_table(lines)


if __name__ == "__main__":
    main()
