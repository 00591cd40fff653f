"""Read the charter and its working draft."""

from flask import current_app
from sqlalchemy.orm import selectinload

from charter.extensions import db
from charter.models import Charter, Clause, ClauseRevision
from charter.text.drafts import Draft, DraftClause


def get_charter() -> Charter | None:
    """Return the charter this site hosts, or None before any draft is imported."""
    slug = current_app.config["CHARTER_SLUG"]
    return db.session.scalar(db.select(Charter).filter_by(slug=slug))


def live_clauses(charter: Charter) -> list[Clause]:
    """Return the clauses of the working draft in order, with their current wording loaded."""
    return list(
        db.session.scalars(
            db.select(Clause)
            .filter_by(charter_id=charter.id, retired=False)
            .order_by(Clause.position)
            .options(selectinload(Clause.current_revision).selectinload(ClauseRevision.author))
        )
    )


def get_clause(charter: Charter, key: str) -> Clause | None:
    """Return the clause with this key, live or retired."""
    return db.session.scalar(db.select(Clause).filter_by(charter_id=charter.id, key=key))


def clause_history(clause: Clause) -> list[ClauseRevision]:
    """Return every wording of a clause, newest first."""
    return list(
        db.session.scalars(
            db.select(ClauseRevision)
            .filter_by(clause_id=clause.id)
            .order_by(ClauseRevision.number.desc())
            .options(selectinload(ClauseRevision.author))
        )
    )


def working_draft(charter: Charter) -> Draft:
    """Return the working draft as plain text data, ready to hash or export."""
    return Draft(
        title=charter.title,
        preamble=charter.preamble,
        clauses=tuple(
            DraftClause(key=c.key, heading=c.current_revision.heading, body=c.current_revision.body)
            for c in live_clauses(charter)
        ),
    )
