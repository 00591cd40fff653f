"""Refuse, at flush time, any change to a record that must never change."""

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from charter.extensions import db
from charter.models.base import ImmutableError
from charter.models.charter import ClauseRevision
from charter.models.proposals import ProposalText
from charter.models.versions import CharterVersion, VersionClause, VersionStatus, Vote


def _was_published(session: Session, version: CharterVersion) -> bool:
    """Tell whether the stored row is published, whatever the object now says."""
    if inspect(version).identity is None:
        return False
    with session.no_autoflush:
        stored = session.execute(
            db.select(CharterVersion.status).where(CharterVersion.id == version.id)
        ).scalar()
    return stored is VersionStatus.PUBLISHED


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_immutable_records(session, flush_context, instances):
    """Stop any update or delete of a stored revision or a published version."""
    for obj in session.dirty:
        if not session.is_modified(obj, include_collections=False):
            continue
        if isinstance(obj, ClauseRevision | VersionClause | ProposalText):
            raise ImmutableError(f"{obj!r} is stored for good and cannot be changed.")
        if isinstance(obj, CharterVersion) and _was_published(session, obj):
            raise ImmutableError(f"{obj!r} is published and cannot be changed.")
        if isinstance(obj, Vote) and _was_published(session, obj.version):
            raise ImmutableError(f"{obj!r} is part of a published version's record.")
    for obj in session.deleted:
        if isinstance(obj, ClauseRevision | ProposalText):
            raise ImmutableError(f"{obj!r} is stored for good and cannot be deleted.")
        if isinstance(obj, VersionClause) and obj.version.status is VersionStatus.PUBLISHED:
            raise ImmutableError(f"{obj!r} belongs to a published version.")
        if isinstance(obj, CharterVersion) and _was_published(session, obj):
            raise ImmutableError(f"{obj!r} is published and cannot be deleted.")
        if isinstance(obj, Vote) and _was_published(session, obj.version):
            raise ImmutableError(f"{obj!r} is part of a published version's record.")
