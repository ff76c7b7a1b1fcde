"""Topics and coverage gaps of the needs: plain functions on plain data (no graph, no I/O).

Analysts want to see what the region's companies are asking for, grouped into a handful of
labelled topics, and which needs nobody in the region answers well. Both are pure computations
on data the caller already has (need texts, their embeddings, the matcher's best scores), so
they live here as functions that are easy to test and to run on a snapshot.

- `cluster_needs`: spherical k-means (k-means on unit vectors, i.e. by cosine) with k-means++
  seeding and a fixed seed, k chosen by the silhouette when not given. Implemented in numpy
  rather than scikit-learn: scikit-learn only reaches this project as an unpinned dependency of
  sentence-transformers (topics would move whenever it changes its defaults), and for a few
  thousand rows this is faster: one similarity matrix serves every candidate k.
- Labels come from c-TF-IDF over the titles and texts of each cluster: the words that are
  frequent in this cluster and rare in the others. German inflection is folded for counting
  (Schweißnähte/Schweißnaht, Lager/Lagern) but the label shows a form people actually wrote.
- `coverage_gaps`: needs whose best match score is low, either below a given threshold or
  clearly below the bulk of the scores (a robust cut, see `gap_threshold`).
- `topic_of`: nearest topic for a new need, so topics need not be recomputed for every need.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field

import numpy as np

MAX_K = 30
"""Upper bound of the automatic k: more topics than this is no longer an overview."""

N_INIT = 3
"""k-means restarts per k: cheap insurance against a poor seeding, the best objective wins."""

MAX_ITER = 100
"""Lloyd iterations per restart, a safety cap: measured runs converge in under 10."""

SEARCH_SAMPLE = 1_000
"""Rows the choice of k looks at: the silhouette's cost grows with the square of the rows."""

TOP_TERMS = 8
MIN_TOKEN_LENGTH = 3


@dataclass(frozen=True)
class NeedText:
    """What clustering needs to know about one need: its key and the words to label with."""

    key: str
    title: str
    text: str
    lang: str = "de"
    """Carried for callers (language mix of a topic); clustering needs no language: the vectors
    are cross-lingual and the stop words cover German and English together."""


@dataclass(frozen=True)
class Topic:
    """One group of needs.

    `terms` are (word, c-TF-IDF weight) pairs, the strongest first; `label` joins the first two
    or three of them. `need_keys` start with the need closest to the centroid, which makes the
    first few a good sample to show. The centroid is a read-only unit vector and is left out of
    equality, so topics compare by what they contain.
    """

    id: str
    label: str
    terms: tuple[tuple[str, float], ...]
    need_keys: tuple[str, ...]
    size: int
    centroid: np.ndarray = field(compare=False, repr=False)


@dataclass(frozen=True)
class Gap:
    """A need that no organisation of the region covers well; rank 1 is the weakest."""

    key: str
    best_score: float
    rank: int


# --- clustering ---------------------------------------------------------------------------------


def cluster_needs(
    needs: Sequence[NeedText],
    vectors: np.ndarray,
    *,
    k: int | None = None,
    seed: int = 0,
) -> list[Topic]:
    """Group needs into labelled topics, ids "t01", "t02", ... by size (largest first).

    `vectors` are the needs' embeddings, one row per need in the same order (any dimension);
    rows are re-normalised, so slightly off unit length does no harm, and an all-zero row stays
    zero. With `k` None, k is chosen by the best silhouette among values around sqrt(n/2)
    (between 2 and 30; ties go to the smaller k), which gives a few topics for a few dozen needs
    and 20-30 for thousands. A given `k` larger than the number of needs is reduced to it.
    Clusters that end up empty (identical vectors) are dropped, so fewer than k topics can come
    back. Fewer than three needs make a single topic under automatic k: there is nothing to
    compare a split with. The same needs and seed give the same topics, in whatever order the
    needs come.
    """
    matrix = _as_matrix(vectors, len(needs))
    keys = [need.key for need in needs]
    _reject_duplicates(keys)
    n = len(needs)
    if n == 0:
        return []
    if k is not None and k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    # Work in key order: the graph returns needs in no fixed order, and the seeding draws by
    # position, so without this the same needs could give different topics on each load.
    order = sorted(range(n), key=keys.__getitem__)
    needs = [needs[i] for i in order]
    matrix = matrix[order]

    # float32 for the clustering: half the time of float64 in the matrix products, and far
    # more precision than the embeddings carry.
    compact = matrix.astype(np.float32)
    with _single_blas_thread():
        if k is not None:
            labels = _spherical_kmeans(compact, min(k, n), seed)[0]
        elif n < 3:
            labels = np.zeros(n, dtype=np.intp)
        else:
            labels = _best_by_silhouette(compact, seed)

    return _topics(needs, matrix, labels)


def topic_of(
    vector: np.ndarray,
    topics: Sequence[Topic],
    *,
    min_similarity: float | None = None,
) -> Topic | None:
    """The topic whose centroid is nearest (by cosine) to `vector`, a new need's embedding.

    None when there are no topics, the vector is zero, or the best cosine similarity is below
    `min_similarity` (so a need about something new is not forced into an old topic).
    """
    if not topics:
        return None
    query = np.asarray(vector, dtype=np.float64).reshape(-1)
    centroids = np.stack([np.asarray(t.centroid, dtype=np.float64) for t in topics])
    if query.shape[0] != centroids.shape[1]:
        raise ValueError(
            f"vector has dimension {query.shape[0]}, the topics' centroids {centroids.shape[1]}"
        )
    if not np.all(np.isfinite(query)):
        raise ValueError("vector contains NaN or infinite values")
    norm = float(np.linalg.norm(query))
    if norm == 0.0:
        return None
    similarities = centroids @ (query / norm)
    best = int(np.argmax(similarities))
    if min_similarity is not None and similarities[best] < min_similarity:
        return None
    return topics[best]


def _single_blas_thread() -> AbstractContextManager[object]:
    """One BLAS thread while clustering, when threadpoolctl is installed (else no change).

    The products here are small and many (hundreds per call). On a busy machine, and the
    service shares its cores with Neo4j, OpenBLAS threads wait for each other at every one of
    them: measured on 2 cores under load, 3,000 needs took 1-6 s with the default threads and
    0.2-0.5 s with one. The limit is process-wide while it lasts, as it is for the USE encoder,
    which sets its own limit per call; other numpy work running at the same moment in another
    thread is only slower, never different. threadpoolctl comes with scikit-learn.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - optional speed-up
        return nullcontext()
    limits: AbstractContextManager[object] = threadpool_limits(limits=1, user_api="blas")
    return limits


def _as_matrix(vectors: np.ndarray, n: int) -> np.ndarray:
    """A float64 copy with unit rows: the maths below assumes dot product = cosine."""
    matrix = np.array(vectors, dtype=np.float64, copy=True)
    if n == 0 and matrix.size == 0:
        return matrix.reshape(0, matrix.shape[-1] if matrix.ndim == 2 else 0)
    if matrix.ndim != 2 or matrix.shape[0] != n:
        raise ValueError(f"vectors must have shape ({n}, dimension), got {matrix.shape}")
    if not np.all(np.isfinite(matrix)):
        raise ValueError("vectors contain NaN or infinite values")
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    np.divide(matrix, norms, out=matrix, where=norms > 0)
    return matrix


def _reject_duplicates(keys: Sequence[str]) -> None:
    """Keys identify needs in the results; a duplicate would make a topic list one need twice."""
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise ValueError(f"duplicate need key {key!r}")
        seen.add(key)


def _candidate_ks(n: int) -> range:
    """k values worth trying: from half to twice sqrt(n/2), within 2..30 and below n."""
    centre = math.sqrt(n / 2)
    high = min(MAX_K, n - 1, math.ceil(2 * centre))
    low = min(max(2, math.floor(centre / 2)), high)
    return range(low, high + 1)


def _best_by_silhouette(matrix: np.ndarray, seed: int) -> np.ndarray:
    """Labels for the candidate k with the best silhouette.

    The search runs on a fixed sample of SEARCH_SAMPLE rows when there are more: choosing k does
    not need every row, and it keeps thousands of needs to about a second. The sample's cosine
    similarities are computed once and shared by every candidate (k-means++ seeding reads them
    instead of multiplying matrices, the silhouette turns them into distances); the chosen
    clustering is then refined on all rows.
    """
    n = matrix.shape[0]
    sample = None
    if n > SEARCH_SAMPLE:
        rng = np.random.default_rng([seed, n])
        sample = np.sort(rng.choice(n, SEARCH_SAMPLE, replace=False))
    points = matrix if sample is None else matrix[sample]
    gram = points @ points.T
    distances = np.clip(1.0 - gram, 0.0, 2.0)

    best: tuple[np.ndarray, np.ndarray] | None = None
    best_score = -math.inf
    for k in _candidate_ks(n):
        labels, centres = _spherical_kmeans(points, k, seed, gram=gram)
        score = _silhouette(distances, labels)
        if score > best_score + 1e-9:  # strict: a near tie keeps the smaller k
            best, best_score = (labels, centres), score
    assert best is not None  # _candidate_ks is never empty for n >= 3
    if sample is None:
        return best[0]
    # All rows, starting from the sample's centres: one Lloyd run instead of new seedings.
    return _lloyd(matrix, best[1])[0]


def _silhouette(distances: np.ndarray, labels: np.ndarray) -> float:
    """Mean silhouette for precomputed distances; a point alone in its cluster counts 0."""
    _, compact = np.unique(labels, return_inverse=True)
    count = int(compact.max()) + 1
    if count < 2:
        return -1.0
    onehot = np.zeros((labels.shape[0], count), dtype=distances.dtype)
    onehot[np.arange(labels.shape[0]), compact] = 1.0
    sizes = onehot.sum(axis=0)
    sums = distances @ onehot  # (points, clusters): summed distance to each cluster
    own_size = sizes[compact]
    own_sum = sums[np.arange(labels.shape[0]), compact]
    with np.errstate(divide="ignore", invalid="ignore"):
        intra = np.where(own_size > 1, own_sum / np.maximum(own_size - 1, 1), 0.0)
        means = sums / sizes
    means[np.arange(labels.shape[0]), compact] = np.inf
    nearest = means.min(axis=1)
    denominator = np.maximum(intra, nearest)
    with np.errstate(divide="ignore", invalid="ignore"):
        values = np.where(denominator > 0, (nearest - intra) / denominator, 0.0)
    values[own_size <= 1] = 0.0
    return float(values.mean())


def _spherical_kmeans(
    matrix: np.ndarray, k: int, seed: int, *, gram: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Labels and centres of the best of N_INIT seeded runs (highest total cosine to centres).

    The random state depends on (seed, k) only, so the result for one k does not change with
    the other candidates tried. `gram` (matrix @ matrix.T), when the caller has it, saves the
    seeding its matrix products.
    """
    rng = np.random.default_rng([seed, k])
    best: tuple[np.ndarray, np.ndarray] | None = None
    best_objective = -math.inf
    for _ in range(N_INIT if k > 1 else 1):
        labels, centres, objective = _lloyd(matrix, _kmeans_plus_plus(matrix, k, rng, gram))
        if objective > best_objective + 1e-9:
            best, best_objective = (labels, centres), objective
    assert best is not None
    return best


def _kmeans_plus_plus(
    matrix: np.ndarray, k: int, rng: np.random.Generator, gram: np.ndarray | None
) -> np.ndarray:
    """k-means++ seeding with greedy local trials (as scikit-learn does): k unit centres.

    For unit vectors the squared Euclidean distance is 2 - 2 cos, so the usual D² sampling
    works on similarities directly.
    """
    n = matrix.shape[0]
    trials = 2 + int(math.log(k))

    def similarity_to(rows: np.ndarray) -> np.ndarray:
        # float64 whatever the matrix: the cumulative sums below add up n of these.
        found = gram[rows] if gram is not None else (matrix @ matrix[rows].T).T
        result: np.ndarray = found.astype(np.float64)
        return result

    chosen = [int(rng.integers(n))]
    closest = np.maximum(2.0 - 2.0 * similarity_to(np.array(chosen))[0], 0.0)
    for _ in range(1, k):
        total = float(closest.sum())
        if total <= 0.0:  # every point already sits on a centre: take any other point
            remaining = np.setdiff1d(np.arange(n), chosen)
            chosen.append(int(rng.choice(remaining)) if remaining.size else chosen[0])
            continue
        cumulative = np.cumsum(closest)
        picks = np.searchsorted(cumulative, rng.random(trials) * total)
        candidates = np.minimum(picks, n - 1)
        candidate_d2 = np.maximum(2.0 - 2.0 * similarity_to(candidates), 0.0)
        potentials = np.minimum(closest, candidate_d2).sum(axis=1)
        best = int(np.argmin(potentials))
        chosen.append(int(candidates[best]))
        closest = np.minimum(closest, candidate_d2[best])
    return matrix[chosen].copy()


def _lloyd(matrix: np.ndarray, centres: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Lloyd iterations on the sphere: assign by cosine, centre = normalised member sum.

    An empty cluster is re-seeded with the point that fits its own centre worst, so k stays
    k while there are enough distinct points.
    """
    k = centres.shape[0]
    labels = np.full(matrix.shape[0], -1, dtype=np.intp)
    for _ in range(MAX_ITER):
        similarities = matrix @ centres.T
        new_labels = np.argmax(similarities, axis=1)
        if np.array_equal(new_labels, labels):
            break
        labels = new_labels
        centres = _centres(matrix, labels, k)
        counts = np.bincount(labels, minlength=k)
        fit = similarities[np.arange(matrix.shape[0]), labels]
        taken: set[int] = set()
        for empty in np.flatnonzero(counts == 0):
            order = [int(i) for i in np.argsort(fit, kind="stable") if int(i) not in taken]
            if not order:
                break
            taken.add(order[0])
            centres[empty] = matrix[order[0]]
    similarities = matrix @ centres.T
    labels = np.argmax(similarities, axis=1)
    objective = float(similarities[np.arange(matrix.shape[0]), labels].sum(dtype=np.float64))
    return labels, centres, objective


def _centres(matrix: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    """Unit centres: member sums as one matrix product (np.add.at is several times slower)."""
    members = np.zeros((matrix.shape[0], k), dtype=matrix.dtype)
    members[np.arange(matrix.shape[0]), labels] = 1.0
    sums: np.ndarray = members.T @ matrix
    norms = np.linalg.norm(sums, axis=1, keepdims=True)
    np.divide(sums, norms, out=sums, where=norms > 0)
    return sums


def _topics(needs: Sequence[NeedText], matrix: np.ndarray, labels: np.ndarray) -> list[Topic]:
    """Topics from final labels: centroid, members by closeness, c-TF-IDF terms, stable ids."""
    members: dict[int, list[int]] = defaultdict(list)
    for index, label in enumerate(labels.tolist()):
        members[label].append(index)
    groups = [members[label] for label in sorted(members)]
    terms = _cluster_terms([[needs[i] for i in group] for group in groups])

    drafts = []
    for group, group_terms in zip(groups, terms, strict=True):
        total = matrix[group].sum(axis=0)
        norm = float(np.linalg.norm(total))
        centroid = total / norm if norm > 0 else total
        centroid.setflags(write=False)
        closeness = matrix[group] @ centroid
        order = sorted(range(len(group)), key=lambda j: (-closeness[j], needs[group[j]].key))
        keys = tuple(needs[group[j]].key for j in order)
        label = _label(group_terms) or needs[group[order[0]]].title.strip()[:60] or keys[0]
        drafts.append((label, group_terms, keys, centroid))

    drafts.sort(key=lambda d: (-len(d[2]), d[0].casefold(), d[2][0]))
    width = max(2, len(str(len(drafts))))
    return [
        Topic(
            id=f"t{number:0{width}d}",
            label=label,
            terms=group_terms,
            need_keys=keys,
            size=len(keys),
            centroid=centroid,
        )
        for number, (label, group_terms, keys, centroid) in enumerate(drafts, start=1)
    ]


# --- labels: c-TF-IDF ---------------------------------------------------------------------------

_WORD = re.compile(r"[^\W\d_]+")
"""Runs of letters in any alphabet (äöüß included); digits, '-' and '_' split words."""

# Function words of German and English, plus the words every need is written with ("wir suchen
# einen Partner", "we are looking for"): they say nothing about the subject. Only words of 3+
# letters matter, shorter ones are dropped anyway.
_STOP_WORDS = frozenset(
    """
    aber alle allem allen aller alles als also andere anderen anderer anderes auch auf aus bei
    beim bereits bis bisher bitte bzw da dabei dadurch dafür daher damit dann darauf darum das
    dass davon dazu dem den denen denn der deren derzeit des deshalb dessen die dies diese diesem
    diesen dieser dieses doch dort durch eine einem einen einer eines einige einigen etwa etwas
    euer eure für gegen gibt geht hab habe haben hat hatte hatten hier hierfür ihm ihn ihnen
    ihr ihre ihrem ihren ihrer immer insbesondere ist jede jedem jeden jeder jedes jetzt kann
    kein keine keinen können könnte man manche mehr mein meine mit möchten möglich möglichst
    muss müssen nach neben nicht nichts noch nun nur oder ohne per schon sehr sein seine seit
    selbst sich sie sind so solche soll sollen sollte sondern sowie über um und uns unser
    unsere unserem unseren unserer unter usw viel viele vom von vor während war waren was weil
    weiter welche welchen wenn werden wie wieder will wir wird wo wollen worden wurde wurden
    würde zu zum zur zwar zwischen
    allerdings ebenfalls ein eigentlich ganz gern gerne jedoch mal oft wer wem wen unseres
    aktuell benötigen benötigt brauchen dringend gesucht hilfe jemand jemanden neu neue neuen
    neuer neues partner partnerin partnern sucht suchen suche unterstützung unternehmen firma
    about after all also and any are been being both but can could did does doing each few
    for from had has have having her here hers him his how into its just more most not now
    off once only other our ours out over own same she should some such than that the their
    theirs them then there these they this those through too under until very was were what
    when where which while who whom why will with would you your yours
    able anyone get got like make made many much one per someone two use used using via well
    currently help looking need needed needs partner partners seek seeking support want wants
    company
    """.split()
)

_SUFFIXES = ("en", "er", "e", "n", "s")
_MIN_STEM = 4
_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


def _tokens(text: str) -> list[tuple[str, str]]:
    """(counting key, surface form) for each content word of `text`."""
    out = []
    for surface in _WORD.findall(text):
        lower = surface.lower()
        if len(lower) < MIN_TOKEN_LENGTH or lower in _STOP_WORDS:
            continue
        out.append((_fold(lower), surface))
    return out


def _fold(word: str) -> str:
    """A counting key that merges inflected forms: umlauts spelt plain, common endings cut.

    Deliberately crude (two rounds of -en/-er/-e/-n/-s, stems of 4+ letters): it only has to
    make Schweißnähte and Schweißnaht, or Lager and Lagern, count as one word. The key is never
    shown.
    """
    key = word.translate(_UMLAUTS)
    for _ in range(2):
        for suffix in _SUFFIXES:
            if key.endswith(suffix) and len(key) - len(suffix) >= _MIN_STEM:
                key = key[: -len(suffix)]
                break
        else:
            break
    return key


def _cluster_terms(clusters: Sequence[Sequence[NeedText]]) -> list[tuple[tuple[str, float], ...]]:
    """Top terms per cluster by c-TF-IDF: tf(t, c) * log(1 + A / f(t)).

    tf is the share of the cluster's words that are t, f(t) the count of t over all clusters,
    A the average number of words per cluster (the class-based TF-IDF of BERTopic). A word is
    counted once per need, so one need that repeats itself does not name the topic; equal
    weights, common in small clusters, are ordered by how often the word occurs at all.
    """
    counts: list[Counter[str]] = []
    raw_counts: list[Counter[str]] = []
    surfaces: dict[str, Counter[str]] = defaultdict(Counter)
    for cluster in clusters:
        counter: Counter[str] = Counter()
        raw: Counter[str] = Counter()
        for need in cluster:
            tokens = _tokens(f"{need.title}\n{need.text}")
            for key, surface in tokens:
                surfaces[key][surface] += 1
                raw[key] += 1
            counter.update({key for key, _ in tokens})
        counts.append(counter)
        raw_counts.append(raw)

    overall: Counter[str] = Counter()
    for counter in counts:
        overall.update(counter)
    average = sum(overall.values()) / max(len(counts), 1)

    results = []
    for counter, raw in zip(counts, raw_counts, strict=True):
        total = sum(counter.values())
        weighted = [
            (count / total * math.log(1.0 + average / overall[key]), key)
            for key, count in counter.items()
        ]
        # Small clusters give many equal weights: the word used more often overall goes first.
        weighted.sort(key=lambda item: (-item[0], -raw[item[1]], _shown(surfaces[item[1]])))
        results.append(
            tuple((_shown(surfaces[key]), round(weight, 6)) for weight, key in weighted[:TOP_TERMS])
        )
    return results


def _shown(forms: Counter[str]) -> str:
    """The form written most often; ties go to the alphabetically first, for stable labels."""
    return min(forms.items(), key=lambda item: (-item[1], item[0]))[0]


def _label(terms: Sequence[tuple[str, float]]) -> str:
    """Two or three strongest terms; the third only when it is at least half as strong."""
    if not terms:
        return ""
    chosen = [word for word, _ in terms[:2]]
    if len(terms) > 2 and terms[2][1] >= 0.5 * terms[0][1]:
        chosen.append(terms[2][0])
    return ", ".join(chosen)


# --- coverage gaps ------------------------------------------------------------------------------

GAP_PERCENTILE = 10.0
GAP_MADS = 1.5
_MAD_TO_SIGMA = 1.4826  # MAD of a normal distribution times this is its standard deviation


def gap_threshold(best_scores: Sequence[float] | np.ndarray) -> float:
    """The data-driven cut of `coverage_gaps`: min(10th percentile, median - 1.5 * MAD).

    A need is a gap when its score is below both, i.e. among the weakest tenth and also clearly
    apart from the bulk. The MAD is scaled to a standard deviation (x 1.4826), so the second
    condition means about 1.5 sigma below the median, and the median and MAD are barely moved by
    the outliers being looked for. What that means in practice: scores without a low tail
    (spread evenly, or all equal) give no gaps; a bell-shaped spread gives its lowest ~7 % (the
    share below 1.5 sigma); a few needs far below the rest give exactly those, at most a tenth
    of all. It is a relative cut, "weak for this region", not an absolute "uncovered": pass
    `threshold` to coverage_gaps for the latter. Returns -inf for no scores.
    """
    scores = _as_scores(best_scores)
    if scores.size == 0:
        return -math.inf
    median = float(np.median(scores))
    mad = float(np.median(np.abs(scores - median))) * _MAD_TO_SIGMA
    return min(float(np.percentile(scores, GAP_PERCENTILE)), median - GAP_MADS * mad)


def coverage_gaps(
    need_keys: Sequence[str],
    best_scores: Sequence[float],
    *,
    threshold: float | None = None,
) -> list[Gap]:
    """Needs that no organisation of the region covers well, weakest first (rank 1, 2, ...).

    `best_scores[i]` is the best match score any organisation reached for `need_keys[i]`
    (0..1, from the matcher). A need is a gap when its score is strictly below `threshold`, or,
    when threshold is None, below the robust cut of `gap_threshold`: under the 10th percentile
    AND under median - 1.5 * MAD (scaled). Both conditions are needed because each alone
    misleads: the percentile always names a tenth of the needs even when all are well covered,
    and the MAD rule alone names half the needs when most scores are identical. Equal scores
    are ordered by key.
    """
    if len(need_keys) != len(best_scores):
        raise ValueError(
            f"need_keys and best_scores differ in length: {len(need_keys)} and {len(best_scores)}"
        )
    _reject_duplicates(need_keys)
    scores = _as_scores(best_scores)
    cut = gap_threshold(scores) if threshold is None else float(threshold)
    if math.isnan(cut):
        raise ValueError("threshold must be a number, got NaN")
    weak = [
        (float(score), key) for key, score in zip(need_keys, scores, strict=True) if score < cut
    ]
    weak.sort()
    return [Gap(key=key, best_score=score, rank=rank) for rank, (score, key) in enumerate(weak, 1)]


def _as_scores(best_scores: Sequence[float] | np.ndarray) -> np.ndarray:
    scores = np.asarray(best_scores, dtype=np.float64).reshape(-1)
    if not np.all(np.isfinite(scores)):
        raise ValueError("best_scores contain NaN or infinite values")
    return scores
