"""The `partnergraph` command: the composition root that wires settings, graph and service."""

from __future__ import annotations

import dataclasses
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from graph import admin, schema, stats
from graph.connection import Graph
from graph.model import Label, OrgKind
from graph.server import LocalNeo4j, ServerConfig, ServerStatus
from partnergraph.errors import PartnergraphError
from partnergraph.settings import Settings, get_settings

app = typer.Typer(
    help="partnergraph: a knowledge graph of a region's organisations, and partner matching.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
neo4j_app = typer.Typer(help="The local Neo4j server (unused when NEO4J_URI is set).")
db_app = typer.Typer(help="Schema and contents of the graph database.")
app.add_typer(neo4j_app, name="neo4j")
app.add_typer(db_app, name="db")
keys_app = typer.Typer(help="API keys of the service (stored hashed; shown once when made).")
app.add_typer(keys_app, name="keys")
needs_app = typer.Typer(
    help="What universities and analysts may read of anonymous and confidential needs."
)
app.add_typer(needs_app, name="needs")

out = Console()
err = Console(stderr=True, soft_wrap=True)  # problems stay one line each: people grep them


def main() -> None:
    """Console-script entry: typed errors become a message and exit code 1, not a traceback."""
    try:
        app()
    except PartnergraphError as error:
        err.print(f"[bold red]error:[/] {error}", highlight=False, markup=True)
        sys.exit(1)


def _settings() -> Settings:
    return get_settings()


def _local_server(settings: Settings) -> LocalNeo4j:
    if not settings.uses_local_server:
        raise PartnergraphError(
            f"NEO4J_URI is set ({settings.neo4j_uri}): partnergraph uses that server and does "
            "not manage a local one. Unset NEO4J_URI to use the local server."
        )
    return LocalNeo4j(ServerConfig.from_settings(settings))


@contextmanager
def _graph(settings: Settings) -> Iterator[Graph]:
    graph = Graph.from_settings(settings)
    try:
        graph.ping()
        yield graph
    finally:
        graph.close()


@contextmanager
def _running_neo4j(settings: Settings) -> Iterator[None]:
    """Make sure Neo4j answers; stop the local server afterwards only if we started it."""
    if not settings.uses_local_server:
        yield
        return
    server = LocalNeo4j(ServerConfig.from_settings(settings))
    started_here = server.status().pid is None
    if started_here:
        err.print(f"Starting the local Neo4j in {settings.neo4j_home} ...")
    status = server.start()
    _print_status(status, console=err)
    try:
        yield
    finally:
        if started_here:
            err.print("Stopping the local Neo4j ...")
            server.stop()


def _print_status(status: ServerStatus, console: Console = out) -> None:
    if not status.running:
        console.print(f"Neo4j is not running (home {status.home}).")
        return
    memory = f"{status.rss_bytes / 2**20:.0f} MiB" if status.rss_bytes else "?"
    answer = "answers" if status.answers else "does not answer (yet)"
    console.print(
        f"Neo4j runs as pid {status.pid}, {memory} resident; Bolt {status.bolt_uri} {answer}"
        + (f"; Browser {status.http_url}/browser/" if status.http_url else "")
    )
    if status.password_file is not None:
        # Where the password is, never the password: terminals and CI logs are kept and shared.
        console.print(
            f"User neo4j, password in {status.password_file} "
            "(`partnergraph neo4j password` prints it)."
        )


# --- neo4j ---------------------------------------------------------------------------------


@neo4j_app.command("install")
def neo4j_install() -> None:
    """Resolve Neo4j's jars with Maven and compile the launcher (skipped when current)."""
    # Allowed with NEO4J_URI set too: the test suite always runs its own local server.
    server = LocalNeo4j(ServerConfig.from_settings(_settings()))
    classes, classpath = server.install()
    out.print(f"Neo4j launcher ready in {classes} ({len(classpath.split(':'))} jars).")


@neo4j_app.command("start")
def neo4j_start() -> None:
    """Start the local Neo4j and wait until Bolt accepts the configured password."""
    status = _local_server(_settings()).start()
    _print_status(status)


@neo4j_app.command("stop")
def neo4j_stop() -> None:
    """Stop the local Neo4j cleanly."""
    if _local_server(_settings()).stop():
        out.print("Neo4j stopped.")
    else:
        out.print("Neo4j was not running.")


@neo4j_app.command("password")
def neo4j_password() -> None:
    """Print the local Neo4j's password (for the Neo4j Browser); made at its first start."""
    settings = _settings()
    server = _local_server(settings)
    if settings.neo4j_password is not None:
        err.print("NEO4J_PASSWORD is set: the local Neo4j uses that password.")
    password = server.password
    if not password:
        raise PartnergraphError(
            f"The local Neo4j has no password yet: {settings.neo4j_password_file} is made at "
            "its first start (`partnergraph neo4j start`)."
        )
    sys.stdout.write(password + "\n")


@neo4j_app.command("status")
def neo4j_status(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Whether the local Neo4j runs, answers, and how much memory it takes."""
    status = _local_server(_settings()).status()
    if as_json:
        data = {
            **status.__dict__,
            "home": str(status.home),
            "password_file": str(status.password_file) if status.password_file else None,
        }
        out.print_json(json.dumps(data))
    else:
        _print_status(status)
    raise typer.Exit(0 if status.answers else 3)


# --- db ------------------------------------------------------------------------------------------


@db_app.command("init")
def db_init() -> None:
    """Create constraints and indexes (idempotent) and record the schema version."""
    with _graph(_settings()) as graph:
        version = schema.init_schema(graph, force=True)
    out.print(f"Schema version {version} in place.")


@db_app.command("stats")
def db_stats(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Node counts per label and relationship counts per type."""
    with _graph(_settings()) as graph:
        nodes = stats.node_counts(graph)
        relationships = stats.relationship_counts(graph)
    if as_json:
        sys.stdout.write(json.dumps({"nodes": nodes, "relationships": relationships}) + "\n")
        return
    for title, counts in (("label", nodes), ("relationship type", relationships)):
        table = Table(title_justify="left")
        table.add_column(title)
        table.add_column("count", justify="right")
        for name, count in counts.items():
            table.add_row(name, f"{count:,}")
        out.print(table)


@db_app.command("clear")
def db_clear(yes: bool = typer.Option(False, "--yes", help="Do not ask.")) -> None:
    """Delete every node and relationship of the configured database."""
    settings = _settings()
    if not yes:
        typer.confirm(
            f"Delete everything in {settings.neo4j_database} at {settings.bolt_uri}?", abort=True
        )
    with _graph(settings) as graph:
        admin.delete_everything(graph)
    out.print("Graph emptied.")


# --- backup and restore ------------------------------------------------------------------------


@app.command("backup")
def backup_command(
    path: Path = typer.Argument(..., help="The file to write (JSON lines)."),
    compress: bool = typer.Option(False, "--gzip", help="Compress with gzip."),
    with_keys: bool = typer.Option(
        True,
        "--with-keys/--without-keys",
        help="Include the service's API keys (hashes) and subscriptions.",
    ),
) -> None:
    """Write the whole graph to a file that `restore` gives back exactly."""
    from partnergraph.backup import backup

    with _graph(_settings()) as graph, _progress() as progress:
        summary = backup(graph, path, compress=compress, with_keys=with_keys, progress=progress)
    header = summary.header
    out.print(
        f"Backed up {header.node_total:,} nodes and {header.relationship_total:,} relationships "
        f"to {summary.path} ({summary.size / 2**20:.1f} MiB) in {summary.seconds:.1f} s."
    )
    if summary.skipped:
        err.print(
            f"{summary.skipped} relationships were left out: their ends were written while the "
            "backup ran; run it again when nothing writes to the graph"
        )


@app.command("restore")
def restore_command(
    path: Path = typer.Argument(..., help="A file written by `partnergraph backup`."),
    yes: bool = typer.Option(False, "--yes", help="Replace what the graph holds now."),
) -> None:
    """Give back a backup: checked whole first, then written into an empty graph."""
    from partnergraph.backup import restore

    with _graph(_settings()) as graph, _progress() as progress:
        summary = restore(graph, path, replace=yes, progress=progress)
    header = summary.header
    out.print(
        f"Restored {header.node_total:,} nodes and {header.relationship_total:,} relationships "
        f"from {summary.path} (written {header.created_at} by partnergraph "
        f"{header.partnergraph_version}) in {summary.seconds:.1f} s."
    )


# --- keys ----------------------------------------------------------------------------------------


@keys_app.command("add")
def keys_add(
    name: str = typer.Argument(
        ..., help="Who holds the key, e.g. 'IHK Dortmund, Team Innovation'."
    ),
    role: str = typer.Option(..., help="staff, university, analyst or admin."),
    organization: str | None = typer.Option(
        None, help="The holder's organisation key (needed for university keys)."
    ),
) -> None:
    """Make a key and print it once: only its hash is stored."""
    from service.auth import Role, add_key

    if role not in Role.__members__:
        raise typer.BadParameter(
            f"{role!r}: use one of {', '.join(Role.__members__)}", param_hint="--role"
        )
    with _graph(_settings()) as graph:
        schema.init_schema(graph)
        key_id, secret = add_key(graph, name, role, organization)
    err.print(f"Key {key_id} for {name} ({role}). It is shown only now; keep it safe:")
    sys.stdout.write(secret + "\n")


@keys_app.command("list")
def keys_list(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Every key with its role and whether it is revoked (never the keys themselves)."""
    from graph import keys

    with _graph(_settings()) as graph:
        rows = keys.list_keys(graph)
    if as_json:
        sys.stdout.write(json.dumps(rows) + "\n")
        return
    table = Table(title_justify="left")
    for column in ("id", "name", "role", "organization", "created", "revoked"):
        table.add_column(column)
    for row in rows:
        table.add_row(
            row["id"],
            row["name"],
            row["role"],
            row["organization"] or "",
            (row["created_at"] or "")[:19],
            (row["revoked_at"] or "")[:19],
        )
    out.print(table)


@keys_app.command("revoke")
def keys_revoke(key_id: str = typer.Argument(..., help="The key's id (see `keys list`).")) -> None:
    """Revoke a key: requests with it get 401 from now on."""
    from graph import keys
    from partnergraph.errors import NotFound

    with _graph(_settings()) as graph:
        if not keys.revoke_key(graph, key_id):
            raise NotFound(f"no API key with id {key_id!r} (see `partnergraph keys list`)")
    out.print(f"Key {key_id} revoked.")


# --- service -----------------------------------------------------------------------------------


def _serve(settings: Settings, host: str | None, port: int | None) -> None:
    import uvicorn

    from service.app import create_app

    # The app logs every request as one JSON line (service.middleware.RequestLog); uvicorn's
    # own access line would only say the same again, less parseably.
    if settings.workers > 1:
        # Worker processes import the app themselves and read the same environment.
        uvicorn.run(
            "service.app:app_from_environment",
            factory=True,
            workers=settings.workers,
            host=host or settings.host,
            port=port or settings.port,
            log_level="info",
            access_log=False,
        )
        return
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_level="info",
        access_log=False,
    )


@app.command("serve")
def serve(
    host: str | None = typer.Option(None, help="Listen address (PARTNERGRAPH_HOST)."),
    port: int | None = typer.Option(None, help="Port (PARTNERGRAPH_PORT)."),
) -> None:
    """Serve the API and pages; starts the local Neo4j first unless NEO4J_URI is set."""
    settings = _settings()
    with _running_neo4j(settings):
        _serve(settings, host, port)


@app.command("demo")
def demo(
    host: str | None = typer.Option(None, help="Listen address (PARTNERGRAPH_HOST)."),
    port: int | None = typer.Option(None, help="Port (PARTNERGRAPH_PORT)."),
) -> None:
    """The main job: local Neo4j, schema, sample data when the graph is empty, then serve."""
    settings = _settings()
    with _running_neo4j(settings):
        with _graph(settings) as graph:
            schema.init_schema(graph)
            if stats.is_empty(graph):
                _load_sample(settings, graph)
                # Sample data: as if staff had accepted every proposed wording.
                released = _release_proposed(settings, graph, by="demo")
                err.print(f"Released the proposed wording of {released} sample needs.")
            keys_file = settings.neo4j_home.parent / "demo-keys.json"
            demo_keys(graph, keys_file)
        where = host or settings.host
        if where in ("0.0.0.0", "::"):  # listening everywhere: this machine is one of them
            where = "127.0.0.1"
        err.print(
            f"Pages: http://{where}:{port or settings.port}/ - sign in with a key per role "
            f"from {keys_file}"
        )
        _serve(settings, host, port)


# A university of the sample data (its own competences fit needs); any university otherwise.
DEMO_UNIVERSITY = "uni-tu-dortmund"


def demo_keys(graph: Graph, path: Path) -> dict[str, Any]:
    """A key per role for trying the pages, kept in `path` (JSON, readable by the owner only).

    Keys written before are reused while the graph still knows them; otherwise new ones are
    made. The university key belongs to a university of the data.
    """
    from graph import explore, keys
    from service.auth import Role, add_key, hash_key

    if path.exists():
        kept: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        secrets = [entry["key"] for entry in kept.get("keys", {}).values()]
        if secrets and all(keys.key_by_hash(graph, hash_key(s)) for s in secrets):
            return kept
    university: str | None = DEMO_UNIVERSITY
    if not explore.organization_exists(graph, DEMO_UNIVERSITY):
        found = explore.search_organizations(graph, kind=OrgKind.university, limit=1)
        university = found[0]["key"] if found else None
    made: dict[str, Any] = {"university_organization": university, "keys": {}}
    for role in Role:
        if role is Role.university and university is None:
            continue  # no university in the graph: a university key would have nothing to show
        org = university if role is Role.university else None
        key_id, secret = add_key(graph, f"Demo {role.value}", role, org)
        made["keys"][role.value] = {"id": key_id, "key": secret}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.chmod(0o600)  # also when an older file was there
    path.write_text(json.dumps(made, indent=2) + "\n", encoding="utf-8")
    return made


def _load_sample(settings: Settings, graph: Graph) -> None:
    """Generate the network sample (deterministic) and load it with embeddings."""
    from ingest.pipeline import IngestOptions, ingest_path
    from sample.generator import SampleSpec, write_scaled

    folder = settings.neo4j_home.parent / "sample"
    if not (folder / "organizations.csv").exists():
        write_scaled(SampleSpec.network(), folder)
    err.print(f"The graph is empty: loading the sample data from {folder} ...")
    with _progress() as progress:
        report = ingest_path(
            graph, folder, IngestOptions(source="sample"), _embedder(settings), progress
        )
    _print_ingest_report(report)
    _recompute_communities(graph)


def _recompute_communities(graph: Graph) -> None:
    """The network's communities after a load (graph.communities): the explorer's overview."""
    from graph.communities import recompute

    done = recompute(graph)
    err.print(
        f"Communities: {done['communities']} of {done['organizations']} organisations "
        f"({done['ties']} ties) in {done['total_s']} s"
    )


# --- ingest ----------------------------------------------------------------------------------


@app.command("ingest")
def ingest(
    path: Path = typer.Argument(
        ...,
        help="A canonical folder, an .xlsx/.csv/.jsonl file, or an "
        "export of CORDIS, ROR or OpenAlex.",
    ),
    fmt: str = typer.Option("auto", "--format", help="auto|csv|xlsx|jsonl|cordis|ror|openalex"),
    source: str | None = typer.Option(
        None,
        help="Source name recorded on the nodes "
        "(default: the folder or file name, or the adapter).",
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Validate and count, write nothing."),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Load the valid rows; write the rejects to a file."
    ),
    report_missing: bool = typer.Option(
        False, "--report-missing", help="List keys of this source that the input no longer has."
    ),
    embed: bool = typer.Option(True, "--embed/--no-embed", help="Compute text embeddings."),
    batch_size: int = typer.Option(2000, help="Rows per transaction."),
    communities: bool = typer.Option(
        True,
        "--communities/--no-communities",
        help="Recompute the network's communities after the load (the explorer's overview).",
    ),
    countries: str = typer.Option(
        "DE",
        "--countries",
        help="CORDIS: the region's countries (e.g. DE or DE,NL; 'all' for every one); the "
        "other partners of their projects are kept, marked as outside the region.",
    ),
) -> None:
    """Load a region's organisations, competences, needs and projects into the graph."""
    from ingest.pipeline import IngestOptions, ingest_path

    settings = _settings()
    options = IngestOptions(
        fmt=fmt,
        source=source,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        report_missing=report_missing,
        batch_size=batch_size,
        rejects_dir=settings.neo4j_home.parent / "rejects",
        countries=_countries(countries),
    )
    with _graph(settings) as graph:
        embedder = _embedder(settings) if embed and not dry_run else None
        with _progress() as progress:
            report = ingest_path(graph, path, options, embedder, progress)
        _print_ingest_report(report)
        if report.ok and not dry_run and communities:
            _recompute_communities(graph)
    if not report.ok:
        raise typer.Exit(2)


def _countries(value: str) -> frozenset[str] | None:
    """'DE,NL' -> {'DE', 'NL'}; 'all' (or nothing) -> None, every country."""
    codes = frozenset(part.strip().upper() for part in value.replace(";", ",").split(","))
    codes -= {""}
    return None if not codes or codes == {"ALL"} else codes


# --- matching ----------------------------------------------------------------------------------


@app.command("match")
def match_command(
    text: str = typer.Argument(..., help="The need, as a staff member would write it."),
    kind: list[str] | None = typer.Option(None, "--kind", help="Only these kinds (repeatable)."),
    near: str | None = typer.Option(None, help="Postcode to measure distances from."),
    radius_km: float | None = typer.Option(None, "--radius-km", help="Only partners this near."),
    asker: str | None = typer.Option(None, help="Key of the asking organisation."),
    limit: int = typer.Option(10, help="How many suggestions."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Ranked, explained partner suggestions for a company's need."""
    from matching.matcher import MatchRequest, match, weights_from

    settings = _settings()
    request = MatchRequest(
        text=text,
        kinds=tuple(kind) if kind else None,
        near=near,
        radius_km=radius_km,
        limit=limit,
        asker=asker,
    )
    with _graph(settings) as graph:
        suggestions = match(graph, _embedder(settings), request, weights_from(settings))
    if as_json:
        rows = [suggestion.__dict__ for suggestion in suggestions]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"partners for: {text}", title_justify="left", show_lines=True)
    for column in ("#", "score", "sem/lex/graph", "km", "partner", "evidence"):
        table.add_column(column)
    for position, s in enumerate(suggestions, start=1):
        evidence = s.evidence[0] if s.evidence else {}
        terms = ", ".join(evidence.get("terms", []))
        table.add_row(
            str(position),
            f"{s.score:.2f}",
            f"{s.semantic:.2f}/{s.lexical:.2f}/{s.graph:.2f}",
            "" if s.distance_km is None else f"{s.distance_km:.0f}",
            f"{s.name}\n{s.kind}, {s.city or ''}",
            f"{evidence.get('title', '')}" + (f"\n[{terms}]" if terms else ""),
        )
    out.print(table)


@app.command("eval")
def eval_command(
    queries: Path | None = typer.Option(
        None, help="Judged needs (JSON lines); default: PARTNERGRAPH_DATA_DIR/eval/queries.jsonl."
    ),
    qrels: Path | None = typer.Option(
        None, help="Judgements: query, org, grade; default: PARTNERGRAPH_DATA_DIR/eval/qrels.tsv."
    ),
    data: Path | None = typer.Option(
        None,
        help="Load this canonical folder into a fresh private graph (a local Neo4j of its own "
        "in a temporary folder; with NEO4J_URI set: the configured database, which must hold "
        "no organisations unless --force) and evaluate there.",
    ),
    force: bool = typer.Option(
        False, "--force", help="With --data and NEO4J_URI: load into a database holding data."
    ),
    split: str = typer.Option("test", help="dev, test or all."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """nDCG@10, Recall@10 and MRR of lexical, semantic, fused and fused + graph ranking, and of a
    plain BM25 over the same texts; milliseconds per query."""
    import time

    from ingest.pipeline import IngestOptions, ingest_path
    from matching.bm25 import reference_for
    from matching.evaluation import evaluate, load_qrels, load_queries
    from matching.matcher import weights_from

    settings = _settings()
    queries = queries or settings.data_dir / "eval" / "queries.jsonl"
    qrels = qrels or settings.data_dir / "eval" / "qrels.tsv"
    embedder = _embedder(settings)
    chosen = [q for q in load_queries(queries) if split == "all" or q.split == split]
    load_s: float | None = None
    with _eval_graph(settings, data is not None, force) as graph:
        if data is not None:
            started = time.perf_counter()
            report = ingest_path(graph, data, IngestOptions(source="eval"), embedder)
            if not report.ok:
                _print_ingest_report(report)
                raise typer.Exit(2)
            load_s = round(time.perf_counter() - started, 1)
        result = evaluate(
            graph,
            embedder,
            chosen,
            load_qrels(qrels),
            weights_from(settings),
            reference=reference_for(graph),
        )
    if as_json:
        payload = {"model": embedder.name, "split": split, "load_s": load_s, **result.__dict__}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return
    timing = (
        f"; match p50 {result.ms_per_query['p50']:.0f} ms, p95 {result.ms_per_query['p95']:.0f} ms"
    )
    loaded = "" if load_s is None else f"; loaded in {load_s:.1f} s"
    table = Table(
        title=f"{result.queries} queries ({split}), model {embedder.name}{loaded}{timing}",
        title_justify="left",
    )
    for column in ("ranking", "nDCG@10", "Recall@10", "MRR"):
        table.add_column(column, justify="left" if column == "ranking" else "right")
    for row, means in result.overall.items():
        table.add_row(row, *(f"{means[m]:.1f}" for m in ("nDCG@10", "Recall@10", "MRR")))
    out.print(table)
    tags = Table(title="nDCG@10 by tag", title_justify="left")
    tags.add_column("tag")
    for row in result.overall:
        tags.add_column(row, justify="right")
    for tag, per_row in result.by_tag.items():
        tags.add_row(tag, *(f"{per_row[row]['nDCG@10']:.1f}" for row in result.overall))
    out.print(tags)
    for row, diff in result.against_bm25.items():
        out.print(
            f"{row} - bm25: {diff['mean']:+.1f} nDCG@10 points "
            f"(paired standard error {diff['se']:.1f}; 95 % interval "
            f"{diff['mean'] - 1.96 * diff['se']:+.1f} .. {diff['mean'] + 1.96 * diff['se']:+.1f})"
        )


@contextmanager
def _eval_graph(settings: Settings, load: bool, force: bool) -> Iterator[Graph]:
    """The graph to evaluate in. Without a load: the configured one. With one: a local Neo4j of
    its own in a temporary folder, so nothing already stored joins the candidates; with
    NEO4J_URI set, the configured database, refused while it holds organisations (unless
    `force`)."""
    if not load:
        with _graph(settings) as graph:
            yield graph
        return
    if not settings.uses_local_server:
        with _graph(settings) as graph:
            if not force and stats.node_counts(graph).get(Label.Organization, 0):
                raise PartnergraphError(
                    "eval --data: the configured database already holds organisations, which "
                    "would join the candidates; empty it (`partnergraph db clear`), unset "
                    "NEO4J_URI for a private graph, or give --force"
                )
            schema.init_schema(graph)
            yield graph
        return
    import tempfile

    from graph.server import free_port

    with tempfile.TemporaryDirectory(prefix="partnergraph-eval-") as folder:
        private = settings.model_copy(
            update={
                "neo4j_home": Path(folder) / "neo4j",
                "neo4j_bolt_port": free_port(),
                "neo4j_http_port": 0,
                "neo4j_password": None,
            }
        )
        server = LocalNeo4j(ServerConfig.from_settings(private))
        err.print(f"eval: a private Neo4j in {folder} (removed afterwards)")
        server.start()
        try:
            with _graph(private) as graph:
                schema.init_schema(graph)
                yield graph
        finally:
            server.stop()


@app.command("communities")
def communities_command() -> None:
    """Recompute the communities of the whole network, their layout, labels and coverage."""
    with _graph(_settings()) as graph:
        _recompute_communities(graph)


@app.command("topics")
def topics_command(
    k: int | None = typer.Option(None, help="Number of topics (default: chosen by silhouette)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Open needs grouped into labelled topics, and the needs no organisation covers well."""
    from matching.analytics import need_landscape

    with _graph(_settings()) as graph:
        landscape = need_landscape(graph, k)
    if as_json:
        payload = {
            "topics": [
                {"id": t.id, "label": t.label, "size": t.size, "needs": list(t.need_keys)}
                for t in landscape.topics
            ],
            "gaps": [g.__dict__ for g in landscape.gaps],
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
        return
    table = Table(title=f"{len(landscape.topics)} topics of open needs", title_justify="left")
    for column in ("topic", "needs", "label", "example"):
        table.add_column(column)
    for topic in landscape.topics:
        example = landscape.titles.get(topic.need_keys[0], "") if topic.need_keys else ""
        table.add_row(topic.id, str(topic.size), topic.label, example)
    out.print(table)
    gaps = Table(title=f"{len(landscape.gaps)} needs nobody covers well", title_justify="left")
    for column in ("need", "best coverage", "title"):
        gaps.add_column(column)
    for gap in landscape.gaps:
        gaps.add_row(gap.key, f"{gap.best_score:.2f}", landscape.titles.get(gap.key, ""))
    out.print(gaps)


@needs_app.command("pending")
def needs_pending() -> None:
    """Anonymous and confidential needs that universities and analysts cannot see yet: their
    current words have no released wording (release them on the search page or with the API,
    PUT /api/v1/needs/{key}/shared)."""
    from graph import needs

    with _graph(_settings()) as graph:
        keys = needs.needs_to_release(graph)
    for key in keys:
        out.print(key)
    err.print(f"{len(keys)} needs wait for a release.")


@needs_app.command("release-proposed")
def needs_release_proposed(
    yes: bool = typer.Option(
        False, "--yes", help="Release without asking (every proposal unseen by a person)."
    ),
) -> None:
    """Release every pending need in the wording the service proposes, unreviewed: for data
    that staff have checked another way (a sample, a migration)."""
    settings = _settings()
    with _graph(settings) as graph:
        from graph import needs

        pending = len(needs.needs_to_release(graph))
        if not yes and not typer.confirm(
            f"Release {pending} needs as proposed, without a person reading each?"
        ):
            raise typer.Exit(1)
        released = _release_proposed(settings, graph, by="cli")
    out.print(f"Released {released} needs as proposed.")


def _release_proposed(settings: Settings, graph: Graph, by: str) -> int:
    from service.release import gazetteer_of, release_proposed
    from service.scrub import Scrubber

    return release_proposed(graph, _embedder(settings), Scrubber(gazetteer_of(graph)), by)


@app.command("learn")
def learn_command(
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Ranking weights learned from the accepted and rejected suggestions staff recorded,
    printed as settings (nothing changes until they are set in .env)."""
    from matching.learned import learn, settings_lines
    from matching.matcher import weights_from

    settings = _settings()
    with _graph(settings) as graph:
        found = learn(graph, _embedder(settings), weights_from(settings))
    if as_json:
        sys.stdout.write(json.dumps(dataclasses.asdict(found), indent=2) + "\n")
        return
    if not found.pairs:
        out.print(
            f"{found.needs} needs with recorded decisions, {found.outcomes} outcomes: no need "
            "has both an accepted and a rejected suggestion yet, nothing to learn from"
        )
        return
    out.print(
        f"Learned from {found.needs} needs, {found.outcomes} decisions ({found.pairs} pairs "
        f"accepted > rejected). Pairs ordered right: {100 * found.agreement_prior:.1f} % with "
        f"the weights in use, {100 * found.agreement_held_out:.1f} % with learned weights on "
        "needs left out of their fit."
    )
    out.print("To use them, set in .env:")
    for line in settings_lines(found.weights):
        out.print(f"  {line}")


@app.command("reembed")
def reembed_command() -> None:
    """Re-encode every text whose vector another model made (after changing the model)."""
    from matching.reembed import reembed

    settings = _settings()
    encoder = _embedder(settings)
    with _graph(settings) as graph, _progress() as progress:
        done = reembed(graph, encoder, progress)
    summary = ", ".join(f"{label}: {n:,}" for label, n in done.items())
    out.print(f"Re-encoded with {encoder.name} ({encoder.dimension} dimensions): {summary}")


@app.command("generate")
def generate(
    folder: Path = typer.Argument(..., help="Folder to write the canonical CSV files into."),
    orgs: int | None = typer.Option(
        None, help="Organisations in all (network proportions); default: the network sample."
    ),
    competences_per_org: int | None = typer.Option(
        None, help="Exactly this many competences per organisation."
    ),
    seed: int = typer.Option(7, help="Same seed, same files."),
) -> None:
    """Write a synthetic canonical folder (fictional companies, real places) of any size."""
    from sample.generator import SampleSpec, write_scaled

    spec = (
        SampleSpec.network()
        if orgs is None and competences_per_org is None
        else SampleSpec.scaled(orgs or SampleSpec.network().organizations, competences_per_org)
    )
    counts = write_scaled(spec, folder, seed)
    folder.joinpath("README.txt").write_text(
        "Synthetic sample data written by `partnergraph generate` (seed "
        f"{seed}). Companies, craft businesses and service providers are fictional and marked "
        "'(fiktiv)'; places and public institutions are real, their competence texts are not.\n",
        encoding="utf-8",
    )
    out.print(", ".join(f"{entity}: {n:,}" for entity, n in counts.items()))


@app.command("dedupe")
def dedupe(
    report: bool = typer.Option(True, "--report/--no-report", help="List candidate pairs."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Organisations that are probably the same (name and place), for a person to confirm."""
    from graph import writes
    from ingest.resolve import SAME_AS, candidates_for_review, review_status

    with _graph(_settings()) as graph:
        linked = {(p["a"], p["b"]) for p in writes.same_as_pairs(graph)}
        organizations = writes.all_organization_places(graph)
    matches = candidates_for_review(organizations)
    sources = {o["key"]: o["source"] for o in organizations}
    statuses = [review_status(m, sources, linked) for m in matches]
    if as_json:
        rows = [
            {**m.__dict__, "linked": status == SAME_AS, "status": status}
            for m, status in zip(matches, statuses, strict=True)
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")
        return
    if not report:
        return
    table = Table(title=f"{len(matches)} candidate pairs", title_justify="left")
    for column in ("score", "key a", "name a", "key b", "name b", "status"):
        table.add_column(column)
    for m, status in zip(matches, statuses, strict=True):
        table.add_row(f"{m.score:.2f}", m.a, m.name_a, m.b, m.name_b, status)
    out.print(table)


def _embedder(settings: Settings) -> Any:
    from matching.encoder import get_encoder

    return get_encoder(settings.model)


@contextmanager
def _progress() -> Iterator[Callable[[str, int], None]]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    ) as bar:
        tasks: dict[str, Any] = {}

        def advance(what: str, rows: int) -> None:
            if what not in tasks:
                tasks[what] = bar.add_task(what, total=None)
            bar.advance(tasks[what], rows)

        yield advance


def _print_ingest_report(report: Any) -> None:
    table = Table(
        title=f"ingest of source {report.source!r}" + (" (dry run)" if report.dry_run else ""),
        title_justify="left",
    )
    for column in ("label", "created", "updated", "unchanged", "rejected"):
        table.add_column(column, justify="left" if column == "label" else "right")
    for label, counts in report.counts.items():
        table.add_row(
            label,
            f"{counts.created:,}",
            f"{counts.updated:,}",
            f"{counts.unchanged:,}",
            f"{counts.rejected:,}",
        )
    out.print(table)
    phases = ", ".join(f"{name} {seconds:.1f}" for name, seconds in report.phases.items())
    extras = [f"{report.seconds:.1f} s ({phases})", f"{report.embedded:,} texts embedded"]
    if report.same_as:
        extras.append(f"{len(report.same_as)} SAME_AS links")
    out.print(", ".join(extras))
    for file in report.ignored_files:
        out.print(f"ignored: {file} (not a known table)")
    for warning in report.warnings:
        out.print(f"warning: {warning}", markup=False, highlight=False)
    for label, keys in report.missing.items():
        shown = ", ".join(keys[:20]) + (" ..." if len(keys) > 20 else "")
        out.print(f"missing from this export: {len(keys)} {label}: {shown}")
    for file in report.rejected_files:
        err.print(f"[bold red]rejected:[/] {file}: nothing of it was written")
        if file in report.skip_invalid_would:
            whole, repaired, dropped = report.skip_invalid_would[file]
            err.print(
                f"  --skip-invalid would keep {whole:,} rows whole, {repaired:,} with dropped "
                f"cells, and drop {dropped:,}",
                markup=False,
                highlight=False,
            )
    for problem in report.problems[:200]:
        err.print(str(problem), markup=False, highlight=False)
    if len(report.problems) > 200:
        err.print(f"... and {len(report.problems) - 200} more problems")
    if report.rejects_file:
        err.print(f"rejected rows with reasons: {report.rejects_file}")
