"""Seal versions of the charter and check that nothing sealed was changed."""

from datetime import datetime

from charter.clauses.queries import live_clauses
from charter.extensions import db
from charter.models import Charter, CharterVersion, VersionClause, VersionStatus, utcnow
from charter.text.hashing import chain_hash, clause_hash, draft_hash
from charter.versions.queries import latest_published, published_versions, version_draft


class NothingToPublish(ValueError):
    """The working draft is the same as the latest published version."""


def publish_working_draft(
    charter: Charter, *, changelog: str = "", published_at: datetime | None = None
) -> CharterVersion:
    """Record the working draft as the next published version, sealed into the hash chain."""
    previous = latest_published(charter)
    clauses = live_clauses(charter)
    version = CharterVersion(
        charter=charter,
        status=VersionStatus.CANDIDATE,
        title=charter.title,
        preamble=charter.preamble,
        changelog=changelog,
        entries=[
            VersionClause(position=n, revision=c.current_revision)
            for n, c in enumerate(clauses, start=1)
        ],
    )
    version.content_hash = draft_hash(version_draft(version))
    if previous is not None and previous.content_hash == version.content_hash:
        raise NothingToPublish(
            f"The working draft is the same as version {previous.number}; there is nothing new."
        )
    version.number = (previous.number if previous else 0) + 1
    version.status = VersionStatus.PUBLISHED
    version.published_at = (published_at or utcnow()).replace(microsecond=0)
    version.opened_at = version.published_at
    version.previous_chain_hash = previous.chain_hash if previous else None
    version.chain_hash = chain_hash(
        version.content_hash, version.number, version.published_at, version.previous_chain_hash
    )
    db.session.add(version)
    db.session.flush()
    return version


def verify_versions(charter: Charter) -> list[str]:
    """Recompute every stored hash of every published version; list each mismatch found."""
    problems = []
    previous_chain = None
    for version in published_versions(charter):
        name = f"Version {version.number}"
        for entry in version.entries:
            revision = entry.revision
            if revision.content_hash != clause_hash(
                revision.clause.key, revision.heading, revision.body
            ):
                problems.append(
                    f"{name}: the text of clause '{revision.clause.key}' "
                    f"(revision {revision.number}) does not match its stored hash."
                )
        if version.content_hash != draft_hash(version_draft(version)):
            problems.append(f"{name}: its text does not match its content hash.")
        if version.previous_chain_hash != previous_chain:
            problems.append(f"{name}: it does not link to the chain hash of the version before.")
        expected = chain_hash(
            version.content_hash, version.number, version.published_at, version.previous_chain_hash
        )
        if version.chain_hash != expected:
            problems.append(f"{name}: its chain hash does not match its contents.")
        previous_chain = version.chain_hash
    return problems
