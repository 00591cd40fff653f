"""Turn proposals into the tracked changes a reader sees."""

from charter.changes import ClauseChange, added, amended, removed
from charter.models import Clause, Proposal, ProposalKind
from charter.text.drafts import normalise_heading, normalise_text


def draft_change(kind: ProposalKind, clause: Clause | None, form) -> ClauseChange:
    """Preview the change a proposal form would make, before it is sent."""
    heading = normalise_heading(form.data.get("heading") or "")
    body = normalise_text(form.data.get("body") or "")
    if kind is ProposalKind.ADD:
        return added(heading, body)
    current = clause.current_revision
    if kind is ProposalKind.REMOVE:
        return removed(current.heading, current.body)
    return amended(current.heading, current.body, heading, body)


def proposal_change(proposal: Proposal) -> ClauseChange:
    """Show what a proposal changes in the wording it was written against."""
    if proposal.kind is ProposalKind.ADD:
        return added(proposal.heading, proposal.body)
    base = proposal.base_revision
    if proposal.kind is ProposalKind.REMOVE:
        return removed(base.heading, base.body)
    return amended(base.heading, base.body, proposal.heading, proposal.body)


def rebased_change(proposal: Proposal, heading: str, body: str) -> ClauseChange:
    """Show what accepting a rebased proposal would change in the clause as it is now."""
    current = proposal.clause.current_revision
    return amended(current.heading, current.body, heading, body)
