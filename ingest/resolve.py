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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from .records import fold

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
    similarity = name_similarity(normalise_name(a["name"]), normalise_name(b["name"]))
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

    Within one source, keys already say which rows differ; the report for people
    (`across_sources_only=False`) also shows likely duplicates inside one export.
    """
    by_place: dict[str, list[Mapping[str, Any]]] = {}
    for candidate in candidates:
        for place in _places(candidate):
            by_place.setdefault(place, []).append(candidate)
    matches: dict[tuple[str, str], Match] = {}
    for record in records:
        seen: set[str] = set()
        for place in _places(record):
            for candidate in by_place.get(place, []):
                if candidate["key"] == record["key"] or candidate["key"] in seen:
                    continue
                seen.add(candidate["key"])
                if across_sources_only and candidate.get("source") == record.get("source"):
                    continue
                value = score(record, candidate)
                if value >= threshold:
                    a, b = sorted((record["key"], candidate["key"]))
                    names = (record["name"], candidate["name"])
                    if a != record["key"]:
                        names = names[::-1]
                    matches[(a, b)] = Match(a, b, round(value, 3), *names)
    return sorted(matches.values(), key=lambda m: (-m.score, m.a, m.b))


def candidates_for_review(organizations: list[Mapping[str, Any]]) -> list[Match]:
    """Likely duplicates among all organisations, for `partnergraph dedupe --report`."""
    return find_matches(organizations, organizations, REPORT_THRESHOLD, across_sources_only=False)


def _places(record: Mapping[str, Any]) -> list[str]:
    places = []
    if record.get("postcode"):
        places.append("pc:" + str(record["postcode"]))
    if record.get("city"):
        places.append("city:" + fold(str(record["city"])))
    return places
