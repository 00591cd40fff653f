"""The database itself refuses raw SQL that would rewrite or remove the record."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from charter.extensions import db
from charter.models import CharterVersion, VersionStatus, Vote, VoteChoice
from charter.versions.operations import (
    cast_vote,
    open_candidate,
    withdraw_candidate,
)

PUBLISHED = "(SELECT id FROM charter_versions WHERE status = 'published')"

REFUSED = [
    "UPDATE clause_revisions SET body = 'We may sell your data.'",
    "UPDATE clause_revisions SET body_html = '<p>We may sell your data.</p>'",
    "DELETE FROM clause_revisions",
    "UPDATE proposal_texts SET body = 'Something else.'",
    "DELETE FROM proposal_texts",
    "UPDATE charter_versions SET changelog = 'Nothing.' WHERE status = 'published'",
    "UPDATE charter_versions SET status = 'withdrawn' WHERE status = 'published'",
    "DELETE FROM charter_versions WHERE status = 'published'",
    f"UPDATE version_clauses SET position = position + 10 WHERE version_id IN {PUBLISHED}",
    f"DELETE FROM version_clauses WHERE version_id IN {PUBLISHED}",
    f"UPDATE votes SET choice = 'reject' WHERE version_id IN {PUBLISHED}",
    f"UPDATE votes SET member_name = 'Someone Else' WHERE version_id IN {PUBLISHED}",
    f"DELETE FROM votes WHERE version_id IN {PUBLISHED}",
    "INSERT INTO votes (version_id, member_id, choice, note, created_at, updated_at) "
    f"SELECT MAX(id), 1, 'approve', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM {PUBLISHED} p",
    "UPDATE audit_events SET summary = 'Nothing happened.'",
    "DELETE FROM audit_events",
    "DELETE FROM audit_log_head",
]


def _count(table: str) -> int:
    return db.session.scalar(text(f"SELECT COUNT(*) FROM {table}"))


@pytest.mark.parametrize("statement", REFUSED)
def test_raw_sql_cannot_rewrite_the_record(record, statement):
    table = statement.split()[2] if statement.startswith(("DELETE", "INSERT")) else None
    table = table or statement.split()[1]
    before = _count(table)
    assert before > 0
    with pytest.raises(IntegrityError, match="append-only"):
        db.session.execute(text(statement))
        db.session.flush()
    db.session.rollback()
    assert _count(table) == before


def test_a_candidate_still_takes_votes_and_can_be_withdrawn(record, users):
    from charter.clauses.operations import create_revision
    from charter.clauses.queries import get_clause

    create_revision(get_clause(record, "why"), "Why we join data", "Only to help.")
    candidate = open_candidate(record, users["committee"], "Say less.")
    seen = candidate.content_hash
    cast_vote(candidate, users["admin"], VoteChoice.REJECT, "", seen_hash=seen)
    cast_vote(candidate, users["admin"], VoteChoice.APPROVE, "Changed my mind.", seen_hash=seen)
    db.session.commit()
    # Raw SQL on a candidate's own rows is allowed too: only published records are sealed.
    db.session.execute(
        text("UPDATE votes SET note = 'Sure.' WHERE version_id = :v"), {"v": candidate.id}
    )
    withdraw_candidate(candidate, users["committee"], seen_hash=seen, reason="Too soon.")
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(CharterVersion, candidate.id)
    assert stored.status is VersionStatus.WITHDRAWN
    assert [
        (v.choice, v.note)
        for v in db.session.scalars(db.select(Vote).filter_by(version_id=candidate.id))
    ] == [(VoteChoice.APPROVE, "Sure.")]


def test_a_summary_or_translation_once_written_is_never_rewritten(charter, users):
    from charter.clauses.queries import get_clause
    from charter.plain.languages import PLAIN
    from charter.plain.operations import write_supplement

    write_supplement(
        get_clause(charter, "why"),
        PLAIN,
        heading="Why",
        body="We join data to plan services.",
        by=users["committee"],
    )
    db.session.commit()
    for statement in (
        "UPDATE clause_supplements SET body = 'We may sell your data.'",
        "DELETE FROM clause_supplements",
    ):
        with pytest.raises(IntegrityError, match="append-only"):
            db.session.execute(text(statement))
            db.session.flush()
        db.session.rollback()
        assert _count("clause_supplements") == 1
