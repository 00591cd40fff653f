"""Comments: post on a clause or proposal, reply, edit, delete, report; moderators hide."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from charter.clauses.queries import get_charter, get_clause
from charter.comments import operations
from charter.comments.forms import (
    CommentForm,
    EditCommentForm,
    OutcomeForm,
    ReasonForm,
    ReplyForm,
)
from charter.comments.outcomes import OutcomeError, set_outcome
from charter.comments.queries import (
    BadListing,
    Cursor,
    hidden_comments,
    open_reports,
    page_of_reply,
    read_thread,
)
from charter.extensions import db, limiter
from charter.forms import EmptyForm
from charter.inputs import RefusedChoice, parse_id
from charter.models import (
    ClauseRevision,
    Comment,
    CommentKind,
    CommentOutcome,
    CommentReport,
    Proposal,
)
from charter.permissions import (
    Audience,
    allow,
    can_answer,
    can_comment,
    can_delete_comment,
    can_edit_comment,
    can_hide_comment,
    can_moderate,
    can_reply_to_comment,
    can_report_comment,
    can_restore_comment,
    can_set_outcome,
    require,
)
from charter.proposals.pages import proposal_page
from charter.public.pages import clause_page

bp = Blueprint("comments", __name__, url_prefix="/comments")


def _per_account():
    """Count rate limits per account, so one person cannot flood from several addresses."""
    return f"user:{current_user.id}" if current_user.is_authenticated else request.remote_addr


POSTING_LIMIT = "10 per minute;100 per day"


def comment_url(comment: Comment) -> str:
    """Link to a comment on its thread's page, on the page of replies that shows it."""
    if comment.parent_id is None:
        return url_for("comments.thread", comment_id=comment.id, _anchor=f"comment-{comment.id}")
    return url_for(
        "comments.thread",
        comment_id=comment.parent_id,
        cursor=page_of_reply(comment),
        _anchor=f"comment-{comment.id}",
    )


def discussion_url(root: Comment, anchor: str = "discussion", **args) -> str:
    """Link to the discussion a thread belongs to, with a filter or words if given."""
    args = {name: value for name, value in args.items() if value is not None}
    if root.clause_id:
        return url_for("public.clause", key=root.clause.key, **args, _anchor=anchor)
    return url_for("proposals.detail", proposal_id=root.proposal_id, **args, _anchor=anchor)


def read_cursor():
    """Read ?cursor= of this request; a broken one is a 400 saying why."""
    try:
        return Cursor.decode(request.args["cursor"]) if "cursor" in request.args else None
    except BadListing as err:
        raise RefusedChoice(str(err)) from err


@bp.get("/<int:comment_id>")
@allow(Audience.ANYONE)
def thread(comment_id, outcome_form=None, status=200):
    """Show a thread: its first comment and every reply, a hundred at a time."""
    comment = db.get_or_404(Comment, comment_id)
    if comment.parent_id is not None:
        return redirect(comment_url(comment))
    cursor = read_cursor()
    found = read_thread(comment, cursor)
    if comment.clause_id:
        title = comment.clause.current_revision.heading
    else:
        title = _("proposal %(n)s: %(title)s", n=comment.proposal_id, title=comment.proposal.title)
    return render_template(
        "comments/thread.html",
        thread=found,
        cursor=cursor,
        about_title=title,
        about_url=discussion_url(comment),
        words_url=lambda **args: discussion_url(comment, **args),
        button_form=EmptyForm(),
        outcome_form=outcome_form or OutcomeForm(formdata=None, outcome=comment.outcome.value),
    ), status


def _selection(form: CommentForm) -> operations.Selection | None:
    if form.selection_start.data is None or form.selection_end.data is None:
        return None
    return operations.Selection(
        form.selection_start.data, form.selection_end.data, form.selection_exact.data or ""
    )


def _post(form: CommentForm, **about):
    return operations.post_comment(
        current_user,
        body=form.body.data,
        kind=CommentKind.QUESTION if form.kind.data == "question" else CommentKind.COMMENT,
        selection=_selection(form),
        paragraph=form.paragraph.data or None,
        **about,
    )


@bp.post("/clauses/<key>")
@limiter.limit(POSTING_LIMIT, key_func=_per_account)
@allow(Audience.SIGNED_IN)
def on_clause(key):
    """Comment on a clause's wording, whole or on selected words."""
    require(can_comment(current_user))
    charter = get_charter() or abort(404)
    clause = get_clause(charter, key) or abort(404)
    form = CommentForm()
    revision = None
    if (wording := parse_id(form.wording.data or "")) is not None:
        revision = db.session.get(ClauseRevision, wording)
    if form.validate_on_submit():
        try:
            comment = _post(form, clause=clause, revision=revision)
        except operations.CommentError as err:
            db.session.rollback()
            form.form_errors.append(str(err))
        else:
            db.session.commit()
            flash(_("Your comment is posted."), "success")
            # The newest thread leads the first page, beside the words it is about.
            return redirect(discussion_url(comment, anchor=f"comment-{comment.id}"))
    return clause_page(charter, clause, comment_form=form, status=400)


@bp.post("/proposals/<int:proposal_id>")
@limiter.limit(POSTING_LIMIT, key_func=_per_account)
@allow(Audience.SIGNED_IN)
def on_proposal(proposal_id):
    """Comment on a proposal, whole or on selected words of its text."""
    require(can_comment(current_user))
    proposal = db.get_or_404(Proposal, proposal_id)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            comment = _post(form, proposal=proposal)
        except operations.CommentError as err:
            db.session.rollback()
            form.form_errors.append(str(err))
        else:
            db.session.commit()
            flash(_("Your comment is posted."), "success")
            # The newest thread leads the first page, beside the words it is about.
            return redirect(discussion_url(comment, anchor=f"comment-{comment.id}"))
    return proposal_page(proposal, comment_form=form, status=400)


def _form_page(template: str, status: int = 200, **context):
    return render_template(f"comments/{template}", **context), status


@bp.route("/<int:comment_id>/reply", methods=["GET", "POST"])
@limiter.limit(POSTING_LIMIT, key_func=_per_account, methods=["POST"])
@allow(Audience.SIGNED_IN)
def reply(comment_id):
    """Reply to a comment (committee members may answer a question officially)."""
    parent = db.get_or_404(Comment, comment_id)
    require(can_reply_to_comment(current_user, parent))
    form = ReplyForm()
    if form.validate_on_submit():
        official = bool(form.official.data)
        if official:
            require(can_answer(current_user, parent.parent or parent))
        try:
            comment = operations.reply(current_user, parent, form.body.data, official=official)
        except operations.CommentError as err:
            db.session.rollback()
            form.form_errors.append(str(err))
        else:
            db.session.commit()
            flash(_("Your reply is posted."), "success")
            return redirect(comment_url(comment))
    status = 400 if form.is_submitted() else 200
    return _form_page("reply.html", status, form=form, comment=parent)


@bp.route("/<int:comment_id>/edit", methods=["GET", "POST"])
@allow(Audience.AUTHOR)
def edit(comment_id):
    """Change the words of your own comment."""
    comment = db.get_or_404(Comment, comment_id)
    require(can_edit_comment(current_user, comment))
    form = EditCommentForm(data={"body": comment.body})
    if form.validate_on_submit():
        try:
            operations.edit_comment(comment, form.body.data)
        except operations.CommentError as err:
            form.form_errors.append(str(err))
        else:
            db.session.commit()
            flash(_("Your comment is updated."), "success")
            return redirect(comment_url(comment))
    status = 400 if form.is_submitted() else 200
    return _form_page("edit.html", status, form=form, comment=comment)


@bp.post("/<int:comment_id>/delete")
@allow(Audience.AUTHOR)
def delete(comment_id):
    """Delete your own comment."""
    comment = db.get_or_404(Comment, comment_id)
    require(can_delete_comment(current_user, comment))
    try:
        operations.delete_comment(comment)
    except operations.CommentError as err:
        flash(str(err), "error")
        return redirect(comment_url(comment))
    db.session.commit()
    flash(_("Your comment is deleted."), "success")
    return redirect(comment_url(comment))


@bp.route("/<int:comment_id>/report", methods=["GET", "POST"])
@limiter.limit("20 per hour", key_func=_per_account, methods=["POST"])
@allow(Audience.OTHERS)
def report(comment_id):
    """Ask the moderators to look at a comment."""
    comment = db.get_or_404(Comment, comment_id)
    require(can_report_comment(current_user, comment))
    form = ReasonForm()
    if form.validate_on_submit():
        try:
            operations.report_comment(comment, current_user, form.reason.data)
            db.session.commit()
        except (operations.CommentError, IntegrityError) as err:
            db.session.rollback()
            if not current_user.email_verified:  # give back the reason typed, and say why
                form.form_errors.append(str(err))
                return _form_page("report.html", 400, form=form, comment=comment)
            message = (
                str(err) if isinstance(err, operations.CommentError) else _("Already reported.")
            )
            flash(message, "info")
        else:
            flash(_("Thank you. The moderators will look at this comment."), "success")
        return redirect(comment_url(comment))
    status = 400 if form.is_submitted() else 200
    return _form_page("report.html", status, form=form, comment=comment)


@bp.get("/moderation")
@allow(Audience.COMMITTEE)
def moderation():
    """Show the moderators what has been reported, and what is hidden."""
    require(can_moderate(current_user))
    return render_template(
        "comments/moderation.html",
        reports=open_reports(),
        hidden=hidden_comments(),
        reason_form=ReasonForm(formdata=None),
        comment_url=comment_url,
    )


@bp.post("/<int:comment_id>/hide")
@allow(Audience.COMMITTEE)
def hide(comment_id):
    """Hide a comment, with a reason shown in its place."""
    comment = db.get_or_404(Comment, comment_id)
    require(can_moderate(current_user))
    form = ReasonForm()
    try:
        if not can_hide_comment(current_user, comment):
            raise operations.CommentError(
                _(
                    "Comment %(id)s is already hidden or deleted; there is nothing to hide.",
                    id=comment.id,
                )
            )
        if not form.validate_on_submit():
            raise operations.CommentError(_("Give the public reason for hiding it."))
        operations.hide_comment(comment, current_user, form.reason.data)
    except operations.CommentError as err:
        db.session.rollback()
        flash(str(err), "error")
    else:
        db.session.commit()
        flash(_("Comment %(id)s is hidden.", id=comment.id), "success")
    return redirect(url_for(".moderation"))


@bp.post("/<int:comment_id>/restore")
@allow(Audience.COMMITTEE)
def restore(comment_id):
    """Show a hidden comment again."""
    comment = db.get_or_404(Comment, comment_id)
    require(can_moderate(current_user))
    try:
        if not can_restore_comment(current_user, comment):
            raise operations.CommentError(
                _("Comment %(id)s is not hidden; there is nothing to restore.", id=comment.id)
            )
        operations.restore_comment(comment, current_user)
    except operations.CommentError as err:
        db.session.rollback()
        flash(str(err), "error")
    else:
        db.session.commit()
        flash(_("Comment %(id)s is restored.", id=comment.id), "success")
    return redirect(url_for(".moderation"))


@bp.post("/reports/<int:report_id>/dismiss")
@allow(Audience.COMMITTEE)
def dismiss(report_id):
    """Close a report and leave the comment as it is."""
    report_ = db.get_or_404(CommentReport, report_id)
    require(can_moderate(current_user))
    operations.dismiss_report(report_, current_user)
    db.session.commit()
    flash(_("The report is dismissed; the comment stays."), "success")
    return redirect(url_for(".moderation"))


@bp.post("/<int:comment_id>/outcome")
@allow(Audience.COMMITTEE)
def outcome(comment_id):
    """Say what became of a comment, with a public reason where one is needed."""
    comment = db.get_or_404(Comment, comment_id)
    require(can_moderate(current_user))
    if not can_set_outcome(current_user, comment):
        flash(
            _("Only a comment that starts a thread, and that everyone can read, takes an outcome.")
        )
        return redirect(comment_url(comment))
    form = OutcomeForm()
    if not form.validate_on_submit():
        return thread(comment_id, outcome_form=form, status=400)
    try:
        proposal = None
        if form.outcome.data == CommentOutcome.ADDRESSED.value and form.proposal.data:
            proposal = db.session.get(Proposal, form.proposal.data)
            if proposal is None:
                raise OutcomeError(
                    _("There is no proposal %(n)s.", n=form.proposal.data), "proposal"
                )
        set_outcome(
            comment,
            current_user,
            CommentOutcome(form.outcome.data),
            reason=form.reason.data or "",
            proposal=proposal,
        )
    except OutcomeError as err:
        db.session.rollback()
        form[err.field].errors = [str(err)]
        return thread(comment_id, outcome_form=form, status=400)
    db.session.commit()
    flash(
        _(
            "The outcome of comment %(id)s is now: %(outcome)s.",
            id=comment.id,
            outcome=comment.outcome.label,
        ),
        "success",
    )
    return redirect(comment_url(comment))
