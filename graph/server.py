"""The local Neo4j server: resolve its jars, compile the launcher, start, stop, report.

Neo4j Community's jars come from Maven Central through the installed `mvn` into Maven's own
cache (`~/.m2`); this module asks Maven for the class path once, compiles `launcher/Launcher.java`
against it into `NEO4J_CACHE_DIR`, and skips both steps afterwards as long as the pom, the
launcher source and the jars are unchanged, so a warm start never touches the network.

The server runs as a separate process group, so `partnergraph neo4j start` can return while it
keeps running; its pid is kept in `<home>/run/partnergraph-neo4j.pid`. Nothing here is used when
`NEO4J_URI` names another server.

The server is the project's alone: unless NEO4J_PASSWORD is set, its password is a random one made
at the first start and kept in `<home>/neo4j-password` (readable by the owner only), and the home
with the store, logs and run files is closed to other users (0700, files written under umask 077).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from partnergraph.errors import GraphAuthError, GraphUnavailable, Neo4jServerError
from partnergraph.settings import PUBLISHED_PASSWORD, Settings, read_password_file

from .connection import open_driver, ping

LAUNCHER_DIR = Path(__file__).resolve().parent / "launcher"
READY_LINE = "PARTNERGRAPH-NEO4J-READY"
MIN_JAVA = 17
# What bin/neo4j passes to the JVM, less the options that only matter for big heaps.
JVM_OPTIONS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
]

# The Popen of each server this process started, by pid, held while it runs: a server outlives
# the call that started it (it is found again by its pid file), and a Popen dropped while its
# child runs warns ("subprocess ... is still running", a ResourceWarning).
_STARTED: dict[int, subprocess.Popen[bytes]] = {}


def _forget_stopped() -> None:
    """Drop the Popen of every started server that has ended, once reaped. A killed JVM shows
    as a zombie while its threads still exit, and can be reaped only after that."""
    for pid, process in list(_STARTED.items()):
        if process.poll() is None and _alive(pid):
            continue
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
            del _STARTED[pid]


@dataclass(frozen=True)
class ServerConfig:
    home: Path
    bolt_port: int
    http_port: int
    heap: str
    pagecache: str
    user: str
    # None: the random password kept in `password_file`, made at the first start.
    password: str | None
    password_file: Path
    cache_dir: Path
    start_timeout_s: float = 180.0
    launcher_dir: Path = LAUNCHER_DIR

    @classmethod
    def from_settings(cls, settings: Settings) -> ServerConfig:
        return cls(
            home=settings.neo4j_home,
            bolt_port=settings.neo4j_bolt_port,
            http_port=settings.neo4j_http_port,
            heap=settings.neo4j_heap,
            pagecache=settings.neo4j_pagecache,
            user=settings.neo4j_user,
            password=(
                settings.neo4j_password.get_secret_value() if settings.neo4j_password else None
            ),
            password_file=settings.neo4j_password_file,
            cache_dir=settings.neo4j_cache_dir,
            start_timeout_s=settings.neo4j_start_timeout_s,
        )

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self.bolt_port}"

    @property
    def http_url(self) -> str | None:
        return f"http://127.0.0.1:{self.http_port}" if self.http_port else None


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    bolt_uri: str
    http_url: str | None
    answers: bool
    rss_bytes: int | None
    home: Path
    # Where the password for the Browser is, when the server keeps its own (never the password).
    password_file: Path | None = None


class LocalNeo4j:
    """One Neo4j Community server living in `config.home`."""

    def __init__(self, config: ServerConfig) -> None:
        self.config = config

    # --- set-up -------------------------------------------------------------------------------

    @property
    def pid_file(self) -> Path:
        return self.config.home / "run" / "partnergraph-neo4j.pid"

    @property
    def log_file(self) -> Path:
        return self.config.home / "logs" / "launcher.log"

    @property
    def password(self) -> str:
        """The password the server has or gets at its next start ("" before the first start)."""
        if self.config.password is not None:
            return self.config.password
        return read_password_file(self.config.password_file) or ""

    def install(self) -> tuple[Path, str]:
        """Resolve the jars and compile the launcher unless both are current.

        Returns the folder of the compiled launcher and the class path of the jars.
        """
        cache = self.config.cache_dir
        classes = cache / "classes"
        classpath_file = cache / "classpath.txt"
        stamp_file = cache / "stamp.txt"
        pom = self.config.launcher_dir / "pom.xml"
        source = self.config.launcher_dir / "Launcher.java"
        stamp = _digest(pom, source)
        if (
            stamp_file.exists()
            and stamp_file.read_text() == stamp
            and (classes / "Launcher.class").exists()
            and _classpath_complete(classpath_file)
        ):
            return classes, classpath_file.read_text().strip()

        find_java()
        cache.mkdir(parents=True, exist_ok=True)
        _resolve_classpath(pom, classpath_file)
        classpath = classpath_file.read_text().strip()
        _compile_launcher(source, classes, classpath)
        stamp_file.write_text(stamp)
        return classes, classpath

    # --- life cycle -----------------------------------------------------------------------

    def status(self) -> ServerStatus:
        pid = self._live_pid()
        # a server that died (or was killed) outside stop() is forgotten here
        _forget_stopped()
        answers = pid is not None and self._answers()
        return ServerStatus(
            running=pid is not None,
            pid=pid,
            bolt_uri=self.config.bolt_uri,
            http_url=self.config.http_url,
            answers=answers,
            rss_bytes=_rss_bytes(pid) if pid else None,
            home=self.config.home,
            password_file=self.config.password_file if self.config.password is None else None,
        )

    def start(self) -> ServerStatus:
        """Start the server unless it runs; return once Bolt accepts the configured password.

        A running server that refuses the password (one started by an older partnergraph with
        the published default, or before NEO4J_PASSWORD changed) is restarted, since the
        launcher sets the password at every start: waiting for it would only time out.
        """
        if self.config.password == PUBLISHED_PASSWORD:
            raise Neo4jServerError(
                f"NEO4J_PASSWORD is {PUBLISHED_PASSWORD!r}, the password older versions of "
                "partnergraph published: any web page or local user could try it. Remove "
                "NEO4J_PASSWORD (from .env too): the local server then makes a random one and "
                f"keeps it in {self.config.password_file}; or choose another password."
            )
        java = find_java()
        classes, classpath = self.install()
        _forget_stopped()
        if self._live_pid() is not None:
            secure_home(self.config.home)
            if not self._refuses_password():
                return self._wait_until_ready(process=None)
            self.stop()

        for port, setting in (
            (self.config.bolt_port, "NEO4J_BOLT_PORT"),
            (self.config.http_port, "NEO4J_HTTP_PORT"),
        ):
            if port and not port_is_free(port):
                raise Neo4jServerError(
                    f"Port {port} on 127.0.0.1 is taken by another process, so the local Neo4j "
                    f"cannot listen there. Stop that process or choose another port with "
                    f"{setting}."
                )

        home = self.config.home
        check_home(home)
        secure_home(home)
        if self.config.password is None:
            password = ensure_password_file(self.config.password_file)
        elif len(self.config.password) < 8:
            raise Neo4jServerError("NEO4J_PASSWORD must have at least 8 characters for Neo4j.")
        else:
            password = self.config.password

        command = [
            java,
            f"-Xms{self.config.heap}",
            f"-Xmx{self.config.heap}",
            *JVM_OPTIONS,
            "-cp",
            f"{classes}{os.pathsep}{classpath}",
            "Launcher",
            str(home),
            str(self.config.bolt_port),
            str(self.config.http_port),
            self.config.pagecache,
        ]
        env = {**os.environ, "NEO4J_LAUNCHER_PASSWORD": password}
        _forget_stopped()
        with _private_file(self.log_file) as log:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                cwd=home,
                start_new_session=True,
                # Everything Neo4j writes (store, transaction logs, logs) is the owner's alone.
                umask=0o077,
            )
        _STARTED[process.pid] = process
        with _private_file(self.pid_file) as pid_file:
            pid_file.write(str(process.pid))
        try:
            return self._wait_until_ready(process)
        except BaseException:
            # Never leave a half-started server behind (Ctrl-C, timeout, unexpected errors).
            if process.poll() is None:
                self.stop(timeout_s=10)
            raise

    def stop(self, timeout_s: float = 60.0) -> bool:
        """Stop the server (SIGTERM, then SIGKILL after `timeout_s`). False if none ran."""
        pid = self._live_pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.1)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
            while _alive(pid):
                time.sleep(0.05)
        self.pid_file.unlink(missing_ok=True)
        _forget_stopped()
        return True

    # --- internals ---------------------------------------------------------------------------

    def _live_pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None
        if not _alive(pid):
            return None
        # A recycled pid belongs to some other program: only ours runs the Launcher on our home.
        cmdline = _cmdline(pid)
        if cmdline is not None and (
            "Launcher" not in cmdline or str(self.config.home) not in cmdline
        ):
            return None
        return pid

    def _answers(self) -> bool:
        try:
            with open_driver(self.config.bolt_uri, self.config.user, self.password) as d:
                ping(d, database="neo4j", uri=self.config.bolt_uri)
            return True
        except (GraphUnavailable, GraphAuthError):
            return False

    def _refuses_password(self) -> bool:
        """The running server is up (it has set its password) and refuses ours."""
        try:
            log = self.log_file.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            log = ""
        if READY_LINE not in log:
            return False  # still starting, or started by a launcher that logs elsewhere
        if not self.password:
            return True  # it was started before there was a password file: not with its password
        try:
            with open_driver(self.config.bolt_uri, self.config.user, self.password) as d:
                ping(d, database="neo4j", uri=self.config.bolt_uri)
        except GraphAuthError:
            return True
        except GraphUnavailable:
            return False
        return False

    def _wait_until_ready(self, process: subprocess.Popen[bytes] | None) -> ServerStatus:
        deadline = time.monotonic() + self.config.start_timeout_s
        last_error: Exception | None = None
        with open_driver(self.config.bolt_uri, self.config.user, self.password) as driver:
            while time.monotonic() < deadline:
                if process is not None and process.poll() is not None:
                    self.pid_file.unlink(missing_ok=True)
                    raise Neo4jServerError(
                        f"Neo4j stopped during start-up (exit code {process.returncode}). "
                        f"Last lines of {self.log_file}:\n{self._log_tail()}"
                    )
                if process is None or READY_LINE in self._log_tail(200):
                    try:
                        ping(driver, database="neo4j", uri=self.config.bolt_uri)
                        return self.status()
                    except (GraphUnavailable, GraphAuthError) as error:
                        last_error = error
                time.sleep(0.2)
        raise Neo4jServerError(
            f"Neo4j did not answer on {self.config.bolt_uri} within "
            f"{self.config.start_timeout_s:.0f} s (NEO4J_START_TIMEOUT_S). Last error: "
            f"{last_error}. Last lines of {self.log_file}:\n{self._log_tail()}"
        )

    def _log_tail(self, lines: int = 25) -> str:
        try:
            text = self.log_file.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])


def find_java() -> str:
    """The `java` to run Neo4j with: JAVA_HOME first, then PATH; version 17 or newer."""
    candidates = []
    if java_home := os.environ.get("JAVA_HOME"):
        candidates.append(str(Path(java_home) / "bin" / "java"))
    if on_path := shutil.which("java"):
        candidates.append(on_path)
    for java in candidates:
        if not os.access(java, os.X_OK):
            continue
        version = _java_major_version(java)
        if version is not None and version >= MIN_JAVA:
            return java
    raise Neo4jServerError(
        f"Java {MIN_JAVA} or newer is needed to run the local Neo4j, and none was found on PATH "
        "or in JAVA_HOME. Install a JDK (Debian: apt-get install openjdk-17-jdk-headless), or "
        "set NEO4J_URI to use a Neo4j server that runs elsewhere."
    )


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # Same option Neo4j's Netty sets, so a port in TIME_WAIT does not count as taken.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _java_major_version(java: str) -> int | None:
    try:
        result = subprocess.run(
            [java, "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    if not match:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def _resolve_classpath(pom: Path, classpath_file: Path) -> None:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jServerError(
            "Maven (mvn) is needed once to fetch Neo4j's jars into its cache, and it is not on "
            "PATH. Install it (Debian: apt-get install maven), or set NEO4J_URI to use a Neo4j "
            "server that runs elsewhere."
        )
    partial = classpath_file.with_suffix(".partial")
    command = [
        mvn,
        "-B",
        "-q",
        "-f",
        str(pom),
        "dependency:build-classpath",
        f"-Dmdep.outputFile={partial}",
    ]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0 or not partial.exists():
        errors = [line for line in (result.stdout + result.stderr).splitlines() if "ERROR" in line]
        detail = "\n".join(errors[:8]) or (result.stdout + result.stderr)[-2000:]
        raise Neo4jServerError(
            f"Maven could not resolve the Neo4j artifacts listed in {pom} (exit code "
            f"{result.returncode}). Check that the package registry is reachable or that the "
            f"jars are in Maven's cache.\n{detail}"
        )
    partial.replace(classpath_file)


def _compile_launcher(source: Path, classes: Path, classpath: str) -> None:
    javac = shutil.which("javac")
    java_home = os.environ.get("JAVA_HOME")
    if java_home and (Path(java_home) / "bin" / "javac").exists():
        javac = str(Path(java_home) / "bin" / "javac")
    if javac is None:
        raise Neo4jServerError(
            "javac is needed once to compile the Neo4j launcher: install a JDK, not only a JRE "
            "(Debian: apt-get install openjdk-17-jdk-headless)."
        )
    shutil.rmtree(classes, ignore_errors=True)
    classes.mkdir(parents=True)
    result = subprocess.run(
        [javac, "-nowarn", "-cp", classpath, "-d", str(classes), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise Neo4jServerError(f"Compiling {source} failed:\n{result.stderr[-3000:]}")


def _classpath_complete(classpath_file: Path) -> bool:
    if not classpath_file.exists():
        return False
    entries = [e for e in classpath_file.read_text().strip().split(os.pathsep) if e]
    return bool(entries) and all(Path(e).exists() for e in entries)


def _digest(*files: Path) -> str:
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.read_bytes())
    return digest.hexdigest()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is dead for our purpose; reap it if it is our child.
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    return _proc_state(pid) != "Z"


def _proc_state(pid: int) -> str | None:
    fields = _stat_fields(pid)
    return fields[0] if fields else None


def cpu_seconds(pid: int) -> float | None:
    """Core-seconds a process has used so far (user and system, all its threads)."""
    fields = _stat_fields(pid)
    if fields is None:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    """The fields of /proc/<pid>/stat after the command name (state first)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()


def _cmdline(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return None


MIN_FREE_BYTES = 600 * 2**20  # the transaction log alone is preallocated in 256 MB files


def check_home(home: Path) -> None:
    """NEO4J_HOME exists with its folders, can be written, and has room to start in."""
    try:
        for sub in ("data", "logs", "run", "conf", "plugins", "import"):
            (home / sub).mkdir(parents=True, exist_ok=True)
        probe = home / "run" / ".write-test"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as error:
        raise Neo4jServerError(
            f"The Neo4j data folder {home} cannot be written ({error.strerror or error}): "
            "give this user write access to it, or point NEO4J_HOME at another folder."
        ) from error
    free = shutil.disk_usage(home).free
    if free < MIN_FREE_BYTES:
        raise Neo4jServerError(
            f"The disk of the Neo4j data folder {home} has {free / 2**20:,.0f} MB free; the "
            f"local Neo4j needs at least {MIN_FREE_BYTES // 2**20} MB to start (its transaction "
            "log alone takes 256 MB). Free some space, or point NEO4J_HOME at another disk."
        )


def ensure_password_file(path: Path) -> str:
    """The local server's password from `path`; a new random one when there is none yet.

    Written whole under a temporary name, then renamed, so a crash never leaves half a password;
    the file is readable and writable by its owner only.
    """
    kept = read_password_file(path)
    if kept is not None and len(kept) >= 8:
        path.chmod(0o600)  # also when an older file was there
        return kept
    password = secrets.token_urlsafe(24)  # 192 bits: nothing to guess from a web page
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    with _private_file(partial) as file:
        file.write(password + "\n")
    partial.replace(path)
    return password


def secure_home(home: Path) -> None:
    """Close NEO4J_HOME to other users: 0700, and nothing inside readable by group or others.

    Folders made by older versions (0755, store files 0644) are fixed here too; the walk only
    touches modes, over a few hundred files, so it costs little at every start.
    """
    try:
        home.chmod(0o700)
        for folder, subfolders, files in os.walk(home):
            for name in (*subfolders, *files):
                path = Path(folder) / name
                # A running server makes and removes files meanwhile: gone is closed enough.
                with contextlib.suppress(FileNotFoundError):
                    mode = path.lstat().st_mode
                    if not stat.S_ISLNK(mode) and mode & 0o077:
                        path.chmod(stat.S_IMODE(mode) & 0o700)
    except OSError as error:
        raise Neo4jServerError(
            f"The Neo4j data folder {home} cannot be closed to other users "
            f"({error.strerror or error}): run partnergraph as the user who owns it."
        ) from error


@contextlib.contextmanager
def _private_file(path: Path) -> Iterator[TextIO]:
    """`path` opened for writing (emptied), readable by its owner only, whatever the umask."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(descriptor, 0o600)  # an existing file keeps its mode through os.open
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        yield file


def _rss_bytes(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None
