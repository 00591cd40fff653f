"""Comment use cases: post, reply, edit, delete, report and moderate. Flush, never commit."""

from dataclasses import dataclass

from flask_babel import gettext as _

from charter.accounts.operations import UNVERIFIED_MESSAGE
from charter.audit import record
from charter.comments.placing import (
    place_new_comment,
    show_placement,
    wording_text,
)
from charter.consultations.queries import window_for
from charter.events import comment_posted, question_answered
from charter.extensions import db
from charter.languages import number
from charter.models import (
    Clause,
    ClauseRevision,
    Comment,
    CommentKind,
    CommentReport,
    Proposal,
    ReportStatus,
    User,
    utcnow,
)
from charter.text.anchoring import Anchor, make_anchor, utf16_to_index

BODY_MAX = 2_000
REASON_MAX = 300


class CommentError(ValueError):
    """A comment action that cannot go ahead, with a message fit to show."""


@dataclass(frozen=True)
class Selection:
    """A passage as the browser reports it: UTF-16 offsets and the words it saw."""

    start: int
    end: int
    exact: str


def _check_body(body: str) -> str:
    body = body.strip()
    if not body:
        raise CommentError(_("Write your comment; it cannot be empty."))
    if len(body) > BODY_MAX:
        raise CommentError(_("Keep your comment to %(n)s characters.", n=number(BODY_MAX)))
    return body


def _anchor_for(wording, selection: Selection | None, paragraph: int | None) -> Anchor | None:
    if selection is None and paragraph is None:
        return None
    text = wording_text(wording)
    if selection is not None:
        try:
            start = utf16_to_index(text.text, selection.start)
            end = utf16_to_index(text.text, selection.end)
            anchor = make_anchor(text.text, start, end)
        except ValueError as err:
            raise CommentError(
                _("The selected words could not be found: %(err)s", err=err)
            ) from err
        if " ".join(anchor.exact.split()) != " ".join(selection.exact.split()):
            raise CommentError(
                _("The wording changed while you were selecting. Select the words again.")
            )
        return anchor
    if not 1 <= paragraph <= len(text.blocks):
        raise CommentError(_("Choose one of the paragraphs listed."))
    block = text.blocks[paragraph - 1]
    return make_anchor(text.text, block.start, block.end)


def _require_verified(user: User) -> None:
    """Only a confirmed address takes part: what was written comes back with the reason."""
    if not user.email_verified:
        raise CommentError(UNVERIFIED_MESSAGE)


def _require_window(clause: Clause | None, proposal: Proposal | None = None) -> None:
    """Refuse residents' words once the consultation window covering them has closed."""
    charter = clause.charter if clause is not None else proposal.charter
    about = clause if clause is not None else proposal.clause
    # Read afresh: the deadline may have passed, or a window closed, since the form was shown.
    standing = window_for(charter, about, fresh=True)
    if not standing.open:
        raise CommentError(standing.refusal())


def post_comment(
    author: User,
    *,
    body: str,
    clause: Clause | None = None,
    revision: ClauseRevision | None = None,
    proposal: Proposal | None = None,
    kind: CommentKind = CommentKind.COMMENT,
    selection: Selection | None = None,
    paragraph: int | None = None,
) -> Comment:
    """Comment on a clause wording or a proposal's text, whole or on a passage of it."""
    _require_verified(author)
    body = _check_body(body)
    if kind is CommentKind.ANSWER:
        raise CommentError(_("An official answer is a reply to a question."))
    if clause is not None:
        if clause.retired:
            raise CommentError(_("This clause has been removed; its discussion is closed."))
        head = clause.current_revision
        wording = revision or head
        if wording.clause_id != clause.id:
            raise CommentError(_("That wording belongs to another clause."))
    elif proposal is not None:
        wording = head = proposal.texts[-1]
    else:
        raise CommentError(_("Choose what the comment is about."))
    _require_window(clause, proposal)
    anchor = _anchor_for(wording, selection, paragraph)
    comment = Comment(
        clause=clause,
        revision=wording if clause is not None else None,
        proposal=proposal,
        proposal_text=wording if proposal is not None else None,
        body=body,
        kind=kind,
        author=author,
    )
    if anchor is not None:
        comment.exact, comment.prefix, comment.suffix = anchor.exact, anchor.prefix, anchor.suffix
        comment.start, comment.end = anchor.start, anchor.end
    db.session.add(comment)
    db.session.flush()
    if anchor is not None:
        place_new_comment(comment, wording, head)
    comment_posted.send(comment)
    return comment


def reply(author: User, parent: Comment, body: str, *, official: bool = False) -> Comment:
    """Reply to a comment; threads are one level deep, so a reply to a reply joins the thread."""
    _require_verified(author)
    body = _check_body(body)
    root = parent.parent or parent
    if parent.hidden or root.hidden:
        raise CommentError(_("The moderators hid this comment; its thread takes no new replies."))
    if parent.deleted or (root.deleted and not root.replies):
        raise CommentError(_("This comment was deleted."))
    if official and root.kind is not CommentKind.QUESTION:
        raise CommentError(_("Official answers are for questions."))
    if not official:  # the committee must still be able to answer once comments close
        _require_window(root.clause, root.proposal)
    comment = Comment(
        clause_id=root.clause_id,
        revision_id=root.revision_id,
        proposal_id=root.proposal_id,
        proposal_text_id=root.proposal_text_id,
        parent=root,
        body=body,
        kind=CommentKind.ANSWER if official else CommentKind.COMMENT,
        author=author,
    )
    db.session.add(comment)
    db.session.flush()
    comment_posted.send(comment)
    if official:
        question_answered.send(root, answer=comment)
    return comment


def edit_comment(comment: Comment, body: str) -> None:
    """Change a comment's words; it shows as edited."""
    if comment.deleted:
        raise CommentError(_("This comment was deleted."))
    if comment.hidden:
        raise CommentError(_("The moderators hid this comment, so it cannot be changed."))
    comment.body = _check_body(body)
    comment.edited_at = utcnow()
    db.session.flush()


def delete_comment(comment: Comment) -> None:
    """Delete a comment's words; replies to it stay, under "comment deleted"."""
    if comment.hidden:
        # The moderators keep what they hid, so its author cannot erase the evidence.
        raise CommentError(_("The moderators hid this comment, so it cannot be deleted."))
    comment.deleted = True
    comment.body = ""
    comment.edited_at = utcnow()
    show_placement(comment, False)
    db.session.flush()


def report_comment(comment: Comment, reporter: User, reason: str) -> CommentReport:
    """Ask the moderators to look at a comment, once per person."""
    _require_verified(reporter)
    reason = reason.strip()
    if not reason:
        raise CommentError(_("Say what is wrong with the comment."))
    if len(reason) > REASON_MAX:
        raise CommentError(_("Keep the reason to %(n)s characters.", n=REASON_MAX))
    if db.session.scalar(
        db.select(CommentReport.id).filter_by(comment_id=comment.id, reporter_id=reporter.id)
    ):
        raise CommentError(_("You have already reported this comment. The moderators will look."))
    report = CommentReport(comment=comment, reporter=reporter, reason=reason)
    db.session.add(report)
    db.session.flush()
    return report


def _resolve_reports(comment: Comment, by: User, status: ReportStatus) -> None:
    for report in db.session.scalars(
        db.select(CommentReport).filter_by(comment_id=comment.id, status=ReportStatus.OPEN)
    ):
        report.status, report.resolved_by_id, report.resolved_at = status, by.id, utcnow()


def hide_comment(comment: Comment, by: User, reason: str) -> None:
    """Hide a comment with a public reason; it is kept and can be restored."""
    if comment.deleted:
        raise CommentError(
            _("Comment %(id)s was deleted by its author; nothing to hide.", id=comment.id)
        )
    if comment.hidden:
        raise CommentError(_("Comment %(id)s is already hidden.", id=comment.id))
    reason = reason.strip()
    if not reason:
        raise CommentError(_("Give the public reason for hiding it, such as “off-topic”."))
    if len(reason) > REASON_MAX:
        raise CommentError(_("Keep the reason to %(n)s characters.", n=REASON_MAX))
    comment.hidden, comment.hidden_reason = True, reason
    comment.hidden_by, comment.hidden_at = by, utcnow()
    show_placement(comment, False)
    _resolve_reports(comment, by, ReportStatus.ACTIONED)
    record(
        by,
        "comment.hidden",
        "comment",
        comment.id,
        f"Comment {comment.id} hidden by the moderators: {reason}",
    )
    db.session.flush()


def restore_comment(comment: Comment, by: User) -> None:
    """Show a hidden comment again."""
    if not comment.hidden:
        raise CommentError(
            _("Comment %(id)s is not hidden; there is nothing to restore.", id=comment.id)
        )
    comment.hidden, comment.hidden_reason = False, ""
    show_placement(comment, not comment.deleted)
    record(
        by,
        "comment.restored",
        "comment",
        comment.id,
        f"Comment {comment.id} restored by the moderators.",
    )
    db.session.flush()


def dismiss_report(report: CommentReport, by: User) -> None:
    """Close a report without hiding the comment."""
    report.status, report.resolved_by_id, report.resolved_at = (
        ReportStatus.DISMISSED,
        by.id,
        utcnow(),
    )
    db.session.flush()
