"""Shared by the guide's Python script names: run ``nba-mcp ops <command> ARGS`` in place of
this process (any python3 will do; the package need not be importable here)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def run(*command: str) -> None:
    program = os.environ.get("NBA_MCP") or shutil.which("nba-mcp")
    if program is None:
        local = Path(__file__).resolve().parents[1] / ".venv" / "bin" / "nba-mcp"
        program = str(local) if local.exists() else None
    if program is None:
        sys.stderr.write("error: nba-mcp not found (install the package or run 'make install')\n")
        sys.exit(1)
    os.execv(program, [program, "ops", *command, *sys.argv[1:]])
