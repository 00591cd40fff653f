"""Consultation windows: when residents may comment and propose on the draft or one clause."""

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.accounts import User
from charter.models.base import UTCDateTime, utcnow
from charter.models.charter import Charter, Clause


class ConsultationWindow(db.Model):
    """A period in which the whole working draft (no clause) or one clause is open for comment."""

    __tablename__ = "consultation_windows"

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int] = mapped_column(ForeignKey("charters.id"), index=True)
    clause_id: Mapped[int | None] = mapped_column(ForeignKey("clauses.id"), index=True)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    note: Mapped[str] = mapped_column(String(300), default="", server_default="")
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_early_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    charter: Mapped[Charter] = relationship()
    clause: Mapped[Clause | None] = relationship()
    opened_by: Mapped[User | None] = relationship()

    @property
    def ends_at(self) -> datetime:
        """When residents could last take part: the deadline, or the moment it was closed."""
        return self.closed_early_at or self.closes_at

    def is_open_at(self, now: datetime) -> bool:
        return self.opens_at <= now < self.ends_at
