"""Content hashes of canonical text and the hash chain of published versions."""

import hashlib
from datetime import UTC, datetime

from charter.text.drafts import Draft, DraftClause, format_clause, format_draft


def sha256_text(text: str) -> str:
    """Return the SHA-256 of text encoded as UTF-8, in hex."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def clause_hash(key: str, heading: str, body: str) -> str:
    """Return the hash of one clause's wording, as it would appear in a draft file."""
    return sha256_text(format_clause(DraftClause(key=key, heading=heading, body=body)))


def draft_hash(draft: Draft) -> str:
    """Return the content hash of a whole charter: the hash of its canonical Markdown."""
    return sha256_text(format_draft(draft))


def chain_hash(
    content_hash: str, number: int, published_at: datetime, previous_chain_hash: str | None
) -> str:
    """Return the chain hash that ties a published version to the one before it."""
    moment = published_at.astimezone(UTC).replace(microsecond=0).isoformat()
    record = "\n".join([content_hash, str(number), moment, previous_chain_hash or ""])
    return sha256_text(record)
