"""Entity resolution: the same organisation from two sources.

Names are compared after folding case, umlauts and ß, dropping legal forms (GmbH, GmbH & Co.
KG, AG, e.K., e.V., gGmbH, ...) and punctuation; candidates must share a postcode or a city.

Thresholds (documented in ingest/FORMAT.md):
- score >= LINK_THRESHOLD (0.90): linked with (:Organization)-[:SAME_AS {score}]-(:Organization);
  nothing is merged automatically, both records keep their sources;
- REPORT_THRESHOLD (0.75) <= score < 0.90: listed by `partnergraph dedupe --report` for a person
  to confirm.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from graph.texts import fold

LINK_THRESHOLD = 0.90
REPORT_THRESHOLD = 0.75

LEGAL_FORMS = [
    "gmbh & co. kgaa",
    "gmbh & co. kg",
    "gmbh & co kg",
    "gmbh und co. kg",
    "ag & co. kg",
    "ggmbh",
    "gmbh",
    "mbh",
    "kgaa",
    "ag",
    "se",
    "e.k.",
    "e. k.",
    "ek",
    "e.kfm.",
    "e.v.",
    "e. v.",
    "ev",
    "kg",
    "ohg",
    "gbr",
    "ug (haftungsbeschraenkt)",
    "ug",
    "partg mbb",
    "partg",
    "eg",
    "ltd.",
    "ltd",
    "inc.",
    "inc",
    "llc",
    "b.v.",
    "s.a.",
    "srl",
    "(fiktiv)",
]
_LEGAL = re.compile(
    r"(?<![a-z0-9])(" + "|".join(re.escape(form) for form in LEGAL_FORMS) + r")(?![a-z0-9])"
)
_PUNCTUATION = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Match:
    a: str
    b: str
    score: float
    name_a: str
    name_b: str


def normalise_name(name: str) -> str:
    """'Müller & Söhne GmbH & Co. KG' -> 'mueller soehne'."""
    folded = fold(name).replace("&", " & ")
    folded = re.sub(r"\s+", " ", folded)
    previous = None
    while previous != folded:
        previous = folded
        folded = _LEGAL.sub(" ", folded)
    folded = folded.replace("&", " ").replace(" und ", " ")
    return _PUNCTUATION.sub(" ", folded).strip()


def name_similarity(a: str, b: str) -> float:
    """Similarity of two normalised names: the better of sequence and token-set overlap."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    sequence = SequenceMatcher(None, a, b).ratio()
    tokens_a, tokens_b = set(a.split()), set(b.split())
    overlap = len(tokens_a & tokens_b) / max(len(tokens_a | tokens_b), 1)
    return max(sequence, overlap)


def score(a: Mapping[str, Any], b: Mapping[str, Any]) -> float:
    """Name similarity, lowered when the two places differ."""
    return _score(normalise_name(a["name"]), normalise_name(b["name"]), a, b)


def _score(name_a: str, name_b: str, a: Mapping[str, Any], b: Mapping[str, Any]) -> float:
    similarity = name_similarity(name_a, name_b)
    same_postcode = bool(a.get("postcode")) and a.get("postcode") == b.get("postcode")
    same_city = bool(a.get("city")) and fold(a.get("city") or "") == fold(b.get("city") or "")
    if same_postcode:
        return similarity
    if same_city:
        return similarity * 0.97
    return similarity * 0.8


def find_matches(
    records: Iterable[Mapping[str, Any]],
    candidates: Iterable[Mapping[str, Any]],
    threshold: float,
    *,
    across_sources_only: bool = True,
) -> list[Match]:
    """Pairs of different organisations scoring at least `threshold`.

    Blocking keeps this near linear for big loads: only organisations that share a place
    (postcode, or city when one has no postcode) and at least one name word are compared.
    Within one source, keys already say which rows differ; the report for people
    (`across_sources_only=False`) also shows likely duplicates inside one export.
    """
    blocks: dict[tuple[str, str], list[tuple[Mapping[str, Any], str]]] = {}
    for candidate in candidates:
        name = normalise_name(str(candidate["name"]))
        for block in _blocks(candidate, name, indexing=True):
            blocks.setdefault(block, []).append((candidate, name))
    matches: dict[tuple[str, str], Match] = {}
    for record in records:
        name = normalise_name(str(record["name"]))
        seen: set[str] = {str(record["key"])}
        for block in _blocks(record, name, indexing=False):
            for candidate, candidate_name in blocks.get(block, []):
                key = str(candidate["key"])
                if key in seen:
                    continue
                seen.add(key)
                if across_sources_only and candidate.get("source") == record.get("source"):
                    continue
                value = _score(name, candidate_name, record, candidate)
                if value >= threshold:
                    a, b = sorted((str(record["key"]), key))
                    names = (record["name"], candidate["name"])
                    if a != record["key"]:
                        names = names[::-1]
                    matches[(a, b)] = Match(a, b, round(value, 3), *names)
    return sorted(matches.values(), key=lambda m: (-m.score, m.a, m.b))


def candidates_for_review(organizations: Sequence[Mapping[str, Any]]) -> list[Match]:
    """Likely duplicates among all organisations, for `partnergraph dedupe --report`."""
    return find_matches(organizations, organizations, REPORT_THRESHOLD, across_sources_only=False)


SAME_AS = "SAME_AS"
SAME_SOURCE = "same source"
TO_CONFIRM = "to confirm"


def review_status(
    match: Match, sources: Mapping[str, str | None], linked: Collection[tuple[str, str]]
) -> str:
    """What is true of a candidate pair, whatever its score.

    SAME_AS: the ingest linked the two already. "same source": both come from one source,
    which the ingest never links (its keys say they differ; a person decides whether the
    export holds a duplicate). "to confirm": two sources, not linked; also at or above
    LINK_THRESHOLD, since the ingest only compares organisations with the same postcode or
    the exactly same city, where the review folds spellings (Muelheim / Mülheim).
    `sources`: key -> source of the organisations; `linked`: the SAME_AS pairs, either way.
    """
    if (match.a, match.b) in linked or (match.b, match.a) in linked:
        return SAME_AS
    if sources.get(match.a) == sources.get(match.b):
        return SAME_SOURCE
    return TO_CONFIRM


def _blocks(record: Mapping[str, Any], name: str, *, indexing: bool) -> list[tuple[str, str]]:
    """(place, word) pairs: a postcode, else the city; every name word of three letters or more.

    Candidates are indexed under their postcode, and under their city only when they have no
    postcode; records look up both, so a record with a postcode still meets candidates known
    only by their city.
    """
    words = [word for word in name.split() if len(word) >= 3] or name.split()[:1]
    places = []
    postcode = record.get("postcode")
    city = fold(str(record["city"])) if record.get("city") else None
    if postcode:
        places.append("pc:" + str(postcode))
    if city and (not indexing or not postcode):
        places.append("city:" + city)
    return [(place, word) for place in places for word in words]
