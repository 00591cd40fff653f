"""The committee's work: open a candidate, vote on it, publish or withdraw it."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from charter.clauses.queries import get_charter
from charter.committee import queries
from charter.committee.forms import CandidateForm, PublishForm, VoteForm, WithdrawForm
from charter.extensions import db
from charter.models import CharterVersion, VoteChoice
from charter.permissions import (
    Audience,
    allow,
    can_open_candidate,
    can_publish,
    can_vote,
    can_withdraw_candidate,
    require,
)
from charter.versions import operations
from charter.versions.changelog import draft_changelog
from charter.versions.pages import candidate_page, next_number
from charter.versions.queries import current_candidate

bp = Blueprint("committee", __name__, url_prefix="/committee")

CONFLICT = "Another member acted on this candidate at the same moment. Here it is as it is now."


def _charter():
    return get_charter() or abort(404)


def _proposal_url(proposal):
    return url_for("proposals.detail", proposal_id=proposal.id)


@bp.get("/")
@allow(Audience.COMMITTEE)
def index():
    """Show what waits for the committee, oldest first, and the candidate version."""
    require(can_open_candidate(current_user))
    charter = _charter()
    return render_template(
        "committee/index.html",
        questions=queries.unanswered_questions(charter),
        comments=queries.comments_without_outcome(charter),
        waiting=queries.proposals_awaiting(charter),
        reports=queries.reports_waiting(),
        about=queries.about,
        age=queries.age_in_words,
        candidate=current_candidate(charter),
        accepted=operations.accepted_since_last_version(charter),
        draft_is_new=operations.working_draft_is_new(charter),
    )


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
        flash("A candidate is already open: review it and vote.", "info")
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
            flash("Another member opened a candidate at the same moment; here it is.", "info")
            return redirect(url_for("versions.candidate"))
        else:
            flash(
                "The candidate is open. Each member can now review the changes and vote.", "success"
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
    flash(f"This candidate is already {version.status.value}, so nothing was changed.", "info")
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
        flash(CONFLICT, "error")
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
        "Your vote is recorded. You can change it until the vote closes.",
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
        "Published. The new version is now the charter in force.",
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
            "The candidate is withdrawn. The reason is in the transparency log.",
        )
        return _where_it_stands(version, "committee.index")
    page = render_template(
        "committee/confirm_withdraw.html",
        version=version,
        number=next_number(version.charter),
        form=form,
    )
    return page, 400 if form.is_submitted() else 200
