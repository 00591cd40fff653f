"""Proposal use cases: propose, edit, withdraw, support, accept and reject. Flush, never commit."""

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import update

from charter.accounts.operations import UNVERIFIED_MESSAGE
from charter.audit import record
from charter.clauses.operations import (
    add_clause,
    create_revision,
    lock_clause,
    lock_clauses,
    retire_clause,
    wording_differs,
)
from charter.consultations.queries import window_for
from charter.events import (
    proposal_created,
    proposal_decided,
    proposal_text_created,
    proposal_withdrawn,
)
from charter.extensions import db
from charter.languages import number
from charter.models import (
    Charter,
    Clause,
    Proposal,
    ProposalKind,
    ProposalStatus,
    ProposalText,
    Support,
    User,
    utcnow,
)
from charter.text.drafts import body_problems, normalise_heading, normalise_text
from charter.text.hashing import sha256_text
from charter.text.merging import Conflict, rebase

HEADING_MAX = 200
BODY_MAX = 10_000
RATIONALE_MAX = 2_000
REASON_MAX = 2_000


class ProposalError(ValueError):
    """A proposal action that cannot go ahead, with a message fit to show to the person."""


class ProposalConflict(ProposalError):
    """Someone else acted on the same thing first."""


class RebaseNeedsConfirmation(ProposalError):
    """The clause moved on; the proposal merges cleanly, and the result must be seen first."""

    def __init__(self, rebased: "RebasedWording"):
        super().__init__(
            _(
                "The clause has changed since this proposal was written. Its change still fits "
                "the new wording: check the merged result below, then confirm."
            )
        )
        self.rebased = rebased


class RebaseFailed(ProposalError):
    """The clause moved on in the very words the proposal changes; says where."""

    def __init__(self, message: str, collisions: list["Collision"]):
        super().__init__(message)
        self.collisions = collisions


@dataclass(frozen=True)
class Collision:
    """One place where the proposal and the clause's newer wording changed the same words."""

    part: str  # "heading" or "wording"
    base: str  # the part as the proposal found it, which the conflict's offsets index
    conflict: Conflict


@dataclass(frozen=True)
class RebasedWording:
    heading: str
    body: str

    @property
    def fingerprint(self) -> str:
        """Identify this exact merged text, so a confirmation is for what was shown."""
        return sha256_text(f"{self.heading}\n{self.body}")


def _check_text(kind: ProposalKind, heading: str, body: str, rationale: str) -> None:
    if not rationale.strip():
        raise ProposalError(_("Say why you propose this: the reason is what others will weigh."))
    if len(rationale) > RATIONALE_MAX:
        raise ProposalError(_("Keep the reason to %(n)s characters.", n=number(RATIONALE_MAX)))
    if kind is ProposalKind.REMOVE:
        return
    if not heading.strip():
        raise ProposalError(_("Give the clause a heading."))
    if not body.strip():
        raise ProposalError(_("Write the wording you propose; it cannot be empty."))
    if len(heading) > HEADING_MAX:
        raise ProposalError(_("Keep the heading to %(n)s characters.", n=HEADING_MAX))
    if len(body) > BODY_MAX:
        raise ProposalError(_("Keep the wording to %(n)s characters.", n=number(BODY_MAX)))
    problems = body_problems(body)
    if problems:
        raise ProposalError(problems[0])


def _check_clause(kind: ProposalKind, clause: Clause | None, heading: str, body: str) -> None:
    if kind is ProposalKind.ADD:
        return
    if clause is None:
        raise ProposalError(_("Choose the clause this proposal is about."))
    if clause.retired:
        raise ProposalError(
            _("This clause has been removed from the charter; it cannot be changed.")
        )
    if kind is ProposalKind.AMEND and not wording_differs(clause, heading, body):
        raise ProposalError(_("This is the same as the current wording. Change something first."))


def _record_text(proposal: Proposal) -> None:
    db.session.add(
        ProposalText(
            proposal=proposal,
            number=len(proposal.texts) + 1,
            heading=proposal.heading,
            body=proposal.body,
            rationale=proposal.rationale,
            base_revision_id=proposal.base_revision_id,
        )
    )


def create_proposal(
    charter: Charter,
    author: User,
    kind: ProposalKind,
    *,
    clause: Clause | None = None,
    heading: str = "",
    body: str = "",
    rationale: str = "",
    position: int | None = None,
    parent: Proposal | None = None,
) -> Proposal:
    """Open a proposal to amend, add or remove a clause, or to amend an open proposal.

    An amendment changes a proposal's wording: it is written against the same wording of the
    clause as its parent, so the committee can weigh the two as rivals.
    """
    if not author.email_verified:
        raise ProposalError(UNVERIFIED_MESSAGE)
    if not charter.consultation_open:
        raise ProposalError(
            _(
                "The consultation is closed, so new proposals cannot be made just now. "
                "You can still read and comment on the charter."
            )
        )
    standing = window_for(charter, None if kind is ProposalKind.ADD else clause, fresh=True)
    if not standing.open:
        raise ProposalError(standing.refusal(proposals=True))
    _check_text(kind, heading, body, rationale)
    if parent is not None:
        _check_amendment(parent, kind, clause, heading, body)
    _check_clause(kind, clause, heading, body)
    if kind is ProposalKind.REMOVE:
        heading, body = "", ""
    base = clause.current_revision if clause is not None else None
    proposal = Proposal(
        charter=charter,
        kind=kind,
        clause=None if kind is ProposalKind.ADD else clause,
        parent=parent,
        base_revision=None
        if kind is ProposalKind.ADD
        else (parent.base_revision if parent is not None else base),
        heading=normalise_heading(heading),
        body=normalise_text(body),
        position=position if kind is ProposalKind.ADD else None,
        rationale=rationale.strip(),
        author=author,
    )
    db.session.add(proposal)
    db.session.flush()
    _record_text(proposal)
    db.session.flush()
    proposal_created.send(proposal)
    return proposal


def _check_amendment(
    parent: Proposal, kind: ProposalKind, clause: Clause | None, heading: str, body: str
) -> None:
    if not parent.is_open:
        raise ProposalError(
            _(
                "Proposal %(id)s is already %(status)s, so it cannot be amended. You can propose "
                "a change to the clause instead.",
                id=parent.id,
                status=parent.status.label.lower(),
            )
        )
    if parent.parent_id is not None:
        raise ProposalError(
            _(
                "Proposal %(id)s is itself an amendment; amend proposal %(parent)s instead "
                "(amendments go one level deep).",
                id=parent.id,
                parent=parent.parent_id,
            )
        )
    if parent.kind is not ProposalKind.AMEND or kind is not ProposalKind.AMEND:
        raise ProposalError(_("Only a proposal to change a clause can be amended."))
    if clause is None or parent.clause_id != clause.id:
        raise ProposalError(
            _("An amendment is about the same clause as proposal %(id)s.", id=parent.id)
        )
    if normalise_heading(heading) == parent.heading and normalise_text(body) == parent.body:
        raise ProposalError(
            _(
                "This is exactly what proposal %(id)s says. Change some words, or support it.",
                id=parent.id,
            )
        )


def take_in_amendment(
    parent: Proposal, amendment: Proposal, by: User, *, seen_version: int | None = None
) -> None:
    """Make an amendment's wording the parent proposal's new text, crediting it.

    Only the parent's author does this. The amendment is brought onto the clause's wording
    now, exactly as accepting it would; if the clause has since changed the same words, it is
    refused rather than merged by guesswork.
    """
    _lock(parent)
    _lock(amendment)
    _require_open(parent)
    if amendment.parent_id != parent.id:
        raise ProposalError(
            _("Proposal %(id)s is not an amendment to this proposal.", id=amendment.id)
        )
    if not amendment.is_open:
        raise ProposalConflict(
            _(
                "Amendment %(id)s is already %(status)s.",
                id=amendment.id,
                status=amendment.status.label.lower(),
            )
        )
    if by.id != parent.author_id:
        raise ProposalError(_("Only the proposal's author can take an amendment in."))
    wording = rebased_wording(amendment)
    if wording is None:
        raise ProposalError(
            _(
                "The clause has changed in the same words this amendment changes, so it cannot "
                "be taken in as it is. Its author can update it first."
            )
        )
    update_proposal(
        parent,
        heading=wording.heading,
        body=wording.body,
        rationale=parent.rationale,
        seen_version=seen_version,
    )
    amendment.status = ProposalStatus.TAKEN_IN
    amendment.taken_into_text = parent.texts[-1]
    amendment.decision_reason = f"Taken into proposal {parent.id} by its author."
    amendment.decided_by = by
    amendment.decided_at = utcnow()
    record(
        by,
        "proposal.taken_in",
        "proposal",
        amendment.id,
        f"Taken in: amendment {amendment.id} became the text of proposal {parent.id}.",
    )
    db.session.flush()
    proposal_decided.send(amendment)


def _require_open(proposal: Proposal) -> None:
    if not proposal.is_open:
        raise ProposalConflict(
            _(
                "This proposal is already %(status)s; it cannot be changed now.",
                status=proposal.status.value,
            )
        )


def _lock(proposal: Proposal) -> None:
    """Hold the proposal's row until commit and reload it: a decision made meanwhile shows."""
    db.session.refresh(proposal, with_for_update=True)


def _require_version(proposal: Proposal, seen_version: int | None) -> None:
    if seen_version is not None and seen_version != proposal.lock_version:
        raise ProposalConflict(
            _("This proposal changed after you opened it. Read it again as it is now, then decide.")
        )


def update_proposal(
    proposal: Proposal,
    *,
    heading: str,
    body: str,
    rationale: str,
    seen_version: int | None = None,
) -> Proposal:
    """Replace an open proposal's text, keeping the earlier one; rebase it on the clause now."""
    _require_open(proposal)
    _require_version(proposal, seen_version)
    _check_text(proposal.kind, heading, body, rationale)
    clause = proposal.clause
    _check_clause(proposal.kind, clause, heading, body)
    if proposal.kind is not ProposalKind.ADD:
        proposal.base_revision = clause.current_revision  # the author has now seen this wording
    if proposal.kind is not ProposalKind.REMOVE:
        proposal.heading, proposal.body = normalise_heading(heading), normalise_text(body)
    proposal.rationale = rationale.strip()
    proposal.needs_update = False
    proposal.updated_at = utcnow()
    db.session.flush()
    _record_text(proposal)
    db.session.flush()
    db.session.refresh(proposal, ["texts"])
    proposal_text_created.send(proposal.texts[-1], previous=proposal.texts[-2])
    return proposal


def withdraw_proposal(proposal: Proposal) -> None:
    """Withdraw an open proposal; it stays readable with its discussion."""
    _lock(proposal)
    _require_open(proposal)
    proposal.status = ProposalStatus.WITHDRAWN
    proposal.updated_at = utcnow()
    db.session.flush()
    proposal_withdrawn.send(proposal)


def support_proposal(proposal: Proposal, user: User) -> None:
    """Record one person's support for an open proposal, once."""
    _require_open(proposal)
    if not user.email_verified:
        raise ProposalError(UNVERIFIED_MESSAGE)
    if proposal.author_id == user.id:
        raise ProposalError(_("You wrote this proposal, so your support is already counted in it."))
    if db.session.scalar(db.select(Support).filter_by(proposal_id=proposal.id, user_id=user.id)):
        raise ProposalError(_("You already support this proposal."))
    db.session.add(Support(proposal_id=proposal.id, user_id=user.id))
    # Count in the database, so simultaneous supporters are all counted.
    db.session.execute(
        update(Proposal)
        .where(Proposal.id == proposal.id)
        .values(support_count=Proposal.support_count + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    db.session.refresh(proposal, ["support_count"])


def _rebase(proposal: Proposal) -> tuple[RebasedWording | None, list[Collision]]:
    head = proposal.clause.current_revision
    base = proposal.base_revision
    if base.id == head.id:
        return RebasedWording(proposal.heading, proposal.body), []
    heading = rebase(base.heading, proposal.heading, head.heading)
    body = rebase(base.body, proposal.body, head.body)
    collisions = [
        Collision(part, text, conflict)
        for part, text, merged in (("heading", base.heading, heading), ("wording", base.body, body))
        for conflict in merged.conflicts
    ]
    if collisions:
        return None, collisions
    return RebasedWording(normalise_heading(heading.text), normalise_text(body.text)), []


def rebased_wording(proposal: Proposal) -> RebasedWording | None:
    """Return the proposal replayed on the clause's current wording, or None if it will not fit.

    An amendment written against the current wording is returned as it is.
    """
    return _rebase(proposal)[0]


def rebase_collisions(proposal: Proposal) -> list[Collision]:
    """List where an amendment collides with the clause's current wording; none if it fits."""
    if proposal.kind is not ProposalKind.AMEND or proposal.clause is None:
        return []
    return _rebase(proposal)[1]


def _decide(proposal: Proposal, by: User, status: ProposalStatus, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise ProposalError(
            _("Give the reason for the decision; everyone will be able to read it.")
        )
    if len(reason) > REASON_MAX:
        raise ProposalError(_("Keep the reason to %(n)s characters.", n=number(REASON_MAX)))
    proposal.status = status
    proposal.decision_reason = reason
    proposal.decided_by = by
    proposal.decided_at = utcnow()
    record(
        by,
        f"proposal.{status.value}",
        "proposal",
        proposal.id,
        f"{status.english}: {proposal.title}. Reason: {reason}",
    )


def accept_proposal(
    proposal: Proposal,
    by: User,
    reason: str,
    *,
    seen_version: int | None = None,
    confirmed: str | None = None,
) -> None:
    """Accept a proposal into the working draft, rebasing it if the clause has moved on."""
    # Lock what the change is built on before reading it (the charter's clauses for an
    # addition, the clause otherwise), then the proposal: another acceptance that committed
    # meanwhile is then seen here, and one still running waits until this one commits.
    if proposal.kind is ProposalKind.ADD:
        lock_clauses(proposal.charter)
    else:
        lock_clause(proposal.clause)
    _lock(proposal)
    _require_open(proposal)
    _require_version(proposal, seen_version)
    fallen: list[Proposal] = []
    if proposal.kind is ProposalKind.ADD:
        _decide(proposal, by, ProposalStatus.ACCEPTED, reason)
        clause = add_clause(
            proposal.charter,
            proposal.heading,
            proposal.body,
            position=proposal.position,
            author=proposal.author,
            note=f"Proposal {proposal.id}",
            proposal=proposal,
        )
        proposal.clause = clause
        proposal.result_revision = clause.current_revision
    elif proposal.kind is ProposalKind.REMOVE:
        if proposal.clause.retired:
            raise ProposalConflict(_("This clause has already been removed."))
        _decide(proposal, by, ProposalStatus.ACCEPTED, reason)
        retire_clause(proposal.clause)
        fallen = _others_on_clause(proposal)
    else:
        if proposal.clause.retired:
            raise ProposalConflict(_("This clause has been removed, so it cannot be changed."))
        wording, collisions = _rebase(proposal)
        if wording is None:
            proposal.needs_update = True
            db.session.flush()
            raise RebaseFailed(
                _(
                    "The clause has changed since this proposal was written, in the same words "
                    "it changes. Nothing was merged. The author has been asked to update the "
                    "proposal."
                ),
                collisions,
            )
        moved_on = proposal.base_revision_id != proposal.clause.current_revision_id
        if moved_on and confirmed != wording.fingerprint:
            raise RebaseNeedsConfirmation(wording)
        if not wording_differs(proposal.clause, wording.heading, wording.body):
            raise ProposalConflict(
                _("The clause already says exactly this; there is nothing to merge.")
            )
        _decide(proposal, by, ProposalStatus.ACCEPTED, reason)
        fitted = [p for p in _others_on_clause(proposal) if p.kind is ProposalKind.AMEND]
        fitted = [p for p in fitted if rebased_wording(p) is not None]
        revision = create_revision(
            proposal.clause,
            wording.heading,
            wording.body,
            author=proposal.author,
            note=f"Proposal {proposal.id}",
            proposal=proposal,
        )
        proposal.result_revision = revision
        fallen = [p for p in fitted if rebased_wording(p) is None]
    db.session.flush()
    proposal_decided.send(proposal)
    for other in fallen:
        _fall(other, proposal, by)


def _others_on_clause(proposal: Proposal) -> list[Proposal]:
    """The other open proposals about the same clause, locked, oldest first."""
    others = db.session.scalars(
        db.select(Proposal)
        .filter_by(clause_id=proposal.clause_id, status=ProposalStatus.OPEN)
        .where(Proposal.id != proposal.id)
        .order_by(Proposal.id)
        .with_for_update()
    )
    return list(others)


def _fall(proposal: Proposal, accepted: Proposal, by: User) -> None:
    """Close a proposal that an accepted one made impossible, saying which and why.

    It fitted the clause before the acceptance and no longer does: it is never rebased by
    guesswork. Its author can make a new proposal on the new wording.
    """
    if accepted.kind is ProposalKind.REMOVE:
        why = f"Proposal {accepted.id} was accepted and removed this clause."
    else:
        why = (
            f"Proposal {accepted.id} was accepted and changed the same words, so this change "
            "can no longer be made as written. Its author can propose it again on the new wording."
        )
    proposal.status = ProposalStatus.FALLEN
    proposal.decision_reason = why
    proposal.fell_to = accepted
    proposal.decided_by = by
    proposal.decided_at = utcnow()
    record(by, "proposal.fallen", "proposal", proposal.id, f"Fallen: {proposal.title}. {why}")
    db.session.flush()
    proposal_decided.send(proposal)


def reject_proposal(
    proposal: Proposal, by: User, reason: str, *, seen_version: int | None = None
) -> None:
    """Reject a proposal, with the reason everyone will read."""
    _lock(proposal)
    _require_open(proposal)
    _require_version(proposal, seen_version)
    _decide(proposal, by, ProposalStatus.REJECTED, reason)
    db.session.flush()
    proposal_decided.send(proposal)
