"""Backup and restore: a restore gives back the identical graph, and a damaged backup file or a
graph that holds data changes nothing."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from graph import admin, keys, needs, subscriptions
from graph.backup import _FROM, _TO
from graph.backup_format import FORMAT, NodeRow, RelationshipRow, read_backup
from graph.connection import Graph
from graph.dump import dump
from graph.model import NODE_KEYS
from graph.search import vector_evidence
from graph.vectors import Encoder, competence_vectors, embedding_model, vector_index_dimensions
from partnergraph.backup import backup, check_backup, restore
from partnergraph.cli import app
from partnergraph.errors import BackupError, Conflict, IngestError, PartnergraphError
from partnergraph.settings import Settings
from service.auth import add_key, hash_key
from tests.ingest_support import CANONICAL, run_ingest
from tests.test_cli import cli_env


@pytest.fixture
def loaded(graph: Graph, encoder: Encoder) -> Graph:
    """The canonical fixture with embeddings, an API key, a subscription that has listed a
    need, and an accepted suggestion (FEEDBACK and COOPERATES_WITH with their datetimes)."""
    assert run_ingest(graph, CANONICAL, encoder).ok
    key_id, secret = add_key(graph, "IHK Dortmund, Team Innovation", "staff")
    graph.secret = secret  # type: ignore[attr-defined]
    subscriptions.create_subscription(graph, id="sub-1", key_id=key_id, query="Photovoltaik")
    subscriptions.mark_seen(graph, "sub-1", ["need-pv"])
    assert needs.record_feedback(
        graph, "need-pv", "org-elektro", "accepted", "Termin vereinbart", by=key_id
    )
    return graph


def snapshot(graph: Graph) -> dict[str, Any]:
    """Everything a restore must give back: the dump (vectors rounded), the vectors bit for bit,
    keys and subscriptions as the service shows them (datetimes through toString, where an
    offset and a zone id differ) and the vector model."""
    return {
        "dump": dump(graph),
        "vectors": competence_vectors(graph, "", 1000),
        "keys": keys.list_keys(graph),
        "subscriptions": [
            subscriptions.subscription_of(graph, row["id"], row["key_id"])
            for row in graph.read("MATCH (s:Subscription) RETURN s.id AS id, s.key_id AS key_id")
        ],
        "feedback": needs.feedback_of_need(graph, "need-pv"),
        "model": embedding_model(graph),
    }


def nearest(graph: Graph, encoder: Encoder, text: str) -> list[tuple[str, float]]:
    vector = [float(v) for v in encoder.encode([text])[0]]
    return [(row["key"], row["score"]) for row in vector_evidence(graph, "Competence", vector, 3)]


def test_a_restore_gives_back_the_identical_graph(
    loaded: Graph,
    encoder: Encoder,
    tmp_path: Path,
) -> None:
    before = snapshot(loaded)
    found_before = nearest(loaded, encoder, "verzugsarmes Schweißen dünner Bleche")
    file = tmp_path / "graph.jsonl"
    summary = backup(loaded, file)
    assert summary.header.nodes["ApiKey"] == 1 and summary.header.nodes["Subscription"] == 1
    assert summary.header.relationships["COOPERATES_WITH"] == 1
    assert summary.header.model == encoder.name and summary.header.dimension == 512
    assert not list(tmp_path.glob(".*")), "no temporary files are left behind"

    admin.delete_everything(loaded)
    restored = restore(loaded, file)

    assert restored.nodes == summary.header.nodes
    assert restored.relationships == summary.header.relationships
    assert snapshot(loaded) == before
    assert vector_index_dimensions(loaded) == {
        "competence_embedding": 512,
        "need_embedding": 512,
        "project_embedding": 512,
    }
    assert nearest(loaded, encoder, "verzugsarmes Schweißen dünner Bleche") == found_before
    assert found_before and found_before[0][0] == "comp-arc"
    assert keys.key_by_hash(loaded, hash_key(loaded.secret))  # type: ignore[attr-defined]


def test_a_gzip_backup_replaces_a_graph_that_holds_data(loaded: Graph, tmp_path: Path) -> None:
    before = snapshot(loaded)
    file = tmp_path / "graph.jsonl.gz"
    backup(loaded, file, compress=True)
    assert file.read_bytes()[:2] == b"\x1f\x8b"
    plain = gzip.decompress(file.read_bytes()).decode("utf-8").splitlines()
    assert json.loads(plain[0])["format"] == FORMAT
    loaded.write("CREATE (:Organization {key: 'org-neu', name: 'Neu GmbH (fiktiv)'})")
    loaded.write("MATCH (o:Organization {key: 'org-kemper'}) SET o.name = 'geändert'")

    with pytest.raises(Conflict, match="not empty"):
        restore(loaded, file)
    restore(loaded, file, replace=True)

    assert snapshot(loaded) == before


def test_without_keys_the_service_keys_and_subscriptions_are_left_out(
    loaded: Graph, tmp_path: Path
) -> None:
    before = dump(loaded)
    file = tmp_path / "graph.jsonl"
    summary = backup(loaded, file, with_keys=False)
    assert summary.header.with_keys is False
    assert "ApiKey" not in summary.header.nodes and "SEEN" not in summary.header.relationships

    restore(loaded, file, replace=True)

    assert keys.list_keys(loaded) == []
    assert dump(loaded) == {
        "nodes": before["nodes"],
        "relationships": [row for row in before["relationships"] if row[2] != "SEEN"],
    }


def test_every_neo4j_value_type_comes_back_exactly(graph: Graph, tmp_path: Path) -> None:
    graph.write(
        "CREATE (a:Organization:Archived {key: 'exotic', day: date('2025-02-03'), "
        "offset: datetime('2025-02-03T10:11:12.123456789Z'), "
        "zone: datetime('2025-02-03T10:11:12[UTC]'), "
        "berlin: datetime('2025-07-03T10:11:12.5[Europe/Berlin]'), "
        "local: localdatetime('2025-02-03T10:11:12'), clock: time('10:11:12+01:00'), "
        "wall: localtime('10:11'), span: duration('P1M2DT3.000000004S'), "
        "days: [date('2025-01-01'), date('2025-01-02')], floats: [1.5, 2.0], ints: [1, 2], "
        "big: 9007199254740993, tiny: 5e-324, flags: [true, false], words: ['a', 'ä'], "
        "none: [], here: point({x: 1, y: 2}), "
        "there: point({latitude: 51.5, longitude: 7.4, height: 3}), "
        "text: 'Zeile 1\\nZeile 2 \"zitiert\" \\u0000'}) "
        "CREATE (b:Organization {key: 'other'}) "
        "CREATE (a)-[:COOPERATES_WITH {need: 'n', at: datetime('2025-02-03T10:11:12Z'), "
        "on: [date('2025-01-01')]}]->(b) "
        "CREATE (a)-[:COOPERATES_WITH {need: 'n'}]->(b)"
    )
    read_back = (
        "MATCH (n:Organization {key: 'exotic'})-[r]->() "
        "WITH n, collect(r) AS rels UNWIND keys(n) AS k "
        "RETURN labels(n) AS labels, k, valueType(n[k]) AS type, "
        "CASE WHEN valueType(n[k]) STARTS WITH 'LIST<DATE' THEN [x IN n[k] | toString(x)] "
        "WHEN valueType(n[k]) =~ '.*(DATE|TIME|DURATION).*' THEN toString(n[k]) "
        "ELSE n[k] END AS value, "
        "[r IN rels | [toString(r.at), [x IN r.on | toString(x)], valueType(r.on)]] AS rels "
        "ORDER BY k"
    )

    def read() -> list[dict[str, Any]]:
        rows = graph.read(read_back)
        return [{**row, "rels": sorted(row["rels"], key=repr)} for row in rows]

    before = read()
    file = tmp_path / "exotic.jsonl"
    backup(graph, file)

    restore(graph, file, replace=True)

    assert read() == before
    values = {row["k"]: row["value"] for row in before}
    assert values["offset"] == "2025-02-03T10:11:12.123456789Z"
    assert values["zone"] == "2025-02-03T10:11:12Z[UTC]"
    assert values["big"] == 9007199254740993 and before[0]["labels"] == ["Organization", "Archived"]


def test_a_cut_off_backup_names_file_and_line_and_leaves_the_graph_as_it_was(
    loaded: Graph, tmp_path: Path
) -> None:
    before = snapshot(loaded)
    file = tmp_path / "graph.jsonl"
    backup(loaded, file)
    data = file.read_bytes()
    lines = data.splitlines(keepends=True)

    cut = tmp_path / "cut.jsonl"
    cut.write_bytes(b"".join(lines[:500]) + lines[500][:40])
    with pytest.raises(BackupError) as caught:
        restore(loaded, cut, replace=True)
    assert str(caught.value).startswith(f"{cut}:501: not valid JSON")
    assert "cut off" in str(caught.value)

    short = tmp_path / "short.jsonl"
    short.write_bytes(b"".join(lines[:-3]))
    with pytest.raises(BackupError) as caught:
        restore(loaded, short, replace=True)
    assert str(caught.value).startswith(f"{short}:{len(lines) - 3}: the file ends after")
    assert "it is cut off" in str(caught.value)

    packed = tmp_path / "graph.jsonl.gz"
    backup(loaded, packed, compress=True)
    cut_gzip = tmp_path / "cut.jsonl.gz"
    cut_gzip.write_bytes(packed.read_bytes()[: packed.stat().st_size // 2])
    with pytest.raises(BackupError, match="gzip data ends early"):
        restore(loaded, cut_gzip, replace=True)

    assert snapshot(loaded) == before


def test_an_edited_backup_is_refused_before_anything_is_written(
    loaded: Graph, tmp_path: Path
) -> None:
    before = snapshot(loaded)
    file = tmp_path / "graph.jsonl"
    backup(loaded, file)
    text = file.read_text(encoding="utf-8")
    edited = tmp_path / "edited.jsonl"
    edited.write_text(text.replace("Brandt Präzisionstechnik", "Brandt Praezision"), "utf-8")
    with pytest.raises(BackupError, match="do not match the checksum"):
        restore(loaded, edited, replace=True)

    lines = text.splitlines(keepends=True)
    lines.insert(3, '{"node": "Hack", "props": {"key": "x"}}\n')
    foreign = tmp_path / "foreign.jsonl"
    foreign.write_text("".join(lines), "utf-8")
    with pytest.raises(BackupError) as caught:
        restore(loaded, foreign, replace=True)
    assert str(caught.value).startswith(f"{foreign}:4:node: 'Hack' is not a label of the model")

    assert snapshot(loaded) == before


def test_a_node_without_a_key_stops_the_backup_and_leaves_no_file(
    graph: Graph, tmp_path: Path
) -> None:
    graph.write("CREATE (:Organization {name: 'ohne Schlüssel'})")
    file = tmp_path / "graph.jsonl"
    with pytest.raises(PartnergraphError, match="has no key"):
        backup(graph, file)
    assert list(tmp_path.iterdir()) == []


def test_backup_and_restore_commands(
    neo4j_settings: Settings, loaded: Graph, tmp_path: Path
) -> None:
    before = snapshot(loaded)
    runner = CliRunner()
    env = cli_env(neo4j_settings)
    file = tmp_path / "graph.jsonl.gz"
    result = runner.invoke(app, ["backup", str(file), "--gzip"], env=env)
    assert result.exit_code == 0, result.output
    assert "Backed up" in result.stdout and file.exists()

    refused = runner.invoke(app, ["restore", str(file)], env=env)
    assert isinstance(refused.exception, Conflict)
    result = runner.invoke(app, ["restore", str(file), "--yes"], env=env)
    assert result.exit_code == 0, result.output
    assert "Restored" in result.stdout
    assert snapshot(loaded) == before

    damaged = tmp_path / "damaged.jsonl"
    damaged.write_text('{"format": "neo4j-admin"}\n', encoding="utf-8")
    refused = runner.invoke(app, ["restore", str(damaged), "--yes"], env=env)
    assert isinstance(refused.exception, BackupError)  # main() prints it as "error: file:1: ..."
    assert not isinstance(refused.exception, IngestError)
    assert snapshot(loaded) == before


# --- the file format, without Neo4j -----------------------------------------------------------


def write_backup(path: Path, items: list[dict[str, Any]], **header: Any) -> Path:
    """A backup file of `items` with a header whose counts and checksum fit them."""
    body = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in items).encode()
    nodes: dict[str, int] = {}
    relationships: dict[str, int] = {}
    for item in items:
        if "node" in item:
            nodes[item["node"]] = nodes.get(item["node"], 0) + 1
        else:
            relationships[item["rel"]] = relationships.get(item["rel"], 0) + 1
    head = {
        "format": FORMAT,
        "format_version": 1,
        "model": None,
        "dimension": None,
        "counts": {"nodes": nodes, "relationships": relationships},
        "body_sha256": hashlib.sha256(body).hexdigest(),
        **header,
    }
    path.write_bytes(json.dumps(head).encode() + b"\n" + body)
    return path


ORG = {"node": "Organization", "props": {"key": "o-1", "name": "A"}}
NEED = {"node": "Need", "props": {"key": "n-1", "created_at": {"$date": "2026-05-14"}}}
HAS_NEED = {"rel": "HAS_NEED", "from": ["Organization", "o-1"], "to": ["Need", "n-1"], "props": {}}


def test_a_well_formed_file_reads_into_rows(tmp_path: Path) -> None:
    file = write_backup(tmp_path / "b.jsonl", [ORG, NEED, HAS_NEED])
    items = list(read_backup(enumerate(file.read_bytes().splitlines(True), 1), str(file)))
    assert [type(item) for item in items[1:]] == [NodeRow, NodeRow, RelationshipRow]
    assert items[2].row["temporal"] == [
        {"name": "created_at", "type": "date", "value": "2026-05-14"}
    ]
    assert items[3].row == {
        "from_key": "o-1",
        "to_key": "n-1",
        "type": "HAS_NEED",
        "props": {},
        "temporal": [],
    }


@pytest.mark.parametrize(
    ("items", "header", "message"),
    [
        ([HAS_NEED, ORG, NEED], {}, ":2:from: Organization 'o-1' is not a node of this backup"),
        ([ORG, HAS_NEED, NEED], {}, ":3:to: Need 'n-1' is not a node of this backup"),
        ([ORG, ORG], {}, ":3:props.key: Organization 'o-1' is given twice"),
        ([{"node": "Organization", "props": {"name": "A"}}], {}, ":2:props.key: a Organization"),
        ([{"node": "Need", "props": {"key": "n", "x": None}}], {}, ":2:props.x: null is not"),
        ([{"node": "Need", "props": {"key": "n", "x": [1, "a"]}}], {}, ":2:props.x: a list"),
        ([{"node": "Need", "props": {"key": "n", "x": {"$vector": "!!"}}}], {}, "$vector is not"),
        ([{"node": "Need", "props": {"key": "n", "x": {"$eval": "1"}}}], {}, "unknown value"),
        ([{"node": "Need", "rel": "X"}], {}, ":2: a line must be a node"),
        ([ORG], {"format_version": 2}, ":1:format_version: written by a newer partnergraph"),
        ([ORG], {"format": "neo4j-admin"}, ":1: not a partnergraph backup"),
    ],
)
def test_a_bad_line_is_named_by_file_line_and_field(
    tmp_path: Path, items: list[dict[str, Any]], header: dict[str, Any], message: str
) -> None:
    file = write_backup(tmp_path / "b.jsonl", items, **header)
    with pytest.raises(BackupError) as caught:
        check_backup(file)
    assert str(caught.value).startswith(str(file)) and message in str(caught.value)


def test_an_empty_or_missing_file_is_not_a_backup(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_bytes(b"")
    with pytest.raises(BackupError, match="the file is empty"):
        check_backup(tmp_path / "empty.jsonl")
    with pytest.raises(BackupError, match="no such file"):
        check_backup(tmp_path / "missing.jsonl")


def test_every_label_of_the_model_can_be_an_end_of_a_relationship() -> None:
    assert set(_FROM) == set(_TO) == set(NODE_KEYS)
    for label, key in NODE_KEYS.items():
        assert f"(a:{label} {{{key}: row.from_key}})" in _FROM[label]
        assert f"(b:{label} {{{key}: row.to_key}})" in _TO[label]
