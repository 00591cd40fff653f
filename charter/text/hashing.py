"""Content hashes of canonical text and the hash chain of published versions."""

import hashlib
import json
from dataclasses import dataclass
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


# The rule that sealed versions follow from now on; the number is itself part of the hash.
SEAL_SCHEME = 2


@dataclass(frozen=True)
class SealedVote:
    member_id: int
    name: str
    choice: str
    note: str


@dataclass(frozen=True)
class SealedEntry:
    position: int
    content_hash: str
    html: str


def _canonical(data) -> str:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def seal_hash(
    *,
    content_hash: str,
    number: int,
    published_at: datetime,
    previous_chain_hash: str | None,
    changelog: str,
    votes: list[SealedVote],
    entries: list[SealedEntry],
    log_head: str | None,
) -> str:
    """Return a version's chain hash covering all a reader is shown: text, HTML, vote, log."""
    record = {
        "scheme": SEAL_SCHEME,
        "content_hash": content_hash,
        "number": number,
        "published_at": published_at.astimezone(UTC).replace(microsecond=0).isoformat(),
        "previous_chain_hash": previous_chain_hash,
        "changelog": changelog,
        "votes": [[v.member_id, v.name, v.choice, v.note] for v in sorted(votes, key=_vote_order)],
        "entries": [
            [e.position, e.content_hash, sha256_text(e.html)]
            for e in sorted(entries, key=lambda e: e.position)
        ],
        "log_head": log_head,
    }
    return sha256_text(_canonical(record))


def _vote_order(vote: SealedVote) -> int:
    return vote.member_id


def event_hash(
    *,
    previous_hash: str | None,
    created_at: datetime,
    actor_id: int | None,
    actor_name: str | None,
    action: str,
    object_type: str,
    object_id: int | None,
    summary: str,
    public: bool,
) -> str:
    """Return the hash of one transparency-log entry, chained to the entry before it."""
    record = [
        previous_hash,
        created_at.astimezone(UTC).isoformat(),
        actor_id,
        actor_name,
        action,
        object_type,
        object_id,
        summary,
        bool(public),
    ]
    return sha256_text(_canonical(record))


# The rule log entries are sealed by from migration 0010 on; entries keep the rule they were
# sealed by, so the hashes of entries written before it (rule 1, above) never change.
EVENT_SCHEME = 2


def actor_digest(salt: str, actor_name: str) -> str:
    """Return sha256(salt || name) in hex: it stands for a name in a rule-2 entry's hash.

    The salt (16 random bytes, in hex) is kept beside the name and erased with it: without it
    the digest cannot be matched against guessed names, so erasing both removes the name while
    the entry, which seals only the digest, still verifies.
    """
    return hashlib.sha256(bytes.fromhex(salt) + actor_name.encode("utf-8")).hexdigest()


def event_hash_v2(
    *,
    previous_hash: str | None,
    created_at: datetime,
    actor_id: int | None,
    actor_digest: str | None,
    action: str,
    object_type: str,
    object_id: int | None,
    summary: str,
    public: bool,
) -> str:
    """Return the hash of a rule-2 log entry: as rule 1, with a digest in place of the name.

    The rule's number leads the record, so an entry cannot be passed off under the other rule.
    """
    record = [
        EVENT_SCHEME,
        previous_hash,
        created_at.astimezone(UTC).isoformat(),
        actor_id,
        actor_digest,
        action,
        object_type,
        object_id,
        summary,
        bool(public),
    ]
    return sha256_text(_canonical(record))
