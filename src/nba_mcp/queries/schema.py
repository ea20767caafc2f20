"""What a SQL user needs to know about the database: ``describe_schema`` and ``nba://schema``.

The tables and columns come from the SQLAlchemy metadata, so the description
cannot drift from the schema; what they mean comes from the models' docstrings
and column comments, completed here where a SQL user needs more (units, the
season and game id formats, the season types, which team totals are official).
"""

from __future__ import annotations

import inspect

from pydantic import BaseModel, Field
from sqlalchemy import Column, Connection, Table, func, select
from sqlalchemy.exc import OperationalError

from nba_mcp.boxscore import COUNTING_STATS
from nba_mcp.db.errors import database_unavailable
from nba_mcp.db.models import NBA_TABLES, SEASON_TYPES, Base


class ColumnInfo(BaseModel):
    name: str
    type: str = Field(description="SQL type in the database's dialect.")
    nullable: bool
    primary_key: bool
    foreign_key: str | None = Field(description="The referenced `table.column`, if any.")
    description: str


class TableInfo(BaseModel):
    name: str
    description: str
    columns: list[ColumnInfo]
    row_count: int | None = Field(description="Rows now in the table; null when not counted.")


class SchemaDescription(BaseModel):
    dialect: str = Field(description="`sqlite`, `postgresql`, or `generic` when not connected.")
    conventions: list[str] = Field(description="Meanings shared by several tables.")
    tables: list[TableInfo]


CONVENTIONS: list[str] = [
    "Seasons are labelled with the start year and the last two digits of the end year: "
    "'2015-16' (`seasons.start_year` is 2015).",
    "`games.season_type` is one of " + ", ".join(f"'{t}'" for t in SEASON_TYPES) + " "
    "('play_in' is the play-in tournament).",
    "Game ids are NBA.com's ids, 10 characters of text with leading zeros: '00', a type digit "
    "(2 regular season, 4 playoffs, 5 play-in), the last two digits of the start year and a "
    "5-digit number, e.g. '0021500003'. Compare them as text.",
    "Team ids are NBA.com ids (1610612744 is Golden State); join `teams` for abbreviations.",
    "Players' playing time is `player_box_scores.seconds` (divide by 60 for minutes). "
    "Teams' playing time is `team_box_scores.minutes`: 240 per regulation game (5 players x "
    "48 minutes) plus 25 per overtime.",
    "Counting stats are per game; points = 2*fgm + fg3m + ftm; rebounds = oreb + dreb (there "
    "is no reb column). Percentages are not stored: compute them with a real division, "
    "e.g. 1.0 * fgm / NULLIF(fga, 0) (integer division truncates on both databases).",
    "`team_box_scores` holds NBA.com's official team totals where they were loaded (`source` "
    "'nba_stats' or 'nba_api') and Basketball-Reference's sums of the player lines otherwise "
    "('bref'). Official turnovers include team turnovers, so they can exceed the sum of the "
    "players' turnovers; a season may have team boxes but no player boxes.",
    "A traded player's games carry the team he played for in each (`player_box_scores.team_id`); "
    "season totals per team, and the TOT row, are computed by grouping.",
    "`player_season_advanced` and `team_season_advanced` hold the advanced metrics (PER, "
    "win shares, BPM, ratings, four factors, ...) of every loaded season and season type at "
    "full precision, as the tools compute them; a traded player has a row per team and a "
    "'TOT' row (`is_total`); `season_line` marks one row per player (the TOT row of a traded "
    "player), the rows to rank. Leaderboards apply minimums (docs/metrics.md): e.g. PER "
    "leaders need `mp >= 1500` in an 82-game season. Round with ROUND(CAST(x AS NUMERIC), 1) "
    "(PostgreSQL has no ROUND of a double with places).",
    "On SQLite, booleans are 0/1, dates are 'YYYY-MM-DD' text and timestamps are UTC text; "
    "on PostgreSQL they are native types.",
]

#: Tables in reading order; tables added to the models later follow, by name.
_ORDER = (
    "seasons", "teams", "players", "games", "team_box_scores", "player_box_scores",
    "player_season_advanced", "team_season_advanced", "data_version",
)  # fmt: skip

_TABLES: dict[str, str] = {
    "seasons": "One row per loaded season.",
    "teams": "The 30 NBA teams with NBA.com ids, names, conference and division.",
    "players": "Every player known from NBA.com's player list or a loaded source. `player_id` "
    "is our own key; `person_id` (NBA.com) and `bref_slug` (Basketball-Reference) link to the "
    "sources.",
    "games": "One row per game: season, type, date, the two teams and the final score.",
    "player_box_scores": "A player's line in one game: seconds played and the counting stats, "
    "for the team he played for in that game.",
}

_BOX_STATS: dict[str, str] = {
    "fgm": "Field goals made (2- and 3-pointers).",
    "fga": "Field goals attempted.",
    "fg3m": "3-point field goals made.",
    "fg3a": "3-point field goals attempted.",
    "ftm": "Free throws made.",
    "fta": "Free throws attempted.",
    "oreb": "Offensive rebounds.",
    "dreb": "Defensive rebounds.",
    "ast": "Assists.",
    "stl": "Steals.",
    "blk": "Blocks.",
    "tov": "Turnovers.",
    "pf": "Personal fouls.",
    "pts": "Points: 2*fgm + fg3m + ftm.",
}
assert set(_BOX_STATS) == {*COUNTING_STATS, "pts"}

_COLUMNS: dict[tuple[str, str], str] = {
    ("seasons", "season"): "Season label, start year first: '2015-16'.",
    ("seasons", "start_year"): "Calendar year the season starts in: 2015 for '2015-16'.",
    ("teams", "team_id"): "NBA.com team id, e.g. 1610612744.",
    ("teams", "abbreviation"): "Three-letter abbreviation, e.g. GSW.",
    ("teams", "full_name"): "City and nickname, e.g. Golden State Warriors.",
    ("teams", "nickname"): "Nickname, e.g. Warriors.",
    ("teams", "city"): "City or region, e.g. Golden State.",
    ("teams", "division"): "Division, e.g. Pacific.",
    ("players", "player_id"): "Our key for the player; box scores refer to it.",
    ("players", "full_name"): "Name as NBA.com writes it, accents included (Nikola Jokić).",
    ("players", "is_active"): "On NBA.com's list of current players; null when unknown.",
    ("games", "game_id"): "NBA.com game id, 10 characters with leading zeros: '0021500003'.",
    ("games", "season"): "Season label, '2015-16'.",
    ("games", "season_type"): "'regular', 'playoffs' or 'play_in'.",
    ("games", "game_date"): "Date of the game (local date, as the league lists it).",
    (
        "games",
        "start_time",
    ): "Scheduled tip-off in UTC (may fall on the next UTC day); null when unknown.",
    ("games", "home_team_id"): "Home team (NBA.com team id).",
    ("games", "away_team_id"): "Visiting team (NBA.com team id).",
    ("games", "home_score"): "Home team's final points.",
    ("games", "away_score"): "Visiting team's final points.",
    ("games", "neutral_site"): "Played at a neutral site; null when the source does not say.",
    ("team_box_scores", "game_id"): "The game.",
    ("team_box_scores", "team_id"): "The team these totals belong to.",
    ("team_box_scores", "opponent_id"): "The other team in the game.",
    ("team_box_scores", "is_home"): "Whether the team played at home.",
    ("team_box_scores", "source"): "Feed of these totals: 'nba_stats' or 'nba_api' (NBA.com's "
    "official totals) or 'bref' (Basketball-Reference's sums of the player lines).",
    ("player_box_scores", "game_id"): "The game.",
    ("player_box_scores", "player_id"): "The player (players.player_id).",
    ("player_box_scores", "team_id"): "The team he played for in this game.",
    ("player_box_scores", "seconds"): "Seconds played; divide by 60 for minutes.",
    ("data_version", "id"): "Always 1: the table has one row.",
    ("data_version", "version"): "Bumped by every load that changed data.",
    ("data_version", "updated_at"): "When the data last changed (UTC).",
}
for _quarter in range(1, 5):
    _COLUMNS["team_box_scores", f"pts_q{_quarter}"] = (
        f"Points in quarter {_quarter}; null when the source has no line score."
    )


def _docstring(table: Table) -> str | None:
    for mapper in Base.registry.mappers:
        if mapper.local_table is table:
            own = mapper.class_.__dict__.get("__doc__")
            if own:
                return " ".join(inspect.cleandoc(own).split()).replace("``", "`")
    return None


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _describe_column(table: Table, column: Column[object]) -> str:
    curated = _COLUMNS.get((table.name, column.name))
    if curated is None and column.name in _BOX_STATS:
        curated = _BOX_STATS[column.name]
    return curated or _sentence(column.comment or column.name.replace("_", " "))


def _foreign_key(column: Column[object]) -> str | None:
    targets = sorted(fk.target_fullname for fk in column.foreign_keys)
    return ", ".join(targets) or None


def describe_schema(conn: Connection | None = None) -> SchemaDescription:
    """Every table and column with its meaning; types and row counts from ``conn`` if given."""
    tables = sorted(
        (t for t in Base.metadata.tables.values() if t.name in NBA_TABLES),
        key=lambda t: (_ORDER.index(t.name) if t.name in _ORDER else len(_ORDER), t.name),
    )
    described = []
    try:
        for table in tables:
            columns = [
                ColumnInfo(
                    name=column.name,
                    type=str(column.type.compile(dialect=conn.dialect))
                    if conn is not None
                    else str(column.type),
                    nullable=bool(column.nullable),
                    primary_key=column.primary_key,
                    foreign_key=_foreign_key(column),
                    description=_describe_column(table, column),
                )
                for column in table.columns
            ]
            count = (
                conn.execute(select(func.count()).select_from(table)).scalar_one()
                if conn is not None
                else None
            )
            described.append(
                TableInfo(
                    name=table.name,
                    description=_docstring(table) or _TABLES.get(table.name, ""),
                    columns=columns,
                    row_count=count,
                )
            )
    except OperationalError as exc:
        raise database_unavailable(exc) from None
    return SchemaDescription(
        dialect=conn.dialect.name if conn is not None else "generic",
        conventions=CONVENTIONS,
        tables=described,
    )


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def render_markdown(schema: SchemaDescription) -> str:
    """``schema`` as Markdown: conventions, then one section and column table per table."""
    lines = [
        "# NBA database schema",
        "",
        f"Dialect: {schema.dialect}. Query it with `run_sql` (one read-only SELECT).",
        "",
        "## Conventions",
        "",
        *(f"- {c}" for c in schema.conventions),
    ]
    for table in schema.tables:
        rows = ""
        if table.row_count is not None:
            rows = f" ({table.row_count:,} row{'' if table.row_count == 1 else 's'})"
        lines += ["", f"## {table.name}{rows}", "", table.description, ""]
        lines += ["| column | type | null | key | description |", "|---|---|---|---|---|"]
        for c in table.columns:
            key = " ".join(
                k
                for k in (
                    "PK" if c.primary_key else "",
                    f"FK {c.foreign_key}" if c.foreign_key else "",
                )
                if k
            )
            lines.append(
                f"| {c.name} | {_cell(c.type)} | {'yes' if c.nullable else 'no'} | {_cell(key)} "
                f"| {_cell(c.description)} |"
            )
    return "\n".join(lines) + "\n"


def schema_markdown(conn: Connection | None = None) -> str:
    """The same content as :func:`describe_schema`, as Markdown (the ``nba://schema`` resource)."""
    return render_markdown(describe_schema(conn))
