"""Compact readable text for tool results; the full data travels as structured content."""

from __future__ import annotations

from nba_mcp.queries.games import GameBox, TeamGame
from nba_mcp.queries.lookup import PlayerRef, TeamRef
from nba_mcp.queries.players import PlayerSeason
from nba_mcp.queries.teams import TeamSeason


def pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}".lstrip("0")


def player_candidates(name: str, players: list[PlayerRef]) -> str:
    if not players:
        return f"No player matches {name!r}."
    return f"Players matching {name!r}: " + "; ".join(p.label() for p in players)


def team_line(team: TeamRef) -> str:
    return (
        f"{team.abbreviation} {team.name} ({team.conference}, {team.division}; id {team.team_id})"
    )


def player_season(result: PlayerSeason) -> str:
    lines = [f"{result.player.name} {result.season} {result.season_type}:"]
    for row in result.rows:
        g, s = row.per_game, row.shooting
        lines.append(
            f"  {row.team}: {row.g} G, {g.min} MIN, {g.pts} PTS, {g.reb} REB, {g.ast} AST, "
            f"{g.stl} STL, {g.blk} BLK; FG {pct(s.fg_pct)}, 3P {pct(s.fg3_pct)}, FT {pct(s.ft_pct)}"
        )
    return "\n".join(lines)


def team_season(result: TeamSeason) -> str:
    return (
        f"{result.team.name} {result.season} {result.season_type}: {result.record} "
        f"(home {result.home}, away {result.away}), {result.pts_per_game} PTS/G, "
        f"{result.opp_pts_per_game} opponent PTS/G"
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
