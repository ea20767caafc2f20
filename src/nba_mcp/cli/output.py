"""Command output: exactly one JSON document with ``--json``, Rich tables otherwise."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel
from rich.console import Console
from rich.table import Table


class _Stdout(Console):
    """Rich answers a closed pipe with ``SystemExit(1)``; this console raises
    ``BrokenPipeError`` instead, which the entry point turns into a quiet exit 0
    (``nba-mcp ... | head``, see ``cli/app.py``)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


# Piped output (make demo, scripts) gets room for the wide stat tables, not 80 columns.
console = _Stdout(width=None if sys.stdout.isatty() else 160)
errors = Console(stderr=True)


def emit_json(document: BaseModel | dict[str, Any] | list[Any]) -> None:
    """Write one JSON document to stdout."""
    if isinstance(document, BaseModel):
        text = document.model_dump_json(indent=2)
    else:
        text = json.dumps(document, indent=2, default=str)
    sys.stdout.write(text + "\n")


def table(title: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> Table:
    view = Table(title=title, title_justify="left")
    for index, column in enumerate(columns):
        view.add_column(column, justify="left" if index == 0 else "right")
    for row in rows:
        view.add_row(*("" if v is None else str(v) for v in row))
    return view
