"""The needs workflow: create, read, update and close needs, suggest partners, record feedback.

Every need that leaves the service goes through `service.redact.need_view`: staff see the
company behind it; universities and analysts see anonymous and confidential needs without the
company's name or key (universities only open and in-progress ones).

A need's text is encoded when it is created or its words change, with the ingest's rule for
what is encoded (`evidence_text`) and for the text hash, so `partnergraph reembed` and a later
ingest see the vector as current. API needs carry `source: "api"`. An update leaves the row
`hash` alone: a re-load of an unchanged export row then does not undo a status set here (a
changed text of an exported need is restored by the next load of that export, its record).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from graph import needs, writes
from graph.connection import Graph
from graph.vectors import embedding_model, ensure_vector_indexes
from ingest.records import detect_lang
from matching import matcher
from matching.encoder import evidence_text
from partnergraph.errors import InvalidRequest, NotFound
from partnergraph.settings import Settings
from service.auth import Principal, Role, require
from service.deps import encoder_of, graph_of, match_slots, settings_of
from service.pagination import Page, decode_cursor, page_of
from service.redact import need_view

from .match import (
    OrgKey,
    OrgKind,
    Postcode,
    RegionName,
    Suggestion,
    TradeCode,
    encodable,
    problem_responses,
    run_match,
    suggestion_out,
)

router = APIRouter(tags=["needs"])
staff_only = require(Role.staff)
readers = require(Role.staff, Role.university, Role.analyst)

Status = Literal["open", "in_progress", "solved", "closed"]
Visibility = Literal["public", "anonymous", "confidential"]
Lang = Literal["de", "en"]
FeedbackStatus = Literal["contacted", "accepted", "rejected"]

STATUSES: tuple[str, ...] = ("open", "in_progress", "solved", "closed")
VISIBILITIES: tuple[str, ...] = ("public", "anonymous", "confidential")
# What universities may see: needs someone still works on.
UNIVERSITY_STATUSES: tuple[str, ...] = ("open", "in_progress")
SOURCE = "api"

Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=300),
    AfterValidator(encodable),
]
NeedText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=20_000),
    AfterValidator(encodable),
]
Note = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=2000), AfterValidator(encodable)
]
NewKey = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,199}$")]
KeyPath = Annotated[str, Path(max_length=200, description="The need's key")]


# --- models -----------------------------------------------------------------------------------


class OrganizationRef(BaseModel):
    key: str
    name: str | None


class OrganizationBrief(OrganizationRef):
    kind: str | None
    city: str | None


class NeedView(BaseModel):
    """A need as the caller may see it."""

    key: str
    title: str | None
    text: str | None
    lang: str | None
    status: str | None
    visibility: str | None
    created_at: str | None = Field(description="ISO date")
    organization: OrganizationBrief | None = Field(
        description="The company behind the need; null when the caller may not know it"
    )
    organization_description: str | None = Field(
        description="Who has the need, without naming them, when `organization` is withheld"
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key": "need-verzug",
                    "title": "Verzug beim Schweißen dünner Edelstahlbleche",
                    "text": "Unsere 1-mm-Edelstahlbleche verziehen sich beim WIG-Schweißen.",
                    "lang": "de",
                    "status": "open",
                    "visibility": "confidential",
                    "created_at": "2026-03-02",
                    "organization": None,
                    "organization_description": "Unternehmen im Gebiet Dortmund",
                }
            ]
        }
    )


class NeedCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "org_key": "org-brandt",
                    "title": "Verzug beim Schweißen dünner Edelstahlbleche",
                    "text": "Unsere 1-mm-Edelstahlbleche verziehen sich beim WIG-Schweißen "
                    "stark. Wir suchen einen Partner, der verzugsarme Verfahren kennt.",
                    "visibility": "confidential",
                }
            ]
        },
    )

    org_key: OrgKey = Field(description="The company that has the need")
    title: Title
    text: NeedText
    lang: Lang | None = Field(None, description="de or en; detected from the text if absent")
    visibility: Visibility = "confidential"
    key: NewKey | None = Field(None, description="Generated (need-…) if absent")


class NeedUpdate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"status": "in_progress"},
                {"visibility": "anonymous", "text": "Wir suchen ein Verfahren gegen Verzug."},
            ]
        },
    )

    title: Title | None = None
    text: NeedText | None = None
    lang: Lang | None = None
    status: Status | None = None
    visibility: Visibility | None = None


class NeedSuggestions(BaseModel):
    need: NeedView
    suggestions: list[Suggestion]


class FeedbackBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"status": "contacted", "note": "Frau Weber angerufen, Termin am 12.03."},
                {"status": "accepted", "note": "Gemeinsamer Versuch im Technikum vereinbart."},
            ]
        },
    )

    status: FeedbackStatus
    note: Note | None = Field(None, description="What happened, up to 2000 characters")


class Feedback(BaseModel):
    organization: OrganizationRef
    status: FeedbackStatus
    note: str | None
    at: str = Field(description="ISO date and time")
    by: str | None = Field(description="The id of the API key that recorded it")


class FeedbackRecorded(Feedback):
    need: str


# --- helpers ----------------------------------------------------------------------------------


def text_hash(title: str | None, text: str | None) -> str:
    """The hash of what is encoded, as the ingest and `reembed` compute it."""
    return hashlib.sha256(evidence_text(title, text).encode()).hexdigest()[:32]


def _load(graph: Graph, key: str) -> dict[str, Any]:
    row = needs.need_with_company(graph, key)
    if row is None:
        raise NotFound(f"no need with key {key!r}")
    return row


def _visible(principal: Principal, row: dict[str, Any]) -> bool:
    return principal.role is not Role.university or row["need"]["status"] in UNIVERSITY_STATUSES


def _view(principal: Principal, row: dict[str, Any]) -> NeedView:
    return NeedView(**need_view(principal, row["need"], row["organization"]))


def _store_vector(graph: Graph, encoder: Any, key: str, vector: Any, digest: str) -> None:
    if embedding_model(graph) is None:  # a graph no ingest has filled yet
        ensure_vector_indexes(graph, encoder.name, encoder.dimension)
    writes.set_embeddings(
        graph,
        "Need",
        [{"key": key, "embedding": [float(x) for x in vector], "text_hash": digest}],
        encoder.name,
        encoder.dimension,
    )


def _encode(encoder: Any, title: str, text: str | None) -> Any:
    # As the ingest encodes needs (passage side), so stored vectors are alike whoever wrote them.
    return encoder.encode([evidence_text(title, text)])[0]


# --- routes -----------------------------------------------------------------------------------


@router.get(
    "/needs",
    summary="Needs, newest first, cursor-paginated [staff; university, analyst: anonymised]",
    description="Universities see only open and in-progress needs. For universities and "
    "analysts, `org` finds only the organisation's public needs: which company has a "
    "non-public need is not theirs to learn.",
    responses=problem_responses(400, 401, 403, 422),
)
def list_needs(
    principal: Principal = Depends(readers),
    graph: Graph = Depends(graph_of),
    settings: Settings = Depends(settings_of),
    status: Status | None = Query(None),
    visibility: Visibility | None = Query(None),
    org: str | None = Query(None, max_length=200, description="An organisation's key"),
    limit: int = Query(20, ge=1, le=1000, description="Capped by the service's page size"),
    cursor: str | None = Query(None, max_length=1000),
) -> Page[NeedView]:
    limit = min(limit, settings.max_page_size)
    statuses = [status] if status else list(STATUSES)
    if principal.role is Role.university:
        statuses = [s for s in statuses if s in UNIVERSITY_STATUSES]
    visibilities = [visibility] if visibility else list(VISIBILITIES)
    if org and not principal.privileged:
        visibilities = [v for v in visibilities if v == "public"]
    position = decode_cursor(cursor, arity=2)
    rows = needs.list_needs(
        graph,
        statuses=statuses,
        visibilities=visibilities,
        org=org,
        after=(position[0], position[1]) if position else None,
        limit=limit + 1,
    )
    page, next_cursor = page_of(rows, limit, lambda row: [row["day"], row["need"]["key"]])
    return Page[NeedView](items=[_view(principal, row) for row in page], next_cursor=next_cursor)


@router.post(
    "/needs",
    status_code=201,
    summary="Record a company's need; its text is encoded at once [staff]",
    responses=problem_responses(401, 403, 404, 409, 422),
)
def create_need(
    body: NeedCreate,
    principal: Principal = Depends(staff_only),
    graph: Graph = Depends(graph_of),
    encoder: Any = Depends(encoder_of),
) -> NeedView:
    key = body.key or f"need-{secrets.token_hex(6)}"
    lang = body.lang or detect_lang(f"{body.title} {body.text}")
    vector = _encode(encoder, body.title, body.text)  # before writing: a failure writes nothing
    fields = {
        "key": key,
        "org_key": body.org_key,
        "title": body.title,
        "text": body.text,
        "lang": lang,
        "status": "open",
        "visibility": body.visibility,
    }
    props = {
        **{name: value for name, value in fields.items() if name != "org_key"},
        "source": SOURCE,
        "hash": hashlib.sha256(
            json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()[:32],
    }
    if not needs.create_need(graph, body.org_key, props):
        raise NotFound(f"no organisation with key {body.org_key!r}")
    # Until the vector is stored the need has no embedding_model, so `reembed` would repair it.
    _store_vector(graph, encoder, key, vector, text_hash(body.title, body.text))
    return _view(principal, _load(graph, key))


@router.get(
    "/needs/{key}",
    summary="One need [staff; university, analyst: anonymised]",
    responses=problem_responses(401, 403, 404),
)
def get_need(
    key: KeyPath,
    principal: Principal = Depends(readers),
    graph: Graph = Depends(graph_of),
) -> NeedView:
    row = _load(graph, key)
    if not _visible(principal, row):
        raise NotFound(f"no need with key {key!r}")  # as if absent: its state is not theirs
    return _view(principal, row)


@router.patch(
    "/needs/{key}",
    summary="Change a need's title, text, language, status or visibility [staff]",
    description="A changed title or text is encoded again at once; the language is detected "
    "again when the text changes and none is given.",
    responses=problem_responses(401, 403, 404, 422),
)
def update_need(
    key: KeyPath,
    body: NeedUpdate,
    principal: Principal = Depends(staff_only),
    graph: Graph = Depends(graph_of),
    encoder: Any = Depends(encoder_of),
) -> NeedView:
    current = _load(graph, key)["need"]
    changes: dict[str, Any] = body.model_dump(exclude_none=True)
    vector, digest = None, None
    if "title" in changes or "text" in changes:
        title = changes.get("title", current["title"])
        text = changes.get("text", current["text"])
        if "text" in changes and "lang" not in changes:
            changes["lang"] = detect_lang(f"{title} {text}")
        digest = text_hash(title, text)
        if digest != current["text_hash"] or current["embedding_model"] != encoder.name:
            vector = _encode(encoder, title, text)
            # Marked stale with the new words, so a failure before the vector is stored is
            # repaired by `reembed` rather than leaving a vector of the old text.
            changes["embedding_model"] = None
    if changes and not needs.update_need(graph, key, changes):
        raise NotFound(f"no need with key {key!r}")
    if vector is not None and digest is not None:
        _store_vector(graph, encoder, key, vector, digest)
    return _view(principal, _load(graph, key))


@router.post(
    "/needs/{key}/close",
    summary="Close a need [staff]",
    responses=problem_responses(401, 403, 404),
)
def close_need(
    key: KeyPath,
    principal: Principal = Depends(staff_only),
    graph: Graph = Depends(graph_of),
) -> NeedView:
    if not needs.update_need(graph, key, {"status": "closed"}):
        raise NotFound(f"no need with key {key!r}")
    return _view(principal, _load(graph, key))


@router.get(
    "/needs/{key}/suggestions",
    summary="Partner suggestions for a need, with what staff recorded for each [staff]",
    description="The need's company asks: it is left out, paths lead from it to each "
    "suggestion, and distances are measured from it unless `near` names a postcode. The "
    "filters are those of `POST /match`.",
    responses=problem_responses(401, 403, 404, 422),
)
def need_suggestions(
    key: KeyPath,
    principal: Principal = Depends(staff_only),
    graph: Graph = Depends(graph_of),
    encoder: Any = Depends(encoder_of),
    settings: Settings = Depends(settings_of),
    slots: threading.BoundedSemaphore = Depends(match_slots),
    limit: int = Query(10, ge=1, le=50),
    kinds: list[OrgKind] | None = Query(None, max_length=8),
    trades: list[TradeCode] | None = Query(
        None, max_length=50, description="Trade codes (A13, ...): a signal", examples=[["A13"]]
    ),
    near: Postcode | None = Query(
        None,
        description="A postcode in North Rhine-Westphalia to measure distances from",
        examples=["58452"],
    ),
    radius_km: float | None = Query(None, ge=1, le=300),
    regions: list[RegionName] | None = Query(
        None,
        max_length=10,
        description="Only organisations in one of these regions (town, district or "
        "Regierungsbezirk, by name or key)",
        examples=[["Ennepe-Ruhr-Kreis"]],
    ),
) -> NeedSuggestions:
    row = _load(graph, key)
    need, company = row["need"], row["organization"]
    request = matcher.MatchRequest(
        text=evidence_text(need["title"], need["text"]),
        kinds=tuple(kinds) if kinds else None,
        near=near,
        radius_km=radius_km,
        limit=limit,
        asker=company["key"] if company else None,
        trades=tuple(code.upper() for code in trades) if trades else None,
        regions=tuple(regions) if regions else None,
    )
    found = run_match(graph, encoder, settings, request, slots)
    recorded = {item["organization"]["key"]: item for item in needs.feedback_of_need(graph, key)}
    return NeedSuggestions(
        need=_view(principal, row),
        suggestions=[suggestion_out(s, recorded.get(s.key)) for s in found],
    )


@router.post(
    "/needs/{key}/suggestions/{org_key}/feedback",
    summary="Record what happened to a suggestion: contacted, accepted or rejected [staff]",
    description="One record per need and organisation, replaced by the latest. `accepted` "
    "records that the need's company cooperates with the organisation (COOPERATES_WITH), "
    "which later matches for that company count as earlier cooperation; another status "
    "afterwards takes it back.",
    responses=problem_responses(400, 401, 403, 404, 422),
)
def record_feedback(
    key: KeyPath,
    org_key: Annotated[str, Path(max_length=200, description="The suggested organisation")],
    body: FeedbackBody,
    principal: Principal = Depends(staff_only),
    graph: Graph = Depends(graph_of),
) -> FeedbackRecorded:
    company = _load(graph, key)["organization"]
    if company and company["key"] == org_key:
        raise InvalidRequest(f"{org_key!r} has this need; it cannot be its own partner")
    note = body.note or None
    stored = needs.record_feedback(graph, key, org_key, body.status, note, principal.key_id)
    if stored is None:
        raise NotFound(f"no organisation with key {org_key!r}")
    return FeedbackRecorded(**stored)


@router.get(
    "/needs/{key}/feedback",
    summary="What staff recorded for the suggestions of a need, latest first [staff]",
    responses=problem_responses(401, 403, 404),
)
def list_feedback(
    key: KeyPath,
    principal: Principal = Depends(staff_only),
    graph: Graph = Depends(graph_of),
) -> list[Feedback]:
    _load(graph, key)
    return [Feedback(**row) for row in needs.feedback_of_need(graph, key)]
