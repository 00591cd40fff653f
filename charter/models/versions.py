"""Numbered versions of the whole charter."""

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.base import UTCDateTime, _enum, utcnow
from charter.models.charter import Charter, ClauseRevision


class VersionStatus(enum.Enum):
    CANDIDATE = "candidate"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class CharterVersion(db.Model):
    """A numbered snapshot of the whole charter; immutable once published."""

    __tablename__ = "charter_versions"
    __table_args__ = (UniqueConstraint("charter_id", "number"),)

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
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    charter: Mapped[Charter] = relationship()
    entries: Mapped[list["VersionClause"]] = relationship(
        back_populates="version", order_by="VersionClause.position"
    )

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
