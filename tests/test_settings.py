import re
from pathlib import Path

import pytest

from partnergraph.settings import PROJECT_ROOT, Settings


def test_defaults_use_a_local_server_on_loopback() -> None:
    settings = Settings()
    assert settings.uses_local_server
    assert settings.bolt_uri == "bolt://127.0.0.1:7687"
    assert settings.neo4j_home == PROJECT_ROOT / "var" / "neo4j"
    assert settings.host == "127.0.0.1"
    assert settings.port == 8000


def test_environment_points_at_another_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "neo4j+s://abcd1234.databases.neo4j.io")
    monkeypatch.setenv("NEO4J_PASSWORD", "from-env-secret")
    monkeypatch.setenv("PARTNERGRAPH_PORT", "9000")
    settings = Settings()
    assert not settings.uses_local_server
    assert settings.bolt_uri == "neo4j+s://abcd1234.databases.neo4j.io"
    assert settings.neo4j_password is not None
    assert settings.neo4j_password.get_secret_value() == "from-env-secret"
    assert settings.port == 9000


def test_blank_neo4j_uri_means_local_server(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "  ")
    assert Settings().uses_local_server


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("NEO4J_BOLT_PORT=17687\nNEO4J_HOME=/srv/neo4j\nPARTNERGRAPH_MODEL=minilm\n")
    settings = Settings(_env_file=env_file)
    assert settings.bolt_uri == "bolt://127.0.0.1:17687"
    assert settings.neo4j_home == Path("/srv/neo4j")
    assert settings.model == "minilm"


def test_password_is_not_shown_in_repr() -> None:
    assert "partnergraph-local" not in repr(Settings())


def test_env_example_documents_every_setting() -> None:
    documented = (PROJECT_ROOT / ".env.example").read_text()
    for field in Settings.model_fields.values():
        alias = field.validation_alias.choices[0]  # type: ignore[union-attr]
        assert isinstance(alias, str)
        assert alias in documented, f"{alias} missing from .env.example"


def _documented_settings() -> set[str]:
    """Every variable `.env.example` sets and README.md names (a trailing `_` is a family)."""
    example = (PROJECT_ROOT / ".env.example").read_text("utf-8")
    readme = (PROJECT_ROOT / "README.md").read_text("utf-8")
    names = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, re.MULTILINE))
    names |= set(re.findall(r"\b((?:PARTNERGRAPH|NEO4J)_[A-Z0-9_]*[A-Z0-9])\b", readme))
    return names


def _field_of(variable: str) -> str | None:
    for name, info in Settings.model_fields.items():
        alias = info.validation_alias
        choices = getattr(alias, "choices", [alias])
        if variable in choices:
            return name
    return None


def test_every_documented_setting_is_a_field_of_the_settings_and_read_by_the_code() -> None:
    documented = _documented_settings()
    assert {"PARTNERGRAPH_DATA_DIR", "NEO4J_URI", "PARTNERGRAPH_MODEL"} <= documented
    code = "\n".join(
        path.read_text("utf-8")
        for package in ("graph", "ingest", "matching", "sample", "service", "partnergraph")
        for path in (PROJECT_ROOT / package).rglob("*.py")
        if path.name != "settings.py"
    )
    not_fields = sorted(v for v in documented if _field_of(v) is None)
    assert not not_fields, f"documented but no field of Settings: {not_fields}"
    unread = sorted(v for v in documented if f".{_field_of(v)}" not in code)
    assert not unread, f"documented but read by no code outside settings.py: {unread}"


def test_the_data_dir_is_where_reference_tables_and_the_judged_set_are_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from ingest import reference

    monkeypatch.setenv("PARTNERGRAPH_DATA_DIR", str(tmp_path))
    reference.reference_dir.cache_clear()
    try:
        assert reference.reference_dir() == tmp_path / "reference"
    finally:
        reference.reference_dir.cache_clear()
    monkeypatch.setenv("PARTNERGRAPH_DATA_DIR", "elsewhere")
    assert Settings().data_dir == PROJECT_ROOT / "elsewhere"
