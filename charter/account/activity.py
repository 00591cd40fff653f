"""What one person has done on the site, for their "My activity" page."""

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from charter.extensions import db
from charter.models import Comment, CommentKind, Proposal, Support, User

PER_PAGE = 20

Reply = aliased(Comment)


@dataclass(frozen=True)
class CommentActivity:
    comment: Comment
    replies: int
    answered: bool


def my_proposals(user: User, page: int):
    """Page through this person's proposals, newest first."""
    query = (
        db.select(Proposal)
        .filter_by(author_id=user.id)
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())
    )
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)


def my_comments(user: User, page: int):
    """Page through this person's comments and questions, newest first, with their replies."""
    query = (
        db.select(Comment)
        .filter_by(author_id=user.id)
        .order_by(Comment.created_at.desc(), Comment.id.desc())
    )
    found = db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)
    ids = [comment.id for comment in found.items]
    counts = dict(
        db.session.execute(
            select(Reply.parent_id, func.count(Reply.id))
            .where(Reply.parent_id.in_(ids), Reply.deleted.is_(False))
            .group_by(Reply.parent_id)
        ).all()
    )
    answered = set(
        db.session.scalars(
            select(Reply.parent_id).where(
                Reply.parent_id.in_(ids), Reply.kind == CommentKind.ANSWER
            )
        )
    )
    found.items = [CommentActivity(c, counts.get(c.id, 0), c.id in answered) for c in found.items]
    return found


def my_supports(user: User) -> list[tuple[Support, Proposal]]:
    """List the proposals this person supported, newest support first."""
    return list(
        db.session.execute(
            db.select(Support, Proposal)
            .join(Proposal, Proposal.id == Support.proposal_id)
            .where(Support.user_id == user.id)
            .order_by(Support.created_at.desc(), Support.id.desc())
        ).tuples()
    )
