"""Matching quality on the judged set must not drop below the recorded figure (2 points)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.connection import Graph
from ingest.synthetic import SampleSpec, write_scaled
from matching.encoder import get_encoder
from matching.evaluation import evaluate, load_qrels, load_queries
from matching.scoring import Weights
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
