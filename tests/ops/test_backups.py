"""Backups round-trip through a real S3 server on SQLite and PostgreSQL, under concurrent
writes; damaged backups fail verify; restore guards a non-empty target; prune follows the
policy."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from sqlalchemy import Engine, func, insert, select, text

from nba_mcp.db.engine import make_engine
from nba_mcp.db.models import RequestLog, table_of
from nba_mcp.errors import CheckFailed, InvalidInput, NotFound
from nba_mcp.ops import backups, retention
from nba_mcp.ops.manifest import manifest_name
from nba_mcp.ops.stores import LocalStore, S3Store, Store, open_store
from tests.conftest import PostgresServer
from tests.ops.conftest import BUCKET, s3_settings

LOG = table_of(RequestLog)


class Writer:
    """Inserts request_log rows from its own connection until stopped."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.written = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            with self.engine.begin() as conn:
                conn.execute(insert(LOG).values(
                    started_at=dt.datetime.now(dt.UTC), request_id=f"w{self.written}",
                    method="GET", route="/v1/players", status=200, latency_ms=1.5, bytes=10,
                ))  # fmt: skip
            self.written += 1

    def wait_for(self, rows: int) -> None:
        deadline = time.monotonic() + 30
        while self.written < rows:
            assert time.monotonic() < deadline, "the writer stalled"
            time.sleep(0.01)

    def __enter__(self) -> Writer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)
        self.engine.dispose()


@pytest.fixture
def target_url(engine: Engine, tmp_path: Path, postgres: PostgresServer) -> Iterator[str]:
    """An empty database on the backend of ``engine``, for restores."""
    if engine.dialect.name == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    url = postgres.create()
    yield url
    postgres.drop(url)


def _s3(endpoint: str) -> Store:
    return open_store(s3_settings(endpoint), "s3")


def _url(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def test_backup_under_concurrent_writes_restores_with_identical_checksums(
    engine: Engine, target_url: str, s3_endpoint: str, postgres: PostgresServer
) -> None:
    store = _s3(s3_endpoint)
    with Writer(_url(engine)) as writer:
        writer.wait_for(50)
        manifest = backups.create_backup(engine=engine, store=store, ledger_engine=engine)
        taken = writer.written
        writer.wait_for(taken + 50)  # writes went on after the snapshot

    logged = manifest.tables["request_log"].rows
    assert 50 <= logged <= taken
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(LOG)).scalar_one() > logged
    assert manifest.sha256 and manifest.size_bytes > 0 and manifest.schema_revision == "0006"

    scratch = postgres.url.render_as_string(hide_password=False)
    verified = backups.verify_backup(store=store, backup_id=manifest.backup_id,
                                     scratch_server_url=scratch, ledger_engine=engine)  # fmt: skip
    restored = backups.restore_backup(store=store, backup_id=manifest.backup_id,
                                      target_url=target_url, force=False, ledger_engine=engine)  # fmt: skip
    rows = sum(t.rows for t in manifest.tables.values())
    assert (verified.rows, restored.rows) == (rows, rows)
    assert restored.tables == len(manifest.tables)
    again = make_engine(target_url)
    try:
        with again.connect() as conn:
            assert conn.execute(select(func.count()).select_from(LOG)).scalar_one() == logged
    finally:
        again.dispose()
    with engine.connect() as conn:
        runs = conn.execute(text("SELECT action, ok FROM backup_runs ORDER BY id")).all()
    assert [(a, bool(ok)) for a, ok in runs] == [("create", True), ("verify", True),
                                                  ("restore", True)]  # fmt: skip


def test_the_loaded_database_round_trips(
    loaded_engine: Engine, tmp_path: Path, postgres: PostgresServer
) -> None:
    store = LocalStore(tmp_path / "backups")
    manifest = backups.create_backup(engine=loaded_engine, store=store, ledger_engine=None)
    assert manifest.tables["player_box_scores"].rows > 40_000
    assert manifest.data_version is not None and manifest.data_version > 0
    checked = backups.verify_backup(
        store=store, backup_id=manifest.backup_id, ledger_engine=None,
        scratch_server_url=postgres.url.render_as_string(hide_password=False),
    )  # fmt: skip
    assert checked.rows == sum(t.rows for t in manifest.tables.values())
    assert [m.backup_id for m in backups.list_backups(store=store)] == [manifest.backup_id]


@pytest.fixture
def sqlite_backup(tmp_path: Path) -> tuple[Engine, LocalStore, str]:
    from nba_mcp.db.migrate import upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'nba.sqlite3'}")
    upgrade(engine)
    store = LocalStore(tmp_path / "backups")
    manifest = backups.create_backup(engine=engine, store=store, ledger_engine=engine)
    return engine, store, manifest.backup_id


def _verify(store: Store, backup_id: str, engine: Engine | None = None) -> backups.Checked:
    return backups.verify_backup(store=store, backup_id=backup_id, scratch_server_url=None,
                                 ledger_engine=engine)  # fmt: skip


def test_a_truncated_backup_fails_verify_and_the_ledger_says_why(
    sqlite_backup: tuple[Engine, LocalStore, str],
) -> None:
    engine, store, backup_id = sqlite_backup
    data = store.directory / f"{backup_id}.sqlite3"
    data.write_bytes(data.read_bytes()[:4096])
    with pytest.raises(CheckFailed, match=r"is damaged: 4096 bytes, the manifest says \d+"):
        _verify(store, backup_id, engine)
    with engine.connect() as conn:
        ok, detail = conn.execute(text(
            "SELECT ok, detail FROM backup_runs WHERE action = 'verify'")).one()  # fmt: skip
    assert not ok and "damaged" in detail
    engine.dispose()


def test_an_altered_backup_fails_verify(sqlite_backup: tuple[Engine, LocalStore, str]) -> None:
    engine, store, backup_id = sqlite_backup
    data = store.directory / f"{backup_id}.sqlite3"
    raw = bytearray(data.read_bytes())
    raw[-100] ^= 0xFF  # same size, one byte changed
    data.write_bytes(bytes(raw))
    with pytest.raises(CheckFailed, match=r"SHA-256 .* \(altered since it was taken\)"):
        _verify(store, backup_id)
    engine.dispose()


def test_missing_backups_fail_clearly(s3_endpoint: str, tmp_path: Path) -> None:
    from nba_mcp.db.migrate import upgrade

    engine = make_engine(f"sqlite:///{tmp_path / 'nba.sqlite3'}")
    upgrade(engine)
    store = _s3(s3_endpoint)
    manifest = backups.create_backup(engine=engine, store=store, ledger_engine=None)
    engine.dispose()
    with pytest.raises(NotFound, match="No backup sqlite-20200101T000000Z-000000 in the bucket"):
        _verify(store, "sqlite-20200101T000000Z-000000")
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1",
                          aws_access_key_id="test", aws_secret_access_key="test")  # fmt: skip
    client.delete_object(Bucket=BUCKET, Key=f"backups/{manifest.data_file}")
    with pytest.raises(CheckFailed, match=r"is incomplete: its data file .* is missing"):
        _verify(store, manifest.backup_id)
    with pytest.raises(InvalidInput, match="Not a backup id"):
        _verify(store, "../../etc/passwd")


def test_restore_refuses_a_non_empty_target_without_force(
    sqlite_backup: tuple[Engine, LocalStore, str], tmp_path: Path
) -> None:
    engine, store, backup_id = sqlite_backup
    target = _url(engine)  # the source itself is not empty
    engine.dispose()
    with pytest.raises(InvalidInput, match=r"is not empty: .* --force"):
        backups.restore_backup(store=store, backup_id=backup_id, target_url=target,
                               force=False, ledger_engine=None)  # fmt: skip
    forced = backups.restore_backup(store=store, backup_id=backup_id, target_url=target,
                                    force=True, ledger_engine=None)  # fmt: skip
    assert forced.tables > 0
    with pytest.raises(InvalidInput, match="is a sqlite backup; the target is not"):
        backups.restore_backup(store=store, backup_id=backup_id, force=False, ledger_engine=None,
                               target_url="postgresql+psycopg://postgres@127.0.0.1/test")  # fmt: skip


def _dated_copies(store: LocalStore, backup_id: str, days: list[dt.date]) -> list[str]:
    """Copies of one real backup, as if taken at noon on each of ``days``."""
    from nba_mcp.ops.manifest import Manifest

    original = Manifest.model_validate_json(store.get_bytes(manifest_name(backup_id)))
    ids = []
    for index, day in enumerate(days):
        taken = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
        new_id = f"sqlite-{taken:%Y%m%dT%H%M%SZ}-{index:06x}"
        copy = original.model_copy(update={"backup_id": new_id, "data_file": f"{new_id}.sqlite3",
                                           "started_at": taken})  # fmt: skip
        (store.directory / copy.data_file).write_bytes(
            (store.directory / original.data_file).read_bytes()
        )
        store.put_bytes(manifest_name(new_id), copy.model_dump_json().encode())
        ids.append(new_id)
    store.delete(manifest_name(backup_id))
    store.delete(original.data_file)
    return ids


def test_prune_keeps_what_the_policy_says_and_dry_run_deletes_nothing(
    sqlite_backup: tuple[Engine, LocalStore, str],
) -> None:
    engine, store, backup_id = sqlite_backup
    engine.dispose()
    days = [dt.date(2026, 11, 30) - dt.timedelta(days=n) for n in range(0, 70, 3)]  # 24 backups
    ids = _dated_copies(store, backup_id, days)
    policy = retention.Policy(daily=3, weekly=2, monthly=3)

    dry = backups.prune_backups(store=store, policy=policy, dry_run=True)
    assert len(store.names()) == 2 * len(ids)
    kept_days = {dt.datetime.strptime(i.split("-")[1], "%Y%m%dT%H%M%SZ").date() for i in dry.kept}
    # daily: the 3 newest days; weekly: the newest of 2 ISO weeks; monthly: of 3 months
    assert kept_days == {dt.date(2026, 11, 30), dt.date(2026, 11, 27), dt.date(2026, 11, 24),
                         dt.date(2026, 10, 31), dt.date(2026, 9, 28)}  # fmt: skip

    done = backups.prune_backups(store=store, policy=policy, dry_run=False)
    assert (done.kept, done.deleted) == (dry.kept, dry.deleted)
    assert sorted(store.names()) == sorted(
        [f"{i}.sqlite3" for i in dry.kept] + [manifest_name(i) for i in dry.kept]
    )
    with pytest.raises(InvalidInput, match="keeps nothing"):
        backups.prune_backups(store=store, policy=retention.Policy(daily=0, weekly=0, monthly=0),
                              dry_run=True)  # fmt: skip


def test_s3_store_lists_only_its_prefix(s3_endpoint: str) -> None:
    store = _s3(s3_endpoint)
    assert isinstance(store, S3Store)
    store.client.put_object(Bucket=BUCKET, Key="elsewhere/x.manifest.json", Body=b"{}")
    store.client.put_object(Bucket=BUCKET, Key="backups/nested/y.manifest.json", Body=b"{}")
    assert not any(n.startswith(("x", "nested")) for n in store.names())


@pytest.mark.postgres
def test_verify_says_when_no_scratch_database_can_be_made(
    postgres: PostgresServer, tmp_path: Path
) -> None:
    from nba_mcp.db.migrate import upgrade
    from nba_mcp.errors import DependencyUnavailable

    url = postgres.create()
    engine = make_engine(url)
    try:
        upgrade(engine)
        store = LocalStore(tmp_path)
        manifest = backups.create_backup(engine=engine, store=store, ledger_engine=engine)
        with pytest.raises(DependencyUnavailable, match="Cannot create a scratch database"):
            backups.verify_backup(store=store, backup_id=manifest.backup_id, ledger_engine=engine,
                                  scratch_server_url="postgresql+psycopg://postgres@127.0.0.1:1/x")  # fmt: skip
        with pytest.raises(InvalidInput, match="needs a PostgreSQL server"):
            _verify(store, manifest.backup_id)
        with engine.connect() as conn:
            failed = conn.execute(text("SELECT detail FROM backup_runs WHERE NOT ok")).scalars()
            assert [d.split(" on ")[0] for d in failed] == ["Cannot create a scratch database"]
    finally:
        engine.dispose()
        postgres.drop(url)


def test_a_forced_restore_replaces_what_the_target_holds(engine: Engine, tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "backups")
    manifest = backups.create_backup(engine=engine, store=store, ledger_engine=None)
    with Writer(_url(engine)) as writer:  # rows the backup does not have
        writer.wait_for(20)
    engine.dispose()

    restored = backups.restore_backup(store=store, backup_id=manifest.backup_id,
                                      target_url=_url(engine), force=True, ledger_engine=None)  # fmt: skip

    assert restored.rows == sum(t.rows for t in manifest.tables.values())
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(LOG)).scalar_one() == 0
