"""``nba-mcp ops incident new|collect``: an incident report prefilled with the system's state,
and a folder of evidence gathered beside it.

``new`` fills ``incident-reports/template.md`` (the guide's headings) into
``incident-reports/<date>-<slug>.md`` and appends what the system says right now: the
health checks, the recent 5xx and slowest requests of the request log, versions, the
data version and the last backup. ``collect`` writes the same state as JSON, and from
kubectl (when available) the objects, events and the last hour of logs, into a folder.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import Engine, text

from nba_mcp import __version__
from nba_mcp.config import Settings
from nba_mcp.errors import InvalidInput, NbaMcpError
from nba_mcp.ops import kube, ledger, requestlog
from nba_mcp.ops.documents import plain_cell
from nba_mcp.ops.health import HealthReport, local_health

Severity = Literal["P1", "P2", "P3", "P4"]
SEVERITY_MEANING = {"P1": "Critical: complete service outage",
                    "P2": "High: significant functionality impact",
                    "P3": "Medium: minor functionality impact",
                    "P4": "Low: cosmetic or non-functional issue"}  # fmt: skip
LOOKBACK = dt.timedelta(hours=1)


class State(BaseModel):
    """What the system says at one moment."""

    taken_at: dt.datetime
    version: str
    health: HealthReport
    schema_revision: str | None = None
    data_version: int | None = None
    last_backup: ledger.Run | None = None
    recent_errors: list[requestlog.LoggedRequest] = []
    slowest: list[requestlog.LoggedRequest] = []
    unavailable: list[str] = []


def gather_state(*, settings: Settings, engine: Engine, now: dt.datetime) -> State:
    """Health checks, then whatever the database can still tell (nothing when it is down)."""
    state = State(taken_at=now, version=__version__,
                  health=local_health(settings=settings, engine=engine))  # fmt: skip
    try:
        with engine.connect() as conn:
            state.schema_revision = conn.execute(
                text("SELECT version_num FROM alembic_version")).scalar()  # fmt: skip
            state.data_version = conn.execute(
                text("SELECT version FROM data_version WHERE id = 1")).scalar()  # fmt: skip
            state.recent_errors = requestlog.recent_errors(conn, since=now - LOOKBACK)
            state.slowest = requestlog.slowest(conn, since=now - LOOKBACK)
        state.last_backup = ledger.last_success(engine)
    except Exception as exc:  # the database may be the incident: report, carry on
        state.unavailable.append(f"database: {type(exc).__name__}")
    return state


def new_incident(
    *, settings: Settings, engine: Engine, severity: Severity, title: str, template: Path,
    directory: Path, now: dt.datetime,
) -> Path:  # fmt: skip
    """Write the prefilled report and return its path (never overwriting another)."""
    slug = slugify(title)
    if not template.is_file():
        raise InvalidInput(f"No incident template at {template}.")
    body = template.read_text()
    fields = {"Date": f"{now:%Y-%m-%d}", "Time": f"{now:%H:%M} UTC (report opened)",
              "Severity": f"{severity} ({SEVERITY_MEANING[severity]})",
              "Duration": "ongoing"}  # fmt: skip
    for name, value in fields.items():
        body = re.sub(rf"^- \*\*{name}\*\*:[ \t]*$", f"- **{name}**: {value}", body, flags=re.M)
    body = re.sub(r"\A# .*$", f"# Incident: {_one_line(title)}", body, count=1, flags=re.M)
    state = gather_state(settings=settings, engine=engine, now=now)
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{now:%Y-%m-%d}-{slug}.md"
    number = 2
    while target.exists():
        target = directory / f"{now:%Y-%m-%d}-{slug}-{number}.md"
        number += 1
    target.write_text(body.rstrip() + "\n\n" + render_state(state))
    return target


def collect(*, settings: Settings, engine: Engine, folder: Path, now: dt.datetime) -> list[Path]:
    """Gather state (JSON) and, with kubectl, objects, events and logs into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    written = [folder / "state.json"]
    state = gather_state(settings=settings, engine=engine, now=now)
    written[0].write_text(state.model_dump_json(indent=2))
    settings_file = folder / "settings.json"
    settings_file.write_text(json.dumps(settings.redacted(), indent=2, default=str))
    written.append(settings_file)
    program = kube.find(settings)
    if program is not None:
        commands = {
            "system-state.txt": ("get", "all"),
            "events.txt": ("get", "events", "--sort-by=.lastTimestamp"),
            "logs.txt": ("logs", "deployment/nba-mcp-synthesis", "--since=1h", "--all-containers"),
            "top-pods.txt": ("top", "pods"),
        }
        for name, args in commands.items():
            target = folder / name
            try:
                target.write_text(kube.kubectl(program, *args, namespace=settings.kube_namespace))
            except NbaMcpError as exc:
                target.write_text(f"unavailable: {exc.message}\n")
            written.append(target)
    return written


def slugify(title: str) -> str:
    """``"Database down: 503s!"`` -> ``database-down-503s``; refuses a title with no word."""
    plain = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60].strip("-")
    if not slug:
        raise InvalidInput("The incident title needs at least one letter or digit.")
    return slug


def render_state(state: State) -> str:
    lines = [f"## System State at {state.taken_at:%Y-%m-%d %H:%M:%S} UTC",
             "(collected by `nba-mcp ops incident new`)", "",
             f"- **Version**: nba-mcp {state.version}",
             f"- **Schema revision**: {state.schema_revision or 'unknown'}",
             f"- **Data version**: {state.data_version if state.data_version is not None else 'unknown'}",
             f"- **Last backup**: {_backup(state.last_backup)}",
             f"- **Overall health**: {state.health.status}"]  # fmt: skip
    lines += [f"- **Unavailable**: {item}" for item in state.unavailable]
    lines += ["", "| check | status | detail |", "|---|---|---|"]
    lines += [f"| {f.name} | {f.status} | {_cell(f.detail)} |" for f in state.health.checks]
    for heading, rows in (("Recent errors (5xx, last hour)", state.recent_errors),
                          ("Slowest requests (last hour)", state.slowest)):  # fmt: skip
        lines += ["", f"### {heading}", ""]
        if not rows:
            lines.append("None.")
            continue
        lines += ["| time (UTC) | request id | key | route | tool | status | ms |",
                  "|---|---|---|---|---|---|---|"]  # fmt: skip
        lines += [
            f"| {r.started_at:%H:%M:%S} | {_cell(r.request_id)} | {_cell(r.key_name or '')} | "
            f"{r.method} {_cell(r.route)} | {_cell(r.tool or '')} | {r.status} | {r.latency_ms:.1f} |"
            for r in rows
        ]
    return "\n".join(lines) + "\n"


def _backup(run: ledger.Run | None) -> str:
    return (
        "none recorded"
        if run is None
        else f"{run.backup_id} at {run.finished_at:%Y-%m-%d %H:%M} UTC"
    )


def _cell(value: str) -> str:
    """Text from the request log is untrusted: no table breaks, no markup, no newlines."""
    return plain_cell(value)[:120]


def _one_line(value: str) -> str:
    return " ".join(value.split())[:200]
