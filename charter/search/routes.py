"""The search page: /search?q=words&kind=clauses|proposals|comments&page=n."""

from flask import Blueprint, abort, render_template, request

from charter.clauses.queries import get_charter
from charter.permissions import Audience, allow
from charter.search.service import KIND_LABELS, KINDS, SearchPage, SearchRefused, check_search
from charter.search.service import search as run_search
from charter.text.searching import MAX_QUERY_LENGTH

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.get("")
@allow(Audience.ANYONE)
def index():
    """Search clauses, proposals and comments; an empty search shows the form with a hint."""
    charter = get_charter() or abort(404)
    raw = request.args.get("q", "")
    context = {"kinds": KINDS, "labels": KIND_LABELS, "max_length": MAX_QUERY_LENGTH}
    try:
        query, kind, page = check_search(raw, request.args.get("kind"), request.args.get("page"))
    except SearchRefused as refused:
        found = SearchPage(query=raw[:MAX_QUERY_LENGTH], kind=None, page=1)
        return render_template(
            "search/results.html", found=found, error=str(refused), **context
        ), 400
    found = run_search(charter, query, kind, page)
    return render_template("search/results.html", found=found, error=None, **context)
