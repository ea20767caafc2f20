"""api keys and request log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

ACTIVE = "revoked_at IS NULL AND grace_until IS NULL"


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "key_id",
            sa.String(length=16),
            nullable=False,
            comment="public lookup id, the middle part of the key",
        ),
        sa.Column("name", sa.String(length=64), nullable=False, comment="unique among active keys"),
        sa.Column(
            "key_hash", sa.String(length=64), nullable=False, comment="hex SHA-256 of the whole key"
        ),
        sa.Column(
            "scopes", sa.String(length=64), nullable=False, comment="comma-separated: read,sql,..."
        ),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("rotated_from", sa.Integer(), nullable=True, comment="the key this one replaced"),
        sa.Column(
            "grace_until",
            sa.DateTime(timezone=True),
            nullable=True,
            comment="set when rotated: valid until then",
        ),
        sa.ForeignKeyConstraint(
            ["rotated_from"], ["api_keys.id"], name=op.f("fk_api_keys_rotated_from_api_keys")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_keys")),
        sa.UniqueConstraint("key_id", name=op.f("uq_api_keys_key_id")),
    )
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.create_index(
            "uq_api_keys_active_name",
            ["name"],
            unique=True,
            postgresql_where=sa.text(ACTIVE),
            sqlite_where=sa.text(ACTIVE),
        )

    op.create_table(
        "request_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=False),
        sa.Column("key_name", sa.String(length=64), nullable=True),
        sa.Column("method", sa.String(length=8), nullable=False),
        sa.Column("route", sa.String(length=200), nullable=False, comment="the request path"),
        sa.Column("tool", sa.String(length=64), nullable=True, comment="the tool called, if any"),
        sa.Column("status", sa.SmallInteger(), nullable=False),
        sa.Column("latency_ms", sa.Float(), nullable=False),
        sa.Column("bytes", sa.Integer(), nullable=False, comment="response body bytes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_request_log")),
    )
    with op.batch_alter_table("request_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_request_log_started_at"), ["started_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("request_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_request_log_started_at"))

    op.drop_table("request_log")
    with op.batch_alter_table("api_keys", schema=None) as batch_op:
        batch_op.drop_index("uq_api_keys_active_name")

    op.drop_table("api_keys")
