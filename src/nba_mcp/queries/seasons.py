"""Which seasons and season types are loaded, and resolving a requested one."""

from __future__ import annotations

from sqlalchemy import Connection, text

from nba_mcp.db.models import SEASON_TYPES
from nba_mcp.errors import InvalidInput, NotFound
from nba_mcp.queries.lookup import PlayerRef, namesakes_with_games, player_by_id
from nba_mcp.queries.memo import memoized
from nba_mcp.seasons import SEASON_TYPE_WORDS, season_start_year, season_type_of


def loaded_seasons(conn: Connection) -> list[str]:
    """Seasons with at least one game, oldest first (once per data version)."""

    def build() -> list[str]:
        query = text("SELECT DISTINCT season FROM games ORDER BY season")
        return [row[0] for row in conn.execute(query)]

    return list(memoized(conn, "seasons", (), build))


def check_season_type(season_type: str) -> str:
    """The season type ``season_type`` names, in any case (``Playoffs`` is ``playoffs``)."""
    canonical = season_type_of(season_type)
    if canonical not in SEASON_TYPES:
        raise InvalidInput(
            f"Unknown season type {season_type!r}; use one of: {', '.join(SEASON_TYPES)}."
        )
    return canonical


def player_box_seasons(conn: Connection) -> dict[str, list[str]]:
    """Season -> the season types with player box scores loaded (once per data version)."""

    def build() -> dict[str, list[str]]:
        query = text(
            "SELECT g.season, g.season_type FROM games g WHERE EXISTS "
            "(SELECT 1 FROM player_box_scores b WHERE b.game_id = g.game_id) "
            "GROUP BY g.season, g.season_type ORDER BY g.season, g.season_type"
        )
        found: dict[str, list[str]] = {}
        for season, season_type in conn.execute(query):
            found.setdefault(season, []).append(season_type)
        return found

    return dict(memoized(conn, "player_box_seasons", (), build))


def _words(season_types: list[str]) -> str:
    ordered = [SEASON_TYPE_WORDS[t] for t in SEASON_TYPES if t in season_types]
    return (
        " and ".join(ordered)
        if len(ordered) < 3
        else ", ".join(ordered[:-1]) + " and " + ordered[-1]
    )


def no_player_games(
    conn: Connection, ref: PlayerRef, season: str | None, season_type: str
) -> NotFound:
    """The error for a player without games of ``season_type`` in ``season`` (``None``: in
    any season), saying what there is instead: the seasons with his games of that type,
    the other types he played that season, a namesake who has the games, or that the
    season has no player box scores at all."""
    word = SEASON_TYPE_WORDS.get(season_type, season_type)
    boxes = player_box_seasons(conn)
    if season is not None and season not in boxes:
        listed = ", ".join(boxes) or "none"
        return NotFound(
            f"{season} has team data only: no player box scores are loaded for it. "
            f"Seasons with player box scores: {listed}."
        )
    his: dict[str, list[str]] = {}
    for played_season, played_type in conn.execute(
        text(
            "SELECT DISTINCT g.season, g.season_type FROM player_box_scores b "
            "JOIN games g ON g.game_id = b.game_id WHERE b.player_id = :player_id "
            "ORDER BY g.season"
        ),
        {"player_id": ref.player_id},
    ):
        his.setdefault(played_season, []).append(played_type)
    if not his:
        namesakes = namesakes_with_games(conn, ref)
        if namesakes:
            labels = "; ".join(n.label() for n in namesakes)
            verb, whom = ("has", "him") if len(namesakes) == 1 else ("have", "one")
            return NotFound(
                f"{ref.name} (id {ref.player_id}) has no games loaded; {labels} {verb}: "
                f"name {whom} by id."
            )
        return NotFound(f"{ref.name} has no games loaded.")
    if season is None:
        return NotFound(
            f"{ref.name} has no {word} games loaded. Seasons with his games: {', '.join(his)}."
        )
    message = f"{ref.name} has no {word} games in {season}"
    notes = []
    if season_type not in boxes[season]:
        notes.append(f"no {word} games are loaded for {season}")
    if season in his:
        notes.append(f"that season he has {_words(his[season])} games")
    if notes:
        message += f" ({'; '.join(notes)})"
    of_type = [s for s, types in his.items() if season_type in types]
    if of_type:
        message += f". Seasons with his {word} games: {', '.join(of_type)}."
    else:
        message += f"; he has no {word} games loaded."
    return NotFound(message)


def resolve_season(conn: Connection, season: str | None, *, player_id: int | None = None) -> str:
    """``season`` if it is loaded, else the latest loaded (for ``player_id``: with his games)."""
    if season is not None:
        season_start_year(season)
        available = loaded_seasons(conn)
        if season not in available:
            raise NotFound(f"Season {season} is not loaded.", candidates=available)
        return season
    if player_id is not None:
        latest = conn.execute(
            text(
                "SELECT MAX(g.season) FROM player_box_scores p JOIN games g ON g.game_id = p.game_id "
                "WHERE p.player_id = :player_id"
            ),
            {"player_id": player_id},
        ).scalar()
    else:
        latest = conn.execute(text("SELECT MAX(season) FROM games")).scalar()
    if latest is None and player_id is not None and loaded_seasons(conn):
        raise no_player_games(conn, player_by_id(conn, player_id=player_id), None, "regular")
    if latest is None:
        raise NotFound("No games are loaded yet: run `nba-mcp ingest` first.")
    return str(latest)
