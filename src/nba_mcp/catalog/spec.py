"""What a tool is: :class:`ToolSpec`, the services it reads, and the answer it gives.

A tool is a top-level function ``run(services, arguments) -> result`` whose docstring is
the description every surface publishes, an argument model (pydantic, the JSON Schema
MCP publishes and REST, the CLI and synthesis validate with), a result model, a text
renderer, the scope a caller needs and the REST route that reaches it. A tool whose
answer is a picture (``chart``) also has a ``draw`` function: its result as PNG bytes,
which MCP sends as image content, REST as ``image/png`` and the CLI writes with ``--plot``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Generic, Literal, TypeAlias, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection, Engine
from sqlalchemy.pool import QueuePool

from nba_mcp.config import Settings
from nba_mcp.db.nowait import WouldWait, memory_only_now
from nba_mcp.queries import memo
from nba_mcp.result_cache import ResultCache
from nba_mcp.scopes import Scope

A = TypeVar("A", bound="ToolArguments")
R = TypeVar("R", bound=BaseModel)


class ToolArguments(BaseModel):
    """Base of every argument model: unknown arguments are refused, not ignored."""

    model_config = ConfigDict(extra="forbid")


@dataclass(frozen=True)
class Services:
    """What tools read: the settings, the database and the result cache (if any).

    ``engine`` is what tools read (a read replica's when there is one); ``primary`` is
    where the few writes of a call go (the synthesis ledger), ``engine`` when unset.
    """

    settings: Settings
    engine: Engine
    cache: ResultCache | None = None
    primary: Engine | None = None

    @property
    def writer(self) -> Engine:
        return self.primary or self.engine

    def connect(self) -> Connection:
        """A connection for a tool's reads.

        On PostgreSQL it is in autocommit mode: under READ COMMITTED, PostgreSQL's
        default, every statement takes its own snapshot inside a transaction or not,
        so a read-only transaction would only add a BEGIN and a ROLLBACK round trip
        to every call. With a result cache, the data version it watches is handed to
        :mod:`nba_mcp.queries.memo`, which then needs no query for it.

        Inside :func:`nba_mcp.db.nowait.memory_only` a connection is given only at a
        version the watch vouches for without a query and, on a database server, only
        while the pool holds an idle one (a new one would be opened over the network,
        and none to spare would be waited for; the checkout does not ping it there).
        """
        if memory_only_now():
            version = self.cache.versions.fresh() if self.cache is not None else None
            if version is None or not _idle_connection(self.engine):
                raise WouldWait("a database connection")
        else:
            version = self.cache.versions.current() if self.cache is not None else None
        conn = self.engine.connect()
        if self.engine.dialect.name == "postgresql":
            conn.execution_options(isolation_level="AUTOCOMMIT")
        if version is not None:
            memo.known_version(conn, version)
        return conn


def _idle_connection(engine: Engine) -> bool:
    """Whether a checkout needs neither the network nor a wait: SQLite always; a server's
    pool while it holds an idle connection."""
    if engine.dialect.name == "sqlite":
        return True
    pool = engine.pool
    return isinstance(pool, QueuePool) and pool.checkedin() > 0


@dataclass(frozen=True)
class HttpRoute:
    """How a tool is reached over HTTP: ``GET`` arguments come from the path and the
    query string, ``POST`` arguments from the path and a JSON object body."""

    method: Literal["GET", "POST"]
    path: str
    hidden: frozenset[str] = frozenset()  # tool arguments the route does not take


class Answer(BaseModel):
    """A tool's answer as every surface returns it, and as the result cache keeps it."""

    data: dict[str, Any] = Field(description="The result model, as JSON.")
    text: str = Field(description="A compact readable summary of the result.")
    image_png: str | None = Field(
        default=None, description="A picture of the result (a chart): PNG, base64-encoded."
    )


@dataclass(frozen=True)
class ToolSpec(Generic[A, R]):
    """One tool of the catalogue; see the module's docstring."""

    run: Callable[[Services, A], R]
    arguments: type[A]
    result: type[R]
    render: Callable[[A, R], str]
    query: Callable[..., Any]  # the queries/ function that answers (for readers and docs)
    route: HttpRoute
    scope: Scope = "read"
    cached: bool = True  # False for answers that must be fresh (ad-hoc SQL, synthesis)
    reports_progress: bool = False  # calls nba_mcp.catalog.context.report as it goes
    open_world: bool = False  # asks services beyond this one (LLM providers)
    draw: Callable[[R], bytes] | None = None  # the result as a PNG picture (charts)
    # A warm call is lookups in the data version's tables in memory, well under a
    # millisecond: it may be answered on the event loop (nba_mcp.db.nowait).
    from_memory: bool = False

    @property
    def name(self) -> str:
        return self.run.__name__

    @cached_property
    def description(self) -> str:
        return description_of(self.run.__doc__ or "")

    @cached_property
    def input_schema(self) -> dict[str, Any]:
        """The argument model's JSON Schema (MCP's ``inputSchema``)."""
        return self.arguments.model_json_schema()

    @cached_property
    def output_schema(self) -> dict[str, Any]:
        """The result model's JSON Schema (MCP's ``outputSchema``)."""
        return self.result.model_json_schema(mode="serialization")

    @cached_property
    def list_arguments(self) -> frozenset[str]:
        """Arguments whose schema is an array: given several times over HTTP and the CLI."""
        return self._arguments_of_type("array")

    @cached_property
    def object_arguments(self) -> frozenset[str]:
        """Arguments whose schema is an object: written as JSON on the command line."""
        return self._arguments_of_type("object")

    def _arguments_of_type(self, kind: str) -> frozenset[str]:
        properties = self.input_schema.get("properties", {})
        return frozenset(
            name
            for name, prop in properties.items()
            if any(option.get("type") == kind for option in prop.get("anyOf", [prop]))
        )


def description_of(docstring: str) -> str:
    """A docstring as a description a client shows: without the source's indentation
    (:func:`inspect.cleandoc`) and without its line wraps, each paragraph one line;
    paragraphs stay apart and list items (``- ...``) keep their own lines."""
    paragraphs = inspect.cleandoc(docstring).split("\n\n")
    return "\n\n".join(_unwrapped(paragraph) for paragraph in paragraphs)


def _unwrapped(paragraph: str) -> str:
    lines: list[str] = []
    for line in paragraph.splitlines():
        stripped = line.strip()
        if lines and not stripped.startswith(("- ", "* ")):
            lines[-1] = f"{lines[-1]} {stripped}"
        else:
            lines.append(stripped)
    return "\n".join(lines)


AnyTool: TypeAlias = ToolSpec[Any, Any]
"""A tool of the catalogue, whichever its models (what lists and adapters hold)."""
