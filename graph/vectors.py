"""Vector indexes on the embeddings, and the record of which model made them.

A vector index has a fixed dimension, and vectors of two models must never be compared, so the
graph keeps `(:SchemaMeta {id: 'embeddings'})` with the model name and dimension. Changing the
model (PARTNERGRAPH_MODEL) means re-encoding every text; an index of another dimension is
dropped and created anew.

`Encoder` is the one interface of what makes the vectors (`matching.encoder` implements it);
it is defined here, below the packages that encode (ingest, matching, the service's needs).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, LiteralString, Protocol

from .connection import Graph, Row

if TYPE_CHECKING:
    import numpy as np

Kind = Literal["query", "passage"]
"""What a text is to the model: a search (`query`) or what is searched (`passage`)."""


class Encoder(Protocol):
    """What the ingest and matching need from an embedding model."""

    name: str
    """Canonical model identifier, recorded in the graph next to the vectors it produced."""
    dimension: int

    def encode(self, texts: Sequence[str], *, kind: Kind = "passage") -> np.ndarray:
        """Vectors for `texts`: float32, shape (len(texts), dimension), rows of unit length."""
        ...


# The HNSW graph's shape. Neo4j's defaults (16 links, 100 candidates while building, int8
# quantisation) found 96 % of the exact top 10 when asked for 100 on 100k competence vectors of
# the benchmark; 32 links, 256 candidates and full-precision vectors found 98 % (96 % when asked
# for 50) at the same query time, for twice the build time (bench/match.py).
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 256
HNSW_QUANTIZATION = False

_OPTIONS: LiteralString = (
    "OPTIONS {indexConfig: {`vector.dimensions`: $dimension, "
    "`vector.similarity_function`: 'cosine', `vector.hnsw.m`: $m, "
    "`vector.hnsw.ef_construction`: $ef_construction, "
    "`vector.quantization.enabled`: $quantization}}"
)
# index name -> its CREATE statement (dimension and HNSW shape as parameters)
VECTOR_INDEXES: dict[str, LiteralString] = {
    "competence_embedding": "CREATE VECTOR INDEX competence_embedding IF NOT EXISTS "
    "FOR (n:Competence) ON n.embedding " + _OPTIONS,
    "project_embedding": "CREATE VECTOR INDEX project_embedding IF NOT EXISTS "
    "FOR (n:Project) ON n.embedding " + _OPTIONS,
    "need_embedding": "CREATE VECTOR INDEX need_embedding IF NOT EXISTS "
    "FOR (n:Need) ON n.embedding " + _OPTIONS,
}
_DROP: dict[str, LiteralString] = {
    "competence_embedding": "DROP INDEX competence_embedding IF EXISTS",
    "project_embedding": "DROP INDEX project_embedding IF EXISTS",
    "need_embedding": "DROP INDEX need_embedding IF EXISTS",
}


def vector_index_shapes(graph: Graph) -> dict[str, tuple[int, int, int, bool]]:
    """index name -> (dimension, HNSW links, build candidates, quantised) as Neo4j reports."""
    rows = graph.read(
        "SHOW VECTOR INDEXES YIELD name, options "
        "RETURN name, options.indexConfig.`vector.dimensions` AS dimension, "
        "options.indexConfig.`vector.hnsw.m` AS m, "
        "options.indexConfig.`vector.hnsw.ef_construction` AS ef_construction, "
        "options.indexConfig.`vector.quantization.enabled` AS quantization"
    )
    return {
        row["name"]: (
            int(row["dimension"]),
            int(row["m"] or 16),
            int(row["ef_construction"] or 100),
            bool(row["quantization"]),
        )
        for row in rows
    }


def vector_index_dimensions(graph: Graph) -> dict[str, int]:
    return {name: shape[0] for name, shape in vector_index_shapes(graph).items()}


def ensure_vector_indexes(graph: Graph, model: str, dimension: int) -> None:
    """Indexes of `dimension` on every embedded label; record the model that fills them.

    An index of another dimension or HNSW shape is dropped and created anew: Neo4j fills it
    again from the stored vectors in the background."""
    wanted = (dimension, HNSW_M, HNSW_EF_CONSTRUCTION, HNSW_QUANTIZATION)
    existing = vector_index_shapes(graph)
    for name, create in VECTOR_INDEXES.items():
        if existing.get(name) not in (None, wanted):
            graph.write(_DROP[name])
        graph.write(
            create,
            dimension=dimension,
            m=HNSW_M,
            ef_construction=HNSW_EF_CONSTRUCTION,
            quantization=HNSW_QUANTIZATION,
        )
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


def competence_vectors(graph: Graph, after_key: str, limit: int) -> list[Row]:
    """Competence keys and vectors in key order after `after_key` (for exact comparisons)."""
    return graph.read(
        "MATCH (c:Competence) WHERE c.embedding IS NOT NULL AND c.key > $after "
        "RETURN c.key AS key, c.embedding AS vector ORDER BY c.key LIMIT $limit",
        after=after_key,
        limit=limit,
    )
