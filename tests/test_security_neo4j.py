"""The local Neo4j is the project's alone: its own password, closed files, no foreign web pages.

Attack: a web page open in the user's browser posts to the local HTTP API with the published
password `partnergraph-local`, or a local user reads the store files. The local server now makes
a random password at its first start, keeps it in a file only the owner reads, closes its home
to other users, and its HTTP connector grants cross-origin access to its own Browser page only.
"""

from __future__ import annotations

import base64
import functools
import http.server
import json
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from neo4j import GraphDatabase
from pydantic import SecretStr
from selenium.webdriver.support.ui import WebDriverWait
from typer.testing import CliRunner

from graph.connection import Graph
from graph.server import (
    LocalNeo4j,
    ServerConfig,
    ensure_password_file,
    free_port,
    secure_home,
)
from partnergraph.cli import app
from partnergraph.errors import GraphAuthError, Neo4jServerError
from partnergraph.settings import PUBLISHED_PASSWORD, Settings
from service.app import create_app
from tests.pages_support import headless_chromium
from tests.support import discard, local_test_settings, settle

ATTACK_PAGE = Path(__file__).resolve().parent / "fixtures" / "security" / "attack.html"


def local_only(settings: Settings) -> None:
    if not settings.uses_local_server:
        pytest.skip("the suite runs against TEST_NEO4J_URI")


def basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def refused_over_bolt(uri: str, password: str) -> bool:
    settings = Settings(neo4j_uri=uri, neo4j_password=SecretStr(password))
    with Graph.from_settings(settings) as graph:
        try:
            graph.ping()
        except GraphAuthError:
            return True
    return False


def tx_commit_url(settings: Settings) -> str:
    return f"http://127.0.0.1:{settings.neo4j_http_port}/db/neo4j/tx/commit"


# --- the HTTP connector ---------------------------------------------------------------------


def test_a_foreign_origin_gets_no_cross_origin_grant_from_the_http_connector(
    neo4j_settings: Settings,
) -> None:
    local_only(neo4j_settings)
    foreign = f"http://127.0.0.1:{free_port()}"
    own = f"http://127.0.0.1:{neo4j_settings.neo4j_http_port}"
    preflight = httpx.options(
        tx_commit_url(neo4j_settings),
        headers={
            "Origin": foreign,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization,content-type",
        },
    )
    granted = preflight.headers.get("access-control-allow-origin")
    assert granted not in (foreign, "*")
    # The Browser served by this connector is its own origin: it alone is named.
    assert granted == own
    assert "Origin" in preflight.headers.get("vary", "")

    answer = httpx.get(f"{own}/", headers={"Origin": foreign})
    assert answer.headers.get("access-control-allow-origin") not in (foreign, "*")


def test_the_published_default_password_is_refused(neo4j_settings: Settings) -> None:
    local_only(neo4j_settings)
    assert refused_over_bolt(neo4j_settings.bolt_uri, PUBLISHED_PASSWORD)
    answer = httpx.post(
        tx_commit_url(neo4j_settings),
        json={"statements": [{"statement": "RETURN 1"}]},
        headers=basic("neo4j", PUBLISHED_PASSWORD),
    )
    assert answer.status_code == 401
    settle(neo4j_settings)


def test_the_local_server_will_not_take_the_published_password(tmp_path: Path) -> None:
    settings = local_test_settings(tmp_path / "neo4j", neo4j_password=PUBLISHED_PASSWORD)
    server = LocalNeo4j(ServerConfig.from_settings(settings))
    with pytest.raises(Neo4jServerError) as caught:
        server.start()
    message = str(caught.value)
    assert "Remove NEO4J_PASSWORD" in message and str(settings.neo4j_password_file) in message
    assert not server.status().running


def test_the_session_home_is_closed_to_other_users(neo4j_settings: Settings) -> None:
    local_only(neo4j_settings)
    home = neo4j_settings.neo4j_home
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert open_to_others(home) == []


def open_to_others(home: Path) -> list[str]:
    return [
        str(path)
        for path in home.rglob("*")
        if not path.is_symlink() and path.stat().st_mode & 0o077
    ]


def test_the_password_file_is_made_once_and_read_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "neo4j-password"
    made = ensure_password_file(path)
    assert len(made) >= 32 and made != PUBLISHED_PASSWORD
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ensure_password_file(path) == made  # kept across starts
    assert ensure_password_file(tmp_path / "other") != made

    path.chmod(0o644)  # as an older umask might have left it
    assert ensure_password_file(path) == made
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    path.write_text("\n")  # emptied by accident: a new one, the next start sets it
    replaced = ensure_password_file(path)
    assert len(replaced) >= 32 and replaced != made


def test_an_open_home_of_an_older_version_is_closed(tmp_path: Path) -> None:
    home = tmp_path / "neo4j"
    (home / "data" / "databases").mkdir(parents=True)
    (home / "data" / "databases" / "store").write_text("confidential need")
    (home / "logs").mkdir()
    (home / "logs" / "query.log").write_text("MATCH ...")
    home.chmod(0o755)
    for path in home.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)
    secure_home(home)
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert open_to_others(home) == []
    assert stat.S_IMODE((home / "logs" / "query.log").stat().st_mode) == 0o600


# --- a page of another origin in a real browser ---------------------------------------------


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *_: object) -> None:
        pass


@pytest.fixture
def foreign_site() -> Iterator[str]:
    """The attack page, served by http.server from another port: another origin."""
    handler = functools.partial(QuietHandler, directory=str(ATTACK_PAGE.parent))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, name="foreign-site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{ATTACK_PAGE.name}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_page_of_another_origin_can_neither_read_nor_write_the_graph(
    neo4j_settings: Settings, graph: Graph, foreign_site: str
) -> None:
    local_only(neo4j_settings)
    count = "MATCH (n) RETURN count(n) AS n"
    before = graph.read(count)  # the schema's own node
    right = neo4j_settings.neo4j_secret()
    # The page gets the right password too, as a control: even with it the HTTP API answers
    # nothing a foreign page may read, and the Bolt probe shows that it does work.
    target = {
        "http": f"http://127.0.0.1:{neo4j_settings.neo4j_http_port}",
        "bolt": f"ws://127.0.0.1:{neo4j_settings.neo4j_bolt_port}",
        "passwords": {"default": PUBLISHED_PASSWORD, "right": right},
    }
    browser = headless_chromium()
    try:
        browser.get(foreign_site + "#" + json.dumps(target))
        report = WebDriverWait(browser, 60).until(
            lambda b: b.execute_script("return window.attackReport || null"),
            message="the attack page reported nothing",
        )
    finally:
        browser.quit()

    http_tries = report["http"]
    assert set(http_tries) == {"default", "none", "right", "simple"}
    for name in ("default", "none", "right"):
        # The preflight names another origin: the browser sends nothing, the page reads nothing.
        assert http_tries[name] == "blocked: TypeError", (name, http_tries[name])
    # A "simple" request needs no preflight and is sent, but without credentials (the page
    # cannot attach any) it is refused, and its answer is opaque to the page.
    assert http_tries["simple"] == "opaque: status 0"

    # Bolt over WebSocket knows no origins (Neo4j 5.26 checks none): the password is all that
    # keeps a page out there, and the published one no longer opens anything.
    bolt = report["bolt"]
    assert bolt["default"].startswith("FAILURE"), bolt
    assert "Unauthorized" in bolt["default"] or "authentication" in bolt["default"].lower()
    assert bolt["right"] == "SUCCESS", bolt  # control: the probe speaks Bolt correctly

    assert graph.read(count) == before
    assert graph.read("MATCH (k:ApiKey) RETURN count(k) AS n") == [{"n": 0}]
    settle(neo4j_settings)


# --- the password file and the move from the published default ------------------------------


def set_password_on_running_server(uri: str, old: str, new: str) -> None:
    """What an older partnergraph left behind: the system database holding another password."""
    with GraphDatabase.driver(uri, auth=("neo4j", old)) as driver:
        driver.execute_query(
            "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
            old=old,
            new=new,
            database_="system",
        )


@pytest.mark.slow
def test_a_home_of_the_published_password_moves_to_its_own_random_one(tmp_path: Path) -> None:
    home = tmp_path / "neo4j"
    old_settings = local_test_settings(home, neo4j_http_port=0)
    assert old_settings.neo4j_password is not None
    old_server = LocalNeo4j(ServerConfig.from_settings(old_settings))
    old_server.start()
    try:
        set_password_on_running_server(
            old_settings.bolt_uri, old_settings.neo4j_secret(), PUBLISHED_PASSWORD
        )
    finally:
        old_server.stop()
    # Older versions left the store readable by everybody.
    home.chmod(0o755)
    for path in home.rglob("*"):
        path.chmod(0o755 if path.is_dir() else 0o644)

    settings = old_settings.model_copy(update={"neo4j_password": None})
    password_file = settings.neo4j_password_file
    assert not password_file.exists()
    server = LocalNeo4j(ServerConfig.from_settings(settings))
    status = server.start()
    try:
        assert status.answers and status.password_file == password_file
        password = password_file.read_text().strip()
        assert len(password) >= 32 and password != PUBLISHED_PASSWORD
        assert stat.S_IMODE(password_file.stat().st_mode) == 0o600
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
        assert open_to_others(home) == []
        with Graph.from_settings(settings) as graph:  # reads the file: no password given
            assert graph.read("RETURN 1 AS one") == [{"one": 1}]
        assert refused_over_bolt(settings.bolt_uri, PUBLISHED_PASSWORD)
        settle(settings)

        # A server an older version started, still running with the published password and
        # no password file yet, is restarted, not waited for until the start times out.
        set_password_on_running_server(settings.bolt_uri, password, PUBLISHED_PASSWORD)
        password_file.unlink()
        old_pid = server.status().pid
        started = time.monotonic()
        again = server.start()
        assert again.answers and again.pid != old_pid
        assert time.monotonic() - started < 120
        password = password_file.read_text().strip()
        with Graph.from_settings(settings) as graph:
            assert graph.read("RETURN 1 AS one") == [{"one": 1}]
        assert refused_over_bolt(settings.bolt_uri, PUBLISHED_PASSWORD)
        settle(settings)

        # The CLI and the service find the password in the file too.
        env = {
            "NEO4J_HOME": str(home),
            "NEO4J_BOLT_PORT": str(settings.neo4j_bolt_port),
            "NEO4J_HTTP_PORT": "0",
        }
        runner = CliRunner()
        shown = runner.invoke(app, ["neo4j", "status"], env=env)
        assert shown.exit_code == 0, shown.output
        output = shown.output.replace("\n", "")  # rich folds long paths
        assert str(password_file) in output and password not in output
        as_json = runner.invoke(app, ["neo4j", "status", "--json"], env=env)
        assert as_json.exit_code == 0, as_json.output
        assert json.loads(as_json.stdout)["password_file"] == str(password_file)
        assert password not in as_json.stdout
        printed = runner.invoke(app, ["neo4j", "password"], env=env)
        assert printed.exit_code == 0 and printed.stdout.strip() == password
        with TestClient(create_app(settings)) as client:
            assert client.get("/readyz").status_code == 200
    finally:
        discard(server)
