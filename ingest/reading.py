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
from itertools import zip_longest
from pathlib import Path
from typing import Any

from partnergraph.errors import IngestError

from .records import KNOWN_HEADERS, FormulaText, header_name

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
    # The line (row) of the header, for messages about a column; None where there is none (JSONL).
    header_line: int | None = None
    # (file, line, field, reason) of what an adapter repaired or left out on the way: reported
    # as warnings of the ingest (file:line:field: reason), nothing refused.
    notes: tuple[tuple[str, int | None, str | None, str], ...] = ()


# Whitespace other than the plain space (tabs, breaks, no-break and wide spaces), and the
# zero-width space, which is not whitespace to Python but is to a reader.
_ODD_SPACE = re.compile(r"[^\S ]|\u200b")


def clean_text(value: str) -> str | None:
    """NFC, plain spaces, trimmed; paragraphs kept as single line breaks; '' becomes None."""
    if not value:
        return None
    # Most cells need nothing: these checks are the hot path of big files, cheapest first.
    if value.isascii():
        if value.isprintable() and value[0] != " " and value[-1] != " " and "  " not in value:
            return value
    else:
        if not unicodedata.is_normalized("NFC", value):
            value = unicodedata.normalize("NFC", value)
        if (
            not value[0].isspace()
            and not value[-1].isspace()
            and "  " not in value
            and not _ODD_SPACE.search(value)
        ):
            return value
    lines = [_SPACES.sub(" ", part).strip() for part in _LINE_BREAKS.split(value)]
    text = "\n".join(part for part in lines if part)
    return text or None


def clean_row(header: list[str], record: list[str]) -> dict[str, str | None]:
    """A CSV row's cells by header name, each as `clean_text` makes it.

    Most rows need nothing but '' made None. Asked of the whole row at once, the questions
    `clean_text` asks of every cell cost one call instead of one per cell (the hot path of
    big files); a row that fails any of them is cleaned cell by cell."""
    joined = "|".join(record)
    if (
        # Not printable: any whitespace but the plain space, and the zero-width space.
        joined.isprintable()
        and (joined.isascii() or unicodedata.is_normalized("NFC", joined))
        and "  " not in joined
        and " |" not in joined
        and "| " not in joined
        and joined[:1] != " "
        and joined[-1:] != " "
    ):
        return {name: value or None for name, value in zip(header, record, strict=False) if name}
    return {name: clean_text(value) for name, value in zip(header, record, strict=False) if name}


def clean_value(value: Any) -> Any:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_value(v) for v in value if clean_value(v) is not None]
    return value


# Files that arrive named .csv but are something else: said plainly instead of a header error.
_NOT_TEXT: tuple[tuple[bytes, str], ...] = (
    (
        b"PK\x03\x04",
        "an .xlsx workbook or another zip archive, not text: name it .xlsx or export CSV",
    ),
    (b"\xd0\xcf\x11\xe0", "an old Excel workbook (.xls), not text: save it as .xlsx or CSV"),
    (b"%PDF-", "a PDF document, not text: export the data as CSV or .xlsx"),
)
_HTML = re.compile(rb"^\s*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE)
# A German letter in UTF-8 (Ä is C3 84): never seen in a Windows-1252 text, where it is "Ã„".
_UTF8_LETTER = re.compile(rb"\xc3[\x80-\xbf]")


def decode(data: bytes, file: str) -> tuple[str, str]:
    """Text and the encoding it was in: UTF-8 (with or without BOM), else Windows-1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_bom(data):
        raise IngestError(
            file, None, None, "the file is UTF-16; save it as UTF-8 or Windows-1252 (ANSI)"
        )
    for signature, what in _NOT_TEXT:
        if data.startswith(signature):
            raise IngestError(file, None, None, f"the file is {what}")
    if _HTML.match(data.removeprefix(b"\xef\xbb\xbf")[:1024]):
        raise IngestError(
            file,
            None,
            None,
            "the file is an HTML page (a saved web page, or the login or error page of the "
            "export?), not the exported data",
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise IngestError(
            file,
            data.count(b"\n", 0, nul) + 1,
            None,
            "the file contains NUL bytes: it is not a text (CSV) file, or it is damaged",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        if _UTF8_LETTER.search(data):
            # Read as Windows-1252, the UTF-8 lines would silently turn into "MÃ¼ller".
            raise IngestError(
                file,
                data.count(b"\n", 0, error.start) + 1,
                None,
                "the file mixes encodings: this line is not UTF-8, other lines are (two exports "
                "pasted together?); save the whole file as UTF-8",
            ) from error
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; Latin-1 maps every byte.
        return data.decode("latin-1"), "latin-1"


def _utf16_without_bom(data: bytes) -> bool:
    """Text saved as UTF-16 without a byte order mark: every other byte is NUL."""
    sample = data[:4096]
    if len(sample) < 8:
        return False
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    return (odd > half * 0.6 and even == 0) or (even > half * 0.6 and odd == 0)


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
    # Excel writes (and reads) a first line "sep=;" that names the delimiter.
    excel_sep = re.fullmatch(r"sep=(.)", first, re.IGNORECASE)
    delimiter = excel_sep.group(1) if excel_sep else sniff_delimiter(first)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    header_line: int | None = None
    rows: list[RawRow] = []
    try:
        for record in reader:
            line = reader.line_num
            if header is None:
                if not any(cell.strip() for cell in record):
                    continue
                if excel_sep:
                    excel_sep = None
                    continue
                header = [clean_text(cell) or "" for cell in record]
                header_line = line
                _no_column_twice(header, file, line)
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
            rows.append(RawRow(file=file, line=line, cells=clean_row(header, record)))
    except csv.Error as error:
        raise IngestError(file, reader.line_num, None, f"broken CSV: {error}") from error
    if header is None:
        raise IngestError(file, 1, None, "the file is empty: a header line is needed")
    return Table(
        file=file,
        header=header,
        rows=rows,
        encoding=encoding,
        delimiter=delimiter,
        header_line=header_line,
    )


def jsonl_values(text: str, file: str, *, unique_fields: bool = False) -> Iterator[tuple[int, Any]]:
    """(line number, parsed value) of every non-empty line; a broken line names its number.

    `unique_fields`: a field given twice in one object is refused (JSON would keep the last).
    """
    hook = _unique_pairs if unique_fields else None
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line, object_pairs_hook=hook)
        except json.JSONDecodeError as error:
            raise IngestError(file, number, None, f"not valid JSON: {error.msg}") from error
        except _FieldTwice as twice:
            raise IngestError(file, number, twice.name, "the field is given twice") from twice
        except RecursionError as error:
            raise too_deep(file, number) from error
        yield number, shallow_json(value, file, number)


MAX_JSON_DEPTH = 64  # records nest a few levels; deeper is a file made to exhaust the stack


def too_deep(file: str, line: int | None) -> IngestError:
    return IngestError(
        file, line, None, f"the JSON is nested more than {MAX_JSON_DEPTH} levels deep: refused"
    )


def shallow_json(value: Any, file: str, line: int | None) -> Any:
    """`value` when it nests at most MAX_JSON_DEPTH levels (later steps recurse into it)."""
    level: list[tuple[Any, int]] = [(value, 1)]
    while level:
        item, depth = level.pop()
        if depth > MAX_JSON_DEPTH:
            raise too_deep(file, line)
        if isinstance(item, dict):
            level.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            level.extend((v, depth + 1) for v in item)
    return value


class _FieldTwice(Exception):
    def __init__(self, name: str) -> None:
        self.name = name


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name, value in pairs:
        if name in result:
            raise _FieldTwice(name)
        result[name] = value
    return result


def read_jsonl(path: Path, display_name: str | None = None) -> Table:
    file = display_name or str(path)
    text, encoding = decode(path.read_bytes(), file)
    rows: list[RawRow] = []
    header: dict[str, None] = {}
    try:
        for number, value in jsonl_values(text, file, unique_fields=True):
            if not isinstance(value, dict):
                raise IngestError(file, number, None, "each line must be a JSON object")
            cells = {str(k).strip(): clean_value(v) for k, v in value.items()}
            header.update(dict.fromkeys(cells))
            rows.append(RawRow(file=file, line=number, cells=cells))
    except IngestError as error:
        # A pretty-printed JSON array: its first line "[" is not JSON on its own.
        broken = error.line == 1 and error.reason.startswith("not valid JSON")
        if broken and text.lstrip().startswith("["):
            raise IngestError(
                file,
                1,
                None,
                "the file is one JSON array, not JSON lines: write one object per line "
                "(for example with jq -c '.[]')",
            ) from error
        raise
    return Table(file=file, header=list(header), rows=rows, encoding=encoding)


def read_xlsx_sheets(path: Path) -> dict[str, Table]:
    """Every sheet of a workbook as a Table; line numbers are the sheet's row numbers.

    Cells hold the values the spreadsheet computed. A formula cell without a computed value
    (written by a program, never opened in a spreadsheet) would read as empty: it reads as its
    formula instead, marked as `FormulaText`, which validation refuses: it is no value.
    """
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many types for broken files
        reason = f"not a readable .xlsx workbook: {_xml_trouble(error)}"
        raise IngestError(str(path), None, None, reason) from error
    tables: dict[str, Table] = {}
    file = str(path)
    try:
        for sheet, formula_sheet in zip(workbook.worksheets, formulas.worksheets, strict=True):
            file = f"{path}[{sheet.title}]"
            header: list[str] | None = None
            header_line: int | None = None
            rows: list[RawRow] = []
            both = zip_longest(
                sheet.iter_rows(values_only=True),
                formula_sheet.iter_rows(values_only=True),
                fillvalue=(),
            )
            for number, (values, written) in enumerate(both, start=1):
                cells_in_row = [
                    "" if v is None else v for v in _values_or_formulas(values, written)
                ]
                if header is None:
                    if not any(str(v).strip() for v in cells_in_row):
                        continue
                    header = [clean_text(str(v)) or "" for v in cells_in_row]
                    header_line = number
                    _no_column_twice(header, file, number)
                    continue
                if not any(str(v).strip() for v in cells_in_row):
                    continue
                cells = {
                    name: (
                        value  # kept whole and marked: refused by validation
                        if isinstance(value, FormulaText)
                        else clean_value(str(value) if isinstance(value, str) else value)
                    )
                    if value != ""
                    else None
                    for name, value in zip(header, cells_in_row, strict=False)
                    if name
                }
                rows.append(RawRow(file=file, line=number, cells=cells))
            tables[sheet.title] = Table(
                file=file, header=header or [], rows=rows, header_line=header_line
            )
    except IngestError:
        raise
    except Exception as error:  # a sheet's XML is parsed only now, row by row
        reason = f"the sheet cannot be read: {_xml_trouble(error)}"
        raise IngestError(file, None, None, reason) from error
    finally:
        workbook.close()
        formulas.close()
    return tables


def _xml_trouble(error: BaseException) -> str:
    """What is wrong with a workbook's XML, said plainly for the refusals that matter (openpyxl
    wraps the parser's error in its own, so the chain is searched)."""
    # openpyxl parses with defusedxml when it is installed (a pinned dependency here)
    from defusedxml import DefusedXmlException

    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, DefusedXmlException):
            return (
                "its XML declares entities or a document type, which no workbook needs (an "
                "XML bomb such as 'billion laughs'?): refused"
            )
        if "amplification" in str(cause):  # expat's own guard against entity expansion
            return f"its XML expands entities too far (an XML bomb?): refused ({cause})"
        cause = cause.__cause__ or cause.__context__
    return " ".join(str(error).split()) or type(error).__name__


def _values_or_formulas(values: tuple[Any, ...], written: tuple[Any, ...]) -> list[Any]:
    return [
        FormulaText(formula)
        if value is None and isinstance(formula, str) and formula.startswith("=")
        else value
        for value, formula in zip_longest(values, written[: len(values)])
    ]


def _no_column_twice(header: list[str], file: str, line: int) -> None:
    """Two columns of the same known name: which holds the data? (Unknown ones are ignored.)"""
    seen: dict[str, int] = {}
    for position, cell in enumerate(header, start=1):
        name = header_name(cell)
        if name not in KNOWN_HEADERS:
            continue
        if name in seen:
            raise IngestError(
                file,
                line,
                cell,
                f"the column is there twice (columns {seen[name]} and {position}): keep one",
            )
        seen[name] = position


def _name(delimiter: str) -> str:
    return {"\t": "tab", ";": "';'", ",": "','"}.get(delimiter, repr(delimiter))
