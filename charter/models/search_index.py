"""The full-text search index: PostgreSQL tsvector columns with GIN indexes, or SQLite FTS5.

These objects live outside the SQLAlchemy metadata, and the ORM never reads the generated
column; autogenerate must not try to drop them, so migrations/env.py skips every name
`is_search_object` claims. The same definitions serve
migration 0008 and `db.create_all()`, through metadata hooks, as append_only.py does.

SQLite keeps each FTS5 table in step with its source table by triggers. A SQLite batch
migration that recreates clause_revisions, proposals or comments drops those triggers: such
a migration must call `create_search_index` again after it (it rebuilds the tables too).
"""

from dataclasses import dataclass

from sqlalchemy import event, text

from charter.extensions import db

PREFIX = "search_"
# PostgreSQL: a stored generated tsvector column on each searched table, so ranking many
# matches reads it instead of parsing every matching text again.
VECTOR = "search_vector"


@dataclass(frozen=True)
class Indexed:
    """A table whose text columns are searched together."""

    table: str
    columns: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{PREFIX}{self.table}"

    @property
    def document(self) -> str:
        """The PostgreSQL tsvector over the columns, stored in the VECTOR column."""
        joined = " || ' ' || ".join(f"coalesce({c}, '')" for c in self.columns)
        return f"to_tsvector('english', {joined})"

    @property
    def vector(self) -> str:
        return f"{self.table}.{VECTOR}"


CLAUSE_REVISIONS = Indexed("clause_revisions", ("heading", "body"))
PROPOSALS = Indexed("proposals", ("heading", "body", "rationale"))
COMMENTS = Indexed("comments", ("body",))
INDEXED = (CLAUSE_REVISIONS, PROPOSALS, COMMENTS)


def is_search_object(name: str | None, type_: str) -> bool:
    """Say whether a table or index belongs to the search index (FTS5 shadow tables too)."""
    if not name:
        return False
    if type_ == "table":
        return name.startswith(PREFIX)
    if type_ == "column":
        return name == VECTOR
    return type_ == "index" and name.startswith(f"ix_{PREFIX}")


def _sqlite_statements(indexed: Indexed) -> list[str]:
    name, table, columns = indexed.name, indexed.table, indexed.columns
    listed = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    remove = f"INSERT INTO {name} ({name}, rowid, {listed}) VALUES ('delete', old.id, {old});"
    add = f"INSERT INTO {name} (rowid, {listed}) VALUES (new.id, {new});"
    return [
        # External content: the words are read from the table itself; porter stems them.
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {name} USING fts5({listed}, content='{table}',"
        " content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER IF NOT EXISTS {name}_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"CREATE TRIGGER IF NOT EXISTS {name}_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER IF NOT EXISTS {name}_update AFTER UPDATE ON {table}"
        f" BEGIN {remove} {add} END",
        f"INSERT INTO {name} ({name}) VALUES ('rebuild')",
    ]


def create_search_index(connection) -> None:
    """Build the search index for every searched table, from the rows already there."""
    for indexed in INDEXED:
        if connection.dialect.name == "postgresql":
            statements = [
                f"ALTER TABLE {indexed.table} ADD COLUMN IF NOT EXISTS {VECTOR} tsvector"
                f" GENERATED ALWAYS AS ({indexed.document}) STORED",
                f"CREATE INDEX IF NOT EXISTS ix_{indexed.name} ON {indexed.table}"
                f" USING gin ({VECTOR})",
            ]
        else:
            statements = _sqlite_statements(indexed)
        for statement in statements:
            connection.execute(text(statement))


def drop_search_index(connection) -> None:
    """Remove the search index (SQLite's triggers go with their FTS5 tables' sources)."""
    for indexed in INDEXED:
        if connection.dialect.name == "postgresql":
            connection.execute(text(f"DROP INDEX IF EXISTS ix_{indexed.name}"))
            connection.execute(text(f"ALTER TABLE {indexed.table} DROP COLUMN IF EXISTS {VECTOR}"))
        else:
            for trigger in ("insert", "delete", "update"):
                connection.execute(text(f"DROP TRIGGER IF EXISTS {indexed.name}_{trigger}"))
            connection.execute(text(f"DROP TABLE IF EXISTS {indexed.name}"))


@event.listens_for(db.metadata, "after_create")
def _after_create(target, connection, **kw):
    create_search_index(connection)


@event.listens_for(db.metadata, "after_drop")
def _after_drop(target, connection, **kw):
    # PostgreSQL's indexes went with their tables; SQLite's FTS5 tables stay unless dropped.
    if connection.dialect.name != "postgresql":
        drop_search_index(connection)
