"""Read a discussion a page at a time: counts, passages, threads newest first, replies.

A busy clause has thousands of threads, so nothing here loads them all: counts and
passages are aggregates in SQL, and a page reads at most a fixed number of threads and of
replies per thread, whatever the size of the discussion.
"""

import base64
import binascii
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, exists, func, literal, or_, select, tuple_
from sqlalchemy.orm import aliased, joinedload, selectinload

from charter.comments.placing import (
    Spot,
    passage_counts,
    spots,
    threads_on_earlier_wording,
    threads_on_words,
    wording_text,
)
from charter.extensions import db
from charter.models import (
    ClauseRevision,
    Comment,
    CommentKind,
    CommentReport,
    ProposalText,
    ReportStatus,
)
from charter.models.base import UTCDateTime
from charter.text.plaintext import Block, mark_passages, passage_segments

THREADS_PER_PAGE = 20
REPLIES_SHOWN = 3
REPLIES_PER_PAGE = 100
PASSAGES_LISTED = 10
FILTERS = {
    "all": _l("All"),
    "waiting": _l("Questions waiting for an answer"),
    "answered": _l("Answered questions"),
    "earlier": _l("On an earlier wording"),
}

Reply = aliased(Comment)


class BadListing(ValueError):
    """A filter, passage or page link that cannot be read; the message says why, in words."""


@dataclass(frozen=True)
class Cursor:
    """Where a page ends: the last (created_at, id) shown. Opaque to readers."""

    created_at: datetime
    id: int

    def encode(self) -> str:
        raw = f"{self.created_at.astimezone(UTC).isoformat()}|{self.id}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, text: str) -> "Cursor":
        broken = BadListing(
            _(
                "This page link is broken or out of date (its cursor cannot be read). "
                "Start again from the newest comments."
            )
        )
        if not text or len(text) > 100 or not text.isascii():
            raise broken
        try:
            raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
            when, _sep, number = raw.partition("|")
            created_at = datetime.fromisoformat(when)
            if created_at.tzinfo is None or not number.isdigit() or int(number) > 2**31 - 1:
                raise ValueError(raw)
        except (binascii.Error, UnicodeDecodeError, ValueError) as err:
            raise broken from err
        return cls(created_at.astimezone(UTC), int(number))


@dataclass(frozen=True)
class Listing:
    """Which threads a reader asked for: a filter, some words, and where the page starts."""

    filter: str = "all"
    on: tuple[int, int] | None = None
    cursor: Cursor | None = None

    @property
    def filtered(self) -> bool:
        return self.filter != "all" or self.on is not None


def listing_for(wording: ClauseRevision | ProposalText, args) -> Listing:
    """Read what a reader asked of this wording's discussion from the query string."""
    return read_listing(args, len(wording_text(wording).text))


def read_listing(args, text_length: int) -> Listing:
    """Read ?filter=, ?on=start-end and ?cursor= from a request, refusing bad values in words."""
    name = args.get("filter", "all") or "all"
    if name not in FILTERS:
        raise BadListing(
            _(
                "There is no filter called “%(name)s”. Choose one of: %(filters)s.",
                name=name[:40],
                filters=", ".join(FILTERS),
            )
        )
    on = None
    if args.get("on"):
        start, dash, end = args["on"].partition("-")
        if not (dash and start.isascii() and start.isdigit() and end.isascii() and end.isdigit()):
            raise BadListing(
                _("Words are chosen as on=start-end, two whole numbers, like on=10-25.")
            )
        on = (int(start), int(end))
        if not 0 <= on[0] < on[1] <= text_length:
            raise BadListing(
                _(
                    "Those words are not in this wording: it has %(n)s characters, "
                    "and the start must come before the end.",
                    n=text_length,
                )
            )
    cursor = Cursor.decode(args["cursor"]) if "cursor" in args else None
    return Listing(filter=name, on=on, cursor=cursor)


@dataclass(frozen=True)
class Counts:
    comments: int
    threads: int
    questions: int
    waiting: int
    earlier: int

    def as_dict(self) -> dict:
        return {
            "comments": self.comments,
            "threads": self.threads,
            "questions": self.questions,
            "waiting": self.waiting,
            "earlier_wording": self.earlier,
        }


@dataclass(frozen=True)
class Passage:
    start: int
    end: int
    threads: int
    words: str


@dataclass(frozen=True)
class Discussion:
    """One page of a discussion, placed on the wording shown."""

    wording: ClauseRevision | ProposalText
    html: str  # the wording, each discussed passage marked with its count of threads
    paragraphs: tuple[Block, ...]
    passages: list[Passage]  # the most discussed, most first
    passage_counts: list[tuple[int, int, int]]  # every passage: (start, end, threads)
    counts: Counts
    listing: Listing
    on_words: str | None
    threads: list[Comment]
    next_cursor: str | None
    placements: dict[int, Spot] = field(default_factory=dict)
    replies: dict[int, list[Comment]] = field(default_factory=dict)
    reply_counts: dict[int, int] = field(default_factory=dict)

    def placement(self, comment: Comment) -> Spot | None:
        return self.placements.get(comment.id)

    def replies_of(self, comment: Comment) -> list[Comment]:
        return self.replies.get(comment.id, [])

    def reply_count(self, comment: Comment) -> int:
        return self.reply_counts.get(comment.id, 0)


def _has_replies():
    replies = select(Reply.id).where(Reply.parent_id == Comment.id)
    if db.session.get_bind().dialect.name == "postgresql":
        # OFFSET 0 keeps PostgreSQL looking up each deleted thread's replies by index, rather
        # than hashing the parent of every comment on the site to test a page of threads.
        replies = replies.offset(0)
    return exists(replies)


def _answered():
    return exists().where(Reply.parent_id == Comment.id, Reply.kind == CommentKind.ANSWER)


def _shown_thread():
    """Deleted threads without replies are left out; hidden ones show their placeholder."""
    return or_(Comment.deleted.is_(False), _has_replies())


def _key():
    return tuple_(Comment.created_at, Comment.id)


def _before(cursor: Cursor):
    """Newest first: what comes after the cursor in (created_at, id) descending order.

    A row-value comparison, which PostgreSQL reads straight off the thread index.
    """
    return _key() < tuple_(literal(cursor.created_at, UTCDateTime()), literal(cursor.id))


def _after(cursor: Cursor):
    return _key() > tuple_(literal(cursor.created_at, UTCDateTime()), literal(cursor.id))


def _counts(wording, about: dict) -> Counts:
    """Count the whole discussion in one aggregate.

    Replies are looked up as hashed sets (IN), not per row (EXISTS): PostgreSQL costs a
    correlated subquery per comment so high that it compiles the query first, which took
    longer than counting.
    """

    def total(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)

    replies = select(Reply.parent_id).where(
        *(getattr(Reply, name) == value for name, value in about.items()),
        Reply.parent_id.is_not(None),
    )
    shown = or_(Comment.deleted.is_(False), Comment.id.in_(replies))
    answered = Comment.id.in_(replies.where(Reply.kind == CommentKind.ANSWER))
    root = Comment.parent_id.is_(None)
    question = and_(root, Comment.kind == CommentKind.QUESTION, Comment.deleted.is_(False))
    row = db.session.execute(
        select(
            total(Comment.deleted.is_(False)),
            total(and_(root, shown)),
            total(question),
            total(and_(question, ~answered)),
            total(and_(root, shown, threads_on_earlier_wording(wording))),
        ).filter_by(**about)
    ).one()
    return Counts(*(int(n) for n in row))


def _threads(wording, about: dict, listing: Listing, limit: int) -> list[Comment]:
    query = (
        select(Comment)
        .filter_by(parent_id=None, **about)
        .where(_shown_thread())
        .options(joinedload(Comment.author), joinedload(Comment.outcome_version))
    )
    if listing.filter == "waiting":
        query = query.where(Comment.kind == CommentKind.QUESTION, ~_answered())
    elif listing.filter == "answered":
        query = query.where(Comment.kind == CommentKind.QUESTION, _answered())
    elif listing.filter == "earlier":
        query = query.where(threads_on_earlier_wording(wording))
    if listing.on is not None:
        query = query.where(threads_on_words(wording, *listing.on))
    if listing.cursor is not None:
        query = query.where(_before(listing.cursor))
    # parent_id is NULL on every row here; ordering by it too lets PostgreSQL read the rows
    # in order off ix_comments_*_threads, which it does not do after an IS NULL condition.
    query = query.order_by(
        Comment.parent_id.desc(), Comment.created_at.desc(), Comment.id.desc()
    ).limit(limit + 1)
    return list(db.session.scalars(query))


def first_replies(thread_ids: list[int]) -> tuple[dict[int, list[Comment]], dict[int, int]]:
    """Return the first replies of each thread, and how many replies each has: 2 queries."""
    if not thread_ids:
        return {}, {}
    ranked = (
        select(
            Comment.id,
            func.row_number()
            .over(partition_by=Comment.parent_id, order_by=(Comment.created_at, Comment.id))
            .label("n"),
        )
        .where(Comment.parent_id.in_(thread_ids))
        .subquery()
    )
    replies: dict[int, list[Comment]] = {}
    for reply in db.session.scalars(
        select(Comment)
        .join(ranked, ranked.c.id == Comment.id)
        .where(ranked.c.n <= REPLIES_SHOWN)
        .order_by(Comment.parent_id, Comment.created_at, Comment.id)
        .options(joinedload(Comment.author))
    ):
        replies.setdefault(reply.parent_id, []).append(reply)
    counts = dict(
        db.session.execute(
            select(Comment.parent_id, func.count())
            .where(Comment.parent_id.in_(thread_ids))
            .group_by(Comment.parent_id)
        ).all()
    )
    return replies, counts


def _page(rows: list, limit: int) -> tuple[list, str | None]:
    if len(rows) <= limit:
        return rows, None
    rows = rows[:limit]
    return rows, Cursor(rows[-1].created_at, rows[-1].id).encode()


def discussion(
    wording: ClauseRevision | ProposalText,
    base_html: str,
    listing: Listing | None = None,
    *,
    limit: int = THREADS_PER_PAGE,
    **about,
) -> Discussion:
    """Read one page of threads about a clause or proposal, placed on the wording shown.

    A fixed number of queries whatever the size of the discussion: the passages and counts
    are aggregates, then one page of threads, their first replies and their reply counts.
    """
    listing = listing or Listing()
    text = wording_text(wording)
    passages = passage_counts(wording)
    most = sorted(passages, key=lambda p: (-p[2], p[0], p[1]))[:PASSAGES_LISTED]
    threads, next_cursor = _page(_threads(wording, about, listing, limit), limit)
    replies, reply_counts = first_replies([c.id for c in threads])
    return Discussion(
        wording=wording,
        html=mark_passages(base_html, passage_segments(passages)),
        paragraphs=text.blocks,
        passages=[Passage(s, e, n, text.text[s:e]) for s, e, n in most],
        passage_counts=passages,
        counts=_counts(wording, about),
        listing=listing,
        on_words=text.text[listing.on[0] : listing.on[1]] if listing.on else None,
        threads=threads,
        next_cursor=next_cursor,
        placements=spots(wording, threads),
        replies=replies,
        reply_counts=reply_counts,
    )


@dataclass(frozen=True)
class Thread:
    """A thread and one page of its replies, oldest first."""

    root: Comment
    replies: list[Comment]
    reply_count: int
    next_cursor: str | None
    placement: Spot | None
    wording: ClauseRevision | ProposalText


def current_wording(root: Comment) -> ClauseRevision | ProposalText:
    if root.clause_id:
        return root.clause.current_revision
    return root.proposal.texts[-1]


def read_thread(root: Comment, cursor: Cursor | None, limit: int = REPLIES_PER_PAGE) -> Thread:
    """Read a thread's replies a page at a time, oldest first, with the same cursors."""
    query = select(Comment).filter_by(parent_id=root.id).options(joinedload(Comment.author))
    if cursor is not None:
        query = query.where(_after(cursor))
    rows = list(db.session.scalars(query.order_by(Comment.created_at, Comment.id).limit(limit + 1)))
    replies, next_cursor = _page(rows, limit)
    count = db.session.scalar(select(func.count()).where(Comment.parent_id == root.id))
    wording = current_wording(root)
    return Thread(
        root=root,
        replies=replies,
        reply_count=count,
        next_cursor=next_cursor,
        placement=spots(wording, [root]).get(root.id),
        wording=wording,
    )


def page_of_reply(reply: Comment) -> str | None:
    """Return the cursor of the thread page that starts with this reply, or None for the first."""
    earlier = db.session.scalar(
        select(func.count()).where(
            Comment.parent_id == reply.parent_id,
            _key() < tuple_(literal(reply.created_at, UTCDateTime()), literal(reply.id)),
        )
    )
    if earlier < REPLIES_PER_PAGE:
        return None
    # Ids are whole numbers: "after (t, id - 1)" starts exactly at (t, id).
    return Cursor(reply.created_at, reply.id - 1).encode()


def open_reports() -> list[CommentReport]:
    """Return the reports waiting for a moderator, oldest first."""
    return list(
        db.session.scalars(
            db.select(CommentReport)
            .filter_by(status=ReportStatus.OPEN)
            .order_by(CommentReport.created_at)
            .options(
                selectinload(CommentReport.comment).selectinload(Comment.author),
                selectinload(CommentReport.reporter),
            )
        )
    )


def hidden_comments() -> list[Comment]:
    """Return hidden comments, newest first, so moderators can restore them."""
    return list(
        db.session.scalars(
            db.select(Comment)
            .filter_by(hidden=True)
            .order_by(Comment.hidden_at.desc())
            .options(selectinload(Comment.author))
        )
    )
