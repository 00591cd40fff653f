"""Two people acting on the same thing at the same moment: exactly one wins, the other is told.

These tests need real concurrent transactions, so they run on PostgreSQL (DATABASE_URL).
"""

import threading

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from charter.clauses.queries import get_clause
from charter.extensions import db
from charter.models import AuditEvent, ClauseRevision, Proposal, ProposalStatus, User
from charter.proposals import operations
from tests.conftest import propose

pytestmark = pytest.mark.postgres


@pytest.fixture(autouse=True)
def _postgres_only(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("needs concurrent transactions: set DATABASE_URL to a PostgreSQL database")


def _race(app, *actions):
    """Run each action in its own thread and session, all starting from the same state."""
    loaded = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        with app.app_context():
            try:
                action(loaded)
                db.session.commit()
                outcomes[index] = "ok"
            except (StaleDataError, IntegrityError, operations.ProposalError) as err:
                db.session.rollback()
                outcomes[index] = type(err).__name__
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _proposal(charter, users, body="Words that differ."):
    proposal = propose(
        charter, users["citizen"], body=body, heading="Why we join data", rationale="Because."
    )
    db.session.commit()
    return proposal.id


def _decider(proposal_id, member_id, decision, reason):
    def act(loaded):
        proposal = db.session.get(Proposal, proposal_id)
        member = db.session.get(User, member_id)
        seen = proposal.lock_version
        loaded.wait()  # both have read the open proposal before either decides
        if decision == "accept":
            operations.accept_proposal(proposal, member, reason, seen_version=seen)
        else:
            operations.reject_proposal(proposal, member, reason, seen_version=seen)

    return act


def test_two_members_deciding_at_once_record_exactly_one_decision(app, charter, users):
    proposal_id = _proposal(charter, users)
    outcomes = _race(
        app,
        _decider(proposal_id, users["committee"].id, "accept", "Yes from the committee."),
        _decider(proposal_id, users["admin"].id, "reject", "No from the admin."),
    )
    assert sorted(outcomes) == ["StaleDataError", "ok"]
    db.session.expire_all()
    proposal = db.session.get(Proposal, proposal_id)
    winner = outcomes.index("ok")
    assert proposal.status is (ProposalStatus.ACCEPTED if winner == 0 else ProposalStatus.REJECTED)
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == 1
    revisions = db.session.scalar(
        db.select(db.func.count(ClauseRevision.id)).filter_by(clause_id=proposal.clause_id)
    )
    assert revisions == (2 if winner == 0 else 1)


def test_two_proposals_on_one_clause_accepted_at_once_do_not_overwrite(app, charter, users):
    first = _proposal(charter, users, "First rewording.")
    second = _proposal(charter, users, "Second rewording.")
    outcomes = _race(
        app,
        _decider(first, users["committee"].id, "accept", "First."),
        _decider(second, users["admin"].id, "accept", "Second."),
    )
    assert sorted(outcomes) == ["IntegrityError", "ok"]
    db.session.expire_all()
    clause = get_clause(charter, "why")
    assert [r.number for r in clause.revisions] == [1, 2]
    accepted = db.session.scalars(
        db.select(Proposal).filter_by(status=ProposalStatus.ACCEPTED)
    ).all()
    assert len(accepted) == 1 and accepted[0].result_revision_id == clause.current_revision_id


def test_two_members_publishing_at_once_make_exactly_one_version(app, charter, users):
    from charter.models import CharterVersion, VersionStatus, VoteChoice
    from charter.versions import operations as versions

    versions.publish_working_draft(charter)
    from charter.clauses.operations import create_revision

    create_revision(get_clause(charter, "why"), "Why we join data", "New words.")
    candidate = versions.open_candidate(charter, users["committee"], "- New words.")
    for member in (users["committee"], users["admin"]):
        versions.cast_vote(
            candidate, member, VoteChoice.APPROVE, "", seen_hash=candidate.content_hash
        )
    db.session.commit()
    candidate_id, seen = candidate.id, candidate.content_hash

    def publisher(member_id):
        def act(loaded):
            version = db.session.get(CharterVersion, candidate_id)
            member = db.session.get(User, member_id)
            assert version.is_candidate
            loaded.wait()
            versions.publish_candidate(version, member, seen_hash=seen)

        return act

    outcomes = _race(app, publisher(users["committee"].id), publisher(users["admin"].id))
    assert outcomes.count("ok") == 1
    assert set(outcomes) - {"ok"} <= {"StaleDataError", "IntegrityError"}
    db.session.expire_all()
    published = db.session.scalars(
        db.select(CharterVersion.number).filter_by(status=VersionStatus.PUBLISHED)
    ).all()
    assert sorted(published) == [1, 2]


def test_two_appends_to_the_log_at_once_do_not_fork_it(app, charter, users):
    from charter.audit import log_events, record, take_log_head, verify_log

    holding = threading.Event()
    outcome = {}

    def second():
        with app.app_context():
            holding.wait(timeout=30)
            record(None, "test.second", "charter", charter.id, "Second.")
            db.session.commit()  # waits for the first to release the head
            outcome["second"] = "ok"
            db.session.remove()

    thread = threading.Thread(target=second)
    thread.start()
    with app.app_context():
        record(None, "test.first", "charter", charter.id, "First.")
        take_log_head()  # the first holds the head now
        holding.set()
        # Commit only once the second is blocked on the head row, so it must read the new head.
        while thread.is_alive() and not _waiting_on_the_log_head():
            pass
        db.session.commit()
        db.session.remove()
    thread.join(timeout=30)
    assert outcome == {"second": "ok"}
    events = log_events()
    assert [e.action for e in events][-2:] == ["test.first", "test.second"]
    assert events[-1].previous_hash == events[-2].hash
    assert verify_log(events) == []


def _waiting_on_the_log_head() -> bool:
    with db.engine.connect() as connection:
        return bool(
            connection.execute(
                db.text(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND query LIKE 'UPDATE audit_log_head%'"
                )
            ).scalar()
        )
