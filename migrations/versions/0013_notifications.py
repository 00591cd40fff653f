"""Following clauses, proposals and threads; notifications; how each resident wants mail

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 23:43:17

Nobody follows anything yet and everyone gets the default, a daily digest. Notifications
name clauses, proposals and versions without foreign keys: they are made inside actions that
lock those rows, and a key check on a row another action holds could deadlock.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "follows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "charter",
                "clause",
                "proposal",
                "thread",
                name="followkind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_follows_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_follows")),
        sa.UniqueConstraint("user_id", "kind", "target_id", name=op.f("uq_follows_user_id")),
    )
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.create_index("ix_follows_target", ["kind", "target_id", "active"], unique=False)

    op.create_table(
        "notification_settings",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "email",
            sa.Enum("at_once", "daily", "never", name="emailchoice", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notification_settings_user_id_users")
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_settings")),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "reply",
                "answer",
                "decision",
                "outcome",
                "addressed",
                "addressed_in_version",
                "new_proposal",
                "candidate",
                "version",
                name="noticekind",
                native_enum=False,
            ),
            nullable=False,
        ),
        sa.Column("clause_id", sa.Integer(), nullable=True),
        sa.Column("proposal_id", sa.Integer(), nullable=True),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.Column("thread_id", sa.Integer(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=True),
        sa.Column("dedup_key", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("emailed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["comment_id"], ["comments.id"], name=op.f("fk_notifications_comment_id_comments")
        ),
        sa.ForeignKeyConstraint(
            ["thread_id"], ["comments.id"], name=op.f("fk_notifications_thread_id_comments")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
        sa.UniqueConstraint("user_id", "dedup_key", name=op.f("uq_notifications_user_id")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index("ix_notifications_unmailed", ["emailed_at", "user_id"], unique=False)
        batch_op.create_index("ix_notifications_unread", ["user_id", "read_at"], unique=False)


def downgrade():
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_unread")
        batch_op.drop_index("ix_notifications_unmailed")

    op.drop_table("notifications")
    op.drop_table("notification_settings")
    with op.batch_alter_table("follows", schema=None) as batch_op:
        batch_op.drop_index("ix_follows_target")

    op.drop_table("follows")
