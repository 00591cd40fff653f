"""Clauses and their revisions: the working draft of the charter."""
