"""Faults: Neo4j killed in the middle of an ingest. The load stops with a clear error, the graph
holds only whole batches, and running the same load again gives exactly the graph of a clean
run.

Two ways to cut: from the progress callback (between two batches, after one committed), and
from a second thread while a write transaction is in flight (the server dies under it)."""

from __future__ import annotations

import contextlib
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from graph import admin, schema, writes
from graph.connection import Graph
from graph.dump import dump
from graph.server import LocalNeo4j
from ingest.pipeline import IngestOptions, ingest_path
from partnergraph.errors import GraphUnavailable
from partnergraph.settings import Settings
from sample.generator import SampleSpec, write_scaled
from tests.support import crash

BATCH = 300


# Clean dumps by (data folder, batch size): the parametrised cuts share one uncut load.
_CLEAN: dict[tuple[Path, int], dict[str, list[Any]]] = {}


def clean_run(settings: Settings, data: Path, options: IngestOptions) -> dict[str, list[Any]]:
    """The dump of an uncut load; the graph is emptied again afterwards."""
    known = _CLEAN.get((data, options.batch_size))
    if known is not None:
        return known
    with Graph.from_settings(settings) as graph:
        ingest_path(graph, data, options, None)
        clean = dump(graph)
        admin.delete_everything(graph)
        schema.init_schema(graph)
    _CLEAN[(data, options.batch_size)] = clean
    return clean


@pytest.fixture(scope="module")
def scaled_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample at 1,200 organisations, written once for the cuts that load it."""
    data = tmp_path_factory.mktemp("faults") / "data"
    write_scaled(SampleSpec.scaled(1200), data)
    return data


def row_count(graph: Graph, label: str) -> int:
    return int(graph.read("MATCH (n:$($label)) RETURN count(n) AS n", label=label)[0]["n"])


def assert_whole_batches(graph: Graph, batch: int, organizations: int) -> None:
    """Each label holds all its rows or whole batches of them."""
    for row in graph.read(
        "MATCH (n) WHERE n:Organization OR n:Competence OR n:Need OR n:Project "
        "RETURN labels(n)[0] AS label, count(n) AS n"
    ):
        assert row["n"] % batch == 0 or row["n"] == organizations, row


def assert_run_again_gives(
    graph: Graph, data: Path, options: IngestOptions, clean: dict[str, list[Any]]
) -> None:
    report = ingest_path(graph, data, options, None)
    assert report.ok
    assert dump(graph) == clean


def organizations_in(data: Path) -> int:
    with (data / "organizations.csv").open(encoding="utf-8") as handle:
        return sum(1 for _ in handle) - 1


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
    killable_neo4j: tuple[LocalNeo4j, Settings], scaled_data: Path, cut: tuple[str, int | None]
) -> None:
    server, settings = killable_neo4j
    data = scaled_data
    options = IngestOptions(source="sample", batch_size=BATCH)
    clean = clean_run(settings, data, options)

    organizations = organizations_in(data)
    at, after_rows = cut[0], cut[1] or organizations
    written: dict[str, int] = {}

    def cut_here(what: str, rows: int) -> None:
        written[what] = written.get(what, 0) + rows
        if what == at and written[what] == after_rows:
            crash(server)

    with (
        Graph.from_settings(settings) as graph,
        pytest.raises(GraphUnavailable, match="not reachable"),
    ):
        ingest_path(graph, data, options, None, cut_here)

    server.start()
    with Graph.from_settings(settings) as graph:
        assert_whole_batches(graph, BATCH, organizations)
        assert written[at] == after_rows
        assert_run_again_gives(graph, data, options, clean)


# The in-flight cut: a transaction of the test creates (and holds, uncommitted) an organisation
# with the first key of the chosen batch, so that batch's write reaches the server and waits
# there on the key's uniqueness lock; the kill then lands inside it, however fast or loaded the
# machine is. Timing the kill against a batch's duration raced on busy machines.
LARGE_BATCH = 500
IN_FLIGHT = 3  # the third batch: by then at least one batch has committed (two run at once)
WAITING = 1.0  # seconds for the held batch to reach the server and queue on the lock


@pytest.mark.slow
def test_a_load_killed_while_a_write_transaction_is_in_flight_keeps_only_whole_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, killable_neo4j: tuple[LocalNeo4j, Settings]
) -> None:
    data = tmp_path / "data"
    write_scaled(SampleSpec.scaled(4 * LARGE_BATCH + 150, competences_per_org=1), data)
    organizations = organizations_in(data)
    options = IngestOptions(source="sample", batch_size=LARGE_BATCH)
    create = writes.create_organizations

    server, settings = killable_neo4j
    with Graph.from_settings(settings) as holder:
        clean = clean_run(settings, data, options)

        lock = threading.Lock()
        sending, finished = threading.Event(), threading.Event()
        sent: list[list[str]] = []  # the keys of each batch, in the order they went out
        committed: list[list[str]] = []
        held = holder.driver.session(database=holder.database)

        def watched(graph: Graph, rows: list[dict[str, Any]]) -> None:
            keys = [row["props"]["key"] for row in rows]
            with lock:  # two writers: number the batches one at a time
                sent.append(keys)
                number = len(sent)
            if number == IN_FLIGHT:
                blocking = held.begin_transaction()
                blocking.run("CREATE (:Organization {key: $key})", key=keys[0]).consume()
                sending.set()  # the write below now waits on the server for the held key
            create(graph, rows)
            committed.append(keys)

        def killer() -> None:
            if sending.wait(timeout=300) and not finished.is_set():
                time.sleep(WAITING)
                crash(server)

        monkeypatch.setattr(writes, "create_organizations", watched)
        thread = threading.Thread(target=killer, name="neo4j-killer")
        thread.start()
        try:
            with (
                Graph.from_settings(settings) as graph,
                pytest.raises(GraphUnavailable, match="not reachable"),
            ):
                ingest_path(graph, data, options, None)
        finally:
            finished.set()
            sending.set()  # a load that failed otherwise does not leave the killer waiting
            thread.join()
            with contextlib.suppress(Exception):  # its server is gone: closing may complain
                held.close()
        monkeypatch.setattr(writes, "create_organizations", create)

        # the kill cut a transaction: the chosen batch went out and never came back
        cut = sent[IN_FLIGHT - 1]
        assert cut not in committed
        server.start()
        with Graph.from_settings(settings) as graph:
            stored = set(
                graph.read("MATCH (o:Organization) RETURN collect(o.key) AS keys")[0]["keys"]
            )
            # whole batches only: every batch that reported its commit, nothing of the one cut;
            # the batch written beside it may have committed with its answer lost in the kill
            assert 0 < len(stored) < organizations
            assert stored == set().union(*(set(batch) for batch in sent if set(batch) <= stored))
            assert all(set(batch) <= stored for batch in committed)
            assert not set(cut) & stored
            assert all(set(batch) <= stored or not set(batch) & stored for batch in sent)
            assert row_count(graph, "Competence") == 0  # written after all organisations
            assert_run_again_gives(graph, data, options, clean)
