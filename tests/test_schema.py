"""Schema: constraints and indexes created idempotently, the version recorded, keys unique."""

from __future__ import annotations

import pytest
from neo4j.exceptions import ConstraintError

from graph import schema, stats
from graph.connection import Graph
from graph.model import NODE_KEYS


def test_every_node_label_has_a_uniqueness_constraint_on_its_key(graph: Graph) -> None:
    rows = graph.read(
        "SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties "
        "WHERE type = 'UNIQUENESS' RETURN labelsOrTypes[0] AS label, properties[0] AS key"
    )
    constrained = {(row["label"], row["key"]) for row in rows}
    for label, key in NODE_KEYS.items():
        assert (label, key) in constrained, label


def test_init_twice_changes_nothing_and_records_the_version(graph: Graph) -> None:
    constraints = schema.constraint_names(graph)
    indexes = schema.index_names(graph)
    assert schema.init_schema(graph, force=True) == schema.SCHEMA_VERSION
    assert schema.constraint_names(graph) == constraints
    assert schema.index_names(graph) == indexes
    assert schema.schema_version(graph) == schema.SCHEMA_VERSION
    assert stats.node_counts(graph).get("SchemaMeta") == 1


def test_duplicate_organisation_keys_are_refused(graph: Graph) -> None:
    graph.write("CREATE (:Organization {key: $key})", key="org-1")
    with pytest.raises(ConstraintError):
        graph.write("CREATE (:Organization {key: $key})", key="org-1")


def test_stats_count_nodes_per_label_and_relationships_per_type(graph: Graph) -> None:
    graph.write(
        "CREATE (o:Organization {key: 'o1'})-[:LOCATED_IN]->(:Region {key: 'r1'}), "
        "(o)-[:PRACTISES]->(:Trade {code: 'A01'}), (o)-[:PRACTISES]->(:Trade {code: 'A02'})"
    )
    nodes = stats.node_counts(graph)
    assert nodes["Organization"] == 1 and nodes["Trade"] == 2 and nodes["Region"] == 1
    assert stats.relationship_counts(graph) == {"LOCATED_IN": 1, "PRACTISES": 2}
    assert not stats.is_empty(graph)
