"""The chart tool: PNGs that decode at the published size, series equal to the data tools'
numbers, the picture on every surface (MCP image content, REST image/png, CLI --plot) and
bad input refused in clear words."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client
from mcp_types import ImageContent, TextContent
from PIL import Image
from sqlalchemy import Engine

from nba_mcp.catalog import tool
from nba_mcp.catalog.charts import rolling_mean
from nba_mcp.catalog.invoke import invoke
from nba_mcp.catalog.plots import Chart, Panel, Series, draw
from nba_mcp.catalog.spec import Answer, Services
from nba_mcp.errors import InvalidArguments
from tests.cli.invoke import Cli, env_for
from tests.mcp.conftest import database_url
from tests.web.conftest import settings

CURRY, HARDEN = "Stephen Curry", "James Harden"
SEASON = "2015-16"
CURRY_GAMES = {"kind": "player_games", "player": CURRY, "season": SEASON, "stat": "fg3m"}
WARRIORS = {"kind": "team_season", "team": "GSW", "season": SEASON}
PAIR = {"kind": "compare_players", "players": [CURRY, HARDEN], "season": SEASON,
        "stats": ["per", "ts_pct", "bpm"]}  # fmt: skip


def call(engine: Engine, name: str, arguments: dict[str, Any]) -> Answer:
    return invoke(Services(settings(), engine), tool(name), arguments)


def png_size(data: bytes) -> tuple[int, int]:
    """The picture's (width, height), after decoding every pixel."""
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    image.load()
    return image.size


def series(answer: Answer, panel: int) -> dict[str, list[Any]]:
    return {s["name"]: s["values"] for s in answer.data["panels"][panel]["series"]}


def test_player_games_plot_the_game_log(loaded_engine: Engine) -> None:
    chart = call(loaded_engine, "chart", CURRY_GAMES)
    log = call(loaded_engine, "player_game_log", {"player": CURRY, "season": SEASON}).data
    points, threes = series(chart, 0), series(chart, 1)
    assert points["PTS each game"] == [g["pts"] for g in log["games"]]
    assert threes["3P each game"] == [g["fg3m"] for g in log["games"]]
    assert len(points["PTS each game"]) == 79
    assert sum(points["PTS each game"]) == 2375
    assert sum(threes["3P each game"]) == 402
    assert points["PTS, 5-game average"][:2] == [40.0, 32.5]  # 40, then 25: fewer at the start
    assert (
        chart.data["title"]
        == "Stephen Curry, 2015-16 regular season: points and 3-pointers per game"
    )
    assert chart.data["panels"][0]["x"][:3] == [1, 2, 3]
    assert chart.data["panels"][0]["x_ticks"][0] == "Oct 27"
    assert png_size(base64.b64decode(chart.image_png or "")) == (1000, 600)


def test_team_season_ends_on_the_team_tools_figures(loaded_engine: Engine) -> None:
    chart = call(loaded_engine, "chart", WARRIORS)
    season = call(loaded_engine, "team_season_stats", {"team": "GSW", "season": SEASON}).data
    rating, record = series(chart, 0), series(chart, 1)
    assert len(rating["each game"]) == season["g"] == 82
    assert rating["each game"][0] == rating["season to date"][0] == 15.9  # 111-95 vs NOP
    assert rating["season to date"][-1] == season["net_rtg"] == 10.7
    assert (record["wins"][-1], record["losses"][-1]) == (73.0, 9.0)
    assert chart.data["title"] == (
        "Golden State Warriors, 2015-16 regular season: net rating and record (73-9)"
    )
    assert png_size(base64.b64decode(chart.image_png or "")) == (1000, 600)


def test_compare_players_bars_are_the_comparison(loaded_engine: Engine) -> None:
    chart = call(loaded_engine, "chart", PAIR)
    compared = call(loaded_engine, "compare_players",
                    {"players": [CURRY, HARDEN], "season": SEASON,
                     "stats": ["per", "ts_pct", "bpm"]}).data  # fmt: skip
    bars = [panel["series"][0]["values"] for panel in chart.data["panels"]]
    assert bars == [[p["stats"][s]["value"] for p in compared["players"]]
                    for s in ("per", "ts_pct", "bpm")]  # fmt: skip
    assert bars[0] == [31.5, 25.3] and bars[1] == [0.669, 0.598]
    assert chart.data["panels"][0]["x_ticks"] == [CURRY, HARDEN]
    assert (
        chart.data["title"]
        == "Stephen Curry vs James Harden, 2015-16 regular season: advanced metrics"
    )
    assert chart.text.startswith("Chart (PNG image, 1000x600): Stephen Curry vs James Harden")
    assert "Numbers from compare_players(" in chart.text


def test_the_same_chart_is_the_same_bytes(loaded_engine: Engine) -> None:
    first = call(loaded_engine, "chart", PAIR)
    assert draw(Chart.model_validate(first.data)) == base64.b64decode(first.image_png or "")


def test_a_missing_value_leaves_a_gap_not_an_error() -> None:
    panel = Panel(x_label="", y_label="TS%", x=[1, 2, 3], x_ticks=["A", "B", "C"],
                  series=[Series(name="TS%", style="bars", values=[0.6, None, 0.5])])  # fmt: skip
    chart = Chart(kind="compare_players", title="A, B and C", source="test", panels=[panel])
    assert png_size(draw(chart)) == (1000, 600)


def test_rolling_mean_takes_fewer_games_at_the_start() -> None:
    assert rolling_mean([10, 20, 30, 40], 3) == [10.0, 15.0, 20.0, 30.0]
    assert rolling_mean([], 5) == []


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"kind": "shot_chart", "player": CURRY},
         "kind must be one of 'player_games', 'team_season' or 'compare_players', "
         "not 'shot_chart'."),
        ({"kind": "compare_players", "players": [CURRY] * 6},
         "players takes from 2 to 5 values, not 6."),
        ({"kind": "player_games", "player": CURRY, "stat": "dunks"},
         "stat must be one of 'pts', 'reb', 'ast', 'stl', 'blk', 'tov', 'fgm', 'fga', 'fg3m', "
         "'fg3a', 'ftm', 'fta', 'oreb', 'dreb', 'pf', 'min' or 'game_score', not 'dunks'."),
        ({"kind": "player_games", "player": CURRY, "window": 1000},
         "window must be from 1 to 20, not 1000."),
        ({"kind": "player_games"}, "player is required for a player_games chart."),
        ({"kind": "team_season", "team": "GSW", "player": CURRY, "window": 3},
         "player is not taken by a team_season chart; it takes team. "
         "window is not taken by a team_season chart; it takes team."),
    ],
)  # fmt: skip
def test_bad_chart_arguments_are_refused(
    loaded_engine: Engine, arguments: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidArguments) as refused:
        call(loaded_engine, "chart", arguments)
    assert refused.value.message == message


@pytest.mark.anyio
async def test_mcp_sends_the_picture_beside_the_words(mcp: Client) -> None:
    result = await mcp.call_tool("chart", WARRIORS)
    assert not result.is_error
    words, picture = result.content
    assert isinstance(words, TextContent) and words.text.startswith("Chart (PNG image")
    assert isinstance(picture, ImageContent) and picture.mime_type == "image/png"
    assert png_size(base64.b64decode(picture.data)) == (1000, 600)
    assert result.structured_content is not None
    assert result.structured_content["panels"][0]["series"][1]["values"][-1] == 10.7


@pytest.mark.anyio
async def test_rest_answers_image_png_and_problems(rest: httpx.AsyncClient) -> None:
    url = f"/v1/charts/player_games?player={CURRY}&season={SEASON}"
    picture = await rest.get(url)
    assert picture.status_code == 200
    assert picture.headers["content-type"] == "image/png"
    assert png_size(picture.content) == (1000, 600)
    numbers = await rest.get(url, headers={"accept": "application/json"})
    assert numbers.headers["content-type"] == "application/json"
    assert numbers.json()["kind"] == "player_games"
    bad = await rest.get(f"/v1/charts/player_games?player={CURRY}&window=0")
    assert bad.status_code == 422
    assert bad.headers["content-type"] == "application/problem+json"
    assert bad.json()["errors"] == [
        {"parameter": "window", "message": "window must be from 1 to 20, not 0."}
    ]
    unknown = await rest.get("/v1/charts/heatmap?team=GSW")
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["parameter"] == "kind"


def test_cli_plot_writes_the_png(
    loaded_engine: Engine, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:  # fmt: skip
    cli, env = Cli(monkeypatch, capsys, tmp_path), env_for(database_url(loaded_engine))
    drawn = cli.main("tool", "chart", "--kind", "compare_players", "--players", CURRY,
                     "--players", HARDEN, "--season", SEASON, "--plot", "pair.png", env=env)  # fmt: skip
    assert drawn.exit_code == 0, drawn.stderr
    assert drawn.stdout.startswith("Chart (PNG image, 1000x600): Stephen Curry vs James Harden")
    assert "Chart written to pair.png" in drawn.stderr
    assert png_size((tmp_path / "pair.png").read_bytes()) == (1000, 600)
    team = cli.main("team", "GSW", "--season", SEASON, "--plot", "gsw.png", env=env)
    assert team.exit_code == 0, team.stderr
    assert png_size((tmp_path / "gsw.png").read_bytes()) == (1000, 600)
    player = cli.main("player", CURRY, "--season", SEASON, "--json", "--plot=curry.png", env=env)
    assert player.exit_code == 0, player.stderr
    assert player.json()["player"]["name"] == CURRY  # stdout stays one JSON document
    assert png_size((tmp_path / "curry.png").read_bytes()) == (1000, 600)


def test_cli_plot_of_a_tool_that_draws_nothing_is_refused(
    loaded_engine: Engine, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:  # fmt: skip
    cli, env = Cli(monkeypatch, capsys, tmp_path), env_for(database_url(loaded_engine))
    refused = cli.main("tool", "find_team", "--name", "GSW", "--plot", "x.png", env=env)
    assert refused.exit_code == 1
    assert refused.stderr == (
        "error: find_team draws no picture; charts come from nba-mcp tool chart.\n"
    )
    assert not (tmp_path / "x.png").exists()
