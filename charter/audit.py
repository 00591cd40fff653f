"""Record decisions in the audit log behind the public transparency page."""

from charter.extensions import db
from charter.models import AuditEvent, User


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
