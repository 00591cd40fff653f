"""Comments on the exact words of a clause or a proposal, their placements and reports."""

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.accounts import User
from charter.models.base import UTCDateTime, _enum, _l, labelled, utcnow
from charter.models.charter import Clause, ClauseRevision
from charter.models.proposals import Proposal, ProposalText
from charter.models.versions import CharterVersion


@labelled(
    {
        "comment": _l("Comment"),
        "question": _l("Question"),
        "answer": _l("Official answer"),
    }
)
class CommentKind(enum.Enum):
    COMMENT = "comment"
    QUESTION = "question"
    ANSWER = "answer"  # an official answer from the committee


@labelled(
    {
        "open": _l("Open"),
        "addressed": _l("Addressed"),
        "taken_into_account": _l("Taken into account"),
        "not_taken_up": _l("Not taken up"),
    }
)
class CommentOutcome(enum.Enum):
    """Where a comment on words stands: what became of what it raised."""

    OPEN = "open"
    ADDRESSED = "addressed"  # an accepted proposal changed its words, or the committee says so
    TAKEN_INTO_ACCOUNT = "taken_into_account"
    NOT_TAKEN_UP = "not_taken_up"


class Comment(db.Model):
    """A comment on a clause wording or a proposal text, whole or on a passage of it."""

    __tablename__ = "comments"
    # A page of threads, newest first, and a page of a thread's replies, read off one index each.
    __table_args__ = (
        Index("ix_comments_clause_threads", "clause_id", "parent_id", "created_at", "id"),
        Index("ix_comments_proposal_threads", "proposal_id", "parent_id", "created_at", "id"),
        Index("ix_comments_replies", "parent_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What it is about: a clause (at one of its revisions) or a proposal (at one of its texts).
    clause_id: Mapped[int | None] = mapped_column(ForeignKey("clauses.id"))
    revision_id: Mapped[int | None] = mapped_column(ForeignKey("clause_revisions.id"))
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"))
    proposal_text_id: Mapped[int | None] = mapped_column(ForeignKey("proposal_texts.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id"))
    # The passage, as a W3C text-quote selector plus positions in the plain text (code points).
    exact: Mapped[str | None] = mapped_column(Text)
    prefix: Mapped[str | None] = mapped_column(String(64))
    suffix: Mapped[str | None] = mapped_column(String(64))
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    kind: Mapped[CommentKind] = mapped_column(_enum(CommentKind), default=CommentKind.COMMENT)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_reason: Mapped[str] = mapped_column(String(300), default="")
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # What became of it (threads of kind comment only): see charter/comments/outcomes.py.
    outcome: Mapped[CommentOutcome] = mapped_column(
        _enum(CommentOutcome), default=CommentOutcome.OPEN, server_default="open"
    )
    outcome_reason: Mapped[str] = mapped_column(String(300), default="", server_default="")
    outcome_proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"))
    # The published version in which the change that addressed it took effect.
    outcome_version_id: Mapped[int | None] = mapped_column(ForeignKey("charter_versions.id"))
    outcome_set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    outcome_set_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    hidden_by: Mapped[User | None] = relationship(foreign_keys=[hidden_by_id])
    clause: Mapped[Clause | None] = relationship()
    revision: Mapped[ClauseRevision | None] = relationship()
    proposal: Mapped[Proposal | None] = relationship(foreign_keys=[proposal_id])
    proposal_text: Mapped[ProposalText | None] = relationship()
    outcome_proposal: Mapped[Proposal | None] = relationship(foreign_keys=[outcome_proposal_id])
    outcome_version: Mapped[CharterVersion | None] = relationship()
    outcome_set_by: Mapped[User | None] = relationship(foreign_keys=[outcome_set_by_id])
    parent: Mapped["Comment | None"] = relationship(remote_side=[id], back_populates="replies")
    replies: Mapped[list["Comment"]] = relationship(
        back_populates="parent", order_by="Comment.created_at"
    )

    @property
    def is_anchored(self) -> bool:
        return self.exact is not None

    @property
    def source_key(self) -> str:
        """Name the wording the comment was made on: a clause revision or a proposal text."""
        return f"r{self.revision_id}" if self.revision_id else f"t{self.proposal_text_id}"

    def __repr__(self) -> str:
        return f"<Comment {self.id}>"


class CommentPlacement(db.Model):
    """Where an anchored thread sits: a position on the wording `target`, which every later
    change of its clause or proposal has left untouched (see charter/comments/placing.py).

    One row per thread, whatever the number of wordings since: a change moves only the rows
    whose passage it touched, and the rest are read through the shifts between wordings.
    """

    __tablename__ = "comment_placements"
    __table_args__ = (Index("ix_comment_placements_scope", "scope", "status", "shown"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), unique=True)
    scope: Mapped[str] = mapped_column(String(20))  # "c<clause id>" or "p<proposal id>"
    target: Mapped[str] = mapped_column(String(20))  # "r<revision id>" or "t<proposal text id>"
    status: Mapped[str] = mapped_column(String(10))  # exact, fuzzy or orphaned
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    # False while the comment is deleted or hidden, so its words are not highlighted.
    shown: Mapped[bool] = mapped_column(Boolean, default=True)


class WordingShift(db.Model):
    """The stretches a new wording kept from the one before it, as charter/text/shifting
    computes them: written once, when the wording is made."""

    __tablename__ = "wording_shifts"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(20), index=True)
    target: Mapped[str] = mapped_column(String(20), unique=True)
    previous: Mapped[str] = mapped_column(String(20))
    kept: Mapped[list] = mapped_column(JSON)


class ReportStatus(enum.Enum):
    OPEN = "open"
    DISMISSED = "dismissed"
    ACTIONED = "actioned"


class CommentReport(db.Model):
    """Someone asking the moderators to look at a comment."""

    __tablename__ = "comment_reports"
    __table_args__ = (UniqueConstraint("comment_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("comments.id"), index=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    reason: Mapped[str] = mapped_column(String(500))
    status: Mapped[ReportStatus] = mapped_column(
        _enum(ReportStatus), default=ReportStatus.OPEN, index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    comment: Mapped[Comment] = relationship()
    reporter: Mapped[User] = relationship(foreign_keys=[reporter_id])
