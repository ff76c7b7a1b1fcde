"""ROR (Research Organization Registry) records, schema v2, as organizations.

ROR gives universities and institutes a stable id, official names in several languages, a
location and parent/child relations; it is the hub that CORDIS and OpenAlex records are tied to.
The data dump (Zenodo, `vX.Y-YYYY-MM-DD-ror-data_schema_v2.json`, also inside the dump's zip)
is one JSON array of records; the API answers with single records; JSON lines are accepted too.

Kinds from ROR types (`KIND_BY_TYPE`; a record may have several, the first in this order wins,
so a university that is also a funder stays a university):

    education -> university      company -> company        facility -> institute
    healthcare -> institute      government -> agency      nonprofit -> institute
    funder -> agency             archive -> institute      other -> institute

Nonprofit, archive and other become institutes because in this network they are almost always
research organisations (Fraunhofer, Max Planck, Leibniz, foundations that run labs); a record
without types is an institute for the same reason. OpenAlex uses the same vocabulary and
reuses this mapping and the JSON reading here.
"""

from __future__ import annotations

import gzip
import json
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from graph.model import OrgKind
from partnergraph.errors import IngestError

from ..reading import (
    RawRow,
    Table,
    clean_text,
    clean_value,
    decode,
    jsonl_values,
    read_jsonl,
    shallow_json,
    too_deep,
)
from ..records import RECORD_BY_ENTITY

ROR_PREFIX = "https://ror.org/"

KIND_BY_TYPE: dict[str, OrgKind] = {
    "education": OrgKind.university,
    "company": OrgKind.company,
    "facility": OrgKind.institute,
    "healthcare": OrgKind.institute,
    "government": OrgKind.agency,
    "nonprofit": OrgKind.institute,
    "funder": OrgKind.agency,
    "archive": OrgKind.institute,
    "other": OrgKind.institute,
}
DEFAULT_KIND = OrgKind.institute
JSON_SUFFIXES = (".json", ".jsonl", ".ndjson", ".gz", ".zip")

_WHITESPACE = re.compile(r"\s*")


# --- reading JSON in the shapes the sources ship ------------------------------------------------


def read_json_text(path: Path) -> str:
    """The text of a .json/.jsonl file, gzip-compressed or not, or of the JSON inside a ROR zip.

    Decoded like every other input (UTF-8, with the same checks), so errors read the same.
    """
    file = str(path)
    name = path.name.lower()
    try:
        if name.endswith(".gz"):
            data = gzip.decompress(path.read_bytes())
        elif name.endswith(".zip"):
            data = _json_in_zip(path)
        else:
            data = path.read_bytes()
    except (OSError, EOFError, zipfile.BadZipFile) as error:
        raise IngestError(file, None, None, f"cannot read the file: {error}") from error
    return decode(data, file)[0]


def _json_in_zip(path: Path) -> bytes:
    """The ROR dump zip holds a v1 and a v2 JSON (and CSV); only the v2 JSON is read."""
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if n.lower().endswith((".json", ".jsonl"))]
        preferred = [n for n in names if "schema_v2" in n.lower()] or names
        if len(preferred) != 1:
            raise IngestError(
                str(path),
                None,
                None,
                "the zip must hold one JSON file (or one *_schema_v2.json); found "
                + (", ".join(names) or "none"),
            )
        return archive.read(preferred[0])


def load_json_records(path: Path) -> list[RawRow]:
    """Every record of a JSON array, a single JSON object or JSON lines, as a RawRow.

    Line numbers: for JSON lines the line; for an array or object spread over several lines the
    line where the record's `{` stands. A dump written on a single line would give line 1 for
    every record, so there `line` is the record's 1-based position in the array ("record N").
    """
    file = str(path)
    name = path.name.lower()
    if name.endswith((".jsonl", ".ndjson")):
        return read_jsonl(path).rows
    text = read_json_text(path)
    start = _skip(text, 0)
    if start == len(text):
        raise IngestError(file, 1, None, "the file is empty: JSON records are needed")
    if name.endswith((".jsonl.gz", ".ndjson.gz")):
        return _jsonl_rows(text, file)
    if text[start] == "[":
        return _array_rows(text, start, file)
    decoder = json.JSONDecoder()
    try:
        value, end = decoder.raw_decode(text, start)
    except json.JSONDecodeError as error:
        raise IngestError(file, error.lineno, None, f"not valid JSON: {error.msg}") from error
    except RecursionError as error:
        raise too_deep(file, _line_at(text, start)) from error
    shallow_json(value, file, _line_at(text, start))
    if _skip(text, end) < len(text):
        return _jsonl_rows(text, file)  # more objects follow: JSON lines
    return [_row(value, file, _line_at(text, start))]


def _jsonl_rows(text: str, file: str) -> list[RawRow]:
    return [_row(value, file, number) for number, value in jsonl_values(text, file)]


def _array_rows(text: str, start: int, file: str) -> list[RawRow]:
    """Walk the array record by record so each record's starting line is known."""
    decoder = json.JSONDecoder()
    one_line = "\n" not in text.strip()
    rows: list[RawRow] = []
    line, counted = 1, 0
    position = _skip(text, start + 1)
    if position < len(text) and text[position] == "]":
        return rows
    while True:
        line += text.count("\n", counted, position)
        counted = position
        try:
            value, end = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise IngestError(file, error.lineno, None, f"not valid JSON: {error.msg}") from error
        except RecursionError as error:
            raise too_deep(file, line) from error
        shallow_json(value, file, line)
        rows.append(_row(value, file, len(rows) + 1 if one_line else line))
        position = _skip(text, end)
        if position < len(text) and text[position] == ",":
            position = _skip(text, position + 1)
            continue
        if position < len(text) and text[position] == "]":
            break
        raise IngestError(
            file, _line_at(text, position), None, "not valid JSON: expected ',' or ']'"
        )
    if _skip(text, position + 1) < len(text):
        raise IngestError(
            file, _line_at(text, position + 1), None, "not valid JSON: text after the array"
        )
    return rows


def _row(value: Any, file: str, line: int) -> RawRow:
    if not isinstance(value, dict):
        raise IngestError(file, line, None, "each record must be a JSON object")
    return RawRow(file=file, line=line, cells={str(k): clean_value(v) for k, v in value.items()})


def _skip(text: str, position: int) -> int:
    return _WHITESPACE.match(text, position).end()  # type: ignore[union-attr]


def _line_at(text: str, position: int) -> int:
    return text.count("\n", 0, position) + 1


def make_table(entity: str, file: str, rows: list[RawRow]) -> Table:
    """A Table whose header is every cell name the rows use, in first-seen order.

    Without rows (nothing of the region in the export) the header is the record's fields, so
    the empty table validates as empty instead of as a file without its required columns.
    """
    header: dict[str, None] = {}
    for row in rows:
        header.update(dict.fromkeys(row.cells))
    if not header:
        header = dict.fromkeys(RECORD_BY_ENTITY[entity].model_fields)
    return Table(file=file, header=list(header), rows=rows)


# --- small pure helpers shared with OpenAlex ----------------------------------------------------


def kind_for_types(types: Iterable[str]) -> OrgKind:
    """The organisation kind for ROR/OpenAlex types (see the module docstring)."""
    present = {str(t).strip().lower() for t in types if t}
    for ror_type, kind in KIND_BY_TYPE.items():
        if ror_type in present:
            return kind
    return DEFAULT_KIND


def ror_key(ror_id: str | None) -> str | None:
    """'https://ror.org/01k97gp34' (or '01k97gp34') -> 'ror:01k97gp34'."""
    suffix = ror_suffix(ror_id)
    return f"ror:{suffix}" if suffix else None


def ror_suffix(ror_id: str | None) -> str | None:
    if not ror_id:
        return None
    text = str(ror_id).strip()
    for prefix in (ROR_PREFIX, "http://ror.org/", "ror.org/"):
        text = text.removeprefix(prefix)
    return text.strip("/") or None


def join_description(parts: Iterable[str | None]) -> str | None:
    """Description parts joined as sentences; None when there is nothing to say."""
    return clean_text(". ".join(p.rstrip(".") for p in parts if p))


def also_known_as(names: Iterable[str | None], main: str | None) -> str | None:
    """'Auch: A, B' for the other names an organisation goes by (for search and matching)."""
    seen = {(main or "").casefold()}
    others = []
    for name in names:
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            others.append(name)
    return "Auch: " + ", ".join(others) if others else None


# --- ROR records --------------------------------------------------------------------------------


def read_ror(path: Path) -> dict[str, Table]:
    """Active ROR records of a dump file, an API record, JSON lines or a folder of those, as
    organizations.

    Inactive and withdrawn records are skipped: they are history, not partners. A parent that is
    in the same file becomes `parent_key`; a parent that is not is named in the description,
    because a dangling key would make the whole file fail the reference check.
    """
    rows = [row for file in ror_files(path) for row in load_json_records(file)]
    for row in rows:
        _check_record(row)
    active = [row for row in rows if str(row.cells.get("status") or "active").lower() == "active"]
    known = {ror_key(row.cells["id"]) for row in active}
    organizations = [
        RawRow(file=row.file, line=row.line, cells=organization_cells(row.cells, known))
        for row in active
    ]
    return {"organizations": make_table("organizations", str(path), organizations)}


def ror_files(path: Path) -> list[Path]:
    """The file itself, or the JSON files (also .gz, .zip) directly in the folder."""
    if path.is_file():
        return [path]
    files = sorted(
        file
        for file in path.iterdir()
        if file.is_file() and file.name.lower().endswith(JSON_SUFFIXES)
    )
    if not files:
        raise IngestError(
            str(path), None, None, "no ROR files found: expected .json, .jsonl, .gz or .zip files"
        )
    return files


def _check_record(row: RawRow) -> None:
    """Structural checks only: a ROR id, and the v2 schema (v1 has `name`, not `names`)."""
    value = row.cells.get("id")
    if not isinstance(value, str) or not value.startswith(ROR_PREFIX):
        raise IngestError(
            row.file,
            row.line,
            "id",
            f"{str(value)[:60]!r} is not a ROR id (https://ror.org/...): is this a ROR file?",
        )
    if "names" not in row.cells and "name" in row.cells:
        raise IngestError(
            row.file,
            row.line,
            "names",
            "this is a ROR schema v1 record: read the dump's *_schema_v2.json file instead",
        )


def organization_cells(record: dict[str, Any], known: set[str | None]) -> dict[str, Any]:
    """One ROR v2 record as canonical organization cells."""
    names = [n for n in record.get("names") or [] if isinstance(n, dict)]
    name = _display_name(names)
    place = _geonames(record)
    parent_key, parent_label = _parent(record)
    others = also_known_as(
        (clean_text(str(n.get("value") or "")) for n in _ordered_other_names(names)), name
    )
    established = record.get("established")
    description = join_description(
        [
            others,
            f"Gegründet {established}" if established else None,
            None
            if parent_key is None or parent_key in known
            else f"Teil von: {parent_label or parent_key} ({parent_key})",
        ]
    )
    return {
        "key": ror_key(record["id"]),
        "name": name,
        "kind": kind_for_types(record.get("types") or []),
        "description": description,
        "city": _text(place.get("name")),
        "country": _text(place.get("country_code")),
        "lat": place.get("lat"),
        "lon": place.get("lng"),
        "website": _website(record),
        "parent_key": parent_key if parent_key in known else None,
        "source": "ror",
        "source_id": ror_suffix(record["id"]),
    }


def _display_name(names: list[dict[str, Any]]) -> str | None:
    for wanted in ("ror_display", "label"):
        for entry in names:
            if wanted in (entry.get("types") or []):
                return _text(entry.get("value"))
    return _text(names[0].get("value")) if names else None


def _ordered_other_names(names: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Acronyms first (what people type), then labels in other languages, then aliases."""
    order = {"acronym": 0, "label": 1, "alias": 2}

    def rank(entry: dict[str, Any]) -> int:
        return min((order.get(t, 3) for t in entry.get("types") or []), default=3)

    return sorted(names, key=rank)


def _geonames(record: dict[str, Any]) -> dict[str, Any]:
    for location in record.get("locations") or []:
        details = location.get("geonames_details") if isinstance(location, dict) else None
        if isinstance(details, dict):
            return details
    return {}


def _website(record: dict[str, Any]) -> str | None:
    for link in record.get("links") or []:
        if isinstance(link, dict) and link.get("type") == "website":
            return _text(link.get("value"))
    return None


def _parent(record: dict[str, Any]) -> tuple[str | None, str | None]:
    for relation in record.get("relationships") or []:
        if isinstance(relation, dict) and str(relation.get("type", "")).lower() == "parent":
            return ror_key(relation.get("id")), _text(relation.get("label"))
    return None, None


def _text(value: Any) -> str | None:
    return clean_text(str(value)) if value is not None else None
