"""Proposals: list, propose with a preview, edit, withdraw, support, accept and reject."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from charter.changes import VIEWS, pick_view
from charter.clauses.queries import get_charter, get_clause, live_clauses
from charter.exports.redline import DOCX_MIMETYPE
from charter.extensions import db, limiter
from charter.inputs import parse_id
from charter.limits import (
    PREVIEWS_PER_ACCOUNT,
    PROPOSALS_PER_ACCOUNT,
    SUPPORTS_PER_ACCOUNT,
    failed,
    per_account,
    refusal,
    seconds_to_wait,
    succeeded,
    too_many_message,
)
from charter.models import Proposal, ProposalKind, ProposalStatus
from charter.permissions import (
    Audience,
    allow,
    can_decide_proposal,
    can_edit_proposal,
    can_propose,
    can_support_proposal,
    can_withdraw_proposal,
    require,
)
from charter.proposals import competing, forms, operations
from charter.proposals.pages import proposal_page
from charter.proposals.presenting import (
    collision_notes,
    draft_change,
    proposal_change,
    rebased_change,
    wording_problems,
)
from charter.proposals.queries import proposals_query
from charter.public.feeds import proposal_feed
from charter.versions.copies import proposal_docx
from charter.web import conditional

bp = Blueprint("proposals", __name__, url_prefix="/proposals")

PER_PAGE = 20
CONFLICT_MESSAGE = _l(
    "Someone else acted on this proposal at the same moment. Here it is as it is now."
)


def _charter():
    return get_charter() or abort(404)


def _enum_arg(enum_class, name):
    value = request.args.get(name) or None
    try:
        return enum_class(value) if value else None
    except ValueError:
        return None


@bp.get("/")
@allow(Audience.ANYONE)
def index():
    """List proposals, filtered by status, clause and kind, newest or most supported first."""
    charter = _charter()
    clause_key = request.args.get("clause") or None
    clause = get_clause(charter, clause_key) if clause_key else None
    filters = {
        "status": _enum_arg(ProposalStatus, "status"),
        "kind": _enum_arg(ProposalKind, "kind"),
        "clause": clause,
        "sort": request.args.get("sort", "newest"),
    }
    page = db.paginate(proposals_query(charter, **filters), per_page=PER_PAGE, error_out=False)
    return render_template(
        "proposals/index.html",
        page=page,
        filters=filters,
        clauses=live_clauses(charter),
        statuses=list(ProposalStatus),
        kinds=list(ProposalKind),
    )


def _new_form(kind: ProposalKind, clause, parent=None):
    if kind is ProposalKind.ADD:
        return forms.AddForm()
    if kind is ProposalKind.REMOVE:
        return forms.RemoveForm()
    start = parent or clause.current_revision  # an amendment starts from its parent's words
    return forms.AmendForm(data={"heading": start.heading, "body": start.body})


def _proposing():
    """Load what the new-proposal page is about: the charter, the kind, the clause, and for
    an amendment the proposal it amends."""
    charter = _charter()
    kind = _enum_arg(ProposalKind, "kind") or ProposalKind.AMEND
    clause = parent = None
    if request.args.get("parent"):
        number = parse_id(request.args["parent"])
        parent = (db.session.get(Proposal, number) if number else None) or abort(404)
        if parent.clause is None:
            abort(404)
        return charter, ProposalKind.AMEND, parent.clause, parent
    if kind is not ProposalKind.ADD:
        clause = get_clause(charter, request.args.get("clause", "")) or abort(404)
    return charter, kind, clause, parent


def _proposal_form(form, charter, kind, clause, preview=None, parent=None):
    return render_template(
        "proposals/form.html",
        form=form,
        kind=kind,
        clause=clause,
        parent=parent,
        charter=charter,
        preview=preview,
        view=pick_view(request.values.get("view")),
        views=VIEWS,
    )


@bp.route("/new", methods=["GET", "POST"])
@limiter.limit(PROPOSALS_PER_ACCOUNT, key_func=per_account, methods=["POST"], deduct_when=succeeded)
@limiter.limit(PREVIEWS_PER_ACCOUNT, key_func=per_account, methods=["POST"], deduct_when=failed)
@allow(Audience.SIGNED_IN)
def create():
    """Propose to change, add or remove a clause; preview the tracked changes first."""
    require(can_propose(current_user))
    charter, kind, clause, parent = _proposing()
    form = _new_form(kind, clause, parent)
    preview = None
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            if form.preview.data:
                preview = draft_change(kind, clause, form, parent)
                form.form_errors.extend(wording_problems(form))  # said now, not on sending
                status = 200
            else:
                try:
                    proposal = operations.create_proposal(
                        charter,
                        current_user,
                        kind,
                        clause=clause,
                        heading=form.data.get("heading") or "",
                        body=form.data.get("body") or "",
                        rationale=form.rationale.data,
                        position=form.data.get("position"),
                        parent=parent,
                    )
                except operations.ProposalError as err:
                    form.form_errors.append(str(err))
                else:
                    db.session.commit()
                    flash(
                        _("Your proposal is published. Others can now support and discuss it."),
                        "success",
                    )
                    return redirect(url_for(".detail", proposal_id=proposal.id))
    elif not charter.consultation_open:
        flash(_("The consultation is closed, so new proposals cannot be sent just now."), "info")
    return _proposal_form(form, charter, kind, clause, preview, parent), status


@bp.errorhandler(429)
def too_many_attempts(error):
    """Give a refused proposal back with everything typed in it, and say when to send it."""
    wait = seconds_to_wait()
    if request.endpoint != "proposals.create":
        return refusal(wait)
    charter, kind, clause, parent = _proposing()
    form = _new_form(kind, clause, parent)
    form.form_errors.append(too_many_message(wait, kept=True))
    page = _proposal_form(form, charter, kind, clause, parent=parent)
    return page, 429, {"Retry-After": str(wait)}


@bp.get("/<int:proposal_id>")
@allow(Audience.ANYONE)
def detail(proposal_id):
    """Show a proposal: its tracked changes, reason, support, earlier texts and decision."""
    proposal = db.get_or_404(Proposal, proposal_id)
    return proposal_page(proposal)


@bp.get("/<int:proposal_id>.atom")
@allow(Audience.ANYONE)
def feed(proposal_id):
    """Announce a proposal's new texts, its decision and official answers about it."""
    proposal = db.get_or_404(Proposal, proposal_id)
    return conditional(Response(proposal_feed(proposal), mimetype="application/atom+xml"))


@bp.get("/<int:proposal_id>.docx")
@allow(Audience.ANYONE)
def docx(proposal_id):
    """Download a proposal's change to its clause as Word tracked changes, by its author."""
    proposal = db.get_or_404(Proposal, proposal_id)
    clause = proposal.clause
    about = f"clause '{clause.key}'" if clause else "a new clause"
    data = proposal_docx(proposal, proposal_change(proposal), about)
    response = conditional(Response(data, mimetype=DOCX_MIMETYPE))
    response.headers["Content-Disposition"] = (
        f'attachment; filename="proposal-{proposal.id}-changes.docx"'
    )
    return response


@bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"])
@allow(Audience.AUTHOR)
def update(proposal_id):
    """Let the author revise an open proposal; the earlier text is kept."""
    proposal = db.get_or_404(Proposal, proposal_id)
    require(can_edit_proposal(current_user, proposal))
    form_class = forms.EditRemoveForm if proposal.kind is ProposalKind.REMOVE else forms.EditForm
    form = form_class(
        data={
            "heading": proposal.heading,
            "body": proposal.body,
            "rationale": proposal.rationale,
            "seen_version": proposal.lock_version,
        }
    )
    preview = None
    status = 200
    if form.is_submitted():
        status = 400
        if form.validate():
            if form.preview.data:
                preview = draft_change(proposal.kind, proposal.clause, form)
                form.form_errors.extend(wording_problems(form))
                status = 200
            else:
                try:
                    operations.update_proposal(
                        proposal,
                        heading=form.data.get("heading") or "",
                        body=form.data.get("body") or "",
                        rationale=form.rationale.data,
                        seen_version=_int(form.seen_version.data),
                    )
                    db.session.commit()
                except operations.ProposalError as err:
                    form.form_errors.append(str(err))
                except StaleDataError:
                    db.session.rollback()
                    form.form_errors.append(str(CONFLICT_MESSAGE))
                else:
                    flash(_("Your proposal is updated. Its earlier text is kept below."), "success")
                    return redirect(url_for(".detail", proposal_id=proposal.id))
    return render_template(
        "proposals/edit.html",
        form=form,
        proposal=proposal,
        preview=preview,
        collisions=collision_notes(operations.rebase_collisions(proposal))
        if proposal.needs_update
        else [],
        view=pick_view(request.values.get("view")),
        views=VIEWS,
    ), status


def _unless_open(proposal: Proposal):
    """Answer a late action on a decided proposal with what happened, not a bare 403."""
    if proposal.is_open:
        return None
    flash(
        _(
            "This proposal is already %(status)s, so nothing was changed.",
            status=proposal.status.value,
        ),
        "info",
    )
    return redirect(url_for(".detail", proposal_id=proposal.id))


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@bp.post("/<int:proposal_id>/withdraw")
@allow(Audience.AUTHOR)
def withdraw(proposal_id):
    """Withdraw your own open proposal."""
    proposal = db.get_or_404(Proposal, proposal_id)
    if (closed := _unless_open(proposal)) is not None:
        return closed
    require(can_withdraw_proposal(current_user, proposal))
    try:
        operations.withdraw_proposal(proposal)
        db.session.commit()
    except operations.ProposalError as err:  # decided by the committee in the same moment
        db.session.rollback()
        flash(str(err), "error")
    except StaleDataError:
        db.session.rollback()
        flash(str(CONFLICT_MESSAGE), "error")
    else:
        flash(
            _("Your proposal is withdrawn. It stays on the record with its discussion."), "success"
        )
    return redirect(url_for(".detail", proposal_id=proposal.id))


@bp.post("/<int:proposal_id>/support")
@limiter.limit(SUPPORTS_PER_ACCOUNT, key_func=per_account)
@allow(Audience.OTHERS)
def support(proposal_id):
    """Support an open proposal, once."""
    proposal = db.get_or_404(Proposal, proposal_id)
    if (closed := _unless_open(proposal)) is not None:
        return closed
    require(can_support_proposal(current_user, proposal))
    try:
        operations.support_proposal(proposal, current_user)
        db.session.commit()
    except operations.ProposalError as err:
        db.session.rollback()
        flash(str(err), "info")
    except IntegrityError:
        db.session.rollback()
        flash(_("You already support this proposal."), "info")
    else:
        flash(_("Thank you: your support is counted."), "success")
    return redirect(url_for(".detail", proposal_id=proposal.id))


@bp.post("/<int:proposal_id>/take-in/<int:amendment_id>")
@allow(Audience.AUTHOR)
def take_in(proposal_id, amendment_id):
    """Let a proposal's author make an amendment's wording the proposal's new text."""
    proposal = db.get_or_404(Proposal, proposal_id)
    amendment = db.get_or_404(Proposal, amendment_id)
    if (closed := _unless_open(proposal)) is not None:
        return closed
    require(can_edit_proposal(current_user, proposal))
    try:
        operations.take_in_amendment(
            proposal, amendment, current_user, seen_version=_int(request.form.get("seen_version"))
        )
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        flash(
            _("This proposal changed meanwhile. Read it again, then take the amendment in."),
            "info",
        )
    except operations.ProposalError as err:
        db.session.rollback()
        flash(str(err), "info")
    else:
        flash(
            _(
                "Amendment %(id)s is now the wording of your proposal; its author is credited.",
                id=amendment.id,
            ),
            "success",
        )
    return redirect(url_for(".detail", proposal_id=proposal.id))


@bp.post("/<int:proposal_id>/prefer")
@limiter.limit(SUPPORTS_PER_ACCOUNT, key_func=per_account)
@allow(Audience.SIGNED_IN)
def prefer(proposal_id):
    """Choose this proposal among those competing with it, or take the choice back."""
    proposal = db.get_or_404(Proposal, proposal_id)
    back = url_for("public.competing", key=proposal.clause.key) if proposal.clause else None
    try:
        if request.form.get("choice") == "clear":
            competing.clear_preference(proposal, current_user)
            message = _("Your choice is taken back.")
        else:
            competing.prefer(proposal, current_user)
            message = _(
                "Your choice is counted: you prefer proposal %(id)s in its set.", id=proposal.id
            )
        db.session.commit()
    except operations.ProposalError as err:
        db.session.rollback()
        flash(str(err), "info")
    except IntegrityError:  # the same choice sent twice at once: it counts once
        db.session.rollback()
        flash(_("Your choice was already counted."), "info")
    else:
        flash(message, "success")
    return redirect(back or url_for(".detail", proposal_id=proposal.id))


@bp.post("/<int:proposal_id>/decide")
@allow(Audience.COMMITTEE)
def decide(proposal_id):
    """Accept or reject an open proposal, with a reason everyone will read."""
    proposal = db.get_or_404(Proposal, proposal_id)
    if (closed := _unless_open(proposal)) is not None:
        return closed
    require(can_decide_proposal(current_user, proposal))
    form = forms.DecisionForm()
    if not form.validate_on_submit():
        return proposal_page(proposal, decision_form=form, status=400)
    try:
        if form.decision.data == "accept":
            operations.accept_proposal(
                proposal,
                current_user,
                form.reason.data,
                seen_version=_int(form.seen_version.data),
                confirmed=form.confirmed.data or None,
            )
        else:
            operations.reject_proposal(
                proposal, current_user, form.reason.data, seen_version=_int(form.seen_version.data)
            )
        db.session.commit()
    except operations.RebaseNeedsConfirmation as err:
        db.session.rollback()
        form.confirmed.data = err.rebased.fingerprint
        form.form_errors.append(str(err))
        rebased = rebased_change(proposal, err.rebased.heading, err.rebased.body)
        return proposal_page(proposal, decision_form=form, rebased=rebased, status=409)
    except operations.RebaseFailed as err:
        db.session.commit()  # keep the "needs an update" mark; nothing else changed
        # Show where it collides now, with a fresh form: the mark changed the proposal's version.
        form = forms.DecisionForm(formdata=None, seen_version=proposal.lock_version)
        form.form_errors.append(str(err))
        return proposal_page(proposal, decision_form=form, collisions=err.collisions, status=409)
    except operations.ProposalError as err:
        db.session.rollback()
        flash(str(err), "error")
    except (StaleDataError, IntegrityError):
        db.session.rollback()
        flash(str(CONFLICT_MESSAGE), "error")
    else:
        flash(_("Decision recorded: %(status)s.", status=proposal.status.label.lower()), "success")
    return redirect(url_for(".detail", proposal_id=proposal.id))
