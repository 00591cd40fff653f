"""Reading your own account's records."""

from charter.extensions import db
from charter.models import User, UserSession, utcnow
from charter.models.accounts import token_digest


def live_sessions(user: User) -> list[tuple[UserSession, bool]]:
    """List this account's live sign-ins, newest first, each saying whether it is this one."""
    mine = token_digest(user.get_id()) if user.get_id() else None
    rows = db.session.scalars(
        db.select(UserSession)
        .where(UserSession.user_id == user.id, UserSession.expires_at > utcnow())
        .order_by(UserSession.created_at.desc(), UserSession.id.desc())
    )
    return [(row, row.token_digest == mine) for row in rows]
