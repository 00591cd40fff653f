"""Sign-ins as rows: each device's session can be ended, and all of an account's at once."""

import secrets
from datetime import timedelta

from flask import current_app

from charter.extensions import db
from charter.models import User, UserSession, utcnow
from charter.models.accounts import token_digest


def start_session(user: User, remember: bool) -> str:
    """Record a new sign-in for this user and return its token, to be named in its cookies."""
    now = utcnow()
    # Expired sign-ins open nothing; clear this account's, so the table stays small.
    db.session.execute(
        db.delete(UserSession).where(UserSession.user_id == user.id, UserSession.expires_at <= now)
    )
    setting = "REMEMBER_COOKIE_DURATION" if remember else "SIGN_IN_DURATION"
    lifetime: timedelta = current_app.config[setting]
    token = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            user=user,
            token_digest=token_digest(token),
            remember=remember,
            expires_at=now + lifetime,
        )
    )
    db.session.flush()
    user.session_token = token
    return token


def end_session(token: str | None) -> None:
    """End one sign-in: its session cookie and remember-me cookie, and every copy, stop working."""
    if token:
        db.session.execute(db.delete(UserSession).filter_by(token_digest=token_digest(token)))
        db.session.flush()


def end_other_sessions(user: User, keep: str | None = None) -> int:
    """End every sign-in of this account but the one named by keep; return how many ended."""
    query = db.delete(UserSession).where(UserSession.user_id == user.id)
    if keep:
        query = query.where(UserSession.token_digest != token_digest(keep))
    ended = db.session.execute(query).rowcount
    db.session.flush()
    return ended


def live_session_count(user: User) -> int:
    """Count the devices and browsers where this account is signed in now."""
    return db.session.scalar(
        db.select(db.func.count(UserSession.id)).where(
            UserSession.user_id == user.id, UserSession.expires_at > utcnow()
        )
    )
