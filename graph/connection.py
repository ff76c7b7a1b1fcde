"""Connections to Neo4j: the driver, and the one place where driver errors become ours.

`Graph` pairs a driver with the database name; every query function in this package takes a
`Graph` and runs its Cypher through `read`/`write`, so the mapping of driver exceptions to
`GraphUnavailable` / `GraphAuthError` happens here and nowhere else.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, LiteralString

from neo4j import READ_ACCESS, Driver, GraphDatabase, Query, RoutingControl
from neo4j import exceptions as neo4j_errors

from partnergraph.errors import ConfigError, GraphAuthError, GraphUnavailable
from partnergraph.settings import Settings

Row = dict[str, Any]
# How long closing a Graph waits for its background reads (30 s: the longest measured, the
# full-text index's words of 1M texts) before it closes the driver under them.
BACKGROUND_CLOSE_WAIT_S = 60.0
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


def open_driver(
    uri: str, user: str, password: str, *, timeout_s: float = 5.0, pool_size: int = 50
) -> Driver:
    scheme = uri.split("://", 1)[0] if "://" in uri else ""
    if scheme not in BOLT_SCHEMES:
        raise ConfigError(
            f"NEO4J_URI {uri!r} is not a Bolt address: it must start with one of "
            + ", ".join(f"{s}://" for s in BOLT_SCHEMES)
        )
    try:
        return GraphDatabase.driver(
            uri,
            auth=(user, password),
            connection_timeout=timeout_s,
            connection_acquisition_timeout=timeout_s * 2,
            max_connection_pool_size=pool_size,
            # Fail fast: the caller decides whether to retry (readiness probes must not hang).
            max_transaction_retry_time=0,
            # Our queries are reviewed; the server's hints would only flood the logs.
            notifications_min_severity="OFF",
        )
    except (ValueError, neo4j_errors.ConfigurationError) as error:
        raise ConfigError(f"NEO4J_URI {uri!r} is not a valid Neo4j address: {error}") from error


@contextmanager
def translate_errors(uri: str) -> Iterator[None]:
    try:
        yield
    except neo4j_errors.AuthError as error:
        raise GraphAuthError(
            f"Neo4j at {uri} refused the user name or password (NEO4J_USER / NEO4J_PASSWORD)."
        ) from error
    except neo4j_errors.ClientError as error:
        if error.code == "Neo.ClientError.Security.AuthenticationRateLimit":
            raise GraphAuthError(
                f"Neo4j at {uri} refused the login after too many wrong passwords in a row; "
                "wait a few seconds, then try again with the right one (NEO4J_PASSWORD)."
            ) from error
        if error.code == "Neo.ClientError.Database.DatabaseNotFound":
            raise GraphUnavailable(
                f"Neo4j at {uri} has no such database (NEO4J_DATABASE): {error.message}"
            ) from error
        raise
    except neo4j_errors.TransientError as error:
        # Deadlocks, lock timeouts, a leader switch: the server is up but this try failed.
        raise GraphUnavailable(
            f"Neo4j at {uri} could not finish the work now (try again): {_first_line(error)}"
        ) from error
    except (
        neo4j_errors.ServiceUnavailable,
        neo4j_errors.SessionExpired,
        OSError,
    ) as error:
        raise GraphUnavailable(f"Neo4j at {uri} is not reachable: {_first_line(error)}") from error
    except neo4j_errors.DatabaseError as error:
        # The server failed on its side, e.g. its disk is full: say so, not a traceback.
        reason = _first_line(error)
        hint = " Its disk is full: free space there." if "space" in reason.lower() else ""
        raise GraphUnavailable(
            f"Neo4j at {uri} could not store or read the data: {reason}.{hint}"
        ) from error
    except neo4j_errors.DriverError as error:
        raise GraphUnavailable(f"Neo4j at {uri} failed: {_first_line(error)}") from error


def ping(driver: Driver, *, database: str, uri: str) -> None:
    """Raise GraphUnavailable / GraphAuthError unless `database` answers a trivial query."""
    with translate_errors(uri), driver.session(database=database) as session:
        session.run("RETURN 1").consume()


@dataclass
class Graph:
    """A driver and the database it works on."""

    driver: Driver
    database: str
    uri: str
    # Per connection: facts that change rarely and that callers may keep for a while (e.g.
    # which model made the graph's vectors), so hot paths need not ask every time.
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    # Reads run for callers in the background (`in_background`): close() waits for them, as
    # closing the driver under a query in flight breaks that query's connection mid-message.
    _background: list[threading.Thread] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def from_settings(cls, settings: Settings) -> Graph:
        driver = open_driver(
            settings.bolt_uri,
            settings.neo4j_user,
            settings.neo4j_secret(),
            timeout_s=settings.neo4j_connect_timeout_s,
            pool_size=settings.neo4j_pool_size,
        )
        return cls(driver=driver, database=settings.neo4j_database, uri=settings.bolt_uri)

    def read(self, cypher: LiteralString, **params: Any) -> list[Row]:
        with translate_errors(self.uri):
            records, _, _ = self.driver.execute_query(
                Query(cypher),
                params,
                database_=self.database,
                routing_=RoutingControl.READ,
            )
        return [record.data() for record in records]

    def stream(
        self, cypher: LiteralString, *, timeout_s: float | None = None, **params: Any
    ) -> Iterator[Row]:
        """The rows of a read one at a time, fetched in batches as they are consumed: for
        results too large to hold. The session stays open until the rows are used up or the
        iterator is closed; `timeout_s` ends the transaction on the server."""
        with (
            translate_errors(self.uri),
            self.driver.session(database=self.database, default_access_mode=READ_ACCESS) as session,
        ):
            for record in session.run(Query(cypher, timeout=timeout_s), params):
                yield record.data()

    def write(self, cypher: LiteralString, **params: Any) -> list[Row]:
        with translate_errors(self.uri):
            records, _, _ = self.driver.execute_query(
                Query(cypher), params, database_=self.database, routing_=RoutingControl.WRITE
            )
        return [record.data() for record in records]

    def write_retrying(
        self, cypher: LiteralString, *, attempts: int = 5, **params: Any
    ) -> list[Row]:
        """`write`, tried again after transient failures (deadlocks between concurrent
        writers, lock timeouts); anything else, or the last failure, is raised as usual."""
        for attempt in range(1, attempts + 1):
            try:
                return self.write(cypher, **params)
            except GraphUnavailable as error:
                if attempt == attempts or not isinstance(
                    error.__cause__, neo4j_errors.TransientError
                ):
                    raise
                time.sleep(0.05 * 2**attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def autocommit(self, cypher: LiteralString, **params: Any) -> None:
        """Run in an auto-commit transaction (needed by `CALL ... IN TRANSACTIONS`)."""
        with translate_errors(self.uri), self.driver.session(database=self.database) as session:
            session.run(Query(cypher), params).consume()

    def ping(self) -> None:
        ping(self.driver, database=self.database, uri=self.uri)

    def in_background(self, work: Callable[[], None], name: str) -> None:
        """Run `work` in a thread of its own, waited for by `close`."""
        self._background[:] = [t for t in self._background if t.is_alive()]
        thread = threading.Thread(target=work, name=name, daemon=True)
        self._background.append(thread)
        thread.start()

    def close(self) -> None:
        for thread in self._background:
            thread.join(timeout=BACKGROUND_CLOSE_WAIT_S)
        self.driver.close()

    def __enter__(self) -> Graph:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _first_line(error: BaseException) -> str:
    """The driver's message on one line, short enough for a log line or a JSON reason."""
    text = " ".join(line.strip() for line in str(error).splitlines() if line.strip())
    text = text or type(error).__name__
    return text if len(text) <= 300 else text[:297] + "..."
