"""Notices: made in bulk for every follower of what changed, read on the site, never repeated.

Each notice names its event in `dedup_key`, unique per resident, so the same event (a
proposal's decision, a reply) is never told twice, whichever way it arrives. Whether the
words it is about may be shown is checked when it is read or mailed, not when it is made:
a comment hidden afterwards drops out of the list and out of every email. Flush, never commit.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, and_, cast, func, literal, or_, select, update
from sqlalchemy.orm import aliased, selectinload

from charter.extensions import db
from charter.models import (
    Clause,
    Comment,
    CommentKind,
    Follow,
    FollowKind,
    NoticeKind,
    Notification,
    Proposal,
    ProposalStatus,
    User,
    utcnow,
)
from charter.notifications.follows import excerpt, upsert

_COLUMNS = Notification.__table__.c


def _followers(who, actor_id: int | None):
    """The residents, not deleted and not the one who acted, following what `who` names."""
    query = (
        select(Follow.user_id)
        .join(User, User.id == Follow.user_id)
        .where(who, Follow.active.is_(True), User.deleted_at.is_(None))
    )
    if actor_id is not None:
        query = query.where(Follow.user_id != actor_id)
    return query.distinct().subquery()


def _value(name: str, value):
    return literal(value, type_=_COLUMNS[name].type)


def notify(
    kind: NoticeKind,
    key: str,
    who,
    *,
    actor_id: int | None = None,
    **about,
) -> list[int]:
    """Tell every follower `who` selects about one event, in one INSERT ... SELECT.

    `about` names what it is about (clause_id, proposal_id, comment_id, thread_id,
    version_id). Returns the ids of the residents newly told.
    """
    followers = _followers(who, actor_id)
    about = {name: value for name, value in about.items() if value is not None}
    now = utcnow()
    columns = ["user_id", "kind", *about, "dedup_key", "created_at"]
    rows = select(
        followers.c.user_id,
        _value("kind", kind),
        *(_value(name, value) for name, value in about.items()),
        _value("dedup_key", key),
        _value("created_at", now),
    ).where(followers.c.user_id.is_not(None))  # a WHERE, so SQLite reads ON CONFLICT right
    db.session.execute(upsert(Notification).from_select(columns, rows).on_conflict_do_nothing())
    return _after_insert(Notification.dedup_key == key, now)


def notify_threads(
    kind: NoticeKind,
    key_prefix: str,
    thread_ids: Iterable[int],
    *,
    actor_id: int | None = None,
    proposal_id: int | None = None,
    version_id: int | None = None,
) -> list[int]:
    """Tell the followers of each of these threads about what became of it, a chunk at a time.

    The key is key_prefix + the thread's id, so each thread's news is told once.
    """
    thread_ids = sorted(set(thread_ids))
    now = utcnow()
    told: list[int] = []
    for chunk in (thread_ids[i : i + 500] for i in range(0, len(thread_ids), 500)):
        about = {"proposal_id": proposal_id, "version_id": version_id}
        about = {name: value for name, value in about.items() if value is not None}
        rows = (
            select(
                Follow.user_id,
                _value("kind", kind),
                func.coalesce(Comment.clause_id, Proposal.clause_id),
                Comment.id,
                Comment.id,
                *(_value(name, value) for name, value in about.items()),
                literal(key_prefix) + cast(Comment.id, String),
                _value("created_at", now),
            )
            .select_from(Comment)
            .outerjoin(Proposal, Proposal.id == Comment.proposal_id)
            .join(
                Follow,
                and_(
                    Follow.kind == FollowKind.THREAD,
                    Follow.target_id == Comment.id,
                    Follow.active.is_(True),
                ),
            )
            .join(User, User.id == Follow.user_id)
            .where(Comment.id.in_(chunk), User.deleted_at.is_(None))
        )
        if actor_id is not None:
            rows = rows.where(Follow.user_id != actor_id)
        columns = ["user_id", "kind", "clause_id", "comment_id", "thread_id", *about]
        columns += ["dedup_key", "created_at"]
        db.session.execute(upsert(Notification).from_select(columns, rows).on_conflict_do_nothing())
        told += _after_insert(
            and_(Notification.thread_id.in_(chunk), Notification.kind == kind), now
        )
    return told


def _after_insert(which, now: datetime) -> list[int]:
    """Send at once to those who asked for it; return who was told."""
    from charter.notifications.mailing import mail_at_once

    made = db.session.execute(
        select(Notification.id, Notification.user_id).where(which, Notification.created_at == now)
    ).all()
    if made:
        mail_at_once([notice_id for notice_id, _user_id in made])
    return sorted({user_id for _notice_id, user_id in made})


def followers_of(kind: FollowKind, target_id: int):
    """Select the followers of one thing."""
    return and_(Follow.kind == kind, Follow.target_id == target_id)


def charter_followers(charter_id: int):
    """Select the followers of the whole charter or of any of its clauses."""
    clauses = select(Clause.id).where(Clause.charter_id == charter_id)
    return or_(
        followers_of(FollowKind.CHARTER, charter_id),
        and_(Follow.kind == FollowKind.CLAUSE, Follow.target_id.in_(clauses)),
    )


# --- Reading ------------------------------------------------------------------------------

_item = aliased(Comment)
_root = aliased(Comment)


def visible(query):
    """Keep only notices whose comment and thread the public can still read."""
    return (
        query.outerjoin(_item, _item.id == Notification.comment_id)
        .outerjoin(_root, _root.id == Notification.thread_id)
        .where(
            or_(
                Notification.comment_id.is_(None),
                and_(_item.hidden.is_(False), _item.deleted.is_(False)),
            ),
            or_(Notification.thread_id.is_(None), _root.hidden.is_(False)),
        )
    )


def unread_count(user: User) -> int:
    """Count a resident's unread notices that can still be shown: one query."""
    return db.session.scalar(
        visible(
            select(func.count(Notification.id)).where(
                Notification.user_id == user.id, Notification.read_at.is_(None)
            )
        )
    )


LIST_LIMIT = 200


def recent(user: User, limit: int = LIST_LIMIT) -> list[Notification]:
    """Return a resident's notices that can be shown, newest first."""
    return list(
        db.session.scalars(
            visible(select(Notification).where(Notification.user_id == user.id))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
            .options(*_loading())
        )
    )


def _loading():
    return (
        selectinload(Notification.clause).selectinload(Clause.current_revision),
        selectinload(Notification.proposal).selectinload(Proposal.base_revision),
        selectinload(Notification.comment).selectinload(Comment.author),
        selectinload(Notification.thread),
        selectinload(Notification.version),
    )


def load(ids: list[int]) -> list[Notification]:
    """Load these notices with what they are about, the ones that can be shown, newest first."""
    if not ids:
        return []
    return list(
        db.session.scalars(
            visible(select(Notification).where(Notification.id.in_(ids)))
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .options(*_loading())
        )
    )


def mark_all_read(user: User) -> int:
    """Mark every notice of a resident read."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount


@dataclass
class Group:
    """Notices about one clause (or about the whole charter), newest first."""

    clause: Clause | None
    notices: list[Notification]

    @property
    def title(self) -> str:
        if self.clause is None:
            return _("The whole charter")
        return _("Clause “%(heading)s”", heading=self.clause.current_revision.heading)


def grouped(notices: list[Notification]) -> list[Group]:
    """Group notices by clause, the group with the newest notice first; keep their order."""
    groups: dict[int | None, Group] = {}
    for notice in notices:  # already newest first
        groups.setdefault(notice.clause_id, Group(notice.clause, [])).notices.append(notice)
    return list(groups.values())


# Each takes the proposal's number and title.
_DECIDED = {
    ProposalStatus.OPEN: _l("Proposal %(number)s, %(title)s, is open"),
    ProposalStatus.ACCEPTED: _l("Proposal %(number)s, %(title)s, was accepted"),
    ProposalStatus.REJECTED: _l("Proposal %(number)s, %(title)s, was rejected"),
    ProposalStatus.WITHDRAWN: _l("Proposal %(number)s, %(title)s, was withdrawn"),
    ProposalStatus.FALLEN: _l(
        "Proposal %(number)s, %(title)s, fell, as another proposal was accepted"
    ),
    ProposalStatus.TAKEN_IN: _l(
        "Proposal %(number)s, %(title)s, was taken into the proposal it amends"
    ),
}


def _whose(notice: Notification) -> str:
    """ "your question", "a comment you follow": the thread a notice is about, as seen by its
    reader. A thread opens with a comment or a question (an official answer is a reply)."""
    thread = notice.thread
    question = thread is not None and thread.kind is CommentKind.QUESTION
    if thread is not None and thread.author_id == notice.user_id:
        return _("your question") if question else _("your comment")
    return _("a question you follow") if question else _("a comment you follow")


def describe(notice: Notification) -> tuple[str, str]:
    """Say in a sentence what happened, and where to read it (a path on this site)."""
    kind, thread, proposal, version = notice.kind, notice.thread, notice.proposal, notice.version
    words = f"“{excerpt(thread.body)}”" if thread and not thread.deleted else ""
    if kind is NoticeKind.REPLY:
        author = notice.comment.author
        name = _("A former participant") if author.deleted_at else author.display_name
        text = _(
            "%(name)s replied to %(whose)s %(words)s: “%(reply)s”",
            name=name,
            whose=_whose(notice),
            words=words,
            reply=excerpt(notice.comment.body),
        )
        return text, _thread_url(notice, notice.comment_id)
    if kind is NoticeKind.ANSWER:
        text = _(
            "The committee answered %(whose)s %(words)s: “%(answer)s”",
            whose=_whose(notice),
            words=words,
            answer=excerpt(notice.comment.body),
        )
        return text, _thread_url(notice, notice.comment_id)
    if kind is NoticeKind.OUTCOME:
        about = {"whose": _whose(notice), "words": words, "outcome": thread.outcome.label.lower()}
        if thread.outcome_reason:
            text = _(
                "The committee says %(whose)s %(words)s was %(outcome)s, because: %(reason)s",
                reason=thread.outcome_reason,
                **about,
            )
        else:
            text = _("The committee says %(whose)s %(words)s was %(outcome)s", **about)
        return text, _thread_url(notice, thread.id)
    if kind is NoticeKind.ADDRESSED:
        text = _(
            "Proposal %(number)s changed the words of %(whose)s %(words)s",
            number=notice.proposal_id,
            whose=_whose(notice),
            words=words,
        )
        return text, _thread_url(notice, thread.id)
    if kind is NoticeKind.ADDRESSED_IN_VERSION:
        text = _(
            "%(whose)s %(words)s was addressed in version %(number)s",
            whose=_whose(notice).capitalize(),
            words=words,
            number=version.number,
        )
        return text, url_for("versions.outcomes", number=version.number)
    if kind is NoticeKind.DECISION:
        text = _DECIDED[proposal.status] % {"number": proposal.id, "title": proposal.shown_title}
        if proposal.decision_reason:
            text = _(
                "%(decision)s: %(reason)s",
                decision=text,
                reason=excerpt(proposal.decision_reason, 200),
            )
        return text, url_for("proposals.detail", proposal_id=proposal.id)
    if kind is NoticeKind.NEW_PROPOSAL:
        text = _(
            "New proposal %(number)s: %(title)s", number=proposal.id, title=proposal.shown_title
        )
        return text, url_for("proposals.detail", proposal_id=proposal.id)
    if kind is NoticeKind.CANDIDATE:
        return (
            _("A candidate version is open: the committee is voting on it"),
            url_for("versions.candidate"),
        )
    if kind is NoticeKind.VERSION:
        return (
            _("Version %(number)s was published", number=version.number),
            url_for("versions.detail", number=version.number),
        )
    raise ValueError(kind)


def _thread_url(notice: Notification, comment_id: int) -> str:
    return url_for("comments.thread", comment_id=notice.thread_id, _anchor=f"comment-{comment_id}")
