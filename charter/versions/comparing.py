"""Compare two versions of the charter clause by clause, with the proposals behind each change."""

from dataclasses import dataclass, field

from sqlalchemy.orm import selectinload

from charter.changes import ClauseChange, added, amended, removed
from charter.extensions import db
from charter.models import CharterVersion, ClauseRevision, Proposal, ProposalKind, ProposalStatus


@dataclass(frozen=True)
class ClauseDiff:
    key: str
    change: ClauseChange
    old_position: int | None
    new_position: int | None
    proposals: list[Proposal] = field(default_factory=list)

    @property
    def moved(self) -> bool:
        return None not in (self.old_position, self.new_position) and (
            self.old_position != self.new_position
        )

    @property
    def kind(self) -> str:
        return self.change.kind


@dataclass(frozen=True)
class VersionComparison:
    old: CharterVersion
    new: CharterVersion
    clauses: list[ClauseDiff]
    preamble: ClauseChange

    @property
    def changed(self) -> list[ClauseDiff]:
        """Return the clauses whose wording changed, or that were added or removed."""
        return [c for c in self.clauses if c.kind != "unchanged"]

    @property
    def unchanged(self) -> list[ClauseDiff]:
        return [c for c in self.clauses if c.kind == "unchanged"]

    @property
    def moved(self) -> list[ClauseDiff]:
        return [c for c in self.clauses if c.moved]


def _accepted_by_clause(charter_id: int) -> dict[int, list[Proposal]]:
    """Return every accepted proposal, grouped by the clause it changed."""
    found = db.session.scalars(
        db.select(Proposal)
        .filter_by(charter_id=charter_id, status=ProposalStatus.ACCEPTED)
        .options(selectinload(Proposal.result_revision), selectinload(Proposal.author))
        .order_by(Proposal.decided_at, Proposal.id)
    )
    by_clause: dict[int, list[Proposal]] = {}
    for proposal in found:
        by_clause.setdefault(proposal.clause_id, []).append(proposal)
    return by_clause


def _behind(
    proposals: list[Proposal], old: ClauseRevision | None, new: ClauseRevision | None
) -> list[Proposal]:
    """Pick the proposals that made a clause go from the old revision to the new one."""
    if new is None:  # removed
        return [p for p in proposals if p.kind is ProposalKind.REMOVE]
    low = old.number if old else 0
    return [
        p
        for p in proposals
        if p.result_revision is not None
        and min(low, new.number) < p.result_revision.number <= max(low, new.number)
    ]


def compare_versions(old: CharterVersion, new: CharterVersion) -> VersionComparison:
    """Compare two versions clause by clause: changed, added, removed, moved or unchanged."""
    old_entries = {e.revision.clause_id: e for e in old.entries}
    proposals = _accepted_by_clause(new.charter_id)
    diffs = []
    for entry in new.entries:
        revision: ClauseRevision = entry.revision
        before = old_entries.pop(revision.clause_id, None)
        if before is None:
            change = added(revision.heading, revision.body)
        elif before.revision.content_hash == revision.content_hash:
            change = amended(revision.heading, revision.body, revision.heading, revision.body)
        else:
            change = amended(
                before.revision.heading, before.revision.body, revision.heading, revision.body
            )
        diffs.append(
            ClauseDiff(
                key=revision.clause.key,
                change=change,
                old_position=before.position if before else None,
                new_position=entry.position,
                proposals=_behind(
                    proposals.get(revision.clause_id, []),
                    before.revision if before else None,
                    revision,
                ),
            )
        )
    for clause_id, entry in old_entries.items():
        diffs.append(
            ClauseDiff(
                key=entry.revision.clause.key,
                change=removed(entry.revision.heading, entry.revision.body),
                old_position=entry.position,
                new_position=None,
                proposals=_behind(proposals.get(clause_id, []), entry.revision, None),
            )
        )
    return VersionComparison(
        old=old,
        new=new,
        clauses=diffs,
        preamble=amended(old.title, old.preamble, new.title, new.preamble),
    )
