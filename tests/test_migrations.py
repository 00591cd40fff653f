"""The migrations build the same schema as the models, from an empty database."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from charter.extensions import db


def test_upgrade_from_empty_matches_the_models_and_downgrades_cleanly(app):
    db.drop_all()
    upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"render_as_batch": True})
        assert compare_metadata(context, db.metadata) == []
    downgrade(revision="base")
    with db.engine.connect() as connection:
        assert db.inspect(connection).get_table_names() == ["alembic_version"]
    db.create_all()  # the fixture drops everything afterwards
