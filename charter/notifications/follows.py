"""Who follows what. Writing follows automatically; stopping is remembered. Flush, never commit."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from charter.extensions import db
from charter.models import (
    Charter,
    Clause,
    Comment,
    CommentKind,
    Follow,
    FollowKind,
    Proposal,
    User,
    utcnow,
)


def upsert(model):
    """An INSERT that can skip or update a row already there, on SQLite as on PostgreSQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model)


def auto_follow(user: User, kind: FollowKind, target_id: int | None) -> None:
    """Follow what someone wrote in or on, unless they once chose to stop following it."""
    if target_id is None:
        return
    now = utcnow()
    db.session.execute(
        upsert(Follow)
        .values(
            user_id=user.id,
            kind=kind,
            target_id=target_id,
            active=True,
            created_at=now,
            changed_at=now,
        )
        .on_conflict_do_nothing()
    )


def set_following(user: User, kind: FollowKind, target_id: int, active: bool) -> None:
    """Follow something, or stop following it, and remember the choice."""
    now = utcnow()
    statement = upsert(Follow).values(
        user_id=user.id,
        kind=kind,
        target_id=target_id,
        active=active,
        created_at=now,
        changed_at=now,
    )
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=["user_id", "kind", "target_id"],
            set_={"active": active, "changed_at": now},
        )
    )
    db.session.expire_all()


def is_following(user, kind: FollowKind, target_id: int) -> bool:
    """Tell whether a signed-in resident follows this thing now."""
    if not (user and user.is_authenticated):
        return False
    return bool(
        db.session.scalar(
            select(Follow.active).filter_by(user_id=user.id, kind=kind, target_id=target_id)
        )
    )


class NothingToFollow(LookupError):
    """The thing named does not exist, or cannot be followed."""


def find_target(kind: FollowKind, target_id: int):
    """Return what a follow button names; a thread must be one the public can read."""
    model = {
        FollowKind.CHARTER: Charter,
        FollowKind.CLAUSE: Clause,
        FollowKind.PROPOSAL: Proposal,
        FollowKind.THREAD: Comment,
    }[kind]
    found = db.session.get(model, target_id)
    if found is None:
        raise NothingToFollow()
    if kind is FollowKind.THREAD and (found.parent_id is not None or found.hidden):
        raise NothingToFollow()
    return found


@dataclass
class Followed:
    """One thing a resident follows, named and linked for the account page."""

    kind: FollowKind
    target_id: int
    name: str
    endpoint: str
    values: dict


def following(user: User) -> list[Followed]:
    """List what a resident follows: the whole charter, clauses, proposals, then threads."""
    follows = db.session.scalars(
        select(Follow).filter_by(user_id=user.id, active=True).order_by(Follow.created_at)
    ).all()
    ids: dict[FollowKind, list[int]] = {kind: [] for kind in FollowKind}
    for follow in follows:
        ids[follow.kind].append(follow.target_id)

    def load(model, kind):
        if not ids[kind]:
            return {}
        return {o.id: o for o in db.session.scalars(select(model).where(model.id.in_(ids[kind])))}

    charters = load(Charter, FollowKind.CHARTER)
    clauses = load(Clause, FollowKind.CLAUSE)
    proposals = load(Proposal, FollowKind.PROPOSAL)
    threads = load(Comment, FollowKind.THREAD)
    found: list[Followed] = []
    for charter in charters.values():
        found.append(
            Followed(
                FollowKind.CHARTER,
                charter.id,
                _("The whole charter: new candidates and published versions"),
                "versions.index",
                {},
            )
        )
    for clause in sorted(clauses.values(), key=lambda c: c.position):
        found.append(
            Followed(
                FollowKind.CLAUSE,
                clause.id,
                _("Clause “%(heading)s”", heading=clause.current_revision.heading),
                "public.clause",
                {"key": clause.key},
            )
        )
    for proposal in proposals.values():
        found.append(
            Followed(
                FollowKind.PROPOSAL,
                proposal.id,
                _("Proposal %(number)s: %(title)s", number=proposal.id, title=proposal.shown_title),
                "proposals.detail",
                {"proposal_id": proposal.id},
            )
        )
    for thread in threads.values():
        if thread.hidden:
            continue
        deleted = _("a comment that was deleted")
        words = deleted if thread.deleted else f"“{excerpt(thread.body)}”"
        if thread.kind is CommentKind.QUESTION:
            name = _("The question thread %(words)s", words=words)
        else:  # a thread opens with a comment or a question; an official answer is a reply
            name = _("The comment thread %(words)s", words=words)
        found.append(
            Followed(
                FollowKind.THREAD,
                thread.id,
                name,
                "comments.thread",
                {"comment_id": thread.id},
            )
        )
    return found


def excerpt(text: str, length: int = 60) -> str:
    """The start of someone's words, on one line, for a list."""
    words = " ".join(text.split())
    return words if len(words) <= length else words[: length - 1].rstrip() + "…"
