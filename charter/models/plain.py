"""Plainer and translated wordings of a clause, each tied to the wording it was written for."""

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.accounts import User
from charter.models.base import UTCDateTime, _enum, utcnow
from charter.models.charter import Clause, ClauseRevision


class SupplementKind(enum.Enum):
    PLAIN = "plain"
    EASY_READ = "easy_read"
    TRANSLATION = "translation"


class Supplement(db.Model):
    """One wording of a clause's summary, Easy Read version or translation. Never updated:
    an edit or a review adds the next number, so every wording written is kept."""

    __tablename__ = "clause_supplements"
    __table_args__ = (UniqueConstraint("clause_id", "kind", "language", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id"), index=True)
    kind: Mapped[SupplementKind] = mapped_column(_enum(SupplementKind))
    # BCP 47 code and English name; "en" for the plain-language and Easy Read versions.
    language: Mapped[str] = mapped_column(String(20))
    language_name: Mapped[str] = mapped_column(String(60))
    number: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    # The clause wording this was written for (or last reviewed against).
    revision_id: Mapped[int] = mapped_column(ForeignKey("clause_revisions.id"))
    content_hash: Mapped[str] = mapped_column(String(64))
    # True when a member confirmed the text still fits a new wording without changing it.
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    clause: Mapped[Clause] = relationship()
    revision: Mapped[ClauseRevision] = relationship()
    author: Mapped[User | None] = relationship()

    @property
    def is_current(self) -> bool:
        """Written for (or reviewed against) the clause's wording now."""
        current = self.clause.current_revision
        return current is not None and current.content_hash == self.content_hash

    def __repr__(self) -> str:
        return f"<Supplement {self.clause_id} {self.kind.value} {self.language}#{self.number}>"
