"""The committee writes and reviews a clause's summaries and translations."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from charter.changes import amended, pick_view
from charter.clauses.queries import get_charter, get_clause
from charter.extensions import db
from charter.forms import EmptyForm
from charter.permissions import Audience, allow, can_write_supplement, require
from charter.plain.forms import SupplementForm
from charter.plain.languages import KNOWN, enabled_languages, slot_named
from charter.plain.operations import SupplementError, review_supplement, write_supplement
from charter.plain.queries import (
    history,
    latest,
    translations_current_for,
    translations_fitting,
)
from charter.plain.reading import language_codes
from charter.text.readability import markdown_reading_level
from charter.versions.queries import get_published

bp = Blueprint("plain", __name__, url_prefix="/plain")


def _load(key: str, slot_name: str):
    charter = get_charter() or abort(404)
    clause = get_clause(charter, key) or abort(404)
    slot = slot_named(slot_name, language_codes()) or abort(404)
    require(can_write_supplement(current_user, clause))
    return clause, slot


def _edit_page(clause, slot, form, status=200):
    head = latest(clause, slot)
    current = clause.current_revision
    # A translator updating a stale text sees what changed in the clause since they wrote it.
    change = None
    if head is not None and not head.is_current:
        old = head.revision
        change = amended(old.heading, old.body, current.heading, current.body)
    if slot.is_translation:
        # Typed in the language itself, so the browser lays it out and checks its spelling.
        marks = {"lang": slot.language.code, "dir": slot.language.direction}
        form.body.render_kw = {**(form.body.render_kw or {}), **marks}
        form.heading.render_kw = {**(form.heading.render_kw or {}), **marks}
    return render_template(
        "plain/edit.html",
        clause=clause,
        slot=slot,
        head=head,
        change=change,
        change_view=pick_view(request.args.get("changes")),
        history=history(clause, slot),
        level=markdown_reading_level(current.body),
        head_level=markdown_reading_level(head.body) if head and not slot.is_translation else None,
        form=form,
        button_form=EmptyForm(),
    ), status


@bp.get("/clauses/<key>/<slot_name>")
@allow(Audience.COMMITTEE)
def edit(key, slot_name):
    """Show the form for a clause's summary, Easy Read version or translation."""
    clause, slot = _load(key, slot_name)
    head = latest(clause, slot)
    form = SupplementForm(
        formdata=None,
        heading=head.heading if head else "",
        body=head.body if head else "",
    )
    return _edit_page(clause, slot, form)


@bp.post("/clauses/<key>/<slot_name>")
@allow(Audience.COMMITTEE)
def update(key, slot_name):
    """Save a new wording of a summary or translation for the clause's wording now."""
    clause, slot = _load(key, slot_name)
    form = SupplementForm()
    if not form.validate_on_submit():
        return _edit_page(clause, slot, form, 400)
    try:
        write_supplement(
            clause, slot, heading=form.heading.data or "", body=form.body.data, by=current_user
        )
    except SupplementError as err:
        form.body.errors = [*form.body.errors, str(err)]
        return _edit_page(clause, slot, form, 400)
    except IntegrityError:
        return _saved_meanwhile(clause, slot)
    db.session.commit()
    flash(_("%(title)s saved.", title=slot.title), "success")
    return redirect(_reading_url(clause, slot))


@bp.post("/clauses/<key>/<slot_name>/review")
@allow(Audience.COMMITTEE)
def review(key, slot_name):
    """Confirm that a summary or translation still fits the clause's new wording."""
    clause, slot = _load(key, slot_name)
    try:
        review_supplement(clause, slot, by=current_user)
    except SupplementError as err:
        flash(str(err), "error")
        return redirect(url_for(".edit", key=clause.key, slot_name=slot.name))
    except IntegrityError:
        return _saved_meanwhile(clause, slot)
    db.session.commit()
    flash(
        _(
            "%(title)s marked as reviewed for wording %(n)s.",
            title=slot.title,
            n=clause.current_revision.number,
        ),
        "success",
    )
    return redirect(_reading_url(clause, slot))


def _saved_meanwhile(clause, slot):
    # Two members saved at once: both numbered their wording the same, and the second is refused.
    db.session.rollback()
    flash(
        _(
            "Someone else saved the %(noun)s while you were working on it. Here is theirs: "
            "check it, and make your change again if it is still needed.",
            noun=slot.noun,
        ),
        "error",
    )
    return redirect(url_for(".edit", key=clause.key, slot_name=slot.name))


def _reading_url(clause, slot) -> str:
    if slot.is_translation:
        return url_for("public.clause", key=clause.key, lang=slot.name)
    return url_for("public.clause", key=clause.key, view=slot.name)


@bp.get("/versions/<int:number>")
@allow(Audience.ANYONE)
def version(number):
    """Show which translations fit a published version, and read it in one language."""
    charter = get_charter() or abort(404)
    found = get_published(charter, number) or abort(404)
    revisions = [entry.revision for entry in found.entries]
    codes = language_codes()
    lang = request.args.get("lang") or None
    if lang is not None and lang not in codes:
        # An unknown language is said in words, and the page is read in English.
        flash(
            _("That language is not one the charter is translated into. Here it is in English."),
            "info",
        )
        lang = None
    language = KNOWN[lang] if lang else None
    return render_template(
        "plain/version.html",
        version=found,
        revisions=revisions,
        coverage=translations_current_for(revisions, codes),
        languages=enabled_languages(codes),
        language=language,
        translated=translations_fitting(revisions, lang) if lang else {},
    )


@bp.app_template_global("reading_level_of")
def reading_level_of(body: str):
    """Measure a Markdown body's reading level, for pages outside this area (proposals)."""
    return markdown_reading_level(body)
