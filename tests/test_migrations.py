"""The migrations build the same schema as the models, from an empty database."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from charter.extensions import db
from charter.models.search_index import is_search_object


def test_upgrade_from_empty_matches_the_models_and_downgrades_cleanly(app):
    db.drop_all()
    upgrade()
    with db.engine.connect() as connection:
        opts = {
            "render_as_batch": True,
            # As migrations/env.py does: the search index lives outside the metadata.
            "include_name": lambda name, type_, parents: not is_search_object(name, type_),
        }
        context = MigrationContext.configure(connection, opts=opts)
        assert compare_metadata(context, db.metadata) == []
    downgrade(revision="base")
    with db.engine.connect() as connection:
        assert db.inspect(connection).get_table_names() == ["alembic_version"]
    db.create_all()  # the fixture drops everything afterwards


def test_0007_keeps_one_placement_per_thread_on_the_wording_shown(app):
    """Rows on earlier wordings go; each thread keeps its row on its clause's current one."""
    db.drop_all()
    upgrade(revision="0006")
    statements = [
        "INSERT INTO users (id, email, display_name, password_hash, role, created_at, active)"
        " VALUES (1, 'a@example.org', 'A', 'x', 'CITIZEN', '2026-01-01', true)",
        "INSERT INTO charters (id, slug, title, preamble, consultation_open, created_at)"
        " VALUES (1, 'c', 'C', '', true, '2026-01-01')",
        "INSERT INTO clauses (id, charter_id, key, position, retired, created_at)"
        " VALUES (1, 1, 'k', 1, false, '2026-01-01')",
    ]
    statements += [
        "INSERT INTO clause_revisions (id, clause_id, number, heading, body, body_html,"
        f" content_hash, note, created_at) VALUES ({n}, 1, {n}, 'H', 'We join data.',"
        f" '<p>We join data.</p>', 'h{n}', '', '2026-01-01')"
        for n in (1, 2)
    ]
    statements += [
        "UPDATE clauses SET current_revision_id = 2 WHERE id = 1",
        'INSERT INTO comments (id, clause_id, revision_id, exact, start, "end", body, kind,'
        " author_id, created_at, deleted, hidden, hidden_reason) VALUES"
        " (1, 1, 1, 'join', 3, 7, 'On join', 'COMMENT', 1, '2026-01-01', false, false, ''),"
        " (2, 1, 1, 'data', 8, 12, 'On data', 'COMMENT', 1, '2026-01-01', false, true, 'x')",
        'INSERT INTO comment_placements (comment_id, target, status, start, "end") VALUES'
        " (1, 'r1', 'exact', 3, 7), (1, 'r2', 'exact', 3, 7), (2, 'r1', 'exact', 8, 12)",
    ]
    with db.engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    upgrade(revision="0007")
    with db.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT comment_id, scope, target, shown FROM comment_placements ORDER BY comment_id"
        ).all()
    # Comment 2 had no row on the current wording: `charter place-comments` places it.
    assert [tuple(row) for row in rows] == [(1, "c1", "r2", True)]
    downgrade(revision="base")
    db.create_all()


def test_0008_makes_what_is_already_there_searchable(app, client):
    db.drop_all()
    upgrade(revision="0007")
    slug = app.config["CHARTER_SLUG"]
    statements = [
        "INSERT INTO charters (id, slug, title, preamble, consultation_open, created_at)"
        f" VALUES (1, '{slug}', 'C', '', true, '2026-01-01')",
        "INSERT INTO clauses (id, charter_id, key, position, retired, created_at)"
        " VALUES (1, 1, 'k', 1, false, '2026-01-01')",
        "INSERT INTO clause_revisions (id, clause_id, number, heading, body, body_html,"
        " content_hash, note, created_at) VALUES (1, 1, 1, 'Lighthouses',"
        " 'We keep lighthouse logs.', '<p>We keep lighthouse logs.</p>', 'h1', '', '2026-01-01')",
        "UPDATE clauses SET current_revision_id = 1 WHERE id = 1",
    ]
    with db.engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    upgrade()
    page = client.get("/search?q=logs").get_data(as_text=True)
    assert '<a href="/clauses/k">Lighthouses</a>' in page
    assert "<mark>logs</mark>" in page
    downgrade(revision="base")
    db.create_all()


def test_0010_keeps_every_entry_sealed_before_it_verifying(app):
    """Entries written under rule 1 keep their hashes, and the log keeps its triggers."""
    from datetime import UTC, datetime

    import pytest
    from sqlalchemy.exc import IntegrityError

    from charter.audit import log_events, verify_log
    from charter.text.hashing import event_hash

    db.drop_all()
    upgrade(revision="0009")
    created = datetime(2026, 1, 1, tzinfo=UTC)
    digest = event_hash(
        previous_hash=None,
        created_at=created,
        actor_id=1,
        actor_name="Ann Old",
        action="version.vote",
        object_type="version",
        object_id=1,
        summary="Ann Old voted approve.",
        public=True,
    )
    statements = [
        "INSERT INTO users (id, email, display_name, password_hash, role, created_at, active)"
        " VALUES (1, 'a@example.org', 'Ann Old', 'x', 'COMMITTEE', '2026-01-01', true)",
        "INSERT INTO audit_events (id, actor_id, actor_name, action, object_type, object_id,"
        " summary, public, created_at, previous_hash, hash) VALUES (1, 1, 'Ann Old',"
        " 'version.vote', 'version', 1, 'Ann Old voted approve.', true,"
        f" '2026-01-01 00:00:00+00:00', NULL, '{digest}')",
        f"UPDATE audit_log_head SET hash = '{digest}' WHERE id = 1",
    ]
    with db.engine.begin() as connection:
        for statement in statements:
            connection.exec_driver_sql(statement)
    upgrade(revision="0010")
    [event] = log_events()
    assert (event.scheme, event.actor_name, event.actor_digest) == (1, "Ann Old", None)
    assert verify_log([event]) == []
    db.session.rollback()
    for revision in ("0010", "0009"):  # SQLite's batch downgrade copies the table
        if revision == "0009":
            downgrade(revision="0009")
        with pytest.raises(IntegrityError, match="append-only"), db.engine.begin() as connection:
            connection.exec_driver_sql("UPDATE audit_events SET summary = 'x'")
    downgrade(revision="base")
    db.create_all()
