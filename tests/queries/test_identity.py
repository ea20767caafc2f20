"""One record per person, forgiving input, never a guess (issue 14): a player is found by
every name he played under, a short form or a curated nickname; teams by any code of their
franchise; season types in any case; and an error says what there is instead."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, text

from nba_mcp.errors import Ambiguous, NotFound
from nba_mcp.ingest.aliases import LINKS
from nba_mcp.queries.game_log import player_game_log
from nba_mcp.queries.lookup import find_player, find_team, player_candidates
from nba_mcp.queries.players import player_season
from nba_mcp.queries.seasons import check_season_type
from nba_mcp.queries.splits import player_splits
from nba_mcp.queries.teams import team_season

#: The Basketball-Reference players the loads left without an NBA.com id before the alias
#: table, and the NBA.com id each is linked to now.
PREVIOUSLY_UNLINKED = {
    "creekmi01": 1628249, "dunlemi02": 2399, "edwarvi01": 1629053, "hendege02": 201945,
    "hernaju01": 1627823, "hilarne01": 2403, "iwundwe01": 1628411, "johnsch04": 203187,
    "kanteen01": 202683, "kingge03": 1628994, "mykhasv01": 1629004, "poeltja01": 1627751,
    "princta02": 1627752, "reynoca01": 1629244, "smithgr02": 202962,
}  # fmt: skip


def test_every_basketball_reference_player_has_an_nba_com_id(conn: Connection) -> None:
    unlinked = conn.execute(
        text("SELECT bref_slug FROM players WHERE bref_slug IS NOT NULL AND person_id IS NULL")
    ).all()
    rows = conn.execute(
        text("SELECT bref_slug, person_id FROM players WHERE bref_slug IS NOT NULL")
    ).all()
    linked = {slug: person_id for slug, person_id in rows}

    assert unlinked == []
    assert {slug: linked[slug] for slug in PREVIOUSLY_UNLINKED} == PREVIOUSLY_UNLINKED
    # Pöltl is linked by the German spelling of his umlaut, every other one by the table.
    assert {link.bref_slug for link in LINKS} == set(PREVIOUSLY_UNLINKED) - {"poeltja01"}


def test_no_person_has_two_records(conn: Connection) -> None:
    """Every player with games is one record: no NBA.com player left without games while
    a slug-only namesake holds them."""
    slug_only = conn.execute(
        text("SELECT COUNT(*) FROM players WHERE bref_slug IS NOT NULL AND person_id IS NULL")
    ).scalar()
    assert slug_only == 0


@pytest.mark.parametrize("name", ["Nene", "Nenê", "Nenê Hilário", "nene hilario", "NENE"])
def test_nene_is_found_by_every_name_with_his_2015_16_games(conn: Connection, name: str) -> None:
    season = player_season(conn, player=name, season="2015-16")

    assert (season.player.name, season.player.person_id, season.player.bref_slug) == (
        "Nene",
        2403,
        "hilarne01",
    )
    assert season.player.other_names == ["Nenê Hilário"]
    # Basketball-Reference, Nenê 2015-16: WAS, 57 G, 525 PTS (9.2 per game).
    row = season.total
    assert (row.team, row.g, row.totals.pts, row.per_game.pts) == ("WAS", 57, 525, 9.2)


@pytest.mark.parametrize("name", ["Enes Kanter", "Enes Freedom", "enes kanter"])
def test_enes_kanter_and_enes_freedom_are_one_record(conn: Connection, name: str) -> None:
    player = find_player(conn, name=name)
    season = player_season(conn, player=name, season="2015-16")

    assert (player.name, player.person_id, player.bref_slug) == (
        "Enes Freedom",
        202683,
        "kanteen01",
    )
    assert player.other_names == ["Enes Kanter"]
    assert player.seasons == ["2015-16", "2018-19"]
    # Basketball-Reference, Enes Kanter 2015-16: OKC, 82 G, 1,038 PTS (12.7 per game).
    assert (season.total.team, season.total.g, season.total.totals.pts) == ("OKC", 82, 1038)
    assert season.total.per_game.pts == 12.7


def test_a_former_name_finds_a_traded_players_season(conn: Connection) -> None:
    season = player_season(conn, player="Enes Kanter", season="2018-19")

    assert [(r.team, r.g) for r in season.rows] == [("NYK", 44), ("POR", 23), ("TOT", 67)]


def test_the_candidates_show_the_names_a_player_played_under(conn: Connection) -> None:
    [found] = player_candidates(conn, name="Taurean Waller-Prince")

    assert found.name == "Taurean Prince"
    assert found.label().startswith("Taurean Prince, also Taurean Waller-Prince (id ")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("lebron", "LeBron James"),  # one first name only one player has
        ("LeBron", "LeBron James"),
        ("jokic", "Nikola Jokić"),  # one last name
        ("Giannis", "Giannis Antetokounmpo"),
        ("Steph Curry", "Stephen Curry"),  # the alias table, and a short given name
        ("Steph", "Stephen Curry"),
        ("KD", "Kevin Durant"),
        ("King James", "LeBron James"),
        ("the beard", "James Harden"),
        ("CP3", "Chris Paul"),
        ("Russ Westbrook", "Russell Westbrook"),  # a short given name, one player matches
        ("Jakob Poltl", "Jakob Poeltl"),  # a spelling he played under
        ("Mitch Creek", "Mitchell Creek"),
        ("Juancho Hernangómez", "Juancho Hernangomez"),
    ],
)
def test_short_forms_and_nicknames_resolve_when_one_player_matches(
    conn: Connection, name: str, expected: str
) -> None:
    assert find_player(conn, name=name).name == expected


def test_a_short_form_several_players_match_lists_them_and_does_not_guess(
    conn: Connection,
) -> None:
    with pytest.raises(Ambiguous) as raised:
        find_player(conn, name="Curry", season="2015-16")

    # NBA.com lists six Currys; two of them have games in 2015-16.
    assert raised.value.message.startswith(
        "6 players match 'Curry', 2 of them with games in 2015-16; name one by full name or id."
    )
    assert [c.split(" (")[0] for c in raised.value.candidates] == ["Seth Curry", "Stephen Curry"]


def test_a_name_no_player_has_is_not_guessed(conn: Connection) -> None:
    with pytest.raises(NotFound) as raised:
        find_player(conn, name="Stephan Curri")

    assert not isinstance(raised.value, Ambiguous)
    assert raised.value.message.startswith("No player called 'Stephan Curri'.")


@pytest.mark.parametrize(
    ("name", "abbreviation"),
    [
        ("BRK", "BKN"), ("brk", "BKN"), ("Brk", "BKN"), ("PHO", "PHX"), ("pho", "PHX"),
        ("CHO", "CHA"), ("CHA", "CHA"), ("NJN", "BKN"), ("NOH", "NOP"), ("SEA", "OKC"),
        ("Charlotte Bobcats", "CHA"), ("Sixers", "PHI"), ("Warriors", "GSW"),
        ("WARRIORS", "GSW"), ("Golden State", "GSW"), ("Boston", "BOS"), ("celtics", "BOS"),
        ("Trail Blazers", "POR"), ("LA Clippers", "LAC"), ("Los Angeles Clippers", "LAC"),
    ],
)  # fmt: skip
def test_a_team_is_found_by_any_code_or_name_of_its_franchise(
    conn: Connection, name: str, abbreviation: str
) -> None:
    assert find_team(conn, name=name).abbreviation == abbreviation


def test_brk_finds_the_nets_of_2015_16(conn: Connection) -> None:
    # Basketball-Reference, Brooklyn Nets 2015-16: 21-61.
    season = team_season(conn, team="BRK", season="2015-16")

    assert (season.team.abbreviation, season.record.wins, season.record.losses) == ("BKN", 21, 61)


def test_an_opponent_by_basketball_reference_code_filters_the_game_log(conn: Connection) -> None:
    by_code = player_game_log(conn, player="Stephen Curry", season="2015-16", opponent="PHO")
    by_name = player_game_log(conn, player="Stephen Curry", season="2015-16", opponent="Suns")

    assert by_code.games == by_name.games
    assert {g.opponent for g in by_code.games} == {"PHX"}
    assert len(by_code.games) == 4


@pytest.mark.parametrize(
    ("given", "season_type"),
    [
        ("Playoffs", "playoffs"), ("PLAYOFFS", "playoffs"), ("playoff", "playoffs"),
        ("REGULAR", "regular"), ("Regular Season", "regular"), ("regular_season", "regular"),
        ("Play-In", "play_in"), ("play in", "play_in"), ("PLAY_IN", "play_in"),
    ],
)  # fmt: skip
def test_season_types_in_any_case(given: str, season_type: str) -> None:
    assert check_season_type(given) == season_type


def test_a_season_type_in_capitals_reaches_the_games(conn: Connection) -> None:
    season = player_season(conn, player="Stephen Curry", season="2015-16", season_type="Playoffs")

    # Basketball-Reference, Curry 2016 playoffs: 18 G, 25.1 points per game.
    assert (season.season_type, season.total.g, season.total.totals.pts) == ("playoffs", 18, 452)
    assert season.total.per_game.pts == 25.1


def test_no_play_in_games_does_not_list_the_season_as_one_with_them(conn: Connection) -> None:
    with pytest.raises(NotFound) as raised:
        player_season(conn, player="Stephen Curry", season="2015-16", season_type="play_in")

    assert raised.value.message == (
        "Stephen Curry has no play-in games in 2015-16 (no play-in games are loaded for "
        "2015-16; that season he has regular-season and playoff games); he has no play-in "
        "games loaded."
    )


def test_no_playoff_games_lists_the_seasons_that_have_them(conn: Connection) -> None:
    with pytest.raises(NotFound) as raised:
        player_splits(conn, player="LeBron James", season="2018-19", season_type="PLAYOFFS",
                      split="home_away")  # fmt: skip

    assert raised.value.message == (
        "LeBron James has no playoff games in 2018-19 (that season he has regular-season "
        "games). Seasons with his playoff games: 2015-16."
    )


@pytest.mark.parametrize("call", [player_season, player_game_log])
def test_a_season_with_team_data_only_says_so(conn: Connection, call: object) -> None:
    with pytest.raises(NotFound) as raised:
        call(conn, player="Stephen Curry", season="2022-23")  # type: ignore[operator]

    assert raised.value.message == (
        "2022-23 has team data only: no player box scores are loaded for it. "
        "Seasons with player box scores: 2015-16, 2018-19."
    )


def test_a_namesake_without_games_points_to_the_record_that_has_them(conn: Connection) -> None:
    """Gerald Henderson Sr. (NBA.com 76993) has no games; his son's record holds 2015-16."""
    father = conn.execute(text("SELECT player_id FROM players WHERE person_id = 76993")).scalar()
    son = find_player(conn, name="Gerald Henderson")

    with pytest.raises(NotFound) as raised:
        player_season(conn, player=father, season="2015-16")

    assert son.person_id == 201945
    assert raised.value.message == (
        f"Gerald Henderson (id {father}) has no games loaded; Gerald Henderson "
        f"(id {son.player_id}; 2015-16) has: name him by id."
    )
    assert "Seasons with games: none" not in raised.value.message


def test_a_team_without_games_of_a_type_in_the_season(conn: Connection) -> None:
    with pytest.raises(NotFound, match=r"^No play-in games are loaded for 2015-16\.$"):
        team_season(conn, team="Warriors", season="2015-16", season_type="play_in")
