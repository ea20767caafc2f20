"""The one error tree of the product.

Domain code raises only these; each surface translates them in one place
(MCP tool error with ``isError``, HTTP problem+json, CLI exit code)::

    NbaMcpError
    ├── InvalidInput            bad arguments or a bad source file       (CLI 1, HTTP 400)
    │   ├── InvalidArguments    arguments that do not fit a tool's model (CLI 1, HTTP 422)
    │   ├── IngestError         a source row that cannot be loaded       (CLI 1)
    │   └── NotFound            an unknown player, team, season or game  (CLI 1, HTTP 404)
    │       └── Ambiguous       a name that matches several candidates   (CLI 1, HTTP 409)
    ├── DependencyUnavailable   the database, cache or a remote API is down or behind
    │                           (CLI 2, HTTP 503)
    └── CheckFailed             an operations check failed: a damaged backup, a deployment
                                that answers wrongly, an alert not accepted (CLI 1)
"""

from __future__ import annotations

from collections.abc import Sequence


class NbaMcpError(Exception):
    """Base of every error this product raises on purpose."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(NbaMcpError):
    """The caller asked for something that cannot be answered as asked."""


class InvalidArguments(InvalidInput):
    """Arguments that do not fit a tool's argument model; ``problems`` names each one as
    ``(argument, message)``, in the words of :mod:`nba_mcp.catalog.voice`."""

    def __init__(self, problems: Sequence[tuple[str, str]]) -> None:
        super().__init__(" ".join(message for _, message in problems) or "Invalid arguments.")
        self.problems = list(problems)


class IngestError(InvalidInput):
    """A source file holds a row that cannot be loaded; nothing was written."""

    def __init__(
        self,
        *,
        file: str,
        reason: str,
        line: int | None = None,
        column: str | None = None,
    ) -> None:
        where = file
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {reason}")
        self.file = file
        self.line = line
        self.column = column
        self.reason = reason


class NotFound(InvalidInput):
    """Nothing matches; ``candidates`` holds the closest valid values."""

    def __init__(self, message: str, *, candidates: Sequence[str] = ()) -> None:
        if candidates:
            message += " Closest matches: " + ", ".join(candidates) + "."
        super().__init__(message)
        self.candidates = list(candidates)


class Ambiguous(NotFound):
    """Several things match equally well; we list them rather than guess."""


class DependencyUnavailable(NbaMcpError):
    """A dependency (database, cache, remote API) is unreachable or not ready.

    ``message`` is what callers see; ``detail`` (the driver's words, which may name
    hosts) is for operators: the log and the local CLI, never a remote caller.
    """

    exit_code = 2

    def __init__(self, message: str, *, detail: str | None = None) -> None:
        super().__init__(message)
        self.detail = detail


class CheckFailed(NbaMcpError):
    """An operations check ran and found a fault (a damaged backup, a wrong answer)."""
