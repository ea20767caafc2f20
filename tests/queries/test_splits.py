"""player_splits: every split of Curry's 2015-16 checked against counts taken from the CSV."""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from collections.abc import Iterator
from itertools import pairwise

import pytest
from sqlalchemy import Connection, Engine

from nba_mcp.errors import InvalidInput, NotFound
from nba_mcp.queries.splits import SPLITS, player_splits
from tests.conftest import BREF


@pytest.fixture
def conn(loaded_engine: Engine) -> Iterator[Connection]:
    with loaded_engine.connect() as connection:
        yield connection


def curry_rows() -> list[dict[str, str]]:
    with (BREF / "player_box_scores_2015_2016.csv").open(newline="") as f:
        rows = [
            row
            for row in csv.DictReader(f)
            if row["slug"] == "curryst01" and row["season_type"] == "Regular Season"
        ]
    return sorted(rows, key=lambda row: row["game_date"])


def games_by_group(split: str, conn: Connection) -> dict[str, int]:
    result = player_splits(conn, player="Stephen Curry", season="2015-16", split=split)  # type: ignore[arg-type]
    return {group.group: group.games for group in result.groups}


@pytest.mark.parametrize("split", SPLITS)
def test_groups_add_up_to_the_season(conn: Connection, split: str) -> None:
    result = player_splits(conn, player="Stephen Curry", season="2015-16", split=split)  # type: ignore[arg-type]
    assert sum(group.games for group in result.groups) == result.total.games == 79
    total = result.total
    assert (total.pts_per_game, total.reb_per_game, total.ast_per_game) == (30.1, 5.4, 6.7)
    assert (total.fg_pct, total.fg3_pct, total.ft_pct, total.ts_pct) == (0.504, 0.454, 0.908, 0.669)
    assert total.min_per_game == 34.2


def test_home_and_away(conn: Connection) -> None:
    expected = Counter(row["location"].lower() for row in curry_rows())
    assert games_by_group("home_away", conn) == dict(expected)
    assert list(games_by_group("home_away", conn)) == ["home", "away"]


def test_wins_and_losses(conn: Connection) -> None:
    expected = Counter("W" if row["outcome"] == "WIN" else "L" for row in curry_rows())
    assert games_by_group("wins_losses", conn) == dict(expected) == {"W": 71, "L": 8}


def test_months_in_order(conn: Connection) -> None:
    expected = Counter(row["game_date"][:7] for row in curry_rows())
    groups = games_by_group("month", conn)
    assert groups == dict(expected)
    assert list(groups) == sorted(expected)


def test_opponents(conn: Connection) -> None:
    result = player_splits(conn, player="Stephen Curry", season="2015-16", split="opponent")
    assert len(result.groups) == 29
    orlando = next(g for g in result.groups if g.group == "ORL")
    assert (orlando.games, orlando.pts_per_game) == (2, 46.0)


def test_rest_days_between_his_games(conn: Connection) -> None:
    dates = [dt.date.fromisoformat(row["game_date"]) for row in curry_rows()]
    expected: Counter[str] = Counter({"first game": 1})
    for before, after in pairwise(dates):
        rest = (after - before).days - 1
        expected["3+" if rest >= 3 else str(rest)] += 1
    groups = games_by_group("rest_days", conn)
    assert groups == dict(expected)
    assert list(groups) == ["0", "1", "2", "3+", "first game"]
    assert groups["0"] == 19  # back-to-backs


def test_unknown_split_is_refused(conn: Connection) -> None:
    with pytest.raises(InvalidInput, match="split"):
        player_splits(conn, player="Stephen Curry", season="2015-16", split="weekday")  # type: ignore[arg-type]


def test_season_without_his_games_is_not_found(conn: Connection) -> None:
    with pytest.raises(NotFound):
        player_splits(conn, player="Stephen Curry", season="2022-23", split="home_away")
