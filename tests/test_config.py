"""Settings: NBA_MCP_* variables, a .env file, and nothing secret ever shown."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import SecretStr, ValidationError

from nba_mcp.config import Settings, redact_url


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No NBA_MCP_* variable and no .env file but those a test sets."""
    for name in list(os.environ):
        if name.startswith("NBA_MCP_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)


def test_defaults_are_a_development_sqlite_file_in_data(tmp_path: Path) -> None:
    settings = Settings()

    assert settings.environment == "development"
    assert settings.database_url is None
    assert settings.resolved_database_url() == f"sqlite:///{tmp_path / 'data' / 'nba.sqlite3'}"
    assert (settings.nba_api_pause_seconds, settings.nba_api_retries) == (0.6, 4)


def test_settings_come_from_nba_mcp_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NBA_MCP_ENVIRONMENT", "production")
    monkeypatch.setenv("NBA_MCP_DATABASE_URL", "postgresql+psycopg://u:s3cret@h/db")
    monkeypatch.setenv("NBA_MCP_LOG_JSON", "true")
    monkeypatch.setenv("NBA_MCP_NBA_API_RETRIES", "7")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///ignored.sqlite3")  # no prefix: not ours

    settings = Settings()

    assert settings.environment == "production"
    assert isinstance(settings.database_url, SecretStr)
    assert settings.resolved_database_url() == "postgresql+psycopg://u:s3cret@h/db"
    assert (settings.log_json, settings.nba_api_retries) == (True, 7)


def test_a_dotenv_file_in_the_working_directory_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text(
        "NBA_MCP_LOG_LEVEL=debug\nNBA_MCP_DATA_DIR=/srv/nba\nOTHER=ignored\n", encoding="utf-8"
    )
    monkeypatch.setenv("NBA_MCP_DATA_DIR", "/var/lib/nba")  # the environment wins

    settings = Settings()

    assert settings.log_level == "debug"
    assert settings.data_dir == Path("/var/lib/nba")


def test_an_unknown_environment_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NBA_MCP_ENVIRONMENT", "staging")

    with pytest.raises(ValidationError, match="environment"):
        Settings()


def test_redacted_hides_the_database_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NBA_MCP_DATABASE_URL", "postgresql+psycopg://u:s3cret@h/db")

    shown = Settings().redacted()

    assert shown["database_url"] == "postgresql+psycopg://u:***@h/db"
    assert "s3cret" not in repr(shown)
    assert "s3cret" not in repr(Settings())
    assert set(shown) == set(Settings.model_fields)


def test_redacted_shows_paths_as_text() -> None:
    shown = Settings(data_dir=Path("/srv/nba")).redacted()

    assert shown["data_dir"] == "/srv/nba"
    assert shown["database_url"] == "sqlite:////srv/nba/nba.sqlite3"


def test_redact_url_leaves_urls_without_password_alone() -> None:
    assert redact_url("postgresql+psycopg://postgres@127.0.0.1:5432/nba") == (
        "postgresql+psycopg://postgres@127.0.0.1:5432/nba"
    )
    assert redact_url("postgresql://u:p%40ss@h/db") == "postgresql://u:***@h/db"
