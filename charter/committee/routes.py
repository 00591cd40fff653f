"""The committee's work: open a candidate, vote on it, publish or withdraw it."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from charter.clauses.queries import get_charter, get_clause, live_clauses
from charter.committee import queries
from charter.committee.forms import CandidateForm, PublishForm, VoteForm, WithdrawForm
from charter.consultations import operations as consulting
from charter.consultations.forms import DRAFT, ExtendWindowForm, OpenWindowForm
from charter.consultations.queries import all_windows, moment_in_words
from charter.extensions import db
from charter.forms import EmptyForm
from charter.inputs import parse_id
from charter.models import CharterVersion, ConsultationWindow, VoteChoice
from charter.permissions import (
    Audience,
    allow,
    can_manage_consultation,
    can_open_candidate,
    can_publish,
    can_vote,
    can_withdraw_candidate,
    require,
)
from charter.proposals import competing
from charter.proposals.operations import ProposalError
from charter.versions import operations
from charter.versions.changelog import draft_changelog
from charter.versions.pages import candidate_page, next_number
from charter.versions.queries import current_candidate

bp = Blueprint("committee", __name__, url_prefix="/committee")

CONFLICT = _l("Another member acted on this candidate at the same moment. Here it is as it is now.")


def _charter():
    return get_charter() or abort(404)


def _proposal_url(proposal):
    return url_for("proposals.detail", proposal_id=proposal.id)


@bp.get("/")
@allow(Audience.COMMITTEE)
def index():
    """Show what waits for the committee, oldest first, and the candidate version."""
    require(can_open_candidate(current_user))
    return _index_page(_charter())


def _extend_form(window: ConsultationWindow, *, posted: bool = False) -> ExtendWindowForm:
    # One form per window on the page: a prefix keeps their field ids apart.
    if posted:
        return ExtendWindowForm(prefix=f"window-{window.id}")
    return ExtendWindowForm(formdata=None, prefix=f"window-{window.id}")


def _index_page(charter, *, open_form=None, extend_form=None, status: int = 200):
    clauses = live_clauses(charter)
    if open_form is None:
        open_form = OpenWindowForm(formdata=None)
    open_form.scope.choices = [(DRAFT, _("The whole working draft"))] + [
        (c.key, _("Clause %(n)s: %(heading)s", n=n, heading=c.current_revision.heading))
        for n, c in enumerate(clauses, 1)
    ]
    windows = all_windows(charter)
    extend_forms = {w.id: _extend_form(w) for w in windows}
    if extend_form is not None:
        extend_forms[extend_form[0]] = extend_form[1]
    return render_template(
        "committee/index.html",
        windows=windows,
        open_form=open_form,
        extend_forms=extend_forms,
        button_form=EmptyForm(),
        moment_in_words=moment_in_words,
        questions=queries.unanswered_questions(charter),
        comments=queries.comments_without_outcome(charter),
        waiting=queries.proposals_awaiting(charter),
        reports=queries.reports_waiting(),
        about=queries.about,
        age=queries.age_in_words,
        candidate=current_candidate(charter),
        accepted=operations.accepted_since_last_version(charter),
        draft_is_new=operations.working_draft_is_new(charter),
    ), status


def _deadline(form):
    return consulting.parse_deadline(form.closes_on.data, form.closes_time.data)


def _refused(form, err: consulting.WindowError) -> None:
    if err.field and err.field in form:
        form[err.field].errors = [*form[err.field].errors, str(err)]
    else:
        form.form_errors.append(str(err))


@bp.post("/consultations")
@allow(Audience.COMMITTEE)
def open_window():
    """Open the working draft, or one clause, for comment until a date and time."""
    require(can_manage_consultation(current_user))
    charter = _charter()
    form = OpenWindowForm()
    if form.validate_on_submit():
        clause = None
        try:
            if form.scope.data != DRAFT:
                clause = get_clause(charter, form.scope.data)
                if clause is None or clause.retired:
                    raise consulting.WindowError(
                        _("Choose the whole working draft or one of its clauses."), "scope"
                    )
            window = consulting.open_window(
                charter, current_user, clause=clause, closes_at=_deadline(form), note=form.note.data
            )
        except consulting.WindowError as err:
            db.session.rollback()
            _refused(form, err)
        else:
            db.session.commit()
            when = moment_in_words(window.closes_at)
            if clause is None:
                message = _("Open for comment until %(when)s: the whole working draft.", when=when)
            else:
                message = _(
                    "Open for comment until %(when)s: %(heading)s.",
                    when=when,
                    heading=clause.current_revision.heading,
                )
            flash(message, "success")
            return redirect(url_for(".index", _anchor="consultation-title"))
    return _index_page(charter, open_form=form, status=400)


@bp.post("/consultations/<int:window_id>/extend")
@allow(Audience.COMMITTEE)
def extend_window(window_id):
    """Move a running window's closing date and time later."""
    window = db.get_or_404(ConsultationWindow, window_id)
    require(can_manage_consultation(current_user))
    form = _extend_form(window, posted=True)
    if form.validate_on_submit():
        try:
            consulting.extend_window(window, current_user, _deadline(form))
        except consulting.WindowError as err:
            db.session.rollback()
            _refused(form, err)
        else:
            db.session.commit()
            flash(
                _("The window now closes on %(when)s.", when=moment_in_words(window.closes_at)),
                "success",
            )
            return redirect(url_for(".index", _anchor="consultation-title"))
    return _index_page(_charter(), extend_form=(window.id, form), status=400)


@bp.post("/consultations/<int:window_id>/close")
@allow(Audience.COMMITTEE)
def close_window(window_id):
    """Close a running window now, before its deadline."""
    window = db.get_or_404(ConsultationWindow, window_id)
    require(can_manage_consultation(current_user))
    form = EmptyForm()
    try:
        if not form.validate_on_submit():
            raise consulting.WindowError(_("This form expired. Please send it again."))
        consulting.close_window(window, current_user)
    except consulting.WindowError as err:
        db.session.rollback()
        flash(str(err), "error")
    else:
        db.session.commit()
        flash(
            _("The window is closed: residents can no longer comment on what it covered."), "info"
        )
    return redirect(url_for(".index", _anchor="consultation-title"))


@bp.get("/questions")
@allow(Audience.COMMITTEE)
def questions():
    """List every question still waiting for an official answer, oldest first."""
    return _every_waiting("questions", queries.unanswered_questions_query)


@bp.get("/comments")
@allow(Audience.COMMITTEE)
def comments():
    """List every comment that has no outcome yet, oldest first."""
    return _every_waiting("comments", queries.comments_without_outcome_query)


def _every_waiting(kind: str, query):
    require(can_open_candidate(current_user))
    page = db.paginate(query(_charter()), per_page=queries.PER_PAGE, error_out=False, count=True)
    return render_template(
        f"committee/{kind}.html", page=page, about=queries.about, age=queries.age_in_words
    )


@bp.route("/candidate/new", methods=["GET", "POST"])
@allow(Audience.COMMITTEE)
def open_candidate():
    """Open a candidate: freeze the working draft and put it to the committee's vote."""
    require(can_open_candidate(current_user))
    charter = _charter()
    if current_candidate(charter) is not None:
        flash(_("A candidate is already open: review it and vote."), "info")
        return redirect(url_for("versions.candidate"))
    form = CandidateForm()
    if not form.is_submitted():
        form.changelog.data = draft_changelog(
            charter, _proposal_url, url_for("proposals.index", status="accepted")
        )
    if form.validate_on_submit():
        try:
            operations.open_candidate(charter, current_user, form.changelog.data)
            db.session.commit()
        except operations.VersionError as err:
            db.session.rollback()
            form.form_errors.append(str(err))
        except IntegrityError:
            db.session.rollback()
            flash(_("Another member opened a candidate at the same moment; here it is."), "info")
            return redirect(url_for("versions.candidate"))
        else:
            flash(
                _("The candidate is open. Each member can now review the changes and vote."),
                "success",
            )
            return redirect(url_for("versions.candidate"))
    status = 400 if form.is_submitted() else 200
    # A warning, not a bar: the committee may have good reason to go ahead.
    return render_template(
        "committee/open_candidate.html",
        form=form,
        charter=charter,
        questions=queries.unanswered_questions(charter),
        comments=queries.comments_without_outcome(charter),
        about=queries.about,
        age=queries.age_in_words,
    ), status


def _candidate_or_404(version_id) -> CharterVersion:
    return db.get_or_404(CharterVersion, version_id)


def _unless_candidate(version: CharterVersion):
    """Answer a late action on a decided candidate with what happened, not a bare 403."""
    if version.is_candidate:
        return None
    flash(
        _(
            "This candidate is already %(status)s, so nothing was changed.",
            status=version.status.value,
        ),
        "info",
    )
    if version.is_published:
        return redirect(url_for("versions.detail", number=version.number))
    return redirect(url_for("committee.index"))


def _act(action, success: str):
    """Run a candidate action and commit, turning refusals and races into plain messages."""
    try:
        action()
        db.session.commit()
    except operations.VersionError as err:
        db.session.rollback()
        flash(str(err), "error")
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        flash(str(CONFLICT), "error")
    else:
        flash(success, "success")


def _where_it_stands(version: CharterVersion, otherwise: str):
    """Send the member to the version itself once it is published, wherever they acted from."""
    if version.is_published:
        return redirect(url_for("versions.detail", number=version.number))
    return redirect(url_for(otherwise))


@bp.post("/candidate/<int:version_id>/vote")
@allow(Audience.COMMITTEE)
def vote(version_id):
    """Vote on the candidate (or change your vote while voting is open)."""
    version = _candidate_or_404(version_id)
    if (late := _unless_candidate(version)) is not None:
        return late
    require(can_vote(current_user, version))
    form = VoteForm()
    if not form.validate_on_submit():
        # Shown again with what the member wrote, so a note is never lost to a missing choice.
        return candidate_page(version.charter, version, vote_form=form, status=400)
    _act(
        lambda: operations.cast_vote(
            version,
            current_user,
            VoteChoice(form.choice.data),
            form.note.data or "",
            seen_hash=form.seen_hash.data,
        ),
        _("Your vote is recorded. You can change it until the vote closes."),
    )
    return _where_it_stands(version, "versions.candidate")


@bp.route("/candidate/<int:version_id>/publish", methods=["GET", "POST"])
@allow(Audience.COMMITTEE)
def publish(version_id):
    """Say what publishing will do; once confirmed, publish the candidate as the next version."""
    version = _candidate_or_404(version_id)
    if (late := _unless_candidate(version)) is not None:
        return late
    require(can_publish(current_user, version))
    form = PublishForm()
    if not form.is_submitted():
        form = PublishForm(formdata=None, seen_hash=version.content_hash, confirmed="yes")
        return render_template(
            "committee/confirm_publish.html",
            version=version,
            number=next_number(version.charter),
            tally=operations.tally(version),
            form=form,
        )
    form.validate_on_submit()
    if form.confirmed.data != "yes":
        # A post from anywhere but the confirmation page publishes nothing: it leads there.
        return redirect(url_for(".publish", version_id=version.id))
    _act(
        lambda: operations.publish_candidate(version, current_user, seen_hash=form.seen_hash.data),
        _("Published. The new version is now the charter in force."),
    )
    return _where_it_stands(version, "versions.candidate")


@bp.route("/candidate/<int:version_id>/withdraw", methods=["GET", "POST"])
@allow(Audience.COMMITTEE)
def withdraw(version_id):
    """Ask why; once a reason is given, withdraw the candidate so a new one can be opened."""
    version = _candidate_or_404(version_id)
    if (late := _unless_candidate(version)) is not None:
        return late
    require(can_withdraw_candidate(current_user, version))
    form = WithdrawForm()
    if not form.is_submitted():
        form = WithdrawForm(formdata=None, seen_hash=version.content_hash)
    elif form.validate():
        _act(
            lambda: operations.withdraw_candidate(
                version, current_user, seen_hash=form.seen_hash.data, reason=form.reason.data
            ),
            _("The candidate is withdrawn. The reason is in the transparency log."),
        )
        return _where_it_stands(version, "committee.index")
    page = render_template(
        "committee/confirm_withdraw.html",
        version=version,
        number=next_number(version.charter),
        form=form,
    )
    return page, 400 if form.is_submitted() else 200


@bp.post("/clauses/<key>/voting-list")
@allow(Audience.COMMITTEE)
def voting_list(key):
    """Set the order in which the committee will decide a set of competing proposals."""
    clause = get_clause(_charter(), key) or abort(404)
    require(can_open_candidate(current_user))
    places: dict[int, int] = {}
    for name, value in request.form.items():
        if name.startswith("place-"):
            proposal_id, place = parse_id(name[len("place-") :]), parse_id(value.strip())
            if proposal_id is None or place is None:
                flash(_("Give each proposal its place as a whole number: 1, 2, 3..."), "error")
                return redirect(url_for("public.competing", key=key))
            places[proposal_id] = place
    try:
        competing.order_set(clause, places, current_user)
        db.session.commit()
    except ProposalError as err:
        db.session.rollback()
        flash(str(err), "error")
    else:
        flash(_("The voting list is saved. Work through it from the top."), "success")
    return redirect(url_for("public.competing", key=key))
