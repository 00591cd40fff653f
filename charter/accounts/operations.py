"""Account use cases: create, authenticate, change password, change role."""

from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from charter.audit import FORMER_PARTICIPANT, account_summary, record
from charter.extensions import db
from charter.languages import DEFAULT_LANGUAGE
from charter.models import Role, User
from charter.models.base import utcnow
from charter.text.names import claimed_role, clean_name, skeleton

# The columns' sizes (email 254, display name 80) and the password rule the forms state.
EMAIL_MAX = 254
NAME_MAX = 80
PASSWORD_MIN, PASSWORD_MAX = 10, 128

# Said wherever an unverified resident tries to take part; the page also offers the link again.
UNVERIFIED_MESSAGE = _l(
    "Confirm your email address first: follow the link we emailed to you. Until then you can "
    "read and draft, but not support, propose or comment. You can send the link again from "
    "the notice at the top of the page."
)


class AccountError(ValueError):
    """An account operation that cannot go ahead, with a message fit to show."""


class DisplayNameError(AccountError):
    """A display name that may not be used, with a message fit to show beside the field."""


class PasswordError(AccountError):
    """The current password given is not right (shown beside the password field)."""


def normalise_email(email: str) -> str:
    """Return an email address in the one form we store and compare."""
    return email.strip().lower()


def find_user(email: str) -> User | None:
    """Return the account with this email address, if there is one."""
    return db.session.scalar(db.select(User).filter_by(email=normalise_email(email)))


def check_display_name(name: str, role: Role = Role.CITIZEN, user: User | None = None) -> str:
    """Return a display name as it will be shown; raise DisplayNameError if it may not be used.

    Invisible and direction-changing characters are dropped. A resident's name may not claim a
    role, nor look like the name of a committee member or administrator (see charter.text.names
    for what counts as looking alike): only the server shows who is on the committee.
    """
    name = clean_name(name)
    if not name:
        raise DisplayNameError(_("Enter the name you want others to see, in visible letters."))
    if len(name) > NAME_MAX:
        raise DisplayNameError(_("Use at most %(num)d characters for your name.", num=NAME_MAX))
    if skeleton(name) == skeleton(FORMER_PARTICIPANT):
        # Shown in place of the names of people who deleted their account: nobody may wear it.
        raise DisplayNameError(
            _("“%(name)s” is kept for people who have left.", name=FORMER_PARTICIPANT)
        )
    if role is not Role.CITIZEN:
        return name
    if word := claimed_role(name):
        raise DisplayNameError(
            _(
                "Choose a name without the word “%(word)s”. Committee members and administrators "
                "are shown with a badge beside their name; no one can give themselves one.",
                word=word,
            )
        )
    mine = skeleton(name)
    if not mine:
        raise DisplayNameError(_("Choose a name that says who you are, not only a role."))
    staff = db.session.scalars(db.select(User).where(User.role != Role.CITIZEN))
    for other in staff:
        if other is not user and skeleton(other.display_name) == mine:
            raise DisplayNameError(
                _(
                    "That name looks too much like “%(name)s”, who is on the committee. "
                    "Choose a name that tells you apart, such as one with your family name.",
                    name=other.display_name,
                )
            )
    return name


def create_user(
    email: str,
    display_name: str,
    password: str,
    role: Role = Role.CITIZEN,
    *,
    verified: bool = True,
) -> User:
    """Create an account; raise AccountError if a field is not acceptable or the email is taken.

    Accounts made by an administrator or a command count as verified: whoever made them typed
    the address. Residents who register verify theirs by following a link.
    """
    _check_email(email)
    _check_lengths(display_name, password)
    display_name = check_display_name(display_name, role)
    if find_user(email) is not None:
        raise AccountError(_("An account with this email address already exists."))
    user = User(
        email=normalise_email(email),
        display_name=display_name,
        role=role,
        email_verified_at=utcnow() if verified else None,
    )
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
    return create_user(email, display_name, password, verified=False)


def _check_email(email: str) -> None:
    """Refuse an address that is not an email address, whichever way it arrived."""
    email = email.strip()
    if len(email) > EMAIL_MAX:
        raise AccountError(
            _("That email address is too long: use at most %(num)d characters.", num=EMAIL_MAX)
        )
    try:
        validate_email(email, check_deliverability=False)  # no DNS: the CLI may run offline
    except EmailNotValidError as err:
        # The library's own explanation comes in English only.
        raise AccountError(
            _("Enter an email address like name@example.org. %(why)s", why=err)
        ) from None


def _check_lengths(display_name: str, password: str) -> None:
    """Refuse a name or password outside the limits the forms state."""
    name = display_name.strip()
    if not name:
        raise AccountError(_("Enter the name you want others to see."))
    if len(name) > NAME_MAX:
        raise AccountError(_("Use at most %(num)d characters for the display name.", num=NAME_MAX))
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        raise AccountError(
            _(
                "Use a password of between %(min)d and %(max)d characters.",
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
            )
        )


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
        raise PasswordError(_("Your current password is not right."))
    user.set_password(new)
    db.session.flush()


def update_account(admin: User, user: User, role: Role, active: bool) -> list[str]:
    """Change an account's role and whether it may sign in; record each change.

    Return the changes in the reader's words; the audit log keeps them in English.
    """
    changes = []  # lazy: each is said in whichever language is current when it is read
    if user.role is not role:
        changes.append(
            _l("role changed from %(old)s to %(new)s", old=user.role.label, new=role.label)
        )
        user.role = role
    if user.active != active:
        changes.append(_l("account reactivated") if active else _l("account deactivated"))
        user.active = active
    for change in changes:
        # By number: pages show the account's name as it is now, and erase it with the account.
        with force_locale(DEFAULT_LANGUAGE):
            summary = account_summary(user, str(change))
        record(admin, "account.updated", "user", user.id, summary)
    db.session.flush()
    return [str(change) for change in changes]
