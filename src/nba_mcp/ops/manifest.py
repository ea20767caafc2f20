"""The manifest written beside every backup: what the backup holds and how to prove it.

A backup ``ID`` is two objects in its store: the data file ``ID.dump`` (PostgreSQL
custom format) or ``ID.sqlite3`` (a SQLite database file), and ``ID.manifest.json``.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from nba_mcp.errors import CheckFailed, InvalidInput
from nba_mcp.ops.digests import TableDigest

Backend = Literal["sqlite", "postgresql"]
MANIFEST_SUFFIX = ".manifest.json"
DATA_SUFFIX: dict[str, str] = {"postgresql": ".dump", "sqlite": ".sqlite3"}
_ID = re.compile(r"(sqlite|postgresql)-\d{8}T\d{6}Z-[0-9a-f]{6}")


class Manifest(BaseModel):
    format: Literal[1] = 1
    backup_id: str
    backend: Backend
    data_file: str = Field(description="Name of the data file in the same store.")
    sha256: str = Field(description="SHA-256 of the data file.")
    size_bytes: int
    schema_revision: str | None = Field(description="Alembic revision of the database.")
    data_version: int | None = Field(description="The data version (bumped by every load).")
    tables: dict[str, TableDigest] = Field(description="Row count and checksum per table.")
    tools: dict[str, str] = Field(description="Versions of the programs that made it.")
    started_at: dt.datetime
    finished_at: dt.datetime


def new_backup_id(backend: Backend, started: dt.datetime) -> str:
    return f"{backend}-{started:%Y%m%dT%H%M%SZ}-{secrets.token_hex(3)}"


def check_backup_id(backup_id: str) -> str:
    """``backup_id`` if it is one of ours; anything else (a path, a glob) is refused."""
    if not _ID.fullmatch(backup_id):
        raise InvalidInput(
            f"Not a backup id: {backup_id!r} (expected e.g. postgresql-20261202T180000Z-1a2b3c; "
            "see `nba-mcp ops backup list`)."
        )
    return backup_id


def manifest_name(backup_id: str) -> str:
    return backup_id + MANIFEST_SUFFIX


def data_name(backup_id: str, backend: Backend) -> str:
    return backup_id + DATA_SUFFIX[backend]


def parse_manifest(backup_id: str, raw: bytes) -> Manifest:
    """The manifest in ``raw``; unreadable or not about ``backup_id`` fails clearly."""
    try:
        manifest = Manifest.model_validate_json(raw)
    except ValidationError as exc:
        raise CheckFailed(f"Backup {backup_id}: its manifest is unreadable: {exc}") from None
    if manifest.backup_id != backup_id or manifest.data_file != data_name(
        backup_id, manifest.backend
    ):
        raise CheckFailed(f"Backup {backup_id}: its manifest describes another backup.")
    return manifest
