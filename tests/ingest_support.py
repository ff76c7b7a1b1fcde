"""Helpers for ingest tests: run an ingest the way the CLI does, convert fixtures to other forms."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from openpyxl import Workbook

from graph.connection import Graph
from graph.vectors import Encoder
from ingest.pipeline import IngestOptions, IngestReport, ingest_path

FIXTURES = Path(__file__).parent / "fixtures"
CANONICAL = FIXTURES / "canonical"


def run_ingest(
    graph: Graph, path: Path, embedder: Encoder | None = None, **options: object
) -> IngestReport:
    return ingest_path(graph, path, IngestOptions(**options), embedder)  # type: ignore[arg-type]


def read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    return rows[0], rows[1:]


def to_xlsx(folder: Path, out: Path, sheet_names: dict[str, str] | None = None) -> Path:
    """One workbook with a sheet per CSV file of `folder` (optionally under other names)."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # the active one of a new workbook
    for file in sorted(folder.glob("*.csv")):
        header, rows = read_rows(file)
        sheet = workbook.create_sheet((sheet_names or {}).get(file.stem, file.stem))
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    workbook.save(out)
    return out


def to_jsonl(folder: Path, out: Path) -> Path:
    """The same tables as JSON lines, lists as JSON arrays and empty cells left out."""
    out.mkdir(parents=True, exist_ok=True)
    for file in sorted(folder.glob("*.csv")):
        header, rows = read_rows(file)
        with (out / f"{file.stem}.jsonl").open("w", encoding="utf-8") as handle:
            for row in rows:
                item: dict[str, object] = {}
                for name, value in zip(header, row, strict=True):
                    if value == "":
                        continue
                    item[name] = value.split("|") if name in ("trades", "industries") else value
                handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    return out
