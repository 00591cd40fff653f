"""Find a clause's summaries and translations, and which are current."""

from dataclasses import dataclass

from charter.extensions import db
from charter.models import Clause, ClauseRevision, Supplement, SupplementKind
from charter.plain.languages import Slot, enabled_languages


def _series(clause: Clause, slot: Slot):
    return db.select(Supplement).filter_by(
        clause_id=clause.id, kind=slot.kind, language=slot.language.code
    )


def latest(clause: Clause, slot: Slot) -> Supplement | None:
    """The newest wording of a summary or translation, current or not."""
    return db.session.scalars(_series(clause, slot).order_by(Supplement.number.desc())).first()


def history(clause: Clause, slot: Slot) -> list[Supplement]:
    """Every wording ever written, newest first."""
    return list(db.session.scalars(_series(clause, slot).order_by(Supplement.number.desc())))


def written_for(supplement: Supplement) -> ClauseRevision:
    """The clause wording a text was last written or reviewed for."""
    return supplement.revision


@dataclass(frozen=True)
class Coverage:
    """How many of a version's clauses a language has a current translation for."""

    code: str
    name: str
    native: str
    current: int
    total: int


def translations_current_for(revisions: list[ClauseRevision], codes) -> list[Coverage]:
    """Per enabled language: the clauses whose translation fits the wording in these revisions.

    A translation fits a revision when any wording of it was written or reviewed for that exact
    content hash, even if it has been revised for a later wording since.
    """
    by_clause = {revision.clause_id: revision.content_hash for revision in revisions}
    rows = db.session.execute(
        db.select(Supplement.language, Supplement.clause_id, Supplement.content_hash)
        .where(Supplement.kind == SupplementKind.TRANSLATION)
        .where(Supplement.clause_id.in_(list(by_clause)))
        .distinct()
    ).all()
    fits: dict[str, set[int]] = {}
    for language, clause_id, content_hash in rows:
        if by_clause.get(clause_id) == content_hash:
            fits.setdefault(language, set()).add(clause_id)
    return [
        Coverage(
            language.code,
            language.name,
            language.native,
            len(fits.get(language.code, ())),
            len(by_clause),
        )
        for language in enabled_languages(codes)
    ]


def translations_mark() -> int:
    """A number that grows whenever a translation is written or reviewed.

    Translations are only ever added, so a cached page listing them is current while this holds.
    """
    newest = db.select(db.func.max(Supplement.id)).where(
        Supplement.kind == SupplementKind.TRANSLATION
    )
    return db.session.scalar(newest) or 0


def translations_fitting(revisions: list[ClauseRevision], code: str) -> dict[int, Supplement]:
    """For each of these clause wordings, the newest translation into a language made for it."""
    hashes = {revision.clause_id: revision.content_hash for revision in revisions}
    found: dict[int, Supplement] = {}
    for supplement in db.session.scalars(
        db.select(Supplement)
        .where(Supplement.kind == SupplementKind.TRANSLATION, Supplement.language == code)
        .where(Supplement.clause_id.in_(list(hashes)))
        .order_by(Supplement.number)
    ):
        if hashes.get(supplement.clause_id) == supplement.content_hash:
            found[supplement.clause_id] = supplement
    return found
