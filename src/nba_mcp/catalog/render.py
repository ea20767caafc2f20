"""The compact readable text of each tool's result, one renderer per result.

MCP sends it as the text content beside the structured result, the CLI prints it,
synthesis shows it to models; the full data always travels as JSON beside it. Every
figure is shown through :mod:`nba_mcp.catalog.formats` (labels and decimals as
Basketball-Reference shows them); the structured result keeps its own precision.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from nba_mcp.boxscore import BOX_STATS
from nba_mcp.catalog.formats import (
    FORMATS,
    Format,
    fraction,
    labelled,
    minutes,
    per_game,
    show,
)
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


pct = fraction
"""A fraction shown the Basketball-Reference way: .669 (1.000 stays whole); ``-`` if none."""


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
        lines.append(f"  {row.team}: {row.g} G, {show('mp', row.mp)} MP; " + _stint(row, mode))
    return "\n".join(lines)


def _stint(row: StintRow, mode: str) -> str:
    s, a = row.shooting, row.advanced
    if mode == "totals":
        t = row.totals
        counts = ", ".join(
            f"{show(stat, getattr(t, stat))} {FORMATS[stat].label}"
            for stat in ("pts", "reb", "ast", "stl", "blk", "tov")
        )
        return f"{counts}; FG {t.fgm}-{t.fga}, 3P {t.fg3m}-{t.fg3a}, FT {t.ftm}-{t.fta}"
    if mode in ("per_36", "per_100"):
        p = row.per_36 if mode == "per_36" else row.per_100
        if p is None:
            return "not available"
        return ", ".join(
            f"{show(f'{stat}_{mode}', getattr(p, stat))} {FORMATS[stat].label}"
            for stat in ("pts", "reb", "ast", "stl", "blk", "tov")
        )
    if mode in ("advanced", "all") and a is not None:
        f = {stat: labelled(stat, getattr(a, stat)) for stat in type(a).model_fields}
        return (
            f"{f['per']}, {f['ts_pct']}, {f['usg_pct']}, {f['ortg']}, {f['drtg']}, "
            f"{f['ws']} ({f['ows']}, {f['dws']}), {f['ws_per_48']}, {f['bpm']} "
            f"({f['obpm']}, {f['dbpm']}), {f['vorp']}"
        )
    g = row.per_game
    averages = ", ".join(
        f"{per_game(stat, getattr(g, stat))} {FORMATS[stat].label}"
        for stat in ("pts", "reb", "ast", "stl", "blk")
    )
    return (
        f"{minutes(g.min)} MP, {averages}; "
        f"{labelled('fg_pct', s.fg_pct)}, {labelled('fg3_pct', s.fg3_pct)}, "
        f"{labelled('ft_pct', s.ft_pct)}"
    )


def team_season(result: TeamSeason) -> str:
    r = result
    off, de = r.four_factors.offense, r.four_factors.defense
    return (
        f"{r.team.name} {r.season} {r.season_type}: {r.record} "
        f"(home {r.home}, away {r.away}); {show('pts_per_g', r.pts_per_game)} PTS/G, "
        f"{show('pts_per_g', r.opp_pts_per_game)} allowed; {labelled('mov', r.mov)}, "
        f"{labelled('srs', r.srs)}, {labelled('pace', r.pace)}, {labelled('ortg', r.ortg)}, "
        f"{labelled('drtg', r.drtg)}, {labelled('net_rtg', r.net_rtg)}; "
        f"offense {labelled('efg_pct', off.efg_pct)} {labelled('tov_pct', off.tov_pct)} "
        f"{labelled('orb_pct', off.orb_pct)} {labelled('ft_per_fga', off.ft_per_fga)}; "
        f"defense {labelled('efg_pct', de.efg_pct)} {labelled('tov_pct', de.tov_pct)} "
        f"{labelled('drb_pct', de.drb_pct)} {labelled('ft_per_fga', de.ft_per_fga)}"
    )


_SEASON_TYPE_NOUNS = {"regular": "regular season", "playoffs": "playoffs", "play_in": "play-in"}
_OVERTIMES = {1: "overtime", 2: "double overtime", 3: "triple overtime", 4: "quadruple overtime"}


def overtime_words(overtimes: int) -> str:
    """``double overtime`` for 2; ``5 overtimes`` past four."""
    return _OVERTIMES.get(overtimes, f"{overtimes} overtimes")


def game_box(result: GameBox) -> str:
    """The game as a fan would tell it: who beat whom, where and when, the leading
    scorers, then the score by quarter (and the overtimes' points, together: the sources
    give no split by overtime period)."""
    home, away = result.home, result.away
    winner, loser = (home, away) if result.winner == home.team else (away, home)
    extra = f" in {overtime_words(result.overtimes)}" if result.overtimes else ""
    where = "at home" if winner.is_home else "on the road"
    kind = _SEASON_TYPE_NOUNS.get(result.season_type, result.season_type)
    sentences = [
        f"The {winner.name} beat the {loser.name} {winner.score}\u2013{loser.score}{extra} "
        f"{where} on {result.date.isoformat()} ({result.season} {kind})."
    ]
    scorers = [_leading_scorers(side) for side in (winner, loser) if side.players]
    if scorers:
        sentences.append("Leading scorers: " + ", ".join(scorers) + ".")
    if away.periods and home.periods:
        quarters = ", ".join(
            f"{side.team} {'-'.join(str(p) for p in side.periods[:4])}"
            for side in (away, home)
            if side.periods
        )
        sentences.append(f"By quarter: {quarters}.")
        if result.overtimes:
            ot = ", ".join(
                f"{side.team} {side.periods[4]}" for side in (away, home) if side.periods
            )
            periods = "" if result.overtimes == 1 else f" ({result.overtimes} periods together)"
            sentences.append(f"Overtime{periods}: {ot}.")
    return " ".join(sentences)


def _leading_scorers(side: TeamGame) -> str:
    """``Stephen Curry 40 (GSW)``; players tied for the lead are all named."""
    top = max(p.pts for p in side.players)
    names = [p.name for p in side.players if p.pts == top]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{joined} {top} ({side.team})"


def comparison(result: Comparison) -> str:
    lines = [
        f"{result.season} {result.season_type}; ranks among {result.ranked_among} players "
        f"with {result.min_minutes:.0f}+ minutes:"
    ]
    for compared in result.players:
        figures = ", ".join(
            labelled(stat, value.value) + (f" (#{value.rank})" if value.rank else "")
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
            f"{g.result} {g.team_score}-{g.opponent_score}: {minutes(g.min)} MP, {g.pts} PTS, "
            f"{g.reb} TRB, {g.ast} AST, FG {g.fgm}-{g.fga}, 3P {g.fg3m}-{g.fg3a}, "
            f"{labelled('game_score', g.game_score)}"
        )
    if len(result.games) > 20:
        lines.append(f"  ... {len(result.games) - 20} more in the structured result")
    return "\n".join(lines)


def splits(result: PlayerSplits) -> str:
    lines = [f"{result.player.name} {result.season} {result.season_type} by {result.split}:"]
    for g in [*result.groups, result.total]:
        lines.append(
            f"  {g.group}: {g.games} G, {minutes(g.min_per_game)} MP, "
            f"{per_game('pts', g.pts_per_game)} PTS, {per_game('reb', g.reb_per_game)} TRB, "
            f"{per_game('ast', g.ast_per_game)} AST, {labelled('fg_pct', g.fg_pct)}, "
            f"{labelled('ts_pct', g.ts_pct)}"
        )
    return "\n".join(lines)


def standings(result: Standings) -> str:
    lines = [f"Standings {result.season}:"]
    for r in result.teams:
        lines.append(
            f"  {r.conference} {r.conference_rank}. {r.team} {r.wins}-{r.losses} "
            f"({fraction(r.win_pct)}, {labelled('games_behind', r.games_behind)}) "
            f"home {r.home}, road {r.road}, "
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
        f"({per_game('pts', r.team_a_pts_per_game)}-{per_game('pts', r.team_b_pts_per_game)} "
        "PTS/G)"
        for r in result.records
    ]
    return f"{a} vs {b} {result.season}: " + ("; ".join(parts) or "they did not meet")


def leaders(result: Leaders) -> str:
    lines = [
        f"{result.description} leaders {result.season} {result.season_type} ({result.qualification}):"
    ]
    stat = _leader_stat(result)
    for e in result.leaders:
        who = f"{e.player} ({e.team}, {e.g} G)" if e.player is not None else f"{e.team} ({e.g} G)"
        lines.append(f"  {e.rank}. {who}: {show(stat, e.value)}")
    return "\n".join(lines)


_COUNTING = frozenset({*BOX_STATS, "reb", "min"})


def _leader_stat(result: Leaders) -> str:
    """The :data:`FORMATS` name of a board's stat: a player's ``pts`` is per game
    (``pts_per_g``), ``pts_total`` a total (``pts``), ``min`` minutes (``mp``)."""
    stat = result.stat
    if result.scope == "team":
        return stat
    base = stat.removesuffix("_total")
    base = "mp" if base == "min" else base
    if stat.endswith("_total"):
        return base
    return f"{base}_per_g" if stat in _COUNTING else stat


def metric(result: MetricResult) -> str:
    """The value rounded for display (the structured result keeps every digit)."""
    shown = _metric_format(result)
    value = "no value (a denominator is zero)" if result.value is None else shown(result.value)
    return f"{shown.label} = {value} ({result.unit}): {result.formula}"


def _metric_format(result: MetricResult) -> Format:
    """The metric's own format, else by its unit: fractions to 3 places, the rest to 1."""
    known = FORMATS.get(result.metric)
    if known is not None:
        return known
    if result.unit in ("fraction", "ratio"):
        return Format(result.metric, 3, fraction=True)
    return Format(result.metric, 1)


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
