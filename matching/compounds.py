"""German compounds in the full-text search: a query word the index does not hold, matched to
words it does hold.

German glues words together: a need says "röntgen" and "Porosität", the competence says
"Röntgenprüfung" and "Porositätsprüfung"; a need says "Aluminiumgussteile", the profile
"Aluminiumguss". Lucene's German analyzer stems words but never splits them, so such a pair
shares no term and the full-text search misses the one text that says exactly what is asked.

This module owns the rule, on plain data: the index's vocabulary (the lower-case words of the
indexed texts) and the query's words in, extra indexed words per query word out. Only a word the
vocabulary lacks is expanded, so a query whose words the index already holds (most English
text, most plain German) is sent unchanged:

- **prefix**: indexed words that begin with the query word's stem ("röntgen" ->
  "röntgenprüfung"; "porosität" -> "porositätsprüfung"), the shortest first;
- **tail / head**: when the query word is itself the compound, the longest indexed word it ends
  with ("aluminiumgussteile" -> "gussteile"), else the longest it begins with.

The caller adds the found words to the Lucene query at a lower boost (`graph.search`): they are
guesses, and a text holding the query's own words must still rank first.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping

# Shorter words and parts are too often a piece of an unrelated word ("lack" in "Lackierung",
# but also "acker" in "Ackermann"); five letters keep "röntgen", "laser", "guss" is left out.
MIN_WORD = 5
MIN_PART = 5
MAX_PER_WORD = 4  # indexed words added per query word: a common stem would flood the query
# German inflection endings stripped before a prefix lookup ("prüfen" -> "prüf"), longest first
_ENDINGS = ("ern", "en", "er", "es", "em", "e", "n", "s")
_WORD = re.compile(r"[^\W\d_]+")


def words(text: str) -> list[str]:
    """The lower-case words of `text` (letters only: a hyphenated compound gives its parts)."""
    return [word.lower() for word in _WORD.findall(text)]


def vocabulary(texts: Iterable[str | None]) -> frozenset[str]:
    """Every word of the texts that is long enough to be a compound's part."""
    found: set[str] = set()
    for text in texts:
        if text:
            found.update(word for word in words(text) if len(word) >= MIN_PART)
    return frozenset(found)


def stem(word: str) -> str:
    """`word` without one German inflection ending, when what is left is long enough."""
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_WORD:
            return word[: -len(ending)]
    return word


class Vocabulary:
    """The index's words, sorted once so prefix lookups are a binary search, not a scan."""

    def __init__(self, indexed: Iterable[str]) -> None:
        self.words = frozenset(indexed)
        self._sorted = sorted(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.words

    def __len__(self) -> int:
        return len(self.words)

    def with_prefix(self, prefix: str) -> list[str]:
        """Indexed words beginning with `prefix` (itself excluded), shortest first."""
        start = bisect_left(self._sorted, prefix)
        found = []
        for word in self._sorted[start:]:
            if not word.startswith(prefix):
                break
            if word != prefix:
                found.append(word)
        return sorted(found, key=lambda w: (len(w), w))

    def head(self, word: str) -> str | None:
        """The longest indexed word (at least MIN_PART letters) that `word` begins with."""
        for end in range(len(word) - 1, MIN_PART - 1, -1):
            if word[:end] in self.words:
                return word[:end]
        return None

    def tail(self, word: str) -> str | None:
        """The longest indexed word (at least MIN_PART letters) that `word` ends with."""
        for start in range(1, len(word) - MIN_PART + 1):
            if word[start:] in self.words:
                return word[start:]
        return None


def expansions(query_words: Iterable[str], indexed: Vocabulary) -> dict[str, list[str]]:
    """Query word -> the indexed words it stands for, for every query word the index lacks."""
    found: dict[str, list[str]] = {}
    for word in dict.fromkeys(w.lower() for w in query_words):
        if len(word) < MIN_WORD or word in indexed:
            continue
        extra = indexed.with_prefix(stem(word))[:MAX_PER_WORD]
        # A German compound is a kind of its last part ("Aluminiumgussteile" are "Gussteile");
        # the first part only narrows it, and alone it finds other things (every text on
        # anodising "Aluminium"), so it is used only when no last part is indexed.
        part = indexed.tail(word) or indexed.head(word)
        if part is not None and part not in extra:
            extra.append(part)
        if extra:
            found[word] = extra
    return found


def extra_terms(expanded: Mapping[str, list[str]], exclude: Iterable[str], limit: int) -> list[str]:
    """The distinct indexed words of `expanded` not already among `exclude`, at most `limit`."""
    seen = set(exclude)
    terms: list[str] = []
    for extra in expanded.values():
        for term in extra:
            if term not in seen and len(terms) < limit:
                seen.add(term)
                terms.append(term)
    return terms
