"""Re-encode every text whose vector another model made (after PARTNERGRAPH_MODEL changed).

Texts and their hashes follow `graph.texts` (`evidence_text`, `text_hash`), as in the ingest,
so a later ingest of unchanged rows does not encode them again.
"""

from __future__ import annotations

from collections.abc import Callable

from graph import needs, writes
from graph.connection import Graph
from graph.model import TEXT_LABELS
from graph.texts import evidence_text, text_hash
from graph.vectors import Encoder, ensure_vector_indexes

BATCH = 512


def reembed(
    graph: Graph, encoder: Encoder, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Encode stale texts label by label; returns how many of each were encoded."""
    ensure_vector_indexes(graph, encoder.name, encoder.dimension)
    done: dict[str, int] = {}
    for label in TEXT_LABELS:
        done[label] = 0
        while rows := writes.stale_texts(graph, label, encoder.name, BATCH):
            texts = [evidence_text(row["title"], row["text"]) for row in rows]
            vectors = encoder.encode(texts)
            batch = [
                {
                    "key": row["key"],
                    "embedding": [float(x) for x in vector],
                    "text_hash": text_hash(text),
                }
                for row, text, vector in zip(rows, texts, vectors, strict=True)
            ]
            writes.set_embeddings(graph, label, batch, encoder.name, encoder.dimension)
            done[label] += len(batch)
            if progress:
                progress(f"re-encoding {label}", len(batch))
    # what universities and analysts read of non-public needs is searched by its own vector
    done["SharedNeed"] = 0
    while rows := needs.stale_shared_wordings(graph, encoder.name, BATCH):
        vectors = encoder.encode([evidence_text(row["title"], row["text"]) for row in rows])
        needs.set_shared_embeddings(
            graph,
            [
                {"key": row["key"], "embedding": [float(x) for x in vector]}
                for row, vector in zip(rows, vectors, strict=True)
            ],
            encoder.name,
        )
        done["SharedNeed"] += len(rows)
        if progress:
            progress("re-encoding released wordings", len(rows))
    return done
