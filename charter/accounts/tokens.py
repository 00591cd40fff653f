"""Links sent by email: signed, time-limited, and each bound to what makes it single use.

No table holds them. Each carries the account's id and a keyed digest of the state it was
made for (the address, and for a reset the password hash); once that state changes, as using
the link changes it, the link opens nothing. The digest keeps the address and anything about
the password out of a link that may end up in a log. Nobody, admins included, can read a
link back.
"""

import hashlib
import hmac
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from charter.extensions import db
from charter.models import User

VERIFY, RESET, EMAIL_CHANGE = "verify-email", "reset-password", "change-email"

LIFETIME = {
    VERIFY: timedelta(days=3),
    RESET: timedelta(hours=1),
    EMAIL_CHANGE: timedelta(days=1),
}

# Said in the mails, so the lifetimes above are the only place to change them.
LIFETIME_IN_WORDS = {VERIFY: _l("3 days"), RESET: _l("1 hour"), EMAIL_CHANGE: _l("1 day")}


class LinkRefused(Exception):
    """A link that opens nothing; `reason` is expired, broken or used."""

    def __init__(self, reason: str, purpose: str):
        super().__init__(reason)
        self.reason = reason
        self.purpose = purpose


@dataclass
class EmailChange:
    user: User
    new_email: str


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"charter.{purpose}")


def _state(purpose: str, *parts: str) -> str:
    """A keyed digest of what a link was made for: it changes when any part does."""
    key = current_app.config["SECRET_KEY"].encode()
    message = "\x1f".join((purpose, *parts)).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def _same(given, expected: str) -> bool:
    return isinstance(given, str) and hmac.compare_digest(given, expected)


def _dump(purpose: str, payload: dict) -> str:
    return _serializer(purpose).dumps(payload)


def _load(purpose: str, token: str) -> tuple[dict, User]:
    """Check the signature and age, then find the account; raise LinkRefused otherwise."""
    max_age = int(LIFETIME[purpose].total_seconds())
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise LinkRefused("expired", purpose) from None
    except BadSignature:
        raise LinkRefused("broken", purpose) from None
    if not isinstance(payload, dict):
        raise LinkRefused("broken", purpose)
    user = db.session.get(User, payload.get("u"))
    if user is None or user.deleted_at is not None:
        raise LinkRefused("used", purpose)
    return payload, user


def verify_token(user: User) -> str:
    """Make the link that confirms this account's current address."""
    return _dump(VERIFY, {"u": user.id, "s": _state(VERIFY, user.email)})


def check_verify_token(token: str) -> User:
    """Return the account to mark verified; refuse if it is already, or the address changed."""
    payload, user = _load(VERIFY, token)
    if user.email_verified or not _same(payload.get("s"), _state(VERIFY, user.email)):
        raise LinkRefused("used", VERIFY)
    return user


def reset_token(user: User) -> str:
    """Make the link that sets a new password; it dies once the password changes."""
    return _dump(RESET, {"u": user.id, "s": _state(RESET, user.email, user.password_hash)})


def check_reset_token(token: str) -> User:
    """Return the account whose password this link may set; refuse a used or stale one."""
    payload, user = _load(RESET, token)
    if not _same(payload.get("s"), _state(RESET, user.email, user.password_hash)):
        raise LinkRefused("used", RESET)
    return user


def email_change_token(user: User, new_email: str) -> str:
    """Make the link, sent to the new address, that moves the account to it."""
    return _dump(
        EMAIL_CHANGE, {"u": user.id, "new": new_email, "s": _state(EMAIL_CHANGE, user.email)}
    )


def check_email_change_token(token: str) -> EmailChange:
    """Return the change this link confirms; refuse it once the address has changed."""
    payload, user = _load(EMAIL_CHANGE, token)
    stale = not _same(payload.get("s"), _state(EMAIL_CHANGE, user.email))
    if stale or not isinstance(payload.get("new"), str) or not payload["new"]:
        raise LinkRefused("used", EMAIL_CHANGE)
    return EmailChange(user, payload["new"])
