"""The compact readable text of each tool's result, one renderer per result.

MCP sends it as the text content beside the structured result, the CLI prints it,
synthesis shows it to models; the full data always travels as JSON beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from nba_mcp.jsonbody import canonical_json
from nba_mcp.queries.calculator import MetricResult
from nba_mcp.queries.compare import Comparison
from nba_mcp.queries.game_log import PlayerGameLog
from nba_mcp.queries.games import GameBox, TeamGame
from nba_mcp.queries.leaders import Leaders
from nba_mcp.queries.lookup import PlayerMatches, TeamMatch
from nba_mcp.queries.players import PlayerSeason, StintRow
from nba_mcp.queries.schedule import GameList, HeadToHead
from nba_mcp.queries.splits import PlayerSplits
from nba_mcp.queries.sql import SqlResult
from nba_mcp.queries.standings import Standings
from nba_mcp.queries.teams import TeamSeason
from nba_mcp.synthesis.types import SynthesisResult

R = TypeVar("R", bound=BaseModel)


def pct(value: float | None) -> str:
    """A fraction shown the Basketball-Reference way: .669 (1.000 stays whole); ``-`` if none."""
    if value is None:
        return "-"
    return f"{value:.3f}".lstrip("0") if value < 1 else f"{value:.3f}"


def of_result(render: Callable[[R], str]) -> Callable[[Any, R], str]:
    """A tool's renderer from one that needs only the result, not the arguments."""
    return lambda _arguments, result: render(result)


def player_candidates(result: PlayerMatches) -> str:
    if not result.candidates:
        return f"No player matches {result.query!r}."
    return f"Players matching {result.query!r}: " + "; ".join(p.label() for p in result.candidates)


def team_match(result: TeamMatch) -> str:
    team = result.team
    return (
        f"{team.abbreviation} {team.name} ({team.conference}, {team.division}; id {team.team_id})"
    )


def player_season(result: PlayerSeason, mode: str = "per_game") -> str:
    lines = [f"{result.player.name} {result.season} {result.season_type} ({mode}):"]
    for row in result.rows:
        lines.append(f"  {row.team}: {row.g} G, {row.mp} MP; " + _stint(row, mode))
    return "\n".join(lines)


def _stint(row: StintRow, mode: str) -> str:
    s, a = row.shooting, row.advanced
    if mode == "totals":
        t = row.totals
        return (
            f"{t.pts} PTS, {t.reb} REB, {t.ast} AST, {t.stl} STL, {t.blk} BLK, {t.tov} TOV; "
            f"FG {t.fgm}-{t.fga}, 3P {t.fg3m}-{t.fg3a}, FT {t.ftm}-{t.fta}"
        )
    if mode in ("per_36", "per_100"):
        p = row.per_36 if mode == "per_36" else row.per_100
        if p is None:
            return "not available"
        return f"{p.pts} PTS, {p.reb} REB, {p.ast} AST, {p.stl} STL, {p.blk} BLK, {p.tov} TOV"
    if mode in ("advanced", "all") and a is not None:
        return (
            f"PER {a.per}, TS% {pct(a.ts_pct)}, USG% {a.usg_pct}, ORtg {a.ortg}, DRtg {a.drtg}, "
            f"WS {a.ws} (OWS {a.ows}, DWS {a.dws}), WS/48 {pct(a.ws_per_48)}, BPM {a.bpm} "
            f"(OBPM {a.obpm}, DBPM {a.dbpm}), VORP {a.vorp}"
        )
    g = row.per_game
    return (
        f"{g.min} MIN, {g.pts} PTS, {g.reb} REB, {g.ast} AST, {g.stl} STL, {g.blk} BLK; "
        f"FG {pct(s.fg_pct)}, 3P {pct(s.fg3_pct)}, FT {pct(s.ft_pct)}"
    )


def team_season(result: TeamSeason) -> str:
    off, de = result.four_factors.offense, result.four_factors.defense
    return (
        f"{result.team.name} {result.season} {result.season_type}: {result.record} "
        f"(home {result.home}, away {result.away}); {result.pts_per_game} PTS/G, "
        f"{result.opp_pts_per_game} allowed; MOV {result.mov}, SRS {result.srs}, "
        f"pace {result.pace}, ORtg {result.ortg}, DRtg {result.drtg}, net {result.net_rtg}; "
        f"offense eFG% {pct(off.efg_pct)} TOV% {off.tov_pct} ORB% {off.orb_pct} "
        f"FT/FGA {pct(off.ft_per_fga)}; defense eFG% {pct(de.efg_pct)} TOV% {de.tov_pct} "
        f"DRB% {de.drb_pct} FT/FGA {pct(de.ft_per_fga)}"
    )


def game_box(result: GameBox) -> str:
    def side(team: TeamGame) -> str:
        top = max(team.players, key=lambda p: p.pts, default=None)
        leader = f"; top scorer {top.name} {top.pts}" if top else ""
        periods = f" ({'-'.join(str(p) for p in team.periods)})" if team.periods else ""
        return f"{team.team} {team.score}{periods}{leader}"

    return (
        f"{result.date} {result.season} {result.season_type} game {result.game_id}: "
        f"{side(result.away)} at {side(result.home)}. Winner {result.winner}."
    )


def comparison(result: Comparison) -> str:
    lines = [
        f"{result.season} {result.season_type}; ranks among {result.ranked_among} players "
        f"with {result.min_minutes:.0f}+ minutes:"
    ]
    for compared in result.players:
        figures = ", ".join(
            f"{stat} {value.value}" + (f" (#{value.rank})" if value.rank else "")
            for stat, value in compared.stats.items()
        )
        lines.append(f"  {compared.player.name} ({compared.team}): {figures}")
    return "\n".join(lines)


def game_log(result: PlayerGameLog) -> str:
    head = f"{result.player.name} {result.season} {result.season_type}: {len(result.games)} games"
    lines = [head]
    for g in result.games[:20]:
        lines.append(
            f"  {g.date} {g.team} {'vs' if g.location == 'home' else '@'} {g.opponent} "
            f"{g.result} {g.team_score}-{g.opponent_score}: {g.min} MIN, {g.pts} PTS, {g.reb} REB, "
            f"{g.ast} AST, FG {g.fgm}-{g.fga}, 3P {g.fg3m}-{g.fg3a}, GmSc {g.game_score}"
        )
    if len(result.games) > 20:
        lines.append(f"  ... {len(result.games) - 20} more in the structured result")
    return "\n".join(lines)


def splits(result: PlayerSplits) -> str:
    lines = [f"{result.player.name} {result.season} {result.season_type} by {result.split}:"]
    for g in [*result.groups, result.total]:
        lines.append(
            f"  {g.group}: {g.games} G, {g.min_per_game} MIN, {g.pts_per_game} PTS, "
            f"{g.reb_per_game} REB, {g.ast_per_game} AST, FG {pct(g.fg_pct)}, TS {pct(g.ts_pct)}"
        )
    return "\n".join(lines)


def standings(result: Standings) -> str:
    lines = [f"Standings {result.season}:"]
    for r in result.teams:
        lines.append(
            f"  {r.conference} {r.conference_rank}. {r.team} {r.wins}-{r.losses} "
            f"({pct(r.win_pct)}, GB {r.games_behind}) home {r.home}, road {r.road}, "
            f"last 10 {r.last_10}, {r.streak}"
        )
    return "\n".join(lines)


def games(result: GameList) -> str:
    lines = [
        f"{result.total} games"
        + (f", first {len(result.games)}:" if result.total > len(result.games) else ":")
    ]
    for g in result.games:
        lines.append(
            f"  {g.date} {g.game_id} {g.season_type}: {g.away} {g.away_score} at {g.home} "
            f"{g.home_score}"
        )
    return "\n".join(lines)


def head_to_head(result: HeadToHead) -> str:
    a, b = result.team_a.abbreviation, result.team_b.abbreviation
    parts = [
        f"{r.season_type}: {a} {r.team_a_wins}-{r.team_b_wins} {b} in {r.games} games "
        f"({r.team_a_pts_per_game}-{r.team_b_pts_per_game} PTS/G)"
        for r in result.records
    ]
    return f"{a} vs {b} {result.season}: " + ("; ".join(parts) or "they did not meet")


def leaders(result: Leaders) -> str:
    lines = [
        f"{result.description} leaders {result.season} {result.season_type} ({result.qualification}):"
    ]
    for e in result.leaders:
        lines.append(f"  {e.rank}. {e.player} ({e.team}, {e.g} G): {e.value}")
    return "\n".join(lines)


def metric(result: MetricResult) -> str:
    return f"{result.metric} = {result.value} {result.unit} ({result.formula})"


def sql_rows(result: SqlResult, shown_rows: int = 20) -> str:
    header = ", ".join(result.columns)
    preview = "\n".join(", ".join(str(v) for v in row) for row in result.rows[:shown_rows])
    more = (
        f"\n... {result.row_count - shown_rows} more rows" if result.row_count > shown_rows else ""
    )
    cut = {"rows": " (cut at the limit)", "bytes": " (cut at the size cap)", None: ""}
    return (
        f"{result.row_count} rows{cut[result.truncated_by]} in {result.elapsed_ms} ms\n"
        f"{header}\n{preview}{more}"
    )


def synthesis(result: SynthesisResult) -> str:
    """The answer as a person reads it: prose, its sources, what the check found."""
    lines = [result.answer, ""]
    for citation in result.citations:
        lines.append(f"[{citation.id}] {citation.tool}({canonical_json(citation.arguments)})")
    checks = result.checks
    lines.append(
        f"Numbers checked: {checks.numbers}, matched {checks.matched}"
        + (f"; unmatched: {', '.join(checks.unmatched)}" if checks.unmatched else "")
    )
    cost = "unknown" if result.cost_usd is None else f"${result.cost_usd:.4f}"
    stopped = f" ({result.stopped_by})" if result.stopped_by else ""
    lines.append(f"Status {result.status}{stopped}; {len(result.calls)} model calls; cost {cost}")
    return "\n".join(lines)
