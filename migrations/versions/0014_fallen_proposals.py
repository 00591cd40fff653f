"""Fallen proposals, amendments to proposals, and residents' preferences among competing ones

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05 00:00:00

The status column is a plain string, so "fallen" needs no type change: only the link to
the accepted proposal that made a proposal fall, an amendment's parent, the parent's text
an amendment became once taken in, and a proposal's place in its set's voting list. Preferences are new. proposal_texts is append-only and
is not touched.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fell_to_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_proposals_fell_to_id_proposals"), "proposals", ["fell_to_id"], ["id"]
        )
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_proposals_parent_id_proposals"), "proposals", ["parent_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_proposals_parent_id"), ["parent_id"])
        batch_op.add_column(sa.Column("vote_order", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("taken_into_text_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_proposals_taken_into_text_id_proposal_texts"),
            "proposal_texts",
            ["taken_into_text_id"],
            ["id"],
        )
    op.create_table(
        "preferences",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["proposal_id"], ["proposals.id"], name=op.f("fk_preferences_proposal_id_proposals")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_preferences_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_preferences")),
        sa.UniqueConstraint("proposal_id", "user_id", name=op.f("uq_preferences_proposal_id")),
    )
    with op.batch_alter_table("preferences", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_preferences_proposal_id"), ["proposal_id"])
        batch_op.create_index(batch_op.f("ix_preferences_user_id"), ["user_id"])


def downgrade():
    op.drop_table("preferences")
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_proposals_taken_into_text_id_proposal_texts"), type_="foreignkey"
        )
        batch_op.drop_column("taken_into_text_id")
        batch_op.drop_column("vote_order")
        batch_op.drop_index(batch_op.f("ix_proposals_parent_id"))
        batch_op.drop_constraint(batch_op.f("fk_proposals_parent_id_proposals"), type_="foreignkey")
        batch_op.drop_column("parent_id")
        batch_op.drop_constraint(batch_op.f("fk_proposals_fell_to_id_proposals"), type_="foreignkey")
        batch_op.drop_column("fell_to_id")
