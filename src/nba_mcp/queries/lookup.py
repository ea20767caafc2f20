"""Finding players and teams by name: accent- and suffix-insensitive, never a guess."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import NamedTuple

from pydantic import BaseModel, Field
from sqlalchemy import Connection, text

from nba_mcp.db.nowait import refuse_wait
from nba_mcp.errors import Ambiguous, InvalidInput, NotFound
from nba_mcp.names import TEAM_ALIASES, name_key
from nba_mcp.queries.memo import memoized


class PlayerRef(BaseModel):
    player_id: int
    name: str
    person_id: int | None
    bref_slug: str | None
    seasons: list[str]
    other_names: list[str] = Field(
        default_factory=list,
        description="Other names he played under (a former name, another spelling of his "
        "name); a search by any of them finds him.",
    )

    def label(self) -> str:
        seasons = ", ".join(self.seasons) if self.seasons else "no games loaded"
        also = f", also {', '.join(self.other_names)}" if self.other_names else ""
        return f"{self.name}{also} (id {self.player_id}; {seasons})"


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
    other_names: tuple[str, ...]

    def ref(self) -> PlayerRef:
        """A new model of this player, the caller's to change."""
        return PlayerRef(player_id=self.player_id, name=self.name, person_id=self.person_id,
                         bref_slug=self.bref_slug, seasons=list(self.seasons),
                         other_names=list(self.other_names))  # fmt: skip


@dataclass(frozen=True)
class PlayerIndex:
    """Every player by every name key he is known by (``players.name_key`` and the keys of
    ``player_names``), by id, and by the first and the last word of each name he played
    under; with the seasons he has games in."""

    by_key: dict[str, list[IndexedPlayer]]
    by_id: dict[int, IndexedPlayer]
    by_first: dict[str, list[IndexedPlayer]]
    by_last: dict[str, list[IndexedPlayer]]
    words: dict[int, tuple[tuple[str, ...], ...]]


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
        keys: dict[int, dict[str, str]] = {}  # player -> name key -> kind
        others: dict[int, list[str]] = {}
        for player_id, name, key, kind in conn.execute(
            text("SELECT player_id, name, name_key, kind FROM player_names ORDER BY id")
        ):
            keys.setdefault(player_id, {})[key] = kind
            if kind == "played":
                others.setdefault(player_id, []).append(name)
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}  # one tuple per distinct list
        by_id: dict[int, IndexedPlayer] = {}
        by_key: dict[str, list[IndexedPlayer]] = {}
        by_first: dict[str, list[IndexedPlayer]] = {}
        by_last: dict[str, list[IndexedPlayer]] = {}
        words: dict[int, tuple[tuple[str, ...], ...]] = {}
        for player_id, full_name, person_id, slug, key in conn.execute(
            text("SELECT player_id, full_name, person_id, bref_slug, name_key FROM players")
        ):
            played = tuple(seasons.get(player_id, ()))
            entry = IndexedPlayer(player_id, full_name, person_id, slug,
                                  shared.setdefault(played, played),
                                  tuple(others.get(player_id, ())))  # fmt: skip
            by_id[player_id] = entry
            known = {key: "current", **keys.get(player_id, {})}
            for name in known:
                by_key.setdefault(name, []).append(entry)
            real = [k.split() for k, kind in known.items() if kind != "nickname" and k]
            for split in real:
                if entry not in by_first.setdefault(split[0], []):
                    by_first[split[0]].append(entry)
                if entry not in by_last.setdefault(split[-1], []):
                    by_last[split[-1]].append(entry)
            words[player_id] = tuple(tuple(split) for split in real)
        return PlayerIndex(by_key, by_id, by_first, by_last, words)

    return memoized(conn, "players", (), build)


def _ranked(entries: list[IndexedPlayer]) -> list[PlayerRef]:
    """One ref per player, the ones with games first."""
    unique = {entry.player_id: entry for entry in entries}
    found = [entry.ref() for entry in unique.values()]
    return sorted(found, key=lambda r: (not r.seasons, r.name, r.player_id))


def _short_forms(index: PlayerIndex, key: str) -> list[IndexedPlayer]:
    """Players a short form of a name stands for: one word that is a first or last name
    of his (``lebron``, ``jokic``), or his name with each given name cut short
    (``steph curry``, ``nic claxton``): the last word whole, each word before it a start
    of the word in its place."""
    words = key.split()
    if len(words) == 1:
        return [*index.by_first.get(key, []), *index.by_last.get(key, [])]
    found = []
    for entry in index.by_last.get(words[-1], []):
        for name in index.words[entry.player_id]:
            if len(name) == len(words) and all(
                part.startswith(short) for part, short in zip(name[:-1], words[:-1], strict=True)
            ):
                found.append(entry)
                break
    return found


def _matches(conn: Connection, key: str) -> tuple[list[PlayerRef], bool]:
    """The players ``key`` names, and whether by one of their names exactly (else by a
    short form)."""
    index = player_index(conn)
    exact = index.by_key.get(key, [])
    if exact:
        return _ranked(exact), True
    return _ranked(_short_forms(index, key)), False


def player_candidates(conn: Connection, *, name: str, limit: int = 10) -> list[PlayerRef]:
    """Players whose name matches ``name`` best: one of his names exactly (a former name
    or a nickname of the alias table too), then short forms, then close spellings."""
    key = name_key(name)
    if not key:
        raise InvalidInput("A player name is needed.")
    matched, _ = _matches(conn, key)
    if matched:
        return matched[:limit]
    # Comparing with every name takes milliseconds: not on the event loop.
    refuse_wait("a close-spelling search over every name")
    index = player_index(conn)
    all_keys = list(index.by_key)
    close = difflib.get_close_matches(key, all_keys, n=limit, cutoff=0.75)
    partial = [k for k in all_keys if len(key) > 3 and key in k]
    keys = list(dict.fromkeys(close + sorted(partial)))[: limit * 2]
    order: dict[int, int] = {}
    for rank, k in enumerate(keys):
        for entry in index.by_key[k]:
            order.setdefault(entry.player_id, rank)
    found = _ranked([entry for k in keys for entry in index.by_key[k]])
    ranked = sorted(found, key=lambda r: (not r.seasons, order[r.player_id]))
    return ranked[:limit]


def find_player(conn: Connection, *, name: str, season: str | None = None) -> PlayerRef:
    """The one player called ``name`` (with games in ``season`` when given).

    ``name`` may be any name he is known by (his NBA.com name, a name he played under, a
    nickname of the alias table) or a short form of one (``lebron``, ``Steph Curry``).
    Several players of that name: the one with games (in ``season``), if only one has.
    Raises :class:`NotFound` with the closest names, or :class:`Ambiguous` listing the
    players it could be, rather than guessing.
    """
    key = name_key(name)
    if not key:
        raise InvalidInput("A player name is needed.")
    matched, exact = _matches(conn, key)
    if not matched:
        candidates = player_candidates(conn, name=name, limit=5)
        raise NotFound(f"No player called {name!r}.", candidates=[c.label() for c in candidates])
    if len(matched) == 1:
        return matched[0]
    with_games = [c for c in matched if (season in c.seasons if season else c.seasons)]
    if len(with_games) == 1:
        return with_games[0]
    shown = with_games or matched
    message = (
        f"{len(matched)} players are called {name!r}"
        if exact
        else f"{len(matched)} players match {name!r}"
    )
    if with_games and len(with_games) < len(matched):
        message += f", {len(with_games)} of them with games" + (f" in {season}" if season else "")
    message += "; name one by id." if exact else "; name one by full name or id."
    raise Ambiguous(message, candidates=[c.label() for c in shown[:10]])


def resolve_player(conn: Connection, *, player: str | int, season: str | None = None) -> PlayerRef:
    """A player named by id (an int, or a string of digits) or by name."""
    if isinstance(player, int) or player.strip().isdigit():
        return player_by_id(conn, player_id=int(player))
    return find_player(conn, name=player, season=season)


def namesakes_with_games(conn: Connection, ref: PlayerRef) -> list[PlayerRef]:
    """Other players known by one of ``ref``'s names who have games loaded."""
    index = player_index(conn)
    keys = {name_key(n) for n in (ref.name, *ref.other_names)}
    return _ranked(
        [
            e
            for k in keys
            for e in index.by_key.get(k, [])
            if e.seasons and e.player_id != ref.player_id
        ]
    )


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
    """A team by abbreviation (``GSW``), nickname (``Warriors``), city or full name, in any
    case; or by another code or name of its franchise (:data:`nba_mcp.names.TEAM_ALIASES`:
    Basketball-Reference's ``BRK``, ``PHO``, ``CHO``, former codes such as ``NJN``).

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
    if not exact and wanted in TEAM_ALIASES:
        exact = [t for t in teams if t.abbreviation == TEAM_ALIASES[wanted]]
    if not exact:  # a word of a name: "Blazers", "Golden State"
        exact = [t for t in teams if any(f" {wanted} " in f" {key} " for key in t.name_keys())]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise Ambiguous(
            f"Several teams match {name!r}.", candidates=[_team_label(t) for t in exact]
        )

    aliases: dict[str, set[str]] = {}
    for alias, abbreviation in TEAM_ALIASES.items():
        aliases.setdefault(abbreviation, set()).add(alias)

    def closeness(team: TeamRef) -> float:
        keys = team.name_keys() | aliases.get(team.abbreviation, set())
        return max(difflib.SequenceMatcher(None, wanted, key).ratio() for key in keys)

    ranked = sorted(teams, key=closeness, reverse=True)
    raise NotFound(
        f"No team called {name!r}.",
        candidates=[_team_label(t) for t in ranked[:3] if closeness(t) >= 0.5],
    )


def _team_label(team: TeamRef) -> str:
    return f"{team.abbreviation} ({team.name})"
