"""A deterministic, realistic sample data set in the canonical input format.

Why: the demo, the matching evaluation and the benchmarks need a network that looks like the
real one (thousands of manufacturers, craft businesses across many trades, the universities,
institutes and chambers of Dortmund, Bochum, Hagen, Herne and the Ennepe-Ruhr-Kreis) without
using anybody's data. So:

- Companies, craft businesses and service providers are fictional; their names end with
  " (fiktiv)", people have invented names and e-mail addresses at example.org / example.com.
- Universities, faculties, chairs, institutes, chambers and agencies are real institutions of
  the region; only their names, towns and broad subjects are real. Their competence texts and
  contacts are sample data, and their descriptions say so.
- Competences and needs come from the topic catalogue (`sample.topics`): providers use
  technical terms, companies describe symptoms, so the two sides overlap only partly in wording.
  The word material (institutions, names, places, sentence templates) is data in
  `sample/catalogue/`; this module holds only the code that draws from it.
  Each need keeps its generating topic in an extra column `topic` (the record models ignore
  unknown columns) for the evaluation; competences, projects and events do the same.

Same spec and seed give byte-identical files: every random choice comes from a `random.Random`
seeded with a string per section (not affected by hash randomisation), nothing iterates over a
set, and no clock is read. Sections draw from their own generators, so changing, say, the
number of needs leaves the organisations unchanged.

The organisation plan is small (a few slots per organisation); organisation and competence
rows are produced lazily, so `write_scaled` streams a benchmark set of 100,000 organisations
with a million competences without holding it in memory.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import math
import random
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from operator import itemgetter
from pathlib import Path
from typing import Any

from graph.texts import fold
from ingest.records import ORGANIZATION_COLUMNS
from ingest.reference import Postcode, ReferenceData, load_reference

from .catalogue import load
from .topics import GROUPS, TOPIC_BY_ID, TOPICS, Topic, topics_for_kind

Row = dict[str, str]

# Column order of each file: the canonical field names of the record models, plus `topic`.
ENTITY_COLUMNS: dict[str, tuple[str, ...]] = {
    "organizations": ORGANIZATION_COLUMNS,
    "people": ("key", "name", "title", "role", "email", "org_key"),
    "competences": ("key", "owner_key", "title", "text", "lang", "topic"),
    "needs": (
        "key",
        "org_key",
        "title",
        "text",
        "lang",
        "status",
        "visibility",
        "created_at",
        "topic",
    ),
    "projects": ("key", "title", "text", "lang", "start", "end", "funding", "topic"),
    "participations": ("org_key", "project_key", "role"),
    "events": ("key", "name", "date", "kind", "topic"),
    "attendances": ("org_key", "event_key"),
}
LIST_JOIN = "|"
FICTIONAL = " (fiktiv)"
RESEARCH_KINDS = ("university", "institute", "research_group")
FIRM_KINDS = ("company", "craft_business", "service_provider")
REAL_NOTE = (
    "Hinweis: Kompetenztexte und Kontakte dieser Einrichtung im Datensatz sind Beispieldaten "
    "(synthetisch), keine Angaben der Einrichtung."
)


# --- the real institutions of the network ----------------------------------------------------


@dataclass(frozen=True)
class Institution:
    """A real organisation of the region: name, kind, town (by postcode) and broad subjects.

    Streets are left out on purpose (the ingest places an organisation by its postcode);
    the topics are a plausible sample of what the unit works on, not an official profile.
    """

    key: str
    name: str
    kind: str
    postcode: str
    topics: tuple[str, ...]
    parent_key: str | None = None
    website: str | None = None
    about: str = ""


# Real names, towns and broad subjects; the competence texts the generator writes for them are
# sample data, and their descriptions say so (REAL_NOTE).
INSTITUTIONS: tuple[Institution, ...] = tuple(
    Institution(**row) for row in load("institutions.json")
)
_RESEARCH_INSTITUTIONS = sum(inst.kind in RESEARCH_KINDS for inst in INSTITUTIONS)


# --- what a sample should contain --------------------------------------------------------------


@dataclass(frozen=True)
class SampleSpec:
    """How many of each thing to generate.

    `institutions` adds the real universities, faculties, chairs, institutes, chambers and
    agencies (`INSTITUTIONS`); `research_groups` adds fictional research groups on top, which
    only scaled samples use to keep the network's share of research organisations.
    `competences_per_org` None gives one competence per topic of an organisation (1-8);
    a number gives exactly that many to every organisation (benchmarks).
    """

    companies: int
    craft_businesses: int
    service_providers: int
    institutions: bool = True
    research_groups: int = 0
    open_needs: int = 0
    other_needs: int = 0
    projects: int = 0
    events: int = 0
    contact_share: float = 0.2
    competences_per_org: int | None = None

    @classmethod
    def network(cls) -> SampleSpec:
        """The sample for the demo and the matching evaluation."""
        return cls(
            companies=3000,
            craft_businesses=300,
            service_providers=200,
            open_needs=220,
            other_needs=80,
            projects=150,
            events=30,
        )

    @classmethod
    def scaled(cls, orgs: int, competences_per_org: int | None = None) -> SampleSpec:
        """`orgs` organisations in total with the network's proportions (for benchmarks).

        The real institutions are included once the sample is ten times their number;
        fictional research groups make up the rest of the research share.
        """
        if orgs < 1:
            raise ValueError("a scaled sample needs at least one organisation")
        if competences_per_org is not None and competences_per_org < 0:
            raise ValueError("competences_per_org must not be negative")
        base = cls.network()
        total = base.organizations
        institutions = orgs >= 10 * len(INSTITUTIONS)
        research = round(orgs * _RESEARCH_INSTITUTIONS / total)
        fixed = len(INSTITUTIONS) if institutions else 0
        groups = max(0, research - _RESEARCH_INSTITUTIONS) if institutions else research
        rest = orgs - fixed - groups
        firms = base.companies + base.craft_businesses + base.service_providers
        craft = round(rest * base.craft_businesses / firms)
        service = round(rest * base.service_providers / firms)
        factor = orgs / total
        return cls(
            companies=rest - craft - service,
            craft_businesses=craft,
            service_providers=service,
            institutions=institutions,
            research_groups=groups,
            open_needs=round(base.open_needs * factor),
            other_needs=round(base.other_needs * factor),
            projects=max(1, round(base.projects * factor)),
            events=max(1, round(base.events * factor)),
            contact_share=base.contact_share,
            competences_per_org=competences_per_org,
        )

    @property
    def organizations(self) -> int:
        fixed = len(INSTITUTIONS) if self.institutions else 0
        return (
            self.companies
            + self.craft_businesses
            + self.service_providers
            + self.research_groups
            + fixed
        )


# --- word material (sample/catalogue/) ------------------------------------------------------

_NETWORK = load("network.json")
# District keys of the network (first five) and neighbours, with weights for fictional firms.
AREAS: tuple[tuple[str, float], ...] = tuple(
    (area["district"], area["weight"]) for area in _NETWORK["areas"]
)
# Common trades of the region get more businesses.
TRADE_WEIGHTS: dict[str, float] = _NETWORK["trade_weights"]
GROUP_WEIGHT_COMPANY: dict[str, float] = _NETWORK["group_weight_company"]

_NAMES = load("names.json")
SURNAMES: tuple[str, ...] = _NAMES["surnames"]
FIRST_NAMES_F: tuple[str, ...] = _NAMES["first_names_f"]
FIRST_NAMES_M: tuple[str, ...] = _NAMES["first_names_m"]
STREET_STEMS: tuple[str, ...] = _NAMES["street_stems"]
STREET_SUFFIXES: tuple[str, ...] = _NAMES["street_suffixes"]
STREET_FORMS: tuple[str, ...] = _NAMES["street_forms"]
PLACE_PREFIXES: tuple[str, ...] = _NAMES["place_prefixes"]
INDUSTRY_WORDS: dict[str, tuple[str, ...]] = _NAMES["industry_words"]
TRADE_WORDS: dict[str, tuple[str, ...]] = _NAMES["trade_words"]
SERVICE_WORDS: dict[str, tuple[str, ...]] = _NAMES["service_words"]
LEGAL_COMPANY: tuple[tuple[str, float], ...] = _NAMES["legal_forms"]["company"]
LEGAL_CRAFT: tuple[tuple[str, float], ...] = _NAMES["legal_forms"]["craft_business"]
LEGAL_SERVICE: tuple[tuple[str, float], ...] = _NAMES["legal_forms"]["service_provider"]
ACRONYM_PREFIXES: tuple[str, ...] = _NAMES["acronym_prefixes"]
ACRONYM_SUFFIXES: tuple[str, ...] = _NAMES["acronym_suffixes"]

_TEXTS = load("texts.json")
CONTEXTS_DE: dict[str, tuple[str, ...]] = _TEXTS["contexts_de"]
CONTEXTS_EN: dict[str, tuple[str, ...]] = _TEXTS["contexts_en"]
MONTHS_DE: tuple[str, ...] = _TEXTS["months_de"]
MONTHS_EN: tuple[str, ...] = _TEXTS["months_en"]

# Competence wording (placeholders: sample/catalogue/__init__.py).
_COMPETENCE = _TEXTS["competence"]
FIRM_LINES_DE: tuple[str, ...] = _COMPETENCE["firm_lines_de"]
FIRM_CLOSERS_DE: dict[str, tuple[str, ...]] = _COMPETENCE["firm_closers_de"]
PUBLIC_LINES_DE: tuple[str, ...] = _COMPETENCE["public_lines_de"]
RESEARCH_LINES_DE: tuple[str, ...] = _COMPETENCE["research_lines_de"]
RESEARCH_CLOSERS_DE: tuple[str, ...] = _COMPETENCE["research_closers_de"]
# Research organisations on advisory topics (patents, start-ups, training) speak as a
# transfer office, not as a lab.
TRANSFER_LINES_DE: tuple[str, ...] = _COMPETENCE["transfer_lines_de"]
TRANSFER_CLOSERS_DE: tuple[str, ...] = _COMPETENCE["transfer_closers_de"]
TRANSFER_TOPICS = frozenset(("patent-ip", "business-succession", "funding-advice", "hr-training"))
RESEARCH_LINES_EN: tuple[str, ...] = _COMPETENCE["research_lines_en"]
RESEARCH_CLOSERS_EN: tuple[str, ...] = _COMPETENCE["research_closers_en"]
TRANSFER_LINES_EN: tuple[str, ...] = _COMPETENCE["transfer_lines_en"]
FIRM_LINES_EN: tuple[str, ...] = _COMPETENCE["firm_lines_en"]
_TITLES_DE: dict[str, tuple[str, ...]] = _COMPETENCE["titles_de"]
_TITLES_EN: dict[str, tuple[str, ...]] = _COMPETENCE["titles_en"]

# Need wording.
_NEED = _TEXTS["need"]
NEED_ASK_DE: tuple[str, ...] = _NEED["ask_de"]
NEED_ASK_PLAIN_DE: tuple[str, ...] = _NEED["ask_plain_de"]
NEED_EXTRA_DE: tuple[str, ...] = _NEED["extra_de"]
NEED_TITLES_DE: tuple[str, ...] = _NEED["titles_de"]
NEED_ASK_EN: tuple[str, ...] = _NEED["ask_en"]
NEED_EXTRA_EN: tuple[str, ...] = _NEED["extra_en"]
NEED_TITLES_EN: tuple[str, ...] = _NEED["titles_en"]

FUNDING: tuple[str, ...] = _TEXTS["project"]["funding"]
PROJECT_TEXTS_DE: tuple[str, ...] = _TEXTS["project"]["texts_de"]
PROJECT_TEXTS_EN: tuple[str, ...] = _TEXTS["project"]["texts_en"]
# Trade fairs: name, month, the topic groups they are about.
FAIRS: tuple[tuple[str, int, tuple[str, ...]], ...] = tuple(
    (fair["name"], fair["month"], fair["groups"]) for fair in _TEXTS["event"]["fairs"]
)
# In turn, by event number.
EVENT_KINDS: tuple[str, ...] = _TEXTS["event"]["kinds"]


# --- helpers ----------------------------------------------------------------------------------


def _rng(seed: int, section: str) -> random.Random:
    """A generator per section: string seeds are hashed with SHA-512, not hash()."""
    return random.Random(f"partnergraph-sample:{seed}:{section}")


class _Weighted:
    """Weighted choice with precomputed cumulative weights (fast for millions of draws)."""

    __slots__ = ("cum", "items", "total")

    def __init__(self, pairs: Iterable[tuple[object, float]]) -> None:
        self.items: list[Any] = []
        self.cum: list[float] = []
        running = 0.0
        for item, weight in pairs:
            if weight <= 0:
                continue
            running += weight
            self.items.append(item)
            self.cum.append(running)
        self.total = running

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


def _and(first: str, second: str, word: str = "und") -> str:
    """'A und B', or 'A, B' when a phrase already contains the word ('Stanzen und Biegen')."""
    if f" {word} " in first or f" {word} " in second:
        return f"{first}, {second}"
    return f"{first} {word} {second}"


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _ascii(text: str) -> str:
    text = fold(text).replace("ı", "i").replace("ł", "l").replace("ø", "o")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _pick(rand: Callable[[], float], items: Sequence[Any]) -> Any:
    """`choice` from a float draw: several times faster, equally deterministic."""
    return items[int(rand() * len(items))]


def _three(rand: Callable[[], float], pool: Sequence[str]) -> tuple[str, str, str]:
    """Three different phrases (the catalogue gives every topic at least three)."""
    size = len(pool)
    first = int(rand() * size)
    second = (first + 1 + int(rand() * (size - 1))) % size
    third = first
    while third in (first, second):
        third = int(rand() * size)
    return pool[first], pool[second], pool[third]


def _employees(rng: random.Random, kind: str) -> int:
    median, spread, low, high = {
        "company": (45, 1.1, 3, 8000),
        "craft_business": (8, 0.7, 1, 150),
        "service_provider": (9, 0.9, 1, 400),
        "research_group": (14, 0.5, 3, 80),
    }[kind]
    return max(low, min(high, int(math.exp(rng.gauss(math.log(median), spread)))))


def _street(rng: random.Random) -> str:
    number = str(rng.randint(1, 220)) + ("a" if rng.random() < 0.08 else "")
    stem = rng.choice(STREET_STEMS)
    if rng.random() < 0.2:
        return f"{rng.choice(STREET_FORMS).format(s=stem)} {number}"
    return f"{stem}{rng.choice(STREET_SUFFIXES)} {number}"


# --- the plan: organisations and who offers what ------------------------------------------------


@dataclass(slots=True)
class _Org:
    key: str
    name: str
    kind: str
    topics: tuple[str, ...]
    place: Postcode
    employees: int | None
    trades: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    parent_key: str | None = None
    institution: Institution | None = None

    @property
    def fictional(self) -> bool:
        return self.institution is None


@dataclass
class _Plan:
    orgs: list[_Org]
    by_kind: dict[str, list[int]]
    providers: dict[str, list[int]]  # topic id -> indices of organisations offering it
    research: dict[str, list[int]]  # topic id -> research organisations offering it
    firms: dict[str, list[int]]  # topic id -> companies, craft businesses, service providers


def _place(reference: ReferenceData, postcode: str) -> Postcode:
    place = reference.place(postcode)
    if place is None:
        raise ValueError(f"postcode {postcode} is not in the reference table")
    return place


def _plan(spec: SampleSpec, seed: int) -> _Plan:
    reference = load_reference()
    by_district: dict[str, list[Postcode]] = {}
    for entries in reference.postcodes.values():
        for entry in entries:
            by_district.setdefault(entry.district_key, []).append(entry)
    districts = _Weighted((key, weight) for key, weight in AREAS if key in by_district)

    orgs: list[_Org] = []
    if spec.institutions:
        for inst in INSTITUTIONS:
            orgs.append(
                _Org(
                    key=inst.key,
                    name=inst.name,
                    kind=inst.kind,
                    topics=inst.topics,
                    place=_place(reference, inst.postcode),
                    employees=None,
                    industries=_INSTITUTION_INDUSTRIES[inst.kind],
                    parent_key=inst.parent_key,
                    institution=inst,
                )
            )
    rng = _rng(seed, "plan")
    names: set[str] = {org.name for org in orgs}
    faculties = [org.key for org in orgs if org.kind == "institute" and org.parent_key]
    # Fictional research groups (scaled samples): one topic cluster each.
    research_topics = topics_for_kind("research_group")
    width = max(5, len(str(spec.research_groups)))
    for number in range(1, spec.research_groups + 1):
        topic = research_topics[(number - 1) % len(research_topics)]
        cluster = [topic.id, *rng.sample(topic.related, min(len(topic.related), rng.randint(2, 4)))]
        orgs.append(
            _Org(
                key=f"group-{number:0{width}d}",
                name=f"Arbeitsgruppe {topic.label_de} {number}{FICTIONAL}",
                kind="research_group",
                topics=tuple(cluster),
                place=rng.choice(by_district[districts.pick(rng)]),
                employees=_employees(rng, "research_group"),
                industries=("72",),
                parent_key=faculties[(number - 1) % len(faculties)] if faculties else None,
            )
        )

    kinds = (
        ["company"] * spec.companies
        + ["craft_business"] * spec.craft_businesses
        + ["service_provider"] * spec.service_providers
    )
    rng.shuffle(kinds)
    primaries = _primary_topics(spec, rng)
    width = max(5, len(str(len(kinds))))
    counters = dict.fromkeys(FIRM_KINDS, 0)
    for number, kind in enumerate(kinds, 1):
        place = rng.choice(by_district[districts.pick(rng)])
        employees = _employees(rng, kind)
        primary, trade = primaries[kind][counters[kind]]
        counters[kind] += 1
        topics = _more_topics(rng, kind, primary, trade)
        industries = tuple(dict.fromkeys(TOPIC_BY_ID[t].industries[0] for t in topics))[:3]
        org = _Org(
            key=f"org-{number:0{width}d}",
            name="",
            kind=kind,
            topics=topics,
            place=place,
            employees=employees,
            trades=(trade,) if trade else (),
            industries=industries,
        )
        org.name = _unique_name(rng, org, names)
        orgs.append(org)

    by_kind: dict[str, list[int]] = {}
    providers: dict[str, list[int]] = {topic.id: [] for topic in TOPICS}
    research: dict[str, list[int]] = {topic.id: [] for topic in TOPICS}
    firms: dict[str, list[int]] = {topic.id: [] for topic in TOPICS}
    for index, org in enumerate(orgs):
        by_kind.setdefault(org.kind, []).append(index)
        for topic_id in org.topics:
            providers[topic_id].append(index)
            if org.kind in RESEARCH_KINDS:
                research[topic_id].append(index)
            elif org.kind in FIRM_KINDS:
                firms[topic_id].append(index)
    return _Plan(orgs, by_kind, providers, research, firms)


_INSTITUTION_INDUSTRIES = {
    "university": ("85", "72"),
    "institute": ("72",),
    "research_group": ("72",),
    "chamber": ("94",),
    "agency": ("84",),
}


def _primary_topics(spec: SampleSpec, rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """(topic, trade) for every firm, in order: first each topic (and trade) a few times so that
    every topic has providers and the craft businesses cover all trades, then by weight."""
    result: dict[str, list[tuple[str, str]]] = {}
    company_topics = topics_for_kind("company")
    company_weights = _Weighted((t.id, GROUP_WEIGHT_COMPANY[t.group]) for t in company_topics)
    picks: list[tuple[str, str]] = []
    for _round in range(3):
        picks.extend((t.id, "") for t in company_topics)
    picks = picks[: spec.companies]
    picks.extend((company_weights.pick(rng), "") for _ in range(spec.companies - len(picks)))
    result["company"] = picks

    trades = sorted(_TRADE_TOPICS)
    trade_weights = _Weighted((code, TRADE_WEIGHTS.get(code, 1.0)) for code in trades)
    chosen = trades[: spec.craft_businesses]
    chosen += [trade_weights.pick(rng) for _ in range(spec.craft_businesses - len(chosen))]
    result["craft_business"] = [(rng.choice(_TRADE_TOPICS[code]), code) for code in chosen]

    # Topics that companies do not offer (testing, consulting, documentation) rely on service
    # providers and research: they get a third round and more weight.
    service_topics = topics_for_kind("service_provider")
    service_only = [t for t in service_topics if "company" not in t.kinds]
    service_weights = _Weighted(
        (t.id, 1.0 if "company" in t.kinds else 2.0) for t in service_topics
    )
    rounds = [*service_topics, *service_topics, *service_only]
    picks = [(t.id, "") for t in rounds][: spec.service_providers]
    picks.extend(
        (service_weights.pick(rng), "") for _ in range(spec.service_providers - len(picks))
    )
    result["service_provider"] = picks
    return result


_TRADE_TOPICS: dict[str, tuple[str, ...]] = {}
for _topic in TOPICS:
    for _code in _topic.trades:
        _TRADE_TOPICS.setdefault(_code, ())
        _TRADE_TOPICS[_code] += (_topic.id,)
_KIND_TOPIC_IDS = {
    kind: frozenset(t.id for t in topics_for_kind(kind)) for kind in (*FIRM_KINDS, "research_group")
}


def _more_topics(rng: random.Random, kind: str, primary: str, trade: str) -> tuple[str, ...]:
    """1-3 topics (craft businesses 1-2, within their trade): mostly neighbours of the first."""
    topics = [primary]
    if kind == "craft_business":
        others = [t for t in _TRADE_TOPICS[trade] if t != primary]
        if others and rng.random() < 0.5:
            topics.append(rng.choice(others))
        return tuple(topics)
    wanted = rng.choice((1, 1, 2, 2, 2, 3))
    allowed = _KIND_TOPIC_IDS[kind]
    related = [r for r in TOPIC_BY_ID[primary].related if r in allowed]
    pool = _POOLS[kind]
    while len(topics) < wanted:
        candidates = [r for r in related if r not in topics]
        choice = rng.choice(candidates) if candidates and rng.random() < 0.75 else rng.choice(pool)
        if choice not in topics:
            topics.append(choice)
    return tuple(topics)


_LEGAL = {
    "company": _Weighted(LEGAL_COMPANY),
    "craft_business": _Weighted(LEGAL_CRAFT),
    "service_provider": _Weighted(LEGAL_SERVICE),
}


def _unique_name(rng: random.Random, org: _Org, taken: set[str]) -> str:
    """A fictional, unique name; after a few clashes the town goes into the name."""
    for attempt in range(12):
        base, legal = _name_parts(rng, org)
        if attempt >= 6:
            base = f"{base} {org.place.municipality}"
        if attempt >= 10:
            base = f"{base} {rng.randint(2, 99)}"
        name = f"{base} {legal}".strip() + FICTIONAL
        if name not in taken:
            taken.add(name)
            return name
    name = f"{base} {org.key} {legal}".strip() + FICTIONAL
    taken.add(name)
    return name


def _name_parts(rng: random.Random, org: _Org) -> tuple[str, str]:
    surname = rng.choice(SURNAMES)
    if org.kind == "craft_business":
        word = rng.choice(TRADE_WORDS.get(org.trades[0], ("Handwerk",)))
        legal = _LEGAL["craft_business"].pick(rng)
        pattern = rng.random()
        if pattern < 0.45:
            return f"{word} {surname}", legal
        if pattern < 0.8:
            return f"{surname} {word}", legal
        first = rng.choice(FIRST_NAMES_M + FIRST_NAMES_F)
        return f"{word} {first} {surname}", legal or "e.K."
    if org.kind == "service_provider":
        group = TOPIC_BY_ID[org.topics[0]].group
        word = rng.choice(SERVICE_WORDS[group])
        legal = _LEGAL["service_provider"].pick(rng)
        if legal == "e.V.":
            prefix = rng.choice(PLACE_PREFIXES)
            network = rng.choice(("Kompetenznetz", "Technologieforum", "Qualifizierungsverbund"))
            return f"{prefix} {network} {GROUPS[group][0]}", legal
        pattern = rng.random()
        if pattern < 0.35:
            return f"{surname} {word}", legal
        if pattern < 0.55:
            return f"{word} {surname}", legal
        if pattern < 0.75:
            return f"{surname} & {rng.choice(SURNAMES)} {word}", legal
        return f"{rng.choice(PLACE_PREFIXES)} {word}", legal
    word = rng.choice(INDUSTRY_WORDS.get(org.industries[0], ("Technik",)))
    legal = _LEGAL["company"].pick(rng)
    if legal == "AG" and (org.employees or 0) < 200:
        legal = "GmbH"
    pattern = rng.random()
    if pattern < 0.45:
        return f"{surname} {word}", legal
    if pattern < 0.6:
        return f"{surname} & {rng.choice(SURNAMES)}", legal
    if pattern < 0.8:
        return f"{rng.choice(PLACE_PREFIXES)} {word}", legal
    if pattern < 0.9:
        letters = "".join(rng.choice("ABDEFGHKLMNPRSTW") for _ in range(rng.randint(2, 3)))
        return f"{letters} {word}", legal
    return f"{word} {surname}", legal


# --- rows ----------------------------------------------------------------------------------------


def _organization_rows(plan: _Plan, seed: int) -> Iterator[Row]:
    rng = _rng(seed, "organizations")
    reference = load_reference()
    industry_names = {i["code"]: i["name"] for i in reference.industries}
    trade_names = {t["code"]: t["name"] for t in reference.trades}
    for number, org in enumerate(plan.orgs, 1):
        place = org.place
        street = lat = lon = website = source_id = ""
        if org.institution is not None:
            description = f"{_about(org.institution)} {REAL_NOTE}"
            website = org.institution.website or ""
        else:
            description = _description(rng, org, industry_names, trade_names)
            street = _street(rng)
            if rng.random() < 0.5:
                lat = f"{place.lat + rng.uniform(-0.012, 0.012):.5f}"
                lon = f"{place.lon + rng.uniform(-0.018, 0.018):.5f}"
            if rng.random() < 0.6:
                stem = _LEGAL_FORM.sub("", org.name.removesuffix(FICTIONAL))
                website = f"https://www.{_ascii(stem)[:48].strip('-')}.example.com"
            if rng.random() < 0.7:
                source_id = f"CRM-{100000 + number}"
        yield {
            "key": org.key,
            "name": org.name,
            "kind": org.kind,
            "description": description,
            "street": street,
            "postcode": place.postcode,
            "city": place.municipality,
            "district": place.district,
            "country": "DE",
            "lat": lat,
            "lon": lon,
            "website": website,
            "employees": "" if org.employees is None else str(org.employees),
            "source_id": source_id,
            "parent_key": org.parent_key or "",
            "trades": LIST_JOIN.join(org.trades),
            "industries": LIST_JOIN.join(org.industries),
        }


_LEGAL_FORM = re.compile(
    r"\s+(GmbH & Co\. KG|GmbH|UG \(haftungsbeschränkt\)|AG|KG|OHG|e\.K\.|e\.V\.|GbR|PartGmbB)$"
)
_INSTITUTION_BY_KEY = {inst.key: inst for inst in INSTITUTIONS}


def _about(inst: Institution) -> str:
    """The institution's own line, or for a chair: whose unit it is."""
    if inst.about:
        return inst.about
    parent = _INSTITUTION_BY_KEY.get(inst.parent_key or "")
    while parent is not None and parent.kind != "university":
        parent = _INSTITUTION_BY_KEY.get(parent.parent_key or "")
    return f"Forschungseinheit ({parent.name})." if parent else "Forschungseinheit."


def _description(
    rng: random.Random, org: _Org, industry_names: dict[str, str], trade_names: dict[str, str]
) -> str:
    labels = [TOPIC_BY_ID[t].label_de for t in org.topics]
    focus = "; ".join(labels)
    city = org.place.municipality
    employees = org.employees or 0
    if org.kind == "company":
        size = "kleines" if employees < 20 else "mittelständisches" if employees < 500 else "großes"
        branch = industry_names.get(org.industries[0], "")
        extra = rng.choice(
            (
                f"Gegründet {rng.randint(1890, 2019)}.",
                f"Familiengeführt in {rng.randint(2, 5)}. Generation.",
                "Zertifiziert nach ISO 9001.",
                f"Exportanteil rund {rng.randint(5, 70)} %.",
                f"Kunden vor allem aus {rng.choice(('der Region', 'Deutschland', 'Europa'))}.",
            )
        )
        return (
            f"{size.capitalize()} Unternehmen aus {city} ({branch}), {employees} Beschäftigte. "
            f"Schwerpunkte: {focus}. {extra} Fiktives Beispielunternehmen (Beispieldaten)."
        )
    if org.kind == "craft_business":
        trade = trade_names.get(org.trades[0], "Handwerk") if org.trades else "Handwerk"
        return (
            f"Handwerksbetrieb ({trade}) in {city} mit {employees} Beschäftigten. "
            f"Leistungen: {focus}. Fiktiver Beispielbetrieb (Beispieldaten)."
        )
    if org.kind == "service_provider":
        return (
            f"Dienstleister aus {city} mit {employees} Beschäftigten. Themen: {focus}. "
            "Fiktives Beispielunternehmen (Beispieldaten)."
        )
    return f"Fiktive Arbeitsgruppe (Beispieldaten). Themen: {focus}."


def _competence_rows(plan: _Plan, spec: SampleSpec, seed: int) -> Iterator[Row]:
    rng = _rng(seed, "competences")
    wanted = spec.competences_per_org
    for org in plan.orgs:
        topics = org.topics if wanted is None else _fill_topics(rng, org, wanted)
        for number, topic_id in enumerate(topics, 1):
            yield _competence(rng, org, TOPIC_BY_ID[topic_id], number)


_POOLS = {
    kind: tuple(t.id for t in topics_for_kind(kind))
    for kind in (*FIRM_KINDS, "institute", "research_group", "chamber", "agency")
}
_POOLS["university"] = _POOLS["research_group"]


def _fill_topics(rng: random.Random, org: _Org, wanted: int) -> list[str]:
    """Exactly `wanted` topics: the organisation's own, then neighbours, then others of its
    kind; repeated (with other wording) when the kind offers fewer topics than wanted."""
    topics = list(org.topics[:wanted])
    if len(topics) < wanted:
        pool = _POOLS[org.kind]
        allowed = set(pool)
        seen = set(topics)
        for topic_id in org.topics:
            for related in TOPIC_BY_ID[topic_id].related:
                if len(topics) < wanted and related in allowed and related not in seen:
                    topics.append(related)
                    seen.add(related)
        attempts = 0
        while len(topics) < wanted and attempts < 4 * wanted:
            attempts += 1
            choice = rng.choice(pool)
            if choice not in seen:
                topics.append(choice)
                seen.add(choice)
        base = list(topics) or [pool[0]]
        while len(topics) < wanted:
            topics.append(base[len(topics) % len(base)])
    return topics


def _competence(rng: random.Random, org: _Org, topic: Topic, number: int) -> Row:
    """One competence in provider wording; the hot path of large samples, hence the
    index arithmetic on `rng.random()` instead of `choice`/`sample`."""
    rand = rng.random
    kind = org.kind
    research = kind in RESEARCH_KINDS
    transfer = research and topic.id in TRANSFER_TOPICS
    if rand() < (0.2 if research else 0.03):
        e1, e2, e3 = _three(rand, topic.phrases_en)
        ctx = _pick(rand, CONTEXTS_EN[topic.group])
        lines = TRANSFER_LINES_EN if transfer else RESEARCH_LINES_EN if research else FIRM_LINES_EN
        values = {
            "e1": e1,
            "e2": e2,
            "e3": e3,
            "e12": _and(e1, e2, "and"),
            "E1": _cap(e1),
            "ctx": ctx,
            "label": topic.label_en,
        }
        sentences = [_pick(rand, lines).format_map(values)]
        if research and not transfer and rand() < 0.7:
            sentences.append(_pick(rand, RESEARCH_CLOSERS_EN))
        titles = _TITLES_EN["research" if research and not transfer else "other"]
        lang = "en"
    else:
        p1, p2, p3 = _three(rand, topic.phrases_de)
        ctx = _pick(rand, CONTEXTS_DE[topic.group])
        values = {
            "p1": p1,
            "p2": p2,
            "p3": p3,
            "p12": _and(p1, p2),
            "P1": _cap(p1),
            "ctx": ctx,
            "label": topic.label_de,
            "years": str(5 + int(rand() * 36)),
            "city": org.place.municipality,
            "projects": str(30 + 10 * int(rand() * 28)),
        }
        if transfer:
            lines, closers, titles = TRANSFER_LINES_DE, TRANSFER_CLOSERS_DE, _TITLES_DE["transfer"]
        elif research:
            lines, closers, titles = RESEARCH_LINES_DE, RESEARCH_CLOSERS_DE, _TITLES_DE["research"]
        elif kind in ("chamber", "agency"):
            lines, closers, titles = (
                PUBLIC_LINES_DE,
                FIRM_CLOSERS_DE["public"],
                _TITLES_DE["public"],
            )
        else:
            lines, closers, titles = FIRM_LINES_DE, FIRM_CLOSERS_DE[kind], _TITLES_DE["firm"]
        first = _pick(rand, lines)
        sentences = [first.format_map(values)]
        if rand() < 0.4:
            second = _pick(rand, lines)
            if second != first:
                sentences.append(second.format_map(values))
        if rand() < 0.7:
            sentences.append(_pick(rand, closers).format_map(values))
        lang = "de"
    return {
        "key": f"comp-{org.key}-{number}",
        "owner_key": org.key,
        "title": _pick(rand, titles).format_map(values),
        "text": " ".join(sentences),
        "lang": lang,
        "topic": topic.id,
    }


def _need_rows(plan: _Plan, spec: SampleSpec, seed: int) -> list[Row]:
    rng = _rng(seed, "needs")
    total = spec.open_needs + spec.other_needs
    if total == 0 or not plan.orgs:
        return []
    others = _Weighted((("in_progress", 45), ("solved", 35), ("closed", 20)))
    statuses = ["open"] * spec.open_needs + [others.pick(rng) for _ in range(spec.other_needs)]
    rng.shuffle(statuses)
    requesters = _Weighted(
        (kind, weight)
        for kind, weight in (("company", 85), ("craft_business", 10), ("service_provider", 5))
        if plan.by_kind.get(kind)
    )
    visibility = _Weighted((("public", 50), ("anonymous", 35), ("confidential", 15)))
    need_topics = _Weighted((t.id, 0.5 if t.group == "business" else 1.0) for t in TOPICS)
    reference = load_reference()
    industry_names = {i["code"]: i["name"] for i in reference.industries}
    trade_names = {t["code"]: t["name"] for t in reference.trades}
    width = max(4, len(str(total)))
    rows: list[Row] = []
    for number, status in enumerate(statuses, 1):
        if requesters.items:
            org = plan.orgs[rng.choice(plan.by_kind[requesters.pick(rng)])]
        else:
            org = rng.choice(plan.orgs)
        topic = TOPIC_BY_ID[_need_topic(rng, org, need_topics)]
        first = dt.date(2025, 6, 1) if status == "open" else dt.date(2025, 1, 2)
        last = dt.date(2026, 11, 20) if status == "open" else dt.date(2026, 9, 30)
        created = first + dt.timedelta(days=rng.randint(0, (last - first).days))
        shown = visibility.pick(rng)
        title, text, lang = _need_text(rng, org, topic, shown, industry_names, trade_names)
        rows.append(
            {
                "key": f"need-{number:0{width}d}",
                "org_key": org.key,
                "title": title,
                "text": text,
                "lang": lang,
                "status": status,
                "visibility": shown,
                "created_at": created.isoformat(),
                "topic": topic.id,
            }
        )
    return rows


def _need_topic(rng: random.Random, org: _Org, weights: _Weighted) -> str:
    """A topic the organisation does not offer itself, often a neighbour of what it does."""
    own = set(org.topics)
    neighbours = sorted({r for t in org.topics for r in TOPIC_BY_ID[t].related} - own)
    if neighbours and rng.random() < 0.55:
        return rng.choice(neighbours)
    for _attempt in range(20):
        choice: str = weights.pick(rng)
        if choice not in own:
            return choice
    return choice


def _context_de(
    rng: random.Random, org: _Org, industry_names: dict[str, str], trade_names: dict[str, str]
) -> str:
    city, employees = org.place.municipality, org.employees or 1
    if org.kind == "craft_business" and org.trades:
        return (
            f"Wir sind ein Handwerksbetrieb ({trade_names.get(org.trades[0], 'Handwerk')}) aus "
            f"{city} mit {employees} Beschäftigten."
        )
    if org.kind != "company":
        return f"Wir sind ein Dienstleister aus {city} mit {employees} Beschäftigten."
    size = "kleines" if employees < 20 else "mittelständisches" if employees < 500 else "größeres"
    branch = industry_names.get(org.industries[0], "Industrie") if org.industries else "Industrie"
    return rng.choice(
        (
            f"Wir sind ein {size} Unternehmen aus {city} mit rund {employees} Beschäftigten.",
            f"Kurz zu uns: {branch}, {employees} Mitarbeitende, Standort {city}.",
            f"Unser Familienunternehmen in {city} beschäftigt etwa {employees} Personen.",
        )
    )


def _need_text(
    rng: random.Random,
    org: _Org,
    topic: Topic,
    visibility: str,
    industry_names: dict[str, str],
    trade_names: dict[str, str],
) -> tuple[str, str, str]:
    """Title, text and language of a need, worded as the company would (10% English,
    5% German with English terms)."""
    roll = rng.random()
    city = org.place.municipality
    month = rng.randint(1, 12)
    year = rng.choice((2026, 2027))
    if roll < 0.10:
        employees = org.employees or 1
        size = "small" if employees < 20 else "medium-sized" if employees < 500 else "larger"
        problem = rng.choice(topic.problems_en)
        e = rng.choice(topic.phrases_en)
        parts = []
        if rng.random() < 0.7:
            parts.append(f"We are a {size} company based in {city} with about {employees} staff.")
        parts += [problem, rng.choice(NEED_ASK_EN).format(e=e)]
        if rng.random() < 0.4:
            parts.append(rng.choice(NEED_EXTRA_EN).format(month=MONTHS_EN[month - 1], year=year))
        titles = [t.format(label=topic.label_en, e=e) for t in NEED_TITLES_EN]
        if len(problem) <= 90:
            titles.append(problem.rstrip("."))
        return rng.choice(titles), " ".join(parts), "en"
    problem = rng.choice(topic.problems_de)
    p = rng.choice(topic.phrases_de)
    parts = []
    if rng.random() < 0.7:
        parts.append(_context_de(rng, org, industry_names, trade_names))
    parts.append(problem)
    mixed = roll < 0.15
    if mixed:
        e = rng.choice(topic.phrases_en)
        parts.append(f"Wir suchen Expertise in {e} ({p}).")
    elif rng.random() < 0.6:
        parts.append(rng.choice(NEED_ASK_DE).format(p=p))
    else:
        parts.append(rng.choice(NEED_ASK_PLAIN_DE))
    if rng.random() < 0.5:
        parts.append(
            rng.choice(NEED_EXTRA_DE).format(month=MONTHS_DE[month - 1], year=year, city=city)
        )
    if visibility == "confidential" and rng.random() < 0.5:
        parts.append("Bitte vertraulich behandeln.")
    titles = [t.format(p=p, label=topic.label_de) for t in NEED_TITLES_DE]
    if len(problem) <= 90:
        titles += [problem.rstrip(".?"), problem.rstrip(".?")]
    title = rng.choice(titles)
    if mixed and rng.random() < 0.5:
        title = f"Looking for {rng.choice(topic.phrases_en)}"
    return title, " ".join(parts), "de"


def _projects(plan: _Plan, spec: SampleSpec, seed: int) -> tuple[list[Row], list[Row]]:
    rng = _rng(seed, "projects")
    if spec.projects == 0 or not plan.orgs:
        return [], []
    with_research = [t for t in TOPICS if plan.research[t.id] and t.id not in TRANSFER_TOPICS]
    topics = with_research or [t for t in TOPICS if plan.providers[t.id]] or list(TOPICS)
    firms = [i for kind in FIRM_KINDS for i in plan.by_kind.get(kind, [])]
    width = max(4, len(str(spec.projects)))
    projects: list[Row] = []
    participations: list[Row] = []
    for number in range(1, spec.projects + 1):
        topic = rng.choice(topics)
        key = f"proj-{number:0{width}d}"
        # Partners offer the topic or a neighbour of it: draw a topic, then one of its
        # providers (no unions of provider lists, which are long in large samples).
        neighbourhood = [topic.id, *topic.related]
        research = [plan.research[t] for t in neighbourhood if plan.research[t]]
        offering = [plan.firms[t] for t in neighbourhood if plan.firms[t]] or [
            firms or list(range(len(plan.orgs)))
        ]
        members: list[int] = []
        for draw in range(rng.randint(1, 3) if research else 0):
            candidate = rng.choice(research[0] if draw == 0 else rng.choice(research))
            if candidate not in members:
                members.append(candidate)
        for _draw in range(rng.randint(2, 4)):
            candidate = rng.choice(rng.choice(offering))
            if candidate not in members:
                members.append(candidate)
        coordinator = members[0] if rng.random() < 0.7 else rng.choice(members)
        for index in members:
            participations.append(
                {
                    "org_key": plan.orgs[index].key,
                    "project_key": key,
                    "role": "coordinator" if index == coordinator else "participant",
                }
            )
        start = dt.date(rng.randint(2021, 2026), rng.randint(1, 12), 1)
        if start > dt.date(2026, 6, 1):
            start = dt.date(2026, rng.randint(1, 6), 1)
        months = rng.choice((12, 18, 24, 24, 30, 36, 36, 48))
        end_month = start.month - 1 + months
        end = dt.date(start.year + end_month // 12, end_month % 12 + 1, 1) - dt.timedelta(days=1)
        acronym = (
            rng.choice(ACRONYM_PREFIXES)
            + re.sub(r"[^A-Za-z0-9]", "", topic.label_en.split()[0]).capitalize()
            + rng.choice(ACRONYM_SUFFIXES)
        )
        if rng.random() < 0.2:
            e1, e2, _e3 = _three(rng.random, topic.phrases_en)
            ctx = rng.choice(CONTEXTS_EN[topic.group])
            title = f"{acronym} – {_cap(e1)} for {ctx}"
            text = rng.choice(PROJECT_TEXTS_EN).format(e1=e1, e12=_and(e1, e2, "and"), ctx=ctx)
            lang = "en"
        else:
            p1, p2, _p3 = _three(rng.random, topic.phrases_de)
            ctx = rng.choice(CONTEXTS_DE[topic.group])
            title = rng.choice(
                (
                    f"{acronym} – {topic.label_de} für {ctx}",
                    f"{acronym} – {_cap(p1)} im Mittelstand",
                    f"{acronym} – Neue Verfahren: {p1}",
                )
            )
            text = rng.choice(PROJECT_TEXTS_DE).format(p1=p1, p2=p2, p12=_and(p1, p2), ctx=ctx)
            lang = "de"
        projects.append(
            {
                "key": key,
                "title": title,
                "text": text,
                "lang": lang,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "funding": rng.choice(FUNDING),
                "topic": topic.id,
            }
        )
    return projects, participations


def _events(plan: _Plan, spec: SampleSpec, seed: int) -> tuple[list[Row], list[Row]]:
    rng = _rng(seed, "events")
    if spec.events == 0 or not plan.orgs:
        return [], []
    hosts = plan.by_kind.get("chamber", []) + plan.by_kind.get("agency", [])
    research = [i for kind in RESEARCH_KINDS for i in plan.by_kind.get(kind, [])]
    everyone = list(range(len(plan.orgs)))
    companies = plan.by_kind.get("company", [])
    cities = ("Dortmund", "Bochum", "Hagen", "Herne", "Witten", "Hattingen", "Schwelm")
    width = max(3, len(str(spec.events)))
    events: list[Row] = []
    attendances: list[Row] = []
    for number in range(1, spec.events + 1):
        kind = EVENT_KINDS[(number - 1) % len(EVENT_KINDS)]
        topic = rng.choice(TOPICS)
        year = rng.choice((2025, 2026))
        date = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        group_de = GROUPS[topic.group][0]
        if kind == "Messe":
            fair, month, groups = rng.choice(FAIRS)
            topic = rng.choice([t for t in TOPICS if t.group in groups])
            date = dt.date(year, month, rng.randint(5, 25))
            name = f"Gemeinschaftsstand Ruhr auf der {fair} {year}"
        elif kind == "Netzwerktreffen":
            name = rng.choice(
                (
                    f"Netzwerktreffen {group_de} {rng.choice(cities)} {year}",
                    f"Handwerk trifft Hochschule: {topic.label_de}",
                    f"Unternehmerfrühstück {rng.choice(cities)}: {topic.label_de}",
                )
            )
        elif kind == "Workshop":
            name = rng.choice((f"Workshop: {topic.label_de}", f"Praxisworkshop {topic.label_de}"))
        elif kind == "Konferenz":
            name = f"Transferforum Ruhr {year}: {group_de}"
        elif kind == "Webinar":
            name = f"Webinar: {topic.label_de} kompakt"
        else:
            host = plan.orgs[rng.choice(companies)] if companies else rng.choice(plan.orgs)
            name = f"Unternehmensbesuch bei {host.name}"
        if date.weekday() >= 5:  # network events take place on working days
            date += dt.timedelta(days=7 - date.weekday())
        key = f"evt-{number:0{width}d}"
        events.append(
            {"key": key, "name": name, "date": date.isoformat(), "kind": kind, "topic": topic.id}
        )
        neighbourhood = [topic.id, *topic.related]
        interested = [plan.providers[t] for t in neighbourhood if plan.providers[t]]
        guests: set[int] = set()
        size = min(len(everyone), rng.randint(12, 60))
        if hosts:
            guests.update(rng.sample(hosts, min(len(hosts), rng.randint(1, 2))))
        if research:
            guests.update(rng.sample(research, min(len(research), rng.randint(1, 3))))
        while len(guests) < size:
            pool = rng.choice(interested) if interested and rng.random() < 0.6 else everyone
            guests.add(rng.choice(pool))
        attendances.extend({"org_key": plan.orgs[i].key, "event_key": key} for i in sorted(guests))
    return events, attendances


def _people(plan: _Plan, spec: SampleSpec, seed: int) -> list[Row]:
    rng = _rng(seed, "people")
    emails: set[str] = set()
    drafts: list[tuple[str, str, str, str, str]] = []
    for org in plan.orgs:
        for title, role in _contacts(rng, org, spec.contact_share):
            female = rng.random() < 0.45
            first = rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M)
            last = rng.choice(SURNAMES)
            domain = "example.org" if not org.fictional or org.kind in RESEARCH_KINDS else None
            local = f"{_ascii(first)}.{_ascii(last)}"
            address = f"{local}@{domain or 'example.com'}"
            suffix = 2
            while address in emails:
                address = f"{local}{suffix}@{domain or 'example.com'}"
                suffix += 1
            emails.add(address)
            drafts.append(
                (f"{first} {last}", title, role[1] if female else role[0], address, org.key)
            )
    width = max(4, len(str(len(drafts))))
    return [
        {
            "key": f"person-{number:0{width}d}",
            "name": name,
            "title": title,
            "role": role,
            "email": email,
            "org_key": org_key,
        }
        for number, (name, title, role, email, org_key) in enumerate(drafts, 1)
    ]


def _contacts(rng: random.Random, org: _Org, share: float) -> list[tuple[str, tuple[str, str]]]:
    """(academic title, (male role, female role)) of the contacts an organisation gets."""
    professor = rng.choice(("Prof. Dr.-Ing.", "Prof. Dr."))
    staff = rng.choice(("M.Sc.", "Dr.-Ing.", "Dr.", "Dipl.-Ing.", ""))
    if org.kind == "research_group":
        head = ("Lehrstuhlinhaber", "Lehrstuhlinhaberin")
        if org.fictional:
            return [(professor, ("Leiter der Arbeitsgruppe", "Leiterin der Arbeitsgruppe"))]
        return [
            (professor, head),
            (staff, ("Wissenschaftlicher Mitarbeiter", "Wissenschaftliche Mitarbeiterin")),
        ]
    if org.kind == "institute":
        if org.parent_key:
            return [(staff, ("Transferbeauftragter", "Transferbeauftragte"))]
        return [
            (staff, ("Leiter Business Development", "Leiterin Business Development")),
            (staff, ("Wissenschaftlicher Mitarbeiter", "Wissenschaftliche Mitarbeiterin")),
        ]
    if org.kind == "university":
        return [
            ("", ("Referent Technologietransfer", "Referentin Technologietransfer")),
            (staff, ("Gründungsberater", "Gründungsberaterin")),
        ]
    if org.kind == "chamber":
        return [
            ("", ("Innovationsberater", "Innovationsberaterin")),
            (rng.choice(("", "Dipl.-Ing.")), ("Technologieberater", "Technologieberaterin")),
            ("", ("Ausbildungsberater", "Ausbildungsberaterin")),
        ]
    if org.kind == "agency":
        return [
            ("", ("Unternehmensservice", "Unternehmensservice")),
            ("", ("Innovationsmanager", "Innovationsmanagerin")),
        ]
    if rng.random() >= share:
        return []
    roles = {
        "company": (
            ("Geschäftsführer", "Geschäftsführerin"),
            ("Leiter Technik", "Leiterin Technik"),
            ("Leiter Entwicklung", "Leiterin Entwicklung"),
            ("Einkaufsleiter", "Einkaufsleiterin"),
        ),
        "craft_business": (("Inhaber", "Inhaberin"), ("Betriebsleiter", "Betriebsleiterin")),
        "service_provider": (("Geschäftsführer", "Geschäftsführerin"), ("Berater", "Beraterin")),
    }[org.kind]
    count = 2 if rng.random() < 0.05 else 1
    title = rng.choice(("", "", "", "Dipl.-Ing.", "Dr.-Ing.", "M.Sc."))
    if org.kind == "craft_business":
        title = ""
    return [(title, rng.choice(roles)) for _ in range(count)]


# --- public interface ---------------------------------------------------------------------------


def iter_dataset(spec: SampleSpec, seed: int = 7) -> dict[str, Iterable[Row]]:
    """Entity -> rows, with organisations and competences as lazy iterators (streaming)."""
    plan = _plan(spec, seed)
    projects, participations = _projects(plan, spec, seed)
    events, attendances = _events(plan, spec, seed)
    return {
        "organizations": _organization_rows(plan, seed),
        "people": _people(plan, spec, seed),
        "competences": _competence_rows(plan, spec, seed),
        "needs": _need_rows(plan, spec, seed),
        "projects": projects,
        "participations": participations,
        "events": events,
        "attendances": attendances,
    }


def generate(spec: SampleSpec, seed: int = 7) -> dict[str, list[Row]]:
    """The whole sample in memory: entity -> rows of strings ('' for empty)."""
    return {entity: list(rows) for entity, rows in iter_dataset(spec, seed).items()}


def write_folder(dataset: Mapping[str, Iterable[Mapping[str, str]]], out: Path) -> dict[str, int]:
    """Write `<entity>.csv` files (UTF-8, ';', header of canonical names); rows per file."""
    out.mkdir(parents=True, exist_ok=True)
    counts: dict[str, int] = {}
    for entity, columns in ENTITY_COLUMNS.items():
        if entity not in dataset:
            continue
        values = itemgetter(*columns)
        count = 0
        with (out / f"{entity}.csv").open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\n")
            writer.writerow(columns)
            for row in dataset[entity]:
                writer.writerow(values(row))
                count += 1
        counts[entity] = count
    return counts


def write_scaled(spec: SampleSpec, out: Path, seed: int = 7) -> dict[str, int]:
    """Generate and write in one pass, without holding organisations or competences in
    memory; the files are identical to `write_folder(generate(spec, seed), out)`."""
    return write_folder(iter_dataset(spec, seed), out)


def main(argv: Sequence[str] | None = None) -> None:
    """`python -m sample.generator OUT [--orgs N] [--competences K] [--seed S]`."""
    import argparse
    import time

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--orgs", type=int, help="scaled sample with this many organisations")
    parser.add_argument("--competences", type=int, help="competences per organisation")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if args.orgs:
        spec = SampleSpec.scaled(args.orgs, args.competences)
    else:
        spec = replace(SampleSpec.network(), competences_per_org=args.competences)
    started = time.perf_counter()
    counts = write_scaled(spec, args.out, args.seed)
    elapsed = time.perf_counter() - started
    for entity, count in counts.items():
        size = (args.out / f"{entity}.csv").stat().st_size
        print(f"{entity:15} {count:>10,} rows {size / 2**20:>9.1f} MiB")
    print(f"written to {args.out} in {elapsed:.1f} s")


if __name__ == "__main__":
    main()
