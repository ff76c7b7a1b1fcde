"""Ingest over HTTP: uploads unpacked safely, then loaded one at a time by a background worker.

An upload (a single file, or a .zip of a folder) is saved into a fresh temporary folder and a
.zip is unpacked there before the job is queued, so a broken or hostile archive is refused at
once (422) and never reaches the ingest. The archive rules: no absolute paths, no `..`, no links,
no encryption, no entry name longer than `MAX_NAME` characters, no name twice, no file where
another entry needs a folder, at most `MAX_ENTRIES` entries, no entry that unpacks to more than
`MAX_RATIO` times its packed size, and at most the upload limit unpacked (counted while writing,
since an archive may state false sizes). A workbook (.xlsx) is a zip archive too: it is held to
the same rules, uploaded alone or inside a .zip, before anything parses it; what workbooks,
archives and gzip files inside a .zip unpack to counts against the upload limit too.

One worker thread runs the jobs in order, with the same validation as the CLI
(`ingest.pipeline.ingest_path`); loads must not interleave, as each decides what is new from
what the graph holds: the pipeline holds the graph's load lock (`graph.loads`) for each job, so a
job that meets another process's load (a CLI ingest, another worker) fails with a message
naming it. Each job's state is also written to `PARTNERGRAPH_JOBS_DIR` as JSON at
every change, so any worker process of the service can answer a poll, and a job whose process
died is reported failed rather than running for ever; the uploaded files are deleted when their
job ends. File names in
reports are relative to the upload: the path inside the archive, or the uploaded file's name.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import logging
import os
import queue
import re
import shutil
import stat
import tempfile
import threading
import time
import uuid
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from graph.communities import recompute as recompute_communities
from graph.connection import Graph
from graph.vectors import Encoder
from ingest.pipeline import IngestOptions, IngestReport, ingest_path
from partnergraph.errors import (
    Conflict,
    GraphAuthError,
    GraphUnavailable,
    IngestError,
    PartnergraphError,
)

log = logging.getLogger("partnergraph.jobs")

UPLOAD_SUFFIXES = (".csv", ".tsv", ".txt", ".jsonl", ".json", ".xlsx", ".zip")
MAX_ENTRIES = 10_000
MAX_NAME = 255  # characters of an entry's path; also no path part over 255 bytes (file systems)
# Real sheets and tables pack 5 to 20 times; a bomb packs a thousand times and more. Small
# entries are let through whatever their ratio: they cannot hurt.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1 << 20
MAX_PROBLEMS = 1_000  # listed in a job; `problems_total` counts them all
MAX_QUEUED = 10
KEEP_JOBS = 200
IDLE_SECONDS = 30.0  # the worker thread ends after this long without work
_CHUNK = 1 << 20


# --- uploads --------------------------------------------------------------------------------------


def safe_name(filename: str | None) -> str:
    """The uploaded file's own name, without folders or characters a file system might mind."""
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[^\w.\- ]", "_", name).strip(" .")
    return name[:120] or "upload"


def check_suffix(name: str) -> None:
    if not name.lower().endswith(UPLOAD_SUFFIXES):
        raise IngestError(
            name,
            None,
            None,
            "not a file the ingest reads: upload a .csv, .tsv, .txt, .jsonl, .json or .xlsx "
            "file, or a .zip of a folder",
        )


def save_upload(source: BinaryIO, target: Path, max_bytes: int) -> int:
    """Copy the upload to `target`; IngestError when it is larger than `max_bytes`."""
    written = 0
    with target.open("wb") as out:
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            if written > max_bytes:
                raise IngestError(
                    target.name, None, None, f"the upload is larger than {max_bytes:,} bytes"
                )
            out.write(chunk)
    return written


def _refuse(name: str, reason: str) -> IngestError:
    return IngestError(name, None, None, reason)


def _member_parts(info: zipfile.ZipInfo) -> tuple[str, ...] | None:
    """The entry's path parts inside the archive; None for entries to skip (folders, macOS
    metadata). IngestError for names that would leave the folder they are unpacked into."""
    name = info.filename.replace("\\", "/")
    if len(name) > MAX_NAME or any(len(p.encode("utf-8")) > 255 for p in name.split("/")):
        raise _refuse(
            _shown(info.filename), f"the entry's name is longer than {MAX_NAME} characters"
        )
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        raise _refuse(info.filename, "an absolute path in the archive: refused")
    parts = tuple(part for part in PurePosixPath(name).parts if part not in ("", "."))
    if ".." in parts:
        raise _refuse(info.filename, "a path in the archive leads outside it ('..'): refused")
    if stat.S_ISLNK(info.external_attr >> 16):
        raise _refuse(info.filename, "a symbolic link in the archive: refused")
    if info.flag_bits & 0x1:
        raise _refuse(info.filename, "the archive entry is encrypted")
    if info.is_dir() or not parts or parts[0] == "__MACOSX":
        return None
    return parts


def _shown(name: str) -> str:
    """A long entry name cut for messages (the reason says it was too long)."""
    return name if len(name) <= 80 else name[:77] + "..."


def check_entries(
    zipped: zipfile.ZipFile, name: str, max_bytes: int
) -> list[tuple[zipfile.ZipInfo, tuple[str, ...] | None]]:
    """Every entry with its path parts (None: to skip), once the archive as a whole passed the
    rules (see the module): what it declares is checked before a byte is unpacked."""
    infos = zipped.infolist()
    if len(infos) > MAX_ENTRIES:
        raise _refuse(name, f"the archive has more than {MAX_ENTRIES:,} entries")
    members = [(info, _member_parts(info)) for info in infos]
    files: dict[tuple[str, ...], str] = {}
    folders: set[tuple[str, ...]] = set()
    for info, parts in members:
        if parts is None:
            if info.is_dir():
                name_parts = PurePosixPath(info.filename.replace("\\", "/")).parts
                folders.add(tuple(p for p in name_parts if p not in ("", ".")))
            continue
        if parts in files:
            raise _refuse(info.filename, "the archive holds an entry of this name twice: refused")
        files[parts] = info.filename
        folders.update(parts[:end] for end in range(1, len(parts)))
    for parts, entry in files.items():
        if parts in folders:
            raise _refuse(entry, "the archive holds a file and a folder of this name: refused")
    declared = sum(info.file_size for info, parts in members if parts)
    if declared > max_bytes:
        raise _refuse(name, f"the archive unpacks to more than {max_bytes:,} bytes")
    for info, parts in members:
        packed = max(info.compress_size, 1)
        if parts and info.file_size > max(RATIO_FROM_BYTES, MAX_RATIO * packed):
            raise _refuse(
                info.filename,
                f"the entry unpacks to {info.file_size:,} bytes from "
                f"{info.compress_size:,}, more than {MAX_RATIO} times: a zip bomb? refused",
            )
    return members


def _open_zip(archive: Path, shown: str) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, UnicodeDecodeError) as error:
        raise _refuse(shown, f"not a readable .zip archive: {error}") from error


def check_workbook(path: Path, shown: str, max_bytes: int, *, what: str = ".xlsx workbook") -> int:
    """An .xlsx is a zip archive of XML: held to the archive rules before anything parses it,
    so a small workbook cannot unpack to gigabytes of sheet XML. Returns what it unpacks to."""
    try:
        with zipfile.ZipFile(path) as zipped:
            members = check_entries(zipped, shown, max_bytes)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, UnicodeDecodeError) as error:
        raise _refuse(shown, f"not a readable {what} (not a zip archive): {error}") from error
    return sum(info.file_size for info, parts in members if parts)


def check_gzip(path: Path, shown: str, max_bytes: int) -> int:
    """A gzip file's unpacked size, counted (its trailer may lie): at most `max_bytes`."""
    unpacked = 0
    try:
        with gzip.open(path, "rb") as source:
            while chunk := source.read(_CHUNK):
                unpacked += len(chunk)
                if unpacked > max_bytes:
                    raise _refuse(shown, f"the file unpacks to more than {max_bytes:,} bytes")
    except (OSError, EOFError, zlib.error) as error:
        raise _refuse(shown, f"not a readable gzip file: {error}") from error
    return unpacked


def check_packed_files(root: Path, max_bytes: int) -> None:
    """Workbooks, archives and gzip files among unpacked files (the ingest reads into them):
    what they unpack to counts against the upload limit, all of them together."""
    left = max_bytes
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        shown = path.relative_to(root).as_posix()
        lowered = path.name.lower()
        if lowered.endswith(".xlsx"):
            left -= check_workbook(path, shown, left)
        elif lowered.endswith(".zip"):
            left -= check_workbook(path, shown, left, what=".zip archive")
        elif lowered.endswith(".gz"):
            left -= check_gzip(path, shown, left)


def extract_zip(archive: Path, target: Path, max_bytes: int) -> Path:
    """Unpack `archive` into `target`; returns the folder to load (the archive's only folder,
    when everything is in one). Nothing is unpacked unless every entry is acceptable."""
    name = archive.name
    try:
        with _open_zip(archive, name) as zipped:
            members = check_entries(zipped, name, max_bytes)
            target.mkdir(parents=True, exist_ok=True)
            root = target.resolve()
            written = 0
            for info, parts in members:
                if parts is None:
                    continue
                path = target.joinpath(*parts)
                if not path.resolve().is_relative_to(root):
                    raise _refuse(info.filename, "a path in the archive leads outside it")
                path.parent.mkdir(parents=True, exist_ok=True)
                with zipped.open(info) as source, path.open("wb") as out:
                    while chunk := source.read(_CHUNK):
                        written += len(chunk)
                        if written > max_bytes:
                            raise _refuse(
                                name, f"the archive unpacks to more than {max_bytes:,} bytes"
                            )
                        out.write(chunk)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, zlib.error) as error:
        raise _refuse(name, f"not a readable .zip archive: {error}") from error
    except NotImplementedError as error:  # an unsupported compression method
        raise _refuse(name, f"the archive cannot be unpacked: {error}") from error
    shown = [
        child
        for child in target.iterdir()
        if not child.name.startswith(".") and child.name != "__MACOSX"
    ]
    if len(shown) == 1 and shown[0].is_dir():
        return shown[0]
    if not shown:
        raise _refuse(name, "the archive holds no files")
    return target


@dataclass
class Upload:
    """An upload on disk: the temporary folder, the path to load, and what names are shown
    relative to."""

    folder: Path
    path: Path
    root: Path
    filename: str


def receive(source: BinaryIO, filename: str | None, max_bytes: int) -> Upload:
    """Save (and unpack) an upload into a new temporary folder; IngestError if refused, and
    then nothing is left on disk."""
    name = safe_name(filename)
    check_suffix(name)
    folder = Path(tempfile.mkdtemp(prefix="partnergraph-ingest-"))
    try:
        if name.lower().endswith(".zip"):
            archive = folder / name
            save_upload(source, archive, max_bytes)
            stem = safe_name(name[: -len(".zip")]) or "upload"
            root = folder / "unpacked" / stem
            path = extract_zip(archive, root, max_bytes)
            archive.unlink()
            check_packed_files(root, max_bytes)
        else:
            root = folder / "upload"
            root.mkdir()
            path = root / name
            save_upload(source, path, max_bytes)
            if name.lower().endswith(".xlsx"):
                check_workbook(path, name, max_bytes)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return Upload(folder=folder, path=path, root=root, filename=name)


# --- jobs -----------------------------------------------------------------------------------------


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


@dataclass
class Job:
    id: str
    filename: str
    options: IngestOptions
    upload: Upload
    status: str = "queued"  # queued, running, done, failed
    created_at: str = field(default_factory=_now)
    started_at: str | None = None
    finished_at: str | None = None
    report: dict[str, Any] | None = None
    problems: list[dict[str, Any]] = field(default_factory=list)
    problems_total: int = 0
    error: str | None = None


def relative(text: str | None, root: Path) -> str | None:
    """`text` with the upload's temporary folder taken out of every path in it."""
    if text is None:
        return None
    prefix = str(root)
    return text.replace(prefix + "/", "").replace(prefix, ".")


def problem_dict(
    file: str, line: int | None, field_: str | None, reason: str, root: Path
) -> dict[str, Any]:
    return {
        "file": relative(file, root),
        "line": line,
        "field": field_ or None,
        "reason": relative(reason, root),
    }


def report_dict(report: IngestReport, root: Path) -> dict[str, Any]:
    return {
        "source": report.source,
        "dry_run": report.dry_run,
        "ok": report.ok,
        "counts": {
            label: {
                "created": c.created,
                "updated": c.updated,
                "unchanged": c.unchanged,
                "rejected": c.rejected,
            }
            for label, c in report.counts.items()
        },
        "rejected_files": [relative(f, root) for f in report.rejected_files],
        "skip_invalid_would": {
            relative(f, root): {"whole": whole, "with_dropped_cells": cells, "dropped": dropped}
            for f, (whole, cells, dropped) in report.skip_invalid_would.items()
        },
        "ignored_files": [relative(f, root) for f in report.ignored_files],
        "warnings": [
            problem_dict(w.file, w.line, w.field, w.reason, root) for w in report.warnings
        ],
        "same_as": len(report.same_as),
        "embedded": report.embedded,
        "seconds": round(report.seconds, 2),
        "phases": {name: round(seconds, 2) for name, seconds in report.phases.items()},
    }


def job_state(job: Job) -> dict[str, Any]:
    """What a poll returns, as plain data (also the JSON kept in the jobs folder)."""
    return {
        "job_id": job.id,
        "status": job.status,
        "filename": job.filename,
        "format": job.options.fmt,
        "source": job.options.source,
        "dry_run": job.options.dry_run,
        "skip_invalid": job.options.skip_invalid,
        "created_at": job.created_at,
        "started_at": job.started_at,
        "finished_at": job.finished_at,
        "report": job.report,
        "problems": job.problems,
        "problems_total": job.problems_total,
        "error": job.error,
        "pid": os.getpid(),
    }


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


_JOB_ID = re.compile(r"[0-9a-f]{16}")


class JobRunner:
    """Ingest jobs run in order by one worker thread (started when work comes); their states are
    kept in memory and, when `folder` is given, as JSON files there for other processes."""

    def __init__(
        self, graph: Graph, embedder: Callable[[], Encoder], folder: Path | None = None
    ) -> None:
        self.graph = graph
        self.embedder = embedder
        self.folder = folder
        self.jobs: dict[str, Job] = {}
        self._queue: queue.Queue[Job] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, upload: Upload, options: IngestOptions) -> Job:
        with self._lock:
            if self._queue.qsize() >= MAX_QUEUED:
                shutil.rmtree(upload.folder, ignore_errors=True)
                raise Conflict(f"{MAX_QUEUED} ingest jobs are waiting already; try again later")
            options.rejects_dir = upload.folder / "rejects"
            job = Job(
                id=uuid.uuid4().hex[:16], filename=upload.filename, options=options, upload=upload
            )
            self.jobs[job.id] = job
            self._save(job)
            self._forget_old()
            self._queue.put(job)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._work, name="partnergraph-ingest", daemon=True
                )
                self._thread.start()
        return job

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)

    def state(self, job_id: str) -> dict[str, Any] | None:
        """A job's state: this process's own jobs from memory, others' from the jobs folder."""
        job = self.jobs.get(job_id)
        if job is not None:
            return job_state(job)
        if self.folder is None or not _JOB_ID.fullmatch(job_id):
            return None
        try:
            state: dict[str, Any] = json.loads((self.folder / f"{job_id}.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if state["status"] in ("queued", "running") and not _alive(int(state["pid"])):
            state["status"] = "failed"
            state["error"] = "the service process running this job stopped; upload it again"
        return state

    def _save(self, job: Job) -> None:
        if self.folder is None:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = self.folder / f".{job.id}.json"
            temporary.write_text(json.dumps(job_state(job), ensure_ascii=False), "utf-8")
            temporary.replace(self.folder / f"{job.id}.json")  # atomic: pollers never see half
        except OSError as error:
            log.warning("could not keep the state of ingest job %s: %s", job.id, error)

    def wait(self, job_id: str, timeout: float) -> Job | None:
        """The job once it has ended, or as it is after `timeout` seconds (for tests, tools)."""
        deadline = time.monotonic() + timeout
        job = self.get(job_id)
        while job is not None and job.status in ("queued", "running"):
            if time.monotonic() >= deadline:
                break
            time.sleep(0.05)
        return job

    def _forget_old(self) -> None:
        ended = [j for j in self.jobs.values() if j.status in ("done", "failed")]
        for job in ended[: max(0, len(self.jobs) - KEEP_JOBS)]:
            del self.jobs[job.id]
            if self.folder is not None:
                (self.folder / f"{job.id}.json").unlink(missing_ok=True)

    def _work(self) -> None:
        while True:
            try:
                job = self._queue.get(timeout=IDLE_SECONDS)
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._thread = None
                        return
                continue
            self.run(job)

    def _communities(self) -> dict[str, Any]:
        """Recompute the network's communities after a load; a failure there does not fail
        the load (the explorer keeps the last communities), it is reported and logged."""
        try:
            return recompute_communities(self.graph)
        except Exception as error:  # the load itself is done and must be reported as done
            log.exception("recomputing the communities failed")
            return {"error": f"communities not recomputed ({type(error).__name__})"}

    def run(self, job: Job) -> None:
        root = job.upload.root
        job.status = "running"
        job.started_at = _now()
        self._save(job)
        try:
            embedder = None if job.options.dry_run else self.embedder()
            report = ingest_path(self.graph, job.upload.path, job.options, embedder)
            job.report = report_dict(report, root)
            if report.ok and not job.options.dry_run:
                job.report["communities"] = self._communities()
            problems = [
                problem_dict(p.file, p.line, p.field, p.reason, root) for p in report.problems
            ]
            job.problems = problems[:MAX_PROBLEMS]
            job.problems_total = len(problems)
            job.status = "done"
        except IngestError as error:
            job.problems = [problem_dict(error.file, error.line, error.field, error.reason, root)]
            job.problems_total = 1
            job.error = relative(str(error), root)
            job.status = "failed"
        except (GraphUnavailable, GraphAuthError) as error:
            # Its text names the Bolt address and the driver's words: for the log only.
            log.warning("ingest job %s: graph database unavailable: %s", job.id, error)
            job.error = "the graph database could not be reached; try again later"
            job.status = "failed"
        except PartnergraphError as error:
            job.error = relative(str(error), root)
            job.status = "failed"
        except Exception as error:  # the worker must survive any one job
            log.exception("ingest job %s failed", job.id)
            job.error = f"the ingest failed unexpectedly ({type(error).__name__}); see the log"
            job.status = "failed"
        finally:
            job.finished_at = _now()
            self._save(job)
            shutil.rmtree(job.upload.folder, ignore_errors=True)
