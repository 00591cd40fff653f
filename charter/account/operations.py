"""Use cases on your own account: rename it, and delete it."""

from flask_babel import gettext as _

from charter import mail
from charter.accounts.operations import AccountError, check_display_name
from charter.accounts.sessions import end_other_sessions
from charter.audit import FORMER_PARTICIPANT, erase_names, record
from charter.extensions import db
from charter.models import Follow, Notification, NotificationSetting, User, utcnow

# Not a hash any password can match: werkzeug reads "method$salt$hash" and refuses the rest.
UNUSABLE_PASSWORD = "!account deleted"


def change_display_name(user: User, name: str) -> str:
    """Change the name shown next to what this person writes; return it as it will be shown."""
    name = check_display_name(name, user.role, user)
    user.display_name = name
    db.session.flush()
    return name


def placeholder_email(user: User) -> str:
    """Return the address a deleted account keeps: unique, and undeliverable (RFC 2606)."""
    return f"deleted-{user.id}@invalid"


def delete_account(user: User, password: str) -> None:
    """Erase an account's email, name and sign-ins; what it contributed stays, unnamed.

    The goodbye mail is asked for before the address is erased (it goes once this commits).
    Sealed records are not touched: see README, "Your data", for what stays and why.
    """
    if user.deleted_at is not None:
        raise AccountError(_("This account has already been deleted."))
    if not user.check_password(password):
        raise AccountError(_("That is not your password. Nothing has been deleted."))
    mail.send(
        user.email,
        _("Your account has been deleted"),
        "goodbye",
        _("you asked us to delete your account. This is the last email we will send you"),
        name=user.display_name,
        committee=user.is_committee,
    )
    end_other_sessions(user)
    # What they followed and were told is about them alone: it goes. Their preferences
    # among competing proposals are counted publicly, like supports, and stay.
    for model in (Follow, Notification, NotificationSetting):
        db.session.execute(db.delete(model).where(model.user_id == user.id))
    user.display_name = FORMER_PARTICIPANT
    user.language = None
    user.email = placeholder_email(user)
    user.password_hash = UNUSABLE_PASSWORD
    user.active = False
    user.email_verified_at = None
    user.deleted_at = utcnow()
    # Their name behind every log entry since migration 0010 goes; older entries sealed the
    # name itself into published versions, so those keep it (pages show "A former participant").
    erase_names(user)
    # The log records that it happened, never who it was: the name is already erased here.
    record(
        user,
        "account.deleted",
        "user",
        user.id,
        "An account was deleted at its holder's request; the log shows them as "
        f"“{FORMER_PARTICIPANT}”.",
    )
    db.session.flush()
