"""NBA.com's stats API, live: a season's games, team boxes and player boxes.

Per season type, two requests to the ``LeagueGameLog`` endpoint of the
``nba_api`` package: ``PlayerOrTeam=T`` (one row per team per game) and
``PlayerOrTeam=P`` (one row per player per game). NBA.com throttles and blocks
clients that do not look like a browser, so requests carry browser-like
headers, are paced ``pause`` seconds apart and are retried with exponential
backoff on timeouts, dropped connections, HTTP 429 and 5xx.

The payloads are parsed by header name, never by position, and cross-checked
like the CSV sources: made shots never exceed attempts, points are
2*FGM + 3PM + FTM, every game has one home and one away row, and the players of
each team add up to its final score. A bad payload yields an
:class:`~nba_mcp.errors.IngestError` naming the result set, row and column.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import requests
from nba_api.stats.endpoints.leaguegamelog import LeagueGameLog
from nba_api.stats.library.http import STATS_HEADERS, NBAStatsHTTP

from nba_mcp.boxscore import COUNTING_STATS
from nba_mcp.errors import DependencyUnavailable, IngestError, InvalidInput
from nba_mcp.ingest.batch import (
    Batch,
    Record,
    Where,
    check_points_add_up,
    game_date_in_season,
    stat_line,
)
from nba_mcp.ingest.csvrows import Row
from nba_mcp.names import name_key
from nba_mcp.seasons import season_start_year

log = logging.getLogger(__name__)

SOURCE = "nba_api"
URL = "https://stats.nba.com/stats/leaguegamelog"
RESULT_SET = "LeagueGameLog"
#: Our season types and the ``SeasonType`` NBA.com expects.
SEASON_TYPE_PARAMS = {"regular": "Regular Season", "playoffs": "Playoffs", "play_in": "PlayIn"}
#: nba_api's own browser headers, plus the ones NBA.com has required at times.
#: No ``br`` encoding: requests decodes Brotli only when the brotli package is installed.
HEADERS = {
    **STATS_HEADERS,
    "Accept": "application/json, text/plain, */*",
    "Accept-Encoding": "gzip, deflate",
    "Origin": "https://www.nba.com",
    "Referer": "https://www.nba.com/",
    "Sec-Fetch-Mode": "cors",
    "Sec-Fetch-Site": "same-site",
    "x-nba-stats-origin": "stats",
    "x-nba-stats-token": "true",
}
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
TRANSIENT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)

STAT_COLUMNS = {stat: stat.upper() for stat in COUNTING_STATS}
TEAM_COLUMNS = (
    "SEASON_ID", "TEAM_ID", "GAME_ID", "GAME_DATE", "MATCHUP", "MIN", "PTS",
    *STAT_COLUMNS.values(),
)  # fmt: skip
PLAYER_COLUMNS = (
    "PLAYER_ID", "PLAYER_NAME", "TEAM_ID", "GAME_ID", "MIN", "PTS", *STAT_COLUMNS.values(),
)  # fmt: skip

Payload = Mapping[str, Any]


def fetch(
    season: str,
    *,
    season_types: Sequence[str] = ("regular",),
    timeout: float,
    pause: float,
    retries: int,
    backoff: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
) -> Batch:
    """Download and parse ``season`` (``"2023-24"``) for each of ``season_types``.

    ``season_types`` are ours: ``regular``, ``playoffs``, ``play_in``.
    ``retries`` is the number of attempts per request (at least 1); the n-th
    retry waits ``backoff * 2**(n-1)`` seconds, and never less than ``pause``.
    Raises :class:`~nba_mcp.errors.DependencyUnavailable` when NBA.com cannot be
    reached, :class:`~nba_mcp.errors.IngestError` when it answers nonsense.
    """
    season_start_year(season)
    unknown = [t for t in season_types if t not in SEASON_TYPE_PARAMS]
    if unknown or not season_types:
        raise InvalidInput(
            f"Unknown season type(s) {unknown or list(season_types)}; "
            f"choose from {', '.join(SEASON_TYPE_PARAMS)}."
        )
    if retries < 1:
        raise InvalidInput(f"retries counts attempts and must be at least 1, not {retries}.")
    batch = Batch(source=SOURCE, seasons={season})
    with requests.Session() as session:
        client = _Client(
            session, timeout=timeout, pause=pause, retries=retries, backoff=backoff, sleep=sleep
        )
        for season_type in season_types:
            logs = {kind: client.league_game_log(season, season_type, kind) for kind in "TP"}
            batch.extend(parse(season, season_type, team_log=logs["T"][1], player_log=logs["P"][1]))
            batch.files += [logs["T"][0], logs["P"][0]]
    return batch


def parse(season: str, season_type: str, *, team_log: Payload, player_log: Payload) -> Batch:
    """Turn the ``T`` and ``P`` LeagueGameLog payloads of one season type into a batch.

    LeagueGameLog reports whole minutes, so player ``seconds`` are ``MIN * 60``
    (a player who played 36:37 is stored as 2,220 seconds), and team minutes
    are the team's total (240, plus 25 per overtime).
    """
    start = season_start_year(season)
    if season_type not in SEASON_TYPE_PARAMS:
        raise InvalidInput(f"Unknown season type {season_type!r}.")
    batch = Batch(source=SOURCE, seasons={season})
    team_rows = result_rows(team_log, _label("T", season, season_type), TEAM_COLUMNS)
    where_game = _games(batch, team_rows, season, season_type, start)
    player_rows = result_rows(player_log, _label("P", season, season_type), PLAYER_COLUMNS)
    where_box = _player_boxes(batch, player_rows)
    for box in batch.team_boxes:
        key = (box["game_id"], box["team_id"])
        if key not in where_box:
            raise where_game[key[0]].fail(f"team {key[1]} has no player rows in game {key[0]}")
    check_points_add_up(batch.games, batch.player_boxes, where_game, where_box, "player")
    return batch


def result_rows(payload: Payload, label: str, required: Sequence[str]) -> list[Row]:
    """The rows of the ``LeagueGameLog`` result set, each cell as text, columns checked."""
    sets = payload.get("resultSets") if isinstance(payload, Mapping) else None
    if not isinstance(sets, list):
        raise IngestError(file=label, reason="the payload has no resultSets list")
    found = [s for s in sets if isinstance(s, Mapping) and s.get("name") == RESULT_SET]
    if not found:
        raise IngestError(file=label, reason=f"the payload has no result set {RESULT_SET!r}")
    headers, row_set = found[0].get("headers"), found[0].get("rowSet")
    if not isinstance(headers, list) or not isinstance(row_set, list):
        raise IngestError(file=label, reason=f"{RESULT_SET} lacks its headers or rowSet list")
    missing = [column for column in required if column not in headers]
    if missing:
        raise IngestError(
            file=label,
            column=missing[0],
            reason=f"{RESULT_SET} lacks required column(s): " + ", ".join(missing),
        )
    rows = []
    for line, values in enumerate(row_set, start=1):
        if not isinstance(values, list) or len(values) != len(headers):
            raise IngestError(
                file=label, line=line, reason=f"expected a list of {len(headers)} values"
            )
        rows.append(Row(label, line, dict(zip(headers, map(_text, values), strict=True))))
    return rows


def _label(kind: str, season: str, season_type: str) -> str:
    """How errors name a result set: ``LeagueGameLog T 2023-24 Regular Season``."""
    return f"{RESULT_SET} {kind} {season} {SEASON_TYPE_PARAMS[season_type]}"


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _games(
    batch: Batch, rows: list[Row], season: str, season_type: str, start: int
) -> dict[str, Where]:
    """Pair the two team rows of each game into a game and two team boxes."""
    by_game: dict[str, list[tuple[Row, bool]]] = defaultdict(list)
    for row in rows:
        if not row.text("SEASON_ID").endswith(str(start)):
            raise row.fail(
                "SEASON_ID", f"expected a {season} season id, found {row.text('SEASON_ID')!r}"
            )
        by_game[row.game_id("GAME_ID")].append((row, _is_home(row)))
    where_game: dict[str, Where] = {}
    for game_id, sides in by_game.items():
        home, away = _home_and_away(game_id, sides)
        where_game[game_id] = Where(home.file, home.line, "PTS")
        game: Record = {
            "game_id": game_id,
            "season": season,
            "season_type": season_type,
            "game_date": _date(home),
            "home_team_id": home.int("TEAM_ID"),
            "away_team_id": away.int("TEAM_ID"),
            "home_score": home.count("PTS"),
            "away_score": away.count("PTS"),
        }
        game_date_in_season(game["game_date"], season, where_game[game_id])
        if game["home_team_id"] == game["away_team_id"]:
            raise away.fail("TEAM_ID", f"team {game['home_team_id']} cannot play itself")
        if game["home_score"] == game["away_score"]:
            raise home.fail("PTS", "a game cannot end in a tie")
        if _date(away) != game["game_date"]:
            raise away.fail("GAME_DATE", f"the other side of game {game_id} is dated {_date(home)}")
        batch.games.append(game)
        for row, opponent, is_home in ((home, away, True), (away, home, False)):
            batch.team_boxes.append(_team_box(row, game_id, opponent.int("TEAM_ID"), is_home))
    return where_game


def _home_and_away(game_id: str, sides: list[tuple[Row, bool]]) -> tuple[Row, Row]:
    if len(sides) != 2:
        raise sides[-1][0].fail("GAME_ID", f"game {game_id} has {len(sides)} team rows, not 2")
    (first, first_home), (second, second_home) = sides
    if first_home == second_home:
        where = "home" if first_home else "away"
        raise second.fail("MATCHUP", f"both sides of game {game_id} are listed as {where}")
    return (first, second) if first_home else (second, first)


def _is_home(row: Row) -> bool:
    """``"GSW vs. NOP"`` is a home game of GSW, ``"GSW @ NOP"`` an away game."""
    matchup = row.text("MATCHUP")
    if " vs. " in matchup:
        return True
    if " @ " in matchup:
        return False
    raise row.fail("MATCHUP", f"expected 'AAA vs. BBB' or 'AAA @ BBB', found {matchup!r}")


def _date(row: Row) -> dt.date:
    """``2023-10-24`` (a time part such as ``T00:00:00`` is ignored)."""
    value = row.text("GAME_DATE")
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise row.fail("GAME_DATE", f"expected a date YYYY-MM-DD, found {value!r}") from None


def _checked_line(row: Row) -> Record:
    line = stat_line(row, STAT_COLUMNS)
    if row.count("PTS") != line["pts"]:
        raise row.fail(
            "PTS", f"points {row.count('PTS')} differ from 2*FGM + 3PM + FTM = {line['pts']}"
        )
    return line


def _team_box(row: Row, game_id: str, opponent_id: int, is_home: bool) -> Record:
    return {
        "game_id": game_id,
        "team_id": row.int("TEAM_ID"),
        "opponent_id": opponent_id,
        "is_home": is_home,
        "minutes": row.count("MIN"),
        "source": SOURCE,
        **_checked_line(row),
    }


def _player_boxes(batch: Batch, rows: list[Row]) -> dict[tuple[str, int], Where]:
    """Add the player boxes and players; return where each team-game's players start."""
    sides = {g["game_id"]: {g["home_team_id"], g["away_team_id"]} for g in batch.games}
    players: dict[int, Record] = {}
    seen: set[tuple[str, int]] = set()
    where_box: dict[tuple[str, int], Where] = {}
    for row in rows:
        game_id, team_id = row.game_id("GAME_ID"), row.int("TEAM_ID")
        if game_id not in sides:
            raise row.fail("GAME_ID", f"game {game_id} is not in the team log")
        if team_id not in sides[game_id]:
            raise row.fail("TEAM_ID", f"team {team_id} did not play in game {game_id}")
        person_id = row.int("PLAYER_ID")
        if (game_id, person_id) in seen:
            raise row.fail("PLAYER_ID", f"player {person_id} has two rows in game {game_id}")
        seen.add((game_id, person_id))
        where_box.setdefault((game_id, team_id), Where(row.file, row.line, "PTS"))
        name = row.text("PLAYER_NAME")
        players.setdefault(
            person_id, {"person_id": person_id, "full_name": name, "name_key": name_key(name)}
        )
        batch.player_boxes.append(
            {
                "game_id": game_id,
                "person_id": person_id,
                "team_id": team_id,
                "seconds": row.count("MIN") * 60,
                **_checked_line(row),
            }
        )
    batch.players = list(players.values())
    return where_box


class _StatsHTTP(NBAStatsHTTP):  # type: ignore[misc]
    """nba_api's stats client on a session of ours instead of its process-wide one."""

    def __init__(self, session: requests.Session) -> None:
        self._own_session = session

    def get_session(self) -> requests.Session:
        return self._own_session


def _raise_for_status(response: requests.Response, *_args: Any, **_kwargs: Any) -> None:
    """nba_api hands back error pages as if they were answers; make them errors."""
    response.raise_for_status()


class _Client:
    """Sends LeagueGameLog requests: paced, retried, each attempt bounded by ``timeout``."""

    def __init__(
        self,
        session: requests.Session,
        *,
        timeout: float,
        pause: float,
        retries: int,
        backoff: float,
        sleep: Callable[[float], None],
    ) -> None:
        session.hooks["response"].append(_raise_for_status)
        self._http = _StatsHTTP(session)
        self._timeout = timeout
        self._pause = pause
        self._retries = retries
        self._backoff = backoff
        self._sleep = sleep
        self._sent = 0

    def league_game_log(self, season: str, season_type: str, kind: str) -> tuple[str, Any]:
        """The URL asked and the decoded payload of one LeagueGameLog request."""
        endpoint = LeagueGameLog(
            season=season,
            season_type_all_star=SEASON_TYPE_PARAMS[season_type],
            player_or_team_abbreviation=kind,
            headers=HEADERS,
            timeout=self._timeout,
            get_request=False,
        )
        label = _label(kind, season, season_type)
        response = self._send(endpoint, label)
        try:
            return response.get_url(), response.get_dict()
        except ValueError as exc:
            raise IngestError(file=label, reason=f"the answer is not JSON ({exc})") from None

    def _send(self, endpoint: Any, label: str) -> Any:
        last: requests.RequestException | None = None
        for attempt in range(1, self._retries + 1):
            self._wait(attempt)
            self._sent += 1
            log.info("requesting %s (attempt %d of %d)", label, attempt, self._retries)
            try:
                return self._http.send_api_request(
                    endpoint=endpoint.endpoint,
                    parameters=endpoint.parameters,
                    headers=endpoint.headers,
                    timeout=endpoint.timeout,
                )
            except TRANSIENT as exc:
                last = exc
            except requests.HTTPError as exc:
                status = exc.response.status_code if exc.response is not None else None
                if status not in RETRY_STATUSES:
                    raise DependencyUnavailable(
                        f"NBA.com refused {URL} ({label}) with HTTP {status}: {exc}"
                    ) from None
                last = exc
            except requests.RequestException as exc:
                raise DependencyUnavailable(f"Cannot request {URL} ({label}): {exc}") from None
            log.warning("%s failed (attempt %d of %d): %s", label, attempt, self._retries, last)
        raise DependencyUnavailable(
            f"NBA.com's stats API ({URL}, {label}) is unreachable after "
            f"{self._retries} attempt(s); last error: {type(last).__name__}: {last}"
        )

    def _wait(self, attempt: int) -> None:
        """Pause between requests; back off exponentially before a retry."""
        if not self._sent:
            return
        delay = self._pause
        if attempt > 1:
            delay = max(delay, self._backoff * 2 ** (attempt - 2))
        if delay > 0:
            self._sleep(delay)
