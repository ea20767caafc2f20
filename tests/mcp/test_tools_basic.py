"""Player, team and game tools answer with published facts and fail clearly on bad input."""

from __future__ import annotations

import pytest
from mcp import Client

from tests.mcp.conftest import error_text, structured

pytestmark = pytest.mark.anyio


async def test_every_tool_has_a_description_and_an_output_schema(client: Client) -> None:
    tools = (await client.list_tools()).tools
    assert tools
    for tool in tools:
        assert tool.description and len(tool.description) > 40, tool.name
        assert tool.output_schema is not None, tool.name


async def test_find_player_ignores_accents_and_ranks_players_with_games_first(
    client: Client,
) -> None:
    data = structured(await client.call_tool("find_player", {"name": "nikola jokic"}))
    first = data["candidates"][0]
    assert first["name"] == "Nikola Jokić"
    assert "2015-16" in first["seasons"] and "2018-19" in first["seasons"]


async def test_find_player_suggests_close_spellings(client: Client) -> None:
    data = structured(await client.call_tool("find_player", {"name": "Stephen Cury"}))
    assert "Stephen Curry" in [c["name"] for c in data["candidates"]]


async def test_player_season_stats_curry_2015_16(client: Client) -> None:
    result = await client.call_tool(
        "player_season_stats", {"player": "Stephen Curry", "season": "2015-16"}
    )
    row = structured(result)["rows"][-1]
    assert (row["team"], row["g"], row["totals"]["pts"], row["per_game"]["pts"]) == (
        "GSW",
        79,
        2375,
        30.1,
    )
    assert "30.1 PTS" in result.content[0].text  # type: ignore[union-attr]


async def test_unknown_player_is_a_tool_error_listing_candidates(client: Client) -> None:
    result = await client.call_tool("player_season_stats", {"player": "Stephen Cury"})
    assert "Stephen Curry" in error_text(result)


async def test_bad_season_argument_names_the_argument(client: Client) -> None:
    result = await client.call_tool(
        "player_season_stats", {"player": "Stephen Curry", "season": "2015"}
    )
    assert "season" in error_text(result)


async def test_unloaded_season_lists_the_loaded_ones(client: Client) -> None:
    result = await client.call_tool(
        "player_season_stats", {"player": "Stephen Curry", "season": "1999-00"}
    )
    text = error_text(result)
    assert "1999-00" in text and "2015-16" in text


async def test_team_season_stats_golden_state_73_9(client: Client) -> None:
    data = structured(
        await client.call_tool("team_season_stats", {"team": "Warriors", "season": "2015-16"})
    )
    assert data["record"] == {"wins": 73, "losses": 9}


async def test_find_team_unknown_lists_candidates(client: Client) -> None:
    result = await client.call_tool("find_team", {"name": "Warriorz"})
    assert "GSW" in error_text(result)


async def test_game_box_score_by_id_and_by_date_and_team_agree(client: Client) -> None:
    by_id = structured(await client.call_tool("game_box_score", {"game_id": "0021500003"}))
    by_date = structured(
        await client.call_tool("game_box_score", {"date": "2015-10-27", "team": "NOP"})
    )
    assert by_id == by_date
    assert (by_id["home"]["team"], by_id["home"]["score"], by_id["away"]["score"]) == (
        "GSW",
        111,
        95,
    )
    assert by_id["home"]["periods"] == [39, 20, 35, 17, 0]


async def test_game_box_score_needs_an_id_or_date_and_team(client: Client) -> None:
    result = await client.call_tool("game_box_score", {"date": "2015-10-27"})
    assert "game_id" in error_text(result)
