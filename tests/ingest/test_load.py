"""Loading a batch: idempotent, all or nothing, merging sources without losing official figures."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, bindparam, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from nba_mcp.errors import InvalidInput
from nba_mcp.ingest import aliases, bref, nba_stats
from nba_mcp.ingest.batch import Batch
from nba_mcp.ingest.load import load_batch
from tests.conftest import BREF, NBA_STATS
from tests.ingest.files import copy_season
from tests.ingest.snapshot import row_counts, snapshot

TABLES = (
    "seasons", "teams", "players", "player_names", "games", "team_box_scores",
    "player_box_scores",
)  # fmt: skip


def test_loading_the_same_season_twice_changes_nothing(engine: Engine) -> None:
    first = load_batch(engine, bref.parse(BREF, "2015-16"))
    before = snapshot(engine)

    second = load_batch(engine, bref.parse(BREF, "2015-16"))

    assert first.changed == {
        "seasons": 1,
        "teams": 30,
        "players": 5198,  # NBA.com's list: every slug of 2015-16 is linked to one of them
        # Every NBA.com name, the 2 names of 2015-16 NBA.com no longer uses (Enes Kanter,
        # Nenê Hilário) and the 16 nicknames of the alias table.
        "player_names": 5198 + 2 + 16,
        "games": 1316,
        "team_box_scores": 2632,
        "player_box_scores": 27978,
    }
    assert second.changed == dict.fromkeys(TABLES, 0)
    assert second.total_changed == 0
    assert second.offered == first.offered
    assert second.data_version == first.data_version == 1
    assert snapshot(engine) == before


def test_the_same_batch_object_can_be_loaded_again(engine: Engine, one_game: Path) -> None:
    """A retry, or a second database, may reuse a parsed batch: loading does not consume it."""
    batch = bref.parse(one_game)
    load_batch(engine, batch)

    assert load_batch(engine, batch).total_changed == 0


def broken_batch(directory: Path) -> Batch:
    """A real game whose last player line points at a game that is nowhere: its games
    and team boxes are written before that line's foreign key fails."""
    batch = bref.parse(copy_season(directory, "2015-16", games={"0021500003"}))
    batch.player_boxes[-1]["game_id"] = "0029999999"
    return batch


def test_a_load_that_fails_midway_leaves_nothing_behind(
    engine: Engine, one_game: Path, tmp_path: Path
) -> None:
    load_batch(engine, bref.parse(one_game))
    before = snapshot(engine)

    with pytest.raises(DBAPIError):
        load_batch(engine, broken_batch(tmp_path))

    assert snapshot(engine) == before


def test_a_load_that_fails_midway_reports_the_failure_itself(
    engine: Engine, tmp_path: Path
) -> None:
    """The foreign-key violation itself, not a follow-up error of the aborted transaction."""
    with pytest.raises(IntegrityError):
        load_batch(engine, broken_batch(tmp_path))


def test_a_game_of_an_unknown_team_is_refused_before_writing(
    engine: Engine, tmp_path: Path
) -> None:
    batch = bref.parse(copy_season(tmp_path, "2015-16", games={"0021500003"}))
    batch.games[0]["home_team_id"] = 1610612700

    with pytest.raises(InvalidInput) as raised:
        load_batch(engine, batch)

    assert raised.value.message == (
        "Game 0021500003 names team 1610612700, which is not an NBA.com team id."
    )
    counts = row_counts(snapshot(engine))
    assert counts.pop("alembic_version") == 1
    assert set(TABLES) <= set(counts)
    assert counts == dict.fromkeys(counts, 0)  # nothing written, in any table


def test_the_data_version_moves_only_when_a_load_changes_something(
    engine: Engine, one_game: Path
) -> None:
    def version() -> int:
        with engine.connect() as conn:
            return int(conn.execute(text("SELECT version FROM data_version")).scalar_one())

    assert load_batch(engine, bref.parse(one_game)).data_version == version() == 1
    assert load_batch(engine, bref.parse(one_game)).data_version == version() == 1
    assert load_batch(engine, nba_stats.parse(NBA_STATS, "2022-23")).data_version == version() == 2


def test_bref_after_nba_stats_keeps_the_official_team_totals(engine: Engine) -> None:
    """And reloading either source afterwards changes nothing."""
    load_batch(engine, nba_stats.parse(NBA_STATS, "2015-16"))
    official = snapshot(engine)["team_box_scores"]

    result = load_batch(engine, bref.parse(BREF, "2015-16"))

    content = snapshot(engine)
    assert result.changed["team_box_scores"] == 0
    assert content["team_box_scores"] == official
    assert len(content["player_box_scores"]) == 27978
    with engine.connect() as conn:
        sources = conn.execute(
            text("SELECT source, COUNT(*) FROM team_box_scores GROUP BY source")
        ).all()
        # New Orleans at Golden State, 2015-10-27: NBA.com charges the Pelicans 19
        # turnovers, one more than the sum of their players' 18.
        tov = conn.execute(
            text(
                "SELECT t.tov, (SELECT SUM(p.tov) FROM player_box_scores p "
                "WHERE p.game_id = t.game_id AND p.team_id = t.team_id) "
                "FROM team_box_scores t WHERE t.game_id = '0021500003' AND t.team_id = 1610612740"
            )
        ).one()
        game = conn.execute(
            text("SELECT neutral_site, start_time FROM games WHERE game_id = '0021500003'")
        ).one()
    assert [tuple(row) for row in sources] == [("nba_stats", 2632)]
    assert tuple(tov) == (19, 18)
    assert game.neutral_site is not None and not game.neutral_site  # from NBA.com, kept
    assert game.start_time is not None  # from Basketball-Reference, added

    assert load_batch(engine, nba_stats.parse(NBA_STATS, "2015-16")).total_changed == 0
    assert load_batch(engine, bref.parse(BREF, "2015-16")).total_changed == 0
    assert snapshot(engine) == content


def players_by_slug(engine: Engine, *slugs: str) -> dict[str, tuple[int | None, str]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT bref_slug, person_id, full_name FROM players WHERE bref_slug IN :slugs"
            ).bindparams(bindparam("slugs", expanding=True)),
            {"slugs": list(slugs)},
        )
        return {slug: (person_id, name) for slug, person_id, name in rows}


def test_a_player_without_nba_id_is_linked_by_name_and_named_by_nba_com(
    loaded_engine: Engine,
) -> None:
    # players_2015_2016.csv: "asikom01,Ömer Aşık," (no person id).
    assert players_by_slug(loaded_engine, "asikom01") == {"asikom01": (201600, "Omer Asik")}


def test_a_son_without_suffix_is_linked_to_the_nba_player_with_the_suffix(
    loaded_engine: Engine,
) -> None:
    # The files say "Tim Hardaway" with no person id; NBA.com has Tim Hardaway (896)
    # and Tim Hardaway Jr. (203501): these seasons are the son's.
    assert players_by_slug(loaded_engine, "hardati02", "nancela02", "paytoga02") == {
        "hardati02": (203501, "Tim Hardaway Jr."),
        "nancela02": (1626204, "Larry Nance Jr."),
        "paytoga02": (1627780, "Gary Payton II"),
    }


def test_players_the_rules_cannot_tell_apart_are_linked_by_the_alias_table(
    loaded_engine: Engine,
) -> None:
    """Two NBA.com players of one name and no suffix, a changed name, a short given name:
    the alias table settles them, so no Basketball-Reference player is left on his own."""
    with loaded_engine.connect() as conn:
        unlinked = conn.execute(text("SELECT bref_slug FROM players WHERE person_id IS NULL"))
        assert unlinked.all() == []
    assert players_by_slug(loaded_engine, "dunlemi02", "kanteen01", "hilarne01", "poeltja01") == {
        "dunlemi02": (2399, "Mike Dunleavy"),  # the son; NBA.com's 76616 is the father
        "kanteen01": (202683, "Enes Freedom"),
        "hilarne01": (2403, "Nene"),
        "poeltja01": (1627751, "Jakob Poeltl"),  # "Jakob Pöltl": ö written oe, no table entry
    }


def test_a_player_an_earlier_load_kept_apart_is_merged_into_one_record(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database loaded before the alias table had Nenê twice: NBA.com's Nene without games
    and the slug hilarne01 with them. Loading again merges them, games and names, at once."""
    monkeypatch.setattr(aliases, "LINKS", ())
    load_batch(engine, bref.parse(BREF, "2015-16"))
    with engine.connect() as conn:
        split = conn.execute(
            text("SELECT player_id, person_id, bref_slug FROM players WHERE name_key IN "
                 "('nene', 'nene hilario') ORDER BY player_id")
        ).all()  # fmt: skip
    assert [(person, slug) for _, person, slug in split] == [(2403, None), (None, "hilarne01")]
    kept, dropped = split[0][0], split[1][0]
    monkeypatch.undo()

    result = load_batch(engine, bref.parse(BREF, "2015-16"))

    with engine.connect() as conn:
        players = conn.execute(
            text("SELECT player_id, person_id, bref_slug FROM players "
                 "WHERE person_id IN (2403, 202683) OR bref_slug IN ('hilarne01', 'kanteen01') "
                 "ORDER BY person_id")
        ).all()  # fmt: skip
        games = conn.execute(
            text("SELECT player_id, COUNT(*) FROM player_box_scores WHERE player_id IN "
                 "(:kept, :dropped) GROUP BY player_id"),
            {"kept": kept, "dropped": dropped},
        ).all()  # fmt: skip
        names = conn.execute(
            text("SELECT name, kind FROM player_names WHERE player_id = :kept ORDER BY name"),
            {"kept": kept},
        ).all()
    assert [(person, slug) for _, person, slug in players] == [
        (2403, "hilarne01"),
        (202683, "kanteen01"),
    ]
    assert players[0][0] == kept
    assert games == [(kept, 57)]  # his 57 games of 2015-16 (Washington missed the playoffs)
    assert names == [("Nene", "current"), ("Nenê Hilário", "played")]
    assert result.changed["players"] == 6 + 6  # 6 merges, then 6 slugs added to NBA.com rows
    assert result.changed["player_box_scores"] == 0  # moved by the merge, not rewritten
    assert result.data_version == 2
    assert load_batch(engine, bref.parse(BREF, "2015-16")).total_changed == 0
