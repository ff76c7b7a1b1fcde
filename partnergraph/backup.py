"""Backup and restore of the whole graph: `partnergraph backup OUT` / `restore IN`.

A backup is the JSON-lines file of `graph.backup_format`: every data node with all its
properties (embeddings bit for bit), every relationship, and by default the service's API keys
and subscriptions, so a restore gives back a working service. Left out always: the schema's own
records (`SchemaMeta`: constraints, indexes and the vector indexes are made anew from the
header's model and dimension) and the ingest's manifest (`SourceFile`: a cache of which file
contents were loaded; without it the next ingest reads its files once more and, every row's
hash being restored, writes nothing).

A restore reads the whole file once to check it (JSON, labels, keys, ends of relationships,
counts, checksum) and only then touches the graph, so a damaged file leaves the graph as it was.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import os
import shutil
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from graph import admin, schema
from graph import backup as queries
from graph.backup_format import (
    Header,
    NodeRow,
    RelationshipRow,
    node_line,
    primary_label,
    read_backup,
    relationship_line,
)
from graph.connection import Graph
from graph.model import NODE_KEYS
from graph.vectors import embedding_model, ensure_vector_indexes
from partnergraph import __version__
from partnergraph.errors import BackupError, Conflict, PartnergraphError

# Communities are derived (graph.communities): recomputed after a restore, not backed up.
ALWAYS_LEFT_OUT = ("SchemaMeta", "SourceFile", "Community")
KEY_LABELS = ("ApiKey", "Subscription")
NODE_BATCH = 1000
RELATIONSHIP_BATCH = 5000
_GZIP_MAGIC = b"\x1f\x8b"

Progress = Callable[[str, int], None]  # (what, rows done) -> None


@dataclass
class BackupSummary:
    path: Path
    header: Header
    size: int
    seconds: float
    # relationships whose end appeared after the nodes were read (the graph was being written)
    skipped: int = 0


@dataclass
class RestoreSummary:
    path: Path
    header: Header
    seconds: float
    check_seconds: float
    replaced: bool
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)


def backup(
    graph: Graph,
    out: Path,
    *,
    compress: bool = False,
    with_keys: bool = True,
    progress: Progress | None = None,
) -> BackupSummary:
    """Write the graph to `out` (gzip when `compress`); the file appears only when complete."""
    started = time.perf_counter()
    left_out = list(ALWAYS_LEFT_OUT) + ([] if with_keys else list(KEY_LABELS))
    out.parent.mkdir(parents=True, exist_ok=True)
    # The header carries counts and a checksum of what follows, known only at the end: the
    # body goes to a temporary file first, then header and body into `out` (atomically).
    body_path = out.with_name(f".{out.name}.body.tmp")
    final_path = out.with_name(f".{out.name}.tmp")
    digest = hashlib.sha256()
    nodes: dict[str, int] = {}
    relationships: dict[str, int] = {}
    written: set[tuple[str, Any]] = set()
    skipped = 0
    try:
        with _open_for_writing(body_path, compress) as body:

            def put(line: str) -> None:
                data = line.encode("utf-8")
                digest.update(data)
                body.write(data)

            for record in queries.nodes_to_back_up(graph, left_out):
                label = primary_label(record["labels"])
                key = record["props"].get(NODE_KEYS[label]) if label else None
                if label is None or key is None:
                    raise PartnergraphError(
                        f"a node with labels {record['labels']} has no key "
                        f"({', '.join(f'{k}.{v}' for k, v in NODE_KEYS.items())}): it cannot be "
                        "backed up and restored by key; give it one or delete it"
                    )
                if (label, key) in written:
                    raise PartnergraphError(
                        f"two {label} nodes have the key {key!r}: a restore could not tell them "
                        "apart; merge or delete one (and run `partnergraph db init`)"
                    )
                put(node_line(label, record["labels"], record["props"], record["temporal"]))
                written.add((label, key))
                nodes[label] = nodes.get(label, 0) + 1
                if progress:
                    progress("nodes", 1)
            key_of = {label: key for label, key in NODE_KEYS.items() if label not in left_out}
            for record in queries.relationships_to_back_up(graph, key_of, left_out):
                start = (record["from_label"], record["from_key"])
                end = (record["to_label"], record["to_key"])
                if start not in written or end not in written:
                    skipped += 1
                    continue
                put(
                    relationship_line(
                        record["type"], start, end, record["props"], record["temporal"]
                    )
                )
                relationships[record["type"]] = relationships.get(record["type"], 0) + 1
                if progress:
                    progress("relationships", 1)
        model = embedding_model(graph)
        header = Header(
            partnergraph_version=__version__,
            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
            schema_version=schema.schema_version(graph),
            model=model[0] if model else None,
            dimension=int(model[1]) if model else None,
            with_keys=with_keys,
            left_out=tuple(left_out),
            nodes=dict(sorted(nodes.items())),
            relationships=dict(sorted(relationships.items())),
            body_sha256=digest.hexdigest(),
        )
        with final_path.open("wb") as final:
            head = header.line().encode("utf-8")
            final.write(gzip.compress(head, compresslevel=6, mtime=0) if compress else head)
            # Two gzip members in a row are one valid gzip stream: the body is copied as it is.
            with body_path.open("rb") as body_in:
                shutil.copyfileobj(body_in, final, 2**20)
            final.flush()
            os.fsync(final.fileno())
        os.replace(final_path, out)
    finally:
        body_path.unlink(missing_ok=True)
        final_path.unlink(missing_ok=True)
    return BackupSummary(
        path=out,
        header=header,
        size=out.stat().st_size,
        seconds=time.perf_counter() - started,
        skipped=skipped,
    )


def check_backup(source: Path) -> Header:
    """Read the whole backup and check it; BackupError (file:line) at the first problem."""
    items = read_backup(_lines(source), str(source))
    header: Header = next(items)
    for _ in items:
        pass
    return header


def restore(
    graph: Graph,
    source: Path,
    *,
    replace: bool = False,
    progress: Progress | None = None,
) -> RestoreSummary:
    """Restore a backup into an empty graph (`replace`: empty it first).

    The file is checked whole before anything is written. Raises BackupError for a damaged
    file, Conflict for a graph that holds data and no `replace`.
    """
    started = time.perf_counter()
    header = check_backup(source)
    checked = time.perf_counter()
    if queries.holds_data(graph):
        if not replace:
            raise Conflict(
                f"the graph at {graph.uri} ({graph.database}) is not empty: restore replaces "
                "everything in it only when asked to (--yes)"
            )
        admin.delete_everything(graph)
    schema.init_schema(graph, force=True)
    if header.model is not None and header.dimension is not None:
        ensure_vector_indexes(graph, header.model, header.dimension)
    summary = RestoreSummary(
        path=source, header=header, seconds=0.0, check_seconds=checked - started, replaced=replace
    )
    try:
        _write(graph, source, summary, progress)
    except PartnergraphError as error:
        raise PartnergraphError(
            f"restore of {source} stopped: {error}. The graph holds part of the backup; "
            "run the restore again with --yes"
        ) from error
    schema.await_indexes(graph)
    summary.seconds = time.perf_counter() - started
    return summary


def _write(graph: Graph, source: Path, summary: RestoreSummary, progress: Progress | None) -> None:
    node_batches: dict[str, list[dict[str, Any]]] = {}
    relationship_batches: dict[tuple[str, str], list[dict[str, Any]]] = {}

    def flush_nodes(label: str) -> None:
        rows = node_batches.pop(label, [])
        if rows:
            created = queries.create_nodes(graph, label, rows)
            _expect(created, len(rows), f"{label} nodes")
            summary.nodes[label] = summary.nodes.get(label, 0) + created
            if progress:
                progress("nodes", created)

    def flush_relationships(ends: tuple[str, str]) -> None:
        rows = relationship_batches.pop(ends, [])
        if rows:
            created = queries.create_relationships(graph, ends[0], ends[1], rows)
            _expect(created, len(rows), f"relationships from {ends[0]} to {ends[1]}")
            for row in rows:
                summary.relationships[row["type"]] = summary.relationships.get(row["type"], 0) + 1
            if progress:
                progress("relationships", created)

    items = read_backup(_lines(source), str(source))
    next(items)  # the header, checked already
    for item in items:
        if isinstance(item, NodeRow):
            batch = node_batches.setdefault(item.label, [])
            batch.append(item.row)
            if len(batch) >= NODE_BATCH:
                flush_nodes(item.label)
        elif isinstance(item, RelationshipRow):
            if node_batches:  # every node before the first relationship
                for label in list(node_batches):
                    flush_nodes(label)
            ends = (item.from_label, item.to_label)
            rel_batch = relationship_batches.setdefault(ends, [])
            rel_batch.append(item.row)
            if len(rel_batch) >= RELATIONSHIP_BATCH:
                flush_relationships(ends)
    for label in list(node_batches):
        flush_nodes(label)
    for ends in list(relationship_batches):
        flush_relationships(ends)


def _expect(created: int, wanted: int, what: str) -> None:
    if created != wanted:
        raise PartnergraphError(f"{created} of {wanted} {what} were written")


# --- files -------------------------------------------------------------------------------------


def _open_for_writing(path: Path, compress: bool) -> IO[bytes]:
    if compress:
        # mtime 0: the same graph gives the same bytes; level 6: most of the gain, far faster
        return gzip.GzipFile(path, "wb", compresslevel=6, mtime=0)  # type: ignore[return-value]
    return path.open("wb")


def _lines(source: Path) -> Iterator[tuple[int, bytes]]:
    """(line number, bytes) of a backup, gzip or not (told by its first bytes, not its name)."""
    file = str(source)
    if not source.is_file():
        raise BackupError(file, None, None, "no such file")
    with source.open("rb") as probe:
        compressed = probe.read(2) == _GZIP_MAGIC
    number = 0
    try:
        with gzip.open(source, "rb") if compressed else source.open("rb") as handle:
            for number, raw in enumerate(handle, start=1):
                yield number, raw
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        raise BackupError(
            file,
            number + 1,
            None,
            f"the gzip data ends early or is damaged ({error}): the file is cut off",
        ) from error
