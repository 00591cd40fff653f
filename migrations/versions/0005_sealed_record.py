"""Seal what readers are shown: chained transparency log, vote names, append-only triggers

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 10:00:00

"""

from datetime import UTC

import sqlalchemy as sa
from alembic import op

from charter.models.append_only import create_log_head, create_triggers, drop_triggers
from charter.text.hashing import event_hash

# The tables this migration seals; later migrations seal their own.
SEALED_TABLES = {
    "clause_revisions",
    "proposal_texts",
    "audit_events",
    "audit_log_head",
    "charter_versions",
    "version_clauses",
    "votes",
}

# revision identifiers, used by Alembic.
revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_log_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log_head")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("actor_name", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("previous_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    with op.batch_alter_table("charter_versions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seal_scheme", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("log_head", sa.String(length=64), nullable=True))
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.add_column(sa.Column("member_name", sa.String(length=80), nullable=True))

    connection = op.get_bind()
    create_log_head(connection)
    _chain_existing_events(connection)
    # Last: from here on these rows can only be added to.
    create_triggers(connection, SEALED_TABLES)


def _chain_existing_events(connection):
    """Seal the log kept so far into a chain, in the order it was written, names as now."""
    events = sa.table(
        "audit_events",
        sa.column("id"),
        sa.column("actor_id"),
        sa.column("actor_name"),
        sa.column("action"),
        sa.column("object_type"),
        sa.column("object_id"),
        sa.column("summary"),
        sa.column("public"),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("previous_hash"),
        sa.column("hash"),
    )
    users = sa.table("users", sa.column("id"), sa.column("display_name"))
    rows = connection.execute(
        sa.select(events, users.c.display_name)
        .select_from(events.outerjoin(users, users.c.id == events.c.actor_id))
        .order_by(events.c.id)
    ).all()
    previous = None
    for row in rows:
        created_at = row.created_at
        if created_at.tzinfo is None:  # SQLite gives back the UTC time it stored, naive
            created_at = created_at.replace(tzinfo=UTC)
        digest = event_hash(
            previous_hash=previous,
            created_at=created_at,
            actor_id=row.actor_id,
            actor_name=row.display_name,
            action=row.action,
            object_type=row.object_type,
            object_id=row.object_id,
            summary=row.summary,
            public=row.public,
        )
        connection.execute(
            events.update()
            .where(events.c.id == row.id)
            .values(actor_name=row.display_name, previous_hash=previous, hash=digest)
        )
        previous = digest
    connection.execute(sa.text("UPDATE audit_log_head SET hash = :h WHERE id = 1"), {"h": previous})


def downgrade():
    drop_triggers(op.get_bind(), SEALED_TABLES)
    with op.batch_alter_table("votes", schema=None) as batch_op:
        batch_op.drop_column("member_name")
    with op.batch_alter_table("charter_versions", schema=None) as batch_op:
        batch_op.drop_column("log_head")
        batch_op.drop_column("seal_scheme")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("hash")
        batch_op.drop_column("previous_hash")
        batch_op.drop_column("actor_name")
    op.drop_table("audit_log_head")
