"""Find proposals: lists with filters and sort, and a clause's open proposals."""

from dataclasses import dataclass

from sqlalchemy.orm import selectinload

from charter.extensions import db
from charter.models import Charter, Clause, Proposal, ProposalKind, ProposalStatus, Support

SORTS = {
    "newest": (Proposal.created_at.desc(), Proposal.id.desc()),
    "oldest": (Proposal.created_at, Proposal.id),
    "support": (Proposal.support_count.desc(), Proposal.created_at.desc(), Proposal.id.desc()),
}


def proposals_query(
    charter: Charter,
    *,
    status: ProposalStatus | None = None,
    clause: Clause | None = None,
    kind: ProposalKind | None = None,
    sort: str = "newest",
):
    """Build the select for a filtered, sorted list of proposals."""
    query = (
        db.select(Proposal)
        .filter_by(charter_id=charter.id)
        .options(
            selectinload(Proposal.author),
            selectinload(Proposal.base_revision),
            selectinload(Proposal.clause),
        )
    )
    if status is not None:
        query = query.filter_by(status=status)
    if clause is not None:
        query = query.filter_by(clause_id=clause.id)
    if kind is not None:
        query = query.filter_by(kind=kind)
    return query.order_by(*SORTS.get(sort, SORTS["newest"]))


OPEN_SHOWN = 10  # open proposals listed on a clause's page; the rest are a link away


@dataclass(frozen=True)
class OpenProposals:
    shown: list[Proposal]  # the most supported ones
    total: int


def open_proposals_for(clause: Clause, limit: int = OPEN_SHOWN) -> OpenProposals:
    """Return the most supported open proposals about one clause, and how many there are."""
    query = proposals_query(clause.charter, status=ProposalStatus.OPEN, clause=clause)
    total = db.session.scalar(db.select(db.func.count()).select_from(query.subquery()))
    shown = proposals_query(
        clause.charter, status=ProposalStatus.OPEN, clause=clause, sort="support"
    ).limit(limit)
    return OpenProposals(shown=list(db.session.scalars(shown)), total=total)


def has_supported(proposal: Proposal, user) -> bool:
    """Tell whether this person already supports the proposal."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.scalar(db.select(Support.id).filter_by(proposal_id=proposal.id, user_id=user.id))
        is not None
    )
