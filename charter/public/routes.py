"""Public reading: the charter, the working draft and each clause with its history."""

from flask import Blueprint, Response, abort, current_app, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from charter.clauses.queries import get_charter, get_clause
from charter.extensions import db
from charter.forms import EmptyForm, LanguageForm
from charter.inputs import RefusedChoice
from charter.languages import LANGUAGE_COOKIE, LANGUAGE_COOKIE_AGE
from charter.permissions import Audience, allow
from charter.proposals.competing import (
    amended_draft,
    chosen_proposals,
    clause_competition,
    preferences,
)
from charter.public.feeds import clause_feed as build_clause_feed
from charter.public.pages import clause_page
from charter.public.reading import (
    current_reading,
    draft_changes,
    working_draft_reading,
)
from charter.versions.queries import seals
from charter.web import conditional, local_path, sealed_page

bp = Blueprint("public", __name__)


def _charter_or_404():
    charter = get_charter()
    if charter is None:
        abort(404)
    return charter


@bp.get("/")
@allow(Audience.ANYONE)
def index():
    """Show the published charter, or the working draft while none is published."""
    sealed = seals(current_app.config["CHARTER_SLUG"])
    if sealed:
        # The published charter only changes when a new version is sealed.
        return sealed_page(
            f"home:{sealed[max(sealed)]}",
            lambda: render_template("public/charter.html", reading=current_reading(get_charter())),
        )
    charter = get_charter()
    if charter is None:
        return render_template("public/empty.html")
    return render_template("public/charter.html", reading=current_reading(charter))


@bp.post("/language")
@allow(Audience.ANYONE)
def choose_language():
    """Remember which language this reader wants the site's own words in."""
    form = LanguageForm()
    if not form.validate_on_submit():
        raise RefusedChoice(_("Choose one of the languages offered."))
    if current_user.is_authenticated:  # remembered with the account too, for mail and devices
        current_user.language = form.language.data
        db.session.commit()
    response = redirect(local_path(form.next.data))
    response.set_cookie(
        LANGUAGE_COOKIE,
        form.language.data,
        max_age=LANGUAGE_COOKIE_AGE,
        secure=request.is_secure,
        httponly=True,
        samesite="Lax",
    )
    return response


@bp.get("/draft")
@allow(Audience.ANYONE)
def draft():
    """Show the working draft, marking what changed since the latest published version."""
    charter = _charter_or_404()
    reading = working_draft_reading(charter)
    return render_template(
        "public/charter.html", reading=reading, changes=draft_changes(charter, reading)
    )


@bp.get("/clauses/<key>")
@allow(Audience.ANYONE)
def clause(key):
    """Show one clause: its wording now, where it stands, and every earlier wording."""
    charter = _charter_or_404()
    found = get_clause(charter, key) or abort(404)
    return clause_page(charter, found)


@bp.get("/clauses/<key>.atom")
@allow(Audience.ANYONE)
def clause_feed(key):
    """Announce a clause's new wordings, proposals, decisions and official answers."""
    charter = _charter_or_404()
    found = get_clause(charter, key) or abort(404)
    return conditional(Response(build_clause_feed(found), mimetype="application/atom+xml"))


@bp.get("/clauses/<key>/competing")
@allow(Audience.ANYONE)
def competing(key):
    """Show each set of competing proposals on a clause, each change over the same wording."""
    charter = _charter_or_404()
    found = get_clause(charter, key) or abort(404)
    competition = clause_competition(found)
    return render_template(
        "public/competing.html",
        clause=found,
        competition=competition,
        preferences=preferences(competition, current_user),
        button_form=EmptyForm(),
    )


@bp.get("/draft/as-amended")
@allow(Audience.ANYONE)
def as_amended():
    """Show the working draft with a chosen set of open proposals applied together."""
    charter = _charter_or_404()
    return render_template(
        "public/as_amended.html", draft=amended_draft(charter, chosen_proposals(request.args))
    )
