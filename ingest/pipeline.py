"""The ingest run: collect tables, validate, decide what changed, embed, write in batches.

Order of work, and why:
1. Everything is read and validated before anything is written, so a bad file writes nothing.
2. A file with a problem is dropped whole (unless `skip_invalid`), and references are checked
   again without it, so no competence ends up pointing at an organisation that was not loaded.
3. Content hashes decide: unchanged rows are not written and their texts not embedded again.
4. Writes go in batches of `batch_size` rows, one transaction each, in reference order.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from graph import writes
from graph.connection import Graph
from graph.loads import load_lock
from graph.model import NODE_KEYS, Label, LoadedLink
from graph.reference import ReferenceData, load_reference
from graph.schema import init_schema
from graph.texts import defuse, text_hash
from graph.vectors import Encoder, ensure_vector_indexes

from . import resolve
from .records import (
    RECORD_TYPES,
    AttendanceRecord,
    CompetenceRecord,
    EventRecord,
    NeedRecord,
    OrganizationRecord,
    ParticipationRecord,
    PersonRecord,
    ProjectRecord,
    Record,
    _TextRecord,
)
from .sources import DEFAULT_COUNTRIES, Collected, collect, source_name
from .validate import (
    Problem,
    Validated,
    check_key_owners,
    check_part_of_cycles,
    check_references,
    validate_table,
)

BATCH_SIZE = 2000
EMBED_BATCH = 256


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0


@dataclass
class IngestReport:
    source: str
    dry_run: bool
    counts: dict[str, Counts] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    # Not rejections (the load goes on): columns no field reads, whose values are not loaded.
    warnings: list[Problem] = field(default_factory=list)
    rejected_files: list[str] = field(default_factory=list)
    # For each rejected file: the rows --skip-invalid would keep whole, keep with dropped
    # cells, and drop (the same checks run as they would run with it).
    skip_invalid_would: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    ignored_files: list[str] = field(default_factory=list)
    rejects_file: Path | None = None
    missing: dict[str, list[str]] = field(default_factory=dict)
    same_as: list[resolve.Match] = field(default_factory=list)
    embedded: int = 0
    seconds: float = 0.0
    # Wall seconds per phase (read, validate, plan, embed, write, finish), in order: where a
    # slow load spends its time, for the summary and the benchmark.
    phases: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, label: str) -> Counts:
        return self.counts.setdefault(label, Counts())

    def phase_done(self, name: str, since: float) -> float:
        """Add the time from `since` to phase `name`; returns now, the next phase's start."""
        now = time.perf_counter()
        self.phases[name] = self.phases.get(name, 0.0) + now - since
        return now


Progress = Callable[[str, int], None]  # (what, rows done) -> None


@dataclass
class IngestOptions:
    fmt: str = "auto"
    source: str | None = None
    dry_run: bool = False
    skip_invalid: bool = False
    report_missing: bool = False
    rejects_dir: Path | None = None
    batch_size: int = BATCH_SIZE
    resolve_entities: bool = True
    # A CORDIS export's region (None: every country); see ingest.adapters.cordis.
    countries: frozenset[str] | None = DEFAULT_COUNTRIES


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Reading, checking and planning a big file make millions of objects that live until
    the writes: Python's cycle collector walks them again and again (a third of the checking
    time at 100k rows) and finds nothing, as records hold no cycles. Reference counting still
    frees everything else. The pause holds for the whole process, request threads of the
    service included, whose cyclic garbage waits for it to end: so it covers only these
    phases (seconds per 100k rows), not the embedding or the writes, which can take hours.
    Loads do not run concurrently (service/jobs.py), so no other load ends it early."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def ingest_path(
    graph: Graph,
    path: Path,
    options: IngestOptions,
    embedder: Encoder | None,
    progress: Progress | None = None,
) -> IngestReport:
    """Load `path` into the graph. A load that writes holds the graph's load lock throughout
    (`graph.loads`): LoadInProgress at once when another load is running."""
    if options.dry_run:
        return _ingest(graph, path, options, embedder, progress)
    init_schema(graph)
    with load_lock(graph, f"ingest {path.name}"):
        return _ingest(graph, path, options, embedder, progress)


def _ingest(
    graph: Graph,
    path: Path,
    options: IngestOptions,
    embedder: Encoder | None,
    progress: Progress | None,
) -> IngestReport:
    started = time.perf_counter()
    with _cycle_collector_paused():
        reference = load_reference()
        source = source_name(path, options.fmt, options.source)
        # --report-missing needs every key of the input, so it reads every file.
        known = None if options.report_missing else _known_files(graph, source, embedder)
        collected = collect(path, options.fmt, options.source, known, options.countries)
        report = IngestReport(source=collected.source, dry_run=options.dry_run)
        phase = report.phase_done("read", started)
        report.ignored_files = collected.ignored
        for entity in collected.unchanged:
            report.count(_label(entity)).unchanged += known.rows(entity) if known else 0
        if not options.dry_run:
            load_reference_data(graph, reference, report)
            phase = report.phase_done("reference", phase)

        lookup = reference.lookup()
        validated = [
            validate_table(record_type.entity, collected.tables[record_type.entity], lookup)
            for record_type in RECORD_TYPES
            if record_type.entity in collected.tables
        ]
        stored = _Stored(graph)
        if not options.skip_invalid and any(t.problems or t.dropped for t in validated):
            would = _what_skip_invalid_would_do(graph, stored, validated, collected.source)
        else:
            would = {}
        for table in validated:
            report.warnings.extend(table.notes)
            if options.skip_invalid:
                report.warnings.extend(
                    replace(problem, reason=f"{problem.reason}; dropped, the row is kept")
                    for problem in table.dropped
                )
            else:
                table.problems.extend(table.dropped)  # the file is refused whole, as asked
        _settle(graph, stored, validated, collected.source, options.skip_invalid, report)
        report.skip_invalid_would = {
            file: counts for file, counts in would.items() if file in report.rejected_files
        }
        for table in validated:
            report.problems.extend(table.problems)
            if collected.adapter is None:
                # An adapter's tables are its own making: a column it leaves unread is no news
                # to the person who gave the export.
                report.warnings.extend(table.warnings)
            label = _label(table.entity)
            report.count(label).rejected += len(table.rejected_lines)
        phase = report.phase_done("validate", phase)

        batches = _plan(stored, validated, collected.source, reference, embedder, report)
        if options.report_missing:
            report.missing = _missing(graph, validated, collected.source)
        phase = report.phase_done("plan", phase)
    if not options.dry_run:
        _embed(batches, embedder, report, progress)
        if embedder is not None:
            phase = report.phase_done("embed", phase)
        _write(graph, batches, options.batch_size, progress)
        phase = report.phase_done("write", phase)
        if embedder is not None:
            ensure_vector_indexes(graph, embedder.name, embedder.dimension)
        if options.resolve_entities:
            report.same_as = _resolve(graph, batches)
        _remember_files(graph, collected, validated, report, embedder)
    if options.skip_invalid and report.problems:
        report.rejects_file = write_rejects(report.problems, options.rejects_dir or path.parent)
    report.phase_done("finish", phase)
    report.seconds = time.perf_counter() - started
    return report


# --- the manifest: files loaded whole are not read again while unchanged ---------------------


class _KnownFiles:
    """The manifest of one source, as `sources.collect` asks it: is this content loaded?"""

    def __init__(self, graph: Graph, source: str, embedder: Encoder | None) -> None:
        self.graph = graph
        self.source = source
        self.model = embedder.name if embedder is not None else None
        self.entries = {row["entity"]: row for row in writes.source_files(graph, source)}
        self._counts: dict[str, int] | None = None

    def count(self, label: str) -> int:
        """The nodes of `label` from this source now, asked once for all labels."""
        if self._counts is None:
            self._counts = writes.counts_of_source(self.graph, self.source)
        return self._counts.get(label, 0)

    def __call__(self, digest: str) -> tuple[str, ...] | None:
        entry = next((e for e in self.entries.values() if e["sha256"] == digest), None)
        if entry is None:
            return None
        entities = tuple(entry["file_entities"])
        for entity in entities:
            current = self.entries.get(entity)
            if current is None or current["sha256"] != digest:
                return None  # a later file replaced this table: read it to restore the rows
            if self.model is not None and current["model"] != self.model:
                return None  # texts to embed with another model
            label = current["label"]
            # Nodes deleted since (by hand, by another tool) are written again.
            if label in NODE_KEYS and self.count(label) < current["rows"]:
                return None
        return entities

    def rows(self, entity: str) -> int:
        return int(self.entries[entity]["rows"])


def _known_files(graph: Graph, source: str, embedder: Encoder | None) -> _KnownFiles:
    return _KnownFiles(graph, source, embedder)


def _remember_files(
    graph: Graph,
    collected: Collected,
    validated: list[Validated],
    report: IngestReport,
    embedder: Encoder | None,
) -> None:
    """Record the tables that loaded whole; forget those that did not."""
    whole, partial = [], []
    for table in validated:
        read = collected.tables[table.entity]
        if (
            table.problems
            or table.dropped
            or table.file in report.rejected_files
            or read.sha256 is None
        ):
            partial.append(table.entity)
            continue
        whole.append(
            {
                "entity": table.entity,
                "label": _label(table.entity),
                "sha256": read.sha256,
                "file": Path(read.file).name,
                "file_entities": list(read.file_entities),
                "rows": len(table.records),
                "model": embedder.name if embedder is not None else None,
            }
        )
    if partial:
        writes.forget_source_files(graph, collected.source, partial)
    if whole:
        writes.record_source_files(graph, collected.source, whole)


# --- validation across files ------------------------------------------------------------------


# Keys per lookup of what the graph holds: a first load of 100k rows asks in 0.15 s instead
# of 0.3 s with 5,000 (round trips and planning), and the answer stays a few MB.
STATE_CHUNK = 20_000


class _Stored:
    """What the graph holds under the keys of a load, asked once per label and key: the
    source check, the reference checks and the plan all need it."""

    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._state: dict[Label | LoadedLink, dict[str, Any]] = {}
        self._asked: dict[Label | LoadedLink, set[str]] = {}

    def state(self, label: Label | LoadedLink, keys: Iterable[str]) -> dict[str, Any]:
        """key -> {hash, text_hash, model, source} of the `keys` that `label` has in the graph."""
        state = self._state.setdefault(label, {})
        asked = self._asked.setdefault(label, set())
        wanted = list(dict.fromkeys(keys))
        for chunk in _chunks([key for key in wanted if key not in asked], STATE_CHUNK):
            state.update(writes.existing_state(self.graph, label, chunk))
            asked.update(chunk)
        return {key: state[key] for key in wanted if key in state}


def _settle(
    graph: Graph,
    stored: _Stored,
    validated: list[Validated],
    source: str,
    skip_invalid: bool,
    report: IngestReport,
) -> None:
    """Drop what cannot load until every remaining reference resolves.

    First the rows whose key another source's node holds (writing them would overwrite that
    node), then, until nothing changes, the rows whose references do not resolve."""

    def graph_has(labels: str, keys: list[str]) -> set[str]:
        return {key for label in labels.split("|") for key in stored.state(Label(label), keys)}

    def owners(label: Label | LoadedLink, keys: list[str]) -> dict[str, str]:
        return {
            key: state["source"]
            for key, state in stored.state(label, keys).items()
            if state["source"] is not None
        }

    refused = check_key_owners(validated, source, owners)

    def parents_in_graph(keys: list[str]) -> dict[str, str | None]:
        found: dict[str, str | None] = {}
        for chunk in _chunks(keys, 5000):
            found.update(writes.part_of_chains(graph, chunk))
        return found

    while True:
        before = sum(len(t.records) for t in validated)
        # Again after rows fell out: an organisation whose row is not written keeps its link
        # in the graph, which can close a circle with the rows still loading.
        check_part_of_cycles(validated, parents_in_graph)
        check_references(validated, graph_has, refused)
        if not skip_invalid:
            for table in validated:
                if table.problems:
                    # a file whose every row is invalid is rejected as much as one with a few
                    table.records = []
                    if table.file not in report.rejected_files:
                        report.rejected_files.append(table.file)
        if sum(len(t.records) for t in validated) == before:
            return


def _what_skip_invalid_would_do(
    graph: Graph, stored: _Stored, validated: list[Validated], source: str
) -> dict[str, tuple[int, int, int]]:
    """file -> (rows kept whole, kept with dropped cells, dropped) under --skip-invalid: its
    checks, references included, run on copies of the tables."""
    copies = [
        replace(table, records=list(table.records), problems=list(table.problems))
        for table in validated
    ]
    _settle(graph, stored, copies, source, True, IngestReport(source=source, dry_run=True))
    counts: dict[str, tuple[int, int, int]] = {}
    for table in copies:
        dropped = table.rejected_lines
        if None in dropped:  # a problem of the whole file: nothing of it loads
            counts[table.file] = (0, 0, table.rows)
            continue
        repaired = table.repaired_lines - dropped
        whole = table.rows - len(dropped) - len(repaired)
        counts[table.file] = (whole, len(repaired), len(dropped))
    return counts


# --- planning: what is new, changed, unchanged --------------------------------------------------


@dataclass
class Batch:
    """The rows of one label to write, split by what the graph already has."""

    label: Label | LoadedLink
    new: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    to_embed: list[tuple[dict[str, Any], str]] = field(default_factory=list)  # (row, text)
    parents: list[dict[str, Any]] = field(default_factory=list)


def _plan(
    stored: _Stored,
    validated: list[Validated],
    source: str,
    reference: ReferenceData,
    embedder: Encoder | None,
    report: IngestReport,
) -> list[Batch]:
    batches = []
    for table in validated:
        label = _label(table.entity)
        batch = Batch(label=label)
        records = [record for _, record in table.records]
        keys = [record.identity() for record in records]
        state = stored.state(label, keys)
        counts = report.count(label)
        for record, key in zip(records, keys, strict=True):
            old = state.get(key)
            digest = row_hash(record, source)
            text_digest = (
                text_hash(record.embedding_text()) if isinstance(record, _TextRecord) else None
            )
            # The stored text_hash is that of the text the stored vector was made from.
            embed = (
                embedder is not None
                and text_digest is not None
                and (
                    old is None or old["text_hash"] != text_digest or old["model"] != embedder.name
                )
            )
            if old is not None and old["hash"] == digest and not embed:
                counts.unchanged += 1  # the common case of a weekly re-load: no row to build
                continue
            row = _row(record, source, reference, digest)
            if old is None:
                counts.created += 1
                batch.new.append(row)
            else:
                counts.updated += 1
                batch.changed.append(row)
            if embed and isinstance(record, _TextRecord):
                batch.to_embed.append((row, record.embedding_text()))
            if isinstance(record, OrganizationRecord) and (
                old is not None or record.parent_key is not None
            ):
                # The hash goes on with the parent link, the last write of an organisation:
                # a load cut short in between leaves no hash, so running it again redoes both.
                # A new organisation without a parent is whole after its create, which
                # carries the hash: no second write for most rows of a first load.
                batch.parents.append(
                    {"key": record.key, "parent_key": record.parent_key, "hash": digest}
                )
                del row["props"]["hash"]
        batches.append(batch)
    return batches


# a set, not a frozenset: what model_dump's `exclude` is typed to take; never changed
_NOT_PROPERTIES: set[str] = {
    "source",  # set by `_row`, with the ingest's default
    "parent_key",
    "trades",
    "industries",
    "owner_key",
    "org_key",
    "project_key",
    "event_key",  # links
    "created_at",
    "start",
    "end",
    "date",  # stored as Neo4j dates by the queries
}


def row_hash(record: Record, source: str) -> str:
    """The content hash stored on the node: the record's fields as JSON, in the order the model
    declares them, and its source.

    The JSON comes from pydantic's own serialiser rather than `json.dumps` with sorted keys: a
    few microseconds a row against some fifteen, on the path every row of every load takes.
    Changing how this hash is made costs one rewrite of each row on its next load, never a new
    embedding: that depends on `text_hash` and the model only."""
    fields = record.__pydantic_serializer__.to_json(record)
    if getattr(record, "outside_region", False):
        fields += b"|outside_region"  # not in the JSON: see OrganizationRecord.outside_region
    return hashlib.sha256(fields + b"|" + (record.source or source).encode()).hexdigest()[:32]


def _row(record: Record, source: str, reference: ReferenceData, digest: str) -> dict[str, Any]:
    """The parameters of a record's write query: node properties plus link keys."""
    # Every field is a node property except links to other nodes and typed dates.
    props: dict[str, Any] = record.model_dump(mode="json", exclude=_NOT_PROPERTIES)
    props["source"] = record.source or source
    props["hash"] = digest
    row: dict[str, Any] = {"props": props, "source": props["source"]}
    if isinstance(record, OrganizationRecord):
        place = reference.place(record.postcode, record.city) if record.country == "DE" else None
        props["coordinates_from"] = "row" if record.lat is not None else None
        # null removes the mark from a node that had it, like any emptied property
        props["outside_region"] = True if record.outside_region else None
        if place is not None:
            if record.lat is None:
                props["lat"], props["lon"] = place.lat, place.lon
                props["coordinates_from"] = "postcode"
            props["city"] = props["city"] or place.municipality
            props["district"] = props["district"] or place.district
        row.update(
            trades=record.trades,
            industries=record.industries,
            region_key=place.municipality_key if place else None,
        )
    elif isinstance(record, _TextRecord):
        row["text_hash"] = text_hash(record.embedding_text())
        row["embedding"] = None
        if isinstance(record, CompetenceRecord):
            row["owner_key"] = record.owner_key
        elif isinstance(record, NeedRecord):
            row.update(org_key=record.org_key, created_at=_iso(record.created_at))
        elif isinstance(record, ProjectRecord):
            row.update(start=_iso(record.start), end=_iso(record.end))
    elif isinstance(record, PersonRecord):
        row["org_key"] = record.org_key
    elif isinstance(record, EventRecord):
        row["date"] = _iso(record.date)
    elif isinstance(record, ParticipationRecord):
        row.update(
            org_key=record.org_key,
            project_key=record.project_key,
            role=record.role,
            hash=props["hash"],
        )
    else:
        assert isinstance(record, AttendanceRecord)
        row.update(org_key=record.org_key, event_key=record.event_key, hash=props["hash"])
    return row


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


# --- embedding and writing ---------------------------------------------------------------------


def _embed(
    batches: list[Batch],
    embedder: Encoder | None,
    report: IngestReport,
    progress: Progress | None,
) -> None:
    if embedder is None:
        return
    for batch in batches:
        # Exports repeat boilerplate (the same competence text at many firms): each distinct
        # text is encoded once and its vector given to every row that carries it.
        rows_of: dict[str, list[dict[str, Any]]] = {}
        for row, text in batch.to_embed:
            rows_of.setdefault(text, []).append(row)
        for chunk in _chunks(list(rows_of.items()), EMBED_BATCH):
            vectors = embedder.encode([text for text, _ in chunk])
            done = 0
            for (_, rows), vector in zip(chunk, vectors, strict=True):
                # Kept as float32 until its batch is written (`_sendable`): as Python floats a
                # million 512-dimensional vectors would take some 16 GB before the first write.
                values = np.asarray(vector, dtype=np.float32)
                for row in rows:
                    row["embedding"] = values
                    row["props"]["text_hash"] = row["text_hash"]
                    row["props"]["embedding_model"] = embedder.name
                    row["props"]["embedding_dim"] = embedder.dimension
                done += len(rows)
            report.embedded += done
            if progress:
                progress(f"embedding {batch.label}", done)


def _write(graph: Graph, batches: list[Batch], batch_size: int, progress: Progress | None) -> None:
    by_label = {batch.label: batch for batch in batches}
    order: list[Label | LoadedLink] = [
        Label.Organization,
        Label.Person,
        Label.Competence,
        Label.Need,
        Label.Project,
        LoadedLink.PARTICIPATED_IN,
        Label.Event,
        LoadedLink.ATTENDED,
    ]
    for label in order:
        batch = by_label.get(label)
        if batch is None:
            continue
        if label == Label.Organization:
            _in_parallel_batches(
                graph, writes.create_organizations, batch.new, batch_size, progress, label
            )
            _in_batches(
                graph, writes.update_organizations, batch.changed, batch_size, progress, label
            )
            _in_batches(graph, writes.link_parents, batch.parents, batch_size, None, label)
            continue
        write = {
            Label.Person: writes.upsert_people,
            Label.Competence: writes.upsert_competences,
            Label.Need: writes.upsert_needs,
            Label.Project: writes.upsert_projects,
            LoadedLink.PARTICIPATED_IN: writes.upsert_participations,
            Label.Event: writes.upsert_events,
            LoadedLink.ATTENDED: writes.upsert_attendances,
        }[label]
        _in_batches(graph, write, batch.new + batch.changed, batch_size, progress, label)


def _in_batches(
    graph: Graph,
    write: Callable[[Graph, list[dict[str, Any]]], None],
    rows: list[dict[str, Any]],
    batch_size: int,
    progress: Progress | None,
    label: str,
) -> None:
    for chunk in _chunks(rows, batch_size):
        write(graph, _sendable(chunk))
        if progress:
            progress(f"writing {label}", len(chunk))


def _sendable(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows as the driver sends them: vectors as lists of floats, made one batch at a
    time (the rows themselves keep the compact arrays)."""
    return [
        {**row, "embedding": row["embedding"].tolist()}
        if isinstance(row.get("embedding"), np.ndarray)
        else row
        for row in rows
    ]


WRITERS = 2  # batches of new organisations written at once


def _in_parallel_batches(
    graph: Graph,
    write: Callable[[Graph, list[dict[str, Any]]], None],
    rows: list[dict[str, Any]],
    batch_size: int,
    progress: Progress | None,
    label: str,
) -> None:
    """Batches written `WRITERS` at a time, each its own transaction.

    The server then uses more than one core while this process waits. Only for writes whose
    batches are independent: new nodes that link to shared reference nodes. Progress is
    reported here, in the caller's thread, as batches finish; the first failure stops the rest
    (batches already committed stay whole, as with one writer).
    """
    chunks = _balanced_chunks(rows, batch_size, WRITERS)
    if len(chunks) <= 1:
        _in_batches(graph, write, rows, batch_size, progress, label)
        return
    with ThreadPoolExecutor(max_workers=WRITERS, thread_name_prefix="ingest-writer") as pool:
        pending = {pool.submit(write, graph, _sendable(chunk)): len(chunk) for chunk in chunks}
        try:
            for done in as_completed(pending):
                done.result()
                if progress:
                    progress(f"writing {label}", pending[done])
        except BaseException:
            for future in pending:
                future.cancel()
            raise


# --- reference data, entity resolution, reports --------------------------------------------------


def load_reference_data(graph: Graph, reference: ReferenceData, report: IngestReport) -> None:
    """Trades, WZ 2008 and regions: written when new or changed, like any other rows.

    Once written whole they are remembered by a digest of their rows: while it and the node
    counts hold, a load asks one quick question instead of comparing each row."""
    tables: list[tuple[Label, str, list[dict[str, Any]], Callable[..., None]]] = [
        (Label.Trade, "code", reference.trades, writes.upsert_trades),
        (Label.Industry, "code", reference.industries, writes.upsert_industries),
        (Label.Region, "key", reference.regions, writes.upsert_regions),
    ]
    prepared_tables = [
        (label, key_name, [_reference_row(raw) for raw in rows], write)
        for label, key_name, rows, write in tables
    ]
    digest = hashlib.sha256(
        "|".join(row["hash"] for _, _, rows, _ in prepared_tables for row in rows).encode()
    ).hexdigest()[:32]
    known = writes.reference_tables_state(graph)
    if known["sha256"] == digest and all(
        known[label] >= len(rows) for label, _, rows, _ in prepared_tables
    ):
        for label, _, rows, _ in prepared_tables:
            report.count(label).unchanged += len(rows)
        return
    for label, key_name, prepared, write in prepared_tables:
        state = writes.existing_state(graph, label, [r[key_name] for r in prepared])
        counts = report.count(label)
        todo = []
        for row in prepared:
            old = state.get(row[key_name])
            if old is not None and old["hash"] == row["hash"]:
                counts.unchanged += 1
                continue
            if old is None:
                counts.created += 1
            else:
                counts.updated += 1
            todo.append(row)
        for chunk in _chunks(todo, BATCH_SIZE):
            write(graph, chunk)
    writes.record_reference_tables(
        graph, digest, sum(len(rows) for _, _, rows, _ in prepared_tables)
    )


def _reference_row(raw: dict[str, str]) -> dict[str, Any]:
    row: dict[str, Any] = {k: (v if v != "" else None) for k, v in raw.items()}
    for coordinate in ("lat", "lon"):
        if row.get(coordinate) is not None:
            row[coordinate] = float(row[coordinate])
    row["source"] = "reference"
    blob = json.dumps(row, sort_keys=True, ensure_ascii=False)
    row["hash"] = hashlib.sha256(blob.encode()).hexdigest()[:32]
    return row


def _resolve(graph: Graph, batches: list[Batch]) -> list[resolve.Match]:
    organizations = next((b for b in batches if b.label == "Organization"), None)
    if organizations is None:
        return []
    touched = [row["props"] for row in organizations.new + organizations.changed]
    matches: list[resolve.Match] = []
    for source in sorted({p["source"] for p in touched}):
        if not writes.other_sources_exist(graph, source):
            continue
        mine = [p for p in touched if p["source"] == source]
        # One query per source, for candidates of other sources only: a first load into an
        # empty graph costs nothing, and a big load never pulls its own rows back.
        candidates = writes.organizations_in_places(
            graph,
            sorted({p["postcode"] for p in mine if p.get("postcode")}),
            sorted({p["city"] for p in mine if p.get("city")}),
            source,
        )
        if candidates:
            matches.extend(resolve.find_matches(mine, candidates, resolve.LINK_THRESHOLD))
    unique = {(m.a, m.b): m for m in matches}
    if unique:
        pairs = [
            {"a": m.a, "b": m.b, "score": m.score, "method": "name+place"} for m in unique.values()
        ]
        writes.link_same_as(graph, pairs)
    return list(unique.values())


def _missing(graph: Graph, validated: list[Validated], source: str) -> dict[str, list[str]]:
    missing: dict[str, list[str]] = {}
    for table in validated:
        label = _label(table.entity)
        if not isinstance(label, Label):
            continue  # participations and attendances: links, not nodes of a source
        present = {record.identity() for _, record in table.records}
        gone = writes.keys_of_source(graph, label, source) - present
        if gone:
            missing[label] = sorted(gone)
    return missing


def write_rejects(problems: list[Problem], folder: Path) -> Path:
    """The rejected rows with their reasons, as CSV: a file people open in a spreadsheet, so
    every cell that starts like a formula is defused, as in the service's exports."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"rejects-{stamp}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["file", "line", "field", "reason", "row"])
        for problem in problems:
            cells = json.dumps(problem.cells or {}, ensure_ascii=False, default=str)
            writer.writerow(
                [
                    defuse(problem.file),
                    problem.line or "",
                    defuse(problem.field or ""),
                    defuse(problem.reason),
                    defuse(cells[:2000]),
                ]
            )
    return path


def _label(entity: str) -> Label | LoadedLink:
    from .records import RECORD_BY_ENTITY

    return RECORD_BY_ENTITY[entity].label


def _balanced_chunks(items: list[Any], size: int, writers: int) -> list[list[Any]]:
    """Chunks of at most `size` and of about even length, their number rounded up to a
    multiple of `writers`: 10,000 rows in 2,000s would leave one writer alone with the fifth
    chunk, 6 of about 1,667 keep both busy to the end."""
    if len(items) <= size:
        return [items] if items else []
    count = -(-len(items) // size)
    count = -(-count // writers) * writers
    step = -(-len(items) // count)
    return [items[start : start + step] for start in range(0, len(items), step)]


def _chunks(items: Sequence[Any] | Iterable[Any], size: int) -> Iterator[list[Any]]:
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]
