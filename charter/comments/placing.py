"""Where each anchored thread sits on the wording shown, kept up as the wording changes.

An anchored thread has one placement row: a position on some wording of its clause (or
proposal) that no change since has touched. A new wording stores its shift from the one
before (charter/text/shifting), and only the threads whose passage that change touched are
anchored again; every other row is left alone. Reading a wording composes the shifts since
each row's wording inside the query, so neither a change nor a page does work in Python for
every comment of a busy clause.
"""

import re
from dataclasses import dataclass

from flask import g, has_app_context
from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    column,
    func,
    literal,
    select,
    text,
    update,
)
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session, load_only

from charter import events
from charter.extensions import db
from charter.jobs import enqueue, inline
from charter.models import (
    Clause,
    ClauseRevision,
    Comment,
    CommentPlacement,
    Proposal,
    ProposalText,
    WordingShift,
)
from charter.text.anchoring import Anchor, reanchor_many
from charter.text.markdown import rendered
from charter.text.plaintext import PlainText, plain_text
from charter.text.shifting import Shift

Wording = ClauseRevision | ProposalText
ORPHANED = "orphaned"
_KEY = re.compile(r"[rt][0-9]{1,12}")
JOB_BATCH = 200  # threads anchored again per background job


def wording_text(wording: Wording) -> PlainText:
    """Return the plain text a reader sees for a clause revision or a proposal text."""
    if isinstance(wording, ClauseRevision):
        return plain_text(wording.body_html)
    return plain_text(rendered(wording.body))


def target_key(wording: Wording) -> str:
    return f"r{wording.id}" if isinstance(wording, ClauseRevision) else f"t{wording.id}"


def scope_key(wording: Wording) -> str:
    """Name the clause or proposal whose wordings share one discussion."""
    if isinstance(wording, ClauseRevision):
        return f"c{wording.clause_id}"
    return f"p{wording.proposal_id}"


@dataclass(frozen=True)
class Spot:
    """Where a thread's passage is in the wording shown; start and end are None if orphaned."""

    status: str
    start: int | None
    end: int | None

    @property
    def orphaned(self) -> bool:
        return self.status == ORPHANED


@dataclass(frozen=True)
class Positions:
    """How to read placement rows as positions in one wording, in SQL."""

    scope: str
    head: str
    shifts: dict[str, Shift]  # from each earlier wording to this one

    def stretches(self):
        """A small table of (target, low, high, delta): a row placed on `target` between low
        and high sits at +delta in this wording; a row matching none was touched since.

        Written out as SQL from numbers and keys checked here, rather than as bound values:
        the same wording then gives the same statement, which is compiled once and cached.
        """
        rows = [(self.head, 0, 2**31 - 1, 0)]
        rows += [
            (target, k.old_start, k.old_end, k.delta)
            for target, shift in self.shifts.items()
            for k in shift.kept
        ]
        sql = " UNION ALL ".join(
            f"SELECT '{_checked(target)}' AS target, {int(low)} AS low, {int(high)} AS high, "
            f"{int(delta)} AS delta"
            for target, low, high, delta in rows
        )
        return (
            text(sql)
            .columns(
                column("target", String),
                column("low", Integer),
                column("high", Integer),
                column("delta", Integer),
            )
            .cte("stretches")
        )

    def placed(self, *columns, outer: bool = False):
        """Select columns of this scope's rows with their positions here, as start and end."""
        row, stretch = CommentPlacement.__table__.c, self.stretches()
        moved = and_(
            row.target == stretch.c.target, row.start >= stretch.c.low, row.end <= stretch.c.high
        )
        return (
            select(
                *columns,
                (row.start + stretch.c.delta).label("start"),
                (row.end + stretch.c.delta).label("end"),
            )
            .select_from(CommentPlacement.__table__.join(stretch, moved, isouter=outer))
            .where(row.scope == self.scope)
        )


def _checked(key: str) -> str:
    if not _KEY.fullmatch(key):
        raise ValueError(f"Not a wording key: {key!r}")
    return key


def positions(wording: Wording) -> Positions:
    """Compose the stored shifts from each earlier wording of the scope to this one.

    The shifts into a wording never change once it is made, so a request that reads the
    same wording several times composes them once.
    """
    scope, head = scope_key(wording), target_key(wording)
    known = g.setdefault("charter_positions", {}) if has_app_context() else {}
    if head not in known:
        steps = {
            s.target: s for s in db.session.scalars(select(WordingShift).filter_by(scope=scope))
        }
        shifts: dict[str, Shift] = {}
        at, to_head = head, None
        while at in steps and len(shifts) < len(steps):
            step = steps[at]
            shift = Shift.from_json(step.kept)
            to_head = shift if to_head is None else shift.then(to_head)
            shifts[step.previous] = to_head
            at = step.previous
        known[head] = Positions(scope=scope, head=head, shifts=shifts)
    return known[head]


@sa_event.listens_for(Session, "after_rollback")
def _forget_positions(session: Session) -> None:
    # A rolled-back wording's id can be given again (SQLite reuses them): forget its shifts.
    if has_app_context():
        g.pop("charter_positions", None)


def passage_counts(wording: Wording) -> list[tuple[int, int, int]]:
    """Return (start, end, threads) for every passage shown threads sit on in this wording."""
    row = CommentPlacement.__table__.c
    placed = (
        positions(wording).placed().where(row.status != ORPHANED, row.shown.is_(True)).subquery()
    )
    rows = db.session.execute(
        select(placed.c.start, placed.c.end, func.count())
        .group_by(placed.c.start, placed.c.end)
        .order_by(placed.c.start, placed.c.end)
    )
    return [(start, end, count) for start, end, count in rows]


def threads_on_words(wording: Wording, start: int, end: int):
    """A filter on Comment: threads whose passage overlaps start:end of this wording."""
    row = CommentPlacement.__table__.c
    placed = positions(wording).placed(row.comment_id).where(row.status != ORPHANED).subquery()
    return Comment.id.in_(
        select(placed.c.comment_id).where(placed.c.start < end, placed.c.end > start)
    )


def threads_on_earlier_wording(wording: Wording):
    """A filter on Comment: anchored threads whose words are no longer in this wording."""
    return Comment.id.in_(
        select(CommentPlacement.comment_id).where(
            CommentPlacement.scope == scope_key(wording), CommentPlacement.status == ORPHANED
        )
    )


def spots(wording: Wording, threads: list[Comment]) -> dict[int, Spot]:
    """Return where each anchored thread of a page sits in this wording, in one query.

    A thread with no usable row (made before placements were kept this way) is placed
    afresh for the page, without storing: `charter place-comments` stores them for good.
    """
    anchored = [c for c in threads if c.is_anchored and c.parent_id is None]
    if not anchored:
        return {}
    row = CommentPlacement.__table__.c
    query = (
        positions(wording)
        .placed(row.comment_id, row.status, outer=True)
        .where(row.comment_id.in_([c.id for c in anchored]))
    )
    found: dict[int, Spot] = {}
    for comment_id, status, start, end in db.session.execute(query):
        if status == ORPHANED:
            found[comment_id] = Spot(ORPHANED, None, None)
        elif start is not None:
            found[comment_id] = Spot(status, start, end)
    missing = [c for c in anchored if c.id not in found]
    if missing:
        found.update(place_afresh(wording, missing))
    return found


def place_afresh(wording: Wording, comments: list[Comment]) -> dict[int, Spot]:
    """Anchor each comment again from the wording it was made on, diffing once per source."""
    new_text = wording_text(wording).text
    by_source: dict[str, list[Comment]] = {}
    for comment in comments:
        by_source.setdefault(comment.source_key, []).append(comment)
    placed = {}
    for group in by_source.values():
        source = group[0].revision or group[0].proposal_text
        anchors = [Anchor(c.exact, c.prefix, c.suffix, c.start, c.end) for c in group]
        for comment, spot in zip(
            group, reanchor_many(anchors, wording_text(source).text, new_text), strict=True
        ):
            placed[comment.id] = Spot(spot.status, spot.start, spot.end)
    return placed


def place_new_comment(comment: Comment, made_on: Wording, head: Wording) -> None:
    """Store where a new anchored thread sits: on the wording shown, or on the newer one."""
    if made_on.id == head.id and type(made_on) is type(head):
        spot = Spot("exact", comment.start, comment.end)
    else:  # the page was older than the wording: place it on the wording readers now see
        spot = place_afresh(head, [comment])[comment.id]
    db.session.add(
        CommentPlacement(
            comment_id=comment.id,
            scope=scope_key(head),
            target=target_key(head),
            status=spot.status,
            start=spot.start,
            end=spot.end,
            shown=True,
        )
    )
    db.session.flush()


def carry_placements(previous: Wording, new: Wording) -> None:
    """Store the shift to a new wording; the threads it touched are anchored again by a job.

    Every other thread keeps its row untouched: the shift carries it onto the new wording.
    """
    shift = Shift.between(wording_text(previous).text, wording_text(new).text)
    db.session.add(
        WordingShift(
            scope=scope_key(new),
            target=target_key(new),
            previous=target_key(previous),
            kept=shift.to_json(),
        )
    )
    db.session.flush()
    enqueue(place_pending, scope_key(new), None if inline() else JOB_BATCH)


def head_of(scope: str) -> Wording:
    """Return the wording readers see now for a scope: the clause's or the proposal's."""
    if scope.startswith("c"):
        return db.session.get(Clause, int(scope[1:])).current_revision
    return db.session.get(Proposal, int(scope[1:])).texts[-1]


def place_pending(scope: str, limit: int | None = None) -> int:
    """Anchor again the threads whose passage a change touched, on the wording now shown.

    Until this runs, those threads have no position on the new wording (pages place them
    afresh for themselves). Orphaned threads whose words are back in the text are tried
    again too. Work is limited to `limit` threads; the rest go to the next job.
    """
    head = head_of(scope)
    text, key, row = wording_text(head).text, target_key(head), CommentPlacement.__table__.c
    placed = positions(head).placed(
        row.comment_id,
        row.id,
        row.target,
        row.status,
        row.start.label("was_start"),
        row.end.label("was_end"),
        outer=True,
    )
    placed = placed.subquery()
    pending = select(
        placed.c.comment_id, placed.c.id, placed.c.target, placed.c.was_start, placed.c.was_end
    ).where(placed.c.status != ORPHANED, placed.c.start.is_(None))
    # Words lost earlier can come back: an orphan is tried once on each new wording that
    # has its words somewhere, and then holds that wording as its target.
    returning = (
        select(CommentPlacement.comment_id, CommentPlacement.id, CommentPlacement.target)
        .join(Comment, Comment.id == CommentPlacement.comment_id)
        .where(
            CommentPlacement.scope == scope,
            CommentPlacement.status == ORPHANED,
            CommentPlacement.target != key,
            _occurs_in(text),
        )
    )
    touched = db.session.execute(pending.order_by(placed.c.id).limit(limit)).all()
    if touched:
        events.words_changed.send(scope, changed_by=changes_that_touched(scope, touched))
    todo = {c: (i, t) for c, i, t, _, _ in touched}
    if limit is None or len(todo) < limit:
        more = None if limit is None else limit - len(todo)
        todo |= {
            c: (i, t)
            for c, i, t in db.session.execute(returning.order_by(CommentPlacement.id).limit(more))
        }
    if not todo:
        return 0
    comments = list(
        db.session.scalars(
            select(Comment)
            .where(Comment.id.in_(todo))
            .options(
                load_only(
                    Comment.exact,
                    Comment.prefix,
                    Comment.suffix,
                    Comment.start,
                    Comment.end,
                    Comment.revision_id,
                    Comment.proposal_text_id,
                )
            )
        )
    )
    placed = place_afresh(head, comments)
    # Only rows still where this job found them: a job for a newer wording may have placed
    # some meanwhile, and its placement wins. If so, look again from the wording now shown.
    table = CommentPlacement.__table__
    moved = db.session.execute(
        update(table)
        .where(table.c.id == bindparam("row"), table.c.target == bindparam("was"))
        .values(target=key, status=bindparam("status"), start=bindparam("at"), end=bindparam("to")),
        [
            {"row": row_id, "was": was, "status": spot.status, "at": spot.start, "to": spot.end}
            for row_id, was, spot in sorted((*todo[c], spot) for c, spot in placed.items())
        ],
    )
    overtaken = moved.rowcount not in (-1, len(placed))
    if limit is not None and (len(todo) >= limit or overtaken):
        enqueue(place_pending, scope, limit)
    return len(placed)


def changes_that_touched(scope: str, rows) -> dict[int, str]:
    """Name, for each (comment_id, _, target, start, end) row, the wording whose change touched it.

    A row sits on the wording it was last placed on; following the stored shifts forward
    from there, the first one that does not keep its passage is the change that touched it,
    however many wordings came since. Shifts never change once stored, so every job that
    reads a row gets the same answer.
    """
    after = {
        step.previous: (step.target, Shift.from_json(step.kept))
        for step in db.session.scalars(select(WordingShift).filter_by(scope=scope))
    }
    found = {}
    for comment_id, _, target, start, end in rows:
        at, seen = target, 0
        while at in after and seen < len(after) and start is not None:
            at, shift = after[at]
            moved, seen = shift.moves(start, end), seen + 1
            if moved is None:
                found[comment_id] = at
                break
            start, end = moved
    return found


def _occurs_in(text: str):
    """A filter: the comment's exact words are somewhere in text."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.strpos(literal(text), Comment.exact) > 0
    return func.instr(literal(text), Comment.exact) > 0


def show_placement(comment: Comment, shown: bool) -> None:
    """Highlight a thread's words or stop, as it is restored, deleted or hidden."""
    if comment.is_anchored and comment.parent_id is None:
        db.session.execute(
            update(CommentPlacement).filter_by(comment_id=comment.id).values(shown=shown)
        )


def place_missing(batch: int = 500) -> int:
    """Store a placement for every anchored thread that has none, on the wording shown now.

    Threads from before placements were kept one per thread have none; this is run once,
    after upgrading. Returns how many were placed.
    """
    placed = 0
    while True:
        comments = list(
            db.session.scalars(
                select(Comment)
                .outerjoin(CommentPlacement, CommentPlacement.comment_id == Comment.id)
                .where(
                    Comment.parent_id.is_(None),
                    Comment.exact.is_not(None),
                    CommentPlacement.id.is_(None),
                )
                .order_by(Comment.id)
                .limit(batch)
            )
        )
        if not comments:
            return placed
        by_head: dict[str, tuple[Wording, list[Comment]]] = {}
        for comment in comments:
            head = comment.clause.current_revision if comment.clause_id else None
            head = head or comment.proposal.texts[-1]
            by_head.setdefault(target_key(head), (head, []))[1].append(comment)
        for head, group in by_head.values():
            for comment_id, spot in place_afresh(head, group).items():
                comment = db.session.get(Comment, comment_id)
                db.session.add(
                    CommentPlacement(
                        comment_id=comment_id,
                        scope=scope_key(head),
                        target=target_key(head),
                        status=spot.status,
                        start=spot.start,
                        end=spot.end,
                        shown=not (comment.deleted or comment.hidden),
                    )
                )
        db.session.flush()
        placed += len(comments)
