"""OpenAlex institutions and works as organizations and their competences.

Publications say what a research group can do, in its own words: each work of a regional
institution becomes a competence of that institution, matched later against companies' needs.
Input is the API/snapshot object format as JSON lines (`.jsonl`, or the snapshot's gzip parts),
a folder of such files (files whose path contains "institution" or "work", e.g.
`institutions.jsonl`, `works.jsonl.gz` or the snapshot's `data/works/updated_date=.../part_000.gz`),
or a single file; a saved API response page (`{"meta": ..., "results": [...]}`) works too.
Each record is an institution or a work by its id (`.../I123`, `.../W123`);
other entities (authors, sources, topics) are skipped.

Kinds come from the institution `type`, with the ROR mapping (see `ror.KIND_BY_TYPE`).
Keys: `openalex:<I-id>` for institutions, `openalex:<W-id>:<I-id>` for competences.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from partnergraph.errors import IngestError

from ..reading import RawRow, Table, clean_text
from .ror import also_known_as, join_description, kind_for_types, load_json_records, make_table
from .ror import ror_key as _ror_key

OPENALEX_PREFIX = "https://openalex.org/"
JSON_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson", ".json", ".json.gz", ".gz")
LANGUAGES = frozenset({"de", "en"})
MAX_THEMES = 12
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def read_openalex(path: Path, institution_ids: Collection[str] | None = None) -> dict[str, Table]:
    """Organizations from the institutions, competences from the works of those institutions.

    `institution_ids` (short 'I123', full URL or 'openalex:I123') names the institutions of
    interest; without it, they are the institutions in the input. A work becomes one competence
    per institution of interest among its authors' affiliations; works of none are skipped, as
    are works without a title (datasets and stubs, nothing to match against).
    """
    institutions: list[RawRow] = []
    works: list[RawRow] = []
    for file in openalex_files(path):
        for row in _unpaged(load_json_records(file)):
            kind = entity_letter(row)
            if kind == "I":
                institutions.append(row)
            elif kind == "W":
                works.append(row)
    institutions, works = _latest(institutions), _latest(works)
    if institution_ids is not None:
        wanted = {short_id(i) for i in institution_ids}
        institutions = [row for row in institutions if short_id(row.cells["id"]) in wanted]
    else:
        wanted = {short_id(row.cells["id"]) for row in institutions}

    known = {short_id(row.cells["id"]) for row in institutions}
    organizations = [
        RawRow(row.file, row.line, institution_cells(row.cells, known)) for row in institutions
    ]
    competences = [
        RawRow(row.file, row.line, cells)
        for row in works
        for cells in competence_cells(row.cells, wanted)
    ]
    folder = str(path)
    return {
        "organizations": make_table(
            "organizations", _common_file(institutions, folder), organizations
        ),
        "competences": make_table("competences", _common_file(works, folder), competences),
    }


def openalex_files(path: Path) -> list[Path]:
    """The JSON files to read: the file itself, or those of a folder about institutions/works."""
    if path.is_file():
        return [path]
    files = sorted(
        file
        for file in path.rglob("*")
        if file.is_file()
        and file.name.lower().endswith(JSON_SUFFIXES)
        and re.search(r"(?<![a-z])(institution|work)", str(file.relative_to(path)).lower())
    )
    if not files:
        raise IngestError(
            str(path),
            None,
            None,
            "no OpenAlex files found: expected files such as institutions.jsonl and "
            "works.jsonl (or .jsonl.gz)",
        )
    return files


def _unpaged(rows: Iterable[RawRow]) -> Iterable[RawRow]:
    """Records as they are, and the `results` of API response pages saved as they came
    (`{"meta": ..., "results": [...]}`), located at the page's line."""
    for row in rows:
        results = row.cells.get("results")
        if "meta" in row.cells and isinstance(results, list):
            yield from (RawRow(row.file, row.line, r) for r in results if isinstance(r, dict))
        else:
            yield row


def _latest(rows: list[RawRow]) -> list[RawRow]:
    """Each record once, in its most recent version (greatest `updated_date`).

    The snapshot can hold a record in several `updated_date=` partitions; a key given twice
    would fail validation for the whole table.
    """
    chosen: dict[str, RawRow] = {}
    for row in rows:
        ident = short_id(row.cells["id"])
        old = chosen.get(ident)
        if old is None or str(row.cells.get("updated_date") or "") > str(
            old.cells.get("updated_date") or ""
        ):
            chosen[ident] = row
    return list(chosen.values())


def _common_file(rows: list[RawRow], fallback: str) -> str:
    files = {row.file for row in rows}
    return files.pop() if len(files) == 1 else fallback


def entity_letter(row: RawRow) -> str | None:
    """'I' for an institution, 'W' for a work, another letter for other entities."""
    value = row.cells.get("id")
    if not isinstance(value, str) or not value.strip():
        raise IngestError(row.file, row.line, "id", "the record has no OpenAlex id")
    short = short_id(value)
    if not re.fullmatch(r"[A-Za-z]\d+", short):
        raise IngestError(
            row.file,
            row.line,
            "id",
            f"{value[:60]!r} is not an OpenAlex id (https://openalex.org/I... or W...)",
        )
    return short[0].upper()


def short_id(value: str) -> str:
    """'https://openalex.org/I200332995' or 'openalex:I200332995' -> 'I200332995'."""
    text = str(value).strip()
    for prefix in (OPENALEX_PREFIX, "http://openalex.org/", "openalex:"):
        text = text.removeprefix(prefix)
    return text[:1].upper() + text[1:]


# --- institutions ----------------------------------------------------------------------------


def institution_cells(record: dict[str, Any], known: set[str]) -> dict[str, Any]:
    """One institution as canonical organization cells (`same_as` names its ROR record).

    A parent institution that is loaded too becomes `parent_key`; otherwise it is named in the
    description, since a key the load does not contain would fail the reference check.
    """
    ident = short_id(record["id"])
    name = _text(record.get("display_name"))
    geo = record.get("geo")
    geo = geo if isinstance(geo, dict) else {}
    parent_id, parent_name = _parent(record)
    others = also_known_as(
        [
            *(record.get("display_name_acronyms") or []),
            *(record.get("display_name_alternatives") or []),
        ],
        name,
    )
    part_of = None
    if parent_id and parent_id not in known:
        part_of = f"Teil von: {parent_name or parent_id} (openalex:{parent_id})"
    return {
        "key": f"openalex:{ident}",
        "name": name,
        "kind": kind_for_types([record.get("type") or ""]),
        "description": join_description([others, part_of]),
        "city": _text(geo.get("city")),
        "country": _text(geo.get("country_code") or record.get("country_code")),
        "lat": geo.get("latitude"),
        "lon": geo.get("longitude"),
        "website": _text(record.get("homepage_url")),
        "parent_key": f"openalex:{parent_id}" if parent_id in known else None,
        "source": "openalex",
        "source_id": ident,
        "same_as": _ror_key(record.get("ror") or (record.get("ids") or {}).get("ror")),
    }


def _parent(record: dict[str, Any]) -> tuple[str | None, str | None]:
    for other in record.get("associated_institutions") or []:
        if isinstance(other, dict) and other.get("relationship") == "parent" and other.get("id"):
            return short_id(other["id"]), _text(other.get("display_name"))
    return None, None


# --- works -----------------------------------------------------------------------------------


def competence_cells(record: dict[str, Any], institutions: set[str]) -> list[dict[str, Any]]:
    """One competence per institution of interest among the work's affiliations."""
    title = work_title(record)
    owners = [i for i in _affiliations(record) if i in institutions]
    if not title or not owners:
        return []
    work = short_id(record["id"])
    themes = work_themes(record)
    text = clean_text(
        "\n".join(
            part
            for part in (
                abstract_from_inverted_index(record.get("abstract_inverted_index")),
                "Themen: " + ", ".join(themes) if themes else "",
            )
            if part
        )
    )
    language = str(record.get("language") or "").lower()
    return [
        {
            "key": f"openalex:{work}:{owner}",
            "owner_key": f"openalex:{owner}",
            "title": title,
            "text": text,
            "lang": language if language in LANGUAGES else None,
            "source": "openalex",
        }
        for owner in owners
    ]


def _affiliations(record: dict[str, Any]) -> list[str]:
    """Institution ids of all authorships, each once, in author order."""
    seen: dict[str, None] = {}
    for authorship in record.get("authorships") or []:
        if not isinstance(authorship, dict):
            continue
        for institution in authorship.get("institutions") or []:
            if isinstance(institution, dict) and institution.get("id"):
                seen.setdefault(short_id(institution["id"]), None)
    return list(seen)


def work_title(record: dict[str, Any]) -> str | None:
    """The title without the HTML markup OpenAlex keeps from publishers (<i>in situ</i>)."""
    title = record.get("title") or record.get("display_name")
    return clean_text(_TAG.sub("", str(title))) if title else None


def abstract_from_inverted_index(index: dict[str, list[int]] | None) -> str:
    """The abstract text from OpenAlex' inverted index {word: [positions]}, words in order.

    OpenAlex ships abstracts only in this form (for licensing reasons); a missing index gives ''.
    """
    if not index:
        return ""
    placed = sorted(
        (position, word)
        for word, positions in index.items()
        for position in positions or []
        if isinstance(position, int)
    )
    return " ".join(word for _, word in placed)


def work_themes(record: dict[str, Any]) -> list[str]:
    """Topic names (primary first), their subfields and the keywords; concepts when none.

    Concepts are the older, coarser classification: only a fallback for records without topics.
    """
    topics = [record.get("primary_topic"), *(record.get("topics") or [])]
    names = [_name(t) for t in topics]
    names += [_name(t.get("subfield")) for t in topics if isinstance(t, dict)]
    names += [_name(k) for k in record.get("keywords") or []]
    if not any(names):
        names = [_name(c) for c in record.get("concepts") or []]
    return _unique(n for n in names if n)[:MAX_THEMES]


def _name(item: Any) -> str | None:
    return _text(item.get("display_name")) if isinstance(item, dict) else None


def _unique(values: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for value in values:
        seen.setdefault(value.casefold(), value)
    return list(seen.values())


def _text(value: Any) -> str | None:
    return clean_text(str(value)) if value is not None else None
