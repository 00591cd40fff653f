"""The charter, its clauses and their immutable revisions."""

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.accounts import User
from charter.models.base import UTCDateTime, utcnow

if TYPE_CHECKING:
    from charter.models.proposals import Proposal


class Charter(db.Model):
    __tablename__ = "charters"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    preamble: Mapped[str] = mapped_column(Text, default="")
    consultation_open: Mapped[bool] = mapped_column(Boolean, default=True)
    # Ratification rule: more than quorum_percent of committee members vote, and more than
    # threshold_percent of those who take a side (approve or reject) approve.
    quorum_percent: Mapped[int] = mapped_column(Integer, default=50, server_default="50")
    threshold_percent: Mapped[int] = mapped_column(Integer, default=50, server_default="50")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    clauses: Mapped[list["Clause"]] = relationship(
        back_populates="charter", order_by="Clause.position"
    )


class Clause(db.Model):
    """A clause's identity: its key and place survive every rewording."""

    __tablename__ = "clauses"
    __table_args__ = (UniqueConstraint("charter_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int] = mapped_column(ForeignKey("charters.id"), index=True)
    key: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    # Points at the working draft; revisions themselves are append-only.
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("clause_revisions.id", use_alter=True)
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    charter: Mapped[Charter] = relationship(back_populates="clauses")
    current_revision: Mapped["ClauseRevision | None"] = relationship(
        foreign_keys=[current_revision_id], post_update=True
    )
    revisions: Mapped[list["ClauseRevision"]] = relationship(
        back_populates="clause",
        foreign_keys="ClauseRevision.clause_id",
        order_by="ClauseRevision.number",
    )

    def __repr__(self) -> str:
        return f"<Clause {self.key}>"


class ClauseRevision(db.Model):
    """One wording of a clause. Written once, never updated or deleted."""

    __tablename__ = "clause_revisions"
    __table_args__ = (UniqueConstraint("clause_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(200), default="")
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", use_alter=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    clause: Mapped[Clause] = relationship(back_populates="revisions", foreign_keys=[clause_id])
    author: Mapped[User | None] = relationship()
    proposal: Mapped["Proposal | None"] = relationship(foreign_keys=[proposal_id])

    def __repr__(self) -> str:
        return f"<ClauseRevision {self.clause_id}#{self.number}>"
