"""Hostile files made on the spot: workbooks that unpack to far more than they weigh or that
declare XML entity bombs, zips whose entries clash, JSON nested past any reason."""

from __future__ import annotations

import io
import warnings
import zipfile

SHEET = "xl/worksheets/sheet1.xml"
_SHEET_START = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_END = b"</sheetData></worksheet>"
HEADER_ROW = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>key</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>name</t></is></c>'
    b'<c r="C1" t="inlineStr"><is><t>kind</t></is></c></row>'
)


def workbook(sheet_xml: bytes | None = None) -> bytes:
    """A real .xlsx (written by openpyxl) with one sheet `organizations`; `sheet_xml` replaces
    that sheet's XML as it is."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.worksheets[0]  # the active one of a new workbook
    sheet.title = "organizations"
    sheet.append(["key", "name", "kind"])
    sheet.append(["org-one", "Eins GmbH", "company"])
    written = io.BytesIO()
    book.save(written)
    if sheet_xml is None:
        return written.getvalue()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(written.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = sheet_xml if info.filename == SHEET else source.read(info)
            target.writestr(info.filename, data, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def workbook_bomb(rows: int) -> bytes:
    """A workbook whose sheet is `rows` identical rows: megabytes of XML in kilobytes."""
    row = (
        b'<row><c t="inlineStr"><is><t>org-x</t></is></c><c t="inlineStr"><is><t>Name</t></is>'
        b'</c><c t="inlineStr"><is><t>company</t></is></c></row>'
    )
    return workbook(_SHEET_START + HEADER_ROW + row * rows + _SHEET_END)


def billion_laughs_workbook() -> bytes:
    """A workbook whose sheet declares the classic nested entities (10^9 'lol's if expanded)."""
    entities = [b'<!ENTITY lol0 "lol">'] + [
        b'<!ENTITY lol%d "%s">' % (level, b"&lol%d;" % (level - 1) * 10) for level in range(1, 10)
    ]
    doctype = b"<!DOCTYPE worksheet [" + b"".join(entities) + b"]>"
    row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
    return workbook(
        b'<?xml version="1.0"?>' + doctype + _SHEET_START + HEADER_ROW + row + _SHEET_END
    )


def zipped_entries(entries: list[tuple[str, bytes]]) -> bytes:
    """A zip with exactly these entries, in order, names as given (twice if given twice)."""
    out = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        warnings.simplefilter("ignore")  # zipfile warns of a name given twice: that is the point
        for name, data in entries:
            archive.writestr(name, data)
    return out.getvalue()


def deep_json(depth: int) -> str:
    """One JSON object whose `name` is a list nested `depth` deep."""
    return '{"key": "org-deep", "name": ' + "[" * depth + "]" * depth + "}"
