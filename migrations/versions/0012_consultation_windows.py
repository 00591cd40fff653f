"""Consultation windows: the committee opens the draft or one clause for comment until a date

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 23:50:00

No window exists at first, so everything stays as it was: open while the admin switch is on.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "consultation_windows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("charter_id", sa.Integer(), nullable=False),
        sa.Column("clause_id", sa.Integer(), nullable=True),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("note", sa.String(length=300), server_default="", nullable=False),
        sa.Column("opened_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_early_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["charter_id"], ["charters.id"], name=op.f("fk_consultation_windows_charter_id_charters")
        ),
        sa.ForeignKeyConstraint(
            ["clause_id"], ["clauses.id"], name=op.f("fk_consultation_windows_clause_id_clauses")
        ),
        sa.ForeignKeyConstraint(
            ["opened_by_id"], ["users.id"], name=op.f("fk_consultation_windows_opened_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consultation_windows")),
    )
    with op.batch_alter_table("consultation_windows", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_consultation_windows_charter_id"), ["charter_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_consultation_windows_clause_id"), ["clause_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("consultation_windows", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_consultation_windows_clause_id"))
        batch_op.drop_index(batch_op.f("ix_consultation_windows_charter_id"))
    op.drop_table("consultation_windows")
