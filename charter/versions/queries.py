"""Read published versions of the charter."""

from sqlalchemy.orm import joinedload, selectinload

from charter.clauses.queries import live_clauses
from charter.extensions import db
from charter.models import (
    Charter,
    CharterVersion,
    ClauseRevision,
    VersionClause,
    VersionStatus,
    Vote,
)
from charter.text.drafts import Draft, DraftClause


def published_versions(charter: Charter) -> list[CharterVersion]:
    """Return the published versions, oldest first."""
    return list(
        db.session.scalars(
            db.select(CharterVersion)
            .filter_by(charter_id=charter.id, status=VersionStatus.PUBLISHED)
            .order_by(CharterVersion.number)
        )
    )


def latest_published(charter: Charter) -> CharterVersion | None:
    """Return the newest published version, if any."""
    return db.session.scalar(
        db.select(CharterVersion)
        .filter_by(charter_id=charter.id, status=VersionStatus.PUBLISHED)
        .order_by(CharterVersion.number.desc())
        .limit(1)
    )


def get_published(charter: Charter, number: int) -> CharterVersion | None:
    """Return published version number N, with its clause revisions loaded."""
    return db.session.scalar(
        db.select(CharterVersion)
        .filter_by(charter_id=charter.id, status=VersionStatus.PUBLISHED, number=number)
        .options(
            joinedload(CharterVersion.entries)
            .joinedload(VersionClause.revision)
            .joinedload(ClauseRevision.clause),
            # Each wording names its author: loaded with it, however many authors there are.
            joinedload(CharterVersion.entries)
            .joinedload(VersionClause.revision)
            .joinedload(ClauseRevision.author),
        )
    )


def version_draft(version: CharterVersion) -> Draft:
    """Return a version's text as plain data, ready to hash or export."""
    return Draft(
        title=version.title,
        preamble=version.preamble,
        clauses=tuple(
            DraftClause(key=e.revision.clause.key, heading=e.revision.heading, body=e.revision.body)
            for e in version.entries
        ),
    )


def draft_as_version(charter: Charter) -> CharterVersion:
    """Return the working draft as an unsaved candidate: its clauses' current wordings, in order."""
    return CharterVersion(
        charter=charter,
        status=VersionStatus.CANDIDATE,
        title=charter.title,
        preamble=charter.preamble,
        entries=[
            VersionClause(position=n, revision=c.current_revision)
            for n, c in enumerate(live_clauses(charter), start=1)
        ],
    )


def votes_on(version: CharterVersion) -> list[Vote]:
    """Return the votes on a version in the order they were first cast, voters loaded."""
    return list(
        db.session.scalars(
            db.select(Vote)
            .filter_by(version_id=version.id)
            .order_by(Vote.created_at, Vote.id)
            .options(selectinload(Vote.member))
        )
    )


def current_candidate(charter: Charter) -> CharterVersion | None:
    """Return the candidate now open for a vote, if any, with its clause revisions loaded."""
    return db.session.scalar(
        db.select(CharterVersion)
        .filter_by(charter_id=charter.id, status=VersionStatus.CANDIDATE)
        .options(
            selectinload(CharterVersion.entries)
            .selectinload(VersionClause.revision)
            .selectinload(ClauseRevision.clause)
        )
    )


# Built once: the statement behind every sealed-page lookup, which must be cheap.
_SEALS = (
    db.select(CharterVersion.number, CharterVersion.chain_hash)
    .join(Charter, Charter.id == CharterVersion.charter_id)
    .where(
        Charter.slug == db.bindparam("slug"),
        CharterVersion.status == VersionStatus.PUBLISHED,
    )
    .order_by(CharterVersion.number)
)


def seals(slug: str) -> dict[int, str]:
    """Return the chain hash of every published version by number, in one small query."""
    # A bare connection, not the ORM session: this runs on every read of a sealed page.
    with db.engine.connect() as connection:
        return dict(connection.execute(_SEALS, {"slug": slug}).all())
