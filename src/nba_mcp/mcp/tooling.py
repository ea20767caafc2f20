"""What every tool module shares: the services a tool reads, typed arguments, results and
the one place where domain errors become MCP tool errors (``isError``)."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal, ParamSpec, TypeVar

from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent
from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine

from nba_mcp.config import Settings
from nba_mcp.errors import DependencyUnavailable, NbaMcpError

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Services:
    """What tools read: the settings and the database."""

    settings: Settings
    engine: Engine

    def connect(self) -> Connection:
        return self.engine.connect()


def tool_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Turn the error tree into tool errors: the message reaches the model with ``isError``.

    Bad input never crashes the server; a database outage becomes a clear error too.
    """

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except NbaMcpError as exc:
            raise ToolError(exc.message) from None
        except Exception as exc:
            from sqlalchemy.exc import OperationalError

            if isinstance(exc, OperationalError):
                unavailable = DependencyUnavailable(f"The database is unavailable: {exc.orig}")
                raise ToolError(unavailable.message) from None
            raise

    return wrapper


def tool_result(model: BaseModel, text: str) -> CallToolResult:
    """A typed result: ``structuredContent`` from the model plus a compact readable text."""
    return CallToolResult(
        content=[TextContent(type="text", text=text)],
        structured_content=model.model_dump(mode="json"),
    )


PlayerName = Annotated[
    str,
    Field(
        description="A player's name; accents, case and suffixes (Jr., III) are optional.",
        examples=["Stephen Curry", "Nikola Jokic"],
        min_length=1,
        max_length=80,
    ),
]
TeamName = Annotated[
    str,
    Field(
        description="A team's abbreviation, nickname, city or full name.",
        examples=["GSW", "Warriors", "Golden State Warriors"],
        min_length=1,
        max_length=60,
    ),
]
Season = Annotated[
    str | None,
    Field(
        description="Season written like 2015-16. Omit for the latest season loaded.",
        examples=["2015-16", "2018-19"],
        pattern=r"^\d{4}-\d{2}$",
    ),
]
SeasonType = Annotated[
    Literal["regular", "playoffs", "play_in"],
    Field(description="regular (default), playoffs or play_in."),
]

Metric = dict[str, Any]
