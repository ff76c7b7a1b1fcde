"""Load: concurrent clients against `POST /api/v1/match` and the explorer's neighbourhood on
loopback, with the network sample loaded; throughput, p50/p95/p99 and errors per stage.

It starts its own Neo4j in a temporary folder, loads the sample with embeddings, starts the
service as `partnergraph serve` (PARTNERGRAPH_WORKERS processes, NEO4J_POOL_SIZE connections
each), makes a staff key, and runs one stage per concurrency level: every client sends requests
back to back for `--seconds` (4 in 5 a match of a judged need, 1 in 5 an explorer
neighbourhood of a random organisation), with `--think-s` between requests (0: back to back, a
stress test; 1: people reading the answer). Ratios compare each stage's throughput with one
client.

Usage: .venv/bin/python bench/load.py [--clients 1,5,20,50] [--seconds 15] [--workers 2]
       [--think-s 0] [--warmup-s 30]
Target (issue 7): no errors, p99 under 300 ms at 20 clients.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph import admin, schema, stats  # noqa: E402
from graph.connection import Graph  # noqa: E402
from graph.server import LocalNeo4j, ServerConfig, free_port  # noqa: E402
from ingest.pipeline import IngestOptions, ingest_path  # noqa: E402
from matching.encoder import get_encoder  # noqa: E402
from matching.evaluation import load_queries  # noqa: E402
from partnergraph.settings import Settings  # noqa: E402
from sample.generator import SampleSpec, write_scaled  # noqa: E402
from service.auth import Role, add_key  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


@dataclass
class Timings:
    """One endpoint's answers in a stage: the times of those that worked, the failures."""

    ms: list[float] = field(default_factory=list)
    errors: int = 0


async def stage(
    base: str,
    key: str,
    clients: int,
    seconds: float,
    texts: list[str],
    orgs: list[str],
    think_s: float = 0.0,
    failures: collections.Counter[str] | None = None,
) -> dict[str, Timings]:
    """One stage; `failures` counts what each failed request got (an error count alone
    explains nothing)."""
    results = {"match": Timings(), "neighbourhood": Timings()}
    deadline = time.perf_counter() + seconds
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(number: int, http: httpx.AsyncClient) -> None:
        pick = random.Random(number)
        if think_s:
            # people do not all press the button in the same millisecond: spread the starts
            await asyncio.sleep(think_s * pick.random())
        while time.perf_counter() < deadline:
            if pick.random() < 0.8:
                name = "match"
                request = http.post(
                    f"{base}/api/v1/match", json={"text": pick.choice(texts), "limit": 10}
                )
            else:
                name = "neighbourhood"
                request = http.get(
                    f"{base}/api/v1/graph/neighbourhood",
                    params={"key": pick.choice(orgs), "depth": 1},
                )
            started = time.perf_counter()
            why = ""
            try:
                response = await request
                if response.status_code >= 400:
                    why = f"{response.status_code} {response.text[:120]}"
            except httpx.HTTPError as error:
                why = f"{type(error).__name__} {error}"[:160]
            elapsed = (time.perf_counter() - started) * 1000
            entry = results[name]
            if why:
                entry.errors += 1
                if failures is not None:
                    failures[f"{name}, {clients} clients: {why}"] += 1
            else:
                entry.ms.append(elapsed)
            if think_s:
                # a person reads the answer before the next request: 0.5x to 1.5x think_s
                await asyncio.sleep(think_s * (0.5 + pick.random()))

    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=30) as http:
        await asyncio.gather(*(client(n, http) for n in range(clients)))
    return results


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", default="1,5,20,50")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pool", type=int, default=50)
    parser.add_argument("--warmup-s", type=float, default=30, help="requests before the stages")
    parser.add_argument(
        "--think-s",
        type=float,
        default=0.0,
        help="pause of each client between requests (0: back to back, a stress test)",
    )
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",") if c]

    work = Path(tempfile.mkdtemp(prefix="partnergraph-bench-load-"))
    settings = Settings(
        _env_file=None,
        neo4j_home=work / "neo4j",
        neo4j_bolt_port=free_port(),
        neo4j_http_port=0,
        neo4j_heap="1g",
        neo4j_pagecache="512m",
    )
    server = LocalNeo4j(ServerConfig.from_settings(settings))
    server.start()
    service: subprocess.Popen[bytes] | None = None
    rows = []
    failures: collections.Counter[str] = collections.Counter()
    try:
        with Graph.from_settings(settings) as graph:
            admin.delete_everything(graph)
            schema.init_schema(graph)
            sample = work / "sample"
            write_scaled(SampleSpec.network(), sample)
            ingest_path(graph, sample, IngestOptions(source="sample"), get_encoder(settings.model))
            schema.await_indexes(graph)
            _, key = add_key(graph, "bench", Role.staff)
            orgs = stats.organization_keys(graph)
            print(f"sample loaded: {len(orgs):,} organisations", file=sys.stderr)

        port = free_port()
        environment = {
            **os.environ,
            "NEO4J_URI": settings.bolt_uri,
            "NEO4J_PASSWORD": settings.neo4j_secret(),
            "PARTNERGRAPH_WORKERS": str(args.workers),
            "NEO4J_POOL_SIZE": str(args.pool),
            "PARTNERGRAPH_PORT": str(port),
        }
        service = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "partnergraph"), "serve"],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        texts = [q.text for q in load_queries(ROOT / "data" / "eval" / "queries.jsonl")]
        # Warm every worker (the encoder loads on first use) and Neo4j (its JIT compiles the
        # queries over the first thousand runs): a service runs for weeks, and the stages should
        # measure that, not the first minute after a start.
        asyncio.run(stage(base, key, args.workers * 4, args.warmup_s, texts, orgs))
        single = None
        for clients in levels:
            result = asyncio.run(
                stage(base, key, clients, args.seconds, texts, orgs, args.think_s, failures)
            )
            total = sum(len(r.ms) for r in result.values())
            throughput = total / args.seconds
            single = single or throughput
            for name, entry in result.items():
                ms = entry.ms
                rows.append(
                    (
                        str(clients),
                        name,
                        f"{len(ms) / args.seconds:.1f}",
                        f"{percentile(ms, 0.5):.0f}",
                        f"{percentile(ms, 0.95):.0f}",
                        f"{percentile(ms, 0.99):.0f}",
                        str(entry.errors),
                        f"{throughput / single:.2f}" if name == "match" else "",
                    )
                )
    finally:
        if service is not None:
            service.terminate()
            service.wait(timeout=30)
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    header = ("clients", "endpoint", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "total/1")
    widths = [max(len(r[i]) for r in [*rows, header]) for i in range(len(header))]
    print(
        f"workers {args.workers}, pool {args.pool}, {args.seconds:.0f} s per stage, "
        f"think {args.think_s:g} s, {os.cpu_count()} cores"
    )
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    for reason, count in failures.most_common():
        print(f"error x{count}: {reason}")


if __name__ == "__main__":
    main()
