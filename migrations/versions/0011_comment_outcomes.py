"""Outcomes on comments: open, addressed, taken into account or not taken up, and why

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 21:40:00

Every existing comment starts open.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

OUTCOME = sa.Enum(
    "open",
    "addressed",
    "taken_into_account",
    "not_taken_up",
    name="commentoutcome",
    native_enum=False,
    length=20,
)


def upgrade():
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("outcome", OUTCOME, server_default="open", nullable=False))
        batch_op.add_column(
            sa.Column("outcome_reason", sa.String(length=300), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("outcome_proposal_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("outcome_version_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("outcome_set_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("outcome_set_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_comments_outcome_proposal_id_proposals"),
            "proposals",
            ["outcome_proposal_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_comments_outcome_version_id_charter_versions"),
            "charter_versions",
            ["outcome_version_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_comments_outcome_set_by_id_users"),
            "users",
            ["outcome_set_by_id"],
            ["id"],
        )


def downgrade():
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_comments_outcome_set_by_id_users"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_comments_outcome_version_id_charter_versions"), type_="foreignkey"
        )
        batch_op.drop_constraint(
            batch_op.f("fk_comments_outcome_proposal_id_proposals"), type_="foreignkey"
        )
        batch_op.drop_column("outcome_set_at")
        batch_op.drop_column("outcome_set_by_id")
        batch_op.drop_column("outcome_version_id")
        batch_op.drop_column("outcome_proposal_id")
        batch_op.drop_column("outcome_reason")
        batch_op.drop_column("outcome")
