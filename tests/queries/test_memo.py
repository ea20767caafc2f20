"""Values built from whole tables are kept per database and data version: built once,
shared by concurrent callers, rebuilt after a load, and never handed out to be changed."""

from __future__ import annotations

import threading
import time

from sqlalchemy import Engine, event

from nba_mcp.catalog.spec import Services
from nba_mcp.config import Settings
from nba_mcp.ingest.load import bump_version
from nba_mcp.queries.lookup import find_player, player_index
from nba_mcp.queries.memo import memoized
from nba_mcp.queries.totals import player_stints, player_totals
from nba_mcp.result_cache import ResultCache
from tests.conftest import load_all


class Builds:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> int:
        self.count += 1
        time.sleep(0.05)  # long enough for the other threads to arrive meanwhile
        return self.count


def test_a_value_is_built_once_per_data_version(engine: Engine) -> None:
    builds = Builds()
    results: list[int] = []

    def call() -> None:
        with engine.connect() as conn:
            results.append(memoized(conn, "test-once", ("k",), builds))

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (builds.count, results) == (1, [1] * 8)

    with engine.begin() as conn:
        bump_version(conn, changed=True)
    call()
    assert (builds.count, results[-1]) == (2, 2)  # a load: built again


def test_the_version_is_read_once_per_connection(engine: Engine) -> None:
    statements: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    with engine.connect() as conn:
        for kind in ("test-a", "test-b", "test-c"):
            memoized(conn, kind, (), lambda: 0)
    assert sum("data_version" in s for s in statements) == 1


def test_a_server_that_watches_the_version_spends_no_query_on_it(engine: Engine) -> None:
    cache = ResultCache(engine=engine)
    services = Services(settings=Settings(_env_file=None), engine=engine, cache=cache)  # type: ignore[call-arg]
    try:
        cache.versions.current()  # the watch is up
        statements: list[str] = []
        event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        with services.connect() as conn:
            assert memoized(conn, "test-watched", (), lambda: "built") == "built"
        assert statements == []
    finally:
        cache.close()


def test_the_player_index_hands_out_models_to_change(engine: Engine) -> None:
    load_all(engine)
    with engine.connect() as conn:
        curry = find_player(conn, name="Stephen Curry")
        curry.seasons.clear()
        curry.name = "changed"
        again = find_player(conn, name="Stephen Curry")
        assert again.seasons == ["2015-16", "2018-19"]
        assert player_index(conn).by_id[again.player_id].name == "Stephen Curry"


def test_a_player_s_stints_are_the_rows_of_his_own_query(loaded_engine: Engine) -> None:
    with loaded_engine.connect() as conn:
        for name in ("Tobias Harris", "Stephen Curry"):  # traded in 2018-19: two stints
            player_id = find_player(conn, name=name).player_id
            kept = player_stints(conn, season="2018-19", season_type="regular", player_id=player_id)
            queried = player_totals(
                conn, season="2018-19", season_type="regular", player_id=player_id
            )
            assert kept == queried
            assert len(kept) == (2 if name == "Tobias Harris" else 1)
