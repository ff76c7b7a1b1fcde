"""Releasing what universities and analysts may read of a non-public need.

A company tells staff an anonymous or confidential need only if it cannot be traced back to
it. So those roles never read the need's own words: staff release a shared wording, and until
they do the need does not exist for those roles. The service proposes that wording
(`service.scrub` finds names of organisations and people of the graph, streets, postcodes,
towns, headcounts, revenue, contact data, keys, and sentences that repeat what the company
says in public); staff see the replaced passages marked, may edit the text and release it.

Who has the need is then described, never named, and only as precisely as keeps the company
among at least `K_ANONYMITY` organisations of the graph: an anonymous need by size class, kind
and town, falling back to the district and then the region when fewer share them; a
confidential one by kind and district at most. The description is fixed at release, with the
wording, so what readers see is what staff saw.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from graph import needs
from graph.connection import Graph
from graph.model import Visibility
from graph.texts import evidence_text
from graph.vectors import Encoder
from partnergraph.errors import InvalidRequest, NotFound

from .redact import KIND_DE, adjective_ending, size_class
from .scrub import Gazetteer, Owner, Proposal, Scrubber, ordinary_words

K_ANONYMITY = 5
# Employees [from, below) of each size class of `redact.size_class`.
_SIZE_BOUNDS: dict[str, tuple[int, int | None]] = {
    "klein": (0, 10),
    "mittelständisch": (10, 250),
    "groß": (250, None),
}
GENERIC = "ein Unternehmen der Region"


@dataclass(frozen=True)
class ReleaseProposal:
    title: Proposal
    text: Proposal
    description: str


def describe(org: Mapping[str, Any] | None, visibility: str, counts: Mapping[str, int]) -> str:
    """Who has the need, as precisely as keeps it among `K_ANONYMITY` organisations.

    `counts` are `graph.needs.peer_counts` of the company: how many organisations share its
    kind and town and size class, kind and district and size class, kind and district, kind.
    """
    if not org or not org.get("kind"):
        return GENERIC
    noun, gender = KIND_DE.get(org["kind"], ("Unternehmen", "n"))
    size = size_class(org.get("employees"))
    town, district = org.get("city"), org.get("district")
    sized = f"{size}{adjective_ending(gender)} {noun}" if size else None
    if visibility == Visibility.anonymous and sized:
        if town and counts.get("kind_city_size", 0) >= K_ANONYMITY:
            return f"{sized} in {town}"
        if district and counts.get("kind_district_size", 0) >= K_ANONYMITY:
            return f"{sized} im Gebiet {district}"
    if district and counts.get("kind_district", 0) >= K_ANONYMITY:
        return f"{noun} im Gebiet {district}"
    if counts.get("kind", 0) >= K_ANONYMITY:
        return f"{noun} in der Region"
    return GENERIC


def description_of(graph: Graph, org: Mapping[str, Any] | None, visibility: str) -> str:
    if not org:
        return GENERIC
    size = size_class(org.get("employees"))
    low, below = _SIZE_BOUNDS[size] if size else (None, None)
    counts = needs.peer_counts(
        graph,
        kind=org.get("kind"),
        city=org.get("city"),
        district=org.get("district"),
        employees_from=low,
        employees_below=below,
    )
    return describe(org, visibility, counts)


class Scrubbers:
    """The scrubber over the graph's current names, rebuilt when it is older than `max_age_s`
    (compiling thousands of names takes a moment; a proposal is a suggestion staff review)."""

    def __init__(self, max_age_s: float = 60.0) -> None:
        self.max_age_s = max_age_s
        self._lock = threading.Lock()
        self._built: tuple[float, Scrubber] | None = None

    def get(self, graph: Graph) -> Scrubber:
        with self._lock:
            if self._built is None or time.monotonic() - self._built[0] > self.max_age_s:
                self._built = (time.monotonic(), Scrubber(gazetteer_of(graph)))
            return self._built[1]

    def forget(self) -> None:
        with self._lock:
            self._built = None


def gazetteer_of(graph: Graph) -> Gazetteer:
    rows = needs.gazetteer_rows(graph)
    towns = {t for t in [*rows["towns"], *rows["cities"]] if t}
    districts = {d for d in [*rows["districts"], *rows["org_districts"]] if d}
    organizations = [(key, name) for key, name in rows["orgs"] if name]
    return Gazetteer(
        organizations=organizations,
        people=[p for p in rows["people"] if p],
        towns=sorted(towns),
        districts=sorted(districts),
        keys=list(rows["need_keys"]),
        common_words=ordinary_words(rows["competence_texts"]),
        # Every part of the company's own name that is not ordinary vocabulary goes, however
        # many other names share it: a surname shared by 20 firms still narrows a town's
        # companies of one kind and size to a handful.
        distinctive_max_names=len(organizations),
    )


def owner_of(context: Mapping[str, Any]) -> Owner | None:
    org = context.get("organization")
    if not org:
        return None
    return Owner.of(org, context.get("people") or ())


def _context(graph: Graph, key: str) -> dict[str, Any]:
    context = needs.release_context(graph, key)
    if context is None:
        raise NotFound(f"no need with key {key!r}")
    return context


def propose(graph: Graph, scrubber: Scrubber, key: str) -> ReleaseProposal:
    """The wording the service suggests universities and analysts read of the need `key`."""
    context = _context(graph, key)
    need, owner = context["need"], owner_of(context)
    public_texts = list(context.get("public_texts") or ())
    description = (context.get("organization") or {}).get("description")
    if description:
        public_texts.append(description)
    return ReleaseProposal(
        title=scrubber.propose(need.get("title") or "", owner, public_texts=public_texts),
        text=scrubber.propose(need.get("text") or "", owner, public_texts=public_texts),
        description=description_of(graph, context.get("organization"), need["visibility"]),
    )


def release(
    graph: Graph, encoder: Encoder, key: str, title: str, text: str, by: str
) -> dict[str, Any]:
    """Store `title` and `text` as what universities and analysts read of the need, encoded
    for their searches, with the company described as `describe` allows."""
    context = _context(graph, key)
    need = context["need"]
    if need["visibility"] == Visibility.public:
        raise InvalidRequest(
            f"the need {key!r} is public: universities and analysts read it as it is"
        )
    vector = encoder.encode([evidence_text(title, text)])[0]
    shared = {
        "id": f"need-{secrets.token_hex(8)}",
        "title": title,
        "text": text,
        "description": description_of(graph, context.get("organization"), need["visibility"]),
        "embedding": [float(x) for x in vector],
        "embedding_model": encoder.name,
    }
    stored = needs.release_need(graph, key, shared, by)
    if stored is None:
        raise NotFound(f"no need with key {key!r}")
    return stored


def release_proposed(graph: Graph, encoder: Encoder, scrubber: Scrubber, by: str) -> int:
    """Release every non-public need that has no current release, as proposed (the demo's
    sample, and what the re-identification tests attack: staff accepting every proposal)."""
    keys = needs.needs_to_release(graph)
    for key in keys:
        proposal = propose(graph, scrubber, key)
        release(graph, encoder, key, proposal.title.text, proposal.text.text, by)
    return len(keys)
