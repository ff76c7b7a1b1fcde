"""Partner suggestions for a need typed by staff: `POST /match`.

The ranking itself is `matching.matcher.match`; this module validates the request, and shapes
suggestions for the API (also for `GET /needs/{key}/suggestions`, which adds recorded feedback).
Suggestions name organisations and their evidence in full, so only staff (and admins) get them.
"""

from __future__ import annotations

import threading
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from graph import search
from graph.connection import Graph
from graph.model import OrgKind
from matching import matcher
from matching.strength import strength, strength_score
from partnergraph.errors import NotFound
from partnergraph.settings import Settings
from service.auth import Principal, Role, require
from service.deps import encoder_of, graph_of, match_slots, settings_of

router = APIRouter(tags=["matching"])
staff_only = require(Role.staff)


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


MatchText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=4000),
    AfterValidator(encodable),
]
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
    encoder: Any,
    settings: Settings,
    request: matcher.MatchRequest,
    slots: threading.BoundedSemaphore,
) -> list[matcher.Suggestion]:
    if request.asker and search.organization_place(graph, request.asker) is None:
        raise NotFound(f"no organisation with key {request.asker!r}")
    with slots:
        return matcher.match(graph, encoder, request, matcher.weights_from(settings))


# --- POST /match ---------------------------------------------------------------------------------


class MatchBody(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "text": "Unsere dünnen Edelstahlbleche verziehen sich beim Schweißen. Wer "
                    "kennt verzugsarme Verfahren?",
                    "kinds": ["research_group", "institute"],
                    "near": "44147",
                    "radius_km": 50,
                    "limit": 10,
                },
                {
                    "text": "Photovoltaik auf dem Hallendach und Ladepunkte für E-Autos",
                    "kinds": ["craft_business"],
                    "trades": ["A25"],
                    "asker": "org-brandt",
                },
            ]
        },
    )

    text: MatchText = Field(description="The need in the company's words, German or English")
    kinds: list[OrgKind] | None = Field(
        None, max_length=8, description="Only organisations of these kinds"
    )
    trades: list[TradeCode] | None = Field(
        None,
        max_length=50,
        description="Trade codes of the Handwerksordnung (A13 Metallbauer, ...): a signal",
    )
    near: Postcode | None = Field(
        None, description="A postcode in North Rhine-Westphalia: distances are measured from it"
    )
    radius_km: float | None = Field(
        None, ge=1, le=300, description="Only partners within this distance (needs near or asker)"
    )
    regions: list[RegionName] | None = Field(
        None,
        max_length=10,
        description="Only organisations in one of these regions: a town, a district or a "
        "Regierungsbezirk, by name (Hagen, Ennepe-Ruhr-Kreis) or key (05954)",
    )
    limit: int = Field(10, ge=1, le=50)
    asker: OrgKey | None = Field(
        None,
        description="The asking organisation's key: left out of the results, the origin of "
        "distances when `near` is absent, and connected by a path to each suggestion",
    )

    @model_validator(mode="after")
    def _radius_has_an_origin(self) -> MatchBody:
        if self.radius_km is not None and not (self.near or self.asker):
            raise ValueError("radius_km needs `near` (a postcode) or `asker` to measure from")
        return self


class MatchResult(BaseModel):
    text: str
    model: str = Field(description="The embedding model that encoded the text")
    suggestions: list[Suggestion]


@router.post(
    "/match",
    summary="Ranked, explained partner suggestions for a need [staff]",
    description="Encodes the text, retrieves competences and projects by meaning and by words, "
    "scores organisations by their best evidence and adds graph signals (nearness, earlier "
    "cooperation, shared events, matching trade). An unknown postcode or asker gives 404.",
    responses=problem_responses(401, 403, 404, 422),
)
def match_partners(
    body: MatchBody,
    principal: Principal = Depends(staff_only),
    graph: Graph = Depends(graph_of),
    encoder: Any = Depends(encoder_of),
    settings: Settings = Depends(settings_of),
    slots: threading.BoundedSemaphore = Depends(match_slots),
) -> MatchResult:
    request = matcher.MatchRequest(
        text=body.text,
        kinds=tuple(body.kinds) if body.kinds else None,
        near=body.near,
        radius_km=body.radius_km,
        limit=body.limit,
        asker=body.asker,
        trades=tuple(code.upper() for code in body.trades) if body.trades else None,
        regions=tuple(body.regions) if body.regions else None,
    )
    found = run_match(graph, encoder, settings, request, slots)
    return MatchResult(
        text=body.text, model=encoder.name, suggestions=[suggestion_out(s) for s in found]
    )
