"""What a reader sees: the published charter if there is one, otherwise the working draft."""

from dataclasses import dataclass

from charter.changes import ClauseChange, added, amended, removed
from charter.clauses.queries import clause_history, live_clauses
from charter.models import Charter, CharterVersion, Clause, ClauseRevision
from charter.text.markdown import rendered
from charter.versions.queries import get_published, latest_published


@dataclass(frozen=True)
class ReadingClause:
    key: str
    number: int
    revision: ClauseRevision


@dataclass(frozen=True)
class Reading:
    charter: Charter
    title: str
    preamble: str
    clauses: list[ReadingClause]
    version: CharterVersion | None  # None while nothing is published: the working draft

    @property
    def is_draft(self) -> bool:
        return self.version is None

    @property
    def preamble_html(self) -> str:
        return rendered(self.preamble)


def working_draft_reading(charter: Charter) -> Reading:
    """Return the working draft, clause by clause."""
    return Reading(
        charter=charter,
        title=charter.title,
        preamble=charter.preamble,
        clauses=[
            ReadingClause(key=c.key, number=n, revision=c.current_revision)
            for n, c in enumerate(live_clauses(charter), start=1)
        ],
        version=None,
    )


def version_reading(charter: Charter, version: CharterVersion) -> Reading:
    """Return a published version (or the candidate), clause by clause."""
    if version.is_published:
        version = get_published(charter, version.number)  # with its revisions loaded
    return Reading(
        charter=charter,
        title=version.title,
        preamble=version.preamble,
        clauses=[
            ReadingClause(key=e.revision.clause.key, number=e.position, revision=e.revision)
            for e in version.entries
        ],
        version=version,
    )


def current_reading(charter: Charter) -> Reading:
    """Return the latest published version, or the working draft if none is published."""
    version = latest_published(charter)
    return working_draft_reading(charter) if version is None else version_reading(charter, version)


@dataclass(frozen=True)
class ClauseStory:
    clause: Clause
    current: ClauseRevision | None
    history: list[ClauseRevision]
    published_revision: ClauseRevision | None
    published_version: CharterVersion | None

    @property
    def history_steps(self) -> list[tuple[ClauseRevision, ClauseChange | None]]:
        """Pair each wording, newest first, with what changed from the one before it."""
        older = [*self.history[1:], None]
        return [
            (
                revision,
                None
                if before is None
                else amended(before.heading, before.body, revision.heading, revision.body),
            )
            for revision, before in zip(self.history, older, strict=True)
        ]

    @property
    def draft_differs(self) -> bool:
        """Tell whether the working draft has moved on from the published wording."""
        return (
            self.published_revision is not None
            and self.current is not None
            and (self.published_revision.id != self.current.id or self.clause.retired)
        )


def clause_story(charter: Charter, clause: Clause) -> ClauseStory:
    """Return a clause's current wording, its published wording and every earlier one."""
    version = latest_published(charter)
    published = None
    if version is not None:
        published = next(
            (e.revision for e in version.entries if e.revision.clause_id == clause.id), None
        )
    return ClauseStory(
        clause=clause,
        current=clause.current_revision,
        history=clause_history(clause),
        published_revision=published,
        published_version=version,
    )


@dataclass(frozen=True)
class DraftChanges:
    """How the working draft differs from the latest published version, clause by clause."""

    version: CharterVersion
    changes: dict[str, ClauseChange]  # by clause key; unchanged clauses are left out
    removed: list[ClauseChange]


def draft_changes(charter: Charter, reading: Reading) -> DraftChanges | None:
    """Compare the working draft with the latest published version, if there is one."""
    version = latest_published(charter)
    if version is None:
        return None
    published = {
        e.revision.clause_id: e.revision for e in get_published(charter, version.number).entries
    }
    changes = {}
    for item in reading.clauses:
        old = published.pop(item.revision.clause_id, None)
        if old is None:
            changes[item.key] = added(item.revision.heading, item.revision.body)
        elif old.content_hash != item.revision.content_hash:
            changes[item.key] = amended(
                old.heading, old.body, item.revision.heading, item.revision.body
            )
    removed_clauses = [removed(r.heading, r.body) for r in published.values()]
    return DraftChanges(version=version, changes=changes, removed=removed_clauses)
