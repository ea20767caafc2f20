"""``nba-mcp keys``: create, list, revoke and rotate the API keys of the HTTP service.

A new key is printed once, on stdout, and stored nowhere: only its hash is kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import typer

from nba_mcp.cli.context import app_context
from nba_mcp.cli.output import console, emit_json, errors, table
from nba_mcp.security import keys
from nba_mcp.security.keys import KeyInfo, NewKey

app = typer.Typer(help="Manage the API keys of the HTTP service.", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]
NameOrId = Annotated[str, typer.Argument(help="The key's name or its id (nbamcp_<id>_...).")]


@app.command()
def create(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="A name unique among active keys.")],
    scopes: Annotated[
        str, typer.Option("--scopes", help="Comma-separated: read, sql, synthesize, admin.")
    ] = "read",
    expires_days: Annotated[
        int | None, typer.Option("--expires-days", min=1, help="Expire after N days.")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Create a key and print it once: store it now, it cannot be shown again."""
    engine = app_context(ctx).engine()
    _show_new(keys.create_key(engine, name=name, scopes=scopes, expires_days=expires_days),
              as_json)  # fmt: skip


@app.command("list")
def list_(ctx: typer.Context, as_json: JsonOption = False) -> None:
    """List the keys (never the keys themselves): scopes, use, expiry, revocation."""
    found = keys.list_keys(app_context(ctx).engine())
    if as_json:
        emit_json([info.model_dump(mode="json") for info in found])
        return
    columns = ["name", "id", "scopes", "status", "created", "last used", "valid until"]
    rows = [
        [i.name, i.key_id, ",".join(i.scopes), i.status, _when(i.created_at),
         _when(i.last_used_at), _when(i.revoked_at or i.grace_until or i.expires_at)]
        for i in found
    ]  # fmt: skip
    view = table("API keys (times in UTC)", columns, rows)
    view.columns[1].min_width = 12  # the id is what revoke and rotate take: never cut it
    console.print(view)


@app.command()
def revoke(ctx: typer.Context, name_or_id: NameOrId, as_json: JsonOption = False) -> None:
    """Revoke a key at once (by name: every unrevoked key of that name, rotated ones too)."""
    revoked = keys.revoke_key(app_context(ctx).engine(), name_or_id=name_or_id)
    if as_json:
        emit_json([info.model_dump(mode="json") for info in revoked])
        return
    for info in revoked:
        console.print(f"Revoked {info.name} ({info.key_id}).")


@app.command()
def rotate(
    ctx: typer.Context,
    name_or_id: NameOrId,
    grace_minutes: Annotated[
        int, typer.Option("--grace-minutes", min=0, help="How long the old key stays valid.")
    ] = 60,
    as_json: JsonOption = False,
) -> None:
    """Replace a key by a new one (printed once); the old one works for the grace period."""
    engine = app_context(ctx).engine()
    new = keys.rotate_key(engine, name_or_id=name_or_id, grace=dt.timedelta(minutes=grace_minutes))
    _show_new(new, as_json)


def _show_new(new: NewKey, as_json: bool) -> None:
    if as_json:
        document: dict[str, Any] = {"key": new.key, **new.info.model_dump(mode="json")}
        emit_json(document)
        return
    console.print(_summary(new.info))
    console.print(new.key, markup=False, highlight=False, soft_wrap=True)
    errors.print("Store this key now: it is not shown again.", markup=False)


def _summary(info: KeyInfo) -> str:
    expires = f", expires {_when(info.expires_at)} UTC" if info.expires_at else ""
    return f"Key {info.name} ({info.key_id}), scopes {','.join(info.scopes)}{expires}:"


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value is not None else ""
