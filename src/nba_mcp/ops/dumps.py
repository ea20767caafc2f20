"""Logical dumps and restores, per backend.

PostgreSQL: ``pg_dump -Fc`` started on a snapshot exported by our own REPEATABLE READ
transaction, whose digests therefore describe exactly the rows the dump holds, however
many writes run meanwhile. SQLite: the online backup API copies a consistent file, and
the digests are read from that copy. Restores: ``pg_restore`` into a named database;
the backup API into a SQLite file.
"""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url

from nba_mcp import __version__
from nba_mcp.errors import DependencyUnavailable, InvalidInput
from nba_mcp.ops.digests import TableDigest, table_digests
from nba_mcp.ops.manifest import Backend

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snapshot:
    """What the dump holds, read in the same snapshot as the dump itself."""

    tables: dict[str, TableDigest]
    schema_revision: str | None
    data_version: int | None


def backend_of(url: str) -> Backend:
    name = make_url(url).get_backend_name()
    if name == "postgresql":
        return "postgresql"
    if name == "sqlite":
        return "sqlite"
    raise InvalidInput(f"Backups support PostgreSQL and SQLite, not {name}.")


def tool_versions(backend: Backend) -> dict[str, str]:
    versions = {"nba-mcp": __version__}
    if backend == "postgresql":
        versions["pg_dump"] = _run([_binary("pg_dump"), "--version"], env=None).strip()
    else:
        versions["sqlite"] = sqlite3.sqlite_version
    return versions


def dump(*, engine: Engine, target: Path) -> Snapshot:
    """Write the database of ``engine`` to ``target`` and describe what was written."""
    if engine.dialect.name == "postgresql":
        return _dump_postgresql(engine, target)
    return _dump_sqlite(engine, target)


def restore(*, source: Path, url: str, clean: bool) -> None:
    """Load the dump ``source`` into the database at ``url`` (``clean``: replace what is there)."""
    if backend_of(url) == "postgresql":
        command = [_binary("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                   "--single-transaction"]  # fmt: skip
        if clean:
            command += ["--clean", "--if-exists"]
        dbname, env = _libpq(url)
        _run([*command, f"--dbname={dbname}", str(source)], env=env)
        return
    path = _sqlite_path(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _sqlite(source, readonly=True) as src, _sqlite(path) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")


def describe(conn: Connection) -> Snapshot:
    """Digests, schema revision and data version of the database, in ``conn``'s transaction."""
    present = set(inspect(conn).get_table_names())
    revision = data_version = None
    if "alembic_version" in present:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
    if "data_version" in present:
        data_version = conn.execute(text("SELECT version FROM data_version WHERE id = 1")).scalar()
    return Snapshot(table_digests(conn), revision, data_version)


def is_empty(engine: Engine) -> bool:
    """Whether the database holds no table at all."""
    with engine.connect() as conn:
        return not inspect(conn).get_table_names()


def _dump_postgresql(engine: Engine, target: Path) -> Snapshot:
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():
            conn.execute(text("SET TRANSACTION READ ONLY"))
            snapshot_id = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
            dbname, env = _libpq(engine.url.render_as_string(hide_password=False))
            # The snapshot stays importable while this transaction is open.
            _run([_binary("pg_dump"), "--format=custom", f"--snapshot={snapshot_id}",
                  f"--file={target}", f"--dbname={dbname}"], env=env)  # fmt: skip
            return describe(conn)


def _dump_sqlite(engine: Engine, target: Path) -> Snapshot:
    source = _sqlite_path(engine.url.render_as_string(hide_password=False))
    if not source.is_file():
        raise DependencyUnavailable(f"No SQLite database at {source}.")
    with _sqlite(source) as src, _sqlite(target) as dst:
        src.backup(dst)  # one step: a consistent copy even while others write
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    # Read the copy as it is: no pragma of ours may turn it back into WAL mode.
    copy = create_engine("sqlite://", creator=lambda: _connect(target, readonly=True))
    try:
        with copy.connect() as conn:
            return describe(conn)
    finally:
        copy.dispose()


def _sqlite(path: Path, *, readonly: bool = False) -> closing[sqlite3.Connection]:
    return closing(_connect(path, readonly=readonly))


def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    uri = f"file:{quote(str(path))}" + ("?mode=ro" if readonly else "")
    return sqlite3.connect(uri, uri=True, timeout=30)


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise InvalidInput("A SQLite backup needs a database file, not memory.")
    return Path(database)


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq URI without the password (argv is visible to every user) and the password in
    the environment of the child only."""
    parsed = make_url(url)
    env = dict(os.environ)
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _binary(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise DependencyUnavailable(f"{name} is not installed (Debian: postgresql-client).")
    return found


def _run(command: list[str], *, env: dict[str, str] | None) -> str:
    log.debug("running %s", command[0])
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-3:]
        raise DependencyUnavailable(
            f"{Path(command[0]).name} failed (exit {done.returncode}): {' '.join(tail)}"
        )
    return done.stdout
