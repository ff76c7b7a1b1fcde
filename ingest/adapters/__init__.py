"""Adapters for real-world exports: each reads a source's own format and returns tables with the
canonical field names (`ingest.records`), so the ingest validates and loads them like any
canonical file. Keys are namespaced by source (`cordis:`, `ror:`, `openalex:`) so they never
collide with each other or with a network's own keys.
"""

from __future__ import annotations

import gzip
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from ..reading import Table
from .cordis import ORGANIZATION_FILE, PROJECT_FILE, is_cordis_xml, read_cordis
from .openalex import read_openalex
from .ror import read_ror

ADAPTERS: dict[str, Callable[[Path], dict[str, Table]]] = {
    "cordis": read_cordis,
    "ror": read_ror,
    "openalex": read_openalex,
}

__all__ = ["ADAPTERS", "detect_format", "read_cordis", "read_openalex", "read_ror"]

HEAD_BYTES = 65536
MAX_FILES_LOOKED_AT = 20
JSON_SUFFIXES = (".json", ".jsonl", ".ndjson", ".gz", ".zip")
_RECORD_ID = re.compile(rb'"id"\s*:\s*"https?://(ror\.org|openalex\.org)/')
_CORDIS_HEADERS = ({"projectid", "organisationid"}, {"id", "acronym", "frameworkprogramme"})


def detect_format(path: Path) -> str | None:
    """'cordis', 'ror', 'openalex' for a source export, None for anything else.

    Cheap and never failing: only names, CSV headers and the first 64 KiB of JSON and XML are
    looked at. CORDIS: project.csv and organization.csv (or one file with their headers), or
    project files of its XML export (root `<project>` with an `<acronym>`), in a folder or a
    zip. ROR and OpenAlex: JSON whose first record id is https://ror.org/... or
    https://openalex.org/...
    """
    try:
        if path.is_dir():
            return _detect_folder(path)
        if path.name.lower().endswith(".csv"):
            return "cordis" if _is_cordis_csv(path) else None
        if path.name.lower().endswith(".xml"):
            with path.open("rb") as handle:
                return "cordis" if is_cordis_xml(handle.read(HEAD_BYTES)) else None
        if path.name.lower().endswith(".zip") and _is_cordis_zip(path):
            return "cordis"
        if path.name.lower().endswith(JSON_SUFFIXES):
            return _json_format(path)
    except (OSError, EOFError, zipfile.BadZipFile):
        return None
    return None


def _detect_folder(folder: Path) -> str | None:
    names = {p.name.lower() for p in folder.iterdir() if p.is_file()}
    if {PROJECT_FILE, ORGANIZATION_FILE} <= names:
        return "cordis"
    looked_at = 0
    for file in sorted(folder.rglob("*")):
        name = file.name.lower()
        if not file.is_file() or not name.endswith((*JSON_SUFFIXES, ".xml")):
            continue
        if name.endswith(".xml"):
            with file.open("rb") as handle:
                found = "cordis" if is_cordis_xml(handle.read(HEAD_BYTES)) else None
        elif name.endswith(".zip") and _is_cordis_zip(file):
            found = "cordis"
        else:
            found = _json_format(file)
        if found:
            return found
        looked_at += 1
        if looked_at >= MAX_FILES_LOOKED_AT:
            break
    return None


def _is_cordis_csv(path: Path) -> bool:
    with path.open("rb") as handle:
        first = handle.readline(HEAD_BYTES).decode("utf-8", errors="replace")
    header = {cell.strip().strip('"').lower() for cell in first.split(";")}
    return any(wanted <= header for wanted in _CORDIS_HEADERS)


def _is_cordis_zip(path: Path) -> bool:
    """A zip of CORDIS' CSV export (its two files) or of project files of its XML export."""
    with zipfile.ZipFile(path) as archive:
        members = [info for info in archive.infolist() if not info.is_dir()]
        names = {Path(info.filename).name.lower() for info in members}
        if {PROJECT_FILE, ORGANIZATION_FILE} <= names:
            return True
        xml = next((i for i in members if i.filename.lower().endswith(".xml")), None)
        if xml is None:
            return False
        with archive.open(xml) as handle:
            return is_cordis_xml(handle.read(HEAD_BYTES))


def _json_format(path: Path) -> str | None:
    match = _RECORD_ID.search(_head(path))
    if match is None:
        return None
    return "ror" if match.group(1) == b"ror.org" else "openalex"


def _head(path: Path) -> bytes:
    name = path.name.lower()
    if name.endswith(".gz"):
        with gzip.open(path) as handle:
            return handle.read(HEAD_BYTES)
    if name.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            members = [n for n in archive.namelist() if n.lower().endswith((".json", ".jsonl"))]
            if not members:
                return b""
            with archive.open(members[0]) as handle:
                return handle.read(HEAD_BYTES)
    with path.open("rb") as handle:
        return handle.read(HEAD_BYTES)
