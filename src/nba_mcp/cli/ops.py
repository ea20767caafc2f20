"""``nba-mcp ops``: the operations guide's commands, as thin adapters over :mod:`nba_mcp.ops`.

Exit codes as everywhere: 0 success, 1 bad input or a failed check, 2 a dependency down;
``ops health`` exits 0 healthy, 1 degraded, 2 down.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from sqlalchemy import Engine

from nba_mcp.cli.context import app_context
from nba_mcp.cli.output import console, emit_json, table
from nba_mcp.ops import backups, retention
from nba_mcp.ops.alerts import Channel
from nba_mcp.ops.incidents import Severity
from nba_mcp.ops.stores import StoreKind, open_store

app = typer.Typer(help="Operations: health, backups, alerts, incidents.", no_args_is_help=True)
backup_app = typer.Typer(help="Logical backups with a manifest, verified by restore.",
                         no_args_is_help=True)  # fmt: skip
app.add_typer(backup_app, name="backup")
alert_app = typer.Typer(help="Alert channels.", no_args_is_help=True)
app.add_typer(alert_app, name="alert")
incident_app = typer.Typer(help="Incident reports.", no_args_is_help=True)
app.add_typer(incident_app, name="incident")
IncidentDir = Annotated[Path, typer.Option("--directory", help="Where incident reports live.")]

JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]
StoreOption = Annotated[
    StoreKind | None,
    typer.Option("--store", help="local or s3 (default: s3 when NBA_MCP_S3_BUCKET is set)."),
]
BackupId = Annotated[str, typer.Argument(help="A backup id, as `ops backup list` shows it.")]


@app.command("health")
def health(
    ctx: typer.Context,
    url: Annotated[
        str | None, typer.Option("--url", help="Check a running deployment over HTTP.")
    ] = None,
    api_key: Annotated[
        str | None, typer.Option("--api-key", envvar="NBA_MCP_OPS_API_KEY",
                                 help="With --url: a key, when /metrics requires one.")
    ] = None,
    as_json: JsonOption = False,
) -> None:  # fmt: skip
    """Everything at once; exit 0 healthy, 1 degraded, 2 down."""
    from nba_mcp.ops.health import local_health, remote_health

    context = app_context(ctx)
    if url is not None:
        report = remote_health(settings=context.settings, url=url, api_key=api_key)
    else:
        report = local_health(settings=context.settings,
                              engine=context.engine(require_schema=False))  # fmt: skip
    if as_json:
        emit_json(report)
    else:
        rows = [[f.name, f.status, f.detail, f"{f.latency_ms:.0f}"] for f in report.checks]
        title = f"Health of {report.target}: {report.status}"
        view = table(title, ["check", "status", "detail", "ms"], rows)
        view.columns[2].justify = "left"
        console.print(view)
    raise typer.Exit(report.exit_code)


@app.command("prune-request-log")
def prune_request_log(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """Delete request-log rows older than NBA_MCP_REQUEST_LOG_RETENTION_DAYS."""
    from nba_mcp.ops.housekeeping import prune_request_log as prune

    context = app_context(ctx)
    pruned = prune(engine=context.engine(), now=dt.datetime.now(dt.UTC),
                   retention_days=context.settings.request_log_retention_days)  # fmt: skip
    if as_json:
        emit_json(pruned)
        return
    console.print(f"deleted {pruned.deleted} request-log rows from before {_when(pruned.before)}")


@app.command("config-backup")
def config_backup(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", help="Directory of the YAML.")] = Path(
        "backups/config"
    ),
) -> None:
    """Save the namespace's ConfigMaps (kubectl get configmap -o yaml)."""
    from nba_mcp.ops.housekeeping import backup_configmaps

    written = backup_configmaps(settings=app_context(ctx).settings, directory=output,
                                now=dt.datetime.now(dt.UTC))  # fmt: skip
    console.print(f"wrote {written}")


@alert_app.command("test")
def alert_test(
    ctx: typer.Context,
    channel: Annotated[Channel, typer.Option("--channel", help="slack or pagerduty.")],
    resolve: Annotated[
        bool, typer.Option("--resolve", help="Resolve the test incident instead.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Send a real test alert (NBA_MCP_SLACK_WEBHOOK_URL, NBA_MCP_PAGERDUTY_ROUTING_KEY)."""
    from nba_mcp.ops.alerts import send_test_alert

    delivery = send_test_alert(settings=app_context(ctx).settings, channel=channel,
                               resolve=resolve, now=dt.datetime.now(dt.UTC))  # fmt: skip
    if as_json:
        emit_json(delivery)
        return
    key = f", dedup_key {delivery.dedup_key}" if delivery.dedup_key else ""
    console.print(f"{channel} accepted the {delivery.action} (HTTP {delivery.status_code}{key})")


@incident_app.command("new")
def incident_new(
    ctx: typer.Context,
    severity: Annotated[Severity, typer.Option("--severity", help="P1 (outage) .. P4.")],
    title: Annotated[str, typer.Option("--title", help="A short title; it names the file.")],
    directory: IncidentDir = Path("incident-reports"),
    template: Annotated[Path | None, typer.Option("--template")] = None,
) -> None:
    """Create incident-reports/<date>-<slug>.md prefilled with the system's state."""
    from nba_mcp.ops.incidents import new_incident

    context = app_context(ctx)
    written = new_incident(
        settings=context.settings, engine=context.engine(require_schema=False),
        severity=severity, title=title, template=template or directory / "template.md",
        directory=directory, now=dt.datetime.now(dt.UTC),
    )  # fmt: skip
    console.print(f"wrote {written}")


@incident_app.command("collect")
def incident_collect(
    ctx: typer.Context,
    incident: Annotated[
        Path | None,
        typer.Option("--incident", help="The report (.md) whose folder to fill; "
                     "default: a new dated folder."),
    ] = None,
    directory: IncidentDir = Path("incident-reports"),
) -> None:  # fmt: skip
    """Gather state and logs (kubectl when available, else local) into the incident folder."""
    from nba_mcp.ops.incidents import collect

    context = app_context(ctx)
    now = dt.datetime.now(dt.UTC)
    folder = incident.with_suffix("") if incident else directory / f"{now:%Y-%m-%d-%H%M%S}-collect"
    written = collect(settings=context.settings, engine=context.engine(require_schema=False),
                      folder=folder, now=now)  # fmt: skip
    for path in written:
        console.print(f"wrote {path}")


@app.command("validate")
def validate(
    url: Annotated[str, typer.Option("--url", help="Base URL of the deployment.")],
    api_key: Annotated[
        str | None, typer.Option("--api-key", envvar="NBA_MCP_OPS_API_KEY",
                                 help="A key with the read and sql scopes.")
    ] = None,
    limited_key: Annotated[
        str | None, typer.Option("--limited-key", envvar="NBA_MCP_OPS_LIMITED_KEY",
                                 help="A key without the sql scope: proves 403.")
    ] = None,
    generate_report: Annotated[
        bool, typer.Option("--generate-report", help="Write Markdown, HTML and PNG charts.")
    ] = False,
    output: Annotated[Path, typer.Option("--output", help="Directory of the report.")] = Path(
        "reports"
    ),
    load_requests: Annotated[int, typer.Option("--requests", min=0, max=10_000)] = 100,
    concurrency: Annotated[int, typer.Option("--concurrency", min=1, max=64)] = 4,
    as_json: JsonOption = False,
) -> None:  # fmt: skip
    """Prove a deployment answers correctly over REST and MCP; exit 1 on any failed check."""
    from nba_mcp.ops.validate import validate as run

    result = run(url=url, api_key=api_key, limited_key=limited_key, load_requests=load_requests,
                 concurrency=concurrency, now=dt.datetime.now(dt.UTC))  # fmt: skip
    written = None
    if generate_report:
        from nba_mcp.ops.validate_report import write_validation

        written = write_validation(result, output=output)
    if as_json:
        emit_json({"ok": result.ok, **result.model_dump(mode="json"),
                   "files": written.model_dump(mode="json") if written else None})  # fmt: skip
    else:
        rows = [["pass" if c.ok else "FAIL", c.group, c.name, c.detail] for c in result.checks]
        view = table(f"Validation of {result.url}", ["result", "group", "check", "detail"], rows)
        for column in view.columns:
            column.justify = "left"
        console.print(view)
        if written:
            console.print(f"wrote {written.markdown} and {written.html}")
    raise typer.Exit(0 if result.ok else 1)


@app.command("perf-report")
def perf_report(
    ctx: typer.Context,
    start_date: Annotated[dt.datetime, typer.Option("--start-date", formats=["%Y-%m-%d"])],
    end_date: Annotated[dt.datetime, typer.Option("--end-date", formats=["%Y-%m-%d"])],
    output: Annotated[Path, typer.Option("--output", help="Directory of the report.")] = Path(
        "reports"
    ),
    prometheus: Annotated[
        str | None, typer.Option("--prometheus", help="Base URL of Prometheus: add its "
                                 "range queries (rate, p95, 5xx ratio, synthesis cost).")
    ] = None,
    as_json: JsonOption = False,
) -> None:  # fmt: skip
    """Requests, latency percentiles, errors, keys and refusals from the request log."""
    from nba_mcp.ops.perfreport import perf_report as report

    stats, written = report(engine=app_context(ctx).engine(), start=start_date.date(),
                            end=end_date.date(), output=output, prometheus=prometheus)  # fmt: skip
    if as_json:
        emit_json({"figures": stats.model_dump(mode="json"),
                   "files": written.model_dump(mode="json")})  # fmt: skip
        return
    console.print(f"{stats.requests} requests, error rate {stats.error_rate:.4%}: "
                  f"wrote {written.markdown}, {written.html} and {len(written.charts)} charts")  # fmt: skip


@backup_app.command("create")
def backup_create(
    ctx: typer.Context, store: StoreOption = None, as_json: JsonOption = False
) -> None:
    """Back up the database (pg_dump -Fc, or SQLite's online backup) with its manifest."""
    context = app_context(ctx)
    engine = context.engine(require_schema=False)  # a backup before a migration is the point
    manifest = backups.create_backup(
        engine=engine, store=open_store(context.settings, store), ledger_engine=engine
    )
    if as_json:
        emit_json(manifest)
        return
    rows = sum(t.rows for t in manifest.tables.values())
    console.print(f"backup {manifest.backup_id}: {manifest.size_bytes} bytes, "
                  f"{len(manifest.tables)} tables, {rows} rows, sha256 {manifest.sha256}")  # fmt: skip


@backup_app.command("list")
def backup_list(ctx: typer.Context, store: StoreOption = None, as_json: JsonOption = False) -> None:
    """List the completed backups, newest first."""
    found = backups.list_backups(store=open_store(app_context(ctx).settings, store))
    if as_json:
        emit_json([m.model_dump(mode="json") for m in found])
        return
    rows = [
        [m.backup_id, _when(m.started_at), m.size_bytes, m.schema_revision, m.data_version,
         sum(t.rows for t in m.tables.values())]
        for m in found
    ]  # fmt: skip
    columns = ["id", "taken (UTC)", "bytes", "schema", "data version", "rows"]
    console.print(table("Backups", columns, rows))


@backup_app.command("verify")
def backup_verify(
    ctx: typer.Context,
    backup_id: BackupId,
    scratch_url: Annotated[
        str | None,
        typer.Option("--scratch-url", help="PostgreSQL server for the scratch database "
                     "(default: the configured database's server)."),
    ] = None,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:  # fmt: skip
    """Download, check the SHA-256, restore into a scratch database, compare every table."""
    context = app_context(ctx)
    url = context.settings.resolved_database_url()
    checked = backups.verify_backup(
        store=open_store(context.settings, store), backup_id=backup_id,
        scratch_server_url=scratch_url or (url if url.startswith("postgresql") else None),
        ledger_engine=_ledger(ctx),
    )  # fmt: skip
    _show_checked(checked, "verified", as_json)


@backup_app.command("restore")
def backup_restore(
    ctx: typer.Context,
    backup_id: BackupId,
    target_url: Annotated[str, typer.Option("--target-url", help="Database to restore into.")],
    force: Annotated[
        bool, typer.Option("--force", help="Replace the tables of a non-empty target.")
    ] = False,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Restore a backup into a named database and check it against the manifest."""
    context = app_context(ctx)
    checked = backups.restore_backup(
        store=open_store(context.settings, store), backup_id=backup_id, target_url=target_url,
        force=force, ledger_engine=_ledger(ctx),
    )  # fmt: skip
    _show_checked(checked, "restored", as_json)


@backup_app.command("prune")
def backup_prune(
    ctx: typer.Context,
    keep_daily: Annotated[int, typer.Option("--keep-daily", min=0)] = 7,
    keep_weekly: Annotated[int, typer.Option("--keep-weekly", min=0)] = 4,
    keep_monthly: Annotated[int, typer.Option("--keep-monthly", min=0)] = 6,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List, delete nothing.")] = False,
    store: StoreOption = None,
    as_json: JsonOption = False,
) -> None:
    """Delete the backups the daily/weekly/monthly policy does not keep."""
    policy = retention.Policy(daily=keep_daily, weekly=keep_weekly, monthly=keep_monthly)
    plan = backups.prune_backups(
        store=open_store(app_context(ctx).settings, store), policy=policy, dry_run=dry_run
    )
    if as_json:
        emit_json(plan)
        return
    verb = "would delete" if dry_run else "deleted"
    for backup_id in plan.deleted:
        console.print(f"{verb} {backup_id}")
    console.print(f"kept {len(plan.kept)}, {verb} {len(plan.deleted)}")


def _ledger(ctx: typer.Context) -> Engine | None:
    """The configured database, for the ledger; None when it is not reachable or current."""
    from nba_mcp.errors import NbaMcpError

    try:
        return app_context(ctx).engine()
    except NbaMcpError:
        return None


def _show_checked(checked: backups.Checked, verb: str, as_json: bool) -> None:
    if as_json:
        emit_json(checked)
        return
    console.print(f"{checked.backup_id} {verb} into {checked.target}: {checked.tables} tables, "
                  f"{checked.rows} rows identical to the manifest ({checked.seconds} s)")  # fmt: skip


def _when(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
