"""One load at a time per graph, across processes: the lock node in the graph (graph.loads)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from graph import loads
from graph.connection import Graph
from ingest.pipeline import IngestOptions, ingest_path
from partnergraph.errors import IngestError, LoadInProgress
from partnergraph.settings import Settings
from tests.ingest_support import CANONICAL

HOLDER = textwrap.dedent(
    """
    import sys, time
    from graph.connection import Graph, open_driver
    from graph.loads import load_lock

    uri, user, password, database, lease = sys.argv[1:6]
    graph = Graph(open_driver(uri, user, password), database, uri)
    with load_lock(graph, "ingest held-by-test", lease_s=float(lease)):
        print("held", flush=True)
        time.sleep(600)
    """
)


def _start_holder(settings: Settings, lease_s: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            HOLDER,
            settings.bolt_uri,
            settings.neo4j_user,
            settings.neo4j_secret(),
            settings.neo4j_database,
            str(lease_s),
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parent.parent,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_a_second_loader_is_refused_while_another_process_loads_and_goes_ahead_once_it_is_killed(
    graph: Graph, neo4j_settings: Settings
) -> None:
    holder = _start_holder(neo4j_settings, lease_s=1.5)
    try:
        time.sleep(2.5)  # longer than the lease: the holder must have renewed it
        with pytest.raises(LoadInProgress) as refused:
            ingest_path(graph, CANONICAL, IngestOptions(), None)
        message = str(refused.value)
        assert "another load is running" in message
        assert "ingest held-by-test" in message
        assert f":{holder.pid}:" in message
        assert graph.read("MATCH (o:Organization) RETURN count(o) AS n")[0]["n"] == 0
        # a dry run writes nothing and needs no lock
        assert ingest_path(graph, CANONICAL, IngestOptions(dry_run=True), None).dry_run
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()  # else the pipe is closed when collected, with a ResourceWarning
    # the holder's process is gone (same host): the next load takes the lock over at once
    report = ingest_path(graph, CANONICAL, IngestOptions(), None)
    assert report.ok
    assert loads.holder(graph) is None
    assert graph.read("MATCH (l:LoadLock) RETURN count(l) AS n")[0]["n"] == 0


def test_the_lock_is_released_when_a_load_fails(graph: Graph, tmp_path: Path) -> None:
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "organizations.csv").write_bytes(b"\xff\xfe\x00not a table")
    with pytest.raises(IngestError):
        ingest_path(graph, broken, IngestOptions(), None)
    assert loads.holder(graph) is None
    assert ingest_path(graph, CANONICAL, IngestOptions(), None).ok


def test_the_same_owner_may_renew_and_others_see_it_as_held(graph: Graph) -> None:
    first = loads.try_acquire(graph, "one", "ingest a", lease_s=30)
    assert first.owner == "one"
    assert loads.try_acquire(graph, "two", "ingest b", lease_s=30).owner == "one"
    assert loads.renew(graph, "one", lease_s=30)
    assert not loads.renew(graph, "two", lease_s=30)
    loads.release(graph, "two")  # not its lock: nothing happens
    again = loads.try_acquire(graph, "one", "ingest a", lease_s=30)
    assert (again.owner, again.since) == (first.owner, first.since)
    assert loads.holder(graph) == again
    loads.release(graph, "one")
    assert loads.holder(graph) is None
    assert loads.try_acquire(graph, "two", "ingest b", lease_s=30).owner == "two"


def test_a_lease_that_is_not_renewed_runs_out(graph: Graph) -> None:
    # a holder on another host that stopped renewing: waited out by its lease
    loads.try_acquire(graph, "elsewhere:1:dead", "ingest a", lease_s=0.5)
    assert loads.try_acquire(graph, "two", "ingest b", lease_s=30).owner == "elsewhere:1:dead"
    time.sleep(0.8)
    assert loads.holder(graph) is None
    with loads.load_lock(graph, "ingest b") as owner:
        assert loads.holder(graph).owner == owner  # type: ignore[union-attr]
    assert loads.holder(graph) is None
