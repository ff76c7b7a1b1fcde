"""Faults: Neo4j killed in the middle of an ingest. The load stops with a clear error, the graph
holds only whole batches, and running the same load again gives exactly the graph of a clean
run."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from graph import admin, schema
from graph.connection import Graph
from graph.dump import dump
from graph.server import LocalNeo4j, ServerConfig
from ingest.pipeline import IngestOptions, ingest_path
from ingest.synthetic import SampleSpec, write_scaled
from partnergraph.errors import GraphUnavailable
from tests.support import local_test_settings

BATCH = 300


@pytest.mark.slow
@pytest.mark.parametrize(
    "cut",
    [
        # after every organisation is written, before their parent links and hashes
        ("writing Organization", None),
        # in the middle of the competences
        ("writing Competence", 2 * BATCH),
    ],
    ids=["before-parent-links", "mid-competences"],
)
def test_a_load_cut_by_a_crash_completes_to_the_clean_graph_when_run_again(
    tmp_path: Path, cut: tuple[str, int | None]
) -> None:
    data = tmp_path / "data"
    write_scaled(SampleSpec.scaled(1200), data)
    settings = local_test_settings(tmp_path / "neo4j", neo4j_http_port=0, neo4j_connect_timeout_s=2)
    server = LocalNeo4j(ServerConfig.from_settings(settings))
    server.start()
    options = IngestOptions(source="sample", batch_size=BATCH)
    try:
        with Graph.from_settings(settings) as graph:
            schema.init_schema(graph)
            ingest_path(graph, data, options, None)
            clean = dump(graph)
            admin.delete_everything(graph)
            schema.init_schema(graph)

        organizations = sum(1 for _ in (data / "organizations.csv").open()) - 1
        at, after_rows = cut[0], cut[1] or organizations
        written: dict[str, int] = {}

        def crash(what: str, rows: int) -> None:
            written[what] = written.get(what, 0) + rows
            if what == at and written[what] == after_rows:
                pid = server.status().pid
                assert pid is not None
                os.kill(pid, signal.SIGKILL)
                while server.status().running:
                    time.sleep(0.05)

        with (
            Graph.from_settings(settings) as graph,
            pytest.raises(GraphUnavailable, match="not reachable"),
        ):
            ingest_path(graph, data, options, None, crash)

        server.start()
        with Graph.from_settings(settings) as graph:
            # whole batches only: each label holds all its rows or whole batches of them
            for row in graph.read(
                "MATCH (n) WHERE n:Organization OR n:Competence OR n:Need OR n:Project "
                "RETURN labels(n)[0] AS label, count(n) AS n"
            ):
                assert row["n"] % BATCH == 0 or row["n"] == organizations, row
            assert written[at] == after_rows

            report = ingest_path(graph, data, options, None)
            assert report.ok
            assert dump(graph) == clean
    finally:
        server.stop()
