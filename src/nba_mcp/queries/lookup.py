"""Finding players and teams by name: accent- and suffix-insensitive, never a guess."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import NamedTuple

from pydantic import BaseModel, Field
from sqlalchemy import Connection, text

from nba_mcp.errors import Ambiguous, InvalidInput, NotFound
from nba_mcp.names import name_key
from nba_mcp.queries.memo import memoized


class PlayerRef(BaseModel):
    player_id: int
    name: str
    person_id: int | None
    bref_slug: str | None
    seasons: list[str]

    def label(self) -> str:
        seasons = ", ".join(self.seasons) if self.seasons else "no games loaded"
        return f"{self.name} (id {self.player_id}; {seasons})"


class TeamRef(BaseModel):
    team_id: int
    abbreviation: str
    name: str
    nickname: str
    city: str
    conference: str
    division: str

    def name_keys(self) -> set[str]:
        """The names a user may call the team by, as name keys."""
        return {name_key(v) for v in (self.abbreviation, self.name, self.nickname, self.city)}


class PlayerMatches(BaseModel):
    """What find_player answers: the candidates for a name, best first."""

    query: str
    candidates: list[PlayerRef] = Field(
        description="Best matches first: exact name matches, then close spellings; "
        "players with games loaded rank above namesakes without."
    )


class TeamMatch(BaseModel):
    """What find_team answers: the one team a name stands for."""

    query: str
    team: TeamRef


class IndexedPlayer(NamedTuple):
    """A player in the index: a tuple, not a model (thousands of them stay in memory)."""

    player_id: int
    name: str
    person_id: int | None
    bref_slug: str | None
    seasons: tuple[str, ...]

    def ref(self) -> PlayerRef:
        """A new model of this player, the caller's to change."""
        return PlayerRef(player_id=self.player_id, name=self.name, person_id=self.person_id,
                         bref_slug=self.bref_slug, seasons=list(self.seasons))  # fmt: skip


@dataclass(frozen=True)
class PlayerIndex:
    """Every player, by name key and by id, with the seasons he has games in."""

    by_key: dict[str, list[IndexedPlayer]]
    by_id: dict[int, IndexedPlayer]


def player_index(conn: Connection) -> PlayerIndex:
    """The index of every player, built once per data version (:mod:`nba_mcp.queries.memo`)."""

    def build() -> PlayerIndex:
        seasons: dict[int, list[str]] = {}
        for player_id, season in conn.execute(
            text(
                "SELECT DISTINCT b.player_id, g.season FROM player_box_scores b "
                "JOIN games g ON g.game_id = b.game_id ORDER BY g.season"
            )
        ):
            seasons.setdefault(player_id, []).append(season)
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple per distinct list
        by_id: dict[int, IndexedPlayer] = {}
        by_key: dict[str, list[IndexedPlayer]] = {}
        for player_id, full_name, person_id, slug, key in conn.execute(
            text("SELECT player_id, full_name, person_id, bref_slug, name_key FROM players")
        ):
            played = tuple(seasons.get(player_id, ()))
            entry = IndexedPlayer(player_id, full_name, person_id, slug,
                                  shared.setdefault(played, played))  # fmt: skip
            by_id[player_id] = entry
            by_key.setdefault(key, []).append(entry)
        return PlayerIndex(by_key=by_key, by_id=by_id)

    return memoized(conn, "players", (), build)


def _players_by_keys(conn: Connection, keys: list[str]) -> list[PlayerRef]:
    """The players with these name keys, the ones with games first."""
    index = player_index(conn).by_key
    found = [entry.ref() for key in keys for entry in index.get(key, [])]
    return sorted(found, key=lambda r: (not r.seasons, r.name, r.player_id))


def player_candidates(conn: Connection, *, name: str, limit: int = 10) -> list[PlayerRef]:
    """Players whose name matches ``name`` best: exact key first, then close spellings."""
    key = name_key(name)
    if not key:
        raise InvalidInput("A player name is needed.")
    exact = _players_by_keys(conn, [key])
    if exact:
        return exact[:limit]
    all_keys = list(player_index(conn).by_key)
    close = difflib.get_close_matches(key, all_keys, n=limit, cutoff=0.75)
    partial = [k for k in all_keys if key in k.split() or (len(key) > 3 and key in k)]
    keys = list(dict.fromkeys(close + sorted(partial)))[: limit * 2]
    found = {ref.player_id: ref for ref in _players_by_keys(conn, keys)}
    order = {k: i for i, k in enumerate(keys)}
    ranked = sorted(found.values(), key=lambda r: (not r.seasons, order[name_key(r.name)]))
    return ranked[:limit]


def find_player(conn: Connection, *, name: str, season: str | None = None) -> PlayerRef:
    """The one player called ``name`` (with games in ``season`` when given).

    Raises :class:`NotFound` with the closest names, or :class:`Ambiguous`
    listing every player of that name, rather than guessing.
    """
    candidates = player_candidates(conn, name=name)
    exact = [c for c in candidates if name_key(c.name) == name_key(name)]
    if not exact:
        raise NotFound(
            f"No player called {name!r}.", candidates=[c.label() for c in candidates[:5]]
        )
    if len(exact) > 1:
        with_games = [c for c in exact if (season in c.seasons if season else c.seasons)]
        if len(with_games) == 1:
            return with_games[0]
        raise Ambiguous(
            f"{len(exact)} players are called {name!r}; name one by id.",
            candidates=[c.label() for c in (with_games or exact)],
        )
    return exact[0]


def resolve_player(conn: Connection, *, player: str | int, season: str | None = None) -> PlayerRef:
    """A player named by id (an int, or a string of digits) or by name."""
    if isinstance(player, int) or player.strip().isdigit():
        return player_by_id(conn, player_id=int(player))
    return find_player(conn, name=player, season=season)


def player_by_id(conn: Connection, *, player_id: int) -> PlayerRef:
    entry = player_index(conn).by_id.get(player_id)
    if entry is None:
        raise NotFound(f"No player with id {player_id}.")
    return entry.ref()


def all_teams(conn: Connection) -> list[TeamRef]:
    rows = conn.execute(
        text(
            "SELECT team_id, abbreviation, full_name, nickname, city, conference, division "
            "FROM teams ORDER BY abbreviation"
        )
    )
    return [
        TeamRef(
            team_id=r[0],
            abbreviation=r[1],
            name=r[2],
            nickname=r[3],
            city=r[4],
            conference=r[5],
            division=r[6],
        )
        for r in rows
    ]


def find_team(conn: Connection, *, name: str) -> TeamRef:
    """A team by abbreviation (``GSW``), nickname (``Warriors``), city or full name.

    An unknown name raises :class:`NotFound` with the closest teams; a name that
    several teams share (``Los Angeles``) raises :class:`Ambiguous`.
    """
    wanted = name_key(name)
    if not wanted:
        raise InvalidInput("A team name or abbreviation is needed.")
    teams = all_teams(conn)
    if not teams:
        raise NotFound("No teams are loaded yet: run `nba-mcp ingest` first.")
    exact = [t for t in teams if wanted in t.name_keys()]
    if not exact:  # a word of a name: "Blazers", "Golden State"
        exact = [t for t in teams if any(f" {wanted} " in f" {key} " for key in t.name_keys())]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise Ambiguous(
            f"Several teams match {name!r}.", candidates=[_team_label(t) for t in exact]
        )

    def closeness(team: TeamRef) -> float:
        return max(difflib.SequenceMatcher(None, wanted, key).ratio() for key in team.name_keys())

    ranked = sorted(teams, key=closeness, reverse=True)
    raise NotFound(
        f"No team called {name!r}.",
        candidates=[_team_label(t) for t in ranked[:3] if closeness(t) >= 0.5],
    )


def _team_label(team: TeamRef) -> str:
    return f"{team.abbreviation} ({team.name})"
