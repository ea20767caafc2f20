"""Row counts and content checksums of every table: what a backup's manifest promises
and what a restore must reproduce exactly.

A table's checksum is the SHA-256 of its rows in primary-key order, each value in a
canonical text form (UTC ISO timestamps, ``repr`` floats), so the same rows give the
same digest whatever driver returned them.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Connection, column, inspect, select, table
from sqlalchemy.sql.expression import ColumnClause

BATCH_ROWS = 5000


class TableDigest(BaseModel):
    rows: int
    sha256: str


def table_digests(conn: Connection) -> dict[str, TableDigest]:
    """Every table of the connection's database (default schema), read in its transaction."""
    inspector = inspect(conn)
    found: dict[str, TableDigest] = {}
    for name in sorted(inspector.get_table_names()):
        columns = [c["name"] for c in inspector.get_columns(name)]
        order = inspector.get_pk_constraint(name)["constrained_columns"] or columns
        selected: list[ColumnClause[Any]] = [column(c) for c in columns]
        query = select(*selected).select_from(table(name)).order_by(*(column(c) for c in order))
        digest = hashlib.sha256()
        rows = 0
        result = conn.execution_options(yield_per=BATCH_ROWS).execute(query)
        for row in result:
            digest.update("\x1f".join(_canonical(v) for v in row).encode())
            digest.update(b"\n")
            rows += 1
        found[name] = TableDigest(rows=rows, sha256=digest.hexdigest())
    return found


def differences(expected: dict[str, TableDigest], found: dict[str, TableDigest]) -> list[str]:
    """What differs between two sets of digests, one line per table; empty when identical."""
    lines: list[str] = []
    for name in sorted(expected.keys() | found.keys()):
        want, got = expected.get(name), found.get(name)
        if got is None:
            lines.append(f"{name}: missing after restore")
        elif want is None:
            lines.append(f"{name}: not in the manifest")
        elif want.rows != got.rows:
            lines.append(f"{name}: {got.rows} rows, the manifest says {want.rows}")
        elif want.sha256 != got.sha256:
            lines.append(f"{name}: same row count, different content")
    return lines


def _canonical(value: Any) -> str:
    if value is None:
        return "\x00"
    if isinstance(value, dt.datetime):
        moment: dt.datetime = value
        if moment.tzinfo is not None:
            moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
        return moment.isoformat()
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return f"{value}"
