"""What became of each comment on words: set by an accepted change or by the committee.

A thread is *addressed* when an accepted proposal changes the words it is anchored to: its
passage is not wholly inside a stretch the change kept (charter/text/shifting). The job that
anchors touched threads again finds them (charter/comments/placing), so the accept itself
reads no thread. A change to other words of the clause leaves it open. The committee can also
say a comment was taken into account, not taken up (with a public reason), or addressed by a
proposal it names.
Flush, never commit.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, select, update
from sqlalchemy.orm import aliased, selectinload

from charter import events
from charter.audit import record
from charter.consultations.queries import windows_between
from charter.extensions import db
from charter.models import (
    CharterVersion,
    Clause,
    ClauseRevision,
    Comment,
    CommentKind,
    CommentOutcome,
    ConsultationWindow,
    Proposal,
    ProposalStatus,
    User,
    VersionClause,
    utcnow,
)

OUTCOME_REASON_MAX = 300


class OutcomeError(ValueError):
    """An outcome that cannot be set, with a message fit to show and the field it is about."""

    def __init__(self, message: str, field: str = "reason"):
        super().__init__(message)
        self.field = field


def address_changed(changed_by: dict[int, str]) -> list[int]:
    """Mark addressed the open threads whose words an accepted proposal's wording changed.

    `changed_by` names, for each thread a change touched, the wording that change made (from
    the job that anchors touched threads again). A wording that no accepted proposal made
    (a proposal's own new text, a clause added by the committee) addresses nothing.
    """
    revisions = {int(key[1:]) for key in changed_by.values() if key.startswith("r")}
    if not revisions:
        return []
    accepted = dict(
        db.session.execute(
            select(ClauseRevision.id, Proposal.id)
            .join(Proposal, Proposal.id == ClauseRevision.proposal_id)
            .where(ClauseRevision.id.in_(revisions), Proposal.status == ProposalStatus.ACCEPTED)
        ).all()
    )
    by_proposal: dict[int, list[int]] = {}
    for comment_id, key in changed_by.items():
        if key.startswith("r") and int(key[1:]) in accepted:
            by_proposal.setdefault(accepted[int(key[1:])], []).append(comment_id)
    addressed = []
    for proposal_id, comment_ids in sorted(by_proposal.items()):
        done = _address(db.session.get(Proposal, proposal_id), sorted(comment_ids))
        addressed += done
    return addressed


def _address(proposal: Proposal, comment_ids: list[int]) -> list[int]:
    """Mark these threads addressed by the proposal, if still open; return those marked.

    Only threads still open change, so two jobs that read the same rows mark them once, and
    an outcome the committee set meanwhile stands.
    """
    first = first_version_with(proposal.result_revision_id)
    version = first.id if first else None
    done = []
    for chunk in (comment_ids[i : i + 500] for i in range(0, len(comment_ids), 500)):
        done += db.session.scalars(
            update(Comment)
            .where(
                Comment.id.in_(chunk),
                Comment.parent_id.is_(None),
                Comment.kind == CommentKind.COMMENT,
                Comment.outcome == CommentOutcome.OPEN,
                Comment.deleted.is_(False),
                Comment.hidden.is_(False),
            )
            .values(
                outcome=CommentOutcome.ADDRESSED,
                outcome_proposal_id=proposal.id,
                outcome_reason="",
                outcome_version_id=version,
                outcome_set_by_id=None,
                outcome_set_at=utcnow(),
            )
            .returning(Comment.id)
            .execution_options(synchronize_session="fetch")
        ).all()
    if done:
        done.sort()
        ids = ", ".join(map(str, done[:50])) + (" and more" if len(done) > 50 else "")
        record(
            None,
            "comment.addressed",
            "proposal",
            proposal.id,
            f"Proposal {proposal.id} changed the words of comment{'s' if len(done) > 1 else ''}"
            f" {ids}: addressed.",
        )
        db.session.flush()
        events.comments_addressed.send(proposal, comment_ids=done)
    return done


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
        raise OutcomeError(
            _("Outcomes are for comments that start a thread, not replies."), "outcome"
        )
    if comment.deleted or comment.hidden:
        raise OutcomeError(
            _("This comment was deleted or hidden, so it takes no outcome."), "outcome"
        )
    reason = " ".join(reason.split())
    if len(reason) > OUTCOME_REASON_MAX:
        raise OutcomeError(_("Keep the reason to %(n)s characters.", n=OUTCOME_REASON_MAX))
    if outcome in (CommentOutcome.TAKEN_INTO_ACCOUNT, CommentOutcome.NOT_TAKEN_UP) and not reason:
        raise OutcomeError(
            _(
                "Give the public reason for “%(outcome)s”; the author and everyone else will "
                "read it.",
                outcome=outcome.label.lower(),
            )
        )
    if outcome is CommentOutcome.ADDRESSED:
        if proposal is None:
            raise OutcomeError(
                _("Give the number of the proposal that addressed this comment."), "proposal"
            )
        if proposal.charter_id != (comment.clause or comment.proposal).charter_id:
            raise OutcomeError(
                _("Proposal %(id)s is about another charter.", id=proposal.id), "proposal"
            )
    else:
        proposal = None
    if outcome is CommentOutcome.OPEN:
        reason = ""
    comment.outcome, comment.outcome_reason = outcome, reason
    comment.outcome_proposal_id = proposal.id if proposal else None
    took_effect = first_version_with(proposal.result_revision_id) if proposal else None
    comment.outcome_version_id = took_effect.id if took_effect else None
    comment.outcome_set_by_id, comment.outcome_set_at = by.id, utcnow()
    summary = f"Comment {comment.id}: {outcome.english.lower()}"
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
    events.comment_outcome_set.send(comment, by=by)


def mark_published(version: CharterVersion) -> int:
    """Name the version in which the change that addressed each comment took effect.

    That is the first version holding its clause at the change's wording or a later one: a
    change accepted and then reworded again before publishing still took effect here.
    """
    made, held = aliased(ClauseRevision), aliased(ClauseRevision)
    done = (
        select(Proposal.id)
        .join(made, made.id == Proposal.result_revision_id)
        .join(held, and_(held.clause_id == made.clause_id, held.number >= made.number))
        .join(
            VersionClause,
            and_(VersionClause.revision_id == held.id, VersionClause.version_id == version.id),
        )
    )
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


@dataclass
class ClauseOutcomes:
    """What residents raised about one clause (or about no single clause), with outcomes."""

    clause: Clause | None
    comments: list[Comment] = field(default_factory=list)
    questions: list[tuple[Comment, Comment | None]] = field(default_factory=list)
    proposals: list[Proposal] = field(default_factory=list)


@dataclass
class VersionOutcomes:
    """Everything raised between the previous published version and this one."""

    version: CharterVersion
    since: datetime | None
    groups: list[ClauseOutcomes]
    comment_counts: dict[CommentOutcome, int]
    questions: int
    answered: int
    proposal_counts: dict[ProposalStatus, int]
    windows: list[ConsultationWindow] = field(default_factory=list)  # when residents could speak

    @property
    def comments(self) -> int:
        return sum(self.comment_counts.values())

    @property
    def proposals(self) -> int:
        return sum(self.proposal_counts.values())


def answered_questions(ids: list[int]) -> set[int]:
    """Of these threads, the questions with an official answer the public can read: one query."""
    if not ids:
        return set()
    found = db.session.scalars(
        db.select(Comment.parent_id).where(
            Comment.parent_id.in_(ids),
            Comment.kind == CommentKind.ANSWER,
            Comment.hidden.is_(False),
            Comment.deleted.is_(False),
        )
    )
    return set(found)


def _official_answers(question_ids: list[int]) -> dict[int, Comment]:
    """The first official answer the public can read of each of these questions."""
    found: dict[int, Comment] = {}
    if question_ids:
        for answer in db.session.scalars(
            db.select(Comment)
            .where(
                Comment.parent_id.in_(question_ids),
                Comment.kind == CommentKind.ANSWER,
                Comment.hidden.is_(False),
                Comment.deleted.is_(False),
            )
            .order_by(Comment.created_at, Comment.id)
        ):
            found.setdefault(answer.parent_id, answer)
    return found


def official_answer(question: Comment) -> Comment | None:
    """Return the first official answer a question has that the public can read."""
    return next(
        (
            r
            for r in question.replies
            if r.kind is CommentKind.ANSWER and not (r.hidden or r.deleted)
        ),
        None,
    )


def version_outcomes(version: CharterVersion) -> VersionOutcomes:
    """Gather the threads and proposals made since the version before, grouped by clause."""
    previous = db.session.scalar(
        select(CharterVersion.published_at)
        .where(
            CharterVersion.charter_id == version.charter_id,
            CharterVersion.published_at.is_not(None),
            CharterVersion.published_at < version.published_at,
        )
        .order_by(CharterVersion.published_at.desc())
        .limit(1)
    )

    # Publication times are sealed to the whole second, so a version holds what was raised
    # up to the end of its second, and the next one starts from there.
    second = timedelta(seconds=1)

    def window(created):
        rule = [created < version.published_at + second]
        return rule + ([created >= previous + second] if previous is not None else [])

    threads = db.session.scalars(
        select(Comment)
        .outerjoin(Clause, Clause.id == Comment.clause_id)
        .outerjoin(Proposal, Proposal.id == Comment.proposal_id)
        .where(
            Comment.parent_id.is_(None),
            Comment.kind != CommentKind.ANSWER,
            Comment.deleted.is_(False),
            Comment.hidden.is_(False),
            (Clause.charter_id == version.charter_id) | (Proposal.charter_id == version.charter_id),
            *window(Comment.created_at),
        )
        .order_by(Comment.created_at, Comment.id)
        # Every thread of a version at once: what each row shows comes in a few queries.
        .options(
            selectinload(Comment.clause),
            selectinload(Comment.proposal).selectinload(Proposal.clause),
            selectinload(Comment.outcome_version),
            selectinload(Comment.outcome_proposal),
        )
    ).all()
    answers = _official_answers([t.id for t in threads if t.kind is CommentKind.QUESTION])
    proposals = db.session.scalars(
        select(Proposal)
        .where(Proposal.charter_id == version.charter_id, *window(Proposal.created_at))
        .order_by(Proposal.created_at, Proposal.id)
    )
    groups: dict[int | None, ClauseOutcomes] = {}

    def group(clause: Clause | None) -> ClauseOutcomes:
        key = clause.id if clause else None
        return groups.setdefault(key, ClauseOutcomes(clause))

    comment_counts = {outcome: 0 for outcome in CommentOutcome}
    questions = answered = 0
    for thread in threads:
        about = group(thread.clause or (thread.proposal.clause if thread.proposal else None))
        if thread.kind is CommentKind.QUESTION:
            answer = answers.get(thread.id)
            about.questions.append((thread, answer))
            questions, answered = questions + 1, answered + (answer is not None)
        else:
            about.comments.append(thread)
            comment_counts[thread.outcome] += 1
    proposal_counts = {status: 0 for status in ProposalStatus}
    for proposal in proposals:
        group(proposal.clause).proposals.append(proposal)
        proposal_counts[proposal.status] += 1
    ordered = sorted(
        groups.values(),
        key=lambda g: (g.clause is None, g.clause.position if g.clause else 0),
    )
    return VersionOutcomes(
        version=version,
        since=previous,
        groups=ordered,
        comment_counts=comment_counts,
        questions=questions,
        answered=answered,
        proposal_counts=proposal_counts,
        windows=windows_between(version.charter_id, previous, version.published_at + second),
    )


def first_version_with(revision_id: int | None) -> CharterVersion | None:
    """Return the first published version in which a clause wording took effect, if any.

    That version holds the clause at this wording or a later one: a wording replaced before
    anything was published still took effect in the version that followed.
    """
    if revision_id is None:
        return None
    made, held = aliased(ClauseRevision), aliased(ClauseRevision)
    return db.session.scalar(
        select(CharterVersion)
        .join(VersionClause, VersionClause.version_id == CharterVersion.id)
        .join(held, held.id == VersionClause.revision_id)
        .join(made, and_(made.clause_id == held.clause_id, made.number <= held.number))
        .where(made.id == revision_id, CharterVersion.published_at.is_not(None))
        .order_by(CharterVersion.number)
        .limit(1)
    )


def version_with_revision(revision_id: int | None) -> int | None:
    """Return the number of the first published version in which a wording took effect."""
    version = first_version_with(revision_id)
    return version.number if version else None
