"""Community detection at scale (issue 22).

Detection: `graph.clustering` on synthetic organisation graphs (planted communities of
about 40 organisations, each with ~6 ties inside and ~1 outside, weights as cooperation and
shared projects give them; no Neo4j, no competence vectors) at 10k and 100k organisations:
seconds for Leiden alone, and for the whole `cluster` (labels, layout, betweenness, bridges).
Baseline in the same run: igraph's Louvain (`community_multilevel`) on the same graph; also
the modularity both reach.

The explorer's frame time at 1k / 5k / 10k nodes is measured on the real page by
`bench/frames.py`.

Usage: .venv/bin/python bench/communities.py [--sizes 10000,100000]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import igraph as ig  # noqa: E402

from graph import clustering  # noqa: E402


def synthetic(n: int, seed: int = 7) -> tuple[list[clustering.Org], dict[tuple[str, str], float]]:
    rng = random.Random(seed)
    size = 40
    keys = [f"o{i:06d}" for i in range(n)]
    trades = [f"Gewerk {i}" for i in range(40)]
    orgs = [
        clustering.Org(key=k, trades=(trades[(i // size) % 40],), competences=(f"Thema {i % 97}",))
        for i, k in enumerate(keys)
    ]
    weights: dict[tuple[str, str], float] = {}
    for i, a in enumerate(keys):
        block = i // size
        for _ in range(3):  # ~6 ties inside per organisation (each counted from both ends)
            j = block * size + rng.randrange(size)
            if j < n and j != i:
                b = keys[j]
                weights[(min(a, b), max(a, b))] = rng.choice((3.0, 1.0, 0.5))
        if rng.random() < 0.5:  # ~1 tie outside
            b = keys[rng.randrange(n)]
            if b != a:
                weights[(min(a, b), max(a, b))] = 0.5
    return orgs, weights


def detection(sizes: list[int]) -> None:
    print("\n## Community detection (synthetic graphs, 2 cores)\n")
    print(
        "| organisations | ties | Louvain s (baseline) | Leiden s | ratio | "
        "modularity Louvain / Leiden | communities | whole `cluster` s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        orgs, weights = synthetic(n)
        keys = [o.key for o in orgs]
        index = {k: i for i, k in enumerate(keys)}
        g = ig.Graph(n=n, edges=[(index[a], index[b]) for a, b in weights])
        g.es["weight"] = list(weights.values())
        started = time.perf_counter()
        louvain = g.community_multilevel(weights="weight")
        louvain_s = time.perf_counter() - started
        started = time.perf_counter()
        groups = clustering.detect(keys, weights)
        leiden_s = time.perf_counter() - started
        membership = [0] * n
        for c, members in enumerate(groups):
            for k in members:
                membership[index[k]] = c
        q_leiden = g.modularity(membership, weights="weight")
        started = time.perf_counter()
        clustering.cluster(orgs, weights)
        whole_s = time.perf_counter() - started
        print(
            f"| {n:,} | {len(weights):,} | {louvain_s:.2f} | {leiden_s:.2f} | "
            f"{leiden_s / louvain_s:.2f} | {louvain.modularity:.3f} / {q_leiden:.3f} | "
            f"{len(groups):,} | {whole_s:.1f} |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    args = parser.parse_args()
    detection([int(s) for s in args.sizes.split(",")])


if __name__ == "__main__":
    main()
