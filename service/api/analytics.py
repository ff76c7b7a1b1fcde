"""For analysts: what the region's companies ask for (topics of the open needs) and which
needs nobody in the region covers well (gaps).

Both come from `matching.analytics.need_landscape`, for universities and analysts over what
they may read of the needs (public ones and released wordings). Needs inside topics and gaps go
through `service.redact.need_view`, so those readers see non-public needs without their
company; a topic's terms are words of the needs' titles, and a term that is part of the name of
a company behind a non-public need in that topic is left out for them as well.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from graph import explore
from graph.connection import Graph
from matching.analytics import need_landscape
from service.auth import Principal, Role, require
from service.deps import GraphDep
from service.redact import need_view

from .models import NeedView, problem_responses

router = APIRouter(tags=["analytics"])
readers = require(Role.staff, Role.university, Role.analyst)

_LEGAL_FORMS = frozenset(
    "gmbh ag kg ohg ug mbh se kgaa co e.k e.v fiktiv und der die das für von".split()
)


class NeedLite(BaseModel):
    key: str
    title: str | None


class TopicOut(BaseModel):
    id: str = Field(description="t01, t02, ... by size, largest first")
    label: str = Field(description="The two or three strongest terms")
    size: int
    terms: list[str] = Field(description="Words frequent in this topic and rare in the others")
    needs: list[NeedLite] = Field(description="The topic's needs, the most typical first")
    gaps: int = Field(description="How many of them no organisation covers well")


class Topics(BaseModel):
    topics: list[TopicOut]

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "topics": [
                        {
                            "id": "t01",
                            "label": "Schweißen, Verzug",
                            "size": 2,
                            "terms": ["Schweißen", "Verzug", "Edelstahlbleche"],
                            "needs": [
                                {
                                    "key": "need-verzug",
                                    "title": "Verzug beim Schweißen dünner Edelstahlbleche",
                                }
                            ],
                            "gaps": 0,
                        }
                    ]
                }
            ]
        }
    )


class GapOut(BaseModel):
    need: NeedView
    best_score: float = Field(description="Best similarity of any competence, 0..1")
    rank: int = Field(description="1 is the weakest covered need")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "need": {
                        "key": "need-torte",
                        "title": "Torten für das Sommerfest",
                        "text": "Wir suchen eine Konditorei, die zum Sommerfest liefert.",
                        "lang": "de",
                        "status": "open",
                        "visibility": "anonymous",
                        "created_at": "2026-04-03",
                        "organization": None,
                        "organization_description": "kleiner Handwerksbetrieb in Witten",
                    },
                    "best_score": 0.58,
                    "rank": 1,
                }
            ]
        }
    )


@router.get(
    "/analytics/topics",
    summary="Open needs in labelled topics [staff, university, analyst; anonymised for the "
    "latter two]",
    responses=problem_responses(401, 403, 422),
)
def topics(
    *,
    principal: Principal = Depends(readers),
    graph: GraphDep,
    k: int | None = Query(
        None, ge=1, le=30, description="Number of topics; default: chosen by the silhouette"
    ),
) -> Topics:
    landscape = need_landscape(graph, k, shared=not principal.privileged)
    keys = [key for topic in landscape.topics for key in topic.need_keys]
    views = _views(graph, principal, keys)
    gap_keys = {gap.key for gap in landscape.gaps}
    out = []
    for topic in landscape.topics:
        members = [views[key] for key in topic.need_keys if key in views]
        hidden = _hidden_names(members) if not principal.privileged else set()
        terms = [word for word, _ in topic.terms if not _names_part(word, hidden)]
        out.append(
            TopicOut(
                id=topic.id,
                label=topic.label if len(terms) == len(topic.terms) else ", ".join(terms[:2]),
                size=topic.size,
                terms=terms,
                needs=[NeedLite(key=m["view"]["key"], title=m["view"]["title"]) for m in members],
                gaps=sum(1 for key in topic.need_keys if key in gap_keys),
            )
        )
    return Topics(topics=out)


@router.get(
    "/analytics/gaps",
    summary="Open needs no organisation of the region covers well, weakest first [staff, "
    "university, analyst; anonymised for the latter two]",
    responses=problem_responses(401, 403),
)
def gaps(
    *,
    principal: Principal = Depends(readers),
    graph: GraphDep,
) -> list[GapOut]:
    landscape = need_landscape(graph, shared=not principal.privileged)
    views = _views(graph, principal, [gap.key for gap in landscape.gaps])
    return [
        GapOut(
            need=NeedView(**views[gap.key]["view"]),
            best_score=round(gap.best_score, 4),
            rank=gap.rank,
        )
        for gap in landscape.gaps
        if gap.key in views
    ]


def _views(graph: Graph, principal: Principal, keys: list[str]) -> dict[str, dict[str, Any]]:
    """Each need as the caller may see it, with the organisation it was shaped from."""
    rows = explore.needs_with_organizations(graph, keys)
    views = {}
    for row in rows:
        view = need_view(principal, row["need"], row["organization"])
        if view is not None:
            views[row["need"]["key"]] = {"view": view, "organization": row["organization"]}
    return views


def _hidden_names(members: list[dict[str, Any]]) -> set[str]:
    """Words of the names of companies the caller may not see behind these needs."""
    words: set[str] = set()
    for member in members:
        org = member["organization"]
        if member["view"]["organization"] is None and org and org.get("name"):
            for word in re.findall(r"[\w\-]+", org["name"].lower()):
                if len(word) >= 3 and word not in _LEGAL_FORMS:
                    words.add(word)
            words.add(str(org.get("key", "")).lower())
    return words


def _names_part(term: str, hidden: set[str]) -> bool:
    lowered = term.lower()
    return any(lowered == word or (len(lowered) >= 4 and lowered in word) for word in hidden)
