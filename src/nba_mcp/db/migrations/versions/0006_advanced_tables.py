"""advanced tables: player_season_advanced and team_season_advanced, for run_sql

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-12 12:00:00.000000

The rows are derived: the next load that changes a season writes them (in its own
transaction); ``nba-mcp db upgrade`` on a database that already holds data leaves them
empty until then; any ``nba-mcp ingest`` of the same files fills them (a load rebuilds a
season whose advanced rows are missing even when it changes nothing).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "player_season_advanced",
        sa.Column("season", sa.String(length=7), nullable=False, comment="e.g. 2015-16"),
        sa.Column(
            "season_type",
            sa.String(length=8),
            nullable=False,
            comment="regular, playoffs or play_in",
        ),
        sa.Column("player_id", sa.Integer(), nullable=False, comment="the player"),
        sa.Column(
            "team",
            sa.String(length=3),
            nullable=False,
            comment="team abbreviation, or TOT for his season totals",
        ),
        sa.Column(
            "team_id", sa.BigInteger(), nullable=True, comment="NBA.com team id; null on a TOT row"
        ),
        sa.Column(
            "is_total", sa.Boolean(), nullable=False, comment="the TOT row of a traded player"
        ),
        sa.Column(
            "season_line",
            sa.Boolean(),
            nullable=False,
            comment="his season line: the TOT row of a traded player, else his only row; "
            "rank players on these rows",
        ),
        sa.Column("g", sa.SmallInteger(), nullable=False, comment="games played"),
        sa.Column("mp", sa.Float(), nullable=False, comment="minutes played (seconds / 60)"),
        sa.Column(
            "ts_pct",
            sa.Float(),
            nullable=True,
            comment="true shooting, fraction: PTS / (2 (FGA + 0.44 FTA))",
        ),
        sa.Column(
            "efg_pct",
            sa.Float(),
            nullable=True,
            comment="effective FG, fraction: (FGM + 0.5 3PM) / FGA",
        ),
        sa.Column("fg3a_rate", sa.Float(), nullable=True, comment="3PA / FGA"),
        sa.Column("fta_rate", sa.Float(), nullable=True, comment="FTA / FGA"),
        sa.Column(
            "orb_pct", sa.Float(), nullable=True, comment="offensive rebound %, percentage points"
        ),
        sa.Column(
            "drb_pct", sa.Float(), nullable=True, comment="defensive rebound %, percentage points"
        ),
        sa.Column(
            "trb_pct", sa.Float(), nullable=True, comment="total rebound %, percentage points"
        ),
        sa.Column("ast_pct", sa.Float(), nullable=True, comment="assist %, percentage points"),
        sa.Column("stl_pct", sa.Float(), nullable=True, comment="steal %, percentage points"),
        sa.Column("blk_pct", sa.Float(), nullable=True, comment="block %, percentage points"),
        sa.Column(
            "tov_pct",
            sa.Float(),
            nullable=True,
            comment="turnover %, percentage points (lower is better)",
        ),
        sa.Column("usg_pct", sa.Float(), nullable=True, comment="usage %, percentage points"),
        sa.Column(
            "ortg",
            sa.Float(),
            nullable=True,
            comment="offensive rating: points produced per 100 possessions (Oliver)",
        ),
        sa.Column(
            "drtg",
            sa.Float(),
            nullable=True,
            comment="defensive rating: points allowed per 100 possessions (lower is better)",
        ),
        sa.Column(
            "per",
            sa.Float(),
            nullable=True,
            comment="player efficiency rating (Hollinger), league average 15",
        ),
        sa.Column("ows", sa.Float(), nullable=True, comment="offensive win shares"),
        sa.Column("dws", sa.Float(), nullable=True, comment="defensive win shares"),
        sa.Column("ws", sa.Float(), nullable=True, comment="win shares: OWS + DWS"),
        sa.Column("ws_per_48", sa.Float(), nullable=True, comment="win shares per 48 minutes"),
        sa.Column("obpm", sa.Float(), nullable=True, comment="offensive box plus/minus"),
        sa.Column("dbpm", sa.Float(), nullable=True, comment="defensive box plus/minus"),
        sa.Column(
            "bpm",
            sa.Float(),
            nullable=True,
            comment="box plus/minus 2.0: points per 100 possessions above average",
        ),
        sa.Column("vorp", sa.Float(), nullable=True, comment="value over replacement player"),
        sa.Column(
            "data_version", sa.Integer(), nullable=False, comment="data version it was built at"
        ),
        sa.ForeignKeyConstraint(
            ["player_id"],
            ["players.player_id"],
            name=op.f("fk_player_season_advanced_player_id_players"),
        ),
        sa.PrimaryKeyConstraint(
            "season", "season_type", "player_id", "team", name=op.f("pk_player_season_advanced")
        ),
    )
    op.create_table(
        "team_season_advanced",
        sa.Column("season", sa.String(length=7), nullable=False, comment="e.g. 2015-16"),
        sa.Column(
            "season_type",
            sa.String(length=8),
            nullable=False,
            comment="regular, playoffs or play_in",
        ),
        sa.Column("team_id", sa.BigInteger(), nullable=False, comment="NBA.com team id"),
        sa.Column("g", sa.SmallInteger(), nullable=False, comment="games played"),
        sa.Column("wins", sa.SmallInteger(), nullable=False),
        sa.Column("losses", sa.SmallInteger(), nullable=False),
        sa.Column(
            "poss",
            sa.Float(),
            nullable=True,
            comment="possessions, Basketball-Reference's two-sided estimate",
        ),
        sa.Column("pace", sa.Float(), nullable=True, comment="possessions per 48 minutes"),
        sa.Column("ortg", sa.Float(), nullable=True, comment="points per 100 possessions"),
        sa.Column(
            "drtg",
            sa.Float(),
            nullable=True,
            comment="points allowed per 100 possessions (lower is better)",
        ),
        sa.Column("net_rtg", sa.Float(), nullable=True, comment="ortg - drtg"),
        sa.Column("mov", sa.Float(), nullable=True, comment="margin of victory per game"),
        sa.Column(
            "srs",
            sa.Float(),
            nullable=True,
            comment="simple rating system: MOV corrected for schedule",
        ),
        sa.Column("sos", sa.Float(), nullable=True, comment="strength of schedule"),
        sa.Column("ts_pct", sa.Float(), nullable=True, comment="true shooting, fraction"),
        sa.Column(
            "opp_ts_pct", sa.Float(), nullable=True, comment="opponents' true shooting, fraction"
        ),
        sa.Column(
            "efg_pct",
            sa.Float(),
            nullable=True,
            comment="four factors, offense: effective FG, fraction",
        ),
        sa.Column(
            "tov_pct",
            sa.Float(),
            nullable=True,
            comment="four factors, offense: turnover %, percentage points",
        ),
        sa.Column(
            "orb_pct",
            sa.Float(),
            nullable=True,
            comment="four factors, offense: offensive rebound %, percentage points",
        ),
        sa.Column(
            "ft_per_fga", sa.Float(), nullable=True, comment="four factors, offense: FT / FGA"
        ),
        sa.Column(
            "opp_efg_pct",
            sa.Float(),
            nullable=True,
            comment="four factors, defense: opponents' effective FG, fraction",
        ),
        sa.Column(
            "opp_tov_pct",
            sa.Float(),
            nullable=True,
            comment="four factors, defense: opponents' turnover %, percentage points",
        ),
        sa.Column(
            "drb_pct",
            sa.Float(),
            nullable=True,
            comment="four factors, defense: defensive rebound %, percentage points",
        ),
        sa.Column(
            "opp_ft_per_fga",
            sa.Float(),
            nullable=True,
            comment="four factors, defense: opponents' FT / FGA",
        ),
        sa.Column("pyth_wins", sa.Float(), nullable=True, comment="Pythagorean wins (exponent 14)"),
        sa.Column(
            "data_version", sa.Integer(), nullable=False, comment="data version it was built at"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.team_id"], name=op.f("fk_team_season_advanced_team_id_teams")
        ),
        sa.PrimaryKeyConstraint(
            "season", "season_type", "team_id", name=op.f("pk_team_season_advanced")
        ),
    )


def downgrade() -> None:
    op.drop_table("team_season_advanced")
    op.drop_table("player_season_advanced")
