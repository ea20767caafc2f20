"""Ops fixtures: a real S3 server per module, settings built from nothing but overrides."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from nba_mcp.config import Settings
from tests.cli.invoke import Cli
from tests.ops.servers import s3_server

BUCKET = "nba-mcp-synthesis-backups"


def settings(**overrides: Any) -> Settings:
    """Settings from the overrides only: no .env, no NBA_MCP_* of the test runner."""
    return Settings(_env_file=None, **overrides)  # type: ignore[call-arg]


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with s3_server(BUCKET) as endpoint:
        yield endpoint


def s3_settings(endpoint: str, **overrides: Any) -> Settings:
    return settings(
        s3_endpoint_url=endpoint, s3_bucket=BUCKET, s3_access_key_id="test",
        s3_secret_access_key="test", **overrides,
    )  # fmt: skip


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    return Cli(monkeypatch, capsys, tmp_path)
