"""The ingest's write and lookup queries (graph.writes) on a real Neo4j: what each per-label
query finds and changes, and that each one seeks its label's key index rather than scanning.
"""

from __future__ import annotations

from typing import Any, LiteralString

import pytest
from neo4j import Query

from graph import writes
from graph.connection import Graph, Row
from graph.model import HUB_LABELS, TEXT_LABELS, Label, LoadedLink

SEEKS = {"NodeUniqueIndexSeek", "NodeIndexSeek"}
SCANS = {"AllNodesScan", "NodeByLabelScan"}


def _load(graph: Graph) -> None:
    """Two organisations of source `a` and one of `b`, with a person, texts, a project, an
    event and the links between them, written by the ingest's own functions."""
    writes.upsert_trades(
        graph, [{"code": "t1", "name": "Tischler", "annex": "A", "source": "ref", "hash": "ht"}]
    )
    writes.upsert_industries(
        graph,
        [
            {
                "code": "C",
                "name": "Industrie",
                "level": 1,
                "parent": None,
                "source": "ref",
                "hash": "hi",
            }
        ],
    )
    writes.upsert_regions(
        graph,
        [
            {
                "key": "r1",
                "name": "Bochum",
                "kind": "city",
                "lat": 51.5,
                "lon": 7.2,
                "parent_key": None,
                "source": "ref",
                "hash": "hr",
            }
        ],
    )
    writes.create_organizations(
        graph,
        [
            {
                "props": {"key": key, "name": key, "source": source, "hash": f"h-{key}"},
                "trades": ["t1"],
                "industries": ["C"],
                "region_key": "r1",
            }
            for key, source in (("org-1", "a"), ("org-2", "a"), ("org-3", "b"))
        ],
    )
    writes.upsert_people(
        graph, [{"props": {"key": "p-1", "source": "a", "hash": "hp"}, "org_key": "org-1"}]
    )
    writes.upsert_competences(
        graph,
        [
            {
                "props": {
                    "key": "c-1",
                    "title": "Fräsen",
                    "text": "CNC",
                    "source": "a",
                    "hash": "hc",
                    "text_hash": "tc",
                    "embedding_model": "m1",
                },
                "embedding": None,
                "owner_key": "org-1",
            }
        ],
    )
    writes.upsert_needs(
        graph,
        [
            {
                "props": {
                    "key": "n-1",
                    "title": "Beschichtung",
                    "text": "Pulver",
                    "source": "a",
                    "hash": "hn",
                },
                "created_at": "2026-01-02",
                "embedding": None,
                "org_key": "org-2",
            }
        ],
    )
    writes.upsert_projects(
        graph,
        [
            {
                "props": {
                    "key": "pr-1",
                    "title": "Leichtbau",
                    "text": "Alu",
                    "source": "a",
                    "hash": "hpr",
                },
                "start": None,
                "end": None,
                "embedding": None,
            }
        ],
    )
    writes.upsert_events(
        graph, [{"props": {"key": "e-1", "source": "a", "hash": "he"}, "date": "2026-03-04"}]
    )
    writes.upsert_participations(
        graph,
        [{"org_key": "org-1", "project_key": "pr-1", "role": "lead", "source": "a", "hash": "hl"}],
    )
    writes.upsert_attendances(
        graph, [{"org_key": "org-3", "event_key": "e-1", "source": "b", "hash": "hat"}]
    )


@pytest.fixture
def loaded(graph: Graph) -> Graph:
    _load(graph)
    return graph


def test_existing_state_answers_hash_vector_and_source_of_the_keys_present(
    loaded: Graph,
) -> None:
    state = writes.existing_state(loaded, Label.Competence, ["c-1", "c-missing"])
    assert state == {"c-1": {"hash": "hc", "text_hash": "tc", "model": "m1", "source": "a"}}
    # a node without a vector's properties, looked up by its label's key property
    assert writes.existing_state(loaded, Label.Trade, ["t1"]) == {
        "t1": {"hash": "ht", "text_hash": None, "model": None, "source": "ref"}
    }
    assert writes.existing_state(loaded, Label.Organization, ["org-3", "org-1"]) == {
        "org-1": {"hash": "h-org-1", "text_hash": None, "model": None, "source": "a"},
        "org-3": {"hash": "h-org-3", "text_hash": None, "model": None, "source": "b"},
    }
    # a key of another label is not found under this one
    assert writes.existing_state(loaded, Label.Person, ["org-1"]) == {}


def test_every_label_and_loaded_link_has_a_state_lookup(loaded: Graph) -> None:
    keys: dict[Label | LoadedLink, str] = {
        Label.Organization: "org-2",
        Label.Competence: "c-1",
        Label.Need: "n-1",
        Label.Project: "pr-1",
        Label.Event: "e-1",
        Label.Person: "p-1",
        Label.Trade: "t1",
        Label.Industry: "C",
        Label.Region: "r1",
        LoadedLink.PARTICIPATED_IN: "org-1->pr-1",
        LoadedLink.ATTENDED: "org-3->e-1",
    }
    assert set(keys) == set(Label) | set(LoadedLink)
    for label, key in keys.items():
        assert list(writes.existing_state(loaded, label, [key])) == [key], label
    # a link is found by both of its ends, in its direction only
    assert writes.existing_state(loaded, LoadedLink.PARTICIPATED_IN, ["org-2->pr-1"]) == {}
    assert writes.existing_state(loaded, LoadedLink.ATTENDED, ["org-3->e-1"])["org-3->e-1"] == {
        "hash": "hat",
        "text_hash": None,
        "model": None,
        "source": "b",
    }


def test_keys_of_source_are_the_keys_of_that_source_only(loaded: Graph) -> None:
    assert writes.keys_of_source(loaded, Label.Organization, "a") == {"org-1", "org-2"}
    assert writes.keys_of_source(loaded, Label.Organization, "b") == {"org-3"}
    assert writes.keys_of_source(loaded, Label.Need, "a") == {"n-1"}
    assert writes.keys_of_source(loaded, Label.Event, "b") == set()
    # the reference hubs belong to no file's source
    for hub in HUB_LABELS:
        assert writes.keys_of_source(loaded, hub, "ref") == set()


def test_counts_of_source_count_each_label_files_bring(loaded: Graph) -> None:
    assert writes.counts_of_source(loaded, "a") == {
        "Organization": 2,
        "Person": 1,
        "Competence": 1,
        "Need": 1,
        "Project": 1,
        "Event": 1,
    }
    assert writes.counts_of_source(loaded, "b") == {
        "Organization": 1,
        "Person": 0,
        "Competence": 0,
        "Need": 0,
        "Project": 0,
        "Event": 0,
    }


def test_stale_texts_are_those_another_model_or_none_encoded(loaded: Graph) -> None:
    # c-1 was encoded by m1; the need and the project by no model yet
    assert writes.stale_texts(loaded, Label.Competence, "m1", 10) == []
    assert writes.stale_texts(loaded, Label.Competence, "m2", 10) == [
        {"key": "c-1", "title": "Fräsen", "text": "CNC"}
    ]
    assert [r["key"] for r in writes.stale_texts(loaded, Label.Need, "m1", 10)] == ["n-1"]
    assert [r["key"] for r in writes.stale_texts(loaded, Label.Project, "m1", 10)] == ["pr-1"]


def test_set_embeddings_stores_vector_model_and_text_hash_and_leaves_nothing_stale(
    loaded: Graph,
) -> None:
    for label, key in ((Label.Need, "n-1"), (Label.Project, "pr-1"), (Label.Competence, "c-1")):
        rows: list[Row] = [{"key": key, "embedding": [0.5, 0.25, 1.0], "text_hash": f"t-{key}"}]
        writes.set_embeddings(loaded, label, rows, "m2", 3)
        assert writes.stale_texts(loaded, label, "m2", 10) == []
        stored = loaded.read(
            "MATCH (n {key: $key}) RETURN n.embedding AS embedding, "
            "n.embedding_model AS model, n.embedding_dim AS dim, n.text_hash AS text_hash",
            key=key,
        )
        assert stored == [
            {"embedding": [0.5, 0.25, 1.0], "model": "m2", "dim": 3, "text_hash": f"t-{key}"}
        ]
    assert writes.existing_state(loaded, Label.Need, ["n-1"])["n-1"]["model"] == "m2"


def test_text_queries_are_only_for_the_labels_with_texts(loaded: Graph) -> None:
    with pytest.raises(KeyError):
        writes.stale_texts(loaded, Label.Organization, "m1", 10)
    with pytest.raises(KeyError):
        writes.set_embeddings(loaded, Label.Event, [], "m1", 3)
    assert set(writes._STALE_TEXTS) == set(writes._SET_VECTORS) == set(TEXT_LABELS)


# --- plans: the label written into each query, so the key's index is used -------------------


def _operators(graph: Graph, cypher: LiteralString) -> set[str]:
    """The operators of the plan Neo4j makes for `cypher` (EXPLAIN: nothing runs)."""
    with graph.driver.session(database=graph.database) as session:
        plan = session.run(Query("EXPLAIN " + cypher)).consume().plan
    assert plan is not None
    found: set[str] = set()

    def walk(step: dict[str, Any]) -> None:
        # "NodeUniqueIndexSeek(Locking)@neo4j" (a write's seek locks what it finds)
        found.add(str(step["operatorType"]).split("@")[0].split("(")[0])
        for child in step.get("children", []):
            walk(child)

    walk(plan)
    return found


def test_each_keyed_per_label_query_seeks_the_key_index(loaded: Graph) -> None:
    queries: dict[str, LiteralString] = {
        **{f"state {label}": cypher for label, cypher in writes._STATE.items()},
        **{f"vectors {label}": cypher for label, cypher in writes._SET_VECTORS.items()},
    }
    assert len(queries) == len(Label) + len(LoadedLink) + len(TEXT_LABELS)
    for name, cypher in queries.items():
        operators = _operators(loaded, cypher)
        assert operators & SEEKS, (name, operators)
        assert not operators & SCANS, (name, operators)


def test_per_label_queries_without_a_key_scan_their_label_not_every_node(loaded: Graph) -> None:
    queries: dict[str, LiteralString] = {
        **{f"keys {label}": cypher for label, cypher in writes._KEYS_OF_SOURCE.items()},
        **{f"stale {label}": cypher for label, cypher in writes._STALE_TEXTS.items()},
        "counts": writes._COUNTS_OF_SOURCE,
    }
    for name, cypher in queries.items():
        operators = _operators(loaded, cypher)
        assert "AllNodesScan" not in operators, (name, operators)


def test_the_plan_check_sees_the_scan_of_a_dynamic_label(loaded: Graph) -> None:
    """Why the labels are written into the text: Neo4j 5.26 plans `n:$($label)` as a scan of
    every node, so a query rewritten that way would fail the test above."""
    operators = _operators(
        loaded, "UNWIND $keys AS k MATCH (n:$($label) {key: k}) RETURN n.hash AS hash"
    )
    assert "AllNodesScan" in operators
    assert not operators & SEEKS
