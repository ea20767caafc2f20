"""``nba-mcp ops backup create|list|verify|restore|prune``: logical backups with a manifest,
verified by restoring them.

A backup is trusted only once restored: ``verify`` downloads it, checks its SHA-256 (a
truncated or altered file fails here, before ``pg_restore``, which accepts some truncated
custom-format dumps), restores it into a scratch database and compares every table's row
count and checksum with the manifest. Every run is recorded in the ``backup_runs`` ledger.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, Field
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from nba_mcp.config import redact_url
from nba_mcp.db.engine import make_engine
from nba_mcp.errors import (
    CheckFailed,
    DependencyUnavailable,
    InvalidInput,
    NbaMcpError,
    NotFound,
)
from nba_mcp.ops import dumps, ledger, retention
from nba_mcp.ops.digests import differences
from nba_mcp.ops.manifest import (
    MANIFEST_SUFFIX,
    Manifest,
    check_backup_id,
    data_name,
    manifest_name,
    new_backup_id,
    parse_manifest,
)
from nba_mcp.ops.stores import Store

log = logging.getLogger(__name__)


class Checked(BaseModel):
    """A backup restored somewhere and found identical to its manifest."""

    backup_id: str
    target: str = Field(description="Where it was restored (password hidden).")
    tables: int
    rows: int
    seconds: float


class PrunePlan(BaseModel):
    kept: list[str]
    deleted: list[str] = Field(description="Deleted, or with --dry-run: would be deleted.")
    dry_run: bool


def create_backup(*, engine: Engine, store: Store, ledger_engine: Engine | None) -> Manifest:
    """Dump the database of ``engine`` into ``store`` with its manifest; record the outcome."""
    backend = dumps.backend_of(engine.url.render_as_string(hide_password=False))
    started = _now()
    backup_id = new_backup_id(backend, started)
    with _recorded(ledger_engine, backup_id, "create", store, started) as outcome:
        with tempfile.TemporaryDirectory(prefix="nba-mcp-backup-") as scratch:
            local = Path(scratch) / data_name(backup_id, backend)
            snapshot = dumps.dump(engine=engine, target=local)
            manifest = Manifest(
                backup_id=backup_id, backend=backend, data_file=local.name,
                sha256=_sha256(local), size_bytes=local.stat().st_size,
                schema_revision=snapshot.schema_revision, data_version=snapshot.data_version,
                tables=snapshot.tables, tools=dumps.tool_versions(backend),
                started_at=started, finished_at=_now(),
            )  # fmt: skip
            store.put_file(local.name, local)
        # The manifest goes last: a backup without one was never completed.
        store.put_bytes(manifest_name(backup_id), manifest.model_dump_json(indent=2).encode())
        outcome.size_bytes = manifest.size_bytes
    log.info("backup %s written to the %s", backup_id, store.description)
    return manifest


def list_backups(*, store: Store) -> list[Manifest]:
    """Completed backups (those with a readable manifest), newest first."""
    found: list[Manifest] = []
    for name in store.names():
        if not name.endswith(MANIFEST_SUFFIX):
            continue
        backup_id = name.removesuffix(MANIFEST_SUFFIX)
        try:
            found.append(parse_manifest(check_backup_id(backup_id), store.get_bytes(name)))
        except NbaMcpError as exc:
            log.warning("skipping %s: %s", name, exc.message)
    return sorted(found, key=lambda m: m.started_at, reverse=True)


def verify_backup(
    *, store: Store, backup_id: str, scratch_server_url: str | None, ledger_engine: Engine | None
) -> Checked:
    """Download, check the SHA-256, restore into a scratch database, compare every table.

    ``scratch_server_url``: a PostgreSQL URL whose server may host a throw-away database
    (needed for PostgreSQL backups; SQLite ones restore into a temporary file).
    """
    started = _now()
    with (
        _recorded(ledger_engine, check_backup_id(backup_id), "verify", store, started),
        _fetched(store, backup_id) as (manifest, local),
        _scratch(manifest, local.parent, scratch_server_url) as scratch_url,
    ):
        checked = _restore_and_compare(manifest, local, scratch_url, clean=False)
    return checked


def restore_backup(
    *, store: Store, backup_id: str, target_url: str, force: bool, ledger_engine: Engine | None
) -> Checked:
    """Restore into the database at ``target_url``: refused when it holds any table, unless
    ``force`` (then its tables are replaced); the manifest is checked again afterwards."""
    started = _now()
    with (
        _recorded(ledger_engine, check_backup_id(backup_id), "restore", store, started),
        _fetched(store, backup_id) as (manifest, local),
    ):
        if dumps.backend_of(target_url) != manifest.backend:
            raise InvalidInput(
                f"Backup {backup_id} is a {manifest.backend} backup; the target is not."
            )
        target = make_engine(target_url)
        try:
            empty = dumps.is_empty(target)
        finally:
            target.dispose()
        if not empty and not force:
            raise InvalidInput(
                f"The target database {redact_url(target_url)} is not empty: "
                "restore into an empty one, or pass --force to replace its tables."
            )
        checked = _restore_and_compare(manifest, local, target_url, clean=not empty)
    return checked


def prune_backups(*, store: Store, policy: retention.Policy, dry_run: bool) -> PrunePlan:
    """Delete the backups ``policy`` does not keep (both files); ``dry_run`` only lists them."""
    backups = list_backups(store=store)
    kept, deletable = retention.plan([(m.backup_id, m.started_at) for m in backups], policy)
    if not dry_run:
        by_id = {m.backup_id: m for m in backups}
        for backup_id in deletable:
            # Manifest first: a half-deleted backup no longer looks complete.
            store.delete(manifest_name(backup_id))
            store.delete(by_id[backup_id].data_file)
            log.info("pruned backup %s", backup_id)
    return PrunePlan(kept=kept, deleted=deletable, dry_run=dry_run)


@contextmanager
def _fetched(store: Store, backup_id: str) -> Iterator[tuple[Manifest, Path]]:
    """The manifest and the data file, downloaded and matching the manifest's SHA-256."""
    try:
        raw = store.get_bytes(manifest_name(backup_id))
    except NotFound:
        raise NotFound(f"No backup {backup_id} in the {store.description}.") from None
    manifest = parse_manifest(backup_id, raw)
    with tempfile.TemporaryDirectory(prefix="nba-mcp-verify-") as scratch:
        local = Path(scratch) / manifest.data_file
        try:
            store.get_file(manifest.data_file, local)
        except NotFound:
            raise CheckFailed(
                f"Backup {backup_id} is incomplete: its data file {manifest.data_file} is missing."
            ) from None
        size, digest = local.stat().st_size, _sha256(local)
        if size != manifest.size_bytes:
            raise CheckFailed(
                f"Backup {backup_id} is damaged: {size} bytes, the manifest says "
                f"{manifest.size_bytes} (truncated or replaced)."
            )
        if digest != manifest.sha256:
            raise CheckFailed(
                f"Backup {backup_id} is damaged: its SHA-256 is {digest}, the manifest says "
                f"{manifest.sha256} (altered since it was taken)."
            )
        yield manifest, local


def _restore_and_compare(manifest: Manifest, local: Path, url: str, *, clean: bool) -> Checked:
    started = time.perf_counter()
    dumps.restore(source=local, url=url, clean=clean)
    engine = make_engine(url)
    try:
        if manifest.backend == "postgresql":
            from nba_mcp.db.readonly import ensure_readonly_role

            ensure_readonly_role(engine)  # privileges are not restored: grant them as upgrade does
        with engine.connect() as conn:
            found = dumps.describe(conn).tables
    finally:
        engine.dispose()
    # A forced restore may leave tables of the target that the backup never had.
    found = {name: digest for name, digest in found.items() if name in manifest.tables or not clean}
    problems = differences(manifest.tables, found)
    if problems:
        raise CheckFailed(
            f"Backup {manifest.backup_id} restored, but differs from its manifest: "
            + "; ".join(problems)
        )
    return Checked(
        backup_id=manifest.backup_id, target=redact_url(url), tables=len(found),
        rows=sum(d.rows for d in found.values()),
        seconds=round(time.perf_counter() - started, 3),
    )  # fmt: skip


@contextmanager
def _scratch(manifest: Manifest, directory: Path, server_url: str | None) -> Iterator[str]:
    """A throw-away database for ``manifest``'s backend, dropped afterwards."""
    if manifest.backend == "sqlite":
        yield f"sqlite:///{directory / 'scratch.sqlite3'}"
        return
    if server_url is None or dumps.backend_of(server_url) != "postgresql":
        raise InvalidInput(
            "Verifying a PostgreSQL backup needs a PostgreSQL server for a scratch database: "
            "pass --scratch-url (or run with NBA_MCP_DATABASE_URL on PostgreSQL)."
        )
    name = f"nba_mcp_verify_{uuid.uuid4().hex[:12]}"
    admin = create_engine(make_url(server_url), isolation_level="AUTOCOMMIT")
    try:
        try:
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        except SQLAlchemyError as exc:
            raise DependencyUnavailable(
                f"Cannot create a scratch database on {redact_url(server_url)} "
                f"({type(exc).__name__}): the role needs CREATEDB, or pass --scratch-url."
            ) from None
        try:
            yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@dataclass
class _Outcome:
    size_bytes: int | None = None


@contextmanager
def _recorded(
    engine: Engine | None, backup_id: str, action: str, store: Store, started: dt.datetime
) -> Iterator[_Outcome]:
    """Record the run in the ledger, ok or failed (with the reason), then re-raise."""
    outcome = _Outcome()
    try:
        yield outcome
    except Exception as exc:
        detail = exc.message if isinstance(exc, NbaMcpError) else f"{type(exc).__name__}: {exc}"
        ledger.record(engine, _run(backup_id, action, store, started, ok=False, detail=detail))
        raise
    ledger.record(
        engine, _run(backup_id, action, store, started, ok=True, size_bytes=outcome.size_bytes)
    )


def _run(
    backup_id: str, action: str, store: Store, started: dt.datetime, *, ok: bool,
    detail: str | None = None, size_bytes: int | None = None,
) -> ledger.Run:  # fmt: skip
    return ledger.Run(
        backup_id=backup_id, action=action, ok=ok, store=store.description[:200],
        started_at=started, finished_at=_now(), size_bytes=size_bytes, detail=detail,
    )  # fmt: skip


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)
