"""Atom feeds of one clause and of one proposal: what changed, what was decided, what was
answered. A handful of queries per feed, each capped, whatever the history's length."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import aliased, selectinload

from charter.extensions import db
from charter.models import (
    Clause,
    ClauseRevision,
    Comment,
    CommentKind,
    Proposal,
    ProposalStatus,
    ProposalText,
)
from charter.text.markdown import rendered
from charter.versions.feed import Entry, Feed, absolute, entries_feed

ENTRIES = 50

Question = aliased(Comment)

_DECIDED = {
    ProposalStatus.ACCEPTED: _l("Proposal accepted: %(title)s"),
    ProposalStatus.REJECTED: _l("Proposal rejected: %(title)s"),
    ProposalStatus.WITHDRAWN: _l("Proposal withdrawn by its author: %(title)s"),
    ProposalStatus.FALLEN: _l("Proposal fallen, as another was accepted: %(title)s"),
    ProposalStatus.TAKEN_IN: _l("Proposal taken into the proposal it amends: %(title)s"),
}


def _newest(entries: list[Entry]) -> list[Entry]:
    # Ties broken by id so the order, and so the ETag, never changes between two requests.
    return sorted(entries, key=lambda e: (e.updated.replace(tzinfo=None), e.id), reverse=True)[
        :ENTRIES
    ]


def _answers(**about) -> list[Entry]:
    """Official answers anyone can read, to questions anyone can read, newest first."""
    rows = db.session.execute(
        select(Comment, Question)
        .join(Question, Comment.parent_id == Question.id)
        .where(
            Comment.kind == CommentKind.ANSWER,
            Comment.deleted.is_(False),
            Comment.hidden.is_(False),
            Question.deleted.is_(False),
            Question.hidden.is_(False),
            *(getattr(Question, name) == value for name, value in about.items()),
        )
        .order_by(Comment.created_at.desc(), Comment.id.desc())
        .limit(ENTRIES)
    )
    entries = []
    for answer, question in rows:
        link = absolute("comments.thread", comment_id=question.id, _anchor=f"comment-{answer.id}")
        entries.append(
            Entry(
                id=link,
                title=_("Official answer to: %(question)s", question=_short(question.body)),
                link=link,
                updated=answer.edited_at or answer.created_at,
                summary=answer.body,
            )
        )
    return entries


def _short(text: str, length: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def _opened(proposal: Proposal) -> Entry:
    link = absolute("proposals.detail", proposal_id=proposal.id)
    return Entry(
        id=f"{link}#opened",
        title=_("Proposal opened: %(title)s", title=proposal.title),
        link=link,
        updated=proposal.created_at,
        summary=proposal.rationale,
    )


def _decision(proposal: Proposal) -> Entry | None:
    if proposal.status is ProposalStatus.OPEN:
        return None
    link = absolute("proposals.detail", proposal_id=proposal.id)
    moment = proposal.decided_at or proposal.updated_at  # withdrawing records no decision time
    reason = proposal.decision_reason
    return Entry(
        id=f"{link}#decision",
        title=_DECIDED[proposal.status] % {"title": proposal.title},
        link=link,
        updated=moment,
        summary=_("Reason: %(reason)s", reason=reason) if reason else "",
    )


def clause_feed(clause: Clause) -> bytes:
    """New wordings of a clause, proposals on it and their decisions, official answers."""
    page = absolute("public.clause", key=clause.key)
    revisions = db.session.scalars(
        select(ClauseRevision)
        .filter_by(clause_id=clause.id)
        .order_by(ClauseRevision.number.desc())
        .limit(ENTRIES)
    )
    entries = [
        Entry(
            id=f"{page}#wording-{revision.number}",
            title=_("New wording %(n)s: %(heading)s", n=revision.number, heading=revision.heading),
            link=page,
            updated=revision.created_at,
            summary=revision.body_html,
            html=True,
        )
        for revision in revisions
    ]
    proposals = db.session.scalars(
        select(Proposal)
        .filter_by(clause_id=clause.id)
        .order_by(Proposal.created_at.desc(), Proposal.id.desc())
        .limit(ENTRIES)
        .options(selectinload(Proposal.base_revision))
    )
    for proposal in proposals:
        entries.append(_opened(proposal))
        if (decision := _decision(proposal)) is not None:
            entries.append(decision)
    entries += _answers(clause_id=clause.id)
    heading = clause.current_revision.heading if clause.current_revision else clause.key
    about = Feed(
        title=f"{clause.charter.title}: {heading}",
        id=page,
        self_link=absolute("public.clause_feed", key=clause.key),
        page_link=page,
        updated=clause.created_at,
    )
    return entries_feed(about, _newest(entries))


def proposal_feed(proposal: Proposal) -> bytes:
    """A proposal opened, each new text, its decision, and official answers about it."""
    page = absolute("proposals.detail", proposal_id=proposal.id)
    entries = [_opened(proposal)]
    texts = db.session.scalars(
        select(ProposalText)
        .filter_by(proposal_id=proposal.id)
        .where(ProposalText.number > 1)  # the first text is the proposal as opened
        .order_by(ProposalText.number.desc())
        .limit(ENTRIES)
    )
    entries += [
        Entry(
            id=f"{page}#text-{text.number}",
            title=_("New text %(n)s of the proposal", n=text.number),
            link=page,
            updated=text.created_at,
            summary=rendered(text.body) if text.body else text.rationale,
            html=bool(text.body),
        )
        for text in texts
    ]
    if (decision := _decision(proposal)) is not None:
        entries.append(decision)
    entries += _answers(proposal_id=proposal.id)
    about = Feed(
        title=_(
            "%(charter)s: proposal %(n)s, %(title)s",
            charter=proposal.charter.title,
            n=proposal.id,
            title=proposal.title,
        ),
        id=page,
        self_link=absolute("proposals.feed", proposal_id=proposal.id),
        page_link=page,
        updated=proposal.created_at,
    )
    return entries_feed(about, _newest(entries))
