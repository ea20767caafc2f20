"""One known question per catalogue tool, with its exact answer on the shared data
(Basketball-Reference 2015-16 and 2018-19, NBA.com team data): what ``ops validate`` asks a
deployment over REST and over MCP. Kept here, apart from the tools' own code, so that a
change there that alters an answer is caught by a deployment check.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

CURRY = "Stephen Curry"
SEASON = "2015-16"
TS_INPUTS = {"pts": 2375, "fga": 1598, "fta": 400}
SQL = "SELECT COUNT(*) AS games FROM games WHERE season = '2015-16'"


@dataclass(frozen=True)
class Question:
    tool: str
    method: str
    path: str
    arguments: dict[str, Any] = field(default_factory=dict)  # MCP arguments
    query: dict[str, Any] = field(default_factory=dict)  # REST query parameters (GET)
    body: dict[str, Any] | None = None  # REST JSON body (POST)
    answer: Callable[[Any], Any] = lambda doc: doc
    expected: Any = None
    means: str = ""


def _at(*steps: str | int) -> Callable[[Any], Any]:
    def read(document: Any) -> Any:
        for step in steps:
            document = document[step]
        return document

    return read


QUESTIONS: tuple[Question, ...] = (
    Question("find_player", "GET", "/v1/players/search", {"name": CURRY}, {"name": CURRY},
             answer=_at("candidates", 0, "bref_slug"), expected="curryst01",
             means="Stephen Curry is found, with his Basketball-Reference slug"),
    Question("player_season_stats", "GET", f"/v1/players/{CURRY}/season",
             {"player": CURRY, "season": SEASON}, {"season": SEASON},
             answer=_at("rows", -1, "per_game", "pts"), expected=30.1,
             means="Curry 2015-16: 30.1 points per game"),
    Question("player_game_log", "GET", f"/v1/players/{CURRY}/games",
             {"player": CURRY, "season": SEASON, "last_n": 1}, {"season": SEASON, "last_n": 1},
             answer=_at("games", 0, "pts"), expected=46,
             means="Curry's last 2015-16 regular-season game: 46 points"),
    Question("player_splits", "GET", f"/v1/players/{CURRY}/splits/home_away",
             {"player": CURRY, "split": "home_away", "season": SEASON}, {"season": SEASON},
             answer=_at("groups", 0, "games"), expected=40,
             means="Curry 2015-16: 40 home games"),
    Question("compare_players", "GET", "/v1/compare",
             {"players": [CURRY, "James Harden"], "season": SEASON},
             {"players": [CURRY, "James Harden"], "season": SEASON},
             answer=_at("players", 0, "stats", "pts_per_g", "rank"), expected=1,
             means="Curry ranks first in points per game in 2015-16"),
    Question("find_team", "GET", "/v1/teams/search", {"name": "GSW"},
             {"name": "GSW"}, answer=_at("team", "name"), expected="Golden State Warriors",
             means="GSW is the Golden State Warriors"),
    Question("team_season_stats", "GET", "/v1/teams/GSW/season",
             {"team": "GSW", "season": SEASON}, {"season": SEASON},
             answer=_at("record", "wins"), expected=73, means="the 2015-16 Warriors won 73"),
    Question("standings", "GET", "/v1/standings", {"season": SEASON, "conference": "West"},
             {"season": SEASON, "conference": "West"}, answer=_at("teams", 0, "team"),
             expected="GSW", means="Golden State first in the 2015-16 West"),
    Question("head_to_head", "GET", "/v1/head-to-head",
             {"team_a": "GSW", "team_b": "CLE", "season": SEASON},
             {"team_a": "GSW", "team_b": "CLE", "season": SEASON},
             answer=_at("records", 0, "team_a_wins"), expected=2,
             means="GSW won both 2015-16 regular-season games against CLE"),
    Question("list_games", "GET", "/v1/games",
             {"season": SEASON, "team": "GSW", "season_type": "playoffs"},
             {"season": SEASON, "team": "GSW", "season_type": "playoffs"},
             answer=_at("total"), expected=24, means="GSW played 24 playoff games in 2016"),
    Question("game_box_score", "GET", "/v1/games/0021500003", {"game_id": "0021500003"},
             answer=_at("home", "score"), expected=111,
             means="GSW scored 111 on opening night 2015"),
    Question("league_leaders", "GET", "/v1/leaders/pts", {"stat": "pts", "season": SEASON,
             "limit": 1}, {"season": SEASON, "limit": 1},
             answer=_at("leaders", 0, "player"), expected=CURRY,
             means="Curry led the league in scoring in 2015-16"),
    Question("calculate_metric", "POST", "/v1/metrics/ts_pct",
             {"metric": "ts_pct", "inputs": TS_INPUTS}, body={"inputs": TS_INPUTS},
             answer=lambda doc: round(doc["value"], 3), expected=0.669,
             means="Curry's 2015-16 true shooting: .669"),
    Question("describe_schema", "GET", "/v1/schema",
             answer=lambda doc: "games" in str(doc), expected=True,
             means="the schema describes the games table"),
    Question("run_sql", "POST", "/v1/sql", {"query": SQL}, body={"query": SQL},
             answer=_at("rows", 0, 0), expected=1316,
             means="1316 games in 2015-16 (1230 regular season, 86 playoffs)"),
    Question("chart", "GET", "/v1/charts/team_season", {"kind": "team_season", "team": "GSW",
             "season": SEASON}, {"team": "GSW", "season": SEASON},
             answer=_at("panels", 0, "series", 1, "values", -1), expected=10.7,
             means="the 2015-16 Warriors' chart ends on their season net rating, 10.7"),
)  # fmt: skip


@dataclass(frozen=True)
class Refusal:
    """A call whose known answer is a refusal: for a tool that a real answer would make
    spend money (synthesize asks LLM providers), the check is that the deployment serves it
    and refuses bad arguments in the catalogue's words, before any model is asked."""

    tool: str
    method: str
    path: str
    arguments: dict[str, Any]
    message: str
    means: str


REFUSALS: tuple[Refusal, ...] = (
    Refusal("synthesize", "POST", "/v1/synthesize", {"question": ""},
            message="question must not be empty.",
            means="synthesize is served and refuses an empty question before any model"),
)  # fmt: skip
