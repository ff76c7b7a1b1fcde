"""Partner suggestions for a need typed by staff: `POST /match`.

The ranking itself is `matching.matcher.match`; this module validates the request. Suggestions
are shaped for the API in `models` (`suggestion_out`), shared with `GET /needs/{key}/suggestions`,
which adds recorded feedback.
Suggestions name organisations and their evidence in full, so only staff (and admins) get them.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from graph.model import OrgKind
from matching import matcher
from service.auth import Principal, Role, require
from service.deps import (
    EncoderDep,
    GraphDep,
    MatchSlotsDep,
    SettingsDep,
)

from .models import (
    OrgKey,
    Postcode,
    RegionName,
    Suggestion,
    TradeCode,
    encodable,
    problem_responses,
    run_match,
    suggestion_out,
)

router = APIRouter(tags=["matching"])
staff_only = require(Role.staff)


MatchText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=4000),
    AfterValidator(encodable),
]


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
    *,
    principal: Principal = Depends(staff_only),
    graph: GraphDep,
    encoder: EncoderDep,
    settings: SettingsDep,
    slots: MatchSlotsDep,
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
