"""graph/MODEL.md describes what the graph really holds: every label and relationship type that
a load writes, and everything `graph/model.py` defines, has its row there."""

from __future__ import annotations

import re
from pathlib import Path

from graph.connection import Graph
from graph.model import BOOKKEEPING_LABELS, NODE_KEYS, RELATIONSHIPS
from tests.ingest_support import CANONICAL, FIXTURES, run_ingest

MODEL_MD = Path(__file__).parent.parent / "graph" / "MODEL.md"


def documented() -> tuple[set[str], set[str]]:
    """(labels, relationship types) that MODEL.md gives a table row of their own."""
    text = MODEL_MD.read_text(encoding="utf-8")
    rows = {match for match in re.findall(r"^\| ([A-Za-z_]+) \|", text, re.MULTILINE)}
    labels = {row for row in rows if not row.isupper()}
    types = {row for row in rows if row.isupper()}
    return labels, types


def test_every_label_and_relationship_a_load_writes_is_in_model_md(graph: Graph) -> None:
    assert run_ingest(graph, CANONICAL).ok
    # a second and third source, so entity resolution writes its SAME_AS too
    for source in ("crm", "ihk"):
        assert run_ingest(graph, FIXTURES / "dedupe" / source).ok
    labels = {
        row["label"] for row in graph.read("MATCH (n) UNWIND labels(n) AS label RETURN label")
    }
    types = {row["type"] for row in graph.read("MATCH ()-[r]->() RETURN DISTINCT type(r) AS type")}
    assert {"Organization", "SourceFile", "SchemaMeta"} <= labels
    assert {"PART_OF", "SAME_AS", "PARTICIPATED_IN"} <= types

    doc_labels, doc_types = documented()
    assert labels <= doc_labels, sorted(labels - doc_labels)
    assert types <= doc_types, sorted(types - doc_types)


def test_everything_model_py_defines_is_in_model_md() -> None:
    doc_labels, doc_types = documented()
    defined = set(NODE_KEYS) | set(BOOKKEEPING_LABELS)
    assert defined <= doc_labels, sorted(defined - doc_labels)
    kinds = {kind for kind, _, _ in RELATIONSHIPS}
    assert kinds <= doc_types, sorted(kinds - doc_types)
