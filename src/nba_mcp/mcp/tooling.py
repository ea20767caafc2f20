"""What every tool module shares: the services a tool reads, typed arguments, results,
and :func:`tool`, the one place where domain errors become MCP tool errors (``isError``)
and calls are measured."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, Literal, ParamSpec, TypeVar

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import CallToolResult, TextContent, ToolAnnotations
from pydantic import BaseModel, Field
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import OperationalError

from nba_mcp.cache import ResultCache
from nba_mcp.config import Settings
from nba_mcp.errors import DependencyUnavailable, NbaMcpError
from nba_mcp.observability import metrics
from nba_mcp.queries import memo

log = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")


@dataclass(frozen=True)
class Services:
    """What tools read: the settings, the database and the result cache (if any)."""

    settings: Settings
    engine: Engine
    cache: ResultCache | None = None

    def connect(self) -> Connection:
        """A connection for a tool's reads.

        On PostgreSQL it is in autocommit mode: under READ COMMITTED, PostgreSQL's
        default, every statement takes its own snapshot inside a transaction or not,
        so a read-only transaction would only add a BEGIN and a ROLLBACK round trip
        to every call. With a result cache, the data version it watches is handed to
        :mod:`nba_mcp.queries.memo`, which then needs no query for it.
        """
        version = self.cache.versions.current() if self.cache is not None else None
        conn = self.engine.connect()
        if self.engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT")
        if version is not None:
            memo.known_version(conn, version)
        return conn


READ_ONLY = ToolAnnotations(read_only_hint=True, idempotent_hint=True, open_world_hint=False)


#: Tools whose answers are not cached: ad-hoc SQL, and prose that should be fresh.
UNCACHED = frozenset({"run_sql", "synthesize"})


def tool(
    server: MCPServer,
    services: Services,
    name: str | None = None,
    annotations: ToolAnnotations = READ_ONLY,
) -> Callable[[Callable[P, CallToolResult]], Callable[P, CallToolResult]]:
    """Register a tool on ``server``: cached, measured, with domain errors as tool errors.

    Domain errors reach the model as ``isError`` results with their message (the
    original error is the ``ToolError``'s ``__cause__``, for the REST mirror); a
    database outage becomes a clear error too, so bad input never crashes the
    server. Every call counts in ``tool_calls_total`` and ``tool_duration_seconds``;
    answers come from ``services.cache`` when it holds them for the current data
    version.
    """

    def decorator(fn: Callable[P, CallToolResult]) -> Callable[P, CallToolResult]:
        tool_name = name or fn.__name__
        cache = None if tool_name in UNCACHED else services.cache
        server.add_tool(instrumented(fn, tool_name, cache), name=tool_name, annotations=annotations)
        return fn

    return decorator


def instrumented(
    fn: Callable[P, CallToolResult], tool_name: str, cache: ResultCache | None = None
) -> Callable[P, CallToolResult]:
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> CallToolResult:
        started = time.perf_counter()
        status = "error"
        try:
            if cache is None:
                result = fn(*args, **kwargs)
            else:
                result = cache.cached(
                    tool_name, kwargs, lambda: fn(*args, **kwargs), CallToolResult
                )
            status = "ok"
            return result
        except NbaMcpError as exc:
            raise ToolError(exc.message) from exc
        except OperationalError as exc:
            unavailable = DependencyUnavailable(f"The database is unavailable: {exc.orig}")
            raise ToolError(unavailable.message) from unavailable
        finally:
            metrics.TOOL_CALLS.labels(tool=tool_name, status=status).inc()
            metrics.TOOL_DURATION.labels(tool=tool_name).observe(time.perf_counter() - started)

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
