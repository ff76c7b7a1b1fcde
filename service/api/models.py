"""What the routers share: request field types, the error responses of the OpenAPI document, the
suggestion and need models, and the few helpers more than one router calls.

Routers import these from here rather than from each other (the exports router alone reuses the
explorer's graph builders in `graph_views`).
"""

from __future__ import annotations

import secrets
import threading
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from graph import cases, search
from graph.connection import Graph
from graph.model import ACTIVE_STATUSES, NeedStatus
from graph.vectors import Encoder
from matching import matcher
from matching.strength import strength, strength_score
from partnergraph.errors import NotFound
from partnergraph.settings import Settings

# What universities may see: needs someone still works on.
UNIVERSITY_STATUSES: tuple[NeedStatus, ...] = ACTIVE_STATUSES


# --- request fields -------------------------------------------------------------------------------


def encodable(value: str) -> str:
    # JSON may carry lone surrogates ("\ud800"); they cannot be stored or encoded, so they are
    # an input error (422) here rather than a failure deep in the driver. NUL characters would
    # be stored, and then break the CSV and GraphML exports.
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise ValueError("contains characters that are not valid Unicode") from error
    if "\x00" in value:
        raise ValueError("contains a NUL character")
    return value


OrgKey = Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(encodable)]
Postcode = Annotated[str, StringConstraints(pattern=r"^\d{5}$")]
TradeCode = Annotated[str, StringConstraints(pattern=r"^[A-Za-z]\d{1,2}$")]
RegionName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=2, max_length=100),
    AfterValidator(encodable),
]


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for error statuses: every error is a problem+json document."""
    what = {
        400: "The request cannot be done as asked (e.g. a cursor not made by this service)",
        401: "No API key, or an unknown or revoked one",
        403: "The key's role may not do this",
        404: "A named need, organisation or postcode does not exist",
        409: "Conflicts with what is stored (e.g. the key is taken)",
        422: "A field is missing or invalid; `errors` lists each one",
        429: "As many of these as the service runs at once are running; see `Retry-After`",
        504: "The work took longer than the service allows",
    }
    return {
        status: {
            "description": what[status],
            "content": {
                "application/problem+json": {
                    "example": {
                        "type": "about:blank",
                        "title": "Nicht gefunden" if status == 404 else "Fehler",
                        "status": status,
                        "detail": "no need with key 'need-xyz'" if status == 404 else what[status],
                        "instance": "/api/v1/...",
                    }
                }
            },
        }
        for status in statuses
    }


# --- suggestions ---------------------------------------------------------------------------------


class ScoreParts(BaseModel):
    semantic: float = Field(description="Text similarity by meaning, scaled by the best (0..1)")
    lexical: float = Field(description="Shared words (German full text), scaled by the best")
    graph: float = Field(description="Sum of the graph signals")


class EvidenceItem(BaseModel):
    key: str
    label: str = Field(description="Competence or Project")
    title: str
    snippet: str
    marks: list[tuple[int, int]] = Field(
        description="Character ranges [start, end) in `snippet` of the need's words"
    )
    terms: list[str]
    semantic_similarity: float | None
    lexical_score: float | None


class PathStep(BaseModel):
    label: str
    key: str | None
    name: str | None
    via: str | None = Field(None, description="The relationship that leads to this step")


class FeedbackBrief(BaseModel):
    status: Literal["contacted", "accepted", "rejected"]
    note: str | None
    at: str


class Suggestion(BaseModel):
    key: str
    name: str
    kind: str
    city: str | None
    distance_km: float | None
    score: float
    parts: ScoreParts
    signals: dict[str, float] = Field(
        description="Graph signals that added to the score: near, cooperation, event, trade"
    )
    evidence: list[EvidenceItem]
    path: list[PathStep] = Field(description="How the asking company is connected to it")
    shared_projects: list[str]
    shared_events: list[str]
    feedback: FeedbackBrief | None = Field(
        None, description="What staff recorded for this suggestion (need suggestions only)"
    )
    strength: Literal["strong", "medium", "weak"] = Field(
        "weak",
        description="Match strength on an absolute scale (the best evidence's semantic "
        "similarity, calibrated on the judged set): strong, medium or weak",
    )
    strength_score: float = Field(0.0, description="The best evidence's semantic similarity")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key": "chair-fuegetechnik",
                    "name": "Lehrstuhl für Fügetechnik",
                    "kind": "research_group",
                    "city": "Dortmund",
                    "distance_km": 4.1,
                    "score": 1.27,
                    "parts": {"semantic": 0.81, "lexical": 0.19, "graph": 0.27},
                    "signals": {"near": 0.12, "cooperation": 0.1, "event": 0.05},
                    "evidence": [
                        {
                            "key": "comp-laser",
                            "label": "Competence",
                            "title": "Laserstrahlschweißen von Dünnblech",
                            "snippet": "Laserstrahlschweißen von Dünnblech. Verzugsarmes Fügen "
                            "von Edelstahl- und Aluminiumblechen",
                            "marks": [[0, 21], [59, 68]],
                            "terms": ["Edelstahl-", "Laserstrahlschweißen"],
                            "semantic_similarity": 0.62,
                            "lexical_score": 3.1,
                        }
                    ],
                    "path": [
                        {"label": "Organization", "key": "org-brandt", "name": "Brandt GmbH"},
                        {
                            "label": "Project",
                            "key": "proj-leichtbau",
                            "name": "LeichtFüge",
                            "via": "PARTICIPATED_IN",
                        },
                        {
                            "label": "Organization",
                            "key": "chair-fuegetechnik",
                            "name": "Lehrstuhl für Fügetechnik",
                            "via": "PARTICIPATED_IN",
                        },
                    ],
                    "shared_projects": ["LeichtFüge: Laserfügen im Leichtbau"],
                    "shared_events": ["Netzwerktreffen Produktion Ruhr 2026"],
                    "feedback": None,
                }
            ]
        }
    )


def suggestion_out(found: matcher.Suggestion, feedback: dict[str, Any] | None = None) -> Suggestion:
    best = strength_score(item.get("semantic_similarity") for item in found.evidence)
    return Suggestion(
        strength=strength(best),
        strength_score=round(best, 4),
        key=found.key,
        name=found.name,
        kind=found.kind,
        city=found.city,
        distance_km=found.distance_km,
        score=found.score,
        parts=ScoreParts(semantic=found.semantic, lexical=found.lexical, graph=found.graph),
        signals=found.signals,
        evidence=[EvidenceItem(**item) for item in found.evidence],
        path=[PathStep(**step) for step in found.path],
        shared_projects=found.shared_projects,
        shared_events=found.shared_events,
        feedback=FeedbackBrief(status=feedback["status"], note=feedback["note"], at=feedback["at"])
        if feedback
        else None,
    )


def run_match(
    graph: Graph,
    encoder: Encoder,
    settings: Settings,
    request: matcher.MatchRequest,
    slots: threading.BoundedSemaphore,
) -> list[matcher.Suggestion]:
    if request.asker and search.organization_place(graph, request.asker) is None:
        raise NotFound(f"no organisation with key {request.asker!r}")
    with slots:
        return matcher.match(graph, encoder, request, matcher.weights_from(settings))


# --- needs ----------------------------------------------------------------------------------------


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
    release: Literal["public", "released", "pending"] | None = Field(
        None,
        description="Staff only: whether universities and analysts read this need (public, "
        "or a released wording of its current words) or not yet (pending)",
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


def case_event(graph: Graph, need: str, kind: str, by: str | None, **details: Any) -> None:
    """One change into the need's history (`graph.cases`)."""
    cases.add_event(graph, need, f"ev-{secrets.token_hex(8)}", kind, by, **details)
