"""Consultation windows in public: what is open now, until when, and what ran before."""

from flask import Blueprint, abort, render_template

from charter.clauses.queries import get_charter
from charter.consultations.queries import all_windows, open_windows
from charter.models import utcnow
from charter.permissions import Audience, allow

bp = Blueprint("consultations", __name__, url_prefix="/consultations")


@bp.get("/")
@allow(Audience.ANYONE)
def index():
    """Show what is open for comment now, until when, the rules, and every earlier window."""
    charter = get_charter() or abort(404)
    return render_template(
        "consultations/index.html",
        charter=charter,
        open_now=open_windows(charter),
        windows=all_windows(charter),
        now=utcnow(),
    )
