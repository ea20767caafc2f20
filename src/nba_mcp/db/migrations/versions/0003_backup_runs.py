"""backup runs: the ledger of backup create, verify and restore outcomes

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 18:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "backup_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("backup_id", sa.String(length=96), nullable=False),
        sa.Column(
            "action", sa.String(length=16), nullable=False, comment="create, verify, restore"
        ),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("store", sa.String(length=200), nullable=False, comment="where the backup lives"),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("detail", sa.String(length=500), nullable=True, comment="why it failed"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_backup_runs")),
    )
    with op.batch_alter_table("backup_runs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_backup_runs_finished_at"), ["finished_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("backup_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_backup_runs_finished_at"))
    op.drop_table("backup_runs")
