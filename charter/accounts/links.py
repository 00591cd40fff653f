"""Use cases that go by email: confirm an address, change it, reset a forgotten password.

Each flushes and asks for its mail; the caller commits, and the mail goes once it has.
"""

from contextlib import suppress

from flask import render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from jinja2 import TemplateNotFound

from charter import jobs, mail
from charter.accounts import tokens
from charter.accounts.operations import (
    AccountError,
    PasswordError,
    _check_email,
    find_user,
    normalise_email,
)
from charter.accounts.sessions import end_other_sessions
from charter.audit import record
from charter.extensions import db
from charter.languages import language_of
from charter.models import User
from charter.models.base import utcnow


def _can_receive_mail(user: User | None) -> bool:
    return user is not None and user.active and user.deleted_at is None


def send_verification(user: User) -> None:
    """Email the link that confirms this account's address."""
    mail.send(
        user.email,
        _("Confirm your email address"),
        "verify",
        _("you registered an account with this address, or asked for the link again"),
        name=user.display_name,
        link=url_for("accounts.verify", token=tokens.verify_token(user), _external=True),
        lasts=tokens.LIFETIME_IN_WORDS[tokens.VERIFY],
    )


def resend_verification(admin: User, user: User) -> bool:
    """Send an unverified account its link again, on an admin's word; record that it was."""
    if user.email_verified or not _can_receive_mail(user):
        return False
    send_verification(user)
    record(
        admin,
        "account.verification_resent",
        "user",
        user.id,
        f"{user.display_name}: the link to confirm their email address was sent again",
    )
    return True


def tell_owner_of_attempt(email: str, attempt) -> None:
    """Tell an address that already has an account that someone tried to use it again.

    The owner is not the person asking, so the mail is in the owner's language (or the site's),
    never in the one the asker chose; `attempt` is marked lazily so it follows.
    """
    owner = find_user(email)
    if not _can_receive_mail(owner):
        return
    with force_locale(language_of(owner)):
        mail.send(
            owner.email,
            _("Someone tried to use your email address"),
            "account_exists",
            _("someone used this address on our site, and it already belongs to an account"),
            name=owner.display_name,
            attempt=str(attempt),
            sign_in=url_for("accounts.login", _external=True),
            forgotten=url_for("accounts.forgotten", _external=True),
        )


def verify_email(user: User) -> None:
    """Mark this account's address as confirmed."""
    user.email_verified_at = utcnow()
    db.session.flush()


def request_email_change(user: User, new_email: str, password: str) -> None:
    """Check the password and the address, then email the new address a link to confirm it.

    An address that already has an account is told so by email; this account's owner sees
    the same answer as for a free address, so nobody learns who else has an account.
    """
    if not user.check_password(password):
        raise PasswordError(_("Your current password is not right."))
    _check_email(new_email)
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise AccountError(_("That is already your email address."))
    if find_user(new_email) is not None:
        tell_owner_of_attempt(new_email, _l("change the address of another account to it"))
        return
    mail.send(
        new_email,
        _("Confirm your new email address"),
        "email_change",
        _("someone asked to move their account on our site to this address"),
        name=user.display_name,
        link=url_for(
            "accounts.confirm_email",
            token=tokens.email_change_token(user, new_email),
            _external=True,
        ),
        lasts=tokens.LIFETIME_IN_WORDS[tokens.EMAIL_CHANGE],
    )


def confirm_email_change(change: tokens.EmailChange) -> str:
    """Move the account to its new, now confirmed, address; tell the old one. Return the old."""
    user, old = change.user, change.user.email
    if find_user(change.new_email) is not None:
        raise AccountError(
            _(
                "That address now belongs to another account, so it cannot be used. "
                "Your address has not changed."
            )
        )
    user.email = change.new_email
    user.email_verified_at = utcnow()
    db.session.flush()
    mail.send(
        old,
        _("Your email address was changed"),
        "email_changed",
        _("this was the email address of your account"),
        name=user.display_name,
        new_email=user.email,
        forgotten=url_for("accounts.forgotten", _external=True),
    )
    return old


def _nothing_to_send(*args) -> None:
    """Stand in for a mail that is not sent, so the request does the same work either way."""


def request_password_reset(email: str) -> None:
    """Email a reset link if the address has an account; do the same work if it has not.

    Either way a token is signed, the mail is rendered and one job is deferred, so neither
    the answer nor its timing tells whether the address is known. The mail itself goes on
    the queue, so the request never waits on the mail server.
    """
    user = find_user(email)
    known = _can_receive_mail(user)
    stand_in = user if known else User(id=0, email=normalise_email(email), password_hash="-")
    context = {
        "name": stand_in.display_name or "",
        "link": url_for("accounts.reset", token=tokens.reset_token(stand_in), _external=True),
        "lasts": tokens.LIFETIME_IN_WORDS[tokens.RESET],
    }
    if known:
        mail.send(
            user.email,
            _("Set a new password"),
            "password_reset",
            _("someone asked to reset the password of the account with this address"),
            **context,
        )
    else:
        # What mail.send renders: the text, and the HTML part if the template has one.
        context.update(site_name="", site_url="", reason="")
        render_template("mail/password_reset.txt", **context)
        with suppress(TemplateNotFound):
            render_template("mail/password_reset.html", **context)
        jobs.defer(_nothing_to_send, email)


def reset_password(user: User, password: str) -> None:
    """Set a new password, end every sign-in of the account, and confirm it by email."""
    user.set_password(password)
    if not user.email_verified:
        user.email_verified_at = utcnow()  # the link proved the address
    end_other_sessions(user)
    db.session.flush()
    send_password_changed(user)


def send_password_changed(user: User) -> None:
    """Tell the account's address that its password was changed."""
    mail.send(
        user.email,
        _("Your password was changed"),
        "password_changed",
        _("the password of your account on our site was changed"),
        name=user.display_name,
        forgotten=url_for("accounts.forgotten", _external=True),
    )
