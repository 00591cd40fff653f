"""Who may do what: named predicates shared by routes and templates."""

from flask import abort

from charter.models import User


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_manage_users(user) -> bool:
    """Admins see the accounts list and change roles."""
    return _signed_in(user) and user.is_admin


def can_change_user(user, target: User) -> bool:
    """Admins change other accounts, never their own (so no admin can lock everyone out)."""
    return can_manage_users(user) and target.id != user.id


def can_change_password(user) -> bool:
    """Any signed-in account holder may change their own password."""
    return _signed_in(user)


def require(allowed: bool) -> None:
    """Stop the request with 403 Forbidden unless allowed."""
    if not allowed:
        abort(403)


def template_permissions() -> dict:
    """Offer the predicates to every template, so pages show only what a user may do."""
    return {
        "can_manage_users": can_manage_users,
        "can_change_user": can_change_user,
        "can_change_password": can_change_password,
    }
