"""Record decisions in the audit log behind the public transparency page, as a hash chain."""

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


def take_log_head() -> str | None:
    """Lock the log's head row until commit and return the newest event's hash."""
    # Everything the transaction changes goes first, so the head is the last lock it takes.
    db.session.flush()
    # A write, not SELECT ... FOR UPDATE: it locks the row on PostgreSQL and takes SQLite's
    # write lock before the head is read, so two appends can never both read the same head.
    row = db.session.execute(
        _HEAD.update().where(_HEAD.c.id == 1).values(hash=_HEAD.c.hash).returning(_HEAD.c.hash)
    ).first()
    if row is None:
        raise RuntimeError("The transparency log has no head row: run `flask db upgrade`.")
    return row.hash


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
    actor: User | None, action: str, object_type: str, object_id: int | None, summary: str
) -> None:
    """Append one public event to the log; the caller's transaction commits it with the change."""
    previous = take_log_head()
    event = AuditEvent(
        actor=actor,
        actor_id=actor.id if actor else None,
        actor_name=actor.display_name if actor else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:500],
        public=True,
        created_at=utcnow(),
        previous_hash=previous,
    )
    event.hash = _event_hash(event)
    db.session.add(event)
    db.session.flush()
    db.session.execute(_HEAD.update().where(_HEAD.c.id == 1).values(hash=event.hash))


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
