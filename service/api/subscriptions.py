"""Subscriptions to a topic of needs: the needs board lists what is new since the last visit.

A subscription belongs to the API key that made it; other keys neither see nor delete it (404,
so ids reveal nothing). Listing its new needs is the visit: those needs are not listed again.
Needs leave here as `service.redact.need_view` shapes them for the caller. Universities and
analysts are matched against what they may read of a need (its released wording, `service.
release`), never its own words, so a subscription to a company's name cannot find its
non-public needs.
"""

from __future__ import annotations

import re
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import AfterValidator, BaseModel, Field

from graph import needs, search, subscriptions, vectors
from graph.connection import Graph
from graph.model import Visibility
from graph.vectors import Encoder
from partnergraph.errors import NotFound
from service.auth import Principal, Role, require
from service.deps import EncoderDep, GraphDep
from service.redact import need_view

from .models import encodable

router = APIRouter(tags=["subscriptions"])

# Who may subscribe: everyone who reads needs (each sees them as redact allows).
_readers = require(Role.staff, Role.university, Role.analyst)

CANDIDATES = 100  # per index: more than a topic gains in new needs between two visits
# A need fits a topic when it is near in meaning, or shares its words and is not far off.
# Measured with the multilingual USE on the sample's need topics: a topic label and the needs
# of its cluster have cosines of ~0.25-0.5, needs of other clusters stay below ~0.2; shared
# words are a strong sign, except for generic ones ("Anfrage"), hence the floor.
MIN_COSINE = 0.25
MIN_COSINE_WITH_WORDS = 0.1

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "No API key, or an unknown or revoked one"},
    403: {"description": "The role may not read needs"},
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    404: {"description": "No such subscription of this key"},
}


class SubscriptionIn(BaseModel):
    query: Annotated[str, AfterValidator(encodable)] = Field(
        min_length=2,
        max_length=300,
        description="The topic: a topic label from /analytics/topics, or any words.",
        examples=["Laserschweißen, Dünnblech, Verzug"],
    )


class Subscription(BaseModel):
    id: str = Field(examples=["s-3f9a1c2b"])
    query: str = Field(examples=["Laserschweißen, Dünnblech, Verzug"])
    created_at: str = Field(examples=["2026-11-25T09:14:03.120Z"])
    last_seen: str | None = Field(
        default=None,
        description="When its new needs were last listed; null before the first visit.",
        examples=[None],
    )


class OrganizationRef(BaseModel):
    key: str | None = None
    name: str | None = None
    kind: str | None = None
    city: str | None = None


class NeedSummary(BaseModel):
    """A need as the caller may see it (see `service.redact`)."""

    key: str = Field(examples=["need-verzug"])
    title: str | None = Field(default=None, examples=["Verzug beim Schweißen dünner Bleche"])
    text: str | None = None
    lang: str | None = Field(default=None, examples=["de"])
    status: str | None = Field(default=None, examples=["open"])
    visibility: str | None = Field(default=None, examples=["confidential"])
    created_at: str | None = Field(default=None, examples=["2026-11-24"])
    organization: OrganizationRef | None = Field(
        default=None, description="The company, when the caller may know it."
    )
    organization_description: str | None = Field(
        default=None,
        description="Otherwise a description, e.g. 'Unternehmen im Gebiet Ennepe-Ruhr-Kreis'.",
        examples=["Unternehmen im Gebiet Ennepe-Ruhr-Kreis"],
    )


class NewNeed(BaseModel):
    need: NeedSummary
    similarity: float | None = Field(
        default=None, description="Cosine of topic and need (-1..1); null if only words match."
    )


class NewNeeds(BaseModel):
    subscription: Subscription
    needs: list[NewNeed]


def fits(semantic: float | None, lexical: float | None) -> bool:
    """Whether a candidate need belongs to the topic (see MIN_COSINE)."""
    if semantic is not None and semantic >= MIN_COSINE:
        return True
    return lexical is not None and (semantic is None or semantic >= MIN_COSINE_WITH_WORDS)


@router.post(
    "/subscriptions",
    status_code=201,
    summary="Subscribe to a topic of needs",
    responses={**_ERRORS, 422: {"description": "The query is missing, too short or too long"}},
)
def create(
    body: SubscriptionIn,
    *,
    principal: Principal = Depends(_readers),
    graph: GraphDep,
) -> Subscription:
    row = subscriptions.create_subscription(
        graph, id=f"s-{secrets.token_hex(4)}", key_id=principal.key_id, query=body.query.strip()
    )
    return Subscription(**row)


@router.get("/subscriptions", summary="The caller's subscriptions, oldest first", responses=_ERRORS)
def list_all(*, principal: Principal = Depends(_readers), graph: GraphDep) -> list[Subscription]:
    return [Subscription(**row) for row in subscriptions.subscriptions_of(graph, principal.key_id)]


@router.delete(
    "/subscriptions/{id}",
    status_code=204,
    summary="End a subscription",
    responses=_NOT_FOUND,
)
def delete(id: str, *, principal: Principal = Depends(_readers), graph: GraphDep) -> Response:
    if not subscriptions.delete_subscription(graph, id, principal.key_id):
        raise NotFound(f"no subscription {id!r} of this key")
    return Response(status_code=204)


@router.get(
    "/subscriptions/{id}/new",
    summary="Open needs of the topic that are new since the last visit",
    description="Lists open needs that fit the topic and were not listed before, best first, "
    "and records the visit (the same needs are not listed again), unless `mark_seen=false`. "
    "The first visit lists every open need of the topic.",
    responses=_NOT_FOUND,
)
def new_needs(
    id: str,
    *,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    mark_seen: Annotated[bool, Query(description="Record the visit.")] = True,
    principal: Principal = Depends(_readers),
    graph: GraphDep,
    encoder: EncoderDep,
) -> NewNeeds:
    found = subscriptions.subscription_of(graph, id, principal.key_id)
    if found is None:
        raise NotFound(f"no subscription {id!r} of this key")
    if principal.privileged:
        rows = _candidates(graph, encoder, id, found["query"])
    else:
        rows = _shared_candidates(graph, encoder, id, found["query"])
    shown = []
    for row in rows:
        view = need_view(principal, row["need"], row["organization"])
        if view is not None and fits(row["semantic"], row["lexical"]):
            shown.append((row, view))
    shown = shown[:limit]
    if mark_seen:
        subscriptions.mark_seen(graph, id, [row["need"]["key"] for row, _ in shown])
    return NewNeeds(
        subscription=Subscription(**found),
        needs=[
            NewNeed(
                need=NeedSummary(**view),
                similarity=None if row["semantic"] is None else round(row["semantic"], 4),
            )
            for row, view in shown
        ],
    )


def _candidates(graph: Graph, encoder: Encoder, id: str, query: str) -> list[dict[str, Any]]:
    lucene = search.lucene_query(query)
    recorded = vectors.embedding_model(graph)
    if recorded is None or recorded[0] != encoder.name:
        # No vectors of this model in the graph (nothing loaded yet, or a model change not
        # re-embedded): comparing would be meaningless, the words still find needs.
        return subscriptions.lexical_candidates(graph, id, lucene, CANDIDATES) if lucene else []
    vector = [float(x) for x in encoder.encode([query], kind="query")[0]]
    return subscriptions.unseen_candidates(graph, id, vector, lucene, CANDIDATES)


def _shared_candidates(graph: Graph, encoder: Encoder, id: str, query: str) -> list[dict[str, Any]]:
    """As `_candidates`, by what universities and analysts may read of each need: its vector
    and its words are those of the released wording (a public need's own)."""
    recorded = vectors.embedding_model(graph)
    if recorded is None or recorded[0] != encoder.name:
        return []
    vector = [float(x) for x in encoder.encode([query], kind="query")[0]]
    rows = needs.shared_needs_near_vector(graph, id, vector, CANDIDATES)
    words = _words(query)
    for row in rows:
        need = row["need"]
        public = need.get("visibility") == Visibility.public
        title = need.get("title") if public else need.get("shared_title")
        text = need.get("text") if public else need.get("shared_text")
        row["lexical"] = 1.0 if words & _words(f"{title or ''} {text or ''}") else None
    return rows


def _words(text: str) -> set[str]:
    """Lower-case words of four letters or more (what "shares its words" compares)."""
    return {w for w in re.findall(r"\w{4,}", text.lower()) if not w.isdigit()}
