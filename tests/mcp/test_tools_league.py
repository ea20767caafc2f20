"""Game logs, splits, standings, schedules, leaders, comparisons and metrics over MCP."""

from __future__ import annotations

import pytest
from mcp import Client

from tests.mcp.conftest import error_text, structured

pytestmark = pytest.mark.anyio


async def test_player_season_stats_carries_basketball_reference_advanced_metrics(
    client: Client,
) -> None:
    data = structured(
        await client.call_tool(
            "player_season_stats",
            {"player": "Stephen Curry", "season": "2015-16", "mode": "advanced"},
        )
    )
    advanced = data["advanced"]
    # basketball-reference.com/players/c/curryst01.html, 2015-16 advanced table
    assert (advanced["per"], advanced["ts_pct"], advanced["usg_pct"]) == (31.5, 0.669, 32.6)
    assert (advanced["ws"], advanced["ws_per_48"], advanced["bpm"]) == (17.9, 0.318, 11.9)


async def test_player_game_log_last_five_newest_first(client: Client) -> None:
    data = structured(
        await client.call_tool(
            "player_game_log", {"player": "Stephen Curry", "season": "2015-16", "last_n": 5}
        )
    )
    dates = [game["date"] for game in data["games"]]
    assert len(dates) == 5 and dates == sorted(dates, reverse=True)
    assert dates[0] == "2016-04-13"


async def test_player_splits_home_away_add_up_to_the_season(client: Client) -> None:
    data = structured(
        await client.call_tool(
            "player_splits", {"player": "Stephen Curry", "season": "2015-16", "split": "home_away"}
        )
    )
    assert sum(group["games"] for group in data["groups"]) == data["total"]["games"] == 79


async def test_standings_west_2015_16_led_by_golden_state(client: Client) -> None:
    data = structured(
        await client.call_tool("standings", {"season": "2015-16", "conference": "West"})
    )
    first = data["teams"][0]
    assert (first["team"], first["wins"], first["losses"]) == ("GSW", 73, 9)
    assert len(data["teams"]) == 15


async def test_league_leaders_harden_2018_19_scoring(client: Client) -> None:
    data = structured(
        await client.call_tool("league_leaders", {"stat": "pts", "season": "2018-19", "limit": 3})
    )
    leader = data["leaders"][0]
    assert (leader["player"], leader["value"]) == ("James Harden", 36.1)


async def test_league_leaders_unknown_stat_lists_valid_ones(client: Client) -> None:
    assert "fg_pct" in error_text(await client.call_tool("league_leaders", {"stat": "points"}))


async def test_list_games_on_opening_night(client: Client) -> None:
    data = structured(
        await client.call_tool("list_games", {"date_from": "2015-10-27", "date_to": "2015-10-27"})
    )
    assert data["total"] == 3
    assert {game["game_id"] for game in data["games"]} == {"0021500001", "0021500002", "0021500003"}


async def test_head_to_head_2016_finals(client: Client) -> None:
    data = structured(
        await client.call_tool(
            "head_to_head", {"team_a": "CLE", "team_b": "GSW", "season": "2015-16"}
        )
    )
    playoffs = next(r for r in data["records"] if r["season_type"] == "playoffs")
    assert (playoffs["team_a_wins"], playoffs["team_b_wins"]) == (4, 3)


async def test_compare_players_ranks_curry_first_in_scoring(client: Client) -> None:
    data = structured(
        await client.call_tool(
            "compare_players",
            {
                "players": ["Stephen Curry", "Kevin Durant"],
                "season": "2015-16",
                "stats": ["pts_per_g", "per"],
            },
        )
    )
    curry, durant = data["players"]
    assert {k: curry["stats"]["pts_per_g"][k] for k in ("value", "rank", "qualified")} == {
        "value": 30.1,
        "rank": 1,
        "qualified": True,
    }
    assert durant["stats"]["pts_per_g"]["value"] == 28.2


async def test_compare_players_rejects_unknown_stats(client: Client) -> None:
    result = await client.call_tool(
        "compare_players", {"players": ["Stephen Curry", "Kevin Durant"], "stats": ["ppg"]}
    )
    assert "ppg" in error_text(result)


async def test_calculate_metric_true_shooting_from_raw_numbers(client: Client) -> None:
    data = structured(
        await client.call_tool(
            "calculate_metric",
            {"metric": "ts_pct", "inputs": {"pts": 2375, "fga": 1598, "fta": 400}},
        )
    )
    assert round(data["value"], 3) == 0.669
    assert "FTA" in data["formula"]


async def test_calculate_metric_names_missing_inputs(client: Client) -> None:
    result = await client.call_tool("calculate_metric", {"metric": "ts_pct", "inputs": {"pts": 10}})
    assert "fga" in error_text(result)


async def test_resources_describe_schema_glossary_and_seasons(client: Client) -> None:
    uris = {str(r.uri) for r in (await client.list_resources()).resources}
    assert {"nba://schema", "nba://glossary", "nba://seasons"} <= uris
    glossary = (await client.read_resource("nba://glossary")).contents[0]
    assert "Win Shares" in glossary.text  # type: ignore[union-attr]
    seasons = (await client.read_resource("nba://seasons")).contents[0]
    assert '"2018-19"' in seasons.text  # type: ignore[union-attr]


async def test_prompts_embed_the_data_they_are_about(client: Client) -> None:
    names = {p.name for p in (await client.list_prompts()).prompts}
    assert names == {"scouting_report", "game_recap", "compare"}
    report = await client.get_prompt(
        "scouting_report", {"player": "Stephen Curry", "season": "2015-16"}
    )
    assert "31.5" in report.messages[0].content.text  # type: ignore[union-attr]
    recap = await client.get_prompt("game_recap", {"game_id": "0021500003"})
    assert "Golden State Warriors" in recap.messages[0].content.text  # type: ignore[union-attr]
