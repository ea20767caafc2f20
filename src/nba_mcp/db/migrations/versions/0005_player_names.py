"""player names: every name a player is known by, so a search by any of them finds him

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-12 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "player_names",
        sa.Column("id", sa.Integer(), nullable=False, comment="row key"),
        sa.Column("player_id", sa.Integer(), nullable=False, comment="the player (players)"),
        sa.Column("name", sa.String(length=64), nullable=False, comment="as a source writes it"),
        sa.Column(
            "name_key",
            sa.String(length=64),
            nullable=False,
            comment="lower-case name without accents, punctuation, suffixes",
        ),
        sa.Column(
            "kind",
            sa.String(length=8),
            nullable=False,
            comment="current, played (a name he played under), nickname",
        ),
        sa.Column(
            "source",
            sa.String(length=8),
            nullable=False,
            comment="nba_com, bref, alias (the project's alias table)",
        ),
        sa.CheckConstraint(
            "kind IN ('current', 'played', 'nickname')", name=op.f("ck_player_names_kind")
        ),
        sa.ForeignKeyConstraint(
            ["player_id"],
            ["players.player_id"],
            name=op.f("fk_player_names_player_id_players"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_player_names")),
        sa.UniqueConstraint("player_id", "name_key", name=op.f("uq_player_names_player_id")),
    )
    with op.batch_alter_table("player_names", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_player_names_name_key"), ["name_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("player_names", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_player_names_name_key"))
    op.drop_table("player_names")
