"""Reading tabular files as they arrive: CSV in any of the usual encodings and delimiters,
XLSX sheets, JSON lines. Every reader yields `RawRow`s: the cleaned cell texts keyed by the
file's own header, with the line number people see when they open the file.

Cleaning is the same for every format: Unicode NFC, non-breaking and odd spaces made plain,
leading and trailing whitespace trimmed, empty cells as None.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partnergraph.errors import IngestError

# Larger fields are refused by the record models with a clear message; csv must not stop first.
csv.field_size_limit(64 * 2**20)

DELIMITERS = (";", ",", "\t")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_LINE_BREAKS = re.compile(r"\s*(?:\r\n|\r|\n)\s*")


@dataclass(frozen=True)
class RawRow:
    """One data row: where it came from and its cells by (normalised) header."""

    file: str
    line: int
    cells: dict[str, Any]


@dataclass(frozen=True)
class Table:
    """A file (or sheet) read whole: its header and rows."""

    file: str
    header: list[str]
    rows: list[RawRow]
    encoding: str | None = None
    delimiter: str | None = None
    # The whole file's content hash and the tables it holds (an XLSX holds several): the ingest
    # remembers them so an unchanged file is not even parsed next time.
    sha256: str | None = None
    file_entities: tuple[str, ...] = ()


_NEEDS_WORK = re.compile(r"\s\s|[^\S ]|^\s|\s$|[\u00a0\u2000-\u200b\u202f\u205f\u3000]")


def clean_text(value: str) -> str | None:
    """NFC, plain spaces, trimmed; paragraphs kept as single line breaks; '' becomes None."""
    if not value:
        return None
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    if not _NEEDS_WORK.search(value):
        return value  # most cells: nothing to do, and this is the hot path of big files
    lines = [_SPACES.sub(" ", part).strip() for part in _LINE_BREAKS.split(value)]
    text = "\n".join(part for part in lines if part)
    return text or None


def clean_value(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_value(v) for v in value if clean_value(v) is not None]
    return value


def decode(data: bytes, file: str) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (with or without BOM), else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise IngestError(
            file, None, None, "the file is UTF-16; save it as UTF-8 or Windows-1252 (ANSI)"
        )
    if b"\x00" in data[:65536]:
        raise IngestError(
            file, None, None, "the file contains NUL bytes: it is not a text (CSV) file"
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte.
        return data.decode("latin-1"), "latin-1"


def sniff_delimiter(header_line: str) -> str:
    """The delimiter that splits the header into the most columns (quotes respected)."""
    best, best_count = ";", 0
    for delimiter in DELIMITERS:
        count = len(next(csv.reader([header_line], delimiter=delimiter), []))
        if count > best_count:
            best, best_count = delimiter, count
    return best


def read_csv(path: Path, display_name: str | None = None) -> Table:
    file = display_name or str(path)
    text, encoding = decode(path.read_bytes(), file)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first:
        raise IngestError(file, 1, None, "the file is empty: a header line is needed")
    delimiter = sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[RawRow] = []
    try:
        for record in reader:
            line = reader.line_num
            if header is None:
                if not any(cell.strip() for cell in record):
                    continue
                header = [clean_text(cell) or "" for cell in record]
                continue
            if not any(cell.strip() for cell in record):
                continue
            if len(record) > len(header):
                extra = [cell for cell in record[len(header) :] if cell.strip()]
                if extra:
                    raise IngestError(
                        file,
                        line,
                        None,
                        f"the row has {len(record)} cells but the header has {len(header)} "
                        f"columns (delimiter {_name(delimiter)}): a value with an unquoted "
                        "delimiter?",
                    )
            cells = {
                name: clean_text(value) for name, value in zip(header, record, strict=False) if name
            }
            rows.append(RawRow(file=file, line=line, cells=cells))
    except csv.Error as error:
        raise IngestError(file, reader.line_num, None, f"broken CSV: {error}") from error
    if header is None:
        raise IngestError(file, 1, None, "the file is empty: a header line is needed")
    return Table(file=file, header=header, rows=rows, encoding=encoding, delimiter=delimiter)


def jsonl_values(text: str, file: str) -> Iterator[tuple[int, Any]]:
    """(line number, parsed value) of every non-empty line; a broken line names its number."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as error:
            raise IngestError(file, number, None, f"not valid JSON: {error.msg}") from error


def read_jsonl(path: Path, display_name: str | None = None) -> Table:
    file = display_name or str(path)
    text, encoding = decode(path.read_bytes(), file)
    rows: list[RawRow] = []
    header: dict[str, None] = {}
    for number, value in jsonl_values(text, file):
        if not isinstance(value, dict):
            raise IngestError(file, number, None, "each line must be a JSON object")
        cells = {str(k).strip(): clean_value(v) for k, v in value.items()}
        header.update(dict.fromkeys(cells))
        rows.append(RawRow(file=file, line=number, cells=cells))
    return Table(file=file, header=list(header), rows=rows, encoding=encoding)


def read_xlsx_sheets(path: Path) -> dict[str, Table]:
    """Every sheet of a workbook as a Table; line numbers are the sheet's row numbers."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for broken files
        reason = f"not a readable .xlsx workbook: {error}"
        raise IngestError(str(path), None, None, reason) from error
    tables: dict[str, Table] = {}
    try:
        for sheet in workbook.worksheets:
            file = f"{path}[{sheet.title}]"
            header: list[str] | None = None
            rows: list[RawRow] = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells_in_row = ["" if v is None else v for v in values]
                if header is None:
                    if not any(str(v).strip() for v in cells_in_row):
                        continue
                    header = [clean_text(str(v)) or "" for v in cells_in_row]
                    continue
                if not any(str(v).strip() for v in cells_in_row):
                    continue
                cells = {
                    name: clean_value(str(value) if isinstance(value, str) else value)
                    if value != ""
                    else None
                    for name, value in zip(header, cells_in_row, strict=False)
                    if name
                }
                rows.append(RawRow(file=file, line=number, cells=cells))
            tables[sheet.title] = Table(file=file, header=header or [], rows=rows)
    finally:
        workbook.close()
    return tables


def _name(delimiter: str) -> str:
    return {"\t": "tab", ";": "';'", ",": "','"}.get(delimiter, repr(delimiter))
