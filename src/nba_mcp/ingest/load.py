"""Writing a :class:`~nba_mcp.ingest.batch.Batch` in one transaction, idempotently.

Every row is an upsert whose update only fires when a value really differs
(``IS DISTINCT FROM``), so loading the same files twice changes no row and is
cheap. Any failure rolls the whole load back: either all of a batch is in the
database or none of it. A load that changes anything bumps the data version
that caches key on.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    Engine,
    MetaData,
    Table,
    and_,
    delete,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.sql.elements import ColumnElement

from nba_mcp.db.errors import database_unavailable
from nba_mcp.db.models import (
    DataVersion,
    Game,
    Player,
    PlayerBoxScore,
    PlayerName,
    Season,
    Team,
    TeamBoxScore,
    table_of,
)
from nba_mcp.db.version import announce
from nba_mcp.errors import InvalidInput
from nba_mcp.ingest import aliases, reference
from nba_mcp.ingest.batch import Batch, Record
from nba_mcp.names import has_suffix, name_key, name_keys
from nba_mcp.observability.metrics import INGEST_ROWS
from nba_mcp.seasons import season_start_year

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]
"""Called as ``progress(table, rows_done, rows_total)`` while a table is written."""

CHUNK = 10_000


@dataclass
class LoadResult:
    """What one load changed: rows inserted or updated per table."""

    changed: dict[str, int] = field(default_factory=dict)
    offered: dict[str, int] = field(default_factory=dict)
    data_version: int = 0

    @property
    def total_changed(self) -> int:
        return sum(self.changed.values())


def load_batch(
    engine: Engine,
    batch: Batch,
    progress: Progress | None = None,
    *,
    derive: Callable[..., object] | None = None,
) -> LoadResult:
    """Load ``batch`` with the reference teams and players, all or nothing.

    ``derive(conn, seasons, changed=...)`` runs in the same transaction, after the data
    version is bumped, to rebuild the tables derived from the data (the advanced tables:
    :func:`nba_mcp.queries.advanced_tables.rebuild`; ingest cannot import queries, so the
    caller passes it)."""
    result = LoadResult()
    try:
        with engine.begin() as conn:
            _load(conn, batch, result, progress or (lambda *_: None))
            if derive is not None:
                derive(conn, sorted(batch.seasons), changed=result.total_changed > 0)
    except OperationalError as exc:
        raise database_unavailable(exc) from None
    log.info("loaded %s: %s", batch.source, result.changed)
    for table, count in result.changed.items():
        INGEST_ROWS.labels(table=table).inc(count)
    if result.total_changed:
        refresh_statistics(engine, [t for t, n in result.changed.items() if n])
    return result


def refresh_statistics(engine: Engine, tables: Sequence[str]) -> None:
    """Let the query planner see the new row counts (a fresh bulk load has no statistics)."""
    with engine.begin() as conn:
        for table in tables:
            conn.exec_driver_sql(f"ANALYZE {table}")


def _load(conn: Connection, batch: Batch, result: LoadResult, progress: Progress) -> None:
    seasons = [{"season": s, "start_year": season_start_year(s)} for s in sorted(batch.seasons)]
    teams = reference.team_records()
    _check_teams(batch, {t["team_id"] for t in teams})

    steps: list[tuple[str, Callable[[], int], int]] = [
        (
            "seasons",
            lambda: upsert(conn, table_of(Season), seasons, keys=("season",)),
            len(seasons),
        ),
        ("teams", lambda: upsert(conn, table_of(Team), teams, keys=("team_id",)), len(teams)),
    ]
    for table, run, total in steps:
        result.offered[table] = total
        result.changed[table] = run()
        progress(table, total, total)

    reference_players = reference.player_records()
    player_ids, changed = merge_players(conn, reference_players, batch.players)
    result.offered["players"] = len(player_ids)
    result.changed["players"] = changed
    progress("players", len(batch.players), len(batch.players))
    offered, result.changed["player_names"] = record_names(
        conn, batch.players, player_ids, source="bref" if batch.source == "bref" else "nba_com"
    )
    result.offered["player_names"] = offered

    player_boxes = [_with_player_id(box, player_ids) for box in batch.player_boxes]

    writes: list[
        tuple[str, Table, Sequence[Record], tuple[str, ...], ColumnElement[bool] | None]
    ] = [
        ("games", table_of(Game), batch.games, ("game_id",), None),
        (
            "team_box_scores",
            table_of(TeamBoxScore),
            batch.team_boxes,
            ("game_id", "team_id"),
            # Official NBA.com totals are never replaced by Basketball-Reference's sums.
            table_of(TeamBoxScore).c.source == "bref" if batch.source == "bref" else None,
        ),
        (
            "player_box_scores",
            table_of(PlayerBoxScore),
            player_boxes,
            ("game_id", "player_id"),
            None,
        ),
    ]
    for name, target, rows, keys, guard in writes:
        result.offered[name] = len(rows)
        result.changed[name] = 0
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            result.changed[name] += upsert(conn, target, chunk, keys=keys, guard=guard)
            progress(name, start + len(chunk), len(rows))
    result.data_version = bump_version(conn, changed=result.total_changed > 0)


def _with_player_id(box: Record, player_ids: dict[Any, int]) -> Record:
    """A player box keyed by our player id instead of the source's reference."""
    row = {k: v for k, v in box.items() if k not in ("bref_slug", "person_id")}
    row["player_id"] = player_ids[box.get("bref_slug") or box["person_id"]]
    return row


def _check_teams(batch: Batch, known: set[int]) -> None:
    for game in batch.games:
        for side in ("home_team_id", "away_team_id"):
            if game[side] not in known:
                raise InvalidInput(
                    f"Game {game['game_id']} names team {game[side]}, which is not an NBA.com team id."
                )


def upsert(
    conn: Connection,
    table: Table,
    rows: Sequence[Record],
    *,
    keys: tuple[str, ...],
    guard: ColumnElement[bool] | None = None,
) -> int:
    """Insert ``rows``, updating existing ones only where a value differs; count the changes.

    On PostgreSQL the rows travel by ``COPY`` into a temporary table first (the
    bulk path); SQLite takes them as one executemany.
    """
    if not rows:
        return 0
    columns = list(rows[0])
    if conn.dialect.name == "postgresql":
        staging = _copy_to_staging(conn, table, columns, rows)
        stmt = postgresql.insert(table).from_select(columns, select(staging))
        changed = len(conn.execute(_on_conflict(stmt, table, columns, keys, guard)).all())
        # On failure the rollback removes the temporary table along with everything else.
        staging.drop(conn)
        return changed
    lite = sqlite.insert(table)
    return len(conn.execute(_on_conflict(lite, table, columns, keys, guard), list(rows)).all())


def _on_conflict(
    stmt: Any,
    table: Table,
    columns: list[str],
    keys: tuple[str, ...],
    guard: ColumnElement[bool] | None,
) -> Any:
    """``ON CONFLICT (keys) DO UPDATE`` only where a value differs, returning changed rows."""
    updated = [c for c in columns if c not in keys]
    differs = or_(*(table.c[c].is_distinct_from(stmt.excluded[c]) for c in updated))
    return stmt.on_conflict_do_update(
        index_elements=list(keys),
        set_={c: stmt.excluded[c] for c in updated},
        where=differs if guard is None else and_(guard, differs),
    ).returning(table.c[keys[0]])


def _copy_to_staging(
    conn: Connection, table: Table, columns: list[str], rows: Sequence[Record]
) -> Table:
    staging = Table(
        f"staging_{table.name}",
        MetaData(),
        *(Column(c, table.c[c].type) for c in columns),
        prefixes=["TEMPORARY"],
    )
    staging.create(conn)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy(f"COPY {staging.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row([row[c] for c in columns])
    return staging


def merge_players(
    conn: Connection, reference_records: Sequence[Record], records: Sequence[Record]
) -> tuple[dict[Any, int], int]:
    """Match players by slug, then person id, then unique name; insert the rest.

    Returns the player id of every slug and person id seen, and how many rows changed.
    Names come from NBA.com's list (``reference_records``) when a player is on it; a
    source (``records``) only adds ids to known players and adds unknown ones. A source that knows
    a player only by a Basketball-Reference slug adds the slug to that player.
    A slug row without a person id takes the id of the alias table
    (:data:`nba_mcp.ingest.aliases.LINKS`) if it has one; else it is matched by name key
    (either spelling of an umlaut) when exactly one slug-less player has it, or, for a
    father and son of one name, when exactly one of them carries a suffix (the box scores
    of these seasons are the son's). A player kept apart by an earlier load, before his
    link was known, is merged into NBA.com's record: his games and names move to it.
    """
    check_aliases(reference_records)
    links = {link.bref_slug: link.person_id for link in aliases.LINKS}
    table = table_of(Player)
    by_slug: dict[str, Record] = {}
    by_person: dict[int, Record] = {}
    by_key: dict[str, list[Record]] = defaultdict(list)
    for existing in conn.execute(select(table)).mappings():
        _index(dict(existing), by_slug, by_person, by_key)

    inserts: list[Record] = []
    changed = 0
    reference_count = len(reference_records)
    linked = [
        dict(r, person_id=links[r["bref_slug"]])
        if r.get("person_id") is None and r.get("bref_slug") in links
        else r
        for r in records
    ]
    for index, record in enumerate([*reference_records, *linked]):
        slug, person = record.get("bref_slug"), record.get("person_id")
        found = (slug and by_slug.get(slug)) or (person and by_person.get(person))
        if not found and slug and person is None:
            found = _unique_by_name(
                [c for key in name_keys(record["full_name"]) for c in by_key.get(key, [])]
            )
        if not found:
            found = dict(record, player_id=None)
            inserts.append(found)
            _index(found, by_slug, by_person, by_key)
            continue
        twin = by_person.get(person) if person is not None else None
        if (
            twin is not None
            and twin is not found
            and found.get("person_id") is None
            and twin.get("bref_slug") is None
        ):
            changed += _merge_into(conn, twin, found, inserts, by_slug, by_key)
            found = twin
        updates = _player_updates(found, record, from_reference=index < reference_count)
        if updates:
            found.update(updates)
            if found["player_id"] is not None:
                changed += 1
                conn.execute(update(table).where(table.c.player_id == found["player_id"]), updates)
            _index(found, by_slug, by_person, by_key)

    if inserts:
        columns = [c.name for c in table.columns if c.name != "player_id"]
        new_rows = [{c: row.get(c) for c in columns} for row in inserts]
        ids = conn.execute(
            insert(table).returning(table.c.player_id, sort_by_parameter_order=True), new_rows
        )
        for row, (player_id,) in zip(inserts, ids, strict=True):
            row["player_id"] = player_id
        changed += len(inserts)

    ids_by_ref: dict[Any, int] = {}
    for record in [*reference_records, *linked]:
        for ref in (record.get("bref_slug"), record.get("person_id")):
            if ref is not None:
                matched = by_slug.get(ref) if isinstance(ref, str) else by_person.get(ref)
                assert matched is not None
                ids_by_ref[ref] = matched["player_id"]
    return ids_by_ref, changed


def check_aliases(reference_records: Sequence[Record]) -> None:
    """Refuse an alias table whose ids NBA.com's list gives to someone else (or to no one)."""
    names = {r["person_id"]: r["full_name"] for r in reference_records}
    entries: list[aliases.Link | aliases.Nickname] = [*aliases.LINKS, *aliases.NICKNAMES]
    for entry in entries:
        listed = names.get(entry.person_id)
        if listed != entry.nba_name:
            what = f"lists {listed!r}" if listed else "has no such player"
            raise InvalidInput(
                f"The alias table gives NBA.com player {entry.person_id} as {entry.nba_name!r}, "
                f"but NBA.com's list {what}: fix src/nba_mcp/ingest/aliases.py."
            )


def _merge_into(
    conn: Connection,
    keep: Record,
    drop: Record,
    inserts: list[Record],
    by_slug: dict[str, Record],
    by_key: dict[str, list[Record]],
) -> int:
    """Make ``drop`` (a record known only by its slug) part of ``keep`` (NBA.com's record):
    his games and names move to ``keep``, which takes his slug. Returns the rows changed."""
    slug = drop["bref_slug"]
    for rows in by_key.values():
        rows[:] = [row for row in rows if row is not drop]
    if drop["player_id"] is None:  # inserted by this very load: just do not insert it
        inserts[:] = [row for row in inserts if row is not drop]
    else:
        old, new = drop["player_id"], keep["player_id"]
        boxes = table_of(PlayerBoxScore)
        names = table_of(PlayerName)
        players = table_of(Player)
        conn.execute(update(boxes).where(boxes.c.player_id == old).values(player_id=new))
        kept_keys = select(names.c.name_key).where(names.c.player_id == new)
        conn.execute(
            update(names)
            .where(names.c.player_id == old, names.c.name_key.not_in(kept_keys))
            .values(player_id=new, kind="played")
        )
        conn.execute(delete(names).where(names.c.player_id == old))
        conn.execute(delete(players).where(players.c.player_id == old))
        log.info("merged player %s (%s) into %s", old, slug, new)
    by_slug[slug] = keep  # the caller's update gives it the slug, now free
    return 1


def record_names(
    conn: Connection, records: Sequence[Record], player_ids: dict[Any, int], *, source: str
) -> tuple[int, int]:
    """Write every name each player is known by to ``player_names``: his current name, the
    names ``records`` (a source's players) give him, and the alias table's nicknames.

    A name is never removed: one a player is no longer listed under stays as a name he
    played under. Returns how many names were offered and how many rows changed.
    """
    table = table_of(PlayerName)
    players = table_of(Player)
    wanted: dict[tuple[int, str], tuple[str, str, str]] = {}
    for player_id, full_name, person_id in conn.execute(
        select(players.c.player_id, players.c.full_name, players.c.person_id)
    ):
        origin = "nba_com" if person_id is not None else "bref"
        wanted[player_id, name_key(full_name)] = (full_name, "current", origin)
    for record in records:
        player_id = player_ids[record.get("bref_slug") or record["person_id"]]
        played = (record["full_name"], "played", source)
        wanted.setdefault((player_id, name_key(record["full_name"])), played)
    for nickname in aliases.NICKNAMES:
        player_id = player_ids[nickname.person_id]
        wanted.setdefault(
            (player_id, name_key(nickname.name)), (nickname.name, "nickname", "alias")
        )

    existing = {(row.player_id, row.name_key): row for row in conn.execute(select(table))}
    changed = 0
    inserts = []
    for (player_id, key), (name, kind, origin) in wanted.items():
        row = existing.get((player_id, key))
        if row is None:
            inserts.append({"player_id": player_id, "name": name, "name_key": key,
                            "kind": kind, "source": origin})  # fmt: skip
        elif kind == "current" and row.kind != "current":
            changed += 1
            conn.execute(
                update(table).where(table.c.id == row.id).values(kind="current", name=name)
            )
    currents = {player_id for (player_id, _), (_, kind, _) in wanted.items() if kind == "current"}
    for (player_id, key), row in existing.items():
        if row.kind == "current" and player_id in currents and (player_id, key) not in wanted:
            changed += 1  # no longer his current name: a name he went by
            conn.execute(update(table).where(table.c.id == row.id).values(kind="played"))
    if inserts:
        conn.execute(insert(table), inserts)
        changed += len(inserts)
    return len(wanted), changed


def _index(
    row: Record,
    by_slug: dict[str, Record],
    by_person: dict[int, Record],
    by_key: dict[str, list[Record]],
) -> None:
    if row.get("bref_slug"):
        by_slug[row["bref_slug"]] = row
    if row.get("person_id") is not None:
        by_person[row["person_id"]] = row
    if not any(other is row for other in by_key[row["name_key"]]):
        by_key[row["name_key"]].append(row)


def _unique_by_name(candidates: list[Record]) -> Record | None:
    free = [c for c in candidates if not c.get("bref_slug")]
    if len(free) == 1:
        return free[0]
    suffixed = [c for c in free if has_suffix(c["full_name"])]
    return suffixed[0] if len(suffixed) == 1 else None


def _player_updates(existing: Record, record: Record, *, from_reference: bool) -> Record:
    """The columns ``record`` may change: NBA.com's list owns names; other sources add ids."""
    updates: Record = {}
    for column, value in record.items():
        if value is None or existing.get(column) == value:
            continue
        if (column in ("bref_slug", "person_id") and existing.get(column) is None) or (
            from_reference and column not in ("bref_slug", "person_id")
        ):
            updates[column] = value
    return updates


def bump_version(conn: Connection, *, changed: bool) -> int:
    """Increase the data version when a load changed anything; return the version in force."""
    table = table_of(DataVersion)
    current = conn.execute(select(table.c.version).where(table.c.id == 1)).scalar()
    if current is None:
        current = 0
        conn.execute(insert(table).values(id=1, version=0, updated_at=dt.datetime.now(dt.UTC)))
    if changed:
        current += 1
        conn.execute(
            update(table)
            .where(table.c.id == 1)
            .values(version=current, updated_at=dt.datetime.now(dt.UTC))
        )
        announce(conn, current)
    return int(current)
