"""Fallen proposals: made impossible by another that was accepted

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-05 00:00:00

The status column is a plain string, so "fallen" needs no type change: only the link to
the accepted proposal that made a proposal fall.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0014"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fell_to_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_proposals_fell_to_id_proposals"), "proposals", ["fell_to_id"], ["id"]
        )


def downgrade():
    with op.batch_alter_table("proposals", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_proposals_fell_to_id_proposals"), type_="foreignkey")
        batch_op.drop_column("fell_to_id")
