"""One placement row per anchored thread, shifts between wordings, indexes for paged threads

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 17:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# Keep, for each anchored thread, only its row on the wording readers see now: the clause's
# current revision or the proposal's latest text. Threads with no such row are placed by
# `flask --app wsgi charter place-comments` (and, until then, afresh on each page).
_HEAD_ROWS = """
SELECT p.id FROM comment_placements p
JOIN comments c ON c.id = p.comment_id
LEFT JOIN clauses cl ON cl.id = c.clause_id
WHERE (c.clause_id IS NOT NULL
       AND p.target = 'r' || CAST(cl.current_revision_id AS VARCHAR))
   OR (c.proposal_id IS NOT NULL
       AND p.target = 't' || CAST((SELECT pt.id FROM proposal_texts pt
                                   WHERE pt.proposal_id = c.proposal_id
                                   ORDER BY pt.number DESC LIMIT 1) AS VARCHAR))
"""


def upgrade():
    with op.batch_alter_table("comment_placements", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope", sa.String(length=20), nullable=True))
        batch_op.add_column(
            sa.Column("shown", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    op.execute(f"DELETE FROM comment_placements WHERE id NOT IN ({_HEAD_ROWS})")
    op.execute(
        "UPDATE comment_placements SET scope = (SELECT CASE WHEN c.clause_id IS NOT NULL"
        " THEN 'c' || CAST(c.clause_id AS VARCHAR) ELSE 'p' || CAST(c.proposal_id AS VARCHAR)"
        " END FROM comments c WHERE c.id = comment_placements.comment_id)"
    )
    op.execute(
        "UPDATE comment_placements SET shown = NOT EXISTS (SELECT 1 FROM comments c"
        " WHERE c.id = comment_placements.comment_id AND (c.deleted OR c.hidden))"
    )
    with op.batch_alter_table("comment_placements", schema=None) as batch_op:
        batch_op.alter_column("scope", existing_type=sa.String(length=20), nullable=False)
        batch_op.alter_column("shown", existing_type=sa.Boolean(), server_default=None)
        batch_op.drop_constraint("uq_comment_placements_comment_id", type_="unique")
        batch_op.drop_index("ix_comment_placements_comment_id")
        batch_op.create_unique_constraint(
            batch_op.f("uq_comment_placements_comment_id"), ["comment_id"]
        )
        batch_op.create_index(
            "ix_comment_placements_scope", ["scope", "status", "shown"], unique=False
        )

    op.create_table(
        "wording_shifts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scope", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=20), nullable=False),
        sa.Column("previous", sa.String(length=20), nullable=False),
        sa.Column("kept", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wording_shifts")),
        sa.UniqueConstraint("target", name=op.f("uq_wording_shifts_target")),
    )
    with op.batch_alter_table("wording_shifts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_wording_shifts_scope"), ["scope"], unique=False)

    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_clause_id")
        batch_op.drop_index("ix_comments_proposal_id")
        batch_op.drop_index("ix_comments_parent_id")
        batch_op.create_index(
            "ix_comments_clause_threads", ["clause_id", "parent_id", "created_at", "id"]
        )
        batch_op.create_index(
            "ix_comments_proposal_threads", ["proposal_id", "parent_id", "created_at", "id"]
        )
        batch_op.create_index("ix_comments_replies", ["parent_id", "created_at", "id"])


def downgrade():
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_replies")
        batch_op.drop_index("ix_comments_proposal_threads")
        batch_op.drop_index("ix_comments_clause_threads")
        batch_op.create_index("ix_comments_parent_id", ["parent_id"], unique=False)
        batch_op.create_index("ix_comments_proposal_id", ["proposal_id"], unique=False)
        batch_op.create_index("ix_comments_clause_id", ["clause_id"], unique=False)

    with op.batch_alter_table("wording_shifts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wording_shifts_scope"))
    op.drop_table("wording_shifts")

    # Rows stay on the wording they were last placed on; earlier code placed comments afresh
    # wherever a row was missing.
    with op.batch_alter_table("comment_placements", schema=None) as batch_op:
        batch_op.drop_index("ix_comment_placements_scope")
        batch_op.drop_constraint("uq_comment_placements_comment_id", type_="unique")
        batch_op.create_unique_constraint(
            "uq_comment_placements_comment_id", ["comment_id", "target"]
        )
        batch_op.create_index(
            "ix_comment_placements_comment_id", ["comment_id"], unique=False
        )
        batch_op.drop_column("shown")
        batch_op.drop_column("scope")
