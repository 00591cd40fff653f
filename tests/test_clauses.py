"""Versioned clauses: every change appends a revision; nothing stored is ever changed."""

import pytest

from charter.clauses.operations import add_clause, create_revision, import_draft, retire_clause
from charter.clauses.queries import get_clause, live_clauses
from charter.extensions import db
from charter.models import ClauseRevision, ImmutableError
from charter.text.drafts import parse_draft
from charter.versions.operations import publish_working_draft
from tests.conftest import SAMPLE_DRAFT


def test_import_creates_one_revision_per_clause(charter):
    clauses = live_clauses(charter)
    assert [c.key for c in clauses] == ["why", "how-long", "your-rights"]
    assert all(c.current_revision.number == 1 for c in clauses)
    assert "<em>plan services</em>" in clauses[0].current_revision.body_html


def test_a_new_wording_appends_a_revision(charter, users):
    clause = get_clause(charter, "why")
    first = clause.current_revision
    second = create_revision(
        clause, "Why we join data", "We join data to *help*.", author=users["citizen"]
    )
    db.session.commit()
    assert second.number == 2 and clause.current_revision is second
    assert [r.number for r in clause.revisions] == [1, 2]
    assert first.body.startswith("We join data to *plan services*")


def test_an_identical_wording_makes_no_revision(charter):
    clause = get_clause(charter, "why")
    body = clause.current_revision.body
    assert create_revision(clause, "  Why we join   data ", body + "\n\n  ") is None
    assert db.session.scalar(db.select(db.func.count(ClauseRevision.id))) == 3


def test_stored_revisions_cannot_be_changed(charter):
    revision = get_clause(charter, "why").current_revision
    revision.body = "Quietly rewritten."
    with pytest.raises(ImmutableError):
        db.session.flush()
    db.session.rollback()
    assert get_clause(charter, "why").current_revision.body.startswith("We join data")


def test_stored_revisions_cannot_be_deleted(charter):
    db.session.delete(get_clause(charter, "why").current_revision)
    with pytest.raises(ImmutableError):
        db.session.flush()


def test_published_versions_cannot_be_changed(charter):
    version = publish_working_draft(charter)
    db.session.commit()
    version.changelog = "Rewritten history"
    with pytest.raises(ImmutableError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(version.entries[0])
    with pytest.raises(ImmutableError):
        db.session.flush()


def test_add_clause_at_a_position_moves_later_clauses_down(charter):
    added = add_clause(charter, "Why we join data", "A second clause with a taken key.", position=2)
    db.session.commit()
    assert added.key == "why-we-join-data"
    assert [c.key for c in live_clauses(charter)] == [
        "why",
        "why-we-join-data",
        "how-long",
        "your-rights",
    ]
    again = add_clause(charter, "x", "y", key="why")
    assert again.key == "why-2"


def test_retired_clauses_keep_their_key_and_history(charter):
    clause = get_clause(charter, "how-long")
    retire_clause(clause)
    db.session.commit()
    assert [c.key for c in live_clauses(charter)] == ["why", "your-rights"]
    assert get_clause(charter, "how-long").revisions[0].number == 1
    assert add_clause(charter, "How long", "new", key="how-long").key == "how-long-2"


def test_reimport_revises_only_changed_clauses_and_keeps_keys(app, charter):
    changed = SAMPLE_DRAFT.replace("after a year", "after six months").replace(
        "## Your rights\n\nYou can ask what we hold.\n", "## New clause {#new}\n\nFresh.\n"
    )
    report = import_draft(parse_draft(changed), slug=app.config["CHARTER_SLUG"])
    db.session.commit()
    assert report.revised == ["how-long"]
    assert report.unchanged == ["why"]
    assert report.added == ["new"]
    assert report.retired == ["your-rights"]
    assert get_clause(charter, "how-long").current_revision.number == 2
    assert get_clause(charter, "why").current_revision.number == 1
    assert get_clause(charter, "your-rights").retired
