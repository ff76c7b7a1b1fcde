"""A plain BM25 reference ranking, computed in process with `bm25s` over the same evidence texts
the matcher searches: the yardstick `partnergraph eval` prints next to the matcher's modes.

Each text is analysed in its own language (`lang` of the competence or project: English or
German stop words and Snowball stemmer, from `PyStemmer`); a query is analysed both ways, so it
meets texts of either language. An organisation is scored, like the matcher does it, by its
best three texts (weights 1, 1/2, 1/4). Meant for evaluation sets of a few thousand texts: the
whole corpus is held in memory.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import bm25s
import numpy as np
import Stemmer
from bm25s.stopwords import STOPWORDS_EN, STOPWORDS_GERMAN

from graph import search
from graph.connection import Graph
from graph.texts import evidence_text

TOP_EVIDENCE = 3
DECAY = 0.5
_WORD = re.compile(r"(?u)\b\w\w+\b")
_LANGS = ("en", "de")


@dataclass(frozen=True)
class _Analyzer:
    stopwords: frozenset[str]
    stemmer: Any

    def tokens(self, text: str) -> list[str]:
        words = [w for w in _WORD.findall(text.lower()) if w not in self.stopwords]
        stems: list[str] = self.stemmer.stemWords(words)
        return stems


def _analyzers() -> dict[str, _Analyzer]:
    return {
        "en": _Analyzer(frozenset(STOPWORDS_EN), Stemmer.Stemmer("english")),
        "de": _Analyzer(frozenset(STOPWORDS_GERMAN), Stemmer.Stemmer("german")),
    }


class BM25Reference:
    """BM25 (k1 1.5, b 0.75, bm25s' defaults) over `rows` of key, title, text, lang, orgs."""

    def __init__(self, rows: Sequence[Mapping[str, Any]]) -> None:
        self._analyzers = _analyzers()
        self._orgs = [tuple(dict.fromkeys(row["orgs"])) for row in rows]
        corpus = [
            self._analyzer(row.get("lang")).tokens(evidence_text(row["title"], row["text"]))
            for row in rows
        ]
        self._retriever = bm25s.BM25()
        self._retriever.index(corpus or [[]], show_progress=False)
        self._size = len(rows)

    def _analyzer(self, lang: str | None) -> _Analyzer:
        return self._analyzers["de" if lang == "de" else "en"]

    def query_tokens(self, text: str) -> list[str]:
        tokens = [t for lang in _LANGS for t in self._analyzers[lang].tokens(text)]
        return list(dict.fromkeys(tokens))

    def rank(self, text: str) -> list[str]:
        """Organisation keys, best first (only those with a text scoring above zero)."""
        if not self._size:
            return []
        known = [t for t in self.query_tokens(text) if t in self._retriever.vocab_dict]
        if not known:
            return []
        scores = np.asarray(self._retriever.get_scores(known))
        by_org: dict[str, list[float]] = {}
        for index in np.flatnonzero(scores > 0):
            for org in self._orgs[index]:
                by_org.setdefault(org, []).append(float(scores[index]))
        totals = {
            org: sum(
                s * DECAY**i for i, s in enumerate(sorted(values, reverse=True)[:TOP_EVIDENCE])
            )
            for org, values in by_org.items()
        }
        return sorted(totals, key=lambda org: (-totals[org], org))


def reference_for(graph: Graph) -> BM25Reference:
    """The BM25 reference over every competence and project in `graph`."""
    return BM25Reference(search.all_evidence_texts(graph))


def _best_three(scores: list[float]) -> float:
    best = sorted(scores, reverse=True)[:TOP_EVIDENCE]
    return sum(score * DECAY**position for position, score in enumerate(best))
