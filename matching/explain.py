"""Explanations: which words of the need appear in a piece of evidence, and where.

Matching is by word stem (the first five letters of words of four letters or more, after
folding case and umlauts), so "Schweißnähte" marks "Schweißnaht" and "schweißen". Marks are
character ranges in the snippet, so every front end escapes the text itself.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_WORD = re.compile(r"[A-Za-zÄÖÜäöüßÀ-ÿ0-9][A-Za-zÄÖÜäöüßÀ-ÿ0-9\-]*")
STEM = 5
STOP = frozenset(
    "aber alle auch bitte dass diese einen einer eines haben hier oder sind sowie unsere unser "
    "wird wurde wäre welche werden wollen können könnte suchen sucht partner firma unternehmen "
    "with that this have from need needs looking some also into about their which would could "
    "company".split()
)


@dataclass(frozen=True)
class Highlight:
    snippet: str
    marks: list[tuple[int, int]]
    terms: list[str]


def _fold(word: str) -> str:
    word = word.lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        word = word.replace(umlaut, plain)
    return word


@functools.lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    # a match highlights dozens of long texts, mostly of the same words
    return _fold(word)[:STEM]


def query_stems(query: str) -> set[str]:
    return {
        _stem(word) for word in _WORD.findall(query) if len(word) >= 4 and _fold(word) not in STOP
    }


def highlight(text: str, stems: set[str], width: int = 240) -> Highlight:
    """A snippet of `text` around its first matching word, with every match marked."""
    matches = [
        (m.start(), m.end(), m.group())
        for m in _WORD.finditer(text)
        if len(m.group()) >= 4 and _stem(m.group()) in stems
    ]
    start = 0
    if matches and matches[0][0] > width // 3:
        start = text.rfind(" ", 0, matches[0][0] - width // 4) + 1
    end = min(len(text), start + width)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    snippet = ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
    offset = 1 if start else 0
    marks = [
        (s - start + offset, e - start + offset) for s, e, _ in matches if s >= start and e <= end
    ]
    terms = sorted({word for s, e, word in matches if s >= start and e <= end}, key=str.lower)
    return Highlight(snippet=snippet, marks=marks, terms=terms)
