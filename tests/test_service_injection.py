"""Hostile input through the API: Cypher- and HTML-looking words are data, nothing else.

Needs whose title and text look like Cypher injections, markup or full-text query syntax are
stored and returned verbatim to every role, and the graph holds exactly what it held plus those
needs. Searches with the same strings answer without a server error and change nothing.
"""

from __future__ import annotations

import pytest

from graph import needs, stats
from tests.conftest import World
from tests.service_support import auth

HOSTILE: list[tuple[str, str]] = [  # (title, text)
    ("'}) MATCH (n) DETACH DELETE n //", "'}) MATCH (n) DETACH DELETE n //"),
    (
        '"}) MATCH (n) DETACH DELETE n RETURN 1 //',
        "x'}) WITH 1 AS x MATCH (o:Organization) SET o.name = 'pwned' RETURN x //",
    ),
    ("`) DETACH DELETE n //", "$props}) CALL db.clearQueryCaches() // \\' \\\" ; DROP"),
    ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    (
        "<img src=x onerror=\"alert('x')\">",
        "&lt;b&gt; &amp; </textarea><svg/onload=alert(1)> {{7*7}} ${7*7}",
    ),
    (
        'Schweißen AND (OR ~ * ? : \\ " [ ] { } ^ !',
        "Lucene: title:* OR text:/.*/ AND NOT key:[a TO z]~2^3 && || -",
    ),
    ("Ä ö ü ß — “Zitat” 😀", "Rechts\u202elinks, Null\u200bbreite, Tab\tund\nZeile"),
]


def test_cypher_and_html_in_needs_are_stored_and_returned_verbatim(world: World) -> None:
    nodes, relationships = stats.node_counts(world.graph), stats.relationship_counts(world.graph)
    staff = auth(world.keys["staff"])
    created = []
    for title, text in HOSTILE:
        # public: shown as typed to every role (non-public needs show a released wording)
        body = {"org_key": "org-kemper", "title": title, "text": text, "visibility": "public"}
        response = world.client.post("/api/v1/needs", json=body, headers=staff)
        assert response.status_code == 201, response.text
        assert (response.json()["title"], response.json()["text"]) == (title, text)
        created.append((response.json()["key"], title, text))

    for key, title, text in created:
        stored = needs.need_with_company(world.graph, key)
        assert stored is not None
        assert (stored["need"]["title"], stored["need"]["text"]) == (title, text)
        assert stored["organization"]["key"] == "org-kemper"
        for role in ("staff", "university", "analyst"):
            got = world.client.get(f"/api/v1/needs/{key}", headers=auth(world.keys[role]))
            assert got.status_code == 200, (role, got.text)
            assert got.headers["content-type"] == "application/json"
            assert (got.json()["title"], got.json()["text"]) == (title, text), role

    listed = world.client.get("/api/v1/needs?limit=100&org=org-kemper", headers=staff).json()
    by_key = {item["key"]: item for item in listed["items"]}
    assert {(by_key[key]["title"], by_key[key]["text"]) for key, *_ in created} == set(HOSTILE)

    # Everything the graph held is still there; only the needs, their ties and the "created"
    # event of each need's history were added.
    added = {"Need": len(HOSTILE), "NeedEvent": len(HOSTILE)}
    assert stats.node_counts(world.graph) == {
        label: count + added.get(label, 0) for label, count in nodes.items()
    }
    assert stats.relationship_counts(world.graph) == {
        **relationships,
        "HAS_NEED": relationships["HAS_NEED"] + len(HOSTILE),
        "HAS_EVENT": relationships.get("HAS_EVENT", 0) + len(HOSTILE),
    }
    names = world.client.get("/api/v1/organizations/org-kemper", headers=staff).json()
    assert names["name"] == "Kemper Metallbau e.K. (fiktiv)"


def test_a_hostile_change_is_stored_verbatim_too(world: World) -> None:
    staff = auth(world.keys["staff"])
    title, text = HOSTILE[1]
    change = {"title": title, "text": text}
    changed = world.client.patch("/api/v1/needs/need-verzug", json=change, headers=staff)
    assert changed.status_code == 200, changed.text
    assert (changed.json()["title"], changed.json()["text"]) == (title, text)
    stored = needs.need_with_company(world.graph, "need-verzug")
    assert stored is not None
    assert (stored["need"]["title"], stored["need"]["text"]) == (title, text)


@pytest.mark.parametrize("words", sorted({w for pair in HOSTILE for w in pair}))
def test_searches_with_hostile_words_answer_and_change_nothing(world: World, words: str) -> None:
    nodes, relationships = stats.node_counts(world.graph), stats.relationship_counts(world.graph)
    staff = auth(world.keys["staff"])
    for url, params in (
        ("/api/v1/organizations", {"q": words[:200]}),
        ("/api/v1/graph/search", {"q": words[:200]}),
    ):
        response = world.client.get(url, params=params, headers=staff)
        assert response.status_code < 500, (url, response.text)
    match = world.client.post("/api/v1/match", json={"text": words}, headers=staff)
    assert match.status_code in (200, 422), match.text
    assert stats.node_counts(world.graph) == nodes
    assert stats.relationship_counts(world.graph) == relationships
