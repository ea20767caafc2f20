"""Settings, read once at an entry point and passed down.

Every setting has the environment prefix ``NBA_MCP_`` and may also come from a
``.env`` file in the working directory. Library code never reads the
environment itself: it receives a :class:`Settings`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "production", "test"]


class Settings(BaseSettings):
    """The effective configuration of one process."""

    model_config = SettingsConfigDict(
        env_prefix="NBA_MCP_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
    )

    environment: Environment = Field(
        default="development", description="development, production or test."
    )
    data_dir: Path = Field(
        default=Path("data"),
        description="Where the embedded SQLite database and other local files live.",
    )
    database_url: SecretStr | None = Field(
        default=None,
        description=(
            "SQLAlchemy URL of the database, e.g. postgresql+psycopg://user@host/db. "
            "Default: a SQLite file nba.sqlite3 in the data directory."
        ),
    )
    log_level: str = Field(default="INFO", description="Logging level of the root logger.")
    log_json: bool = Field(default=False, description="Log JSON lines instead of plain text.")
    allowed_hosts: list[str] = Field(
        default_factory=list,
        description=(
            "Host headers the HTTP server accepts when bound beyond loopback "
            '(JSON list, e.g. ["nba.example.com"]); empty accepts any.'
        ),
    )
    allowed_origins: list[str] = Field(
        default_factory=list,
        description="Origin headers the HTTP server accepts when bound beyond loopback.",
    )
    nba_api_timeout_seconds: float = Field(
        default=30.0, description="Timeout of one request to NBA.com's stats API."
    )
    nba_api_pause_seconds: float = Field(
        default=0.6, description="Pause between two requests to NBA.com's stats API."
    )
    nba_api_retries: int = Field(
        default=4, description="Attempts per NBA.com request before giving up."
    )

    def resolved_database_url(self) -> str:
        """The database URL in force, the SQLite default filled in."""
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"sqlite:///{(self.data_dir / 'nba.sqlite3').resolve()}"

    def redacted(self) -> dict[str, Any]:
        """Every setting with its effective value, passwords and secrets hidden."""
        shown: dict[str, Any] = {}
        for name, value in self.model_dump().items():
            if isinstance(value, SecretStr):
                shown[name] = "**********"
            elif isinstance(value, Path):
                shown[name] = str(value)
            else:
                shown[name] = value
        shown["database_url"] = redact_url(self.resolved_database_url())
        return shown


def redact_url(url: str) -> str:
    """``postgresql://user:secret@host/db`` -> ``postgresql://user:***@host/db``."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
