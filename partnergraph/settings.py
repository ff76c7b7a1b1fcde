"""The one settings object, read from the environment and `.env`.

Every tunable of every package lives here, so `.env.example` can document all of them in one
place. Relative paths are taken from the project folder, not the working directory, so the CLI
behaves the same wherever it is started.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from partnergraph.errors import ConfigError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The password older versions gave every local server, and what compose.yaml still sets: any web
# page or local user can try it, so the local server refuses it (graph/server.py).
PUBLISHED_PASSWORD = "partnergraph-local"
PASSWORD_FILE_NAME = "neo4j-password"


def _env(name: str) -> AliasChoices:
    return AliasChoices(name, name.lower())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=(PROJECT_ROOT / ".env", ".env"),
        env_file_encoding="utf-8",
        extra="ignore",
        populate_by_name=True,
    )

    # --- Neo4j connection ---------------------------------------------------------------
    neo4j_uri: str | None = Field(
        default=None,
        validation_alias=_env("NEO4J_URI"),
        description="Use this server (bolt://, neo4j://, neo4j+s://); unset: run a local one.",
    )
    neo4j_user: str = Field(default="neo4j", validation_alias=_env("NEO4J_USER"))
    neo4j_password: SecretStr | None = Field(
        default=None,
        validation_alias=_env("NEO4J_PASSWORD"),
        description="Unset: the local server's random password from its password file; with "
        "NEO4J_URI, partnergraph-local (what compose.yaml sets).",
    )
    neo4j_database: str = Field(default="neo4j", validation_alias=_env("NEO4J_DATABASE"))
    neo4j_connect_timeout_s: float = Field(
        default=5.0, validation_alias=_env("NEO4J_CONNECT_TIMEOUT_S")
    )

    # --- the local Neo4j server (only used when NEO4J_URI is unset) ----------------------
    neo4j_bolt_port: int = Field(default=7687, validation_alias=_env("NEO4J_BOLT_PORT"))
    neo4j_http_port: int = Field(
        default=7474,
        validation_alias=_env("NEO4J_HTTP_PORT"),
        description="HTTP API and Neo4j Browser; 0 switches HTTP off.",
    )
    neo4j_home: Path = Field(default=Path("var/neo4j"), validation_alias=_env("NEO4J_HOME"))
    neo4j_heap: str = Field(default="1g", validation_alias=_env("NEO4J_HEAP"))
    neo4j_pagecache: str = Field(default="512m", validation_alias=_env("NEO4J_PAGECACHE"))
    neo4j_start_timeout_s: float = Field(
        default=180.0, validation_alias=_env("NEO4J_START_TIMEOUT_S")
    )
    neo4j_cache_dir: Path = Field(
        default=Path(".cache/neo4j"),
        validation_alias=_env("NEO4J_CACHE_DIR"),
        description="Resolved class path and the compiled launcher.",
    )

    # --- matching ---------------------------------------------------------------------------
    model: str = Field(
        default="use-multilingual",
        validation_alias=_env("PARTNERGRAPH_MODEL"),
        description="Embedding model: 'use-multilingual', 'e5-small', 'minilm' or a "
        "sentence-transformers model name or path.",
    )

    # Weights of the ranking signals (matching/scoring.py explains them).
    match_weight_semantic: float = Field(
        default=1.0, validation_alias=_env("PARTNERGRAPH_MATCH_WEIGHT_SEMANTIC")
    )
    match_weight_lexical: float = Field(
        # tuned on the dev split of data/eval: semantic evidence is the stronger
        default=0.5,
        validation_alias=_env("PARTNERGRAPH_MATCH_WEIGHT_LEXICAL"),
    )
    match_weight_near: float = Field(
        default=0.15, validation_alias=_env("PARTNERGRAPH_MATCH_WEIGHT_NEAR")
    )
    match_near_scale_km: float = Field(
        default=20.0, validation_alias=_env("PARTNERGRAPH_MATCH_NEAR_SCALE_KM")
    )
    match_weight_cooperation: float = Field(
        default=0.10, validation_alias=_env("PARTNERGRAPH_MATCH_WEIGHT_COOPERATION")
    )
    match_weight_event: float = Field(
        default=0.05, validation_alias=_env("PARTNERGRAPH_MATCH_WEIGHT_EVENT")
    )
    match_weight_trade: float = Field(
        default=0.10, validation_alias=_env("PARTNERGRAPH_MATCH_WEIGHT_TRADE")
    )

    # --- service ------------------------------------------------------------------------------
    host: str = Field(default="127.0.0.1", validation_alias=_env("PARTNERGRAPH_HOST"))
    port: int = Field(default=8000, validation_alias=_env("PARTNERGRAPH_PORT"))
    workers: int = Field(
        default=1,
        ge=1,
        validation_alias=_env("PARTNERGRAPH_WORKERS"),
        description="Uvicorn worker processes; each loads the encoder and opens a driver pool.",
    )
    match_concurrency: int = Field(
        default=2,
        ge=1,
        validation_alias=_env("PARTNERGRAPH_MATCH_CONCURRENCY"),
        description="Matches computed at once per worker process; further requests wait.",
    )
    neo4j_pool_size: int = Field(
        default=50,
        ge=1,
        validation_alias=_env("NEO4J_POOL_SIZE"),
        description="Bolt connections per process (the driver's pool).",
    )
    max_body_kb: int = Field(
        default=256,
        ge=1,
        validation_alias=_env("PARTNERGRAPH_MAX_BODY_KB"),
        description="Largest JSON request body; larger ones get 413.",
    )
    max_upload_mb: int = Field(
        default=50,
        ge=1,
        validation_alias=_env("PARTNERGRAPH_MAX_UPLOAD_MB"),
        description="Largest ingest upload (a file or a folder archive).",
    )
    max_concurrent_exports: int = Field(
        default=2,
        ge=1,
        validation_alias=_env("PARTNERGRAPH_MAX_CONCURRENT_EXPORTS"),
        description="Graph and CSV exports running at once per worker process; more get 429.",
    )
    export_timeout_s: float = Field(
        # the default 20,000 nodes of a whole graph took a minute on a busy 2-core machine
        default=300.0,
        gt=0,
        validation_alias=_env("PARTNERGRAPH_EXPORT_TIMEOUT_S"),
        description="Longest an export may take; past it, it is cut off (504 before the first "
        "byte, a broken download after).",
    )
    jobs_dir: Path = Field(
        default=Path("var/jobs"),
        validation_alias=_env("PARTNERGRAPH_JOBS_DIR"),
        description="States of ingest jobs uploaded over HTTP, shared by all worker processes.",
    )
    max_page_size: int = Field(
        default=100,
        ge=1,
        validation_alias=_env("PARTNERGRAPH_MAX_PAGE_SIZE"),
        description="Most items one page of a list may hold.",
    )

    # --- data ---------------------------------------------------------------------------------
    data_dir: Path = Field(
        default=Path("data"),
        validation_alias=_env("PARTNERGRAPH_DATA_DIR"),
        description="Reference tables (reference/, read by every ingest and match near a "
        "postcode) and the judged set (eval/, the defaults of `partnergraph eval`).",
    )

    @field_validator("neo4j_home", "neo4j_cache_dir", "data_dir", "jobs_dir")
    @classmethod
    def _from_project_root(cls, value: Path) -> Path:
        return value if value.is_absolute() else PROJECT_ROOT / value

    @field_validator("neo4j_uri")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return value.strip() or None if value is not None else None

    @property
    def uses_local_server(self) -> bool:
        return self.neo4j_uri is None

    @property
    def bolt_uri(self) -> str:
        return self.neo4j_uri or f"bolt://127.0.0.1:{self.neo4j_bolt_port}"

    @property
    def neo4j_password_file(self) -> Path:
        """Where the local server keeps its random password: inside its home, so a copy of the
        folder carries the password that opens it."""
        return self.neo4j_home / PASSWORD_FILE_NAME

    def neo4j_secret(self) -> str:
        """The password to connect with, read when asked: the local server writes its file on
        its first start, possibly after these settings were made."""
        if self.neo4j_password is not None:
            return self.neo4j_password.get_secret_value()
        if not self.uses_local_server:
            return PUBLISHED_PASSWORD
        return read_password_file(self.neo4j_password_file) or ""


def read_password_file(path: Path) -> str | None:
    """The password kept in `path`, or None when there is none (not made yet, or emptied)."""
    try:
        password = path.read_text(encoding="utf-8").strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    except PermissionError as error:
        raise ConfigError(
            f"The local Neo4j's password file {path} cannot be read by this user: run "
            "partnergraph as the user who owns NEO4J_HOME, or set NEO4J_PASSWORD."
        ) from error
    return password or None


def get_settings() -> Settings:
    """The settings as the environment and `.env` give them now (read anew at each call)."""
    return Settings()
