"""Find accounts."""

from charter.extensions import db
from charter.models import User


def accounts_query():
    """Build the select for every account, by role, then name."""
    return db.select(User).order_by(User.role, User.display_name, User.id)
