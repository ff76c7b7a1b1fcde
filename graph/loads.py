"""One load at a time per graph: a lock node with an owner and a lease.

Each load decides what is new from what the graph holds, so two loads must never interleave,
whichever processes run them (a CLI ingest beside the service, several service workers). The
lock lives in the graph itself: a `(:LoadLock {id: 'load'})` node (unique by constraint), with
the owner, what it is doing, since when, and until when its lease runs. The holder renews the
lease while it works (`load_lock` does so from a background thread) and deletes the node when
it ends; a holder that was killed stops renewing, so its lease runs out and the next loader
takes the lock over (at once, when that holder ran on the same host and its process is gone,
or when this process could not delete its own lock, e.g. because Neo4j was stopped mid-load).
A second loader meanwhile gets `LoadInProgress` naming the first.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from partnergraph.errors import LoadInProgress, PartnergraphError

from .connection import Graph, Row

log = logging.getLogger("partnergraph.loads")

LOCK_ID = "load"
LEASE_S = 60.0  # a holder renews every third of it; a dead holder blocks at most this long


@dataclass(frozen=True)
class LoadHolder:
    owner: str
    what: str
    since: str
    expires_at: str


def new_owner() -> str:
    """An owner name unique to this attempt that still says where it runs."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def try_acquire(
    graph: Graph, owner: str, what: str, lease_s: float = LEASE_S, *, dead: str = ""
) -> LoadHolder:
    """Take the lock when it is free, expired, already ours or held by `dead` (an owner known
    to have ended); returns who holds it now.

    The first SET takes the node's write lock before its owner is read, so of two loaders that
    arrive together the second sees the first's owner once the first has committed.
    """
    rows = graph.write_retrying(
        "MERGE (l:LoadLock {id: $id}) "
        "SET l.checked_at = datetime() "
        "WITH l, (l.owner IS NULL OR l.owner IN [$owner, $dead] OR l.expires_at < datetime()) "
        "  AS free "
        "FOREACH (_ IN CASE WHEN free THEN [1] ELSE [] END | "
        "  SET l.since = CASE WHEN l.owner = $owner THEN l.since ELSE datetime() END, "
        "      l.owner = $owner, l.what = $what, "
        "      l.expires_at = datetime() + duration({milliseconds: $lease_ms})) "
        "RETURN l.owner AS owner, l.what AS what, toString(l.since) AS since, "
        "toString(l.expires_at) AS expires_at",
        id=LOCK_ID,
        owner=owner,
        dead=dead,
        what=what,
        lease_ms=int(lease_s * 1000),
    )
    return _holder(rows[0])


def renew(graph: Graph, owner: str, lease_s: float = LEASE_S) -> bool:
    """Extend our lease; False when the lock is no longer ours (it expired and was taken)."""
    rows = graph.write_retrying(
        "MATCH (l:LoadLock {id: $id}) WHERE l.owner = $owner "
        "SET l.expires_at = datetime() + duration({milliseconds: $lease_ms}) "
        "RETURN l.owner AS owner",
        id=LOCK_ID,
        owner=owner,
        lease_ms=int(lease_s * 1000),
    )
    return bool(rows)


def release(graph: Graph, owner: str) -> None:
    """Delete the lock if it is still ours."""
    graph.write_retrying(
        "MATCH (l:LoadLock {id: $id}) WHERE l.owner = $owner DELETE l", id=LOCK_ID, owner=owner
    )


def holder(graph: Graph) -> LoadHolder | None:
    """Who holds the lock now (an expired lease counts as free)."""
    rows = graph.read(
        "MATCH (l:LoadLock {id: $id}) WHERE l.expires_at >= datetime() "
        "RETURN l.owner AS owner, l.what AS what, toString(l.since) AS since, "
        "toString(l.expires_at) AS expires_at",
        id=LOCK_ID,
    )
    return _holder(rows[0]) if rows else None


@contextmanager
def load_lock(graph: Graph, what: str, *, lease_s: float = LEASE_S) -> Iterator[str]:
    """Hold the graph's load lock for the block, renewing the lease meanwhile; LoadInProgress
    at once when another loader holds it. Yields the owner name."""
    owner = new_owner()
    now = try_acquire(graph, owner, what, lease_s)
    if now.owner != owner and _ended(now.owner):
        now = try_acquire(graph, owner, what, lease_s, dead=now.owner)
    if now.owner != owner:
        raise LoadInProgress(
            f"another load is running on this graph ({now.what}, by {now.owner}, since "
            f"{now.since}); loads must not interleave: wait until it has finished and run this "
            f"one again (if that loader was killed, its lease runs out at {now.expires_at})"
        )
    stop = threading.Event()

    def keep_renewing() -> None:
        while not stop.wait(lease_s / 3):
            try:
                if not renew(graph, owner, lease_s):
                    return
            except Exception:  # a missed renewal is retried; the lease still has time
                continue

    renewer = threading.Thread(target=keep_renewing, name="partnergraph-load-lease", daemon=True)
    renewer.start()
    try:
        yield owner
    finally:
        stop.set()
        renewer.join()
        try:
            release(graph, owner)
        except PartnergraphError as error:  # e.g. Neo4j stopped: the lease runs out by itself
            _unreleased.add(owner)
            log.warning("could not release the load lock (its lease runs out): %s", error)


# Owners of this process whose lock could not be deleted (Neo4j was down): ended for sure.
_unreleased: set[str] = set()


def _ended(owner: str) -> bool:
    """Whether a holder is known to have ended without releasing: one of this process, or a
    process of this host that no longer runs. Others are waited out by their lease."""
    if owner in _unreleased:
        return True
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != socket.gethostname() or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, but another user's
        return False
    return False


def _holder(row: Row) -> LoadHolder:
    return LoadHolder(
        owner=row["owner"], what=row["what"], since=row["since"], expires_at=row["expires_at"]
    )
