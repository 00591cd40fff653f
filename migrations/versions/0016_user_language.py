"""The language each resident chose for the site, so mail reaches them in it too

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 00:00:00

One nullable column: no choice means the site's own language (or the browser's, on the site).
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("language", sa.String(length=16), nullable=True))


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("language")
