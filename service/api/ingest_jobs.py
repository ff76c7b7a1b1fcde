"""Ingest over HTTP for admins: upload a file or a zipped folder, get a job id, poll its report.

The upload is checked and unpacked before the job is queued (`service.jobs`): a refused file
or archive is a 422 at once, with the problem as `{file, line, field, reason}`. The job then
runs the CLI's ingest (same validation, same report). Bodies up to `PARTNERGRAPH_MAX_UPLOAD_MB`
are accepted on this path (the body limit middleware), 413 above it.
"""

from __future__ import annotations

import threading
from types import SimpleNamespace
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Path, Request, UploadFile
from pydantic import BaseModel, ConfigDict, Field

from ingest.pipeline import IngestOptions
from partnergraph.errors import NotFound
from service import jobs
from service.auth import Principal, Role, require
from service.deps import SettingsDep, encoder_of

from .models import problem_responses

router = APIRouter(tags=["ingest"])
admin_only = require(Role.admin)
_runner_lock = threading.Lock()

Format = Literal["auto", "csv", "xlsx", "jsonl", "cordis", "ror", "openalex"]
JobStatus = Literal["queued", "running", "done", "failed"]


class Problem(BaseModel):
    file: str | None = Field(description="Relative to the upload: the path inside the archive")
    line: int | None
    field: str | None
    reason: str


class LabelCounts(BaseModel):
    created: int
    updated: int
    unchanged: int
    rejected: int


class SkipInvalidCounts(BaseModel):
    whole: int
    with_dropped_cells: int
    dropped: int


class IngestReportOut(BaseModel):
    source: str
    dry_run: bool
    ok: bool = Field(description="No problems at all")
    counts: dict[str, LabelCounts] = Field(description="Per node label or relationship type")
    rejected_files: list[str] = Field(description="Files of which nothing was written")
    skip_invalid_would: dict[str, SkipInvalidCounts] = Field(
        default_factory=dict,
        description="Per rejected file: the rows skip_invalid would keep whole, keep with "
        "their bad optional cells dropped, and drop",
    )
    ignored_files: list[str] = Field(description="Files that are no known table")
    warnings: list[Problem] = Field(
        default_factory=list,
        description="Not rejections: columns no field reads, values repaired (a postcode's "
        "lost zero), optional cells dropped under skip_invalid",
    )
    same_as: int = Field(description="SAME_AS links made by entity resolution")
    embedded: int = Field(description="Texts encoded")
    seconds: float
    phases: dict[str, float] = Field(
        default_factory=dict,
        description="Wall seconds per phase in order (read, reference, validate, plan, embed, "
        "write, finish): where a slow load spends its time",
    )


class JobAccepted(BaseModel):
    job_id: str
    status: JobStatus

    model_config = ConfigDict(
        json_schema_extra={"examples": [{"job_id": "3f2a9c0d4b1e7a55", "status": "queued"}]}
    )


class JobOut(BaseModel):
    job_id: str
    status: JobStatus = Field(
        description="done: the ingest ran (its problems, if any, are listed and the files "
        "with problems were not written); failed: it could not run"
    )
    filename: str
    format: str
    source: str | None
    dry_run: bool
    skip_invalid: bool
    created_at: str
    started_at: str | None
    finished_at: str | None
    report: IngestReportOut | None
    problems: list[Problem]
    problems_total: int = Field(description=f"All problems; at most {jobs.MAX_PROBLEMS} listed")
    error: str | None

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "job_id": "3f2a9c0d4b1e7a55",
                    "status": "done",
                    "filename": "crm-export.zip",
                    "format": "auto",
                    "source": None,
                    "dry_run": False,
                    "skip_invalid": False,
                    "created_at": "2026-11-25T09:00:00+00:00",
                    "started_at": "2026-11-25T09:00:00+00:00",
                    "finished_at": "2026-11-25T09:00:04+00:00",
                    "report": {
                        "source": "crm-export",
                        "dry_run": False,
                        "ok": False,
                        "counts": {
                            "Organization": {
                                "created": 0,
                                "updated": 0,
                                "unchanged": 0,
                                "rejected": 1,
                            }
                        },
                        "rejected_files": ["crm-export/organizations.csv"],
                        "ignored_files": [],
                        "warnings": [],
                        "same_as": 0,
                        "embedded": 0,
                        "seconds": 0.4,
                    },
                    "problems": [
                        {
                            "file": "crm-export/organizations.csv",
                            "line": 3,
                            "field": "postcode",
                            "reason": "'4413' is not a German postcode",
                        }
                    ],
                    "problems_total": 1,
                    "error": None,
                }
            ]
        }
    )


def runner_of(request: Request) -> jobs.JobRunner:
    """The app's job runner, made on first use; its jobs use the app's graph and encoder."""
    state = request.app.state
    with _runner_lock:
        if getattr(state, "ingest_jobs", None) is None:
            # encoder_of reads only `.app`: the job loads the encoder the routes share
            app_only: Any = SimpleNamespace(app=request.app)
            state.ingest_jobs = jobs.JobRunner(
                state.graph_state.graph,
                lambda: encoder_of(app_only),
                state.settings.jobs_dir,
            )
    return state.ingest_jobs  # type: ignore[no-any-return]


@router.post(
    "/ingest",
    status_code=202,
    summary="Upload a file or a zipped folder to load; returns a job to poll [admin]",
    description="A canonical table (.csv, .tsv, .txt, .jsonl), a workbook (.xlsx), an export "
    "(CORDIS, ROR, OpenAlex: .json, .jsonl, .csv, or a .zip of its folder), or a .zip of a "
    "canonical folder. Archives with absolute paths, `..`, links, or that unpack to more than "
    "the upload limit are refused (422).",
    responses=problem_responses(401, 403, 409, 422)
    | {413: {"description": "The upload is larger than PARTNERGRAPH_MAX_UPLOAD_MB"}},
)
def submit_ingest(
    *,
    file: UploadFile = File(description="The file or the .zip of a folder"),
    format: Format = Form("auto", description="What the upload is; auto detects it"),
    source: str | None = Form(
        None, max_length=100, description="Source name on the nodes (default: the file name)"
    ),
    skip_invalid: bool = Form(False, description="Load the valid rows of files with problems"),
    dry_run: bool = Form(False, description="Validate and count, write nothing"),
    principal: Principal = Depends(admin_only),
    settings: SettingsDep,
    runner: jobs.JobRunner = Depends(runner_of),
) -> JobAccepted:
    upload = jobs.receive(file.file, file.filename, settings.max_upload_mb * 1024 * 1024)
    options = IngestOptions(
        fmt=format,
        source=source.strip() if source and source.strip() else None,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
    )
    job = runner.submit(upload, options)
    return JobAccepted(job_id=job.id, status=job.status)


@router.get(
    "/ingest/{job_id}",
    summary="An ingest job: its status, report and problems [admin]",
    responses=problem_responses(401, 403, 404, 422),
)
def get_ingest(
    job_id: Annotated[str, Path(max_length=64)],
    principal: Principal = Depends(admin_only),
    runner: jobs.JobRunner = Depends(runner_of),
) -> JobOut:
    state = runner.state(job_id)
    if state is None:
        raise NotFound(f"no ingest job {job_id!r} (the last {jobs.KEEP_JOBS} jobs are kept)")
    return job_out(state)


def job_out(state: dict[str, Any]) -> JobOut:
    return JobOut(
        job_id=state["job_id"],
        status=state["status"],
        filename=state["filename"],
        format=state["format"],
        source=state["source"],
        dry_run=state["dry_run"],
        skip_invalid=state["skip_invalid"],
        created_at=state["created_at"],
        started_at=state["started_at"],
        finished_at=state["finished_at"],
        report=IngestReportOut(**state["report"]) if state["report"] else None,
        problems=[Problem(**p) for p in state["problems"]],
        problems_total=state["problems_total"],
        error=state["error"],
    )
