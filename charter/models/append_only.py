"""Append-only tables enforced by the database: triggers that refuse raw UPDATE and DELETE.

The same definitions serve the migration that installs them and `db.create_all()` (through a
metadata hook), so tests run against the triggers production has.

A SQLite batch migration that recreates one of these tables drops its triggers: such a
migration must call `create_triggers` again after it.
"""

from dataclasses import dataclass

from sqlalchemy import event, text

from charter.extensions import db

MESSAGE = "append-only"

_PUBLISHED_VERSION = (
    "EXISTS (SELECT 1 FROM charter_versions WHERE id = {row}.version_id AND status = 'published')"  # noqa: E501
)


@dataclass(frozen=True)
class Refusal:
    """Refuse an operation on a table, always or while a condition on the row holds."""

    table: str
    operation: str  # INSERT, UPDATE or DELETE
    when: str = ""  # a condition on OLD/NEW; empty: always

    @property
    def name(self) -> str:
        return f"{self.table}_append_only_{self.operation.lower()}"


def _published(row: str) -> str:
    return _PUBLISHED_VERSION.format(row=row)


REFUSALS = (
    Refusal("clause_revisions", "UPDATE"),
    Refusal("clause_revisions", "DELETE"),
    Refusal("proposal_texts", "UPDATE"),
    Refusal("proposal_texts", "DELETE"),
    Refusal("audit_events", "UPDATE"),
    Refusal("audit_events", "DELETE"),
    Refusal("audit_log_head", "DELETE"),
    # Each wording of a summary or translation is kept: a new one is a new row.
    Refusal("clause_supplements", "UPDATE"),
    Refusal("clause_supplements", "DELETE"),
    # A candidate may still become published or withdrawn; a published row never changes.
    Refusal("charter_versions", "UPDATE", "OLD.status = 'published'"),
    Refusal("charter_versions", "DELETE", "OLD.status = 'published'"),
    Refusal("version_clauses", "UPDATE", f"{_published('OLD')} OR {_published('NEW')}"),
    Refusal("version_clauses", "DELETE", _published("OLD")),
    Refusal("votes", "INSERT", _published("NEW")),
    Refusal("votes", "UPDATE", f"{_published('OLD')} OR {_published('NEW')}"),
    Refusal("votes", "DELETE", _published("OLD")),
)

# PostgreSQL's WHEN clause cannot hold a subquery, so the condition moves into the function;
# restrict_violation makes the refusal an IntegrityError on both databases.
_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF {condition} THEN
    RAISE EXCEPTION '{message}: % on % is refused', TG_OP, TG_TABLE_NAME
      USING ERRCODE = 'restrict_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$
"""


def _pg_statements(refusal: Refusal) -> list[str]:
    function = f"charter_{refusal.name}"
    return [
        _PG_FUNCTION.format(name=function, condition=refusal.when or "TRUE", message=MESSAGE),
        f"CREATE OR REPLACE TRIGGER {refusal.name} BEFORE {refusal.operation} ON {refusal.table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
    ]


def _sqlite_statements(refusal: Refusal) -> list[str]:
    when = f" WHEN {refusal.when}" if refusal.when else ""
    return [
        f"CREATE TRIGGER IF NOT EXISTS {refusal.name} BEFORE {refusal.operation} "
        f"ON {refusal.table} FOR EACH ROW{when} BEGIN SELECT RAISE(ABORT, "
        f"'{MESSAGE}: {refusal.operation} on {refusal.table} is refused'); END"
    ]


def create_triggers(connection, tables: set[str] | None = None) -> None:
    """Install every append-only trigger (or those on these tables) on this connection's
    database; a migration names its own tables, so it never reaches for a later one's."""
    dialect = connection.dialect.name
    for refusal in REFUSALS:
        if tables is not None and refusal.table not in tables:
            continue
        statements = (
            _pg_statements(refusal) if dialect == "postgresql" else _sqlite_statements(refusal)
        )
        for statement in statements:
            connection.execute(text(statement))


def drop_triggers(connection, tables: set[str] | None = None) -> None:
    """Remove every append-only trigger, or those on these tables (and PostgreSQL's
    functions behind them)."""
    dialect = connection.dialect.name
    for refusal in REFUSALS:
        if tables is not None and refusal.table not in tables:
            continue
        if dialect == "postgresql":
            connection.execute(text(f"DROP TRIGGER IF EXISTS {refusal.name} ON {refusal.table}"))
            connection.execute(text(f"DROP FUNCTION IF EXISTS charter_{refusal.name}()"))
        else:
            connection.execute(text(f"DROP TRIGGER IF EXISTS {refusal.name}"))


def create_log_head(connection) -> None:
    """Add the single row that holds the transparency log's head."""
    connection.execute(
        text(
            "INSERT INTO audit_log_head (id, hash) SELECT 1, NULL "
            "WHERE NOT EXISTS (SELECT 1 FROM audit_log_head WHERE id = 1)"
        )
    )


@event.listens_for(db.metadata, "after_create")
def _after_create(target, connection, **kw):
    create_log_head(connection)
    create_triggers(connection)


@event.listens_for(db.metadata, "after_drop")
def _after_drop(target, connection, **kw):
    # Tables took their triggers with them; PostgreSQL keeps the functions otherwise.
    if connection.dialect.name == "postgresql":
        for refusal in REFUSALS:
            connection.execute(text(f"DROP FUNCTION IF EXISTS charter_{refusal.name}()"))
