"""Rate limits: who each one counts, what it counts, and how long a refused visitor waits.

Sized so that 30 residents at a workshop, all behind one venue address, can register, sign in,
preview and propose without meeting them; the README's table shows the sums.
"""

import math
import time

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from flask_login import current_user

from charter.accounts.operations import normalise_email
from charter.extensions import limiter

# Per visitor address (the client's, once ProxyFix has read the trusted proxies' headers).
REGISTER_PER_ADDRESS = "100 per hour"
FAILED_SIGN_INS_PER_ADDRESS = "150 per hour"
# Per account: a guesser locks one account's sign-in, never everybody's.
FAILED_SIGN_INS_PER_ACCOUNT = "10 per 15 minutes"
PROPOSALS_PER_ACCOUNT = "20 per hour"
# Previews and submissions that were sent back to be corrected are ordinary work, not abuse.
PREVIEWS_PER_ACCOUNT = "120 per hour"
SUPPORTS_PER_ACCOUNT = "60 per hour"


def per_address() -> str:
    """Count by the visitor's address."""
    return get_remote_address()


def per_account() -> str:
    """Count by the signed-in account, so one person is one bucket on any network."""
    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return get_remote_address()


def per_sign_in_email() -> str:
    """Count sign-in attempts by the account they try to open, whoever sends them."""
    return "sign-in:" + normalise_email(request.form.get("email", ""))


def failed(response) -> bool:
    """Tell whether a form post was refused or only previewed, rather than carried out."""
    return response.status_code != 302


def succeeded(response) -> bool:
    """Tell whether a form post was carried out (answered with a redirect)."""
    return response.status_code == 302


def seconds_to_wait() -> int:
    """Return how long until every limit this request broke lets it through again."""
    resets = [limit.reset_at for limit in limiter.current_limits if limit.breached]
    if not resets and limiter.current_limit is not None:
        resets = [limiter.current_limit.reset_at]
    if not resets:
        return 60
    return max(1, max(resets) - int(time.time()))


def wait_in_words(seconds: int) -> str:
    """Say a wait the way a person would, rounding up so that it is never too short."""
    if seconds < 60:
        return ngettext("%(num)d second", "%(num)d seconds", seconds)
    minutes = math.ceil(seconds / 60)
    return ngettext("%(num)d minute", "%(num)d minutes", minutes)


def too_many_message(seconds: int, kept: bool = False) -> str:
    """Explain a refusal and say truthfully when to try again."""
    if kept:
        return _(
            "Too many attempts in a short time, so this was not sent. What you typed is kept "
            "below: please send it again in %(wait)s.",
            wait=wait_in_words(seconds),
        )
    return _(
        "Too many attempts in a short time. Please try again in %(wait)s.",
        wait=wait_in_words(seconds),
    )


def refusal(wait: int):
    """Answer a refused request with a page that says when to come back, and Retry-After."""
    return (
        render_template("errors/error.html", code=429, message=too_many_message(wait)),
        429,
        {"Retry-After": str(wait)},
    )
