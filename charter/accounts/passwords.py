"""How guessable a password is, judged by zxcvbn against lists of common passwords and words."""

from flask_babel import gettext as _
from zxcvbn import zxcvbn

# zxcvbn's scale: 3 means "safely unguessable: moderate protection from offline attacks".
MIN_SCORE = 3
# zxcvbn refuses longer input, and its work grows with length; the first 72 characters of a
# longer password carry its strength anyway.
SCORED_LENGTH = 72


def weakness(password: str, *about_the_person: str) -> str | None:
    """Say why a password is too easy to guess, or return None if it is strong enough."""
    result = zxcvbn(password[:SCORED_LENGTH], user_inputs=[p for p in about_the_person if p])
    if result["score"] >= MIN_SCORE:
        return None
    feedback = result["feedback"]
    # zxcvbn's own warnings and suggestions come in English only.
    reasons = [feedback.get("warning") or _("It would be easy to guess.")]
    reasons += feedback.get("suggestions") or [_("Add another word or two.")]
    return _("Choose a password that is harder to guess. %(reasons)s", reasons=" ".join(reasons))
