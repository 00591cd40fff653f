"""Plain-language summaries, Easy Read versions and translations of clauses

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 00:00:00

One new table, append-only like clause revisions; each row is one wording of a clause's summary, Easy Read version or
translation, tied to the content hash of the clause wording it was written for.
"""

import sqlalchemy as sa
from alembic import op

from charter.models.append_only import create_triggers, drop_triggers

# revision identifiers, used by Alembic.
revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "clause_supplements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clause_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "plain",
                "easy_read",
                "translation",
                name="supplementkind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("language", sa.String(length=20), nullable=False),
        sa.Column("language_name", sa.String(length=60), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("heading", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("reviewed", sa.Boolean(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_clause_supplements_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["clause_id"], ["clauses.id"], name=op.f("fk_clause_supplements_clause_id_clauses")
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["clause_revisions.id"],
            name=op.f("fk_clause_supplements_revision_id_clause_revisions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clause_supplements")),
        sa.UniqueConstraint(
            "clause_id", "kind", "language", "number", name=op.f("uq_clause_supplements_clause_id")
        ),
    )
    with op.batch_alter_table("clause_supplements", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_clause_supplements_clause_id"), ["clause_id"])
    # No wording is lost: the database refuses to rewrite or remove one.
    create_triggers(op.get_bind(), {"clause_supplements"})


def downgrade():
    drop_triggers(op.get_bind(), {"clause_supplements"})
    with op.batch_alter_table("clause_supplements", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_clause_supplements_clause_id"))
    op.drop_table("clause_supplements")
