"""Finding players and teams by name: accents, case and suffixes do not matter; no guessing."""

from __future__ import annotations

import pytest
from sqlalchemy import Connection

from nba_mcp.errors import Ambiguous, InvalidInput, NotFound
from nba_mcp.queries.lookup import find_player, find_team, player_by_id, player_candidates


@pytest.mark.parametrize(
    "name", ["nikola jokic", "NIKOLA JOKIĆ", "Nikola Jokić", " Nikola  Jokic "]
)
def test_find_player_ignores_accents_case_and_spacing(conn: Connection, name: str) -> None:
    player = find_player(conn, name=name)

    assert (player.name, player.person_id, player.bref_slug) == (
        "Nikola Jokić",
        203999,
        "jokicni01",
    )
    assert player.seasons == ["2015-16", "2018-19"]


def test_a_name_without_suffix_finds_the_son_who_played_that_season(conn: Connection) -> None:
    player = find_player(conn, name="Tim Hardaway", season="2015-16")

    assert (player.name, player.person_id) == ("Tim Hardaway Jr.", 203501)


def test_a_name_with_suffix_finds_the_same_player(conn: Connection) -> None:
    assert find_player(conn, name="Tim Hardaway Jr.").person_id == 203501


def test_a_name_spelt_without_accents_finds_the_nba_com_spelling(conn: Connection) -> None:
    # The Basketball-Reference file spells him "Ömer Aşık".
    assert find_player(conn, name="Ömer Aşık").name == "Omer Asik"


def test_an_unknown_name_lists_the_closest_players(conn: Connection) -> None:
    with pytest.raises(NotFound) as raised:
        find_player(conn, name="Stephen Cury")

    assert raised.value.candidates[0].startswith("Stephen Curry (id ")
    assert raised.value.candidates[0].endswith("; 2015-16, 2018-19)")
    assert "Closest matches: Stephen Curry" in raised.value.message
    assert not isinstance(raised.value, Ambiguous)


def test_two_players_of_one_name_and_no_games_are_ambiguous(conn: Connection) -> None:
    """Patrick Ewing and Patrick Ewing Jr. share a name key; neither has loaded games."""
    with pytest.raises(Ambiguous) as raised:
        find_player(conn, name="Patrick Ewing")

    assert raised.value.message.startswith("2 players are called 'Patrick Ewing'; name one by id.")
    assert len(raised.value.candidates) == 2
    assert all(
        c.startswith("Patrick Ewing (id ") and c.endswith("; no games loaded)")
        for c in raised.value.candidates
    )


def test_homonyms_resolve_to_the_one_with_games_in_the_season(conn: Connection) -> None:
    """NBA.com lists two George Kings; the one of 2018-19 is linked by the alias table."""
    player = find_player(conn, name="George King", season="2018-19")

    assert (player.bref_slug, player.person_id, player.seasons) == (
        "kingge03",
        1628994,
        ["2018-19"],
    )


def test_a_homonym_without_games_in_the_season_is_ambiguous(conn: Connection) -> None:
    with pytest.raises(Ambiguous) as raised:
        find_player(conn, name="Tim Hardaway", season="2022-23")

    # The one with games in other seasons first.
    assert [c.split(" (")[0] for c in raised.value.candidates] == [
        "Tim Hardaway Jr.",
        "Tim Hardaway",
    ]


def test_an_empty_name_is_invalid(conn: Connection) -> None:
    with pytest.raises(InvalidInput, match="A player name is needed"):
        player_candidates(conn, name=" .. ")


def test_player_by_id_round_trips(conn: Connection) -> None:
    curry = find_player(conn, name="Stephen Curry")

    assert player_by_id(conn, player_id=curry.player_id) == curry
    with pytest.raises(NotFound, match="No player with id -1"):
        player_by_id(conn, player_id=-1)


@pytest.mark.parametrize(
    "name", ["GSW", "gsw", "Warriors", "Golden State Warriors", "golden state"]
)
def test_find_team_by_abbreviation_nickname_or_name(conn: Connection, name: str) -> None:
    team = find_team(conn, name=name)

    assert (team.team_id, team.abbreviation, team.conference, team.division) == (
        1610612744,
        "GSW",
        "West",
        "Pacific",
    )


def test_a_name_shared_by_two_teams_is_ambiguous(conn: Connection) -> None:
    with pytest.raises(Ambiguous) as raised:
        find_team(conn, name="Los Angeles")

    assert sorted(raised.value.candidates) == [
        "LAC (Los Angeles Clippers)",
        "LAL (Los Angeles Lakers)",
    ]


def test_an_unknown_team_lists_close_names(conn: Connection) -> None:
    with pytest.raises(NotFound) as raised:
        find_team(conn, name="Golden Stat Warriors")

    assert "GSW (Golden State Warriors)" in raised.value.candidates
