"""Account use cases: create, authenticate, change password, change role."""

from functools import cache

from charter.audit import record
from charter.extensions import db
from charter.models import Role, User


class AccountError(ValueError):
    """An account operation that cannot go ahead, with a message fit to show."""


def normalise_email(email: str) -> str:
    """Return an email address in the one form we store and compare."""
    return email.strip().lower()


def find_user(email: str) -> User | None:
    """Return the account with this email address, if there is one."""
    return db.session.scalar(db.select(User).filter_by(email=normalise_email(email)))


def create_user(email: str, display_name: str, password: str, role: Role = Role.CITIZEN) -> User:
    """Create an account; raise AccountError if the email is taken."""
    if find_user(email) is not None:
        raise AccountError("An account with this email address already exists.")
    user = User(email=normalise_email(email), display_name=display_name.strip(), role=role)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def register_citizen(email: str, display_name: str, password: str) -> User | None:
    """Create a citizen account if the email is new; take as long either way, and say nothing."""
    if find_user(email) is not None:
        # Hash the password regardless: skipping the slow hash would tell who has an account.
        User().set_password(password)
        return None
    return create_user(email, display_name, password)


def authenticate(email: str, password: str) -> User | None:
    """Return the active account these credentials open, or None."""
    user = find_user(email)
    if user is None:
        # Check a password anyway, so the response time does not tell which emails exist.
        _decoy_user().check_password(password)
        return None
    if not user.check_password(password) or not user.active:
        return None
    return user


@cache
def _decoy_user() -> User:
    decoy = User()
    decoy.set_password("a decoy password that no account has")
    return decoy


def change_password(user: User, current: str, new: str) -> None:
    """Change a password after checking the current one."""
    if not user.check_password(current):
        raise AccountError("Your current password is not right.")
    user.set_password(new)
    db.session.flush()


def update_account(admin: User, user: User, role: Role, active: bool) -> list[str]:
    """Change an account's role and whether it may sign in; record each change."""
    changes = []
    if user.role is not role:
        changes.append(f"role changed from {user.role.label} to {role.label}")
        user.role = role
    if user.active != active:
        changes.append("account reactivated" if active else "account deactivated")
        user.active = active
    for change in changes:
        record(admin, "account.updated", "user", user.id, f"{user.display_name}: {change}")
    db.session.flush()
    return changes
