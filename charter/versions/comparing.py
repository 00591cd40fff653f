"""Compare two versions of the charter clause by clause, with the proposals behind each change."""

from bisect import bisect_left
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
    moved: bool = False  # out of order with the clauses around it, not just renumbered

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
    if new is None:  # removed: by the latest removal (an earlier one was undone by a re-import)
        return [p for p in proposals if p.kind is ProposalKind.REMOVE][-1:]
    low, high = sorted((old, new), key=lambda r: r.number if r else 0)
    if low is not None and low.content_hash == high.content_hash:
        return []  # no difference, so nothing is behind it
    between = sorted(
        (
            p
            for p in proposals
            if p.result_revision is not None
            and (low.number if low else 0) < p.result_revision.number <= high.number
        ),
        key=lambda p: p.result_revision.number,
    )
    # Changes undone later are not behind the difference: start after the last proposal that
    # brought back the earlier wording, and stop at the first that reached the later one.
    hashes = [p.result_revision.content_hash for p in between]
    if low is not None and low.content_hash in hashes:
        after = len(hashes) - hashes[::-1].index(low.content_hash)
        between, hashes = between[after:], hashes[after:]
    if high.content_hash in hashes:
        between = between[: hashes.index(high.content_hash) + 1]
    return between


def compare_versions(old: CharterVersion, new: CharterVersion) -> VersionComparison:
    """Compare two versions clause by clause: changed, added, removed, moved or unchanged."""
    old_entries = {e.revision.clause_id: e for e in old.entries}
    proposals = _accepted_by_clause(new.charter.id)  # new may be a draft, not yet saved
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
    _mark_moved(diffs)
    return VersionComparison(
        old=old,
        new=new,
        clauses=diffs,
        preamble=amended(old.title, old.preamble, new.title, new.preamble),
    )


def _mark_moved(diffs: list[ClauseDiff]) -> None:
    """Mark as moved the kept clauses outside the longest run that kept its order.

    A clause renumbered only because another was added or removed before it has not moved.
    """
    kept = [d for d in diffs if None not in (d.old_position, d.new_position)]
    kept.sort(key=lambda d: d.new_position)
    # Longest increasing subsequence of old positions, by patience sorting with back links.
    tails: list[int] = []
    links: list[int | None] = [None] * len(kept)
    for i, diff in enumerate(kept):
        at = bisect_left([kept[t].old_position for t in tails], diff.old_position)
        links[i] = tails[at - 1] if at else None
        tails[at : at + 1] = [i]
    in_order = set()
    i = tails[-1] if tails else None
    while i is not None:
        in_order.add(i)
        i = links[i]
    for i, diff in enumerate(kept):
        if i not in in_order:
            object.__setattr__(diff, "moved", True)
