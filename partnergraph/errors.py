"""Typed errors shared by all packages.

Each error carries a message written for the person who has to act on it. The CLI prints the
message without a traceback; the service maps each type to one HTTP problem response.
"""

from __future__ import annotations


class PartnergraphError(Exception):
    """Base class: an expected failure with a message fit for users."""


class ConfigError(PartnergraphError):
    """A setting is missing or wrong."""


class Neo4jServerError(PartnergraphError):
    """The local Neo4j server cannot be set up, started or stopped."""


class GraphUnavailable(PartnergraphError):
    """Neo4j does not answer (not started, crashed, network)."""


class GraphAuthError(PartnergraphError):
    """Neo4j answered but refused the configured user or password."""


class NotFound(PartnergraphError):
    """A requested node does not exist."""


class FileError(PartnergraphError):
    """A problem in a file someone gave us, located as file:line:field (base of the two below)."""

    def __init__(self, file: str, line: int | None, field: str | None, reason: str) -> None:
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
        super().__init__(self.location() + ": " + reason)

    def location(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
        if self.field:
            parts.append(self.field)
        return ":".join(parts)


class IngestError(FileError):
    """A problem in an input file to load (canonical folder, workbook, export, upload)."""


class BackupError(FileError):
    """A backup file that is damaged, changed or no partnergraph backup at all."""


class InvalidRequest(PartnergraphError):
    """A request is well-formed but asks for something that cannot be done (bad cursor, ...)."""


class Conflict(PartnergraphError):
    """The request conflicts with what is stored (a key that exists, a closed need, ...)."""


class LoadInProgress(Conflict):
    """Another load holds the graph's load lock (loads must not interleave)."""


class Unauthorized(PartnergraphError):
    """No API key, or one that is unknown or revoked."""


class Forbidden(PartnergraphError):
    """The API key's role may not do this."""


class Busy(PartnergraphError):
    """The service is doing as much of this work as it may at once; try again later."""

    def __init__(self, message: str, retry_after_s: int = 5) -> None:
        self.retry_after_s = retry_after_s
        super().__init__(message)


class TimedOut(PartnergraphError):
    """A request's work took longer than the service allows it."""
