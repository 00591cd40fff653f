"""Charter settings that only admins change."""

from charter.extensions import db
from charter.models import AuditEvent, Charter, User


def update_charter_settings(admin: User, charter: Charter, consultation_open: bool) -> bool:
    """Open or close the consultation; record the change. Return whether anything changed."""
    if charter.consultation_open == consultation_open:
        return False
    charter.consultation_open = consultation_open
    db.session.add(
        AuditEvent(
            actor=admin,
            action="charter.consultation_opened"
            if consultation_open
            else "charter.consultation_closed",
            object_type="charter",
            object_id=charter.id,
            summary="The consultation was opened."
            if consultation_open
            else "The consultation was closed.",
        )
    )
    db.session.flush()
    return True
