"""German compounds in the full-text search (`matching.compounds`, `graph.search.lucene_query`):
plain data, no Neo4j."""

from __future__ import annotations

from graph.search import lucene_query
from matching.compounds import (
    MAX_PER_WORD,
    Vocabulary,
    expansions,
    extra_terms,
    stem,
    vocabulary,
    words,
)

TEXTS = [
    "Röntgenprüfung und Computertomografie",
    "Porositätsprüfung an Aluminiumguss, Gussteile aus Druckguss",
    "Ultraschallprüfung von Schweißnähten",
    "Non-destructive testing: X-ray and CT inspection of castings",
]


def test_words_are_lower_case_letters_and_hyphens_split_compounds() -> None:
    assert words("Aluminium-Druckguss, 3D-Druck!") == ["aluminium", "druckguss", "d", "druck"]


def test_vocabulary_keeps_words_long_enough_to_be_a_part() -> None:
    found = vocabulary([*TEXTS, None, ""])
    assert {"röntgenprüfung", "aluminiumguss", "castings"} <= found
    assert "und" not in found and "ct" not in found


def test_a_query_word_finds_the_compounds_it_begins() -> None:
    indexed = Vocabulary(vocabulary(TEXTS))
    found = expansions(["röntgen", "Porosität"], indexed)
    assert found == {"röntgen": ["röntgenprüfung"], "porosität": ["porositätsprüfung"]}


def test_a_compound_query_word_finds_its_indexed_last_part() -> None:
    indexed = Vocabulary(vocabulary(TEXTS))
    assert expansions(["aluminiumgussteile"], indexed) == {"aluminiumgussteile": ["gussteile"]}


def test_words_the_index_holds_and_short_words_are_left_alone() -> None:
    indexed = Vocabulary(vocabulary(TEXTS))
    # English and plain German that the index holds: nothing is added
    assert expansions(["castings", "inspection", "Ultraschallprüfung"], indexed) == {}
    assert expansions(["guss", "ray"], indexed) == {}
    # a word found nowhere, not even as a part, adds nothing either
    assert expansions(["Dachdecker"], indexed) == {}


def test_inflection_is_stripped_before_the_prefix_lookup() -> None:
    assert stem("prüfen") == "prüfe"
    assert stem("schweißen") == "schweiß"
    assert stem("laser") == "laser"  # too short to lose "er"
    indexed = Vocabulary(["schweißnähten", "schweißaufsicht", "schweiß"])
    # the stem's compounds, shortest first, then the indexed word the query word begins with
    assert expansions(["schweißen"], indexed) == {
        "schweißen": ["schweißnähten", "schweißaufsicht", "schweiß"]
    }


def test_a_common_stem_adds_a_bounded_number_of_words_shortest_first() -> None:
    indexed = Vocabulary([f"prüfstand{'x' * n}" for n in range(10)])
    found = expansions(["prüfstandes"], indexed)["prüfstandes"]
    assert len(found) <= MAX_PER_WORD + 2
    assert found[:MAX_PER_WORD] == [f"prüfstand{'x' * n}" for n in range(1, MAX_PER_WORD + 1)]


def test_extra_terms_are_distinct_new_and_bounded() -> None:
    expanded = {"a": ["x", "y"], "b": ["y", "z"], "c": ["q"]}
    assert extra_terms(expanded, exclude=["z"], limit=10) == ["x", "y", "q"]
    assert extra_terms(expanded, exclude=[], limit=2) == ["x", "y"]


def test_extra_terms_join_the_lucene_query_boosted_within_the_term_limit() -> None:
    assert lucene_query("röntgen prüfen", extra=["röntgenprüfung"]) == (
        "röntgen OR prüfen OR röntgenprüfung^0.5"
    )
    # never past max_terms (Lucene refuses more than 1024 clauses), own words first
    assert lucene_query("eins zwei drei", max_terms=3, extra=["vier"]) == "eins OR zwei OR drei"
    # an extra word that is also a query word is not sent twice; operators stay escaped
    assert lucene_query("guss", extra=["guss", "a:b"], boost=0.25) == "guss OR a\\:b^0.25"
