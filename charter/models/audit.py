"""The audit log behind the public transparency page."""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Boolean, ForeignKey, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.accounts import User
from charter.models.base import UTCDateTime, utcnow

# What pages call someone who deleted their account, in their place. Not translated: it is
# stored as the account's name and compared with summaries in the sealed log.
FORMER_PARTICIPANT = "A former participant"


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
    # The rule the entry's hash follows (charter.text.hashing). Rule 1 (entries written before
    # migration 0010) seals actor_name itself, so those names can never be erased. Rule 2
    # leaves actor_name NULL and seals actor_digest, sha256(salt || name); the name and salt
    # live in audit_names, which deleting an account erases.
    scheme: Mapped[int] = mapped_column(Integer, server_default=text("1"))
    # The name shown, as it was then: renaming an account later does not rewrite the log.
    actor_name: Mapped[str | None] = mapped_column(String(80))
    actor_digest: Mapped[str | None] = mapped_column(String(64))
    # Each event's hash covers its fields and the hash of the event before (by id), so an
    # edited, inserted or deleted entry breaks the chain.
    previous_hash: Mapped[str | None] = mapped_column(String(64))
    hash: Mapped[str | None] = mapped_column(String(64))

    actor: Mapped[User | None] = relationship()
    # Loaded with each page of events: the transparency page shows every name.
    name_entry: Mapped["AuditName | None"] = relationship(
        back_populates="event", lazy="selectin", passive_deletes=True
    )

    @property
    def recorded_name(self) -> str | None:
        """The actor's name as the entry recorded it, if it is still held."""
        if self.scheme == 1:
            return self.actor_name
        return self.name_entry.actor_name if self.name_entry is not None else None

    @property
    def name_erased(self) -> bool:
        """True when a rule-2 entry's name was erased (its account was deleted)."""
        return self.actor_digest is not None and self.name_entry is None

    @property
    def shown_actor(self) -> str:
        """Name who acted, as the log recorded it."""
        if self.recorded_name is not None:
            return self.recorded_name
        if self.name_erased:
            return FORMER_PARTICIPANT
        return self.actor.display_name if self.actor else _("The system")


class AuditName(db.Model):
    """The name a rule-2 log entry was written under, with the salt of its sealed digest.

    Kept apart from the append-only log so it can be erased when the account is deleted: the
    entry seals only sha256(salt || name), and goes on verifying without either.
    """

    __tablename__ = "audit_names"

    event_id: Mapped[int] = mapped_column(ForeignKey("audit_events.id"), primary_key=True)
    actor_name: Mapped[str] = mapped_column(String(80))
    salt: Mapped[str] = mapped_column(String(32))

    event: Mapped[AuditEvent] = relationship(back_populates="name_entry")


class AuditLogHead(db.Model):
    """The one row holding the newest event's hash: locking it serialises appends to the log."""

    __tablename__ = "audit_log_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    hash: Mapped[str | None] = mapped_column(String(64))
