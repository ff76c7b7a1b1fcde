"""Communities of the whole network: pure functions on plain rows, no Neo4j.

The organisation graph is weighted and undirected: organisations are its nodes; they are tied by
cooperation (`COOPERATES_WITH`), units of one another (`PART_OF`), shared projects and shared
events (each shared one weighs less the more take part in it), and similar competences (the
nearest organisations by the mean of their competence vectors). Towns, districts, industries
and trades are hubs: they are *attributes* of organisations (used to label a community), never
edges, so a town of a thousand organisations cannot glue them into one community.

Communities come from Leiden (`leidenalg`, modularity on the weights, a fixed seed: the same
graph gives the same communities). The layout is computed once here and stored with the nodes:
the communities are placed by a force layout of the community graph, and each community's
members around its centre by a layout of their own ties. Centrality: weighted degree,
betweenness (cut off at a few steps on large graphs) and bridges (how many other communities
an organisation is tied to).
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import igraph as ig
import leidenalg
import numpy as np

SEED = 42
COOPERATION_WEIGHT = 3.0
PART_OF_WEIGHT = 2.0
PROJECT_WEIGHT = 1.0
EVENT_WEIGHT = 0.5
SIMILAR_WEIGHT = 0.6
SIMILAR_NEIGHBOURS = 5
SIMILAR_MIN_COSINE = 0.55
# Betweenness is exact up to this many organisations, else cut off at a few steps.
EXACT_BETWEENNESS = 20_000
BETWEENNESS_CUTOFF = 4
_WORD = re.compile(r"[A-Za-zÄÖÜäöüß][A-Za-zÄÖÜäöüß-]{3,}")
_STOP = frozenset(
    "und oder der die das des dem den für von mit auf aus bei nach sowie über unter durch "
    "zur zum eine einer eines ein im in an am als auch for and the of with from into".split()
)


@dataclass(frozen=True)
class Org:
    """What clustering and labelling need of one organisation."""

    key: str
    trades: tuple[str, ...] = ()  # names of the trades it practises
    industries: tuple[str, ...] = ()
    competences: tuple[str, ...] = ()  # competence titles


@dataclass
class Community:
    key: str  # c001, c002, ... by size, largest first
    members: list[str]
    label: str = ""
    terms: list[str] = field(default_factory=list)
    trades: list[str] = field(default_factory=list)
    x: float = 0.0
    y: float = 0.0
    links: dict[str, float] = field(default_factory=dict)  # other community -> weight


@dataclass
class Result:
    communities: list[Community]
    community_of: dict[str, str]
    position: dict[str, tuple[float, float]]
    strength: dict[str, float]
    betweenness: dict[str, float]
    bridges: dict[str, int]


def weighted_edges(
    keys: Sequence[str],
    cooperations: Iterable[tuple[str, str]] = (),
    units: Iterable[tuple[str, str]] = (),
    projects: Mapping[str, Sequence[str]] | None = None,
    events: Mapping[str, Sequence[str]] | None = None,
    vectors: Mapping[str, Sequence[float]] | None = None,
) -> dict[tuple[str, str], float]:
    """(a, b) with a < b -> weight, summed over every kind of tie between organisations."""
    known = set(keys)
    weights: dict[tuple[str, str], float] = defaultdict(float)

    def add(a: str, b: str, w: float) -> None:
        if a != b and a in known and b in known:
            weights[(a, b) if a < b else (b, a)] += w

    for a, b in cooperations:
        add(a, b, COOPERATION_WEIGHT)
    for a, b in units:
        add(a, b, PART_OF_WEIGHT)
    for groups, weight in ((projects or {}, PROJECT_WEIGHT), (events or {}, EVENT_WEIGHT)):
        for members in groups.values():
            people = sorted(set(members) & known)
            if len(people) < 2:
                continue
            share = weight / (len(people) - 1)
            # a project of hundreds ties each to each only weakly; cap the pairs it makes
            if len(people) > 60:
                continue
            for i, a in enumerate(people):
                for b in people[i + 1 :]:
                    add(a, b, share)
    for a, b, w in similar_pairs(vectors or {}):
        add(a, b, w)
    return dict(weights)


def similar_pairs(
    vectors: Mapping[str, Sequence[float]],
    k: int = SIMILAR_NEIGHBOURS,
    min_cosine: float = SIMILAR_MIN_COSINE,
    block: int = 2048,
) -> list[tuple[str, str, float]]:
    """Each organisation's `k` nearest by competence vector (cosine >= `min_cosine`)."""
    if len(vectors) < 2:
        return []
    keys = list(vectors)
    matrix: np.ndarray = np.asarray([vectors[key] for key in keys], dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    matrix = matrix / np.where(norms == 0, 1, norms)
    pairs: list[tuple[str, str, float]] = []
    k = min(k, len(keys) - 1)
    for start in range(0, len(keys), block):
        sims = matrix[start : start + block] @ matrix.T
        for row in range(sims.shape[0]):
            sims[row, start + row] = -1.0
        nearest = np.argpartition(-sims, k, axis=1)[:, :k]
        for row, cols in enumerate(nearest):
            for col in cols:
                cosine = float(sims[row, col])
                if cosine >= min_cosine:
                    pairs.append((keys[start + row], keys[int(col)], SIMILAR_WEIGHT * cosine))
    return pairs


def detect(
    keys: Sequence[str], weights: Mapping[tuple[str, str], float], *, seed: int = SEED
) -> list[list[str]]:
    """Leiden communities (modularity), largest first; members in key order."""
    index = {key: i for i, key in enumerate(keys)}
    graph = ig.Graph(n=len(keys), edges=[(index[a], index[b]) for a, b in weights])
    graph.es["weight"] = list(weights.values())
    partition = leidenalg.find_partition(
        graph, leidenalg.ModularityVertexPartition, weights="weight", seed=seed
    )
    groups = [sorted(keys[i] for i in members) for members in partition]
    return sorted(groups, key=lambda members: (-len(members), members[0] if members else ""))


def characteristic(
    groups: Sequence[Sequence[str]], orgs: Mapping[str, Org], top: int = 3
) -> list[tuple[list[str], list[str]]]:
    """For each group: its characteristic competence words and trades (frequent in it, rarer
    elsewhere: count x log(lift))."""
    words_in: list[Counter[str]] = []
    trades_in: list[Counter[str]] = []
    all_words: Counter[str] = Counter()
    all_trades: Counter[str] = Counter()
    for members in groups:
        words: Counter[str] = Counter()
        trades: Counter[str] = Counter()
        for key in members:
            org = orgs.get(key)
            if org is None:
                continue
            seen = {
                w.lower()
                for title in org.competences
                for w in _WORD.findall(title)
                if w.lower() not in _STOP
            }
            words.update(seen)
            trades.update(set(org.trades) | set(org.industries))
        words_in.append(words)
        trades_in.append(trades)
        all_words.update(words)
        all_trades.update(trades)
    total = max(sum(len(m) for m in groups), 1)

    def best(counts: Counter[str], overall: Counter[str], size: int) -> list[str]:
        def score(item: tuple[str, int]) -> tuple[float, str]:
            term, n = item
            lift = (n / max(size, 1)) / (overall[term] / total)
            return (-(n * math.log1p(lift)), term)

        return [t for t, n in sorted(counts.items(), key=score) if n >= min(2, size)][:top]

    out = []
    for members, words, trades in zip(groups, words_in, trades_in, strict=True):
        terms = [w.capitalize() if w.islower() else w for w in best(words, all_words, len(members))]
        out.append((terms, best(trades, all_trades, len(members))))
    return out


def _normalise(points: np.ndarray) -> np.ndarray:
    if len(points) == 0:
        return points
    points = points - points.mean(axis=0)
    radius = float(np.abs(points).max()) or 1.0
    return points / radius


def cluster(
    orgs: Sequence[Org], weights: Mapping[tuple[str, str], float], *, seed: int = SEED
) -> Result:
    """Communities, labels, layout and centrality of the organisation graph."""
    keys = [org.key for org in orgs]
    by_key = {org.key: org for org in orgs}
    ig.set_random_number_generator(random.Random(seed))  # the layouts draw from it
    groups = detect(keys, weights, seed=seed)
    communities = [
        Community(key=f"c{i + 1:03d}", members=members) for i, members in enumerate(groups)
    ]
    community_of = {key: c.key for c in communities for key in c.members}
    for community, (terms, trades) in zip(communities, characteristic(groups, by_key), strict=True):
        community.terms, community.trades = terms, trades
        community.label = ", ".join((trades[:1] + terms)[:3]) or community.key
    # links between communities, and bridges (other communities an organisation is tied to)
    ties: dict[str, set[str]] = defaultdict(set)
    strength: dict[str, float] = dict.fromkeys(keys, 0.0)
    by_community = {c.key: c for c in communities}
    inner: dict[str, list[tuple[str, str, float]]] = defaultdict(list)
    for (a, b), w in weights.items():
        strength[a] += w
        strength[b] += w
        ca, cb = community_of[a], community_of[b]
        if ca == cb:
            inner[ca].append((a, b, w))
            continue
        ties[a].add(cb)
        ties[b].add(ca)
        by_community[ca].links[cb] = by_community[ca].links.get(cb, 0.0) + w
        by_community[cb].links[ca] = by_community[cb].links.get(ca, 0.0) + w
    position = _place(communities, inner, seed)
    return Result(
        communities=communities,
        community_of=community_of,
        position=position,
        strength={k: round(v, 3) for k, v in strength.items()},
        betweenness=betweenness(keys, weights),
        bridges={key: len(ties.get(key, ())) for key in keys},
    )


def _place(
    communities: list[Community],
    inner: Mapping[str, list[tuple[str, str, float]]],
    seed: int,
) -> dict[str, tuple[float, float]]:
    """Community centres by a force layout of the community graph (isolated ones on a grid
    below), members around their centre in a disc of radius ~ sqrt(size)."""
    position: dict[str, tuple[float, float]] = {}
    index = {c.key: i for i, c in enumerate(communities)}
    edges = sorted(
        {
            (min(index[c.key], index[o]), max(index[c.key], index[o]))
            for c in communities
            for o in c.links
        }
    )
    graph = ig.Graph(n=len(communities), edges=edges)
    rng = np.random.default_rng(seed)
    if communities:
        start = rng.uniform(-1, 1, size=(len(communities), 2)).tolist()
        layout = graph.layout_fruchterman_reingold(seed=start, niter=500)
        centres = (
            _normalise(np.asarray(layout.coords, dtype=float)) * 100.0 * math.sqrt(len(communities))
        )
    else:
        centres = np.zeros((0, 2))
    for i, community in enumerate(communities):
        community.x, community.y = float(centres[i][0]), float(centres[i][1])
        radius = 4.0 * math.sqrt(len(community.members))
        members = community.members
        local = {key: j for j, key in enumerate(members)}
        sub = ig.Graph(
            n=len(members), edges=[(local[a], local[b]) for a, b, _ in inner[community.key]]
        )
        if len(members) == 1:
            points = np.zeros((1, 2))
        elif len(members) <= 3000:
            seed_points = rng.uniform(-1, 1, size=(len(members), 2)).tolist()
            points = _normalise(
                np.asarray(sub.layout_fruchterman_reingold(seed=seed_points, niter=200).coords)
            )
        else:  # very large: a sunflower spiral, cheap and even
            j = np.arange(len(members))
            r = np.sqrt((j + 0.5) / len(members))
            angle = j * math.pi * (3 - math.sqrt(5))
            points = np.stack([r * np.cos(angle), r * np.sin(angle)], axis=1)
        for key, p in zip(members, points, strict=True):
            position[key] = (
                round(community.x + radius * float(p[0]), 2),
                round(community.y + radius * float(p[1]), 2),
            )
    return position


def betweenness(keys: Sequence[str], weights: Mapping[tuple[str, str], float]) -> dict[str, float]:
    """Betweenness on the unweighted ties, normalised to 0..1 (cut off on large graphs)."""
    n = len(keys)
    if n < 3:
        return dict.fromkeys(keys, 0.0)
    index = {key: i for i, key in enumerate(keys)}
    graph = ig.Graph(n=n, edges=[(index[a], index[b]) for a, b in weights])
    cutoff = None if n <= EXACT_BETWEENNESS else BETWEENNESS_CUTOFF
    values = graph.betweenness(directed=False, cutoff=cutoff)
    scale = 2.0 / ((n - 1) * (n - 2))
    return {key: round(values[i] * scale, 6) for key, i in index.items()}
