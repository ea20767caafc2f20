"""The one schema, shared by SQLite and PostgreSQL.

Conventions: NBA.com ids are the keys of teams and games (a game id is text and
keeps its leading zeros: ``0021500003``); players have a surrogate key because
a player may be known only by a Basketball-Reference slug or only by an NBA.com
person id. Minutes of players are stored as seconds, as the sources give them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Table,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SEASON_TYPES = ("regular", "playoffs", "play_in")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class BoxStats:
    """The 13 counting stats and points, shared by player and team box scores."""

    fgm: Mapped[int] = mapped_column(SmallInteger)
    fga: Mapped[int] = mapped_column(SmallInteger)
    fg3m: Mapped[int] = mapped_column(SmallInteger)
    fg3a: Mapped[int] = mapped_column(SmallInteger)
    ftm: Mapped[int] = mapped_column(SmallInteger)
    fta: Mapped[int] = mapped_column(SmallInteger)
    oreb: Mapped[int] = mapped_column(SmallInteger)
    dreb: Mapped[int] = mapped_column(SmallInteger)
    ast: Mapped[int] = mapped_column(SmallInteger)
    stl: Mapped[int] = mapped_column(SmallInteger)
    blk: Mapped[int] = mapped_column(SmallInteger)
    tov: Mapped[int] = mapped_column(SmallInteger)
    pf: Mapped[int] = mapped_column(SmallInteger)
    pts: Mapped[int] = mapped_column(SmallInteger)


class Season(Base):
    __tablename__ = "seasons"

    season: Mapped[str] = mapped_column(String(7), primary_key=True, comment="e.g. 2015-16")
    start_year: Mapped[int] = mapped_column(SmallInteger, unique=True)


class Team(Base):
    __tablename__ = "teams"

    team_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    abbreviation: Mapped[str] = mapped_column(String(3), unique=True)
    full_name: Mapped[str] = mapped_column(String(64))
    nickname: Mapped[str] = mapped_column(String(32))
    city: Mapped[str] = mapped_column(String(32))
    conference: Mapped[str] = mapped_column(String(4), comment="East or West")
    division: Mapped[str] = mapped_column(String(16))


class Player(Base):
    __tablename__ = "players"

    player_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_id: Mapped[int | None] = mapped_column(BigInteger, unique=True, comment="NBA.com id")
    bref_slug: Mapped[str | None] = mapped_column(
        String(16), unique=True, comment="Basketball-Reference id"
    )
    full_name: Mapped[str] = mapped_column(String(64))
    first_name: Mapped[str | None] = mapped_column(String(32))
    last_name: Mapped[str | None] = mapped_column(String(48))
    name_key: Mapped[str] = mapped_column(
        String(64), index=True, comment="lower-case name without accents, punctuation, suffixes"
    )
    is_active: Mapped[bool | None] = mapped_column(Boolean)


class PlayerName(Base):
    """Every name a player is known by (migration 0005): his current NBA.com name, each name
    he played under in a source (Basketball-Reference's box scores, a former name), and the
    curated nicknames of the alias table. A search by any of them finds his one record."""

    __tablename__ = "player_names"
    __table_args__ = (
        UniqueConstraint("player_id", "name_key"),
        CheckConstraint("kind IN ('current', 'played', 'nickname')", name="kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, comment="row key")
    player_id: Mapped[int] = mapped_column(
        ForeignKey("players.player_id", ondelete="CASCADE"), comment="the player (players)"
    )
    name: Mapped[str] = mapped_column(String(64), comment="as a source writes it")
    name_key: Mapped[str] = mapped_column(
        String(64), index=True, comment="lower-case name without accents, punctuation, suffixes"
    )
    kind: Mapped[str] = mapped_column(
        String(8), comment="current, played (a name he played under), nickname"
    )
    source: Mapped[str] = mapped_column(
        String(8), comment="nba_com, bref, alias (the project's alias table)"
    )


class Game(Base):
    __tablename__ = "games"
    __table_args__ = (
        CheckConstraint("season_type IN ('regular', 'playoffs', 'play_in')", name="season_type"),
        CheckConstraint("home_team_id <> away_team_id", name="two_teams"),
        Index("ix_games_season_type_date", "season", "season_type", "game_date"),
    )

    game_id: Mapped[str] = mapped_column(String(10), primary_key=True, comment="NBA.com game id")
    season: Mapped[str] = mapped_column(ForeignKey("seasons.season"))
    season_type: Mapped[str] = mapped_column(String(8))
    game_date: Mapped[dt.date] = mapped_column(Date, index=True)
    start_time: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    home_team_id: Mapped[int] = mapped_column(ForeignKey("teams.team_id"))
    away_team_id: Mapped[int] = mapped_column(ForeignKey("teams.team_id"))
    home_score: Mapped[int] = mapped_column(SmallInteger)
    away_score: Mapped[int] = mapped_column(SmallInteger)
    neutral_site: Mapped[bool | None] = mapped_column(Boolean)


class TeamBoxScore(BoxStats, Base):
    """A team's totals in one game: NBA.com's official totals where loaded.

    Official team turnovers include team turnovers (shot-clock violations and
    the like) that no player is charged with, so ``tov`` may exceed the sum of
    the players' turnovers. ``source`` says which feed the totals came from.
    """

    __tablename__ = "team_box_scores"
    __table_args__ = (
        Index("ix_team_box_scores_team_game", "team_id", "game_id"),
        CheckConstraint("source IN ('bref', 'nba_stats', 'nba_api')", name="source"),
    )

    game_id: Mapped[str] = mapped_column(ForeignKey("games.game_id"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.team_id"), primary_key=True)
    opponent_id: Mapped[int] = mapped_column(ForeignKey("teams.team_id"))
    is_home: Mapped[bool] = mapped_column(Boolean)
    minutes: Mapped[int] = mapped_column(SmallInteger, comment="team minutes: 240 + 25 per OT")
    pts_q1: Mapped[int | None] = mapped_column(SmallInteger)
    pts_q2: Mapped[int | None] = mapped_column(SmallInteger)
    pts_q3: Mapped[int | None] = mapped_column(SmallInteger)
    pts_q4: Mapped[int | None] = mapped_column(SmallInteger)
    pts_ot: Mapped[int | None] = mapped_column(SmallInteger, comment="all overtimes together")
    source: Mapped[str] = mapped_column(String(9))


class PlayerBoxScore(BoxStats, Base):
    __tablename__ = "player_box_scores"
    __table_args__ = (
        Index("ix_player_box_scores_player_game", "player_id", "game_id"),
        Index("ix_player_box_scores_game_team", "game_id", "team_id"),
    )

    game_id: Mapped[str] = mapped_column(ForeignKey("games.game_id"), primary_key=True)
    player_id: Mapped[int] = mapped_column(ForeignKey("players.player_id"), primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.team_id"))
    seconds: Mapped[int] = mapped_column(Integer)


class DataVersion(Base):
    """One row, bumped by every load that changes data (caches key on it)."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(SmallInteger, primary_key=True, default=1)
    version: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class, typed as such."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


# ---------------------------------------------------------------------------
# Service tables (migrations 0002-0004): API keys, the request log and the ledgers. Not
# NBA data: ``describe_schema`` and ``run_sql`` leave them out (see PRIVATE_TABLES).


class ApiKey(Base):
    """An API key, stored as the SHA-256 of the key; the key itself is shown once."""

    __tablename__ = "api_keys"
    __table_args__ = (
        Index(
            "uq_api_keys_active_name",
            "name",
            unique=True,
            postgresql_where=text("revoked_at IS NULL AND grace_until IS NULL"),
            sqlite_where=text("revoked_at IS NULL AND grace_until IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[str] = mapped_column(
        String(16), unique=True, comment="public lookup id, the middle part of the key"
    )
    name: Mapped[str] = mapped_column(String(64), comment="unique among active keys")
    key_hash: Mapped[str] = mapped_column(String(64), comment="hex SHA-256 of the whole key")
    scopes: Mapped[str] = mapped_column(String(64), comment="comma-separated: read,sql,...")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    rotated_from: Mapped[int | None] = mapped_column(
        ForeignKey("api_keys.id"), comment="the key this one replaced"
    )
    grace_until: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), comment="set when rotated: valid until then"
    )


class RequestLog(Base):
    """One row per API request or tool call, written in batches off the request path."""

    __tablename__ = "request_log"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    request_id: Mapped[str] = mapped_column(String(64))
    key_name: Mapped[str | None] = mapped_column(String(64))
    method: Mapped[str] = mapped_column(String(8))
    route: Mapped[str] = mapped_column(String(200), comment="the request path")
    tool: Mapped[str | None] = mapped_column(String(64), comment="the tool called, if any")
    status: Mapped[int] = mapped_column(SmallInteger)
    latency_ms: Mapped[float] = mapped_column(Float)
    bytes: Mapped[int] = mapped_column(Integer, comment="response body bytes")


class BackupRun(Base):
    """One backup create, verify or restore and its outcome (migration 0003); the newest
    successful create is ``nba_mcp_backup_last_success_timestamp_seconds``."""

    __tablename__ = "backup_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    backup_id: Mapped[str] = mapped_column(String(96))
    action: Mapped[str] = mapped_column(String(16), comment="create, verify, restore")
    ok: Mapped[bool] = mapped_column(Boolean)
    store: Mapped[str] = mapped_column(String(200), comment="where the backup lives")
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    size_bytes: Mapped[int | None] = mapped_column(BigInteger)
    detail: Mapped[str | None] = mapped_column(String(500), comment="why it failed")


class SynthesisRun(Base):
    """One synthesis run (``ask``, ``synthesize``) and its outcome (migration 0004): the
    ledger of what the models cost, per API key. Its model calls are ``synthesis_calls``.
    Times are UTC."""

    __tablename__ = "synthesis_runs"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    finished_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    question: Mapped[str] = mapped_column(String(2000), comment="cut to 2,000 characters")
    mode: Mapped[str] = mapped_column(String(8), comment="single, verify, judge")
    status: Mapped[str] = mapped_column(String(8), comment="ok, partial, failed")
    stopped_by: Mapped[str | None] = mapped_column(
        String(32), comment="for a partial run: the budget limit that stopped it"
    )
    key_name: Mapped[str | None] = mapped_column(
        String(64), comment="the API key's name; null when the caller had none (CLI)"
    )
    answer_chars: Mapped[int] = mapped_column(Integer, comment="length of the answer")
    numbers: Mapped[int] = mapped_column(Integer, comment="numbers the answer states")
    matched: Mapped[int] = mapped_column(Integer, comment="of them, found in a cited result")
    unmatched: Mapped[int] = mapped_column(Integer, comment="of them, found in no cited result")
    cost_usd: Mapped[float | None] = mapped_column(
        Float, comment="model cost in USD; null when a call's price is unknown"
    )
    input_tokens: Mapped[int] = mapped_column(
        Integer, comment="input tokens of the calls that reached a model, cached included"
    )
    output_tokens: Mapped[int] = mapped_column(
        Integer, comment="output tokens of the calls that reached a model"
    )
    tool_calls: Mapped[int] = mapped_column(Integer, comment="tool calls the models made")


class SynthesisCall(Base):
    """One model call of a synthesis run, in the order the run made them (migration 0004)."""

    __tablename__ = "synthesis_calls"
    __table_args__ = (UniqueConstraint("run_id", "position"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    run_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("synthesis_runs.id", ondelete="CASCADE"),
    )
    position: Mapped[int] = mapped_column(SmallInteger, comment="0 for the run's first call")
    provider: Mapped[str] = mapped_column(String(32), comment="the provider part of provider:model")
    model: Mapped[str] = mapped_column(String(100))
    role: Mapped[str] = mapped_column(String(8), comment="answer, draft, verify, judge, repair")
    input_tokens: Mapped[int] = mapped_column(Integer, comment="cached input tokens included")
    output_tokens: Mapped[int] = mapped_column(Integer)
    cached_input_tokens: Mapped[int] = mapped_column(
        Integer, comment="the part of input_tokens read from the provider's prompt cache"
    )
    cost_usd: Mapped[float | None] = mapped_column(
        Float, comment="null when the model's price is unknown"
    )
    latency_ms: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(
        String(8), comment="ok, error (a fallback followed), cached (no model was called)"
    )
    error: Mapped[str | None] = mapped_column(String(500), comment="why the call failed")
    started_at: Mapped[dt.datetime | None] = mapped_column(
        DateTime(timezone=True), comment="null when the pipeline did not record it"
    )


#: Tables that hold no NBA data: neither described to models nor readable by ``run_sql``.
PRIVATE_TABLES = frozenset(
    {"api_keys", "request_log", "backup_runs", "synthesis_runs", "synthesis_calls"}
)

#: The NBA tables: what ``describe_schema`` lists and all that ``run_sql`` may read. An
#: allow-list: a table added later is readable only once it is added here on purpose.
NBA_TABLES = frozenset(
    {"seasons", "teams", "players", "player_names", "games", "team_box_scores",
     "player_box_scores", "data_version"}
)  # fmt: skip


# ---------------------------------------------------------------------------
# Advanced metrics (migration 0006): the analytics' season tables, stored so that run_sql
# can read them. Derived data: rebuilt for a season by every load that changes it, in the
# load's transaction (nba_mcp.queries.advanced_tables), never edited otherwise.


class PlayerSeasonAdvanced(Base):
    """Basketball-Reference's advanced line of every player in every loaded season and
    season type: one row per team he played for, plus a `TOT` row (`is_total` true) for a
    player traded in season. Full precision; Basketball-Reference shows shooting fractions
    to 3 places and the rest to 1. Rebuilt by each load that changes the season, in the
    same transaction (`data_version` is the version it was built at)."""

    __tablename__ = "player_season_advanced"

    season: Mapped[str] = mapped_column(String(7), primary_key=True, comment="e.g. 2015-16")
    season_type: Mapped[str] = mapped_column(
        String(8), primary_key=True, comment="regular, playoffs or play_in"
    )
    player_id: Mapped[int] = mapped_column(
        ForeignKey("players.player_id"), primary_key=True, comment="the player"
    )
    team: Mapped[str] = mapped_column(
        String(3), primary_key=True, comment="team abbreviation, or TOT for his season totals"
    )
    team_id: Mapped[int | None] = mapped_column(
        BigInteger, comment="NBA.com team id; null on a TOT row"
    )
    is_total: Mapped[bool] = mapped_column(Boolean, comment="the TOT row of a traded player")
    season_line: Mapped[bool] = mapped_column(
        Boolean,
        comment="his season line: the TOT row of a traded player, else his only row; "
        "rank players on these rows",
    )
    g: Mapped[int] = mapped_column(SmallInteger, comment="games played")
    mp: Mapped[float] = mapped_column(Float, comment="minutes played (seconds / 60)")
    ts_pct: Mapped[float | None] = mapped_column(
        Float, comment="true shooting, fraction: PTS / (2 (FGA + 0.44 FTA))"
    )
    efg_pct: Mapped[float | None] = mapped_column(
        Float, comment="effective FG, fraction: (FGM + 0.5 3PM) / FGA"
    )
    fg3a_rate: Mapped[float | None] = mapped_column(Float, comment="3PA / FGA")
    fta_rate: Mapped[float | None] = mapped_column(Float, comment="FTA / FGA")
    orb_pct: Mapped[float | None] = mapped_column(
        Float, comment="offensive rebound %, percentage points"
    )
    drb_pct: Mapped[float | None] = mapped_column(
        Float, comment="defensive rebound %, percentage points"
    )
    trb_pct: Mapped[float | None] = mapped_column(
        Float, comment="total rebound %, percentage points"
    )
    ast_pct: Mapped[float | None] = mapped_column(Float, comment="assist %, percentage points")
    stl_pct: Mapped[float | None] = mapped_column(Float, comment="steal %, percentage points")
    blk_pct: Mapped[float | None] = mapped_column(Float, comment="block %, percentage points")
    tov_pct: Mapped[float | None] = mapped_column(
        Float, comment="turnover %, percentage points (lower is better)"
    )
    usg_pct: Mapped[float | None] = mapped_column(Float, comment="usage %, percentage points")
    ortg: Mapped[float | None] = mapped_column(
        Float, comment="offensive rating: points produced per 100 possessions (Oliver)"
    )
    drtg: Mapped[float | None] = mapped_column(
        Float, comment="defensive rating: points allowed per 100 possessions (lower is better)"
    )
    per: Mapped[float | None] = mapped_column(
        Float, comment="player efficiency rating (Hollinger), league average 15"
    )
    ows: Mapped[float | None] = mapped_column(Float, comment="offensive win shares")
    dws: Mapped[float | None] = mapped_column(Float, comment="defensive win shares")
    ws: Mapped[float | None] = mapped_column(Float, comment="win shares: OWS + DWS")
    ws_per_48: Mapped[float | None] = mapped_column(Float, comment="win shares per 48 minutes")
    obpm: Mapped[float | None] = mapped_column(Float, comment="offensive box plus/minus")
    dbpm: Mapped[float | None] = mapped_column(Float, comment="defensive box plus/minus")
    bpm: Mapped[float | None] = mapped_column(
        Float, comment="box plus/minus 2.0: points per 100 possessions above average"
    )
    vorp: Mapped[float | None] = mapped_column(Float, comment="value over replacement player")
    data_version: Mapped[int] = mapped_column(Integer, comment="data version it was built at")


class TeamSeasonAdvanced(Base):
    """Every team's advanced season line in every loaded season and season type: record,
    possessions, pace, ratings, SRS and the four factors (offense, and the opponents' for
    defense). Full precision. Rebuilt by each load that changes the season, in the same
    transaction (`data_version` is the version it was built at)."""

    __tablename__ = "team_season_advanced"

    season: Mapped[str] = mapped_column(String(7), primary_key=True, comment="e.g. 2015-16")
    season_type: Mapped[str] = mapped_column(
        String(8), primary_key=True, comment="regular, playoffs or play_in"
    )
    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.team_id"), primary_key=True, comment="NBA.com team id"
    )
    g: Mapped[int] = mapped_column(SmallInteger, comment="games played")
    wins: Mapped[int] = mapped_column(SmallInteger)
    losses: Mapped[int] = mapped_column(SmallInteger)
    poss: Mapped[float | None] = mapped_column(
        Float, comment="possessions, Basketball-Reference's two-sided estimate"
    )
    pace: Mapped[float | None] = mapped_column(Float, comment="possessions per 48 minutes")
    ortg: Mapped[float | None] = mapped_column(Float, comment="points per 100 possessions")
    drtg: Mapped[float | None] = mapped_column(
        Float, comment="points allowed per 100 possessions (lower is better)"
    )
    net_rtg: Mapped[float | None] = mapped_column(Float, comment="ortg - drtg")
    mov: Mapped[float | None] = mapped_column(Float, comment="margin of victory per game")
    srs: Mapped[float | None] = mapped_column(
        Float, comment="simple rating system: MOV corrected for schedule"
    )
    sos: Mapped[float | None] = mapped_column(Float, comment="strength of schedule")
    ts_pct: Mapped[float | None] = mapped_column(Float, comment="true shooting, fraction")
    opp_ts_pct: Mapped[float | None] = mapped_column(
        Float, comment="opponents' true shooting, fraction"
    )
    efg_pct: Mapped[float | None] = mapped_column(
        Float, comment="four factors, offense: effective FG, fraction"
    )
    tov_pct: Mapped[float | None] = mapped_column(
        Float, comment="four factors, offense: turnover %, percentage points"
    )
    orb_pct: Mapped[float | None] = mapped_column(
        Float, comment="four factors, offense: offensive rebound %, percentage points"
    )
    ft_per_fga: Mapped[float | None] = mapped_column(
        Float, comment="four factors, offense: FT / FGA"
    )
    opp_efg_pct: Mapped[float | None] = mapped_column(
        Float, comment="four factors, defense: opponents' effective FG, fraction"
    )
    opp_tov_pct: Mapped[float | None] = mapped_column(
        Float, comment="four factors, defense: opponents' turnover %, percentage points"
    )
    drb_pct: Mapped[float | None] = mapped_column(
        Float, comment="four factors, defense: defensive rebound %, percentage points"
    )
    opp_ft_per_fga: Mapped[float | None] = mapped_column(
        Float, comment="four factors, defense: opponents' FT / FGA"
    )
    pyth_wins: Mapped[float | None] = mapped_column(Float, comment="Pythagorean wins (exponent 14)")
    data_version: Mapped[int] = mapped_column(Integer, comment="data version it was built at")


#: The advanced tables: NBA data (``run_sql`` reads them, ``describe_schema`` lists them).
ADVANCED_TABLES = frozenset({"player_season_advanced", "team_season_advanced"})
NBA_TABLES = NBA_TABLES | ADVANCED_TABLES
