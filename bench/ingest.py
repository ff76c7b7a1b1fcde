"""Ingest speed: rows/s of `partnergraph ingest` against a plain driver baseline, same run.

For each size it generates a synthetic canonical folder (`partnergraph generate`), starts its own
Neo4j in a temporary folder, and measures on an empty graph:

- baseline: what a plain driver script does with organizations.csv: read it with the csv
  module (numbers typed, nothing checked) and write the rows with `UNWIND $rows AS row CREATE
  (o:Organization) SET o = row` in batches of the ingest's size, into the same schema
  (constraints, indexes, reference tables); timed from the file on disk until the indexes are
  populated, like every load here;
- ingest of organizations.csv alone (validation, hashes, coordinates and region, trade and
  industry links included), without embeddings; ratio to the baseline (target >= 0.7); the
  two alternate `--repeat` times and their medians are compared; and the ingest's write phase
  alone (its report's `phases`), the rate it would reach if reading, checking and planning
  cost nothing; and the CPU each side used (core-seconds of the Neo4j process and of this
  one, driver threads included), which shows where a 2-core machine's time goes;
- the whole folder, first load and re-load (unchanged input: nothing written, nothing encoded);
- the same with embeddings for the sizes in --embed-sizes.

Usage: .venv/bin/python bench/ingest.py [--sizes 10000,100000] [--embed-sizes 10000]
"""

from __future__ import annotations

import argparse
import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graph import admin, schema, writes  # noqa: E402
from graph.connection import Graph  # noqa: E402
from graph.server import LocalNeo4j, ServerConfig, cpu_seconds, free_port  # noqa: E402
from ingest.pipeline import IngestOptions, ingest_path  # noqa: E402
from matching.encoder import get_encoder  # noqa: E402
from partnergraph.settings import Settings  # noqa: E402

BATCH = 2000


class Cpu:
    """Core-seconds used by the Neo4j server process and by this process over a measurement."""

    def __init__(self, server_pid: int | None) -> None:
        self.server_pid = server_pid

    def now(self) -> tuple[float, float]:
        server = cpu_seconds(self.server_pid) if self.server_pid is not None else None
        return float("nan") if server is None else server, time.process_time()

    def since(self, start: tuple[float, float]) -> tuple[float, float]:
        server, own = self.now()
        return server - start[0], own - start[1]


def generate(orgs: int, out: Path, competences: int) -> None:
    subprocess.run(
        [
            str(ROOT / ".venv" / "bin" / "partnergraph"),
            "generate",
            "--orgs",
            str(orgs),
            "--competences-per-org",
            str(competences),
            str(out),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def count_rows(folder: Path) -> int:
    total = 0
    for file in folder.glob("*.csv"):
        with file.open(encoding="utf-8") as handle:
            total += sum(1 for _ in handle) - 1
    return total


def raw_rows(file: Path) -> list[dict[str, Any]]:
    """The organisation rows as the baseline writes them: the same columns, typed minimally."""
    with file.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    prepared = []
    for row in rows:
        item: dict[str, Any] = {k: v for k, v in row.items() if v not in ("", None)}
        for name in ("lat", "lon"):
            if name in item:
                item[name] = float(item[name].replace(",", "."))
        if "employees" in item:
            item["employees"] = int(item["employees"])
        prepared.append(item)
    return prepared


def baseline(graph: Graph, file: Path, cpu: Cpu) -> tuple[float, int, tuple[float, float]]:
    """A plain driver script's load of the file: read it, write it, wait for the indexes."""
    used = cpu.now()
    started = time.perf_counter()
    rows = raw_rows(file)
    for start in range(0, len(rows), BATCH):
        writes.plain_create_organizations(graph, rows[start : start + BATCH])
    # measured to the same end as an ingest: written and searchable (indexes populated)
    schema.await_indexes(graph)
    return time.perf_counter() - started, len(rows), cpu.since(used)


def timed_ingest(
    graph: Graph, folder: Path, embedder: Any, cpu: Cpu
) -> tuple[float, Any, tuple[float, float]]:
    used = cpu.now()
    started = time.perf_counter()
    report = ingest_path(graph, folder, IngestOptions(source="bench"), embedder)
    # A load is done when its texts are searchable: index population runs in the background
    # and would otherwise slow the next measurement instead of this one.
    schema.await_indexes(graph)
    elapsed = time.perf_counter() - started
    if not report.ok:
        raise SystemExit(f"ingest rejected rows: {report.problems[:3]}")
    return elapsed, report, cpu.since(used)


def cpu_cell(samples: list[tuple[float, float]], seconds: float) -> str:
    """Median core-seconds of Neo4j and of this process, and the cores busy on average."""
    server = statistics.median(s[0] for s in samples)
    own = statistics.median(s[1] for s in samples)
    return f"{server:.1f} + {own:.1f} ({(server + own) / seconds:.2f} cores)"


def spread(rows: int, times: list[float]) -> str:
    """The range of rates over repeated runs."""
    return f"{rows / max(times):,.0f}-{rows / min(times):,.0f}"


def reset(graph: Graph) -> None:
    """An empty graph with its schema and reference tables: every measurement starts here."""
    admin.delete_loaded_data(graph)
    schema.init_schema(graph)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--embed-sizes", default="10000")
    parser.add_argument("--competences-per-org", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5, help="baseline/ingest pairs per size")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    embed_sizes = {int(s) for s in args.embed_sizes.split(",") if s}

    work = Path(tempfile.mkdtemp(prefix="partnergraph-bench-"))
    settings = Settings(
        _env_file=None,
        neo4j_home=work / "neo4j",
        neo4j_bolt_port=free_port(),
        neo4j_http_port=0,
        neo4j_heap="2g",
        neo4j_pagecache="1g",
    )
    server = LocalNeo4j(ServerConfig.from_settings(settings))
    server.start()
    cpu = Cpu(server.status().pid)
    results: list[Row] = []
    try:
        with Graph.from_settings(settings) as graph:
            admin.delete_everything(graph)
            reset(graph)
            for size in sizes:
                folder = work / f"data-{size}"
                generate(size, folder, args.competences_per_org)
                all_rows = count_rows(folder)
                orgs_only = work / f"orgs-{size}"
                orgs_only.mkdir()
                shutil.copy(folder / "organizations.csv", orgs_only / "organizations.csv")
                # warm-up: reference data and the page cache, not measured
                ingest_path(graph, orgs_only, IngestOptions(source="bench"), None)
                reset(graph)

                # Baseline and ingest alternate, `--repeat` times each: single runs on a
                # 2-core machine vary by a third; the medians are compared.
                raw_times, org_times, write_times, before_times = [], [], [], []
                raw_cpu, org_cpu = [], []
                for _ in range(args.repeat):
                    raw_s, org_rows, used = baseline(graph, orgs_only / "organizations.csv", cpu)
                    raw_times.append(raw_s)
                    raw_cpu.append(used)
                    reset(graph)
                    org_s, org_report, used = timed_ingest(graph, orgs_only, None, cpu)
                    org_times.append(org_s)
                    org_cpu.append(used)
                    phases = org_report.phases
                    write_times.append(phases["write"])
                    before_times.append(sum(phases.values()) - phases["write"])
                    reset(graph)
                raw_s, org_s = statistics.median(raw_times), statistics.median(org_times)
                results.append(
                    (
                        f"{size:,} orgs",
                        f"plain UNWIND ... CREATE (baseline), median of {args.repeat}",
                        f"{raw_s:.2f}",
                        f"{org_rows / raw_s:,.0f} ({spread(org_rows, raw_times)})",
                        "1.00",
                        cpu_cell(raw_cpu, raw_s),
                    )
                )
                results.append(
                    (
                        f"{size:,} orgs",
                        f"ingest organizations.csv, no embeddings, median of {args.repeat}",
                        f"{org_s:.2f}",
                        f"{org_rows / org_s:,.0f} ({spread(org_rows, org_times)})",
                        f"{raw_s / org_s:.2f}",
                        cpu_cell(org_cpu, org_s),
                    )
                )
                # The ceiling: the ingest's own writes (nodes with their region, trade and
                # industry links), were all its reading, checking and planning free.
                write_s = statistics.median(write_times)
                results.append(
                    (
                        f"{size:,} orgs",
                        "  of it the writes alone (phase 'write'), median",
                        f"{write_s:.2f}",
                        f"{org_rows / write_s:,.0f} ({spread(org_rows, write_times)})",
                        f"{raw_s / write_s:.2f}",
                        "",
                    )
                )
                # Before its first write the ingest reads, checks and plans the whole file (a
                # file with a bad row writes nothing): one core busy, the server idle.
                results.append(
                    (
                        f"{size:,} orgs",
                        "  of it reading, checking, planning and the rest, median",
                        f"{statistics.median(before_times):.2f}",
                        "",
                        "",
                        "",
                    )
                )

                first_s, _, _ = timed_ingest(graph, folder, None, cpu)
                again_s, _, _ = timed_ingest(graph, folder, None, cpu)
                results.append(
                    (
                        f"{size:,} orgs",
                        f"whole folder ({all_rows:,} rows), first load",
                        f"{first_s:.2f}",
                        f"{all_rows / first_s:,.0f}",
                        f"{raw_s * all_rows / org_rows / first_s:.2f}",
                        "",
                    )
                )
                results.append(
                    (
                        f"{size:,} orgs",
                        "whole folder, re-load (unchanged)",
                        f"{again_s:.2f}",
                        f"{all_rows / again_s:,.0f}",
                        f"first/re-load {first_s / again_s:.1f}x",
                        "",
                    )
                )
                if size in embed_sizes:
                    reset(graph)
                    embedder = get_encoder("use-multilingual")
                    first_e, report, _ = timed_ingest(graph, folder, embedder, cpu)
                    again_e, _, _ = timed_ingest(graph, folder, embedder, cpu)
                    results.append(
                        (
                            f"{size:,} orgs",
                            f"whole folder with embeddings ({report.embedded:,} texts), first load",
                            f"{first_e:.2f}",
                            f"{all_rows / first_e:,.0f}",
                            "",
                            "",
                        )
                    )
                    results.append(
                        (
                            f"{size:,} orgs",
                            "with embeddings, re-load (unchanged)",
                            f"{again_e:.2f}",
                            f"{all_rows / again_e:,.0f}",
                            f"first/re-load {first_e / again_e:.1f}x",
                            "",
                        )
                    )
                reset(graph)
    except BaseException:
        logs = Path(tempfile.gettempdir()) / "partnergraph-bench-failed-logs"
        shutil.copytree(work / "neo4j" / "logs", logs, dirs_exist_ok=True)
        print(f"failed; Neo4j logs copied to {logs}", file=sys.stderr)
        print_table(results)
        raise
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print_table(results)


HEADER = ("size", "run", "seconds", "rows/s", "ratio", "CPU s: Neo4j + this process")
Row = tuple[str, str, str, str, str, str]


def print_table(results: list[Row]) -> None:
    widths = [max(len(r[i]) for r in [*results, HEADER]) for i in range(len(HEADER))]
    header = HEADER
    print(" | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    print("-+-".join("-" * w for w in widths))
    for row in results:
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
