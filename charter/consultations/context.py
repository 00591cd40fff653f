"""What every page may say about consultation windows: read once per request, lazily."""

from flask import g

from charter.clauses.queries import get_charter as _get_charter
from charter.consultations.queries import (
    banner_key as _banner_key,
)
from charter.consultations.queries import (
    day_in_words,
    moment_in_words,
    open_windows,
    time_left_in_words,
    window_for,
)
from charter.models import utcnow


def get_charter():
    """The site's charter, read once per request however many times a page asks."""
    if not hasattr(g, "consultation_charter"):
        g.consultation_charter = _get_charter()
    return g.consultation_charter


def _open_now():
    return open_windows(get_charter())


def _standing(clause):
    charter = get_charter()
    return window_for(charter, clause) if charter is not None else None


def install(app) -> None:
    """Offer every template (macros too) the windows open now and where a clause stands."""
    for name, function in {
        "consultation_open_windows": _open_now,
        "consultation_standing": _standing,
        "moment_in_words": moment_in_words,
        "day_in_words": day_in_words,
        "time_left": lambda moment: time_left_in_words(moment, utcnow()),
    }.items():
        app.add_template_global(function, name)


def banner_key() -> str:
    """Name what the banner says now, for pages cached whole."""
    return _banner_key(get_charter())
