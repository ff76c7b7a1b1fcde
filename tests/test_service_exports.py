"""Exports: GraphML, GEXF and CSV as pure functions (parsed back), and over HTTP per role.

The formats are checked by reading them back with xml.etree and with networkx's own GraphML
and GEXF readers (what analysts load them with), with markup and control characters in the
values. Over HTTP, analysts must get the same anonymised graph as in the explorer.
"""

from __future__ import annotations

import csv
import io
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from graph import admin, explore, schema
from graph.connection import Graph
from matching.encoder import get_encoder
from partnergraph.settings import Settings
from service.api.exports import WHOLE_DEFAULT
from service.api.graph_views import whole_subgraph
from service.app import create_app
from service.auth import principal_for
from service.exports import (
    EXPORT_COLUMNS,
    GEXF_NS,
    GRAPHML_NS,
    csv_cell,
    organizations_csv,
    to_gexf,
    to_graphml,
)
from service.redact import organization_view
from tests.ingest_support import CANONICAL, run_ingest
from tests.service_support import auth, keys_for_roles

API = "/api/v1"
G = f"{{{GRAPHML_NS}}}"
X = f"{{{GEXF_NS}}}"

NODES: list[dict[str, Any]] = [
    {
        "id": "Organization:o&1",
        "label": "Organization",
        "kind": "company",
        "name": 'Müller & Söhne <GmbH> "Nord"',
        "city": "Hagen",
        "region": None,
        "degree": 2,
        "data": {"employees": 12, "lat": 51.3, "trades": ["A13", "A25"], "ok": True},
    },
    {
        "id": "Need:n\x01<1>",
        "label": "Need",
        "kind": None,
        "name": "Verzug\x00 beim Schweißen\x0b",
        "degree": 0,
        "data": {"visibility": "anonymous", "employees": None, "lat": 7},
    },
]
EDGES = [{"id": "e1", "source": "Organization:o&1", "target": "Need:n\x01<1>", "type": "HAS_NEED"}]


# --- formats (no Neo4j) -----------------------------------------------------------------------


def test_graphml_parses_back_with_escaped_values_and_typed_keys() -> None:
    root = ET.fromstring(to_graphml(NODES, EDGES).encode("utf-8"))
    keys = {k.get("attr.name"): k for k in root.iter(f"{G}key") if k.get("for") == "node"}
    assert keys["degree"].get("attr.type") == "long"
    assert keys["employees"].get("attr.type") == "long"
    assert keys["lat"].get("attr.type") == "double"
    assert keys["ok"].get("attr.type") == "boolean"
    nodes = {n.get("id"): n for n in root.iter(f"{G}node")}
    assert set(nodes) == {"Organization:o&1", "Need:n<1>"}  # control characters dropped
    values = {d.get("key"): d.text for d in nodes["Organization:o&1"].iter(f"{G}data")}
    assert values[keys["name"].get("id")] == 'Müller & Söhne <GmbH> "Nord"'
    assert values[keys["trades"].get("id")] == "A13|A25"
    need_values = {d.get("key"): d.text for d in nodes["Need:n<1>"].iter(f"{G}data")}
    assert need_values[keys["name"].get("id")] == "Verzug beim Schweißen"
    assert keys["employees"].get("id") not in need_values  # no value, no data element
    (edge,) = root.iter(f"{G}edge")
    assert (edge.get("source"), edge.get("target")) == ("Organization:o&1", "Need:n<1>")
    label = edge.find(f"{G}data")
    assert label is not None
    assert label.text == "HAS_NEED"


def test_gexf_parses_back_with_attributes_and_edge_labels() -> None:
    root = ET.fromstring(to_gexf(NODES, EDGES, description="a <test>").encode("utf-8"))
    assert root.get("version") == "1.2"
    graph = root.find(f"{X}graph")
    assert graph is not None
    assert graph.get("defaultedgetype") == "directed"
    titles = {a.get("id"): a.get("title") for a in graph.iter(f"{X}attribute")}
    nodes = {n.get("id"): n for n in graph.iter(f"{X}node")}
    assert nodes["Organization:o&1"].get("label") == 'Müller & Söhne <GmbH> "Nord"'
    values = {
        titles[v.get("for")]: v.get("value") for v in nodes["Organization:o&1"].iter(f"{X}attvalue")
    }
    assert values["city"] == "Hagen" and values["employees"] == "12"
    (edge,) = graph.iter(f"{X}edge")
    assert edge.get("label") == "HAS_NEED" and edge.get("target") == "Need:n<1>"


def test_networkx_reads_both_formats() -> None:
    networkx = pytest.importorskip("networkx")
    from_graphml = networkx.parse_graphml(to_graphml(NODES, EDGES))
    assert from_graphml.nodes["Organization:o&1"]["employees"] == 12
    assert from_graphml.nodes["Organization:o&1"]["ok"] is True
    assert from_graphml.edges["Organization:o&1", "Need:n<1>"]["type"] == "HAS_NEED"
    gexf = to_gexf(NODES, EDGES)
    from_gexf = networkx.read_gexf(io.BytesIO(gexf.encode("utf-8")))
    assert from_gexf.nodes["Organization:o&1"]["label"] == 'Müller & Söhne <GmbH> "Nord"'
    assert from_gexf.number_of_edges() == 1


def test_empty_graphs_are_valid_documents() -> None:
    assert ET.fromstring(to_graphml([], [])).tag == f"{G}graphml"
    assert ET.fromstring(to_gexf([], [])).tag == f"{X}gexf"


def test_csv_has_the_ingest_columns_lists_and_defused_formulas() -> None:
    text = organizations_csv(
        [
            {"key": "o1", "name": '=HYPERLINK("x")', "lat": 51.5, "trades": ["A13", "A25"]},
            {"key": "o2", "name": 'Semi;colon "quoted"\nline', "employees": 3},
        ]
    )
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["name"] == '\'=HYPERLINK("x")'
    assert first["lat"] == "51,5" and first["trades"] == "A13|A25" and first["street"] == ""
    second = dict(zip(rows[0], rows[2], strict=True))
    assert second["name"] == 'Semi;colon "quoted"\nline' and second["employees"] == "3"
    assert (
        csv_cell(-3) == "-3"
        and csv_cell(7.25) == "7,25"
        and csv_cell("-3") == "'-3"
        and csv_cell(None) == ""
    )


# --- over HTTP --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded(neo4j_settings: Settings) -> Iterator[dict[str, str]]:
    with Graph.from_settings(neo4j_settings) as graph:
        admin.delete_everything(graph)
        schema.init_schema(graph)
        assert run_ingest(graph, CANONICAL, get_encoder("use-multilingual")).ok
        yield keys_for_roles(graph, "uni-tu-dortmund")


@pytest.fixture(scope="module")
def client(neo4j_settings: Settings, loaded: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(neo4j_settings)) as client:
        yield client


def download(client: TestClient, api_key: str, path: str, **params: Any) -> Any:
    response = client.get(API + path, params=params, headers=auth(api_key))
    assert response.status_code == 200, response.text
    assert "attachment" in response.headers["content-disposition"]
    return response


def graphml_nodes(text: str) -> dict[str | None, dict[str | None, str | None]]:
    root = ET.fromstring(text.encode("utf-8"))
    names = {k.get("id"): k.get("attr.name") for k in root.iter(f"{G}key")}
    return {
        node.get("id"): {names[d.get("key")]: d.text for d in node.iter(f"{G}data")}
        for node in root.iter(f"{G}node")
    }


def test_staff_export_the_whole_graph_with_everything(
    client: TestClient, loaded: dict[str, str]
) -> None:
    response = download(client, loaded["staff"], "/export/graphml")
    assert response.headers["content-type"].startswith("application/graphml+xml")
    assert response.headers["x-truncated"] == "false"
    nodes = graphml_nodes(response.text)
    assert {"Need:need-verzug", "Person:person-kemper", "Organization:org-brandt"} <= set(nodes)
    assert nodes["Organization:org-brandt"]["street"] == "Hafenstraße 12"
    assert "Region:05913-dortmund" in nodes  # linked by an organisation
    assert "Region:05954-sprockhoevel" not in nodes  # no organisation there
    root = ET.fromstring(response.content)
    edges = {(e.get("source"), e.get("target")) for e in root.iter(f"{G}edge")}
    assert ("Organization:org-brandt", "Need:need-verzug") in edges


def test_analysts_export_the_anonymised_graph(client: TestClient, loaded: dict[str, str]) -> None:
    for path in ("/export/graphml", "/export/gexf"):
        body = download(client, loaded["analyst"], path).text
        assert "Hafenstraße" not in body and "person-kemper" not in body
        assert "info@kemper" not in body and "anna.weber@" not in body
    nodes = graphml_nodes(download(client, loaded["analyst"], "/export/graphml").text)
    # not released: a confidential need does not exist for analysts (tests/test_release.py)
    assert "Need:need-verzug" not in nodes
    root = ET.fromstring(download(client, loaded["analyst"], "/export/graphml").content)
    touching = [e for e in root.iter(f"{G}edge") if "need-verzug" in (e.get("target") or "")]
    assert touching == []


def test_a_neighbourhood_export_is_bounded(client: TestClient, loaded: dict[str, str]) -> None:
    response = download(
        client, loaded["analyst"], "/export/gexf", key="org-kemper", depth=3, limit=4
    )
    assert response.headers["x-truncated"] == "true"
    root = ET.fromstring(response.content)
    ids = {n.get("id") for n in root.iter(f"{X}node")}
    assert len(ids) == 4 and "Organization:org-kemper" in ids
    assert all(e.get("source") in ids and e.get("target") in ids for e in root.iter(f"{X}edge"))
    whole = download(client, loaded["staff"], "/export/graphml", limit=3)
    assert whole.headers["x-truncated"] == "true"
    assert len(graphml_nodes(whole.text)) == 3


def test_the_organisation_csv_loads_again(
    client: TestClient, loaded: dict[str, str], neo4j_settings: Settings, tmp_path: Path
) -> None:
    response = download(client, loaded["staff"], "/export/organizations.csv")
    assert response.headers["content-type"].startswith("text/csv")
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "organizations.csv").write_bytes(response.content)
    with Graph.from_settings(neo4j_settings) as graph:
        report = run_ingest(graph, folder, dry_run=True)
    assert report.ok, [str(p) for p in report.problems]
    assert report.counts["Organization"].rejected == 0
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff")), delimiter=";"))
    assert len(rows) == 8
    brandt = next(row for row in rows if row["key"] == "org-brandt")
    assert brandt["street"] == "Hafenstraße 12" and brandt["industries"] == "25|28"
    assert next(r for r in rows if r["key"] == "chair-fuegetechnik")["parent_key"] == (
        "fak-mb-dortmund"
    )
    # loaded back, the rows are their source's own nodes: none is new, none refused
    assert report.counts["Organization"].created == 0
    shutil.rmtree(folder)


def test_analysts_csv_has_no_streets_of_companies(
    client: TestClient, loaded: dict[str, str]
) -> None:
    text = download(client, loaded["analyst"], "/export/organizations.csv").text
    rows = {r["key"]: r for r in csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";")}
    assert rows["org-brandt"]["street"] == "" and rows["org-kemper"]["street"] == ""
    assert rows["inst-hagen"]["street"] == "Haldener Straße 182"


@pytest.mark.parametrize("path", ["/export/graphml", "/export/gexf", "/export/organizations.csv"])
def test_exports_are_for_staff_and_analysts_only(
    client: TestClient, loaded: dict[str, str], path: str
) -> None:
    assert client.get(API + path, headers=auth(loaded["university"])).status_code == 403
    assert client.get(API + path).status_code == 401
    assert download(client, loaded["admin"], path)


@pytest.mark.parametrize("role", ["staff", "analyst"])
def test_the_streamed_whole_graph_is_the_graph_built_in_memory(
    client: TestClient, loaded: dict[str, str], neo4j_settings: Settings, role: str
) -> None:
    """The exports are written as they are read; byte for byte what the explorer's builder
    makes of the same graph in memory (so nothing was lost or reordered on the way)."""
    with Graph.from_settings(neo4j_settings) as graph:
        principal = principal_for(graph, loaded[role])
        for limit in (WHOLE_DEFAULT, 5):
            sub = whole_subgraph(graph, principal, limit=limit)
            graphml = download(client, loaded[role], "/export/graphml", limit=limit)
            assert graphml.text == to_graphml(sub["nodes"], sub["edges"])
            assert graphml.headers["x-truncated"] == str(sub["truncated"]).lower()
            gexf = download(client, loaded[role], "/export/gexf", limit=limit)
            expected = to_gexf(sub["nodes"], sub["edges"], description="partnergraph: whole graph")
            assert gexf.text == expected
        rows = explore.organizations_for_export(graph, 3)
        csv_text = download(client, loaded[role], "/export/organizations.csv", limit=3)
        assert csv_text.headers["x-truncated"] == "true"
        assert csv_text.text == organizations_csv(organization_view(principal, r) for r in rows)
