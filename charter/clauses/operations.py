"""Change the working draft: every change appends a revision, none overwrites one.

Two people changing the draft at once must not both build on the same wording: whoever writes
first locks the rows it builds on (SELECT ... FOR UPDATE) and reloads them, so the other waits
and then sees the new wording. Locks are always taken in one order, so two writers can never
wait for each other: the charter row, then its clause rows (by id), then a proposal, then a
candidate version, and last the audit log's head inside `charter.audit.record`.
"""

from dataclasses import dataclass, field

from charter.audit import record
from charter.events import revision_created
from charter.extensions import db
from charter.models import Charter, Clause, ClauseRevision, User
from charter.text.drafts import Draft, normalise_heading, normalise_text, slugify
from charter.text.hashing import clause_hash
from charter.text.markdown import render_markdown


def create_revision(
    clause: Clause,
    heading: str,
    body: str,
    *,
    author: User | None = None,
    note: str = "",
    proposal=None,
) -> ClauseRevision | None:
    """Append a new wording to a clause; return None if it matches the current one."""
    if not wording_differs(clause, heading, body):
        return None
    heading, body = normalise_heading(heading), normalise_text(body)
    # Numbered from the wording this change was made on, not from a fresh max(): if another
    # revision was written meanwhile, the (clause, number) unique constraint refuses this one
    # instead of letting it silently replace a change it never saw.
    head = clause.current_revision
    revision = ClauseRevision(
        clause=clause,
        number=(head.number if head else 0) + 1,
        heading=heading,
        body=body,
        body_html=render_markdown(body),
        content_hash=clause_hash(clause.key, heading, body),
        author=author,
        note=note,
        proposal=proposal,
    )
    db.session.add(revision)
    clause.current_revision = revision
    db.session.flush()
    revision_created.send(revision, previous=head)
    return revision


def lock_clause(clause: Clause) -> None:
    """Hold the clause's row until commit and reload it, so its working draft is the latest."""
    db.session.refresh(clause, with_for_update=True)


def lock_clauses(charter: Charter) -> None:
    """Hold the charter's row and all its clauses' rows until commit, reloaded as they are now."""
    db.session.refresh(charter, with_for_update=True)
    db.session.scalars(
        db.select(Clause)
        .filter_by(charter_id=charter.id)
        .order_by(Clause.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()


def unused_key(charter: Charter, wanted: str) -> str:
    """Return wanted, or wanted-2, -3...: a key is never reused, even after retirement."""
    taken = set(db.session.scalars(db.select(Clause.key).filter_by(charter_id=charter.id)))
    key, n = wanted, 2
    while key in taken:
        key, n = f"{wanted}-{n}", n + 1
    return key


def add_clause(
    charter: Charter,
    heading: str,
    body: str,
    *,
    position: int | None = None,
    key: str | None = None,
    author: User | None = None,
    note: str = "",
    proposal=None,
) -> Clause:
    """Add a clause at a position (1-based; default last), moving later clauses down."""
    lock_clauses(charter)  # two additions at once must not give two clauses one position
    live = db.session.scalars(
        db.select(Clause).filter_by(charter_id=charter.id, retired=False).order_by(Clause.position)
    ).all()
    index = len(live) if position is None else max(0, min(position - 1, len(live)))
    clause = Clause(charter=charter, key=unused_key(charter, key or slugify(heading)), position=0)
    db.session.add(clause)
    for n, each in enumerate([*live[:index], clause, *live[index:]], start=1):
        each.position = n
    db.session.flush()
    create_revision(clause, heading, body, author=author, note=note, proposal=proposal)
    return clause


def retire_clause(clause: Clause) -> None:
    """Take a clause out of the working draft; its revisions and key are kept."""
    clause.retired = True
    db.session.flush()


@dataclass
class ImportReport:
    charter: Charter
    added: list[str] = field(default_factory=list)
    revised: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)


class EmptyDraft(ValueError):
    """A draft with no clauses, which would retire every clause of the working draft."""


def import_draft(
    draft: Draft, *, slug: str, note: str = "Imported from a draft file", allow_empty: bool = False
) -> ImportReport:
    """Make the working draft match a draft file, revising only the clauses whose text changed."""
    if not draft.clauses and not allow_empty:
        raise EmptyDraft(
            "the file has no clauses ('## Heading' lines), so importing it would retire every "
            "clause of the working draft. If that is what you want, import it with --allow-empty."
        )
    charter = db.session.scalar(db.select(Charter).filter_by(slug=slug))
    if charter is None:
        charter = Charter(slug=slug, title=draft.title, preamble=draft.preamble)
        db.session.add(charter)
        db.session.flush()
    lock_clauses(charter)
    charter.title, charter.preamble = draft.title, draft.preamble
    report = ImportReport(charter=charter)

    existing = {c.key: c for c in db.session.scalars(db.select(Clause).filter_by(charter=charter))}
    for position, item in enumerate(draft.clauses, start=1):
        clause = existing.pop(item.key, None)
        if clause is None:
            clause = Clause(charter=charter, key=item.key, position=position)
            db.session.add(clause)
            db.session.flush()
            report.added.append(item.key)
        elif wording_differs(clause, item.heading, item.body) or clause.retired:
            report.revised.append(item.key)
        else:
            report.unchanged.append(item.key)
        clause.position, clause.retired = position, False
        create_revision(clause, item.heading, item.body, note=note)
    for clause in existing.values():
        if not clause.retired:
            retire_clause(clause)
            report.retired.append(clause.key)
    db.session.flush()
    return report


def record_import(report: ImportReport, source: str) -> None:
    """Log an import publicly, saying which clauses it added, revised and retired."""
    changes = [
        f"{len(keys)} clause(s) {label} ({', '.join(keys)})"
        for label, keys in (
            ("added", report.added),
            ("revised", report.revised),
            ("retired", report.retired),
        )
        if keys
    ]
    summary = f"The working draft was imported from {source}: " + (
        "; ".join(changes) if changes else "no clause changed"
    )
    record(None, "charter.imported", "charter", report.charter.id, summary + ".")


def wording_differs(clause: Clause, heading: str, body: str) -> bool:
    """Tell whether this wording, once normalised, differs from the clause's current one."""
    current = clause.current_revision
    digest = clause_hash(clause.key, normalise_heading(heading), normalise_text(body))
    return current is None or current.content_hash != digest
