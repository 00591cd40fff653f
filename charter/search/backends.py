"""The SQL of a search, once per database: PostgreSQL full-text search or SQLite FTS5.

Each backend answers the same two questions for a kind (clauses, proposals, comments): how
many match, and one slice of them, best first, with the matched words between START and STOP.
Only what readers may see is ever matched: a clause's current wording (older wordings stay in
the index but are joined away), any proposal, and comments neither hidden nor deleted.
"""

from sqlalchemy import text

from charter.extensions import db
from charter.models.search_index import CLAUSE_REVISIONS, COMMENTS, PROPOSALS
from charter.text.searching import START, STOP, ParsedQuery, fts5_query

_COMMENT_JOINS = """
LEFT JOIN clauses ON clauses.id = comments.clause_id
LEFT JOIN clause_revisions ON clause_revisions.id = clauses.current_revision_id
LEFT JOIN proposals ON proposals.id = comments.proposal_id
"""
_COMMENT_SHOWN = (
    "NOT comments.hidden AND NOT comments.deleted"
    " AND (clauses.charter_id = :charter_id OR proposals.charter_id = :charter_id)"
)
_COMMENT_COLUMNS = (
    "comments.id AS id, comments.kind AS kind, clauses.key AS clause_key,"
    " clause_revisions.heading AS clause_heading,"
    " proposals.id AS proposal_id, proposals.heading AS proposal_heading"
)


class _Backend:
    # kind -> (FROM ... WHERE ..., selected columns, ORDER BY)
    sql: dict[str, tuple[str, str, str]]

    def __init__(self, parsed: ParsedQuery, raw: str, charter_id: int):
        self.params = {"charter_id": charter_id}

    def count(self, kind: str) -> int:
        source, _, _ = self.sql[kind]
        return db.session.execute(text(f"SELECT count(*) {source}"), self.params).scalar_one()

    def rows(self, kind: str, limit: int, offset: int) -> list:
        source, columns, order = self.sql[kind]
        statement = text(f"SELECT {columns} {source} ORDER BY {order} LIMIT :limit OFFSET :offset")
        params = dict(self.params, limit=limit, offset=offset)
        return list(db.session.execute(statement, params).mappings())


class PostgresBackend(_Backend):
    """websearch_to_tsquery against the stored tsvector columns; ts_headline for snippets."""

    _WHOLE = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"
    # One passage from the best match on (fragments of a short text shrink to the word alone).
    # ts_headline drops anything shaped like an HTML tag; what is left is escaped later.
    _FRAGMENTS = f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=12"
    _QUERY = "CROSS JOIN websearch_to_tsquery('english', :query) AS tsq"

    sql = {
        "clauses": (
            "FROM clause_revisions"
            " JOIN clauses ON clauses.current_revision_id = clause_revisions.id"
            f" {_QUERY} WHERE {CLAUSE_REVISIONS.vector} @@ tsq"
            " AND clauses.charter_id = :charter_id",
            "clauses.key AS key, clauses.retired AS retired,"
            " ts_headline('english', clause_revisions.heading, tsq, :whole) AS title,"
            " ts_headline('english', clause_revisions.body, tsq, :fragments) AS snippet",
            f"ts_rank({CLAUSE_REVISIONS.vector}, tsq) DESC, clause_revisions.id",
        ),
        "proposals": (
            f"FROM proposals {_QUERY} WHERE {PROPOSALS.vector} @@ tsq"
            " AND proposals.charter_id = :charter_id",
            "proposals.id AS id, proposals.status AS status, proposals.kind AS kind,"
            " ts_headline('english', proposals.heading, tsq, :whole) AS title,"
            " ts_headline('english', proposals.body || ' … ' || proposals.rationale, tsq,"
            " :fragments) AS snippet",
            f"ts_rank({PROPOSALS.vector}, tsq) DESC, proposals.id",
        ),
        "comments": (
            f"FROM comments {_COMMENT_JOINS} {_QUERY} WHERE {COMMENTS.vector} @@ tsq"
            f" AND {_COMMENT_SHOWN}",
            f"{_COMMENT_COLUMNS}, ts_headline('english', comments.body, tsq, :fragments)"
            " AS snippet",
            f"ts_rank({COMMENTS.vector}, tsq) DESC, comments.id",
        ),
    }

    def __init__(self, parsed: ParsedQuery, raw: str, charter_id: int):
        super().__init__(parsed, raw, charter_id)
        self.params.update(query=raw, whole=self._WHOLE, fragments=self._FRAGMENTS)


def _snippet(table: str, column: int) -> str:
    return f"snippet({table}, {column}, :start, :stop, '…', 24) AS snippet"


class SQLiteBackend(_Backend):
    """FTS5 MATCH with every word quoted; snippet() and highlight() for the marks.

    CROSS JOIN keeps the FTS5 table first: otherwise SQLite may walk every proposal of the
    charter and run the MATCH once per row (260 ms instead of 1 ms over 10,000 proposals).
    """

    sql = {
        "clauses": (
            "FROM search_clause_revisions"
            " CROSS JOIN clause_revisions ON clause_revisions.id = search_clause_revisions.rowid"
            " JOIN clauses ON clauses.current_revision_id = clause_revisions.id"
            " WHERE search_clause_revisions MATCH :match AND clauses.charter_id = :charter_id",
            "clauses.key AS key, clauses.retired AS retired,"
            " highlight(search_clause_revisions, 0, :start, :stop) AS title,"
            f" {_snippet('search_clause_revisions', 1)}",
            "search_clause_revisions.rank, clause_revisions.id",
        ),
        "proposals": (
            "FROM search_proposals CROSS JOIN proposals ON proposals.id = search_proposals.rowid"
            " WHERE search_proposals MATCH :match AND proposals.charter_id = :charter_id",
            "proposals.id AS id, proposals.status AS status, proposals.kind AS kind,"
            " highlight(search_proposals, 0, :start, :stop) AS title,"
            f" {_snippet('search_proposals', -1)}",
            "search_proposals.rank, proposals.id",
        ),
        "comments": (
            "FROM search_comments CROSS JOIN comments ON comments.id = search_comments.rowid"
            f" {_COMMENT_JOINS} WHERE search_comments MATCH :match AND {_COMMENT_SHOWN}",
            f"{_COMMENT_COLUMNS}, {_snippet('search_comments', 0)}",
            "search_comments.rank, comments.id",
        ),
    }

    def __init__(self, parsed: ParsedQuery, raw: str, charter_id: int):
        super().__init__(parsed, raw, charter_id)
        self.params.update(match=fts5_query(parsed), start=START, stop=STOP)


def backend_for(parsed: ParsedQuery, raw: str, charter_id: int) -> _Backend:
    """Choose the backend for the database the session talks to."""
    dialect = db.session.get_bind().dialect.name
    backend = PostgresBackend if dialect == "postgresql" else SQLiteBackend
    return backend(parsed, raw, charter_id)
