"""Matching quality must not drop more than 2 points below the recorded figures: on the judged
set (data/eval, the network sample) and on real cooperation (the CORDIS dev set's dev split)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from graph.connection import Graph
from matching.bm25 import reference_for
from matching.encoder import get_encoder
from matching.evaluation import evaluate, load_qrels, load_queries
from matching.scoring import Weights
from sample.generator import SampleSpec, write_scaled
from tests.ingest_support import run_ingest

EVAL = Path(__file__).parents[1] / "data" / "eval"


@pytest.mark.slow
def test_fused_and_graph_ranking_holds_its_recorded_quality(graph: Graph, tmp_path: Path) -> None:
    recorded = json.loads((EVAL / "recorded.json").read_text(encoding="utf-8"))
    encoder = get_encoder("use-multilingual")
    assert encoder.name == recorded["model"]
    write_scaled(SampleSpec.network(), tmp_path / "sample")
    assert run_ingest(graph, tmp_path / "sample", encoder, source="sample").ok
    queries = [q for q in load_queries(EVAL / "queries.jsonl") if q.split == "test"]
    result = evaluate(graph, encoder, queries, load_qrels(EVAL / "qrels.tsv"), Weights())
    assert result.queries == recorded["queries"]
    now = result.overall["fused+graph"]["nDCG@10"]
    assert now >= recorded["overall"]["fused+graph"]["nDCG@10"] - 2.0, result.overall
    # fusion must beat either retriever alone
    assert result.overall["fused"]["nDCG@10"] > result.overall["lexical"]["nDCG@10"]
    assert result.overall["fused"]["nDCG@10"] > result.overall["semantic"]["nDCG@10"]


# The real-data dev set (CORDIS Horizon Europe; see its README). Source: CORDIS, European
# Commission. © European Union, reused under CC BY 4.0.
REAL = Path(os.environ.get("PARTNERGRAPH_REALDATA", EVAL.parents[2] / "shared/realdata"))
CORDIS = REAL / "cordis-he-dev"


@pytest.mark.slow
@pytest.mark.skipif(not CORDIS.is_dir(), reason=f"the real dev set is not at {CORDIS}")
def test_ranking_holds_its_recorded_quality_on_real_cooperation(
    graph: Graph,
) -> None:
    recorded = json.loads((EVAL / "recorded-cordis.json").read_text(encoding="utf-8"))
    encoder = get_encoder("use-multilingual")
    assert encoder.name == recorded["model"]
    assert run_ingest(graph, CORDIS / "corpus", encoder, source="cordis").ok
    reference = reference_for(graph)
    qrels = load_qrels(CORDIS / "qrels.tsv")
    for wording, figures in recorded["wordings"].items():
        queries = [
            q
            for q in load_queries(CORDIS / f"queries-{wording}.jsonl")
            if q.split == recorded["split"]
        ]
        result = evaluate(
            graph, encoder, queries, qrels, Weights(), modes=("fused+graph",), reference=reference
        )
        now = result.overall["fused+graph"]["nDCG@10"]
        assert now >= figures["fused+graph"] - 2.0, (wording, result.overall)
        # the BM25 reference, computed alongside, must come out as recorded (same texts)
        assert abs(result.overall["bm25"]["nDCG@10"] - figures["bm25"]) <= 0.5, result.overall
