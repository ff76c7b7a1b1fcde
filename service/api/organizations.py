"""Discovery: organisations searched and filtered, their profiles, the open needs an
organisation's expertise fits, and organisations like it.

Profiles are shaped by `service.redact`: universities and analysts get no contact data of
companies (street, people) and only a company's public needs, since listing a non-public need
on its company's profile would name the company behind it.

`GET /organizations/{key}/needs` is for staff (any organisation) and universities: a university
key asks for its own organisation or one of its units (faculty, chair, institute below it);
any other organisation is 403, since which needs fit a competitor's expertise is not theirs to
learn.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from graph import explore, needs
from graph.model import OrgKind, Visibility
from matching import matcher
from partnergraph.errors import Forbidden, NotFound
from service.auth import Principal, Role, require
from service.deps import GraphDep, SettingsDep
from service.pagination import Page, decode_cursor, page_of
from service.redact import need_view, organization_view, person_view

from .models import NeedView, problem_responses

router = APIRouter(tags=["organisations"])
readers = require(Role.staff, Role.university, Role.analyst)
discoverers = require(Role.staff, Role.university)

OrgKeyPath = Annotated[
    str,
    Path(max_length=200, description="The organisation's key", examples=["chair-fuegetechnik"]),
]


# --- models ---------------------------------------------------------------------------------------


class OrganizationItem(BaseModel):
    key: str
    name: str
    kind: str | None
    city: str | None
    district: str | None
    trades: list[str] = Field(description="Codes of the trades practised (Handwerksordnung)")
    region: str | None = Field(description="The administrative region (Regierungsbezirk)")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key": "org-kemper",
                    "name": "Kemper Metallbau e.K.",
                    "kind": "craft_business",
                    "city": "Witten",
                    "district": "Ennepe-Ruhr-Kreis",
                    "trades": ["A13"],
                    "region": "Regierungsbezirk Arnsberg",
                }
            ]
        }
    )


class KeyName(BaseModel):
    key: str
    name: str | None
    kind: str | None = None


class CodeName(BaseModel):
    code: str
    name: str | None


class RegionItem(BaseModel):
    key: str
    name: str | None
    kind: str | None = Field(description="municipality, district or region")


class CompetenceItem(BaseModel):
    key: str
    title: str | None
    text: str | None


class PersonItem(BaseModel):
    key: str
    name: str | None
    title: str | None = None
    role: str | None = None
    email: str | None = Field(None, description="Only for staff")


class ProjectItem(BaseModel):
    key: str
    title: str | None
    role: str | None = Field(description="coordinator or participant")


class EventItem(BaseModel):
    key: str
    name: str | None
    date: str | None = Field(description="ISO date")


class OrganizationProfile(BaseModel):
    key: str
    name: str
    kind: str | None
    description: str | None = None
    city: str | None = None
    postcode: str | None = None
    district: str | None = None
    lat: float | None = None
    lon: float | None = None
    website: str | None = None
    employees: int | None = None
    street: str | None = Field(None, description="Companies' streets only for staff")
    country: str | None = None
    outside_region: bool = Field(
        False, description="A partner outside the region (a foreign partner of a CORDIS project)"
    )
    parent: KeyName | None = Field(description="The organisation this one is part of")
    children: list[KeyName]
    trades: list[CodeName]
    industries: list[CodeName] = Field(description="WZ 2008 codes")
    regions: list[RegionItem] = Field(description="Municipality first, up to the state")
    competences: list[CompetenceItem] = Field(description="Of the organisation and of its people")
    people: list[PersonItem] = Field(description="None of companies' people unless staff")
    projects: list[ProjectItem]
    events: list[EventItem]
    needs: list[NeedView] = Field(
        description="Open needs; universities and analysts see only public ones"
    )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key": "chair-fuegetechnik",
                    "name": "Lehrstuhl für Fügetechnik",
                    "kind": "research_group",
                    "description": "Laser- und Lichtbogenschweißen, Verzugsminimierung.",
                    "city": "Dortmund",
                    "postcode": "44227",
                    "district": "Dortmund, kreisfreie Stadt",
                    "lat": 51.4656,
                    "lon": 7.4216,
                    "website": None,
                    "employees": 14,
                    "street": "Leonhard-Euler-Straße 5",
                    "parent": {"key": "fak-mb-dortmund", "name": "Fakultät Maschinenbau"},
                    "children": [],
                    "trades": [],
                    "industries": [{"code": "72", "name": "Forschung und Entwicklung"}],
                    "regions": [
                        {"key": "05913-dortmund", "name": "Dortmund", "kind": "municipality"}
                    ],
                    "competences": [
                        {
                            "key": "comp-laser",
                            "title": "Laserstrahlschweißen von Dünnblech",
                            "text": "Verzugsarmes Fügen von Edelstahl- und Aluminiumblechen.",
                        }
                    ],
                    "people": [
                        {
                            "key": "person-weber",
                            "name": "Anna Weber",
                            "title": "Prof. Dr.-Ing.",
                            "role": "Lehrstuhlinhaberin",
                            "email": None,
                        }
                    ],
                    "projects": [
                        {"key": "proj-leichtbau", "title": "LeichtFüge", "role": "coordinator"}
                    ],
                    "events": [
                        {"key": "evt-netz-2026", "name": "Netzwerktreffen", "date": "2026-02-11"}
                    ],
                    "needs": [],
                }
            ]
        }
    )


class ViaCompetence(BaseModel):
    key: str
    title: str | None
    text: str | None = Field(None, description="The competence text: why it fits")
    score: float = Field(description="Cosine similarity of this competence and the need")
    unit: KeyName | None = Field(
        None, description="Who holds the competence: the organisation or one of its units"
    )


class FittingNeed(BaseModel):
    need: NeedView
    score: float = Field(description="Best cosine similarity of any of the competences")
    via: list[ViaCompetence] = Field(description="The organisation's competences that fit")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "need": {
                        "key": "need-verzug",
                        "title": "Verzug beim Schweißen dünner Edelstahlbleche",
                        "text": "Unsere 1-mm-Edelstahlbleche verziehen sich beim Schweißen.",
                        "lang": "de",
                        "status": "open",
                        "visibility": "confidential",
                        "created_at": "2026-03-02",
                        "organization": None,
                        "organization_description": "Unternehmen im Gebiet Dortmund",
                    },
                    "score": 0.61,
                    "via": [
                        {
                            "key": "comp-laser",
                            "title": "Laserstrahlschweißen von Dünnblech",
                            "score": 0.61,
                        }
                    ],
                }
            ]
        }
    )


class SimilarOrganization(BaseModel):
    key: str
    name: str | None
    kind: str | None
    city: str | None
    similarity: float = Field(
        description="Mean over this organisation's competences of the "
        "best cosine similarity to the other's"
    )
    shared: int = Field(description="How many competences found a counterpart")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "key": "inst-hagen",
                    "name": "Institut für Oberflächentechnik Hagen",
                    "kind": "institute",
                    "city": "Hagen",
                    "similarity": 0.42,
                    "shared": 1,
                }
            ]
        }
    )


# --- routes ---------------------------------------------------------------------------------------


@router.get(
    "/organizations",
    summary="Organisations by name, searched and filtered, cursor-paginated "
    "[staff, university, analyst]",
    description="`q` searches names and descriptions (German full text; every word must "
    "match, also as the start of a longer word). `region` is a region's key or name at any "
    "level (municipality, district, Regierungsbezirk) or a town's name; `trade` a trade code "
    "(`A13`) or name. `limit` above the service's page size "
    "(`PARTNERGRAPH_MAX_PAGE_SIZE`, 100 by default) is reduced to it.",
    responses=problem_responses(400, 401, 403, 422),
)
def list_organizations(
    *,
    principal: Principal = Depends(readers),
    graph: GraphDep,
    settings: SettingsDep,
    q: str | None = Query(None, max_length=200, description="Words of the name or description"),
    kind: OrgKind | None = Query(None),
    region: str | None = Query(None, max_length=200, examples=["Ennepe-Ruhr-Kreis"]),
    trade: str | None = Query(None, max_length=200, examples=["A13"]),
    limit: int = Query(50, ge=1, le=1000, description="Capped by the service's page size"),
    cursor: str | None = Query(None, max_length=1000),
) -> Page[OrganizationItem]:
    limit = min(limit, settings.max_page_size)
    position = decode_cursor(cursor, arity=2)
    rows = explore.search_organizations(
        graph,
        q=q,
        kind=kind,
        region=region.strip() if region and region.strip() else None,
        trade=trade.strip() if trade and trade.strip() else None,
        after=(position[0], position[1]) if position else None,
        limit=limit + 1,
    )
    page, next_cursor = page_of(rows, limit, lambda row: [row["name"], row["key"]])
    return Page[OrganizationItem](
        items=[OrganizationItem(**row) for row in page], next_cursor=next_cursor
    )


@router.get(
    "/organizations/{key}",
    summary="An organisation's profile [staff, university, analyst; no companies' contact "
    "data, only public needs for the latter two]",
    responses=problem_responses(401, 403, 404, 422),
)
def get_organization(
    key: OrgKeyPath,
    *,
    principal: Principal = Depends(readers),
    graph: GraphDep,
) -> OrganizationProfile:
    row = explore.organization_profile(graph, key)
    if row is None:
        raise NotFound(f"no organisation with key {key!r}")
    return OrganizationProfile(**profile_view(principal, row))


@router.get(
    "/organizations/{key}/needs",
    summary="Open needs of others that this organisation's competences fit, best first "
    "[staff; university: its own organisation and its units]",
    description="Needs are anonymised for universities unless public. A university key may "
    "ask for its own organisation and the units below it (faculties, chairs); other "
    "organisations are 403.",
    responses=problem_responses(401, 403, 404, 422),
)
def needs_for_organization(
    key: OrgKeyPath,
    *,
    principal: Principal = Depends(discoverers),
    graph: GraphDep,
    settings: SettingsDep,
    limit: int = Query(20, ge=1, le=1000, description="Capped by the service's page size"),
) -> list[FittingNeed]:
    if not explore.organization_exists(graph, key):
        raise NotFound(f"no organisation with key {key!r}")
    if not principal.privileged:
        own = principal.organization
        if not own or not explore.is_within(graph, key, own):
            raise Forbidden(
                f"a university key may ask for its own organisation ({own or 'none set'}) and "
                f"its units, not for {key!r}"
            )
    wanted = min(limit, settings.max_page_size)
    rows = (
        matcher.needs_for_organization(graph, key, wanted)
        if principal.privileged
        # what a university may read of each need, compared with its competences
        else needs.shared_needs_near_competences(graph, key, wanted)
    )
    details = {
        row["need"]["key"]: row
        for row in explore.needs_with_organizations(graph, [r["key"] for r in rows])
    }
    out = []
    for row in rows:
        detail = details.get(row["key"])
        view = detail and need_view(principal, detail["need"], detail["organization"])
        if not view:  # deleted or changed between the two reads
            continue
        out.append(
            FittingNeed(
                need=NeedView(**view),
                score=round(float(row["score"]), 4),
                via=[
                    ViaCompetence(
                        key=v["key"],
                        title=v["title"],
                        text=v.get("text"),
                        score=round(float(v["score"]), 4),
                        unit=KeyName(key=v["unit_key"], name=v.get("unit_name"))
                        if v.get("unit_key")
                        else None,
                    )
                    for v in sorted(row["via"], key=lambda v: -v["score"])[:3]
                ],
            )
        )
    return out


@router.get(
    "/organizations/{key}/similar",
    summary="Organisations with the most similar competences [staff, university, analyst]",
    responses=problem_responses(401, 403, 404, 422),
)
def similar_organizations(
    key: OrgKeyPath,
    *,
    principal: Principal = Depends(readers),
    graph: GraphDep,
    limit: int = Query(10, ge=1, le=50),
) -> list[SimilarOrganization]:
    rows = matcher.similar_organizations(graph, key, limit)
    return [
        SimilarOrganization(
            key=row["key"],
            name=row["name"],
            kind=row["kind"],
            city=row["city"],
            similarity=round(float(row["similarity"]), 4),
            shared=int(row["shared"]),
        )
        for row in rows
    ]


# --- shaping --------------------------------------------------------------------------------------


def profile_view(principal: Principal, row: dict[str, Any]) -> dict[str, Any]:
    """A profile row of `graph.explore` as `principal` may see it."""
    org = organization_view(principal, row["organization"])
    kind = org.get("kind")
    people = [person_view(principal, person, kind) for person in row["people"]]
    views = [
        need_view(principal, need, row["organization"])
        for need in row["needs"]
        if principal.privileged or need.get("visibility") == Visibility.public
    ]
    return {
        **{field: org.get(field) for field in OrganizationProfile.model_fields if field in org},
        "parent": row["parent"],
        "children": row["children"],
        "trades": row["trades"],
        "industries": row["industries"],
        "regions": row["regions"],
        "competences": row["competences"],
        "people": [person for person in people if person is not None],
        "projects": row["projects"],
        "events": row["events"],
        "needs": [view for view in views if view is not None],
    }
