"""Record decisions in the audit log behind the public transparency page, as a hash chain."""

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from charter.extensions import db
from charter.models import AuditEvent, AuditLogHead, User, utcnow
from charter.text.hashing import event_hash

_HEAD = AuditLogHead.__table__


def public_events_query():
    """Build the select for the public log, newest first."""
    return (
        db.select(AuditEvent)
        .filter_by(public=True)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )


_PENDING = "charter.audit.pending"


def take_log_head() -> str | None:
    """Lock the log's head row until commit, append pending events, return the newest hash."""
    return _take_log_head(db.session)


def _take_log_head(session: Session) -> str | None:
    # Everything the transaction changes goes first, so the head is the last lock it takes.
    session.flush()
    # A write, not SELECT ... FOR UPDATE: it locks the row on PostgreSQL and takes SQLite's
    # write lock before the head is read, so two appends can never both read the same head.
    row = session.execute(
        _HEAD.update().where(_HEAD.c.id == 1).values(hash=_HEAD.c.hash).returning(_HEAD.c.hash)
    ).first()
    if row is None:
        raise RuntimeError("The transparency log has no head row: run `flask db upgrade`.")
    head = row.hash
    pending = session.info.pop(_PENDING, [])
    for event in pending:
        event.actor_id = event.actor.id if event.actor else None
        event.previous_hash = head
        event.hash = head = _event_hash(event)
        session.add(event)
    if pending:
        session.flush()
        session.execute(_HEAD.update().where(_HEAD.c.id == 1).values(hash=head))
    return head


def _event_hash(event: AuditEvent) -> str:
    return event_hash(
        previous_hash=event.previous_hash,
        created_at=event.created_at,
        actor_id=event.actor_id,
        actor_name=event.actor_name,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        summary=event.summary,
        public=event.public,
    )


def record(
    actor: User | None,
    action: str,
    object_type: str,
    object_id: int | None,
    summary: str,
    *,
    public: bool = True,
) -> None:
    """Add one event to the log; the caller's transaction commits it with the change."""
    # Chained at commit: taking the log's lock here, mid-operation, would hold it while the
    # operation goes on to lock other rows, and two transactions could wait on each other.
    db.session.info.setdefault(_PENDING, []).append(
        AuditEvent(
            actor=actor,
            actor_name=actor.display_name if actor else None,
            action=action,
            object_type=object_type,
            object_id=object_id,
            summary=summary[:500],
            public=public,
            created_at=utcnow(),
        )
    )


@sa.event.listens_for(Session, "before_commit")
def _append_pending_events(session: Session) -> None:
    if session.info.get(_PENDING):
        _take_log_head(session)


@sa.event.listens_for(Session, "after_transaction_end")
def _forget_pending_events(session: Session, transaction) -> None:
    # A transaction that ends without committing takes its decisions, and their events, away.
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def log_events() -> list[AuditEvent]:
    """Return every event in the order it was appended."""
    return list(db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)))


def verify_log(events: list[AuditEvent]) -> list[str]:
    """Recompute the log's chain of hashes; list each entry edited, inserted or removed."""
    problems = []
    previous = None
    for event in events:
        name = f"Transparency log entry {event.id} ({event.action})"
        if event.previous_hash != previous:
            problems.append(
                f"{name}: it does not link to the entry before it: an entry was removed, "
                "inserted or rewritten."
            )
        if event.hash != _event_hash(event):
            problems.append(f"{name}: its contents do not match its hash.")
        previous = event.hash
    head = db.session.scalar(db.select(AuditLogHead.hash).where(AuditLogHead.id == 1))
    if head != previous:
        problems.append(
            "Transparency log: its newest entry is not the head the log recorded: "
            "entries were removed from its end or added behind its back."
        )
    return problems


# What pages call someone who deleted their account, in their place.
FORMER_PARTICIPANT = "A former participant"


@dataclass(frozen=True)
class PublicEntry:
    """One log entry as the public sees it: a deleted account's name is never shown."""

    event: AuditEvent
    actor: User | None
    name: str
    summary: str


def public_entries(events: list[AuditEvent]) -> list[PublicEntry]:
    """Show a page of the log with the names of deleted accounts replaced.

    The rows stay as they were sealed (the chain covers their every field, and the database
    refuses to change them), so `charter verify` still passes; only the reading changes.
    """
    ids = {e.actor_id for e in events} | {e.object_id for e in events if e.object_type == "user"}
    ids.discard(None)
    deleted = set(
        db.session.scalars(db.select(User.id).where(User.id.in_(ids), User.deleted_at.is_not(None)))
    )
    return [_public_entry(event, deleted) for event in events]


def _public_entry(event: AuditEvent, deleted: set[int]) -> PublicEntry:
    name, summary = event.shown_actor, event.summary
    if event.actor_id in deleted:
        name = FORMER_PARTICIPANT
        # "Jane Doe voted approve." opens with who acted; a name is never replaced inside a
        # word elsewhere ("Al" in "Also").
        if event.actor_name and summary.startswith(event.actor_name):
            summary = FORMER_PARTICIPANT + summary[len(event.actor_name) :]
    if event.object_type == "user" and event.object_id in deleted and ": " in summary:
        # "<name as it was>: <change>"; no change ever holds ": ", so split at the last one.
        summary = f"{FORMER_PARTICIPANT}: {summary.rsplit(': ', 1)[1]}"
    return PublicEntry(event, event.actor, name, summary)
