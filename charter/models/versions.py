"""Numbered versions of the whole charter."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.accounts import User
from charter.models.base import UTCDateTime, _enum, _l, labelled, utcnow
from charter.models.charter import Charter, ClauseRevision


class VersionStatus(enum.Enum):
    CANDIDATE = "candidate"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class CharterVersion(db.Model):
    """A numbered snapshot of the whole charter; immutable once published."""

    __tablename__ = "charter_versions"
    __table_args__ = (
        UniqueConstraint("charter_id", "number"),
        # At most one candidate at a time, enforced by the database itself.
        Index(
            "uq_charter_versions_one_candidate",
            "charter_id",
            unique=True,
            sqlite_where=text("status = 'candidate'"),
            postgresql_where=text("status = 'candidate'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int] = mapped_column(ForeignKey("charters.id"), index=True)
    number: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[VersionStatus] = mapped_column(_enum(VersionStatus))
    title: Mapped[str] = mapped_column(String(200))
    preamble: Mapped[str] = mapped_column(Text, default="")
    changelog: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    previous_chain_hash: Mapped[str | None] = mapped_column(String(64))
    chain_hash: Mapped[str | None] = mapped_column(String(64))
    # Which rule the chain hash follows (None: the first rule, before votes, changelog, HTML
    # and the log were covered); the later rules cover the number itself.
    seal_scheme: Mapped[int | None] = mapped_column(Integer)
    # The transparency log's head when the version was sealed.
    log_head: Mapped[str | None] = mapped_column(String(64))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Two members publishing or withdrawing at once: the second finds the row changed.
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    __mapper_args__ = {"version_id_col": lock_version}

    charter: Mapped[Charter] = relationship()
    opened_by: Mapped[User | None] = relationship(foreign_keys=[opened_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])
    entries: Mapped[list["VersionClause"]] = relationship(
        back_populates="version", order_by="VersionClause.position"
    )
    votes: Mapped[list["Vote"]] = relationship(back_populates="version", order_by="Vote.id")

    @property
    def is_candidate(self) -> bool:
        return self.status is VersionStatus.CANDIDATE

    @property
    def is_published(self) -> bool:
        return self.status is VersionStatus.PUBLISHED

    def __repr__(self) -> str:
        return f"<CharterVersion {self.number} {self.status.value}>"


class VersionClause(db.Model):
    """Which clause revision stands at which place in a version."""

    __tablename__ = "version_clauses"
    __table_args__ = (UniqueConstraint("version_id", "revision_id"),)

    version_id: Mapped[int] = mapped_column(ForeignKey("charter_versions.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("clause_revisions.id"), index=True)

    version: Mapped[CharterVersion] = relationship(back_populates="entries")
    revision: Mapped[ClauseRevision] = relationship()


@labelled({"approve": _l("Approve"), "reject": _l("Reject"), "abstain": _l("Abstain")})
class VoteChoice(enum.Enum):
    APPROVE = "approve"
    REJECT = "reject"
    ABSTAIN = "abstain"


class Vote(db.Model):
    """One committee member's vote on a candidate; changeable until the vote closes."""

    __tablename__ = "votes"
    __table_args__ = (UniqueConstraint("version_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("charter_versions.id"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    choice: Mapped[VoteChoice] = mapped_column(_enum(VoteChoice))
    note: Mapped[str] = mapped_column(Text, default="")
    # The member's name as sealed with the version: a later rename does not alter the record.
    member_name: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    version: Mapped[CharterVersion] = relationship(back_populates="votes")
    member: Mapped[User] = relationship()

    @property
    def counts(self) -> bool:
        """Tell whether the voter is still an active committee member, so the tally counts it."""
        return self.member.may_vote

    @property
    def voter_name(self) -> str:
        """Name the voter as sealed, or as now while the vote is open."""
        return self.member_name if self.member_name is not None else self.member.display_name
