"""The audit log behind the public transparency page."""

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.accounts import User
from charter.models.base import UTCDateTime, utcnow


class AuditEvent(db.Model):
    """Who did what to which object, and when; public events form the transparency log."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(String(500))
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # The name shown, as it was then: renaming an account later does not rewrite the log.
    actor_name: Mapped[str | None] = mapped_column(String(80))
    # Each event's hash covers its fields and the hash of the event before (by id), so an
    # edited, inserted or deleted entry breaks the chain.
    previous_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()

    @property
    def shown_actor(self) -> str:
        """Name who acted, as the log recorded it."""
        if self.actor_name is not None:
            return self.actor_name
        return self.actor.display_name if self.actor else "The system"


class AuditLogHead(db.Model):
    """The one row holding the newest event's hash: locking it serialises appends to the log."""

    __tablename__ = "audit_log_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    hash: Mapped[str | None] = mapped_column(String(64))
