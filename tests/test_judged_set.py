"""The judged evaluation set (data/eval/): queries, splits and graded judgements.

Pure, no Neo4j. Why these checks: the matcher is tuned on the dev split and reported on the test
split, so the set must stay trustworthy when the generator, the catalogue or the queries change:
the committed qrels have to be exactly what the documented rule gives on a freshly generated
sample, every query needs someone clearly able to solve it, and the case types (cross-lingual,
craft, nearby, paraphrase, research) must be present on both sides of the split.
"""

from __future__ import annotations

import csv
import importlib.util
import math
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from graph.texts import fold
from ingest.reference import load_reference
from sample.generator import SampleSpec, write_scaled
from sample.topics import TOPIC_BY_ID

EVAL_DIR = Path(__file__).resolve().parents[1] / "data" / "eval"


def _load_builder() -> ModuleType:
    """data/eval is not a package (it is data with its script), so load the file by path."""
    path = EVAL_DIR / "build_qrels.py"
    spec = importlib.util.spec_from_file_location("judged_set_build_qrels", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


build_qrels = _load_builder()
Query = Any  # build_qrels.Query, loaded from its file: mypy cannot see it


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The network sample (seed 7) the committed judgements are derived from."""
    out = tmp_path_factory.mktemp("sample")
    write_scaled(SampleSpec.network(), out, seed=7)
    return out


@pytest.fixture(scope="module")
def queries() -> list[Query]:
    loaded: list[Query] = build_qrels.load_queries(EVAL_DIR / "queries.jsonl")
    return loaded


@pytest.fixture(scope="module")
def qrels() -> dict[str, dict[str, int]]:
    judged: dict[str, dict[str, int]] = build_qrels.read_qrels(EVAL_DIR / "qrels.tsv")
    return judged


@pytest.fixture(scope="module")
def organizations(sample: Path) -> dict[str, dict[str, str]]:
    with (sample / "organizations.csv").open(encoding="utf-8", newline="") as handle:
        return {row["key"]: row for row in csv.DictReader(handle, delimiter=";")}


def test_enough_queries_with_unique_ids(queries: list[Query]) -> None:
    assert len(queries) >= 150
    ids = [q.id for q in queries]
    assert len(set(ids)) == len(ids)
    assert all(re.fullmatch(r"q\d{3}", i) for i in ids)


def test_qrels_file_is_well_formed(queries: list[Query]) -> None:
    ids = {q.id for q in queries}
    seen: set[tuple[str, str]] = set()
    for line in (EVAL_DIR / "qrels.tsv").read_text(encoding="utf-8").splitlines():
        query_id, key, grade = line.split("\t")
        assert query_id in ids
        assert grade in ("1", "2")
        assert (query_id, key) not in seen
        seen.add((query_id, key))


def test_every_query_has_grade_two_judgements(
    queries: list[Query], qrels: dict[str, dict[str, int]]
) -> None:
    """At least one (and, as written, 3 to about 60) organisations clearly able to solve it:
    none makes recall undefined, hundreds make the query meaningless."""
    counts = {q.id: Counter(qrels.get(q.id, {}).values())[2] for q in queries}
    assert not [i for i, n in counts.items() if n < 1]
    assert not [i for i, n in counts.items() if not 3 <= n <= 70]


def test_judged_organisations_exist_in_the_sample(
    qrels: dict[str, dict[str, int]], organizations: dict[str, dict[str, str]]
) -> None:
    judged = {key for grades in qrels.values() for key in grades}
    assert judged <= set(organizations)


def test_qrels_are_reproduced_exactly_from_a_fresh_sample(
    queries: list[Query], sample: Path
) -> None:
    reference = load_reference()
    judged = build_qrels.build(queries, build_qrels.load_truth(sample, reference), reference)
    expected = build_qrels.qrels_text(queries, judged)
    assert (EVAL_DIR / "qrels.tsv").read_text(encoding="utf-8") == expected


def test_splits_follow_the_rule_and_hold_every_case_type(queries: list[Query]) -> None:
    expected = build_qrels.expected_splits(queries)
    assert {q.id: q.split for q in queries} == expected
    splits = Counter(q.split for q in queries)
    assert 0.35 <= splits["dev"] / len(queries) <= 0.47
    for tag in build_qrels.TAGS:
        assert {q.split for q in queries if tag in q.tags} == {"dev", "test"}, tag
    for lang in build_qrels.LANGS:
        assert {q.split for q in queries if q.lang == lang} == {"dev", "test"}, lang


def test_language_mix_is_that_of_the_users(queries: list[Query]) -> None:
    """Mostly German, about a fifth English, about a tenth German with English terms."""
    share = {lang: n / len(queries) for lang, n in Counter(q.lang for q in queries).items()}
    assert share["de"] >= 0.6
    assert 0.15 <= share["en"] <= 0.3
    assert 0.07 <= share["mixed"] <= 0.15


def test_nearby_judgements_lie_within_the_radius(
    queries: list[Query],
    qrels: dict[str, dict[str, int]],
    organizations: dict[str, dict[str, str]],
) -> None:
    """Checked against the CSV with an independent distance, not through the builder's own."""
    reference = load_reference()

    def place(row: dict[str, str]) -> tuple[float, float]:
        if row["lat"] and row["lon"]:
            return float(row["lat"]), float(row["lon"])
        postcode = reference.place(row["postcode"], row["city"])
        assert postcode is not None
        return postcode.lat, postcode.lon

    def km(a: tuple[float, float], b: tuple[float, float]) -> float:
        (lat1, lon1), (lat2, lon2) = (tuple(map(math.radians, p)) for p in (a, b))
        x = (lon2 - lon1) * math.cos((lat1 + lat2) / 2)
        return 6371.0 * math.hypot(x, lat2 - lat1)  # equirectangular: fine at 20 km

    nearby = [q for q in queries if "nearby" in q.tags]
    assert len(nearby) >= 20
    for query in nearby:
        centre = reference.place(query.near)
        assert centre is not None, f"{query.id}: {query.near} is not a postcode of the region"
        for key in qrels[query.id]:
            distance = km((centre.lat, centre.lon), place(organizations[key]))
            assert distance <= query.radius_km + 0.05, (query.id, key, distance)


def test_kind_filters_and_research_queries_are_respected(
    queries: list[Query],
    qrels: dict[str, dict[str, int]],
    organizations: dict[str, dict[str, str]],
) -> None:
    research_kinds = {"university", "institute", "research_group"}
    for query in queries:
        for key, grade in qrels[query.id].items():
            kind = organizations[key]["kind"]
            if query.kinds is not None:
                assert kind in query.kinds, (query.id, key)
            if "research" in query.tags and grade == 2:
                assert kind in research_kinds, (query.id, key)


def test_craft_queries_need_a_trade(queries: list[Query]) -> None:
    """`craft` means a Handwerk trade can do it: one of its topics names trades."""
    craft = [q for q in queries if "craft" in q.tags]
    assert len(craft) >= 20
    assert all(any(TOPIC_BY_ID[t].trades for t in q.topics) for q in craft)


_STOPWORDS = frozenset(
    "fuer eine einen einer unsere unser unseren nicht oder auch aber sind wird werden haben "
    "mehr noch ganz viel viele immer dann dass wenn nach beim eigentlich muss doch besser "
    "gehen with that this have from what they need more after about every".split()
)


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", fold(text)) if len(w) >= 4} - _STOPWORDS


def test_paraphrases_share_few_words_with_the_catalogue(queries: list[Query]) -> None:
    """A `paraphrase` query describes the problem in its own words: at most two of its content
    words (compared on their first five letters) occur in the labels and phrases of its topics,
    so lexical matching alone cannot solve it."""
    paraphrases = [q for q in queries if "paraphrase" in q.tags]
    assert len(paraphrases) >= 20
    for query in paraphrases:
        catalogue: set[str] = set()
        for topic_id in query.topics:
            topic = TOPIC_BY_ID[topic_id]
            for phrase in (topic.label_de, topic.label_en, *topic.phrases_de, *topic.phrases_en):
                catalogue |= _content_words(phrase)
        shared = {
            word
            for word in _content_words(query.text)
            if any(word == c or (len(word) >= 5 and c.startswith(word[:5])) for c in catalogue)
        }
        assert len(shared) <= 2, (query.id, sorted(shared))


def test_cross_lingual_queries_differ_from_the_language_of_their_answers(
    queries: list[Query], qrels: dict[str, dict[str, int]], sample: Path
) -> None:
    """`cross_lingual` marks exactly the German or English queries written in the other language
    than most of the competence texts that make their grade-2 organisations relevant (English
    asking German, or the reverse); mixed queries are never tagged."""
    langs: dict[tuple[str, str], list[str]] = {}
    with (sample / "competences.csv").open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            langs.setdefault((row["owner_key"], row["topic"]), []).append(row["lang"])
    assert sum("cross_lingual" in q.tags for q in queries) >= 20
    for query in queries:
        if query.lang == "mixed":
            assert "cross_lingual" not in query.tags, query.id
            continue
        texts = Counter(
            lang
            for key, grade in qrels[query.id].items()
            if grade == 2
            for topic in query.topics
            for lang in langs.get((key, topic), [])
        )
        crossing = texts[query.lang] < texts["en" if query.lang == "de" else "de"]
        assert crossing == ("cross_lingual" in query.tags), (query.id, dict(texts))
