"""Full-text search over clause wordings, proposals and comments

PostgreSQL: stored tsvector columns (english) with GIN indexes. SQLite: FTS5 tables kept in step by triggers.
The definitions live in charter/models/search_index.py, which `db.create_all()` uses too.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 18:00:00

"""

from alembic import op

from charter.models.search_index import create_search_index, drop_search_index

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    create_search_index(op.get_bind())


def downgrade():
    drop_search_index(op.get_bind())
