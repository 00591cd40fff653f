"""Accounts and roles."""

import enum
import hashlib
from datetime import datetime

from flask import current_app, has_request_context, request
from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from charter.extensions import db, login_manager
from charter.models.base import UTCDateTime, _enum, _l, labelled, utcnow


@labelled(
    {
        "citizen": _l("Citizen"),
        "committee": _l("Committee member"),
        "admin": _l("Administrator"),
    }
)
class Role(enum.Enum):
    CITIZEN = "citizen"
    COMMITTEE = "committee"
    ADMIN = "admin"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum(Role), default=Role.CITIZEN)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Until the address is verified a resident may read and draft, but not take part.
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A deleted account keeps its row, emptied, so the public record it took part in holds.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The language chosen for the site's own words, so mail can follow; None: the site's own.
    language: Mapped[str | None] = mapped_column(String(16))
    sessions: Mapped[list["UserSession"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True
    )

    # The sign-in this object was loaded through (set by the loader or at sign-in), so that
    # Flask-Login's id names one revocable session rather than the account.
    session_token = None

    def get_id(self) -> str | None:
        """Name the signed-in session, not the account: revoking it ends every copy of it."""
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_committee(self) -> bool:
        return self.role in (Role.COMMITTEE, Role.ADMIN)

    @hybrid_property
    def may_vote(self) -> bool:
        """Tell whether this account's votes count now: an active committee member or admin."""
        return self.active and self.is_committee

    @may_vote.inplace.expression
    @classmethod
    def _may_vote_expression(cls):
        return db.and_(cls.active.is_(True), cls.role.in_([Role.COMMITTEE, Role.ADMIN]))

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def role_badge(self) -> str | None:
        """Name the role shown beside everything this person writes; citizens need none.

        Nor do people who left: "A former participant" stands for no one in particular.
        """
        return None if self.role is Role.CITIZEN or self.deleted_at else self.role.label

    @property
    def public_role(self) -> str | None:
        """The role the API gives beside this person's words; none for someone who left."""
        return None if self.deleted_at else self.role.value

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password (scrypt unless the config says otherwise)."""
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """Tell whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


def token_digest(token: str) -> str:
    """Hash a session token: the database keeps only digests, so a copy of it opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


class UserSession(db.Model):
    """One sign-in on one device: its cookies work while this row lives and has not expired."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_digest: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    user: Mapped[User] = relationship(back_populates="sessions")


# Requests that only read; every other request may write in its account's name.
_READING = frozenset({"GET", "HEAD", "OPTIONS"})


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    """Return the user of a live sign-in; revoked, expired or deactivated ones are signed out.

    A request that may write holds its account's row until it commits (FOR NO KEY UPDATE,
    on PostgreSQL): deleting the account from another device waits for it, then erases what
    it wrote in the person's name; a write that comes after the deletion finds no account.
    """
    found = db.session.scalar(
        db.select(UserSession).filter_by(token_digest=token_digest(session_token))
    )
    if found is None or found.expires_at <= utcnow():
        return None
    user = found.user
    if has_request_context() and request.method not in _READING:
        user = db.session.scalar(
            db.select(User)
            .filter_by(id=found.user_id)
            .with_for_update(key_share=True)
            .execution_options(populate_existing=True)
        )
    if not user.active:
        return None
    user.session_token = session_token
    return user
