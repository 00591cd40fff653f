"""What became of each comment on words: set by an accepted change or by the committee.

A thread is *addressed* when an accepted proposal changes the words it is anchored to: its
passage is not wholly inside a stretch the change kept (charter/text/shifting). A change to
other words of the clause leaves it open. The committee can also say a comment was taken
into account, not taken up (with a public reason), or addressed by a proposal it names.
Flush, never commit.
"""

from sqlalchemy import select

from charter.audit import record
from charter.comments.placing import spots, wording_text
from charter.extensions import db
from charter.models import (
    CharterVersion,
    ClauseRevision,
    Comment,
    CommentKind,
    CommentOutcome,
    Proposal,
    ProposalStatus,
    User,
    VersionClause,
    utcnow,
)
from charter.text.shifting import Shift

OUTCOME_REASON_MAX = 300


class OutcomeError(ValueError):
    """An outcome that cannot be set, with a message fit to show."""


def _open_threads_on(previous: ClauseRevision) -> list[Comment]:
    return list(
        db.session.scalars(
            select(Comment)
            .where(
                Comment.clause_id == previous.clause_id,
                Comment.parent_id.is_(None),
                Comment.kind == CommentKind.COMMENT,
                Comment.outcome == CommentOutcome.OPEN,
                Comment.exact.is_not(None),
                Comment.deleted.is_(False),
                Comment.hidden.is_(False),
            )
            .order_by(Comment.id)
        )
    )


def touched_threads(previous: ClauseRevision, revision: ClauseRevision) -> list[Comment]:
    """Return the open threads whose words in `previous` the change to `revision` touched.

    Call it before the threads are placed on the new wording: it reads where each one sits
    on the wording the change was made to.
    """
    threads = _open_threads_on(previous)
    if not threads:
        return []
    where = spots(previous, threads)
    shift = Shift.between(wording_text(previous).text, wording_text(revision).text)
    touched = []
    for thread in threads:
        spot = where.get(thread.id)
        if spot is None or spot.orphaned:
            continue  # its words were already gone before this change
        if shift.moves(spot.start, spot.end) is None:
            touched.append(thread)
    return touched


def address_touched(previous: ClauseRevision | None, revision: ClauseRevision) -> list[Comment]:
    """Mark addressed the open threads whose words an accepted proposal's wording changed."""
    proposal = revision.proposal
    if previous is None or proposal is None or proposal.status is not ProposalStatus.ACCEPTED:
        return []
    touched = touched_threads(previous, revision)
    now = utcnow()
    for thread in touched:
        thread.outcome = CommentOutcome.ADDRESSED
        thread.outcome_proposal_id = proposal.id
        thread.outcome_reason = ""
        thread.outcome_set_by_id, thread.outcome_set_at = None, now
    if touched:
        ids = ", ".join(str(t.id) for t in touched)
        record(
            None,
            "comment.addressed",
            "proposal",
            proposal.id,
            f"Proposal {proposal.id} changed the words of comment{'s' if len(touched) > 1 else ''}"
            f" {ids}: addressed.",
        )
        db.session.flush()
    return touched


def set_outcome(
    comment: Comment,
    by: User,
    outcome: CommentOutcome,
    *,
    reason: str = "",
    proposal: Proposal | None = None,
) -> None:
    """Say what became of a comment: addressed by a proposal, taken into account, not taken up
    (both with a public reason), or open again."""
    if comment.parent_id is not None or comment.kind is not CommentKind.COMMENT:
        raise OutcomeError("Outcomes are for comments that start a thread, not replies.")
    if comment.deleted or comment.hidden:
        raise OutcomeError("This comment was deleted or hidden, so it takes no outcome.")
    reason = " ".join(reason.split())
    if len(reason) > OUTCOME_REASON_MAX:
        raise OutcomeError(f"Keep the reason to {OUTCOME_REASON_MAX} characters.")
    if outcome in (CommentOutcome.TAKEN_INTO_ACCOUNT, CommentOutcome.NOT_TAKEN_UP) and not reason:
        raise OutcomeError(
            f"Give the public reason for “{outcome.label.lower()}”; the author and everyone "
            "else will read it."
        )
    if outcome is CommentOutcome.ADDRESSED:
        if proposal is None:
            raise OutcomeError("Give the number of the proposal that addressed this comment.")
        if proposal.charter_id != (comment.clause or comment.proposal).charter_id:
            raise OutcomeError(f"Proposal {proposal.id} is about another charter.")
    else:
        proposal = None
    if outcome is CommentOutcome.OPEN:
        reason = ""
    comment.outcome, comment.outcome_reason = outcome, reason
    comment.outcome_proposal_id = proposal.id if proposal else None
    comment.outcome_version_id = None
    comment.outcome_set_by_id, comment.outcome_set_at = by.id, utcnow()
    summary = f"Comment {comment.id}: {outcome.label.lower()}"
    if proposal is not None:
        summary += f" by proposal {proposal.id}"
    record(
        by,
        f"comment.{outcome.value}",
        "comment",
        comment.id,
        summary + (f". Reason: {reason}" if reason else "."),
    )
    db.session.flush()


def mark_published(version: CharterVersion) -> int:
    """Name the version in which the change that addressed each comment took effect."""
    in_version = select(VersionClause.revision_id).where(VersionClause.version_id == version.id)
    done = select(Proposal.id).where(Proposal.result_revision_id.in_(in_version))
    comments = list(
        db.session.scalars(
            select(Comment).where(
                Comment.outcome == CommentOutcome.ADDRESSED,
                Comment.outcome_version_id.is_(None),
                Comment.outcome_proposal_id.in_(done),
            )
        )
    )
    for comment in comments:
        comment.outcome_version_id = version.id
    db.session.flush()
    return len(comments)
