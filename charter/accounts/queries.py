"""Find accounts."""

from charter.extensions import db
from charter.models import User


def accounts_query():
    """Build the select for every account, by role, then name."""
    return db.select(User).order_by(User.role, User.display_name, User.id)


def account_counts() -> dict[str, int]:
    """Count every account, those whose address is unconfirmed, and those deleted."""
    deleted = User.deleted_at.is_not(None)
    row = db.session.execute(
        db.select(
            db.func.count(User.id),
            db.func.count(User.id).filter(User.email_verified_at.is_(None), ~deleted),
            db.func.count(User.id).filter(deleted),
        )
    ).one()
    return {"all": row[0], "unverified": row[1], "deleted": row[2]}
