"""Memory: the service's resident memory at rest, under 30 whole-graph GEXF exports at once, and
while it is sent a workbook that unpacks to hundreds of megabytes (issue 18).

It starts its own Neo4j in a temporary folder, loads the network sample (3,575 organisations;
without embeddings: exports do not read them, and the service at rest has not loaded the
encoder either), starts the service as `partnergraph serve` with one worker process, and
samples the RSS of that process (and any children) every 20 ms. Stages:

- rest: after /readyz and one small request;
- one whole-graph GEXF export alone (its seconds and size: what a single client gets);
- 30 whole-graph GEXF exports at once (each client reads its download to the end): how many
  got 200 and 429 (beyond PARTNERGRAPH_MAX_CONCURRENT_EXPORTS), seconds of the slowest 200;
- a generated .xlsx of highly compressible sheet XML (`--workbook-mb`, packed about 10:1 like the
  issue's 41 MB workbook that unpacked to 567 MB) uploaded by an admin, then sent without a
  key: the status and seconds of each.
Peak RSS per stage, and its ratio to the RSS at rest (the baseline, measured in the same run).

Usage: .venv/bin/python bench/memory.py [--clients 30] [--workbook-mb 40]
       [--max-exports 2] [--generated 3000]   (a generated graph instead of the sample)
Target (issue 18): peak under 1 GB with the sample.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph import admin, schema, stats  # noqa: E402
from graph.connection import Graph  # noqa: E402
from graph.server import LocalNeo4j, ServerConfig, free_port  # noqa: E402
from ingest.pipeline import IngestOptions, ingest_path  # noqa: E402
from partnergraph.settings import Settings  # noqa: E402
from sample.generator import SampleSpec, write_scaled  # noqa: E402
from service.auth import Role, add_key  # noqa: E402

MB = 1024 * 1024


def rss_bytes(pid: int) -> int:
    """Resident memory of a process and its children (uvicorn may fork workers)."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for one in pids:
        try:
            for line in Path(f"/proc/{one}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


class Sampler:
    """Peak RSS of a process between `start` and `stop`, sampled every 20 ms."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Sampler:
        self.peak = rss_bytes(self.pid)
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, rss_bytes(self.pid))

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        assert self._thread is not None
        self._thread.join()
        self.peak = max(self.peak, rss_bytes(self.pid))


def workbook_bomb(packed_mb: float) -> bytes:
    """A real .xlsx whose one sheet is many megabytes of repetitive rows: packs about 10:1.

    The rows repeat a few names with a counter, so deflate finds long matches but not only
    matches; the size is grown until the packed workbook reaches `packed_mb`.
    """
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    first = book.active
    # openpyxl types `active` as optional (a workbook may have lost its sheets); a new one has one
    assert isinstance(first, Worksheet)
    first.title = "organizations"
    first.append(["key", "name", "kind"])
    template = io.BytesIO()
    book.save(template)
    rng = random.Random(18)
    words = ["Metallbau", "Schweißtechnik", "Hagen", "Dortmund", "GmbH", "e.K.", "Institut"]
    target = int(packed_mb * MB)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template.getvalue())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info, source.read(info))
                continue
            with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
                sheet.write(
                    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                    b'main"><sheetData>'
                )
                number = 1
                while out.tell() < target:
                    rows = []
                    for _ in range(2000):
                        number += 1
                        name = " ".join(rng.choice(words) for _ in range(3))
                        rows.append(
                            f'<row r="{number}"><c r="A{number}" t="inlineStr"><is><t>'
                            f"org-{rng.getrandbits(24):06x}</t></is></c>"
                            f'<c r="B{number}" t="inlineStr"><is><t>{name}</t></is></c>'
                            f'<c r="C{number}" t="inlineStr"><is><t>company</t></is></c></row>'
                        )
                    sheet.write("".join(rows).encode("utf-8"))
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


async def exports(base: str, key: str, clients: int) -> list[tuple[int, float, int]]:
    """(status, seconds, bytes) of `clients` whole-graph GEXF exports started at once."""
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=clients + 5)

    async def one(http: httpx.AsyncClient) -> tuple[int, float, int]:
        started = time.perf_counter()
        size = 0
        async with http.stream("GET", f"{base}/api/v1/export/gexf") as response:
            async for chunk in response.aiter_bytes():
                size += len(chunk)
        return response.status_code, time.perf_counter() - started, size

    async with httpx.AsyncClient(headers=headers, limits=limits, timeout=600) as http:
        return await asyncio.gather(*(one(http) for _ in range(clients)))


def upload(base: str, key: str | None, name: str, data: bytes) -> tuple[int, float, str]:
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    started = time.perf_counter()
    response = httpx.post(
        f"{base}/api/v1/ingest", files={"file": (name, data)}, headers=headers, timeout=600
    )
    detail = response.json().get("detail", "") if response.status_code >= 400 else ""
    return response.status_code, time.perf_counter() - started, detail


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--workbook-mb", type=float, default=40)
    parser.add_argument("--max-exports", type=int, default=2)
    parser.add_argument(
        "--generated", type=int, default=0, help="organisations of a generated graph (0: sample)"
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="partnergraph-bench-memory-"))
    settings = Settings(
        _env_file=None,
        neo4j_home=work / "neo4j",
        neo4j_bolt_port=free_port(),
        neo4j_http_port=0,
        neo4j_heap="1g",
        neo4j_pagecache="512m",
    )
    server = LocalNeo4j(ServerConfig.from_settings(settings))
    server.start()
    service: subprocess.Popen[bytes] | None = None
    rows: list[tuple[str, ...]] = []
    notes: list[str] = []
    try:
        started = time.perf_counter()
        with Graph.from_settings(settings) as graph:
            admin.delete_everything(graph)
            schema.init_schema(graph)
            data = work / "data"
            if args.generated:
                subprocess.run(
                    [
                        str(ROOT / ".venv" / "bin" / "partnergraph"),
                        "generate",
                        str(data),
                        "--orgs",
                        str(args.generated),
                    ],
                    check=True,
                    stdout=subprocess.DEVNULL,
                )
                what = f"a generated graph of {args.generated:,} organisations"
            else:
                write_scaled(SampleSpec.network(), data)
                what = "the network sample"
            ingest_path(graph, data, IngestOptions(source="sample"), None)
            schema.await_indexes(graph)
            _, staff = add_key(graph, "bench", Role.staff)
            _, admin_key = add_key(graph, "bench admin", Role.admin)
            organisations = len(stats.organization_keys(graph))
            nodes = graph.read("MATCH (n) RETURN count(n) AS n")[0]["n"]
            edges = graph.read("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"]
        notes.append(
            f"{what}: {organisations:,} organisations, {nodes:,} nodes, {edges:,} "
            f"relationships, loaded without embeddings in {time.perf_counter() - started:.0f} s"
        )

        port = free_port()
        environment = {
            **os.environ,
            "NEO4J_URI": settings.bolt_uri,
            "NEO4J_PASSWORD": settings.neo4j_secret(),
            "PARTNERGRAPH_WORKERS": "1",
            "PARTNERGRAPH_PORT": str(port),
            "PARTNERGRAPH_MAX_CONCURRENT_EXPORTS": str(args.max_exports),
            "PARTNERGRAPH_JOBS_DIR": str(work / "jobs"),
        }
        service = subprocess.Popen(
            [str(ROOT / ".venv" / "bin" / "partnergraph"), "serve"],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(240):
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        auth = {"Authorization": f"Bearer {staff}"}
        httpx.get(f"{base}/api/v1/organizations", headers=auth, timeout=30).raise_for_status()
        time.sleep(1)
        rest = rss_bytes(service.pid)

        def row(stage: str, peak: int, result: str) -> None:
            rows.append((stage, f"{peak / MB:,.0f}", f"{peak / rest:.2f}", result))

        row("at rest", rest, "")

        with Sampler(service.pid) as sampler:
            ((status, seconds, size),) = asyncio.run(exports(base, staff, 1))
        row(
            "1 whole-graph GEXF export",
            sampler.peak,
            f"{status}, {seconds:.1f} s, {size / MB:.1f} MB",
        )

        with Sampler(service.pid) as sampler:
            results = asyncio.run(exports(base, staff, args.clients))
        ok = [r for r in results if r[0] == 200]
        busy = [r for r in results if r[0] == 429]
        other = [r for r in results if r[0] not in (200, 429)]
        slowest = max((r[1] for r in ok), default=0.0)
        row(
            f"{args.clients} whole-graph GEXF exports at once",
            sampler.peak,
            f"{len(ok)} x 200 (slowest {slowest:.1f} s), {len(busy)} x 429"
            + (f", {len(other)} other" if other else ""),
        )
        if busy:
            notes.append(
                f"429s answered in median {statistics.median(r[1] for r in busy) * 1000:.0f} ms"
            )

        made = time.perf_counter()
        bomb = workbook_bomb(args.workbook_mb)
        with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
        notes.append(
            f"workbook: {len(bomb) / MB:.1f} MB packed, {unpacked / MB:,.0f} MB unpacked "
            f"(made in {time.perf_counter() - made:.0f} s)"
        )
        with Sampler(service.pid) as sampler:
            status, seconds, detail = upload(base, admin_key, "organizations.xlsx", bomb)
        row(
            f"{len(bomb) / MB:.0f} MB workbook upload (admin)",
            sampler.peak,
            f"{status} in {seconds:.1f} s",
        )
        if detail:
            notes.append(f"refused: {detail}")
        with Sampler(service.pid) as sampler:
            status, seconds, _ = upload(base, None, "organizations.xlsx", bomb)
        row(
            f"{len(bomb) / MB:.0f} MB workbook upload (no key)",
            sampler.peak,
            f"{status} in {seconds:.1f} s",
        )
    finally:
        if service is not None:
            service.terminate()
            service.wait(timeout=30)
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    header = ("stage", "peak RSS MB", "peak/rest", "result")
    widths = [max(len(r[i]) for r in [*rows, header]) for i in range(len(header))]
    print(f"one worker process, max {args.max_exports} exports at once, {os.cpu_count()} cores")
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for one in rows:
        print(" | ".join(c.ljust(w) for c, w in zip(one, widths, strict=True)))
    for note in notes:
        print(note)


if __name__ == "__main__":
    main()
