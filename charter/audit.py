"""Record decisions in the audit log behind the public transparency page."""

from charter.extensions import db
from charter.models import AuditEvent, User


def public_events_query():
    """Build the select for the public log, newest first."""
    return (
        db.select(AuditEvent)
        .filter_by(public=True)
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
    )


def record(
    actor: User | None, action: str, object_type: str, object_id: int | None, summary: str
) -> None:
    """Add one public event to the log; the caller's transaction commits it with the change."""
    db.session.add(
        AuditEvent(
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=object_id,
            summary=summary[:500],
        )
    )
