"""Running ``nba-mcp`` in-process.

``invoke`` uses typer's CliRunner (output of a command that succeeds, or a
command's own exit); ``main`` runs the real entry point, which is where domain
errors become a message on stderr and an exit code (1 bad input, 2 a
dependency down), so tests of those exit codes go through it.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from nba_mcp.cli import context
from nba_mcp.cli.app import app, main
from nba_mcp.db.engine import make_engine

_ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def plain(text: str) -> str:
    """``text`` without colour codes and with Rich's line wrapping undone."""
    return " ".join(_ANSI.sub("", text).split())


def env_for(database_url: str | None = None, **settings: str) -> dict[str, str | None]:
    """An environment holding only the given NBA_MCP_* settings (others unset)."""
    env: dict[str, str | None] = {k: None for k in os.environ if k.startswith("NBA_MCP_")}
    if database_url is not None:
        env["NBA_MCP_DATABASE_URL"] = database_url
    env.update({f"NBA_MCP_{name.upper()}": value for name, value in settings.items()})
    return env


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def error(self) -> str:
        return plain(self.stderr)

    def json(self) -> Any:
        return json.loads(self.stdout)


@contextmanager
def _logging_restored() -> Iterator[None]:
    """The CLI configures the root logger on a stream that dies with the run; undo that."""
    root, alembic = logging.getLogger(), logging.getLogger("alembic")
    handlers, level, alembic_level = root.handlers[:], root.level, alembic.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
        alembic.setLevel(alembic_level)


class Cli:
    """The ``nba-mcp`` command, run in this process from an empty working directory."""

    def __init__(
        self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], cwd: Path
    ) -> None:
        self.monkeypatch = monkeypatch
        self.capsys = capsys
        monkeypatch.chdir(cwd)  # no stray .env file
        monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # typer replaces it
        # The command never disposes the engine it opens (the process exit does);
        # in-process we do it, or PostgreSQL connections leak past the test.
        self.engines: list[Engine] = []

        def make_and_track(url: str, **kwargs: Any) -> Engine:
            engine = make_engine(url, **kwargs)
            self.engines.append(engine)
            return engine

        monkeypatch.setattr(context, "make_engine", make_and_track)

    @contextmanager
    def _run(self) -> Iterator[None]:
        with _logging_restored():
            try:
                yield
            finally:
                while self.engines:
                    self.engines.pop().dispose()

    def invoke(self, *args: str, env: dict[str, str | None]) -> Result:
        with self._run():
            return CliRunner().invoke(app, list(args), env=env)

    def main(self, *args: str, env: dict[str, str | None]) -> Outcome:
        with self.monkeypatch.context() as patch, self._run():
            for name, value in env.items():
                if value is None:
                    patch.delenv(name, raising=False)
                else:
                    patch.setenv(name, value)
            patch.setattr(sys, "argv", ["nba-mcp", *args])
            self.capsys.readouterr()
            with pytest.raises(SystemExit) as exited:
                main()
        captured = self.capsys.readouterr()
        code = exited.value.code
        return Outcome(
            exit_code=code if isinstance(code, int) else 0 if code is None else 1,
            stdout=captured.out,
            stderr=captured.err,
        )
