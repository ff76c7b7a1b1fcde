"""What each ranking lever changes, on a graph loaded before: nDCG@10 per mode and wording.

Each row switches one more lever on (cumulative, in the order given) and evaluates every
wording's queries of one split with `matching.evaluation.evaluate`, the BM25 reference
(`matching.bm25`) computed in the same run from the same texts. Tune on `--split dev`.

Usage (the real dev set loaded into a graph of its own first, see README "## Matching"):
  .venv/bin/python bench/levers.py --uri bolt://127.0.0.1:7791 --password-file H/neo4j-password \\
      --queries D/queries-objective.jsonl,D/queries-short.jsonl --qrels D/qrels.tsv --split dev
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph import schema  # noqa: E402
from graph.connection import Graph  # noqa: E402
from matching import matcher, scoring  # noqa: E402
from matching.bm25 import reference_for  # noqa: E402
from matching.encoder import get_encoder  # noqa: E402
from matching.evaluation import evaluate, load_qrels, load_queries  # noqa: E402
from partnergraph.settings import Settings  # noqa: E402


def _set(module: object, name: str, value: object) -> Callable[[], None]:
    return lambda: setattr(module, name, value)


# (label, how to switch it on); applied cumulatively, in this order
LEVERS: list[tuple[str, Callable[[], None]]] = [
    ("before (German analyzer, 64 words, 25 projects)", lambda: None),
    ("+ every query word (up to 1024)", _set(matcher, "LEXICAL_MAX_TERMS", 1024)),
    ("+ language-aware analysis", _set(matcher, "LANGUAGE_AWARE", True)),
    ("+ 100 projects per index", _set(matcher, "PROJECT_SHARE", 1.0)),
    ("+ fusion by scaled scores, not ranks", _set(matcher, "FUSION", "score")),
    ("+ compound words (query words the index lacks)", _set(matcher, "DECOMPOUND", True)),
    ("+ exact cosine for full-text-only hits", _set(matcher, "COMPLETE_SEMANTIC", True)),
    ("+ lexical weight 1.0 (not adopted)", lambda: None),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--uri", required=True)
    parser.add_argument("--password-file", type=Path, required=True)
    parser.add_argument("--queries", required=True, help="comma-separated query files")
    parser.add_argument("--qrels", type=Path, required=True)
    parser.add_argument("--split", default="dev")
    parser.add_argument("--model", default="use-multilingual")
    parser.add_argument("--levers", type=int, default=len(LEVERS))
    parser.add_argument("--skip", type=int, default=0, help="switch on the first N, unprinted")
    args = parser.parse_args()
    settings = Settings(neo4j_uri=args.uri, neo4j_password=args.password_file.read_text().strip())
    encoder = get_encoder(args.model)
    qrels = load_qrels(args.qrels)
    files = [Path(f) for f in args.queries.split(",")]
    matcher.LEXICAL_MAX_TERMS, matcher.LANGUAGE_AWARE, matcher.PROJECT_SHARE = 64, False, 0.25
    matcher.FUSION = "rank"
    matcher.DECOMPOUND = matcher.COMPLETE_SEMANTIC = False
    weights = scoring.Weights()
    with Graph.from_settings(settings) as graph:
        schema.init_schema(graph, force=True)
        schema.await_indexes(graph)
        reference = reference_for(graph)
        header = ["lever"] + [
            f"{f.stem.removeprefix('queries-')} {m}"
            for f in files
            for m in ("lexical", "semantic", "fused+graph", "bm25", "ratio")
        ]
        print("| " + " | ".join(header) + " |")
        print("|" + "|".join(["---"] + ["---:"] * (len(header) - 1)) + "|")
        for label, switch_on in LEVERS[: args.skip]:
            switch_on()
            if label.startswith("+ lexical weight"):
                weights = scoring.Weights(lexical=1.0)
        for label, switch_on in LEVERS[args.skip : args.levers]:
            switch_on()
            if label.startswith("+ lexical weight"):
                weights = scoring.Weights(lexical=1.0)
            cells = [label]
            started = time.perf_counter()
            for path in files:
                chosen = [q for q in load_queries(path) if args.split in ("all", q.split)]
                result = evaluate(graph, encoder, chosen, qrels, weights, reference=reference)
                ndcg = {row: means["nDCG@10"] for row, means in result.overall.items()}
                cells += [f"{ndcg[m]:.1f}" for m in ("lexical", "semantic", "fused+graph", "bm25")]
                cells.append(f"{ndcg['fused+graph'] / max(ndcg['bm25'], 0.1):.2f}x")
            print("| " + " | ".join(cells) + " |", flush=True)
            print(f"  ({time.perf_counter() - started:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
