"""Content hashes and the chain hash of published versions."""

from datetime import UTC, datetime, timedelta, timezone

from charter.text.drafts import Draft, DraftClause
from charter.text.hashing import chain_hash, clause_hash, draft_hash, sha256_text

WHEN = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def test_sha256_of_known_text():
    assert sha256_text("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_draft_hash_is_the_hash_of_its_canonical_markdown():
    draft = Draft(title="T", preamble="P", clauses=(DraftClause("a", "A", "Body."),))
    assert draft_hash(draft) == sha256_text("# T\n\nP\n\n## A {#a}\n\nBody.\n")


def test_clause_hash_changes_with_key_heading_and_body():
    base = clause_hash("a", "Heading", "Body")
    assert base == clause_hash("a", "Heading", "Body")
    assert (
        len(
            {
                base,
                clause_hash("b", "Heading", "Body"),
                clause_hash("a", "Other", "Body"),
                clause_hash("a", "Heading", "Body!"),
            }
        )
        == 4
    )


def test_chain_hash_covers_every_input():
    base = chain_hash("c" * 64, 2, WHEN, "p" * 64)
    variants = {
        chain_hash("d" * 64, 2, WHEN, "p" * 64),
        chain_hash("c" * 64, 3, WHEN, "p" * 64),
        chain_hash("c" * 64, 2, WHEN + timedelta(seconds=1), "p" * 64),
        chain_hash("c" * 64, 2, WHEN, "q" * 64),
        chain_hash("c" * 64, 2, WHEN, None),
    }
    assert base not in variants and len(variants) == 5


def test_chain_hash_is_the_same_moment_in_any_time_zone():
    elsewhere = WHEN.astimezone(timezone(timedelta(hours=5)))
    assert chain_hash("c" * 64, 1, WHEN, None) == chain_hash("c" * 64, 1, elsewhere, None)
