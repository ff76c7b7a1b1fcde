"""For analysts: open needs grouped into labelled topics, and the needs nobody covers well."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from graph import needs as need_queries
from graph import search
from graph.connection import Graph

from .topics import Gap, NeedText, Topic, cluster_needs, coverage_gaps


@dataclass(frozen=True)
class NeedLandscape:
    topics: list[Topic]
    gaps: list[Gap]
    titles: dict[str, str]


def need_landscape(graph: Graph, k: int | None = None, *, shared: bool = False) -> NeedLandscape:
    """Topics over the open needs' vectors; gaps by the best competence similarity per need.

    `shared`: as universities and analysts may read the needs (`graph.needs.shareable`): only
    public and released ones, by their released wording, so neither a topic's terms nor a
    need's place in the gaps come from words those readers may not see.
    """
    rows = (
        need_queries.shared_open_needs_with_vectors(graph)
        if shared
        else search.open_needs_with_vectors(graph)
    )
    if not rows:
        return NeedLandscape(topics=[], gaps=[], titles={})
    needs = [
        # labels from titles: texts repeat company boilerplate (size, town) that would win
        NeedText(key=r["key"], title=r["title"], text="", lang=r["lang"] or "de")
        for r in rows
    ]
    vectors = np.asarray([r["embedding"] for r in rows], dtype=np.float32)
    topics = cluster_needs(needs, vectors, k=k)
    # cosine in -1..1 to 0..1, the scale coverage_gaps expects
    best = [(float(r["best"] or 0.0) + 1.0) / 2.0 for r in rows]
    gaps = coverage_gaps([r["key"] for r in rows], best)
    return NeedLandscape(topics=topics, gaps=gaps, titles={r["key"]: r["title"] for r in rows})
