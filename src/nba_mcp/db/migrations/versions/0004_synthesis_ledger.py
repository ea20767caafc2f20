"""synthesis ledger: every synthesis run and its model calls, with tokens and cost

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-09 10:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "synthesis_runs",
        sa.Column("id", ID, nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "question", sa.String(length=2000), nullable=False, comment="cut to 2,000 characters"
        ),
        sa.Column("mode", sa.String(length=8), nullable=False, comment="single, verify, judge"),
        sa.Column("status", sa.String(length=8), nullable=False, comment="ok, partial, failed"),
        sa.Column(
            "stopped_by",
            sa.String(length=32),
            nullable=True,
            comment="for a partial run: the budget limit that stopped it",
        ),
        sa.Column(
            "key_name",
            sa.String(length=64),
            nullable=True,
            comment="the API key's name; null when the caller had none (CLI)",
        ),
        sa.Column("answer_chars", sa.Integer(), nullable=False, comment="length of the answer"),
        sa.Column("numbers", sa.Integer(), nullable=False, comment="numbers the answer states"),
        sa.Column(
            "matched", sa.Integer(), nullable=False, comment="of them, found in a cited result"
        ),
        sa.Column(
            "unmatched", sa.Integer(), nullable=False, comment="of them, found in no cited result"
        ),
        sa.Column(
            "cost_usd",
            sa.Float(),
            nullable=True,
            comment="model cost in USD; null when a call's price is unknown",
        ),
        sa.Column(
            "input_tokens",
            sa.Integer(),
            nullable=False,
            comment="input tokens of the calls that reached a model, cached included",
        ),
        sa.Column(
            "output_tokens",
            sa.Integer(),
            nullable=False,
            comment="output tokens of the calls that reached a model",
        ),
        sa.Column("tool_calls", sa.Integer(), nullable=False, comment="tool calls the models made"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_synthesis_runs")),
    )
    with op.batch_alter_table("synthesis_runs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_synthesis_runs_started_at"), ["started_at"], unique=False
        )

    op.create_table(
        "synthesis_calls",
        sa.Column("id", ID, nullable=False),
        sa.Column("run_id", ID, nullable=False),
        sa.Column(
            "position", sa.SmallInteger(), nullable=False, comment="0 for the run's first call"
        ),
        sa.Column(
            "provider",
            sa.String(length=32),
            nullable=False,
            comment="the provider part of provider:model",
        ),
        sa.Column("model", sa.String(length=100), nullable=False),
        sa.Column(
            "role",
            sa.String(length=8),
            nullable=False,
            comment="answer, draft, verify, judge, repair",
        ),
        sa.Column(
            "input_tokens", sa.Integer(), nullable=False, comment="cached input tokens included"
        ),
        sa.Column("output_tokens", sa.Integer(), nullable=False),
        sa.Column(
            "cached_input_tokens",
            sa.Integer(),
            nullable=False,
            comment="the part of input_tokens read from the provider's prompt cache",
        ),
        sa.Column(
            "cost_usd", sa.Float(), nullable=True, comment="null when the model's price is unknown"
        ),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column(
            "status",
            sa.String(length=8),
            nullable=False,
            comment="ok, error (a fallback followed), cached (no model was called)",
        ),
        sa.Column("error", sa.String(length=500), nullable=True, comment="why the call failed"),
        sa.Column(
            "started_at",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="null when the pipeline did not record it",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["synthesis_runs.id"],
            name=op.f("fk_synthesis_calls_run_id_synthesis_runs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_synthesis_calls")),
        sa.UniqueConstraint("run_id", "position", name=op.f("uq_synthesis_calls_run_id")),
    )


def downgrade() -> None:
    op.drop_table("synthesis_calls")
    with op.batch_alter_table("synthesis_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_synthesis_runs_started_at"))
    op.drop_table("synthesis_runs")
