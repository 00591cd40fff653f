"""Search over clause wordings, proposals and comments, on PostgreSQL or SQLite."""
