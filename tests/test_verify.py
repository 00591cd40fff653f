"""`charter verify` against every kind of tampering a reader relies on, past the triggers."""

from sqlalchemy import text

from charter.extensions import db
from charter.models import CharterVersion
from charter.text.hashing import event_hash
from charter.versions.operations import (
    expected_chain_hash,
)
from tests.conftest import tamper


def verify(runner, *args):
    return runner.invoke(args=["charter", "verify", *args])


def failures(result) -> list[str]:
    return [line for line in result.output.splitlines() if line.startswith("FAIL ")]


def _version(number: int) -> CharterVersion:
    return db.session.scalar(db.select(CharterVersion).filter_by(number=number))


def _head(runner) -> str:
    result = verify(runner)
    assert result.exit_code == 0, result.output
    return result.output.rsplit("Chain head: ", 1)[1].strip()


def test_an_untouched_record_verifies_and_prints_its_head(runner, record):
    result = verify(runner)
    assert result.exit_code == 0, result.output
    assert "2 published version(s) verified" in result.output
    assert f"Chain head: {_version(2).chain_hash}" in result.output
    assert verify(runner, "--expect-head", _version(2).chain_hash).exit_code == 0
    # A head kept before a later publication is still a link of the chain.
    assert verify(runner, "--expect-head", _version(1).chain_hash).exit_code == 0


def test_clause_text_changed(runner, record):
    tamper(
        "UPDATE clause_revisions SET body = 'We may sell your data.' "
        "WHERE id = (SELECT MIN(id) FROM clause_revisions)"
    )
    result = verify(runner)
    assert result.exit_code == 1
    assert "Version 1: the text of clause 'why' (revision 1) does not match" in result.output


def test_forged_html_of_a_published_clause(runner, record):
    tamper(
        "UPDATE clause_revisions SET body_html = '<p>We may sell your data.</p>' "
        "WHERE id = (SELECT revision_id FROM version_clauses WHERE position = 1 "
        "AND version_id = :v)",
        v=_version(2).id,
    )
    result = verify(runner)
    assert result.exit_code == 1
    assert "Clause 'why' revision 2: the HTML that pages show" in result.output
    assert "Version 2: its chain hash does not match" in result.output


def test_forged_html_of_a_working_draft_revision(runner, record, users):
    from charter.clauses.operations import create_revision
    from charter.clauses.queries import get_clause

    create_revision(get_clause(record, "how-long"), "How long we keep data", "Six months.")
    db.session.commit()
    tamper("UPDATE clause_revisions SET body_html = '<p>Forever.</p>' WHERE body = 'Six months.'")
    result = verify(runner)
    assert failures(result) == [
        "FAIL Clause 'how-long' revision 2: the HTML that pages show is not what its Markdown "
        "renders to."
    ]


def test_latest_version_deleted(runner, record):
    latest = _version(2).id
    tamper(
        "DELETE FROM votes WHERE version_id = :v",
        "DELETE FROM version_clauses WHERE version_id = :v",
        "DELETE FROM charter_versions WHERE id = :v",
        v=latest,
    )
    result = verify(runner)
    assert result.exit_code == 1
    assert f"publication of a version (id {latest}) that is missing" in result.output


def test_latest_version_marked_withdrawn(runner, record):
    tamper("UPDATE charter_versions SET status = 'withdrawn' WHERE number = 2")
    result = verify(runner)
    assert result.exit_code == 1
    assert "that is withdrawn: a published version was removed or withdrawn" in result.output


def test_a_vote_changed(runner, record):
    tamper("UPDATE votes SET choice = 'reject' WHERE note = 'Clearer.'")
    result = verify(runner)
    assert failures(result) == [
        "FAIL Version 2: its chain hash does not match its contents "
        "(text, HTML, changelog, vote record or log head)."
    ]


def test_a_voter_renamed_keeps_the_sealed_name(runner, record, users, anon):
    old_name = users["committee"].display_name
    tamper("UPDATE users SET display_name = 'Someone Else' WHERE id = :u", u=users["committee"].id)
    assert verify(runner).exit_code == 0
    page = anon.get("/versions/2").get_data(as_text=True)
    assert old_name in page and "Someone Else" not in page
    tamper(
        "UPDATE votes SET member_name = 'Someone Else' WHERE member_id = :u",
        u=users["committee"].id,
    )
    result = verify(runner)
    assert result.exit_code == 1 and "Version 2: its chain hash does not match" in result.output


def test_changelog_edited(runner, record):
    tamper("UPDATE charter_versions SET changelog = 'Nothing much.' WHERE number = 2")
    result = verify(runner)
    assert result.exit_code == 1 and "Version 2: its chain hash does not match" in result.output


def _events() -> list[tuple[int, str]]:
    return list(db.session.execute(text("SELECT id, action FROM audit_events ORDER BY id")))


def test_an_audit_event_edited(runner, record):
    first = _events()[0][0]
    tamper("UPDATE audit_events SET summary = 'Nothing happened.' WHERE id = :e", e=first)
    result = verify(runner)
    assert failures(result) == [
        f"FAIL Transparency log entry {first} ({_events()[0][1]}): its contents do not match "
        "its hash."
    ]


def test_an_audit_event_deleted(runner, record):
    events = _events()
    gone, after = events[1], events[2]
    tamper("DELETE FROM audit_events WHERE id = :e", e=gone[0])
    result = verify(runner)
    assert result.exit_code == 1
    assert f"Transparency log entry {after[0]} ({after[1]}): it does not link" in result.output


def test_the_newest_audit_events_deleted(runner, record):
    tamper("DELETE FROM audit_events WHERE action = 'version.published'")
    result = verify(runner)
    assert result.exit_code == 1
    assert "newest entry is not the head the log recorded" in result.output
    assert "Version 2: the transparency log does not record its publication" in result.output


def test_an_audit_event_inserted(runner, record, users):
    head = db.session.scalar(text("SELECT hash FROM audit_log_head"))
    tamper(
        "INSERT INTO audit_events (actor_id, action, object_type, object_id, summary, public, "
        "created_at, previous_hash, hash) VALUES (:u, 'proposal.rejected', 'proposal', 1, "
        "'Rejected.', :t, CURRENT_TIMESTAMP, :p, :h)",
        u=users["admin"].id,
        t=True,
        p=head,
        h="0" * 64,
    )
    result = verify(runner)
    assert result.exit_code == 1
    assert "(proposal.rejected): its contents do not match its hash" in result.output
    assert "newest entry is not the head the log recorded" in result.output


def test_an_audit_event_inserted_with_a_right_hash_in_the_middle(runner, record, users):
    """Chained properly onto an entry, it still breaks the link of the entry that follows."""
    first = db.session.execute(text("SELECT * FROM audit_events ORDER BY id LIMIT 1")).one()
    from charter.models import AuditEvent

    created = db.session.get(AuditEvent, first.id).created_at
    forged = event_hash(
        previous_hash=first.hash,
        created_at=created,
        actor_id=None,
        actor_name=None,
        action="proposal.rejected",
        object_type="proposal",
        object_id=1,
        summary="Rejected.",
        public=True,
    )
    # Make room for it: move every later entry up by one id, as a careful forger would.
    later = db.session.execute(
        text("SELECT id FROM audit_events WHERE id > :e ORDER BY id DESC"), {"e": first.id}
    ).scalars()
    statements = [f"UPDATE audit_events SET id = {n + 1} WHERE id = {n}" for n in later]
    tamper(
        *statements,
        "INSERT INTO audit_events (id, action, object_type, object_id, summary, public, "
        "created_at, previous_hash, hash) VALUES (:i, 'proposal.rejected', 'proposal', 1, "
        "'Rejected.', :t, :c, :p, :h)",
        i=first.id + 1,
        t=True,
        c=created,
        p=first.hash,
        h=forged,
    )
    result = verify(runner)
    assert result.exit_code == 1
    assert f"Transparency log entry {first.id + 2}" in result.output
    assert "it does not link to the entry before it" in result.output


def _reseal(number: int) -> None:
    """Recompute a version's own chain hash after its contents were changed."""
    version = _version(number)
    tamper(
        "UPDATE charter_versions SET chain_hash = :h WHERE number = :n",
        h=expected_chain_hash(version),
        n=number,
    )


def test_latest_version_rewritten_with_every_hash_recomputed(runner, record):
    saved_head = _head(runner)
    tamper("UPDATE charter_versions SET changelog = 'Nothing much.' WHERE number = 2")
    _reseal(2)
    # Nothing inside the database can tell: only the head a reader kept catches it.
    assert verify(runner).exit_code == 0
    result = verify(runner, "--expect-head", saved_head)
    assert result.exit_code == 1
    assert f"the chain does not hold the head you saved ({saved_head})" in result.output


def test_an_earlier_version_rewritten_with_its_own_hashes_recomputed(runner, record):
    tamper("UPDATE charter_versions SET changelog = 'Nothing much.' WHERE number = 1")
    _reseal(1)
    result = verify(runner)
    assert failures(result) == [
        "FAIL Version 2: it does not link to the chain hash of the version before."
    ]


def test_a_version_downgraded_to_the_first_seal_rule(runner, record):
    from charter.text.hashing import chain_hash

    v2 = _version(2)
    old_rule = chain_hash(v2.content_hash, 2, v2.published_at, v2.previous_chain_hash)
    tamper(
        "UPDATE charter_versions SET seal_scheme = NULL, chain_hash = :h WHERE number = 2",
        h=old_rule,
    )
    result = verify(runner)
    assert failures(result) == [
        "FAIL Version 2: it claims an older seal than the version before it."
    ]


def test_versions_sealed_by_the_first_rule_still_verify(runner, record):
    from charter.text.hashing import chain_hash

    previous = None
    statements, params = [], {}
    for number in (1, 2):
        version = _version(number)
        sealed = chain_hash(version.content_hash, number, version.published_at, previous)
        statements.append(
            f"UPDATE charter_versions SET seal_scheme = NULL, log_head = NULL, "
            f"previous_chain_hash = :p{number}, chain_hash = :h{number} WHERE number = {number}"
        )
        params |= {f"p{number}": previous, f"h{number}": sealed}
        previous = sealed
    tamper(*statements, **params)
    assert verify(runner).exit_code == 0
    tamper("UPDATE charter_versions SET number = 5 WHERE number = 2")
    result = verify(runner)
    assert result.exit_code == 1 and "Version 5: its chain hash does not match" in result.output


def test_a_downloaded_markdown_copy(runner, record, anon, tmp_path):
    copy = tmp_path / "charter-v2.md"
    copy.write_bytes(anon.get("/versions/2.md").data)
    result = verify(runner, str(copy))
    assert result.exit_code == 0, result.output
    assert f"{copy} is exactly published version 2 (content hash" in result.output
    copy.write_bytes(copy.read_bytes().replace(b"improve", b"sell"))
    result = verify(runner, str(copy))
    assert result.exit_code == 1
    assert f"{copy}: its text was changed after download: it is not published version 2." in (
        result.output
    )


def test_the_head_is_published_for_readers(record, anon):
    head = _version(2).chain_hash
    assert head in anon.get("/versions").get_data(as_text=True)
    assert anon.get("/api/v1/versions").get_json()["chain_head"] == head
    assert anon.get("/api/v1/charter").get_json()["chain_head"] == head
    assert f"Chain head: {head}" in anon.get("/versions.atom").get_data(as_text=True)


# Entries since migration 0010 seal sha256(salt || name); the name lives in audit_names.


def _a_named_entry(users) -> int:
    return db.session.scalar(
        text("SELECT MIN(id) FROM audit_events WHERE actor_id = :u"), {"u": users["committee"].id}
    )


def test_a_name_kept_for_the_log_changed(runner, record, users):
    tamper(
        "UPDATE audit_names SET actor_name = 'Someone Else' WHERE event_id = :e",
        e=_a_named_entry(users),
    )
    result = verify(runner)
    assert result.exit_code == 1
    assert f"Transparency log entry {_a_named_entry(users)} " in result.output
    assert "the name kept for who acted does not match the one it sealed" in result.output


def test_a_sealed_name_digest_changed(runner, record, users):
    from charter.text.hashing import actor_digest

    forged = actor_digest("00" * 16, "Someone Else")
    tamper(
        "UPDATE audit_names SET actor_name = 'Someone Else', salt = :s WHERE event_id = :e",
        "UPDATE audit_events SET actor_digest = :d WHERE id = :e",
        s="00" * 16,
        d=forged,
        e=_a_named_entry(users),
    )
    result = verify(runner)
    assert result.exit_code == 1
    assert "its contents do not match its hash" in result.output
    assert "does not match the one it sealed" not in result.output  # the name fits the digest


def test_an_entry_passed_off_under_the_first_rule(runner, record, users):
    """Rule 1 would seal actor_name; a rule-2 entry relabelled cannot match its hash."""
    tamper(
        "UPDATE audit_events SET scheme = 1, actor_name = 'Someone Else' WHERE id = :e",
        e=_a_named_entry(users),
    )
    result = verify(runner)
    assert result.exit_code == 1
    assert "its contents do not match its hash" in result.output


def test_names_erased_with_a_deleted_account_still_verify(app, runner, record, users):
    from charter.account.operations import delete_account
    from tests.conftest import PASSWORD

    member = users["committee"]
    with app.test_request_context():
        delete_account(member, PASSWORD)
        db.session.commit()
    assert (
        db.session.scalar(
            text(
                "SELECT COUNT(*) FROM audit_names JOIN audit_events ON audit_events.id = event_id "
                "WHERE actor_id = :u AND audit_names.actor_name = 'Committee member Person'"
            ),
            {"u": member.id},
        )
        == 0
    )
    result = verify(runner)
    assert result.exit_code == 0, result.output


def test_a_name_erased_while_the_account_lives(runner, record, users):
    tamper("DELETE FROM audit_names WHERE event_id = :e", e=_a_named_entry(users))
    result = verify(runner)
    assert result.exit_code == 1
    assert f"Transparency log entry {_a_named_entry(users)} " in result.output
    assert "its actor's name was removed but the account was not deleted" in result.output


def test_entries_of_both_rules_in_one_chain_verify(runner, record, users):
    """Entries written before migration 0010 keep the hash they were sealed with."""
    from tests.test_account_deletion import legacy_record

    legacy_record(users["admin"], "charter.rule_changed", "charter", 1, "Rule changed.")
    db.session.commit()
    from charter.audit import record as log

    log(users["admin"], "charter.rule_changed", "charter", 1, "Rule changed again.")
    db.session.commit()
    schemes = db.session.scalars(text("SELECT scheme FROM audit_events ORDER BY id")).all()
    assert schemes[-2:] == [1, 2]
    assert verify(runner).exit_code == 0


def test_a_name_slipped_in_where_no_seal_covers_it(runner, record, users):
    """A rule-2 entry's actor_name, or a kept name under a rule-1 entry, is not sealed."""
    entry = _a_named_entry(users)
    tamper("UPDATE audit_events SET actor_name = 'Someone Else' WHERE id = :e", e=entry)
    result = verify(runner)
    assert result.exit_code == 1
    assert f"Transparency log entry {entry} " in result.output
    assert "it holds a name its seal does not cover" in result.output


def test_a_salt_that_is_not_hex(runner, record, users):
    tamper("UPDATE audit_names SET salt = 'zz' WHERE event_id = :e", e=_a_named_entry(users))
    result = verify(runner)
    assert result.exit_code == 1
    assert "does not match the one it sealed" in result.output


def test_a_kept_name_added_under_an_entry_of_the_first_rule(runner, record, users):
    from tests.test_account_deletion import legacy_record

    legacy_record(users["admin"], "charter.rule_changed", "charter", 1, "Rule changed.")
    db.session.commit()
    entry = db.session.scalar(text("SELECT MAX(id) FROM audit_events WHERE scheme = 1"))
    tamper(
        "INSERT INTO audit_names (event_id, actor_name, salt) VALUES (:e, 'Someone Else', :s)",
        e=entry,
        s="00" * 16,
    )
    result = verify(runner)
    assert result.exit_code == 1
    assert f"Transparency log entry {entry} " in result.output
    assert "it holds a name its seal does not cover" in result.output
