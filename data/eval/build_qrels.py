"""Derive the graded judgements (`qrels.tsv`) of the judged set from a canonical folder.

Why a rule and not a person: the network sample has 3,575 organisations, so nobody can judge
every candidate of some 200 queries by hand, and judgements written by hand would silently go stale
whenever the generator changes. The sample knows the truth instead: the generator files every
competence and project under the catalogue topic it was written from (the `topic` column, which
the ingest ignores). The queries name the topics they are about, so who is relevant follows
from the data by the rule below, and anyone can re-derive it.

The rule, per query (topics T, related topics R = union of `related` of each topic in T in
`sample.topics`):

- grade 2: the organisation has a competence filed under a topic in T;
- grade 1: otherwise, it has a competence filed under a topic in R, or it took part in a project
  filed under a topic in T (it has worked on the subject, but does not offer it);
- queries tagged `research` ask for a university, institute or chair: other organisations that
  offer a topic in T get grade 1 (a useful, not the asked-for, answer), other organisations
  with only a neighbouring topic get none;
- `kinds` (when given) is a hard filter: organisations of other kinds get no judgement;
- `near` + `radius_km` (when given) is a hard filter: organisations farther than `radius_km`
  (haversine distance between the organisation's lat/lon, or the centroid of its postcode from
  data/reference/postcodes.csv when the row has none, and the centroid of `near`) get no
  judgement, nor do organisations whose place is unknown.

A competence owned by a person counts for the person's organisation. Unjudged means
irrelevant (grade 0), as usual for qrels.

The split of the queries (`split` in queries.jsonl) follows a rule too, so that nobody picks the
easy queries for the test split: `expected_splits` below; the test checks the file against it.

Usage, from the repository root:

    .venv/bin/python data/eval/build_qrels.py                   # sample (seed 7) -> qrels.tsv
    .venv/bin/python data/eval/build_qrels.py --data DIR        # any canonical folder
    .venv/bin/python data/eval/build_qrels.py --check           # committed file up to date?
    .venv/bin/python data/eval/build_qrels.py --report          # grade counts per query

Only the standard library and the repository's own modules (reading, validation, reference
data, topic catalogue, generator) are used.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
if str(ROOT) not in sys.path:  # run as a script from anywhere: the repo's modules come first
    sys.path.insert(0, str(ROOT))

from ingest.records import (  # noqa: E402 - after the path set-up above
    CompetenceRecord,
    OrgKind,
    ParticipationRecord,
    PersonRecord,
    ProjectRecord,
    Record,
    column_map,
    header_name,
)
from ingest.reference import ReferenceData, load_reference  # noqa: E402
from ingest.sources import collect  # noqa: E402
from ingest.validate import validate_table  # noqa: E402
from sample.topics import TOPIC_BY_ID  # noqa: E402

QUERIES = HERE / "queries.jsonl"
QRELS = HERE / "qrels.tsv"

LANGS = ("de", "en", "mixed")
TAGS = ("cross_lingual", "craft", "nearby", "paraphrase", "research", "workflow")
KINDS = tuple(kind.value for kind in OrgKind)
RESEARCH_KINDS = frozenset(("university", "institute", "research_group"))
# The column the generator writes the topic id into (header names are folded like the ingest's).
TOPIC_HEADERS = frozenset(("topic", "topic_id"))
# Split rule: the stratum of a query is its first tag in this order (rarest tag first, "plain"
# without tags) together with its language; within a stratum, in id order, positions 0 and 2 of
# every five go to dev (40 %, a little more in strata whose size is not a multiple of five).
SPLIT_PRIORITY = ("research", "paraphrase", "cross_lingual", "craft", "nearby")
DEV_POSITIONS = frozenset((0, 2))
EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True)
class Query:
    """One line of queries.jsonl."""

    id: str
    text: str
    lang: str
    tags: tuple[str, ...]
    topics: tuple[str, ...]
    near: str | None
    radius_km: float | None
    kinds: tuple[str, ...] | None
    split: str


@dataclass(frozen=True)
class Place:
    """Degrees; an organisation's own coordinates or its postcode's centroid."""

    lat: float
    lon: float


@dataclass
class Org:
    """What the rule needs of an organisation: kind, place, topics offered and worked on."""

    key: str
    kind: str
    place: Place | None
    offers: set[str] = field(default_factory=set)
    worked_on: set[str] = field(default_factory=set)


class DataError(ValueError):
    """The folder or the queries cannot be judged (missing topic column, unknown postcode...)."""


# --- queries ----------------------------------------------------------------------------------


def load_queries(path: Path = QUERIES) -> list[Query]:
    """Read and check queries.jsonl; mistakes in the hand-written file fail loudly here."""
    queries: list[Query] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}:{number}"
        raw = json.loads(line)
        expected = {"id", "text", "lang", "tags", "topics", "near", "radius_km", "kinds", "split"}
        if set(raw) != expected:
            raise DataError(f"{where}: fields {sorted(raw)}, expected {sorted(expected)}")
        query = Query(
            id=raw["id"],
            text=raw["text"],
            lang=raw["lang"],
            tags=tuple(raw["tags"]),
            topics=tuple(raw["topics"]),
            near=raw["near"],
            radius_km=None if raw["radius_km"] is None else float(raw["radius_km"]),
            kinds=None if raw["kinds"] is None else tuple(raw["kinds"]),
            split=raw["split"],
        )
        problems = [
            *(f"unknown topic {t!r}" for t in query.topics if t not in TOPIC_BY_ID),
            *(f"unknown tag {t!r}" for t in query.tags if t not in TAGS),
            *(f"unknown kind {k!r}" for k in query.kinds or () if k not in KINDS),
        ]
        if query.lang not in LANGS:
            problems.append(f"lang {query.lang!r} is not one of {LANGS}")
        if not 1 <= len(query.topics) <= 2:
            problems.append("a query is about one or two topics")
        if (query.near is None) != (query.radius_km is None):
            problems.append("near and radius_km go together")
        if ("nearby" in query.tags) != (query.near is not None):
            problems.append("near/radius_km are given exactly for queries tagged nearby")
        if query.split not in ("dev", "test"):
            problems.append(f"split {query.split!r} is not dev or test")
        if problems:
            raise DataError(f"{where} ({query.id}): " + "; ".join(problems))
        queries.append(query)
    ids = Counter(q.id for q in queries)
    duplicates = sorted(i for i, n in ids.items() if n > 1)
    if duplicates:
        raise DataError(f"{path.name}: duplicate ids {duplicates}")
    return queries


def stratum(query: Query) -> tuple[str, str]:
    """The group a query is split within: its first tag by SPLIT_PRIORITY (else "plain") and
    its language, so that both the case types and the languages are spread over the splits."""
    first = next((tag for tag in SPLIT_PRIORITY if tag in query.tags), "plain")
    return first, query.lang


def expected_splits(queries: Sequence[Query]) -> dict[str, str]:
    """Query id -> dev/test by the split rule (about 40 % dev in every stratum)."""
    groups: dict[tuple[str, str], list[Query]] = defaultdict(list)
    for query in queries:
        groups[stratum(query)].append(query)
    splits: dict[str, str] = {}
    for members in groups.values():
        for position, query in enumerate(sorted(members, key=lambda q: q.id)):
            splits[query.id] = "dev" if position % 5 in DEV_POSITIONS else "test"
    return splits


# --- the ground truth of a canonical folder ---------------------------------------------------


def _topic_column(header: Iterable[str]) -> str | None:
    """The header cell of the generator's topic column, however it is spelled or cased."""
    return next((cell for cell in header if header_name(cell) in TOPIC_HEADERS), None)


def _field_column(record_type: type[Record], header: list[str], name: str) -> str | None:
    """The header cell the ingest would read `name` from (so 'Inhaber' works as owner_key)."""
    return next((cell for cell, f in column_map(record_type, header).items() if f == name), None)


def load_truth(folder: Path, reference: ReferenceData | None = None) -> dict[str, Org]:
    """Organisations of a canonical folder with the topics they offer and have worked on.

    Read with the ingest's own readers and validation, so German headers, other delimiters
    and encodings work as in `partnergraph ingest`; organisation rows the ingest would reject
    are left out (and counted on stderr).
    """
    reference = reference or load_reference()
    tables = collect(folder).tables
    if "organizations" not in tables or "competences" not in tables:
        raise DataError(f"{folder}: organizations and competences are needed")
    validated = validate_table("organizations", tables["organizations"], reference.lookup())
    if validated.problems:
        print(
            f"warning: {len(validated.problems)} organisation rows are invalid and left out "
            f"(first: {validated.problems[0]})",
            file=sys.stderr,
        )
    orgs: dict[str, Org] = {}
    for _line, record in validated.records:
        place: Place | None = None
        if record.lat is not None and record.lon is not None:
            place = Place(record.lat, record.lon)
        else:
            postcode = reference.place(record.postcode, record.city)
            if postcode is not None:
                place = Place(postcode.lat, postcode.lon)
        orgs[record.key] = Org(key=record.key, kind=str(record.kind), place=place)

    person_org: dict[str, str] = {}
    if "people" in tables:
        table = tables["people"]
        key_col = _field_column(PersonRecord, table.header, "key")
        org_col = _field_column(PersonRecord, table.header, "org_key")
        if key_col and org_col:
            for row in table.rows:
                if row.cells.get(key_col) and row.cells.get(org_col):
                    person_org[row.cells[key_col]] = row.cells[org_col]

    table = tables["competences"]
    topic_col = _topic_column(table.header)
    owner_col = _field_column(CompetenceRecord, table.header, "owner_key")
    if topic_col is None or owner_col is None:
        raise DataError(f"{table.file}: needs the columns owner_key and topic")
    for row in table.rows:
        owner, topic = row.cells.get(owner_col), row.cells.get(topic_col)
        org = orgs.get(person_org.get(owner or "", owner or ""))
        if org is not None and topic:
            org.offers.add(topic)

    if "projects" in tables and "participations" in tables:
        projects, participations = tables["projects"], tables["participations"]
        project_topic_col = _topic_column(projects.header)
        project_key_col = _field_column(ProjectRecord, projects.header, "key")
        org_col = _field_column(ParticipationRecord, participations.header, "org_key")
        ref_col = _field_column(ParticipationRecord, participations.header, "project_key")
        if project_topic_col and project_key_col and org_col and ref_col:
            topic_of = {
                row.cells.get(project_key_col): row.cells.get(project_topic_col)
                for row in projects.rows
            }
            for row in participations.rows:
                org = orgs.get(row.cells.get(org_col) or "")
                topic = topic_of.get(row.cells.get(ref_col))
                if org is not None and topic:
                    org.worked_on.add(topic)
    return orgs


# --- the rule ---------------------------------------------------------------------------------


def haversine_km(a: Place, b: Place) -> float:
    """Great-circle distance; plenty precise for radii of a few kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def centre(postcode: str, reference: ReferenceData) -> Place:
    """The centroid of a query's `near` postcode; a postcode outside the table is a typo."""
    place = reference.place(postcode)
    if place is None:
        raise DataError(f"postcode {postcode} is not in data/reference/postcodes.csv")
    return Place(place.lat, place.lon)


def judge(query: Query, orgs: dict[str, Org], reference: ReferenceData) -> dict[str, int]:
    """Organisation key -> grade (1 or 2) for one query, by the rule in the module docstring."""
    topics = set(query.topics)
    related = {r for t in query.topics for r in TOPIC_BY_ID[t].related} - topics
    origin = centre(query.near, reference) if query.near else None
    grades: dict[str, int] = {}
    for key, org in orgs.items():
        if org.offers & topics:
            grade = 2
        elif org.offers & related or org.worked_on & topics:
            grade = 1
        else:
            continue
        if query.kinds is not None and org.kind not in query.kinds:
            continue
        if origin is not None and (
            org.place is None or haversine_km(origin, org.place) > (query.radius_km or 0.0)
        ):
            continue
        if "research" in query.tags and org.kind not in RESEARCH_KINDS:
            if grade < 2:
                continue  # a firm that merely offers a neighbouring topic: not what was asked
            grade = 1
        grades[key] = grade
    return grades


def build(
    queries: Sequence[Query], orgs: dict[str, Org], reference: ReferenceData
) -> dict[str, dict[str, int]]:
    """Query id -> its judgements; the whole derivation, without any file output."""
    return {query.id: judge(query, orgs, reference) for query in queries}


def qrels_text(queries: Sequence[Query], judged: dict[str, dict[str, int]]) -> str:
    """`query_id<TAB>org_key<TAB>grade` lines, no header: queries in file order, then grade 2
    before 1, then key, so that the file diffs well."""
    lines = []
    for query in queries:
        grades = judged[query.id]
        for key in sorted(grades, key=lambda k: (-grades[k], k)):
            lines.append(f"{query.id}\t{key}\t{grades[key]}")
    return "\n".join(lines) + "\n"


def read_qrels(path: Path = QRELS) -> dict[str, dict[str, int]]:
    """The committed file back as query id -> organisation key -> grade."""
    judged: dict[str, dict[str, int]] = defaultdict(dict)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            query_id, key, grade = line.split("\t")
            judged[query_id][key] = int(grade)
    return dict(judged)


def sample_folder(out: Path) -> Path:
    """The network sample (seed 7), the data the committed qrels are derived from."""
    from sample.generator import SampleSpec, write_scaled

    write_scaled(SampleSpec.network(), out, seed=7)
    return out


def report(queries: Sequence[Query], judged: dict[str, dict[str, int]]) -> str:
    """Grade counts per query, for whoever writes or edits queries: a query with no or hundreds
    of grade-2 organisations needs other topics, another radius or a kind filter."""
    lines = [f"{'id':6} {'g2':>4} {'g1':>4}  {'split':5} {'lang':5} tags / topics"]
    for q in queries:
        counts = Counter(judged[q.id].values())
        flag = "  <-- outside 3..60" if not 3 <= counts[2] <= 60 else ""
        lines.append(
            f"{q.id:6} {counts[2]:4} {counts[1]:4}  {q.split:5} {q.lang:5} "
            f"{','.join(q.tags) or '-'} / {','.join(q.topics)}{flag}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Check the split, derive the judgements, then write, check or report them."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="canonical folder (default: the sample)")
    parser.add_argument("--queries", type=Path, default=QUERIES)
    parser.add_argument("--out", type=Path, default=QRELS)
    parser.add_argument("--check", action="store_true", help="compare with --out, write nothing")
    parser.add_argument("--report", action="store_true", help="print grade counts per query")
    args = parser.parse_args(argv)

    queries = load_queries(args.queries)
    splits = expected_splits(queries)
    wrong = [q.id for q in queries if splits[q.id] != q.split]
    if wrong:
        print(f"split does not follow the rule for: {wrong}", file=sys.stderr)
        return 1
    reference = load_reference()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.data or sample_folder(Path(tmp))
        judged = build(queries, load_truth(folder, reference), reference)
    text = qrels_text(queries, judged)
    if args.report:
        print(report(queries, judged))
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date: run {Path(__file__).name}", file=sys.stderr)
            return 1
        print(f"{args.out} is up to date")
        return 0
    args.out.write_text(text, encoding="utf-8")
    empty = [q.id for q in queries if 2 not in judged[q.id].values()]
    print(
        f"{len(queries)} queries, {sum(len(g) for g in judged.values())} judgements "
        f"written to {args.out}" + (f"; no grade 2 for {empty}" if empty else "")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
