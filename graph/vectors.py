"""Vector indexes on the embeddings, and the record of which model made them.

A vector index has a fixed dimension, and vectors of two models must never be compared, so the
graph keeps `(:SchemaMeta {id: 'embeddings'})` with the model name and dimension. Changing the
model (PARTNERGRAPH_MODEL) means re-encoding every text; an index of another dimension is
dropped and created anew.
"""

from __future__ import annotations

from typing import LiteralString

from .connection import Graph, Record

# index name -> its CREATE statement (dimension as a parameter)
VECTOR_INDEXES: dict[str, LiteralString] = {
    "competence_embedding": "CREATE VECTOR INDEX competence_embedding IF NOT EXISTS "
    "FOR (n:Competence) ON n.embedding OPTIONS {indexConfig: "
    "{`vector.dimensions`: $dimension, `vector.similarity_function`: 'cosine'}}",
    "project_embedding": "CREATE VECTOR INDEX project_embedding IF NOT EXISTS "
    "FOR (n:Project) ON n.embedding OPTIONS {indexConfig: "
    "{`vector.dimensions`: $dimension, `vector.similarity_function`: 'cosine'}}",
    "need_embedding": "CREATE VECTOR INDEX need_embedding IF NOT EXISTS "
    "FOR (n:Need) ON n.embedding OPTIONS {indexConfig: "
    "{`vector.dimensions`: $dimension, `vector.similarity_function`: 'cosine'}}",
}
_DROP: dict[str, LiteralString] = {
    "competence_embedding": "DROP INDEX competence_embedding IF EXISTS",
    "project_embedding": "DROP INDEX project_embedding IF EXISTS",
    "need_embedding": "DROP INDEX need_embedding IF EXISTS",
}


def vector_index_dimensions(graph: Graph) -> dict[str, int]:
    rows = graph.read(
        "SHOW VECTOR INDEXES YIELD name, options "
        "RETURN name, options.indexConfig.`vector.dimensions` AS dimension"
    )
    return {row["name"]: int(row["dimension"]) for row in rows}


def ensure_vector_indexes(graph: Graph, model: str, dimension: int) -> None:
    """Indexes of `dimension` on every embedded label; record the model that fills them."""
    existing = vector_index_dimensions(graph)
    for name, create in VECTOR_INDEXES.items():
        if existing.get(name) not in (None, dimension):
            graph.write(_DROP[name])
        graph.write(create, dimension=dimension)
    graph.write(
        "MERGE (m:SchemaMeta {id: 'embeddings'}) "
        "SET m.model = $model, m.dimension = $dimension, m.updated_at = datetime()",
        model=model,
        dimension=dimension,
    )


def embedding_model(graph: Graph) -> tuple[str, int] | None:
    """The model and dimension the graph's vectors were made with, if any."""
    rows = graph.read(
        "MATCH (m:SchemaMeta {id: 'embeddings'}) RETURN m.model AS model, m.dimension AS dim"
    )
    return (rows[0]["model"], rows[0]["dim"]) if rows else None


def competence_vectors(graph: Graph, after_key: str, limit: int) -> list[Record]:
    """Competence keys and vectors in key order after `after_key` (for exact comparisons)."""
    return graph.read(
        "MATCH (c:Competence) WHERE c.embedding IS NOT NULL AND c.key > $after "
        "RETURN c.key AS key, c.embedding AS vector ORDER BY c.key LIMIT $limit",
        after=after_key,
        limit=limit,
    )
