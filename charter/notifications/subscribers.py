"""How notifications react to what happens elsewhere: connected once per process, on import.

The app factory imports this module after charter.comments.subscribers, so on a version's
publication the comments have been given their version before the notices are made (and
the query below does not rely on it either).
"""

from sqlalchemy import or_, select

from charter import events
from charter.extensions import db
from charter.models import (
    CharterVersion,
    Comment,
    CommentKind,
    CommentOutcome,
    FollowKind,
    NoticeKind,
    Proposal,
    ProposalStatus,
    VersionClause,
)
from charter.notifications.follows import auto_follow
from charter.notifications.notices import (
    charter_followers,
    followers_of,
    notify,
    notify_threads,
)


def on_comment_posted(comment: Comment) -> None:
    """Follow your own thread and what it is on; tell the thread's followers of a reply."""
    root_id = comment.parent_id or comment.id
    auto_follow(comment.author, FollowKind.THREAD, root_id)
    if comment.clause_id is not None:
        auto_follow(comment.author, FollowKind.CLAUSE, comment.clause_id)
    else:
        auto_follow(comment.author, FollowKind.PROPOSAL, comment.proposal_id)
    if comment.parent_id is None or comment.kind is CommentKind.ANSWER:
        return  # an official answer is told as one, by on_question_answered
    notify(
        NoticeKind.REPLY,
        f"reply:{comment.id}",
        followers_of(FollowKind.THREAD, root_id),
        actor_id=comment.author_id,
        clause_id=_clause_of(comment),
        proposal_id=comment.proposal_id,
        comment_id=comment.id,
        thread_id=root_id,
    )


def on_question_answered(question: Comment, answer: Comment) -> None:
    notify(
        NoticeKind.ANSWER,
        f"answer:{answer.id}",
        followers_of(FollowKind.THREAD, question.id),
        actor_id=answer.author_id,
        clause_id=_clause_of(question),
        proposal_id=question.proposal_id,
        comment_id=answer.id,
        thread_id=question.id,
    )


def on_proposal_created(proposal: Proposal) -> None:
    """Follow your proposal; tell the followers of its clause (of the charter, for a new one)."""
    auto_follow(proposal.author, FollowKind.PROPOSAL, proposal.id)
    if proposal.clause_id is not None:
        who = followers_of(FollowKind.CLAUSE, proposal.clause_id)
    else:
        who = followers_of(FollowKind.CHARTER, proposal.charter_id)
    notify(
        NoticeKind.NEW_PROPOSAL,
        f"proposal:{proposal.id}",
        who,
        actor_id=proposal.author_id,
        clause_id=proposal.clause_id,
        proposal_id=proposal.id,
    )


def on_proposal_decided(proposal: Proposal) -> None:
    """Tell a proposal's followers it was accepted, rejected or withdrawn."""
    if proposal.status is ProposalStatus.OPEN:
        return
    actor = proposal.author_id if proposal.status is ProposalStatus.WITHDRAWN else None
    notify(
        NoticeKind.DECISION,
        f"decision:{proposal.id}:{proposal.status.value}",
        followers_of(FollowKind.PROPOSAL, proposal.id),
        actor_id=actor or proposal.decided_by_id,
        clause_id=proposal.clause_id,
        proposal_id=proposal.id,
    )


def on_comment_outcome_set(comment: Comment, by=None) -> None:
    """Tell a thread's followers what the committee says became of it."""
    if comment.outcome is CommentOutcome.OPEN:
        return
    if comment.outcome is CommentOutcome.ADDRESSED:
        # The same key as an accepted change's: the same news is told once, either way.
        kind, prefix = NoticeKind.ADDRESSED, f"addressed:p{comment.outcome_proposal_id}:"
    else:
        kind, prefix = NoticeKind.OUTCOME, f"outcome:{comment.outcome.value}:"
    notify_threads(
        kind,
        prefix,
        [comment.id],
        actor_id=by.id if by is not None else None,
        proposal_id=comment.outcome_proposal_id,
    )


def on_comments_addressed(proposal: Proposal, comment_ids=()) -> None:
    notify_threads(
        NoticeKind.ADDRESSED,
        f"addressed:p{proposal.id}:",
        comment_ids,
        proposal_id=proposal.id,
    )


def on_candidate_opened(version: CharterVersion) -> None:
    notify(
        NoticeKind.CANDIDATE,
        f"candidate:{version.id}",
        charter_followers(version.charter_id),
        actor_id=version.opened_by_id,
        version_id=version.id,
    )


def on_version_published(version: CharterVersion) -> None:
    """Tell the charter's followers of the new version, and each addressed thread's in it."""
    notify(
        NoticeKind.VERSION,
        f"version:{version.id}",
        charter_followers(version.charter_id),
        version_id=version.id,
    )
    in_version = select(VersionClause.revision_id).where(VersionClause.version_id == version.id)
    done = select(Proposal.id).where(Proposal.result_revision_id.in_(in_version))
    addressed = db.session.scalars(
        select(Comment.id).where(
            Comment.outcome == CommentOutcome.ADDRESSED,
            Comment.outcome_proposal_id.in_(done),
            or_(Comment.outcome_version_id.is_(None), Comment.outcome_version_id == version.id),
        )
    ).all()
    notify_threads(
        NoticeKind.ADDRESSED_IN_VERSION,
        f"addressed-in:v{version.id}:",
        addressed,
        version_id=version.id,
    )


def _clause_of(comment: Comment) -> int | None:
    if comment.clause_id is not None:
        return comment.clause_id
    return comment.proposal.clause_id if comment.proposal else None


events.comment_posted.connect(on_comment_posted, weak=False)
events.question_answered.connect(on_question_answered, weak=False)
events.proposal_created.connect(on_proposal_created, weak=False)
events.proposal_decided.connect(on_proposal_decided, weak=False)
events.proposal_withdrawn.connect(on_proposal_decided, weak=False)
events.comment_outcome_set.connect(on_comment_outcome_set, weak=False)
events.comments_addressed.connect(on_comments_addressed, weak=False)
events.candidate_opened.connect(on_candidate_opened, weak=False)
events.version_published.connect(on_version_published, weak=False)
