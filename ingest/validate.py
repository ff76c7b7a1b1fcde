"""Rows into typed records, and every problem located as file:line:field with a reason.

Pure: tables and reference lookups in, records and problems out. References to other tables
(a competence's owner, a need's company) are checked by `check_references` against the keys
loaded together plus the keys the graph already holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Any

from pydantic import ValidationError

from graph.model import Label, LoadedLink
from graph.reference import Reference

from .reading import RawRow, Table
from .records import (
    MAX_TEXT,
    NOT_LOADED_COLUMNS,
    RECORD_BY_ENTITY,
    Record,
    column_map,
    field_for_header,
    header_name,
)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    field: str | None
    reason: str
    cells: dict[str, Any] | None = None

    def __str__(self) -> str:
        location = ":".join(
            str(part) for part in (self.file, self.line, self.field) if part not in (None, "")
        )
        return f"{location}: {self.reason}"


@dataclass
class Validated:
    """One table after validation: good records with their lines, and the problems."""

    entity: str
    file: str
    rows: int
    records: list[tuple[int, Record]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Not rejections: columns the file has that nothing reads (their values are not loaded).
    warnings: list[Problem] = field(default_factory=list)
    # Values repaired on the way in (a lost leading zero, a Unicode dash in a web address) and
    # the adapter's notes: reported whatever the source, nothing refused.
    notes: list[Problem] = field(default_factory=list)
    # Invalid optional cells of rows that are kept without them (`records` holds those rows):
    # warnings under --skip-invalid, problems that refuse the file without it.
    dropped: list[Problem] = field(default_factory=list)

    @property
    def rejected_lines(self) -> set[int | None]:
        return {p.line for p in self.problems}

    @property
    def repaired_lines(self) -> set[int | None]:
        return {p.line for p in self.dropped}


def validate_table(entity: str, table: Table, reference: Reference) -> Validated:
    record_type = RECORD_BY_ENTITY[entity]
    result = Validated(entity=entity, file=table.file, rows=len(table.rows))
    columns = column_map(record_type, table.header)
    header_of = {canonical: cell for cell, canonical in columns.items()}
    missing = [name for name in record_type.required if name not in header_of]
    if missing:
        for name in missing:
            accepted = ", ".join(record_type.aliases[name])
            shown = " | ".join(table.header[:8]) + (" | ..." if len(table.header) > 8 else "")
            hint = ""
            if len(table.header) == 1:
                hint = " The header has a single column: is the delimiter ';', ',' or tab?"
            result.problems.append(
                Problem(
                    table.file,
                    1,
                    name,
                    f"required column {name!r} is missing (accepted headers: {accepted}); "
                    f"the header read is: {shown}.{hint}",
                )
            )
        return result

    result.warnings = column_warnings(record_type, table, columns)
    result.notes = [Problem(*note) for note in table.notes]
    seen: dict[str, int] = {}
    fixes: list[tuple[str, str]] = []
    context = {"reference": reference, "fixes": fixes}
    # A file with the documented headers (generated, exported by us) needs no renaming.
    canonical = all(columns.get(cell) == cell for cell in table.header)
    # The validator itself: `model_validate` adds some 4 µs a row of argument handling.
    validate = record_type.__pydantic_validator__.validate_python
    for row in table.rows:
        if canonical:
            data = row.cells
        else:
            data = {columns[cell]: value for cell, value in row.cells.items() if cell in columns}
        try:
            record = validate(data, context=context)
        except ValidationError as error:
            fixes.clear()
            record, dropped, refused = validate_without_bad_cells(record_type, data, error, context)
            if record is None:
                result.problems.extend(_problems(row, refused or error, header_of))
                fixes.clear()
                continue
            result.dropped.extend(
                Problem(row.file, row.line, _shown(fields, header_of), reason, row.cells)
                for fields, reason in dropped
            )
        if fixes:
            result.notes.extend(
                Problem(row.file, row.line, header_of.get(name, name), reason)
                for name, reason in fixes
            )
            fixes.clear()
        key = record.identity()
        if key in seen:
            key_header = header_of.get(record_type.key_field, record_type.key_field)
            result.problems.append(
                Problem(
                    row.file,
                    row.line,
                    key_header,
                    f"duplicate key {key!r}: already on line {seen[key]}",
                    row.cells,
                )
            )
            continue
        seen[key] = row.line
        result.records.append((row.line, record))
    return result


# Rounds of dropping bad cells and validating again: a dropped cell can reveal another (a lat
# whose lon was bad now stands alone), never more than a few.
_DROP_ROUNDS = 3


def validate_without_bad_cells(
    record_type: type[Record], data: Mapping[str, Any], error: ValidationError, context: Any
) -> tuple[Record | None, list[tuple[tuple[str, ...], str]], ValidationError | None]:
    """The row without its invalid optional cells, when that makes it valid.

    Returns (record, [(fields, reason) of each dropped cell], None), or (None, [], the error
    that refuses the row) when a required field (or a `keep_whole` one) is invalid or a
    problem names no field. Pure; the adapters use it to find the valid values of a row.
    """
    hard = set(record_type.required) | {record_type.key_field} | record_type.keep_whole
    validate = record_type.__pydantic_validator__.validate_python
    current = dict(data)
    dropped: list[tuple[tuple[str, ...], str]] = []
    for _ in range(_DROP_ROUNDS):
        faults = []
        for item in error.errors(include_url=False):
            fields = _fields_of(item)
            if not fields or hard.intersection(fields):
                return None, [], error
            faults.append((fields, _reason(item, strip=fields[0])))
        for fields, _ in faults:
            for name in fields:
                current.pop(name, None)
        dropped.extend(faults)
        try:
            record = validate(current, context=context)
        except ValidationError as again:
            error = again
            continue
        return record, dropped, None
    return None, [], error


def invalid_fields(record_type: type[Record], cells: Mapping[str, Any]) -> dict[str, str]:
    """field -> reason, for each invalid field of a row; empty when the row is valid."""
    validate = record_type.__pydantic_validator__.validate_python
    try:
        validate(cells)
    except ValidationError as error:
        record, dropped, refused = validate_without_bad_cells(record_type, cells, error, None)
        if refused is None:
            refused = error
    else:
        return {}
    if record is not None:
        return {name: reason for fields, reason in dropped for name in fields}
    found: dict[str, str] = {}
    for item in refused.errors(include_url=False):
        for name in _fields_of(item):
            found.setdefault(name, _reason(item, strip=name))
    return found


def _fields_of(item: Any) -> tuple[str, ...]:
    """The fields a validation error is about: its location, or the cells a row check names."""
    location = item.get("loc") or ()
    if location:
        return (str(location[0]),)
    named = (item.get("ctx") or {}).get("fields")
    return tuple(named.split()) if isinstance(named, str) else ()


def _shown(fields: tuple[str, ...], header_of: Mapping[str, str]) -> str:
    return ",".join(header_of.get(name, name) for name in fields)


def column_warnings(
    record_type: type[Record], table: Table, columns: Mapping[str, str]
) -> list[Problem]:
    """A warning for every header cell that no field reads: unknown, or a second name of a
    column already given (the first one is read). The row values of those columns are not
    loaded, so the report says so instead of dropping them silently."""
    used_by = {canonical: cell for cell, canonical in columns.items()}
    known = sorted({alias for aliases in record_type.aliases.values() for alias in aliases})
    warnings = []
    for cell in table.header:
        if not cell or cell in columns or header_name(cell) in NOT_LOADED_COLUMNS:
            continue
        canonical = field_for_header(record_type, cell)
        if canonical is not None:
            reason = (
                f"ignored: column {used_by[canonical]!r} already gives {canonical}, "
                "so the values of this one are not loaded"
            )
        else:
            close = get_close_matches(header_name(cell), known, n=1, cutoff=0.8)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            reason = (
                f"unknown column, ignored: its values are not loaded{hint}; "
                "ingest/FORMAT.md lists the accepted headers"
            )
        warnings.append(Problem(table.file, table.header_line, cell, reason))
    return warnings


def check_key_owners(
    validated: Iterable[Validated],
    source: str,
    owners: Callable[[Label | LoadedLink, list[str]], Mapping[str, str]],
) -> dict[str, dict[str, str]]:
    """Reject every row whose key already belongs to a node of another source.

    Keys are unique per label in the graph, whatever the source: a row of source B with the
    key of source A's node would overwrite that node (its properties, source and hash). The
    row is refused instead, like any invalid row. A row's source is its `source` column, else
    `source` (the ingest's). `owners(label, keys)` answers key -> source for the keys of
    `label` the graph holds. Returns label -> {key: owning source} of the rows refused, so
    references of this load to those keys are not taken to mean the other source's node.
    """
    refused: dict[str, dict[str, str]] = {}
    for table in validated:
        record_type = RECORD_BY_ENTITY[table.entity]
        if record_type.key_field != "key" or not table.records:
            continue  # participations and attendances are links, keyed by their two ends
        keys = [record.identity() for _, record in table.records]
        stored = owners(record_type.label, keys)
        if not stored:
            continue
        kept = []
        for (line, record), key in zip(table.records, keys, strict=True):
            owner = stored.get(key)
            mine = record.source or source
            if owner is None or owner == mine:
                kept.append((line, record))
                continue
            table.problems.append(
                Problem(
                    table.file,
                    line,
                    "key",
                    f"key {key!r} already belongs to source {owner!r}; give this source its "
                    f"own keys (e.g. a prefix: {mine + ':' + key!r})",
                    record.model_dump(mode="json"),
                )
            )
            refused.setdefault(record_type.label, {})[key] = owner
        table.records = kept
    return refused


def check_part_of_cycles(
    validated: Iterable[Validated],
    parents_in_graph: Callable[[list[str]], Mapping[str, str | None]] | None = None,
) -> None:
    """Reject the organisation rows whose parent_key chain comes back to them.

    A PART_OF cycle (chair -> faculty -> chair) has no top: every walk up the hierarchy of the
    explorer and of the profiles would go round forever. Each row on the cycle gets a problem
    that names the whole cycle, so the person fixing the export sees which row to change.
    The chain goes on through the graph where a parent is not in this load
    (`parents_in_graph`: the PART_OF parents on the way up from the keys given): a row loaded
    today can close a circle with organisations loaded before. The load's rows replace the
    links their organisations have in the graph, as their writes will.
    """
    for table in validated:
        if table.entity != "organizations" or not table.records:
            continue
        parent_of: dict[str, str | None] = {
            record.identity(): getattr(record, "parent_key", None) for _, record in table.records
        }
        outside = sorted({p for p in parent_of.values() if p is not None} - parent_of.keys())
        in_graph = parents_in_graph(outside) if parents_in_graph is not None and outside else {}
        up = {**in_graph, **parent_of}  # what PART_OF will be after this load
        on_cycle: dict[str, list[str]] = {}
        done: set[str] = set()
        for start, parent in parent_of.items():
            if parent is None:
                continue  # at the top: most organisations, and no walk to make
            path: dict[str, int] = {}  # key -> its place on this walk up (insertion-ordered)
            key: str | None = start
            while key is not None and key not in done and key not in path:
                path[key] = len(path)
                key = up.get(key)
            if key is not None and key in path:
                circle = list(path)[path[key] :]
                for member in circle:
                    on_cycle[member] = circle
            done.update(path)
        if not on_cycle:
            continue
        kept = []
        for line, record in table.records:
            cycle = on_cycle.get(record.identity())
            if cycle is None:
                kept.append((line, record))
                continue
            at = cycle.index(record.identity())
            walk = " -> ".join([*cycle[at:], *cycle[:at], record.identity()])
            before = [member for member in cycle if member not in parent_of]
            through = f"; {', '.join(before)} loaded before" if before else ""
            table.problems.append(
                Problem(
                    table.file,
                    line,
                    "parent_key",
                    f"PART_OF goes round in a circle ({walk}{through}): one of them must be at "
                    "the top (empty parent_key)",
                    record.model_dump(mode="json"),
                )
            )
        table.records = kept


def check_references(
    validated: Iterable[Validated],
    graph_has: Callable[[str, list[str]], set[str]],
    refused: Mapping[str, Mapping[str, str]] | None = None,
) -> None:
    """Add a problem for every reference to a key neither loaded now nor in the graph.

    `graph_has(labels, keys)` answers which keys exist in the graph for 'Organization|Person'.
    `refused` (from `check_key_owners`): keys whose row of this load was refused because
    another source owns them; a reference to one of them names this source's row, not the
    other source's node, so it does not resolve.
    """
    tables = list(validated)
    loaded: dict[str, set[str]] = {}
    for table in tables:
        label = RECORD_BY_ENTITY[table.entity].label
        loaded.setdefault(label, set()).update(r.identity() for _, r in table.records)
    for table in tables:
        record_type = RECORD_BY_ENTITY[table.entity]
        for field_name, labels in record_type.references.items():
            here = set().union(*(loaded.get(label, set()) for label in labels.split("|")))
            wanted = {
                getattr(r, field_name)
                for _, r in table.records
                if getattr(r, field_name) is not None
            }
            unknown = wanted - here
            owned = {
                key: owner
                for label in labels.split("|")
                for key, owner in (refused or {}).get(label, {}).items()
                if key in unknown
            }
            if unknown - owned.keys():
                unknown -= graph_has(labels, sorted(unknown - owned.keys()))
            if not unknown:
                continue
            kept = []
            names = " or ".join(labels.split("|"))
            for line, record in table.records:
                value = getattr(record, field_name)
                if value in owned:
                    reason = (
                        f"{value!r}: its row in this load was refused, the key belongs to "
                        f"source {owned[value]!r}"
                    )
                elif value in unknown:
                    reason = f"{value!r} names no {names}: not in this load and not in the graph"
                else:
                    kept.append((line, record))
                    continue
                table.problems.append(Problem(table.file, line, field_name, reason))
            table.records = kept


def _problems(row: RawRow, error: ValidationError, header_of: dict[str, str]) -> list[Problem]:
    problems = []
    for item in error.errors(include_url=False):
        location = item.get("loc") or ()
        name = str(location[0]) if location else None
        if name is None and _fields_of(item):
            # a row check naming its cells: the message names them already
            problems.append(Problem(row.file, row.line, None, _reason(item), row.cells))
            continue
        shown = header_of.get(name, name) if name else None
        if shown and name and shown != name:
            shown = f"{shown} ({name})"
        problems.append(Problem(row.file, row.line, shown, _reason(item), row.cells))
    return problems


def _reason(item: Any, strip: str | None = None) -> str:
    """The message of a validation error; `strip`: a field whose "name: " prefix to drop (the
    location names it already)."""
    if strip is not None and item.get("type") == "cell":
        return str(item.get("msg", "invalid")).removeprefix(f"{strip}: ")
    kind = item.get("type", "")
    value = item.get("input")
    if kind == "string_too_long" and isinstance(value, str):
        limit = item.get("ctx", {}).get("max_length", MAX_TEXT)
        return f"too long: {len(value):,} characters, at most {limit:,}"
    if kind == "missing":
        return "required value is missing"
    if kind == "enum":
        expected = item.get("ctx", {}).get("expected", "")
        return f"{_preview(value)} is not one of {expected}"
    message = str(item.get("msg", "invalid"))
    message = message.removeprefix("Value error, ")
    if kind in ("float_parsing", "int_parsing", "date_from_datetime_parsing", "date_parsing"):
        return f"{_preview(value)}: {message}"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"{_preview(value)}: {message}"
    return message


def _preview(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
