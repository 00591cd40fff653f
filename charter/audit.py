"""Record decisions in the audit log behind the public transparency page, as a hash chain."""

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from charter.extensions import db
from charter.models import AuditEvent, AuditLogHead, AuditName, User, utcnow
from charter.models.audit import FORMER_PARTICIPANT
from charter.text.hashing import EVENT_SCHEME, actor_digest, event_hash, event_hash_v2

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
    if event.scheme == EVENT_SCHEME:
        return event_hash_v2(
            previous_hash=event.previous_hash,
            created_at=event.created_at,
            actor_id=event.actor_id,
            actor_digest=event.actor_digest,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            summary=event.summary,
            public=event.public,
        )
    # Entries written before rule 2 keep the hash they were sealed with, name and all.
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
    """Add one event to the log; the caller's transaction commits it with the change.

    The summary must not hold anyone's name: the entry seals it for good. Who acted is kept
    apart (audit_names), sealed only as a salted digest, so deleting an account can erase it.
    """
    event = AuditEvent(
        actor=actor,
        scheme=EVENT_SCHEME,
        action=action,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:500],
        public=public,
        created_at=utcnow(),
    )
    if actor is not None:
        salt = secrets.token_hex(16)
        event.actor_digest = actor_digest(salt, actor.display_name)
        event.name_entry = AuditName(actor_name=actor.display_name, salt=salt)
    # Chained at commit: taking the log's lock here, mid-operation, would hold it while the
    # operation goes on to lock other rows, and two transactions could wait on each other.
    db.session.info.setdefault(_PENDING, []).append(event)


def erase_names(user: User) -> int:
    """Erase the name (and salt) behind every rule-2 log entry this person wrote; return how many.

    The entries stay and still verify: they seal only sha256(salt || name). Entries written
    before rule 2 (migration 0010) seal the name itself in their hash, which published versions
    seal in turn: those names cannot be removed without breaking the record, so they stay in
    audit_events.actor_name (and in summaries such as "Ann voted approve."), and pages hide
    them (public_entries).
    """
    events = db.select(AuditEvent.id).where(AuditEvent.actor_id == user.id)
    result = db.session.execute(
        sa.delete(AuditName).where(AuditName.event_id.in_(events)),
        execution_options={"synchronize_session": False},
    )
    # Entries already loaded must not go on showing the name they held.
    for event in db.session.identity_map.values():
        if isinstance(event, AuditEvent) and event.actor_id == user.id:
            db.session.expire(event, ["name_entry"])
    return result.rowcount


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
    """Recompute the log's chain of hashes; list each entry edited, inserted or removed.

    Rule-2 entries also have their kept name checked against the digest they sealed; a name
    may be missing only because its account was deleted.
    """
    problems = []
    previous = None
    deleted = set(db.session.scalars(db.select(User.id).where(User.deleted_at.is_not(None))))
    for event in events:
        name = f"Transparency log entry {event.id} ({event.action})"
        if event.previous_hash != previous:
            problems.append(
                f"{name}: it does not link to the entry before it: an entry was removed, "
                "inserted or rewritten."
            )
        if event.hash != _event_hash(event):
            problems.append(f"{name}: its contents do not match its hash.")
        problems += _name_problems(name, event, deleted)
        previous = event.hash
    head = db.session.scalar(db.select(AuditLogHead.hash).where(AuditLogHead.id == 1))
    if head != previous:
        problems.append(
            "Transparency log: its newest entry is not the head the log recorded: "
            "entries were removed from its end or added behind its back."
        )
    return problems


def _name_problems(name: str, event: AuditEvent, deleted: set[int]) -> list[str]:
    kept = event.name_entry
    if event.scheme != EVENT_SCHEME:
        # Rule 1 seals actor_name; a digest or a kept name would be shown without a seal.
        if kept is not None or event.actor_digest is not None:
            return [f"{name}: it holds a name its seal does not cover."]
        return []
    if event.actor_name is not None:
        return [f"{name}: it holds a name its seal does not cover."]
    if kept is not None:
        if event.actor_digest is None or not _name_matches(kept, event.actor_digest):
            return [f"{name}: the name kept for who acted does not match the one it sealed."]
        return []
    if event.actor_digest is not None and event.actor_id not in deleted:
        return [f"{name}: its actor's name was removed but the account was not deleted."]
    return []


def _name_matches(kept: AuditName, digest: str) -> bool:
    try:
        return actor_digest(kept.salt, kept.actor_name) == digest
    except ValueError:  # a salt that is not hex was put there by hand
        return False


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
    people = db.session.execute(
        db.select(User.id, User.display_name, User.deleted_at).where(User.id.in_(ids))
    ).all()
    deleted = {p.id for p in people if p.deleted_at is not None}
    names = {p.id: p.display_name for p in people}
    return [_public_entry(event, deleted, names) for event in events]


def account_summary(user: User, change: str) -> str:
    """Return the summary of a change to someone's account: by number, never by name."""
    return f"Account {user.id}: {change}"


def _public_entry(event: AuditEvent, deleted: set[int], names: dict[int, str]) -> PublicEntry:
    name, summary = event.shown_actor, event.summary
    if event.scheme == EVENT_SCHEME:
        # Rule-2 entries hold no name in their summary; a change to an account reads with the
        # account's name as it is now ("A former participant" once deleted).
        prefix = f"Account {event.object_id}: "
        if event.object_type == "user" and summary.startswith(prefix):
            shown = names.get(event.object_id, FORMER_PARTICIPANT)
            summary = f"{shown}: {summary[len(prefix) :]}"
        if event.actor_id in deleted:
            name = FORMER_PARTICIPANT
        return PublicEntry(event, event.actor, name, summary)
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
