"""The `partnergraph` command against the session's Neo4j."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from typer.testing import CliRunner

from graph.connection import Graph
from graph.server import free_port
from partnergraph.cli import app
from partnergraph.settings import Settings


def cli_env(settings: Settings) -> dict[str, str]:
    return {
        "NEO4J_URI": settings.bolt_uri,
        "NEO4J_USER": settings.neo4j_user,
        "NEO4J_PASSWORD": settings.neo4j_secret(),
        "NEO4J_DATABASE": settings.neo4j_database,
    }


def test_db_init_then_stats_json_counts_labels_and_types(
    neo4j_settings: Settings, graph: Graph
) -> None:
    graph.write("CREATE (:Organization {key: 'a'})-[:PART_OF]->(:Organization {key: 'b'})")
    runner = CliRunner()
    env = cli_env(neo4j_settings)
    assert runner.invoke(app, ["db", "init"], env=env).exit_code == 0
    result = runner.invoke(app, ["db", "stats", "--json"], env=env)
    assert result.exit_code == 0, result.output
    counts = json.loads(result.stdout)
    assert counts["nodes"]["Organization"] == 2
    assert counts["relationships"] == {"PART_OF": 1}


def test_db_stats_prints_a_table(neo4j_settings: Settings, graph: Graph) -> None:
    graph.write("CREATE (:Trade {code: 'A01'})")
    result = CliRunner().invoke(app, ["db", "stats"], env=cli_env(neo4j_settings))
    assert result.exit_code == 0
    assert "Trade" in result.stdout


def test_neo4j_status_reports_the_local_server(neo4j_settings: Settings) -> None:
    env = {
        "NEO4J_BOLT_PORT": str(neo4j_settings.neo4j_bolt_port),
        "NEO4J_HTTP_PORT": str(neo4j_settings.neo4j_http_port),
        "NEO4J_HOME": str(neo4j_settings.neo4j_home),
        "NEO4J_PASSWORD": neo4j_settings.neo4j_secret(),
    }
    if not neo4j_settings.uses_local_server:
        return
    result = CliRunner().invoke(app, ["neo4j", "status", "--json"], env=env)
    assert result.exit_code == 0, result.output
    status = json.loads(result.stdout)
    assert status["running"] and status["answers"] and status["pid"] > 0


def test_neo4j_commands_refuse_to_manage_a_remote_server() -> None:
    result = CliRunner().invoke(app, ["neo4j", "status"], env={"NEO4J_URI": "bolt://db:7687"})
    assert result.exit_code != 0


def test_errors_are_one_clear_line_not_a_traceback() -> None:
    env = {
        **os.environ,
        "NEO4J_URI": f"bolt://127.0.0.1:{free_port()}",
        "NEO4J_CONNECT_TIMEOUT_S": "1",
    }
    result = subprocess.run(
        [sys.executable, "-m", "partnergraph", "db", "stats"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "error:" in result.stderr and "is not reachable" in result.stderr
    assert "Traceback" not in result.stderr


def test_ingest_reports_rejected_rows_with_location_and_exit_code_2(
    neo4j_settings: Settings, graph: Graph
) -> None:
    folder = "tests/fixtures/malformed/bad_postcode"
    result = CliRunner().invoke(app, ["ingest", folder, "--no-embed"], env=cli_env(neo4j_settings))
    assert result.exit_code == 2
    assert "organizations.csv:3:postcode: '441' is not a German postcode" in result.stderr
    assert "nothing of it was written" in result.stderr
    # the postcode is optional: --skip-invalid would load every row, one without its postcode
    assert "--skip-invalid would keep 2 rows whole, 1 with dropped cells, and drop 0" in (
        result.stderr
    )
    assert graph.read("MATCH (o:Organization) RETURN count(o) AS n") == [{"n": 0}]


def test_ingest_prints_a_summary_per_label(neo4j_settings: Settings, graph: Graph) -> None:
    result = CliRunner().invoke(
        app, ["ingest", "tests/fixtures/canonical", "--no-embed"], env=cli_env(neo4j_settings)
    )
    assert result.exit_code == 0, result.output
    assert "Organization" in result.stdout and "created" in result.stdout


def test_dedupe_report_labels_pairs_by_source_and_link_not_by_score(
    neo4j_settings: Settings, graph: Graph
) -> None:
    # Two exports of one region: ingest links Kemper (same postcode) but not Schäfer, whose
    # city the two spell differently (ingest compares cities exactly; the review folds them).
    runner = CliRunner()
    env = cli_env(neo4j_settings)
    for source in ("crm", "ihk"):
        loaded = runner.invoke(
            app, ["ingest", f"tests/fixtures/dedupe/{source}", "--no-embed"], env=env
        )
        assert loaded.exit_code == 0, loaded.output
    result = runner.invoke(app, ["dedupe", "--json"], env=env)
    assert result.exit_code == 0, result.output
    pairs = {(row["a"], row["b"]): row for row in json.loads(result.stdout)}
    assert {pair: row["status"] for pair, row in pairs.items()} == {
        ("crm-1", "ihk-1"): "SAME_AS",
        ("crm-2", "crm-3"): "same source",
        ("crm-2", "ihk-2"): "to confirm",
        ("crm-3", "ihk-2"): "to confirm",
    }
    assert pairs[("crm-2", "ihk-2")]["score"] >= 0.9 and not pairs[("crm-2", "ihk-2")]["linked"]
    assert pairs[("crm-1", "ihk-1")]["linked"]

    table = runner.invoke(app, ["dedupe", "--report"], env=env)
    assert table.exit_code == 0, table.output
    lines = {line for line in table.stdout.splitlines() if "crm-2" in line and "ihk-2" in line}
    assert lines and all("to confirm" in line for line in lines), table.stdout


def test_needs_pending_lists_unreleased_needs_and_release_proposed_releases_them(
    neo4j_settings: Settings, graph: Graph
) -> None:
    from graph import needs
    from matching.encoder import get_encoder
    from tests.ingest_support import CANONICAL, run_ingest

    assert run_ingest(graph, CANONICAL, get_encoder("use-multilingual")).ok
    env = cli_env(neo4j_settings)
    runner = CliRunner()
    pending = runner.invoke(app, ["needs", "pending"], env=env)
    assert pending.exit_code == 0, pending.output
    assert {"need-verzug", "need-inspect"} <= set(pending.stdout.split())
    assert "need-pv" not in pending.stdout  # public: nothing to release
    refused = runner.invoke(app, ["needs", "release-proposed"], env=env, input="n\n")
    assert refused.exit_code == 1 and needs.needs_to_release(graph)
    released = runner.invoke(app, ["needs", "release-proposed", "--yes"], env=env)
    assert released.exit_code == 0, released.output
    assert needs.needs_to_release(graph) == []
    verzug = needs.need_with_company(graph, "need-verzug")
    assert verzug is not None and verzug["need"]["shared_text"]
    assert "Brandt" not in verzug["need"]["shared_text"]
