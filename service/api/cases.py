"""Needs as cases: what staff work on every day, and what universities answer.

Staff list their needs (`GET /cases`, "Meine Bedarfe / Alle Bedarfe") with company, case
status, owner, last activity, the partners contacted / accepted / rejected and the universities
that answered; open one (`GET /cases/{key}`) with its history (who changed what, when: `NeedEvent`
nodes) and the shortlist stored when it was saved (`PUT /cases/{key}/shortlist`), so the ranking
staff saw does not reshuffle. Universities answer a need they may read (`POST
/needs/{key}/answers`, by the key they know it by) for themselves or one of their units; staff
see the answers on the case and connect them (`POST /cases/{key}/answers/{id}/connect`). A
university sees its answers (`GET /answers`) and, once connected, the company: before that,
exactly what the release rules allow (`service.redact.need_view`).
"""

from __future__ import annotations

import json
import secrets
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from graph import cases, explore, needs
from graph.model import Visibility
from partnergraph.errors import Forbidden, NotFound
from service.auth import Principal, Role, require
from service.deps import GraphDep
from service.redact import need_view

from .models import (
    UNIVERSITY_STATUSES,
    NeedView,
    OrganizationBrief,
    OrganizationRef,
    Suggestion,
    encodable,
    problem_responses,
)
from .models import case_event as event

router = APIRouter(tags=["cases"])
staff_only = require(Role.staff)
universities = require(Role.university)
answer_readers = require(Role.university, Role.staff)

CaseStatus = Literal["new", "in_progress", "partner_found", "solved", "closed"]
CASE_STATUSES: tuple[str, ...] = ("new", "in_progress", "partner_found", "solved", "closed")
KeyPath = Annotated[str, Path(max_length=200, description="The need's key")]
Message = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=2000),
    AfterValidator(encodable),
]
Contact = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=300),
    AfterValidator(encodable),
]


# --- models -------------------------------------------------------------------------------------


class CaseFeedback(BaseModel):
    organization: OrganizationBrief | OrganizationRef
    status: Literal["contacted", "accepted", "rejected"]
    note: str | None
    at: str
    by: str | None = None


class CaseAnswer(BaseModel):
    id: str
    organization: OrganizationRef
    message: str
    contact: str
    status: Literal["new", "connected"]
    at: str


class CaseItem(BaseModel):
    need: NeedView
    case_status: CaseStatus
    owner: str | None = Field(description="The id of the key that recorded the need")
    owner_name: str | None
    last_activity: str | None = Field(description="ISO date and time of the latest change")
    feedback: list[CaseFeedback]
    answers: list[CaseAnswer]


class CaseEvent(BaseModel):
    id: str
    at: str
    by: str | None
    by_name: str | None
    kind: str
    field: str | None
    old: str | None
    new: str | None
    org: str | None
    org_name: str | None
    note: str | None


class StoredShortlist(BaseModel):
    at: str | None = Field(description="When the shortlist was stored (when the need was saved)")
    suggestions: list[Suggestion]


class Case(CaseItem):
    events: list[CaseEvent]
    shortlist: StoredShortlist | None


class ShortlistIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    suggestions: list[Suggestion] = Field(max_length=50)


class AnswerIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "message": "Unser Lehrstuhl forscht zu verzugsarmem Laserschweißen.",
                    "contact": "Dr. Weber, 0231 755-0, weber@tu-dortmund.example",
                    "org": "chair-fuegetechnik",
                }
            ]
        },
    )
    message: Message = Field(description="Interesse / wir können helfen: how, in a few words")
    contact: Contact = Field(description="Who the company may talk to")
    org: str | None = Field(
        None, max_length=200, description="One of the university's units; itself if absent"
    )


class AnswerOut(BaseModel):
    id: str
    organization: OrganizationRef
    message: str
    contact: str
    status: Literal["new", "connected"]
    at: str
    need: NeedView = Field(
        description="The need as the university may read it; with the company once connected"
    )
    company: dict[str, Any] | None = Field(
        None, description="The company and its contact data, once staff connected them"
    )


# --- helpers ------------------------------------------------------------------------------------


def _need_view(principal: Principal, row: dict[str, Any]) -> NeedView:
    view = need_view(principal, row["need"], row["organization"])
    assert view is not None  # staff see every need
    return NeedView(**view)


def _item(principal: Principal, row: dict[str, Any]) -> dict[str, Any]:
    need = row["need"]
    return {
        "need": _need_view(principal, row),
        "case_status": row["case_status"],
        "owner": need.get("owner"),
        "owner_name": row["owner_name"],
        "last_activity": need.get("last_activity"),
        "feedback": [CaseFeedback(**f) for f in row["feedback"] if f],
        "answers": [CaseAnswer(**a) for a in row["answers"] if a],
    }


# --- routes -------------------------------------------------------------------------------------


@router.get(
    "/cases",
    summary="Needs as cases: company, status, owner, last activity, partners, answers [staff]",
    description="`mine=true`: only the needs recorded with the caller's key. Sorted by the "
    "latest activity (default), by creation or by company.",
    responses=problem_responses(401, 403, 422),
)
def list_cases(
    *,
    principal: Principal = Depends(staff_only),
    graph: GraphDep,
    mine: bool = Query(False),
    status: list[CaseStatus] | None = Query(None, max_length=5),
    sort: Literal["activity", "created", "company"] = Query("activity"),
    limit: int = Query(100, ge=1, le=500),
) -> list[CaseItem]:
    rows = cases.list_cases(
        graph,
        owner=principal.key_id if mine else None,
        statuses=list(status) if status else None,
        sort=sort,
        limit=limit,
    )
    return [CaseItem(**_item(principal, row)) for row in rows]


@router.get(
    "/cases/{key}",
    summary="One need as a case: history, stored shortlist, partners, answers [staff]",
    responses=problem_responses(401, 403, 404),
)
def get_case(
    key: KeyPath,
    *,
    principal: Principal = Depends(staff_only),
    graph: GraphDep,
) -> Case:
    row = cases.case(graph, key)
    if row is None:
        raise NotFound(f"no need with key {key!r}")
    shortlist = None
    if row["shortlist"]:
        shortlist = StoredShortlist(
            at=row["shortlist_at"],
            suggestions=[Suggestion(**s) for s in json.loads(row["shortlist"])],
        )
    return Case(
        **_item(principal, row),
        events=[CaseEvent(**e) for e in cases.events_of(graph, key)],
        shortlist=shortlist,
    )


@router.put(
    "/cases/{key}/shortlist",
    summary="Keep the suggestions as they were shown when the need was saved [staff]",
    responses=problem_responses(401, 403, 404, 422),
)
def put_shortlist(
    key: KeyPath,
    body: ShortlistIn,
    *,
    principal: Principal = Depends(staff_only),
    graph: GraphDep,
) -> StoredShortlist:
    text = json.dumps([s.model_dump() for s in body.suggestions], ensure_ascii=False)
    at = cases.store_shortlist(graph, key, text)
    if at is None:
        raise NotFound(f"no need with key {key!r}")
    event(graph, key, "shortlist", principal.key_id, new=str(len(body.suggestions)))
    return StoredShortlist(at=at, suggestions=body.suggestions)


@router.post(
    "/cases/{key}/answers/{answer_id}/connect",
    summary="Connect a university that answered with the need's company [staff]",
    description="From then on the university sees who has the need and how to reach them.",
    responses=problem_responses(401, 403, 404),
)
def connect(
    key: KeyPath,
    answer_id: Annotated[str, Path(max_length=100)],
    *,
    principal: Principal = Depends(staff_only),
    graph: GraphDep,
) -> Case:
    done = cases.connect_answer(graph, key, answer_id)
    if done is None:
        raise NotFound(f"no answer {answer_id!r} to the need {key!r}")
    event(graph, key, "connected", principal.key_id, org=done["org"])
    return get_case(key, principal=principal, graph=graph)


@router.post(
    "/needs/{key}/answers",
    status_code=201,
    summary="Interesse / wir können helfen: a university answers a need it may read [university]",
    description="`key` is the key the university knows the need by. One answer per need and "
    "organisation (a new one replaces it). `org` may name a unit of the university (a chair, "
    "an institute) that can help.",
    responses=problem_responses(401, 403, 404, 422),
)
def answer_need(
    key: KeyPath,
    body: AnswerIn,
    *,
    principal: Principal = Depends(universities),
    graph: GraphDep,
) -> AnswerOut:
    row = needs.shared_need_with_company(graph, key)
    if row is None or row["need"]["status"] not in UNIVERSITY_STATUSES:
        raise NotFound(f"no need with key {key!r}")
    own = principal.organization
    org = body.org or own
    if not own or not org or not explore.is_within(graph, org, own):
        raise Forbidden(
            f"a university key answers for its own organisation ({own or 'none set'}) and its "
            f"units, not for {org!r}"
        )
    need_key = row["need"]["key"]
    stored = cases.add_answer(
        graph,
        need_key,
        org,
        {
            "id": f"ans-{secrets.token_hex(8)}",
            "message": body.message,
            "contact": body.contact,
            "by": principal.key_id,
        },
    )
    if stored is None:
        raise NotFound(f"no organisation with key {org!r}")
    event(graph, need_key, "answer", principal.key_id, org=org, note=body.message)
    answers = my_answers(principal=principal, graph=graph, org=None)
    return next(a for a in answers if a.id == stored["id"])


@router.get(
    "/answers",
    summary="The answers the caller's university and its units gave, and their status "
    "[university; staff: all of one organisation with `org`]",
    responses=problem_responses(401, 403, 422),
)
def my_answers(
    *,
    principal: Principal = Depends(answer_readers),
    graph: GraphDep,
    org: str | None = Query(None, max_length=200, description="Staff: whose answers"),
) -> list[AnswerOut]:
    root = org if principal.privileged else principal.organization
    if not root:
        return []
    units = [row["key"] for row in cases.units_of(graph, root)]
    out = []
    for row in cases.answers_of_organizations(graph, units):
        connected = row["status"] == "connected"
        if principal.privileged:
            view = _need_view(principal, {"need": row["need"], "organization": row["company"]})
            company = row["company"]
        elif connected:
            view, company = need_view_privileged(row), row["company"]
        else:
            seen = need_view(principal, row["need"], row["company"])
            if seen is None:  # its words changed since: no longer released
                continue
            view, company = NeedView(**seen), None
        out.append(
            AnswerOut(
                id=row["id"],
                organization=OrganizationRef(**row["organization"]),
                message=row["message"],
                contact=row["contact"],
                status=row["status"],
                at=row["at"],
                need=view,
                company=company,
            )
        )
    return out


def need_view_privileged(row: dict[str, Any]) -> NeedView:
    """A connected need as the university may now read it: its company named (the need's own
    words stay the released wording unless the need is public)."""
    need, company = row["need"], row["company"] or {}
    public = need.get("visibility") == Visibility.public
    return NeedView(
        key=need["key"] if public else need.get("shared_id") or need["key"],
        title=need["title"] if public else need.get("shared_title"),
        text=need["text"] if public else need.get("shared_text"),
        lang=need.get("lang"),
        status=need.get("status"),
        visibility=need.get("visibility"),
        created_at=need.get("created_at"),
        organization=OrganizationBrief(
            key=company.get("key", ""),
            name=company.get("name"),
            kind=company.get("kind"),
            city=company.get("city"),
        )
        if company
        else None,
        organization_description=need.get("shared_description"),
    )
