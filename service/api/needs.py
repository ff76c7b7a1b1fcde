"""The needs workflow: create, read, update and close needs, suggest partners, record feedback.

Every need that leaves the service goes through `service.redact.need_view`: staff see the
company behind it; universities and analysts see an anonymous or confidential need only in the
wording staff released for it (`/needs/{key}/shared`, `service.release`), under its shared key,
and not at all before (universities only open and in-progress ones).

A need's text is encoded when it is created or its words change, with the ingest's rule for
what is encoded and for the text hash (`graph.texts`), so `partnergraph reembed` and a later
ingest see the vector as current. API needs carry `source: "api"`. An update leaves the row
`hash` alone: a re-load of an unchanged export row then does not undo a status set here (a
changed text of an exported need is restored by the next load of that export, its record).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Header, Path, Query, Response
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from graph import cases, needs, writes
from graph.connection import Graph
from graph.model import Label, NeedStatus, OrgKind, Visibility
from graph.texts import detect_lang, evidence_text, text_hash
from graph.vectors import Encoder, embedding_model, ensure_vector_indexes
from matching import matcher
from partnergraph.errors import Conflict, InvalidRequest, NotFound
from service import release
from service.auth import Principal, Role, require
from service.deps import (
    EncoderDep,
    GraphDep,
    MatchSlotsDep,
    ScrubbersDep,
    SettingsDep,
)
from service.pagination import Page, decode_cursor, page_of
from service.redact import is_released, need_view
from service.release import Scrubbers
from service.scrub import Proposal

from .models import (
    UNIVERSITY_STATUSES,
    NeedView,
    OrganizationRef,
    OrgKey,
    Postcode,
    RegionName,
    Suggestion,
    TradeCode,
    case_event,
    encodable,
    problem_responses,
    run_match,
    suggestion_out,
)

router = APIRouter(tags=["needs"])
staff_only = require(Role.staff)
readers = require(Role.staff, Role.university, Role.analyst)

Lang = Literal["de", "en"]
FeedbackStatus = Literal["contacted", "accepted", "rejected"]

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
    visibility: Visibility = Visibility.confidential
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
    status: NeedStatus | None = None
    visibility: Visibility | None = None


class Marked(BaseModel):
    start: int = Field(description="Offset of the placeholder in the proposed text")
    end: int
    original: str = Field(description="What the placeholder replaces")
    kind: str = Field(description="organization, person, street, postcode, town, headcount, ...")


class ProposedText(BaseModel):
    text: str
    marks: list[Marked]

    @classmethod
    def of(cls, proposal: Proposal) -> ProposedText:
        return cls(
            text=proposal.text,
            marks=[
                Marked(start=m.start, end=m.end, original=m.original, kind=m.kind)
                for m in proposal.marks
            ],
        )


class SharedWording(BaseModel):
    """What universities and analysts read of a non-public need, and what is proposed."""

    key: str = Field(description="The need's own key")
    visibility: str
    proposed_title: ProposedText = Field(description="The title with identifying details replaced")
    proposed_text: ProposedText
    description: str = Field(
        description="How the company is described to readers (only as precisely as keeps it "
        "among at least five organisations)"
    )
    released: bool = Field(description="Whether a release of the need's current words exists")
    shared_key: str | None = Field(None, description="The key readers know the need by")
    shared_title: str | None = None
    shared_text: str | None = None
    shared_description: str | None = None
    released_at: str | None = None
    released_by: str | None = None


class SharedWordingIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "title": "Verzug beim Schweißen dünner Edelstahlbleche",
                    "text": "Unsere 1-mm-Edelstahlbleche verziehen sich beim WIG-Schweißen.",
                }
            ]
        },
    )

    title: Title
    text: NeedText


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


def _load(graph: Graph, key: str) -> dict[str, Any]:
    row = needs.need_with_company(graph, key)
    if row is None:
        raise NotFound(f"no need with key {key!r}")
    return row


def _visible(principal: Principal, row: dict[str, Any]) -> bool:
    return principal.role is not Role.university or row["need"]["status"] in UNIVERSITY_STATUSES


def _view(principal: Principal, row: dict[str, Any]) -> NeedView | None:
    view = need_view(principal, row["need"], row["organization"])
    if view is None:
        return None
    if principal.privileged:
        need = row["need"]
        view["release"] = (
            "public"
            if need.get("visibility") == Visibility.public
            else "released"
            if is_released(need)
            else "pending"
        )
    return NeedView(**view)


def _staff_view(principal: Principal, row: dict[str, Any]) -> NeedView:
    view = _view(principal, row)
    assert view is not None  # staff see every need
    return view


def _store_vector(graph: Graph, encoder: Encoder, key: str, vector: Any, digest: str) -> None:
    if embedding_model(graph) is None:  # a graph no ingest has filled yet
        ensure_vector_indexes(graph, encoder.name, encoder.dimension)
    writes.set_embeddings(
        graph,
        Label.Need,
        [{"key": key, "embedding": [float(x) for x in vector], "text_hash": digest}],
        encoder.name,
        encoder.dimension,
    )


def _encode(encoder: Encoder, title: str, text: str | None) -> Any:
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
    *,
    principal: Principal = Depends(readers),
    graph: GraphDep,
    settings: SettingsDep,
    status: NeedStatus | None = Query(None),
    visibility: Visibility | None = Query(None),
    org: str | None = Query(None, max_length=200, description="An organisation's key"),
    limit: int = Query(20, ge=1, le=1000, description="Capped by the service's page size"),
    cursor: str | None = Query(None, max_length=1000),
) -> Page[NeedView]:
    limit = min(limit, settings.max_page_size)
    statuses = [status] if status else list(NeedStatus)
    if principal.role is Role.university:
        statuses = [s for s in statuses if s in UNIVERSITY_STATUSES]
    visibilities = [visibility] if visibility else list(Visibility)
    if org and not principal.privileged:
        visibilities = [v for v in visibilities if v == Visibility.public]
    position = decode_cursor(cursor, arity=2)
    rows = needs.list_needs(
        graph,
        statuses=statuses,
        visibilities=visibilities,
        org=org,
        after=(position[0], position[1]) if position else None,
        limit=limit + 1,
        shared_only=not principal.privileged,
    )
    page, next_cursor = page_of(rows, limit, lambda row: [row["day"], row["public_key"]])
    views = [_view(principal, row) for row in page]
    return Page[NeedView](items=[v for v in views if v is not None], next_cursor=next_cursor)


@router.post(
    "/needs",
    status_code=201,
    summary="Record a company's need; its text is encoded at once [staff]",
    responses=problem_responses(401, 403, 404, 409, 422),
)
def create_need(
    body: NeedCreate,
    response: Response,
    *,
    principal: Principal = Depends(staff_only),
    graph: GraphDep,
    encoder: EncoderDep,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=200,
        description="Any token the client makes once per need: the same token again (a "
        "double click, a retry) answers with the need it made (200) instead of a second one",
    ),
) -> NeedView:
    token = f"{principal.key_id}:{idempotency_key}" if idempotency_key else None
    if token and (made := cases.need_by_idempotency(graph, token)) is not None:
        response.status_code = 200
        return _staff_view(principal, _load(graph, made))
    key = body.key or f"need-{secrets.token_hex(6)}"
    lang = body.lang or detect_lang(f"{body.title} {body.text}")
    vector = _encode(encoder, body.title, body.text)  # before writing: a failure writes nothing
    fields = {
        "key": key,
        "org_key": body.org_key,
        "title": body.title,
        "text": body.text,
        "lang": lang,
        "status": NeedStatus.open,
        "visibility": body.visibility,
    }
    props = {
        **{name: value for name, value in fields.items() if name != "org_key"},
        "source": SOURCE,
        "hash": hashlib.sha256(
            json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()
        ).hexdigest()[:32],
        "owner": principal.key_id,
        **({"idempotency": token} if token else {}),
    }
    try:
        created = needs.create_need(graph, body.org_key, props)
    except Conflict:
        # two requests with one token raced: the constraint let one through, answer with it
        if token and (made := cases.need_by_idempotency(graph, token)) is not None:
            response.status_code = 200
            return _staff_view(principal, _load(graph, made))
        raise
    if not created:
        raise NotFound(f"no organisation with key {body.org_key!r}")
    case_event(graph, key, "created", principal.key_id, new=body.visibility)
    # Until the vector is stored the need has no embedding_model, so `reembed` would repair it.
    _store_vector(graph, encoder, key, vector, text_hash(evidence_text(body.title, body.text)))
    return _staff_view(principal, _load(graph, key))


@router.get(
    "/needs/{key}",
    summary="One need [staff; university, analyst: anonymised]",
    responses=problem_responses(401, 403, 404),
)
def get_need(
    key: KeyPath,
    *,
    principal: Principal = Depends(readers),
    graph: GraphDep,
) -> NeedView:
    row = _load(graph, key) if principal.privileged else needs.shared_need_with_company(graph, key)
    view = _view(principal, row) if row is not None and _visible(principal, row) else None
    if view is None:
        raise NotFound(f"no need with key {key!r}")  # as if absent: its state is not theirs
    return view


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
    *,
    principal: Principal = Depends(staff_only),
    graph: GraphDep,
    encoder: EncoderDep,
) -> NeedView:
    current = _load(graph, key)["need"]
    changes: dict[str, Any] = body.model_dump(exclude_none=True)
    vector, digest = None, None
    if "title" in changes or "text" in changes:
        title = changes.get("title", current["title"])
        text = changes.get("text", current["text"])
        if "text" in changes and "lang" not in changes:
            changes["lang"] = detect_lang(f"{title} {text}")
        digest = text_hash(evidence_text(title, text))
        if digest != current["text_hash"] or current["embedding_model"] != encoder.name:
            vector = _encode(encoder, title, text)
            # Marked stale with the new words, so a failure before the vector is stored is
            # repaired by `reembed` rather than leaving a vector of the old text.
            changes["embedding_model"] = None
    if changes and not needs.update_need(graph, key, changes):
        raise NotFound(f"no need with key {key!r}")
    if vector is not None and digest is not None:
        _store_vector(graph, encoder, key, vector, digest)
    for name in ("status", "visibility", "title", "text"):
        if name in changes and changes[name] != current.get(name):
            old, new = (None, None) if name == "text" else (current.get(name), changes[name])
            case_event(graph, key, name, principal.key_id, field=name, old=old, new=new)
    return _staff_view(principal, _load(graph, key))


@router.post(
    "/needs/{key}/close",
    summary="Close a need [staff]",
    responses=problem_responses(401, 403, 404),
)
def close_need(
    key: KeyPath,
    *,
    principal: Principal = Depends(staff_only),
    graph: GraphDep,
) -> NeedView:
    old = _load(graph, key)["need"]["status"]
    if not needs.update_need(graph, key, {"status": "closed"}):
        raise NotFound(f"no need with key {key!r}")
    if old != NeedStatus.closed:
        case_event(graph, key, "status", principal.key_id, field="status", old=old, new="closed")
    return _staff_view(principal, _load(graph, key))


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
    *,
    principal: Principal = Depends(staff_only),
    graph: GraphDep,
    encoder: EncoderDep,
    settings: SettingsDep,
    slots: MatchSlotsDep,
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
        need=_staff_view(principal, row),
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
    *,
    principal: Principal = Depends(staff_only),
    graph: GraphDep,
) -> FeedbackRecorded:
    company = _load(graph, key)["organization"]
    if company and company["key"] == org_key:
        raise InvalidRequest(f"{org_key!r} has this need; it cannot be its own partner")
    note = body.note or None
    stored = needs.record_feedback(graph, key, org_key, body.status, note, principal.key_id)
    if stored is None:
        raise NotFound(f"no organisation with key {org_key!r}")
    case_event(graph, key, "feedback", principal.key_id, new=body.status, org=org_key, note=note)
    return FeedbackRecorded(**stored)


@router.get(
    "/needs/{key}/feedback",
    summary="What staff recorded for the suggestions of a need, latest first [staff]",
    responses=problem_responses(401, 403, 404),
)
def list_feedback(
    key: KeyPath,
    *,
    principal: Principal = Depends(staff_only),
    graph: GraphDep,
) -> list[Feedback]:
    _load(graph, key)
    return [Feedback(**row) for row in needs.feedback_of_need(graph, key)]


# --- the shared wording of non-public needs ------------------------------------------------------


def _shared(graph: Graph, scrubbers: Scrubbers, key: str) -> SharedWording:
    need = _load(graph, key)["need"]
    proposal = release.propose(graph, scrubbers.get(graph), key)
    current = is_released(need)
    return SharedWording(
        key=key,
        visibility=need["visibility"],
        proposed_title=ProposedText.of(proposal.title),
        proposed_text=ProposedText.of(proposal.text),
        description=proposal.description,
        released=current,
        shared_key=need.get("shared_id") if current else None,
        shared_title=need.get("shared_title") if current else None,
        shared_text=need.get("shared_text") if current else None,
        shared_description=need.get("shared_description") if current else None,
        released_at=need.get("released_at") if current else None,
        released_by=need.get("released_by") if current else None,
    )


@router.get(
    "/needs/{key}/shared",
    summary="What universities and analysts read of a non-public need: the proposed wording "
    "with the replaced passages marked, and the released one [staff]",
    description="The proposal replaces names of organisations and people of the graph (also "
    "hyphenated, line-broken, in the genitive or in part), streets, postcodes, towns, "
    "headcounts, revenue, e-mail, phone, web addresses, keys, and sentences the company also "
    "says in public. Until a wording is released (`PUT`), universities and analysts do not "
    "see the need at all; a change of its words or visibility needs a new release.",
    responses=problem_responses(401, 403, 404),
)
def get_shared(
    key: KeyPath,
    *,
    principal: Principal = Depends(staff_only),
    graph: GraphDep,
    scrubbers: ScrubbersDep,
) -> SharedWording:
    return _shared(graph, scrubbers, key)


@router.put(
    "/needs/{key}/shared",
    summary="Release the wording universities and analysts read of a non-public need [staff]",
    description="Usually the proposal of `GET`, as staff edited it. The company is described "
    "as the proposal's `description` says, fixed with the release.",
    responses=problem_responses(400, 401, 403, 404, 422),
)
def put_shared(
    key: KeyPath,
    body: SharedWordingIn,
    *,
    principal: Principal = Depends(staff_only),
    graph: GraphDep,
    encoder: EncoderDep,
    scrubbers: ScrubbersDep,
) -> SharedWording:
    release.release(graph, encoder, key, body.title, body.text, principal.key_id)
    case_event(graph, key, "released", principal.key_id)
    return _shared(graph, scrubbers, key)


@router.delete(
    "/needs/{key}/shared",
    status_code=204,
    summary="Withdraw the release: universities and analysts no longer see the need [staff]",
    responses=problem_responses(401, 403, 404),
)
def delete_shared(
    key: KeyPath,
    *,
    principal: Principal = Depends(staff_only),
    graph: GraphDep,
) -> Response:
    if not needs.withdraw_release(graph, key):
        raise NotFound(f"no need with key {key!r}")
    return Response(status_code=204)
