"""Finding the tables in what the user points at: a canonical folder (CSV or JSONL files named
after the entities), one XLSX workbook with a sheet per entity, a single file, or an export of
a known source (CORDIS, ROR, OpenAlex) read by its adapter."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from pathlib import Path

from partnergraph.errors import IngestError

from .reading import Table, read_csv, read_jsonl, read_xlsx_sheets
from .records import entity_for_name

# The region of a CORDIS export, unless --countries says otherwise.
DEFAULT_COUNTRIES = frozenset({"DE"})
FORMATS = ("auto", "csv", "xlsx", "jsonl", "cordis", "ror", "openalex")
TABULAR_SUFFIXES = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".jsonl": "jsonl"}


@dataclass
class Collected:
    """Tables by entity, the source name to record on nodes, and files that were skipped."""

    tables: dict[str, Table]
    source: str
    ignored: list[str] = field(default_factory=list)
    # entity -> file name, for tables whose file is byte for byte the one loaded last time
    unchanged: dict[str, str] = field(default_factory=dict)
    # The adapter that made the tables from a source's export (None: the canonical format)
    adapter: str | None = None


# Given a file's SHA-256, the tables it held when it was last loaded whole (None: not known).
KnownFiles = Callable[[str], tuple[str, ...] | None]


def source_name(path: Path, fmt: str = "auto", source: str | None = None) -> str:
    """The source recorded on nodes: given, else the adapter's name, else the file or folder."""
    if source:
        return source
    adapter = fmt if fmt in ("cordis", "ror", "openalex") else None
    if fmt == "auto" and path.exists():
        adapter = _detect_adapter(path)
    if adapter:
        return adapter
    return (path.stem if path.is_file() else path.name) or "import"


def collect(
    path: Path,
    fmt: str = "auto",
    source: str | None = None,
    known: KnownFiles | None = None,
    countries: Collection[str] | None = DEFAULT_COUNTRIES,
) -> Collected:
    """The tables under `path`; files that `known` recognises are hashed but not parsed.

    `countries`: the region of a CORDIS export (ISO codes, None for every country); its
    organisations elsewhere are kept as partners outside the region."""
    if fmt not in FORMATS:
        raise IngestError(str(path), None, None, f"unknown format {fmt!r}: one of {FORMATS}")
    if not path.exists():
        raise IngestError(str(path), None, None, "no such file or folder")
    adapter = fmt if fmt in ("cordis", "ror", "openalex") else None
    if fmt == "auto":
        adapter = _detect_adapter(path)
    if adapter:
        from .adapters import ADAPTERS, read_cordis

        adapted = read_cordis(path, countries) if adapter == "cordis" else ADAPTERS[adapter](path)
        return Collected(tables=adapted, source=source or adapter, adapter=adapter)

    default_source = source or (path.stem if path.is_file() else path.name) or "import"
    tables: dict[str, Table] = {}
    unchanged: dict[str, str] = {}
    if path.is_file():
        _read_file(path, fmt, known, tables, unchanged)
        return Collected(tables=tables, source=default_source, unchanged=unchanged)

    ignored: list[str] = []
    for file in sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith(".")):
        if file.name.startswith("rejects"):
            ignored.append(file.name)
            continue
        if fmt != "auto" and _format_of(file) != fmt:
            ignored.append(file.name)
            continue
        if _format_of(file) is None or (
            _format_of(file) != "xlsx" and entity_for_name(file.name) is None
        ):
            ignored.append(file.name)
            continue
        _read_file(file, fmt, known, tables, unchanged)
    if not tables and not unchanged:
        raise IngestError(
            str(path),
            None,
            None,
            "no known tables found: expected files such as organizations.csv, competences.csv, "
            "needs.csv (or .jsonl), or one .xlsx workbook with such sheets",
        )
    return Collected(tables=tables, source=default_source, ignored=ignored, unchanged=unchanged)


def _read_file(
    file: Path,
    fmt: str,
    known: KnownFiles | None,
    tables: dict[str, Table],
    unchanged: dict[str, str],
) -> None:
    """Add the file's tables, or only their names when the file is known unchanged."""
    digest = hashlib.sha256(file.read_bytes()).hexdigest()
    entities = known(digest) if known else None
    found: dict[str, Table | str]
    if entities:
        found = dict.fromkeys(entities, file.name)
    else:
        read = _tables_of_file(file, fmt)
        held = tuple(sorted(read))
        found = {}
        for entity, table in read.items():
            found[entity] = replace(table, sha256=digest, file_entities=held)
    for entity, value in found.items():
        earlier = tables.get(entity) or unchanged.get(entity)
        if earlier is not None:
            earlier_file = earlier.file if isinstance(earlier, Table) else earlier
            raise IngestError(
                str(file),
                None,
                None,
                f"{entity} is given twice in the folder (also in {earlier_file}); keep one of them",
            )
        if isinstance(value, Table):
            tables[entity] = value
        else:
            unchanged[entity] = value


def _format_of(file: Path) -> str | None:
    if file.suffix.lower() == ".xlsx":
        return "xlsx"
    return TABULAR_SUFFIXES.get(file.suffix.lower())


def _tables_of_file(file: Path, fmt: str) -> dict[str, Table]:
    kind = _format_of(file) if fmt == "auto" else fmt
    if kind == "xlsx":
        tables = {}
        for sheet, table in read_xlsx_sheets(file).items():
            entity = entity_for_name(sheet)
            if entity is None:
                continue
            tables[entity] = table
        if not tables:
            raise IngestError(
                str(file),
                None,
                None,
                "no sheet is named after a known table (organizations, competences, needs, "
                "projects, participations, people, events, attendances or German names)",
            )
        return tables
    entity = entity_for_name(file.name)
    if entity is None:
        raise IngestError(
            str(file),
            None,
            None,
            "the file name does not say which table it holds: name it organizations.csv, "
            "competences.csv, needs.csv, projects.csv, participations.csv, people.csv, "
            "events.csv or attendances.csv (German names such as Bedarfe.csv work too)",
        )
    table = read_jsonl(file) if kind == "jsonl" else read_csv(file)
    return {entity: table}


def _detect_adapter(path: Path) -> str | None:
    from .adapters import detect_format

    return detect_format(path)
