"""Accounts and roles."""

import enum
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Boolean, String
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from charter.extensions import db, login_manager
from charter.models.base import UTCDateTime, _enum, utcnow


class Role(enum.Enum):
    CITIZEN = "citizen"
    COMMITTEE = "committee"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"citizen": "Citizen", "committee": "Committee member", "admin": "Administrator"}[
            self.value
        ]


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum(Role), default=Role.CITIZEN)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_committee(self) -> bool:
        return self.role in (Role.COMMITTEE, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def role_badge(self) -> str | None:
        """Name the role shown beside everything this person writes; citizens need none."""
        return None if self.role is Role.CITIZEN else self.role.label

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password (scrypt unless the config says otherwise)."""
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """Tell whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the signed-in user for Flask-Login; inactive accounts count as signed out."""
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None
