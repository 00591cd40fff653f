"""What waits for the committee, oldest first: each queue one query for a capped page and one
to count, whatever its length."""

from dataclasses import dataclass
from datetime import UTC, datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from charter.extensions import db
from charter.models import (
    Charter,
    Clause,
    Comment,
    CommentKind,
    CommentOutcome,
    CommentReport,
    Proposal,
    ProposalStatus,
    ReportStatus,
)
from charter.models.base import utcnow
from charter.proposals.queries import proposals_query

SHOWN = 20  # items listed in each queue; the rest are a link away
PER_PAGE = 50  # on the page that lists every unanswered question

Answer = aliased(Comment)


@dataclass(frozen=True)
class Queue:
    items: list
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def _count(query) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def _shown(model=Comment):
    return and_(model.deleted.is_(False), model.hidden.is_(False))


def _threads_in(charter: Charter, *conditions):
    """Threads anyone can still read on the charter's clauses and proposals, oldest first."""
    in_charter = or_(
        Comment.clause_id.in_(select(Clause.id).filter_by(charter_id=charter.id)),
        Comment.proposal_id.in_(select(Proposal.id).filter_by(charter_id=charter.id)),
    )
    return (
        select(Comment)
        .where(Comment.parent_id.is_(None), _shown(), in_charter, *conditions)
        .options(
            selectinload(Comment.author),
            selectinload(Comment.clause).selectinload(Clause.current_revision),
            selectinload(Comment.proposal).selectinload(Proposal.base_revision),
        )
        .order_by(Comment.created_at, Comment.id)
    )


def unanswered_questions_query(charter: Charter):
    """Questions anyone can still read, with no official answer anyone can read, oldest first.

    An answer since hidden or deleted leaves the question waiting: readers no longer see it.
    """
    answered = exists().where(
        Answer.parent_id == Comment.id, Answer.kind == CommentKind.ANSWER, _shown(Answer)
    )
    return _threads_in(charter, Comment.kind == CommentKind.QUESTION, ~answered)


def comments_without_outcome_query(charter: Charter):
    """Comments anyone can still read that have no outcome yet, oldest first."""
    return _threads_in(
        charter, Comment.kind == CommentKind.COMMENT, Comment.outcome == CommentOutcome.OPEN
    )


def comments_without_outcome(charter: Charter, limit: int = SHOWN) -> Queue:
    query = comments_without_outcome_query(charter)
    return Queue(list(db.session.scalars(query.limit(limit))), _count(query))


def unanswered_questions(charter: Charter, limit: int = SHOWN) -> Queue:
    query = unanswered_questions_query(charter)
    return Queue(list(db.session.scalars(query.limit(limit))), _count(query))


def proposals_awaiting(charter: Charter, limit: int = SHOWN) -> Queue:
    query = proposals_query(charter, status=ProposalStatus.OPEN, sort="oldest")
    return Queue(list(db.session.scalars(query.limit(limit))), _count(query))


def reports_waiting(limit: int = SHOWN) -> Queue:
    query = (
        select(CommentReport)
        .filter_by(status=ReportStatus.OPEN)
        .options(
            selectinload(CommentReport.comment).selectinload(Comment.author),
            selectinload(CommentReport.reporter),
        )
        .order_by(CommentReport.created_at, CommentReport.id)
    )
    return Queue(list(db.session.scalars(query.limit(limit))), _count(query))


def about(question: Comment) -> str:
    """Name what a question is about: its clause's heading or its proposal's title."""
    if question.clause is not None:
        revision = question.clause.current_revision
        return revision.heading if revision else question.clause.key
    return question.proposal.title if question.proposal else ""


def age_in_words(since: datetime, now: datetime | None = None) -> str:
    """Say how long something has waited, in the largest whole unit: "3 days", "1 hour"."""
    now = now or utcnow()
    if since.tzinfo is None:  # SQLite hands back naive datetimes; every stored time is UTC
        since = since.replace(tzinfo=UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    seconds = max(0, int((now - since).total_seconds()))
    days = seconds // 86400
    if days >= 14:
        return ngettext("%(num)d week", "%(num)d weeks", days // 7)
    if days:
        return ngettext("%(num)d day", "%(num)d days", days)
    if seconds >= 3600:
        return ngettext("%(num)d hour", "%(num)d hours", seconds // 3600)
    if seconds >= 60:
        return ngettext("%(num)d minute", "%(num)d minutes", seconds // 60)
    return _("less than a minute")
