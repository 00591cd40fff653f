"""Following clauses, proposals and threads, the notices residents get, and how they want mail."""

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.accounts import User
from charter.models.base import UTCDateTime, _enum, _l, labelled, utcnow
from charter.models.charter import Clause
from charter.models.comments import Comment
from charter.models.proposals import Proposal
from charter.models.versions import CharterVersion


class FollowKind(enum.Enum):
    """What can be followed; the follow's target_id is the id of one of these."""

    CHARTER = "charter"  # the whole charter: candidates and published versions
    CLAUSE = "clause"
    PROPOSAL = "proposal"
    THREAD = "thread"  # a comment or question and its replies


class Follow(db.Model):
    """One resident following one thing. Stopping keeps the row, inactive, so writing there
    again does not quietly follow it again."""

    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("user_id", "kind", "target_id"),
        # Fan-out reads every active follower of one thing off this index.
        Index("ix_follows_target", "kind", "target_id", "active"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[FollowKind] = mapped_column(_enum(FollowKind))
    target_id: Mapped[int] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class NoticeKind(enum.Enum):
    REPLY = "reply"
    ANSWER = "answer"
    DECISION = "decision"  # a proposal accepted, rejected or withdrawn
    OUTCOME = "outcome"  # the committee said what became of a comment
    ADDRESSED = "addressed"  # an accepted proposal changed a comment's words
    ADDRESSED_IN_VERSION = "addressed_in_version"
    NEW_PROPOSAL = "new_proposal"
    CANDIDATE = "candidate"
    VERSION = "version"


class Notification(db.Model):
    """Something one resident is told about, once: `dedup_key` names the event."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "dedup_key"),
        Index("ix_notifications_unread", "user_id", "read_at"),
        Index("ix_notifications_unmailed", "emailed_at", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[NoticeKind] = mapped_column(_enum(NoticeKind))
    # The clause it belongs under, for grouping; none for the whole charter or a new clause.
    # No foreign keys to clauses, proposals or versions: a notice is made inside the action
    # that locks those rows (FOR UPDATE), and a key check on a row another action holds would
    # make two decisions on one clause deadlock. Those rows are never deleted.
    clause_id: Mapped[int | None] = mapped_column(Integer)
    proposal_id: Mapped[int | None] = mapped_column(Integer)
    # The comment it is about (a reply, an answer, a comment given an outcome) and its thread.
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"))
    version_id: Mapped[int | None] = mapped_column(Integer)
    dedup_key: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
    clause: Mapped[Clause | None] = relationship(
        primaryjoin="foreign(Notification.clause_id) == Clause.id"
    )
    proposal: Mapped[Proposal | None] = relationship(
        primaryjoin="foreign(Notification.proposal_id) == Proposal.id"
    )
    comment: Mapped[Comment | None] = relationship(foreign_keys=[comment_id])
    thread: Mapped[Comment | None] = relationship(foreign_keys=[thread_id])
    version: Mapped[CharterVersion | None] = relationship(
        primaryjoin="foreign(Notification.version_id) == CharterVersion.id"
    )


@labelled(
    {
        "at_once": _l("At once, one email for each"),
        "daily": _l("Once a day, in one email (a digest)"),
        "never": _l("Never: I will look on the site"),
    }
)
class EmailChoice(enum.Enum):
    AT_ONCE = "at_once"
    DAILY = "daily"
    NEVER = "never"


class NotificationSetting(db.Model):
    """How a resident wants notices by email; no row means the default, a daily digest."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    email: Mapped[EmailChoice] = mapped_column(_enum(EmailChoice), default=EmailChoice.DAILY)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
