"""`partnergraph eval --data DIR --queries FILE --qrels FILE`: any judged canonical data set."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from graph.connection import Graph
from partnergraph.cli import app
from partnergraph.settings import Settings

from .test_cli import cli_env

FIXTURES = Path(__file__).parent / "fixtures"

QUERIES = [
    {"id": "x1", "text": "Wer kann dünne Edelstahlbleche mit dem Laser schweißen?", "lang": "de"},
    {"id": "x2", "text": "We need a PV installer for our warehouse roof", "lang": "en"},
    {"id": "x3", "text": "Kamerasystem prüft Oberflächen automatisch auf Kratzer", "lang": "de"},
]
QRELS = """# query\torganisation\tgrade
x1\tchair-fuegetechnik\t2
x1\tfak-mb-dortmund\t1
x2\torg-elektro\t2
x3\torg-datalab\t2
"""


def test_eval_scores_a_judged_canonical_folder_given_on_the_command_line(
    neo4j_settings: Settings, graph: Graph, tmp_path: Path
) -> None:
    queries = tmp_path / "queries.jsonl"
    queries.write_text(
        "".join(json.dumps(q, ensure_ascii=False) + "\n" for q in QUERIES), encoding="utf-8"
    )
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text(QRELS, encoding="utf-8")

    result = CliRunner().invoke(
        app,
        [
            "eval",
            "--data",
            str(FIXTURES / "canonical"),
            "--queries",
            str(queries),
            "--qrels",
            str(qrels),
            "--split",
            "all",
            "--json",
        ],
        env=cli_env(neo4j_settings),
    )

    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["queries"] == 3
    assert set(scores["overall"]) == {"lexical", "semantic", "fused", "fused+graph", "bm25"}
    assert scores["load_s"] > 0
    assert 0 < scores["ms_per_query"]["p50"] <= scores["ms_per_query"]["p95"]
    # Three plain needs on eight organisations: every judged partner is found, near the top.
    assert scores["overall"]["fused+graph"]["Recall@10"] == 100.0
    assert scores["overall"]["fused+graph"]["MRR"] >= 75.0
    assert graph.read("MATCH (o:Organization {source: 'eval'}) RETURN count(o) AS n")[0]["n"] == 8


def test_eval_refuses_a_data_folder_with_invalid_rows(
    neo4j_settings: Settings, graph: Graph, tmp_path: Path
) -> None:
    queries = tmp_path / "queries.jsonl"
    queries.write_text(json.dumps(QUERIES[0]) + "\n", encoding="utf-8")
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text(QRELS, encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir()
    (data / "organizations.csv").write_text(
        "key;name;kind;postcode\norg-1;Firma Eins (fiktiv);company;12\n", encoding="utf-8"
    )

    result = CliRunner().invoke(
        app,
        ["eval", "--data", str(data), "--queries", str(queries), "--qrels", str(qrels)],
        env=cli_env(neo4j_settings),
    )

    assert result.exit_code == 2
    assert "organizations.csv:2:postcode" in result.output
    assert graph.read("MATCH (o:Organization) RETURN count(o) AS n")[0]["n"] == 0


def test_eval_refuses_to_load_into_a_configured_database_that_holds_organisations(
    neo4j_settings: Settings, graph: Graph, tmp_path: Path
) -> None:
    graph.write("CREATE (:Organization {key: 'already-here', name: 'Alt GmbH', kind: 'company'})")
    queries = tmp_path / "queries.jsonl"
    queries.write_text(json.dumps(QUERIES[0]) + "\n", encoding="utf-8")
    qrels = tmp_path / "qrels.tsv"
    qrels.write_text(QRELS, encoding="utf-8")
    arguments = ["eval", "--data", str(FIXTURES / "canonical"), "--queries", str(queries)]
    arguments += ["--qrels", str(qrels), "--split", "all", "--json"]

    loaded = "MATCH (o:Organization {source: 'eval'}) RETURN count(o) AS n"

    refused = CliRunner().invoke(app, arguments, env=cli_env(neo4j_settings))
    assert refused.exit_code != 0
    assert "already holds organisations" in str(refused.exception) + refused.output
    assert graph.read(loaded)[0]["n"] == 0

    forced = CliRunner().invoke(app, [*arguments, "--force"], env=cli_env(neo4j_settings))
    assert forced.exit_code == 0, forced.output
    assert graph.read(loaded)[0]["n"] == 8
