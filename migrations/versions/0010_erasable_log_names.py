"""Names in the transparency log that deleting an account can erase

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 21:20:00

Entries written from now on follow hash rule 2: they seal sha256(salt || name), and the name
and salt live in audit_names, which is not append-only. Existing entries keep rule 1 (their
name is part of their sealed hash, and published versions seal the log's head), so their
hashes, and every published version, verify exactly as before.
"""

import sqlalchemy as sa
from alembic import op

from charter.models.append_only import create_triggers

# revision identifiers, used by Alembic.
revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, never a batch copy: recreating audit_events on SQLite would drop its
    # append-only triggers, and neither database runs row triggers for a column's default.
    op.add_column(
        "audit_events",
        sa.Column("scheme", sa.Integer(), server_default=sa.text("1"), nullable=False),
    )
    op.add_column("audit_events", sa.Column("actor_digest", sa.String(length=64), nullable=True))
    op.create_table(
        "audit_names",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("actor_name", sa.String(length=80), nullable=False),
        sa.Column("salt", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["audit_events.id"], name=op.f("fk_audit_names_event_id_audit_events")
        ),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_audit_names")),
    )


def downgrade():
    # Rule-2 entries cannot be told apart by rule 1: going back loses their names' checks.
    op.drop_table("audit_names")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("actor_digest")
        batch_op.drop_column("scheme")
    # SQLite's batch copy recreated audit_events without its triggers.
    create_triggers(op.get_bind(), {"audit_events"})
