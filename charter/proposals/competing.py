"""Open proposals that compete for the same words, and the draft as amended by a selection.

Each open proposal to change a clause is first brought onto the clause's wording now (the
merge the committee's accept uses); one that no longer fits it is not in any set: it needs
its author's update first. A proposal to remove a clause competes with every change to it.
What `charter/text/competing` works out for a clause's proposals is kept per process, keyed
by the exact texts, so pages that show it again cost a dictionary lookup.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache

from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from charter.audit import record
from charter.changes import ClauseChange, amended, removed
from charter.extensions import db
from charter.models import (
    Charter,
    Clause,
    Preference,
    Proposal,
    ProposalKind,
    ProposalStatus,
    User,
)
from charter.proposals.operations import UNVERIFIED_MESSAGE, ProposalError, rebased_wording
from charter.text import competing
from charter.text.diffing import DELETE
from charter.text.markdown import rendered
from charter.text.plaintext import plain_text


@dataclass
class ClauseCompetition:
    """A clause's open proposals: which compete with which, and which need an update first."""

    clause: Clause
    proposals: list[Proposal]  # open, in the order they were made
    rivals: dict[int, list[int]]  # proposal id -> ids it collides with directly
    sets: list[list[int]]
    unfit: list[Proposal] = field(default_factory=list)  # collide with the wording now
    wordings: dict[int, competing.Wording] = field(default_factory=dict)

    def rivals_of(self, proposal: Proposal) -> list[Proposal]:
        by_id = {p.id: p for p in self.proposals}
        return [by_id[i] for i in self.rivals.get(proposal.id, [])]

    def set_of(self, proposal: Proposal) -> list[Proposal]:
        by_id = {p.id: p for p in self.proposals}
        return next(([by_id[i] for i in s] for s in self.sets if proposal.id in s), [])

    def proposal_sets(self) -> list[list[Proposal]]:
        """Each set in the committee's voting-list order, where it set one; else oldest first."""
        by_id = {p.id: p for p in self.proposals}
        return [sorted((by_id[i] for i in s), key=_voting_place) for s in self.sets]

    def change(self, proposal: Proposal) -> ClauseChange:
        """What a proposal would change in the clause as it is now."""
        now = self.clause.current_revision
        if proposal.id not in self.wordings:  # a removal
            return removed(now.heading, now.body)
        wording = self.wordings[proposal.id]
        return amended(now.heading, now.body, wording.heading, wording.body)

    @property
    def head(self) -> competing.Clause:
        revision = self.clause.current_revision
        return _head(revision.heading, revision.body)


def _open_on(clause: Clause) -> list[Proposal]:
    return list(
        db.session.scalars(
            db.select(Proposal)
            .filter_by(clause_id=clause.id, status=ProposalStatus.OPEN)
            .where(Proposal.kind.in_([ProposalKind.AMEND, ProposalKind.REMOVE]))
            .options(selectinload(Proposal.author), selectinload(Proposal.base_revision))
            .order_by(Proposal.created_at, Proposal.id)
        )
    )


@lru_cache(maxsize=256)
def _head(heading: str, body: str) -> competing.Clause:
    return competing.Clause(heading, body)


@lru_cache(maxsize=256)
def _rivals(heading: str, body: str, wordings: tuple[competing.Wording, ...]):
    return competing.rivals(_head(heading, body), wordings)


def clause_competition(clause: Clause) -> ClauseCompetition:
    """Work out which open proposals on a clause compete (cached for the same texts)."""
    proposals, unfit, wordings, removals = _open_on(clause), [], {}, []
    for proposal in proposals:
        if proposal.kind is ProposalKind.REMOVE:
            removals.append(proposal.id)
            continue
        wording = rebased_wording(proposal)
        if wording is None:
            unfit.append(proposal)
        else:
            wordings[proposal.id] = competing.Wording(proposal.id, wording.heading, wording.body)
    head = clause.current_revision
    rivals = dict(_rivals(head.heading, head.body, tuple(wordings.values())))
    rivals = {pid: list(found) for pid, found in rivals.items()}
    # Removing the clause leaves nothing for any change to it to change.
    for removal in removals:
        rivals[removal] = [pid for pid in wordings] + [r for r in removals if r != removal]
        for pid in wordings:
            rivals[pid].append(removal)
    order = [p.id for p in proposals if p.id in rivals]
    ordered = {pid: sorted(rivals[pid], key=order.index) for pid in order}
    return ClauseCompetition(
        clause=clause,
        proposals=[p for p in proposals if p.id in rivals],
        rivals=ordered,
        sets=competing.competing_sets(ordered),
        unfit=unfit,
        wordings=wordings,
    )


def _voting_place(proposal: Proposal) -> tuple:
    return (proposal.vote_order is None, proposal.vote_order or 0, proposal.id)


def order_set(clause: Clause, places: dict[int, int], by: User) -> list[Proposal]:
    """Set the voting list of one competing set: `places` maps each proposal to 1, 2, 3...

    The places must name exactly the proposals of one set as it stands now, each once: a set
    that changed since the page was read (a proposal added, decided or fallen) is refused,
    not half-ordered.
    """
    competition = clause_competition(clause)
    members = next(
        (m for m in competition.proposal_sets() if {p.id for p in m} == set(places)), None
    )
    if members is None:
        raise ProposalError(
            _(
                "The competing proposals have changed since you opened this page. Here they "
                "are as they are now: set the order again."
            )
        )
    if sorted(places.values()) != list(range(1, len(places) + 1)):
        raise ProposalError(
            _(
                "Give each proposal a different place from 1 to %(n)s, so the list has one "
                "first, one second and so on.",
                n=len(places),
            )
        )
    for proposal in members:
        proposal.vote_order = places[proposal.id]
    ordered = sorted(members, key=_voting_place)
    record(
        by,
        "proposals.ordered",
        "clause",
        clause.id,
        "Voting list for competing proposals: "
        + ", ".join(f"{p.vote_order}. proposal {p.id}" for p in ordered)
        + ".",
    )
    db.session.flush()
    return ordered


def prefer(proposal: Proposal, user: User) -> None:
    """Record that a resident prefers this proposal to the others in its competing set.

    One choice per set: a choice made earlier for another proposal of the set moves here.
    """
    if not proposal.is_open:
        raise ProposalError(_("This proposal is already %(status)s.", status=proposal.status.value))
    if not user.email_verified:
        raise ProposalError(UNVERIFIED_MESSAGE)
    members = clause_competition(proposal.clause).set_of(proposal) if proposal.clause else []
    if not members:
        raise ProposalError(
            _(
                "This proposal competes with no other just now, so there is nothing to prefer "
                "it over. You can support it instead."
            )
        )
    _forget(user, [p.id for p in members])
    db.session.add(Preference(proposal_id=proposal.id, user_id=user.id))
    db.session.flush()


def clear_preference(proposal: Proposal, user: User) -> None:
    """Take back a resident's choice within the set this proposal is in."""
    members = clause_competition(proposal.clause).set_of(proposal) if proposal.clause else []
    _forget(user, [p.id for p in members] or [proposal.id])
    db.session.flush()


def _forget(user: User, proposal_ids: list[int]) -> None:
    db.session.execute(
        db.delete(Preference).where(
            Preference.user_id == user.id, Preference.proposal_id.in_(proposal_ids)
        )
    )


@dataclass(frozen=True)
class Preferences:
    """How many residents prefer each proposal, and the one the reader chose, per proposal."""

    counts: dict[int, int]
    mine: set[int]


def preferences(competition: ClauseCompetition, user) -> Preferences:
    """Count the preferences for a clause's competing proposals, in two queries."""
    ids = [pid for members in competition.sets for pid in members]
    if not ids:
        return Preferences({}, set())
    counts = dict(
        db.session.execute(
            db.select(Preference.proposal_id, db.func.count())
            .where(Preference.proposal_id.in_(ids))
            .group_by(Preference.proposal_id)
        ).all()
    )
    mine: set[int] = set()
    if getattr(user, "is_authenticated", False):
        mine = set(
            db.session.scalars(
                db.select(Preference.proposal_id).where(
                    Preference.proposal_id.in_(ids), Preference.user_id == user.id
                )
            )
        )
    return Preferences(counts, mine)


@dataclass
class AmendedClause:
    """One clause of the draft as amended: its changes, labelled, and what was left out."""

    clause: Clause
    heading: str
    parts: list[competing.LabelledPart]  # over the text a reader sees
    applied: list[Proposal]
    collided: list[tuple[Proposal, list[Proposal]]]  # left out, and what it collides with
    removed_by: Proposal | None = None

    @property
    def changed(self) -> bool:
        return bool(self.applied) or self.removed_by is not None

    @property
    def lines(self) -> list[list[competing.LabelledPart]]:
        """The parts cut into the clause's paragraphs and items, to be read as paragraphs."""
        return competing.paragraphs(self.parts)


@dataclass
class AmendedDraft:
    clauses: list[AmendedClause]
    chosen: list[int]
    default: bool  # nothing was chosen: every proposal that competes with none
    competitions: dict[int, ClauseCompetition]  # by clause id, for the choosing form

    @property
    def applied(self) -> int:
        return sum(len(c.applied) for c in self.clauses)

    @property
    def left_out(self) -> int:
        return sum(len(c.collided) for c in self.clauses)


_LINE_BREAKS = re.compile(r"\n{2,}")
CHOICE_MAX = 500  # proposals one request may choose


def chosen_proposals(args) -> list[int] | None:
    """Read the proposals a reader chose, in order, from a query string; None if no choice.

    The form sends `chosen=1` with its boxes, so choosing none is a choice too. Anything
    that is not a proposal number is ignored; a number twice counts once.
    """
    if "chosen" not in args and "proposal" not in args:
        return None
    picked: list[int] = []
    for value in args.getlist("proposal")[:CHOICE_MAX]:
        if value.isdigit() and len(value) < 10 and int(value) not in picked:
            picked.append(int(value))
    return picked


def amended_draft(charter: Charter, chosen: list[int] | None = None) -> AmendedDraft:
    """Apply the chosen open proposals to the working draft, clause by clause.

    With no choice made, every open proposal in no competing set is applied: they merge
    cleanly together. Within a clause, proposals go in in the order they were chosen, so
    of two rivals the first chosen is merged and the other listed as colliding.
    """
    clauses = [c for c in charter.clauses if not c.retired]
    competitions = {c.id: clause_competition(c) for c in clauses}
    default = chosen is None
    if chosen is None:
        chosen = [
            p.id
            for comp in competitions.values()
            for p in comp.proposals
            if not comp.rivals.get(p.id)
        ]
    rank = {pid: k for k, pid in enumerate(chosen)}
    result = []
    for clause in clauses:
        comp = competitions[clause.id]
        by_id = {p.id: p for p in comp.proposals}
        picked = sorted((pid for pid in by_id if pid in rank), key=rank.__getitem__)
        result.append(_amended_clause(clause, comp, [by_id[p] for p in picked]))
    return AmendedDraft(clauses=result, chosen=chosen, default=default, competitions=competitions)


def _amended_clause(clause: Clause, comp: ClauseCompetition, picked: list[Proposal]):
    revision = clause.current_revision
    removal = next((p for p in picked if p.kind is ProposalKind.REMOVE), None)
    if removal is not None:  # the rest of the choice collides with it
        others = [p for p in picked if p is not removal]
        text = _reader_text(revision.body)
        parts = [competing.LabelledPart(DELETE, text, (removal.id,))] if text else []
        return AmendedClause(
            clause, revision.heading, parts, [removal], [(p, [removal]) for p in others], removal
        )
    wordings = [comp.wordings[p.id] for p in picked]
    amended = competing.amend(comp.head, wordings)
    by_id = {p.id: p for p in picked}
    own = {pid: _reader_text(comp.wordings[pid].body) for pid in amended.applied}
    parts = competing.labelled_changes(_reader_text(revision.body), _reader_text(amended.body), own)
    return AmendedClause(
        clause=clause,
        heading=amended.heading,
        parts=parts,
        applied=[by_id[pid] for pid in amended.applied],
        collided=[
            (by_id[pid], [by_id[o] for o in against]) for pid, against in amended.collided.items()
        ],
    )


def _reader_text(markdown: str) -> str:
    """The words a reader sees, a line per paragraph or item: tracked changes read as prose.

    Runs of line breaks (a table's layout) count as one, so a change of layout alone is no
    change of words.
    """
    return _LINE_BREAKS.sub("\n", plain_text(rendered(markdown)).text).strip("\n")
