"""Who may call what, and what universities and analysts never learn.

1. The role matrix: every endpoint of the matching and needs API (and /me) called without a key
   and with each role's key, against the status each must get.
2. The leak test: a fixture graph where two companies have only anonymous or confidential needs
   (one need even names its company in its own words); every response universities and
   analysts can get is scanned, as raw text, for those companies' names, keys, streets,
   websites, any person's e-mail, and the e-mail and phone numbers typed into one need.

The canonical fixture is loaded once; the matrix writes only to a need made for it, so the
leak test sees the same graph in either order.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from httpx2 import Response  # what starlette's TestClient answers with

from graph import needs
from graph.connection import Graph
from graph.model import NeedStatus, Visibility
from partnergraph.settings import Settings
from service.api import API_PREFIX
from service.app import create_app
from service.auth import Principal, Role
from service.redact import need_view
from tests.conftest import World, open_world
from tests.service_support import release_pending

ROLES: tuple[str | None, ...] = (None, "staff", "university", "analyst", "admin")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")

# The companies whose every need is anonymous or confidential in the fixture graph below.
HIDDEN_COMPANIES = {
    "org-brandt": (
        "Brandt Präzisionstechnik GmbH (fiktiv)",
        "Brandt Präzisionstechnik",
        "Hafenstraße 12",
        "brandt-praezision",
    ),
    "org-kemper": ("Kemper Metallbau e.K. (fiktiv)", "Kemper Metallbau", "Ruhrdeich 3"),
}
EMAILS = ("anna.weber@example.org", "info@kemper-metallbau.example")
# Contact data typed into a hidden need's own words (need-contact below). Its website's URL is
# there too; the company's own profile shows its website, so that is checked only as a word of
# the company's (HIDDEN_COMPANIES), where profiles are not scanned.
TYPED_CONTACTS = (
    "einkauf@brandt-praezision.example",
    "02331 987654",
    "0231 123456",
    "+49 231 1234-56",
    "(0201) 12 34 56",
)


@dataclass
class RolesWorld(World):
    need_keys: list[str] = field(default_factory=list)
    # a released need's own key -> the key universities and analysts know it by
    shared: dict[str, str] = field(default_factory=dict)


def _anonymise_a_public_need(graph: Graph) -> None:
    # org-brandt's public need becomes anonymous: its identity is now never to be shown.
    assert needs.update_need(graph, "need-pv", {"visibility": "anonymous"})


@pytest.fixture(scope="module")
def world(neo4j_settings: Settings) -> Iterator[RolesWorld]:
    with open_world(neo4j_settings, RolesWorld, _anonymise_a_public_need) as world:
        for body in (
            {
                "key": "need-named",
                "org_key": "org-brandt",
                "title": "Entgraten bei Brandt Präzisionstechnik GmbH (fiktiv)",
                "text": "Die Brandt Präzisionstechnik GmbH (fiktiv) (intern: org-brandt) "
                "sucht ein Verfahren zum Entgraten kleiner Frästeile.",
                "visibility": "confidential",
            },
            {
                "key": "need-contact",
                "org_key": "org-brandt",
                "title": "Entgraten, Rückruf unter 02331 987654",
                "text": "Rückfragen an einkauf@brandt-praezision.example oder Tel. "
                "0231 123456, +49 231 1234-56, (0201) 12 34 56; Zeichnungen unter "
                "https://www.brandt-praezision.example/anfrage.",
                "visibility": "anonymous",
            },
            {
                "key": "need-solved",
                "org_key": "org-kemper",
                "title": "Pulverbeschichtung",
                "text": "Pulverbeschichtung für Treppengeländer gesucht.",
                "visibility": "anonymous",
            },
            {
                "key": "need-public",
                "org_key": "org-elektro",
                "title": "Wärmebildkamera",
                "text": "Wir suchen eine Hochschule für Thermografie an Schaltschränken.",
                "visibility": "public",
            },
            {
                "key": "need-matrix",
                "org_key": "org-datalab",
                "title": "Bildverarbeitung",
                "text": "Kameras für die Oberflächenprüfung von Blechen.",
                "visibility": "confidential",
            },
        ):
            assert world.call("staff", "POST", "/api/v1/needs", body).status_code == 201
        base = "/api/v1/needs"
        solved = world.call("staff", "PATCH", f"{base}/need-solved", {"status": "solved"})
        assert solved.status_code == 200
        accepted = {"status": "accepted", "note": "Gespräch mit Brandt vereinbart"}
        url = f"{base}/need-verzug/suggestions/chair-fuegetechnik/feedback"
        assert world.call("staff", "POST", url, accepted).status_code == 200
        staff_view = world.call("staff", "GET", f"{base}?limit=100").json()["items"]
        world.need_keys = [item["key"] for item in staff_view]
        world.shared = release_pending(world.call)
        yield world


# --- the matrix ---------------------------------------------------------------------------------


def everyone(status: int) -> dict[str | None, int]:
    return {None: 401, "staff": status, "university": status, "analyst": status, "admin": status}


def staff_only(status: int) -> dict[str | None, int]:
    return {None: 401, "staff": status, "university": 403, "analyst": 403, "admin": status}


def exporters(status: int) -> dict[str | None, int]:
    return {**staff_only(status), "analyst": status}


def admin_only(status: int) -> dict[str | None, int]:
    return {None: 401, "staff": 403, "university": 403, "analyst": 403, "admin": status}


MATRIX: list[tuple[str, str, str, Any, dict[str | None, int]]] = [
    # (method, route, url, body, role -> status)
    ("GET", "/me", "/api/v1/me", None, everyone(200)),
    ("POST", "/match", "/api/v1/match", {"text": "Schweißen von Dünnblech"}, staff_only(200)),
    ("GET", "/needs", "/api/v1/needs", None, everyone(200)),
    (
        "POST",
        "/needs",
        "/api/v1/needs",
        {"org_key": "org-datalab", "title": "Ein Bedarf", "text": "Wir suchen etwas."},
        staff_only(201),
    ),
    ("GET", "/needs/{key}", "/api/v1/needs/need-public", None, everyone(200)),
    (
        "PATCH",
        "/needs/{key}",
        "/api/v1/needs/need-matrix",
        {"status": "in_progress"},
        staff_only(200),
    ),
    ("POST", "/needs/{key}/close", "/api/v1/needs/need-matrix/close", None, staff_only(200)),
    (
        "GET",
        "/needs/{key}/suggestions",
        "/api/v1/needs/need-matrix/suggestions?limit=3",
        None,
        staff_only(200),
    ),
    (
        "POST",
        "/needs/{key}/suggestions/{org_key}/feedback",
        "/api/v1/needs/need-matrix/suggestions/inst-hagen/feedback",
        {"status": "contacted"},
        staff_only(200),
    ),
    ("GET", "/needs/{key}/feedback", "/api/v1/needs/need-matrix/feedback", None, staff_only(200)),
    ("GET", "/needs/{key}/shared", "/api/v1/needs/need-matrix/shared", None, staff_only(200)),
    # withdrawn first, released after: the need ends released, as the leak test wants it
    ("DELETE", "/needs/{key}/shared", "/api/v1/needs/need-matrix/shared", None, staff_only(204)),
    (
        "PUT",
        "/needs/{key}/shared",
        "/api/v1/needs/need-matrix/shared",
        {"title": "Bildverarbeitung", "text": "Kameras für die Oberflächenprüfung von Blechen."},
        staff_only(200),
    ),
    ("GET", "/cases", "/api/v1/cases", None, staff_only(200)),
    ("GET", "/cases/{key}", "/api/v1/cases/need-matrix", None, staff_only(200)),
    (
        "PUT",
        "/cases/{key}/shortlist",
        "/api/v1/cases/need-matrix/shortlist",
        {"suggestions": []},
        staff_only(200),
    ),
    (
        "POST",
        "/cases/{key}/answers/{answer_id}/connect",
        "/api/v1/cases/need-matrix/answers/ans-nope/connect",
        None,
        staff_only(404),
    ),
    (
        "POST",
        "/needs/{key}/answers",
        "/api/v1/needs/need-public/answers",
        {"message": "Wir können helfen.", "contact": "Transferstelle"},
        {None: 401, "staff": 403, "university": 201, "analyst": 403, "admin": 403},
    ),
    (
        "GET",
        "/answers",
        "/api/v1/answers",
        None,
        {None: 401, "staff": 200, "university": 200, "analyst": 403, "admin": 200},
    ),
    ("GET", "/organizations", "/api/v1/organizations?limit=5", None, everyone(200)),
    ("GET", "/organizations/{key}", "/api/v1/organizations/org-brandt", None, everyone(200)),
    (
        "GET",
        "/organizations/{key}/needs",
        "/api/v1/organizations/uni-tu-dortmund/needs",
        None,
        {**staff_only(200), "university": 200},  # a university asks for itself
    ),
    (
        "GET",
        "/organizations/{key}/similar",
        "/api/v1/organizations/org-brandt/similar",
        None,
        everyone(200),
    ),
    (
        "GET",
        "/graph/neighbourhood",
        "/api/v1/graph/neighbourhood?key=org-brandt&depth=2",
        None,
        everyone(200),
    ),
    ("GET", "/graph/search", "/api/v1/graph/search?q=Schwei", None, everyone(200)),
    ("GET", "/graph/communities", "/api/v1/graph/communities", None, everyone(200)),
    # none computed in this graph: known to every role as not there
    ("GET", "/graph/communities/{key}", "/api/v1/graph/communities/c001", None, everyone(404)),
    ("GET", "/graph/fit", "/api/v1/graph/fit?need=need-verzug", None, everyone(200)),
    ("GET", "/analytics/topics", "/api/v1/analytics/topics", None, everyone(200)),
    ("GET", "/analytics/gaps", "/api/v1/analytics/gaps", None, everyone(200)),
    ("GET", "/export/graphml", "/api/v1/export/graphml", None, exporters(200)),
    ("GET", "/export/gexf", "/api/v1/export/gexf", None, exporters(200)),
    (
        "GET",
        "/export/organizations.csv",
        "/api/v1/export/organizations.csv",
        None,
        exporters(200),
    ),
    # admins only; without a file the admin's request is invalid (422), others never get there
    ("POST", "/ingest", "/api/v1/ingest", None, admin_only(422)),
    ("GET", "/ingest/{job_id}", "/api/v1/ingest/0123456789abcdef", None, admin_only(404)),
    ("POST", "/subscriptions", "/api/v1/subscriptions", {"query": "Schweißen"}, everyone(201)),
    ("GET", "/subscriptions", "/api/v1/subscriptions", None, everyone(200)),
    ("DELETE", "/subscriptions/{id}", "/api/v1/subscriptions/s-nope", None, everyone(404)),
    ("GET", "/subscriptions/{id}/new", "/api/v1/subscriptions/s-nope/new", None, everyone(404)),
]


def test_the_matrix_covers_every_route_of_the_api() -> None:
    schema = create_app(Settings(neo4j_uri="bolt://127.0.0.1:1")).openapi()
    routes = {
        (method.upper(), path.removeprefix(API_PREFIX))
        for path, operations in schema["paths"].items()
        if path.startswith(API_PREFIX)
        for method in operations
    }
    assert routes == {(method, route) for method, route, *_ in MATRIX}


def test_every_role_gets_the_status_the_matrix_says(world: RolesWorld) -> None:
    wrong = []
    for method, _, url, body, expected in MATRIX:
        for role in ROLES:
            response = world.call(role, method, url, body)
            if response.status_code != expected[role]:
                wrong.append((method, url, role, expected[role], response.status_code))
            if response.status_code >= 400:
                assert response.headers["content-type"] == "application/problem+json"
    assert wrong == []


# --- the leak test ------------------------------------------------------------------------------


def responses_for(world: RolesWorld, role: str) -> list[Response]:
    """Every response of these endpoints `role` can provoke with the fixture's keys."""
    got = [world.call(role, "GET", "/api/v1/me")]
    queries = ["", "&org=org-brandt", "&org=org-kemper", "&org=org-elektro"]
    queries += [f"&status={s}" for s in NeedStatus]
    queries += [f"&visibility={v}" for v in Visibility]
    for query in queries:
        for limit in (1, 100):
            url = f"/api/v1/needs?limit={limit}{query}"
            while url:
                page = world.call(role, "GET", url)
                got.append(page)
                cursor = page.json().get("next_cursor")
                url = f"/api/v1/needs?limit={limit}{query}&cursor={cursor}" if cursor else ""
    for key in [*world.need_keys, *world.shared.values(), "need-nirgends"]:
        got.append(world.call(role, "GET", f"/api/v1/needs/{key}"))
        for method, _, url, body, _ in MATRIX[1:]:
            if "need-matrix" in url:
                got.append(world.call(role, method, url.replace("need-matrix", key), body))
    got.append(world.call(role, "POST", "/api/v1/match", {"text": "Entgraten von Frästeilen"}))
    return got


@pytest.mark.parametrize("role", ["university", "analyst"])
def test_no_response_names_a_company_behind_a_non_public_need(world: RolesWorld, role: str) -> None:
    assert {"need-verzug", "need-pv", "need-inspect", "need-named"} <= set(world.need_keys)
    responses = responses_for(world, role)
    assert len(responses) > 50
    leaks = []
    for response in responses:
        assert response.status_code < 500, response.text
        # Raw text, and decoded too, in case a serialiser escapes non-ASCII characters.
        texts = [response.text, json.dumps(response.json(), ensure_ascii=False)]
        for org_key, words in HIDDEN_COMPANIES.items():
            for secret in (org_key, *words):
                if any(secret.lower() in text.lower() for text in texts):
                    leaks.append((response.request.method, str(response.request.url), secret))
        for secret in TYPED_CONTACTS:
            if any(secret.lower() in text.lower() for text in texts):
                leaks.append((response.request.method, str(response.request.url), secret))
        if any(EMAIL.search(text) for text in texts):
            leaks.append((response.request.method, str(response.request.url), "an e-mail"))
    assert leaks == []

    # The scan means something: these roles do get needs, and public ones with their company.
    listing = world.call(role, "GET", "/api/v1/needs?limit=100").json()["items"]
    by_key = {item["key"]: item for item in listing}
    assert by_key["need-public"]["organization"]["key"] == "org-elektro"
    named = by_key[world.shared["need-named"]]
    assert named["organization"] is None
    assert named["organization_description"]
    assert "[Unternehmen]" in named["title"] and "Entgraten" in named["text"]
    assert (world.shared["need-solved"] in by_key) is (role == "analyst")
    assert not set(world.shared) & set(by_key)  # never by their own keys
    typed = by_key[world.shared["need-contact"]]
    assert typed["title"] == "Entgraten, Rückruf unter [Telefon]"
    assert {"[E-Mail]", "[Telefon]", "[Website]"} <= set(re.findall(r"\[[^]]+\]", typed["text"]))


def test_staff_see_the_companies_the_others_do_not(world: RolesWorld) -> None:
    listing = world.call("staff", "GET", "/api/v1/needs?limit=100").json()["items"]
    by_key = {item["key"]: item for item in listing}
    assert by_key["need-named"]["organization"]["key"] == "org-brandt"
    assert "Brandt Präzisionstechnik GmbH (fiktiv)" in by_key["need-named"]["title"]
    # staff see what was typed, contact data included
    assert "einkauf@brandt-praezision.example" in by_key["need-contact"]["text"]
    assert by_key["need-contact"]["title"] == "Entgraten, Rückruf unter 02331 987654"
    assert by_key["need-inspect"]["organization"]["name"] == "Kemper Metallbau e.K. (fiktiv)"


def test_a_company_named_without_its_suffix_in_its_released_wording_is_scrubbed_too() -> None:
    university = Principal("k", "transfer office", Role.university, "uni-tu-dortmund")
    text = "Die Brandt Präzisionstechnik GmbH sucht ein Verfahren zum Entgraten."
    need = {
        "key": "need-x",
        "title": "Entgraten",
        "text": text,
        "visibility": "confidential",
        # released unscrubbed by a hasty hand: the second line still catches the name
        "shared_id": "need-0a1b",
        "shared_title": "Entgraten",
        "shared_text": text,
        "text_hash": "h",
        "released_hash": "h",
        "released_visibility": "confidential",
    }
    org = {"key": "org-brandt", "name": "Brandt Präzisionstechnik GmbH (fiktiv)", "kind": "company"}
    view = need_view(university, need, org)
    assert view is not None and "Brandt" not in view["text"]


# --- discovery, graph, analytics and exports: companies never tied to their hidden needs -------


def discovery_responses(world: RolesWorld, role: str) -> list[Response]:
    urls = [
        "/api/v1/organizations?limit=100",
        "/api/v1/organizations?q=Brandt",
        "/api/v1/organizations/uni-tu-dortmund/needs?limit=50",
        "/api/v1/graph/search?q=Brandt",
        "/api/v1/graph/search?q=Entgraten",
        "/api/v1/analytics/topics",
        "/api/v1/analytics/gaps",
        "/api/v1/export/graphml",
        "/api/v1/export/gexf",
        "/api/v1/export/organizations.csv",
    ]
    for org in (*HIDDEN_COMPANIES, "org-elektro", "chair-fuegetechnik"):
        urls += [
            f"/api/v1/organizations/{org}",
            f"/api/v1/organizations/{org}/similar",
            f"/api/v1/graph/neighbourhood?key={org}&depth=3&limit=1000",
            f"/api/v1/export/graphml?key={org}&depth=3",
        ]
    for need in [*world.need_keys, *world.shared.values()]:
        urls.append(f"/api/v1/graph/neighbourhood?key=Need:{need}&depth=3&limit=1000")
        urls.append(f"/api/v1/graph/fit?need={need}&per_need=10")
    urls.append("/api/v1/graph/communities")
    return [world.call(role, "GET", url) for url in urls]


def graph_ties(response: Response, org_key: str, need_keys: list[str]) -> bool:
    """Whether the response ties the company to one of its hidden needs: an edge between them in
    a graph (explorer JSON, GraphML, GEXF), or both named in one answer about organisations or
    needs. A whole-graph export holds every organisation and every (redacted) need, so there
    only edges count."""
    text = response.text
    content_type = response.headers.get("content-type", "")
    if "xml" in content_type:
        return any(
            re.search(
                rf'source="[^"]*{re.escape(org_key)}"\s+target="[^"]*{re.escape(need)}"', text
            )
            for need in need_keys
        )
    if "json" not in content_type:
        return False
    body = response.json()
    if isinstance(body, dict) and "edges" in body:
        return any(
            org_key in edge["source"] and any(need in edge["target"] for need in need_keys)
            for edge in body["edges"]
        )
    lowered = text.lower()
    names = (org_key, *HIDDEN_COMPANIES.get(org_key, ())[:2])
    return any(n.lower() in lowered for n in names) and any(k in lowered for k in need_keys)


@pytest.mark.parametrize("role", ["university", "analyst"])
def test_no_response_ties_a_company_to_its_hidden_needs_or_shows_contacts(
    world: RolesWorld, role: str
) -> None:
    staff_view = world.call("staff", "GET", "/api/v1/needs?limit=100").json()["items"]
    hidden: dict[str, list[str]] = {
        item["organization"]["key"]: [] for item in staff_view if item["visibility"] != "public"
    }
    for item in staff_view:
        if item["visibility"] != "public":
            hidden[item["organization"]["key"]].append(item["key"])
            if item["key"] in world.shared:
                hidden[item["organization"]["key"]].append(world.shared[item["key"]])
    leaks = []
    responses = discovery_responses(world, role)
    for response in responses:
        assert response.status_code < 500, (response.request.url, response.text[:300])
        where = (role, str(response.request.url))
        text = response.text.lower()
        for secret in (*EMAILS, *TYPED_CONTACTS, "Hafenstraße 12", "Ruhrdeich 3"):
            if secret.lower() in text:
                leaks.append((*where, secret))
        for org_key, need_keys in hidden.items():
            if graph_ties(response, org_key, need_keys):
                leaks.append((*where, org_key))
    assert leaks == []
    assert sum(r.status_code == 200 for r in responses) > 20


def test_the_tie_check_sees_ties_where_staff_may_see_them(world: RolesWorld) -> None:
    for url in (
        "/api/v1/export/graphml",
        "/api/v1/export/gexf",
        "/api/v1/graph/neighbourhood?key=org-brandt&depth=1",
        "/api/v1/organizations/org-brandt",
    ):
        response = world.call("staff", "GET", url)
        assert graph_ties(response, "org-brandt", ["need-verzug"]), url
