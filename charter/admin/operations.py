"""Charter settings that only admins change."""

from charter.audit import record
from charter.extensions import db
from charter.models import Charter, User


def _record(admin: User, charter: Charter, action: str, summary: str) -> None:
    record(admin, action, "charter", charter.id, summary)


def update_charter_settings(
    admin: User,
    charter: Charter,
    consultation_open: bool,
    quorum_percent: int | None = None,
    threshold_percent: int | None = None,
) -> bool:
    """Change the consultation and ratification settings; record each change."""
    changed = False
    if charter.consultation_open != consultation_open:
        charter.consultation_open = consultation_open
        state = "opened" if consultation_open else "closed"
        _record(admin, charter, f"charter.consultation_{state}", f"The consultation was {state}.")
        changed = True
    quorum = charter.quorum_percent if quorum_percent is None else quorum_percent
    threshold = charter.threshold_percent if threshold_percent is None else threshold_percent
    if (quorum, threshold) != (charter.quorum_percent, charter.threshold_percent):
        charter.quorum_percent, charter.threshold_percent = quorum, threshold
        _record(
            admin,
            charter,
            "charter.rule_changed",
            f"Ratification rule changed: more than {quorum}% of the committee must vote, and "
            f"more than {threshold}% of approve and reject votes must approve.",
        )
        changed = True
    db.session.flush()
    return changed
