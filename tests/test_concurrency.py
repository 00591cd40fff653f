"""Two people acting on the same thing at the same moment: exactly one wins, the other is told.

These tests need real concurrent transactions, so they run on PostgreSQL (DATABASE_URL).

The interleaving is forced, never hoped for: `_interleave` stops the first action at the very
moment its session is about to write (a `before_flush` hook), after it has read what it builds
on; the second action then runs until it has finished or is waiting for a row lock the first
holds (seen in pg_stat_activity); only then does the first go on. So each test gives the same
result on every run, and fails on code that reads, lets someone else commit, then writes.
"""

import threading
import time
from collections.abc import Callable
from typing import Any, NamedTuple

import pytest
from sqlalchemy import event, text
from sqlalchemy.orm import Session

from charter.accounts.operations import create_user
from charter.clauses.queries import get_clause, live_clauses
from charter.extensions import db
from charter.models import (
    AuditEvent,
    CharterVersion,
    Clause,
    ClauseRevision,
    Proposal,
    ProposalKind,
    ProposalStatus,
    Role,
    User,
    VersionStatus,
    Vote,
    VoteChoice,
)
from charter.proposals import operations
from charter.versions import operations as versions
from tests.conftest import PASSWORD, SAMPLE_DRAFT, propose, sign_in

pytestmark = pytest.mark.postgres

WAIT = 30  # seconds before a stuck test fails rather than hangs

WHY_BODY = "We join data to *plan services*. See [the regulator](https://ico.org.uk/)."
assert WHY_BODY in SAMPLE_DRAFT


@pytest.fixture(autouse=True)
def _postgres_only(app):
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("needs concurrent transactions: set DATABASE_URL to a PostgreSQL database")


class Outcome(NamedTuple):
    kind: str  # "ok" or the name of the exception raised
    message: str = ""
    value: Any = None


def _attempt(app, action: Callable[[], Any]) -> Outcome:
    """Run one action in this thread's own app context and session, and commit it."""
    with app.app_context():
        try:
            value = action()
            db.session.commit()
            return Outcome("ok", value=value)
        except Exception as err:  # any escape is a result to assert on, not a thread crash
            db.session.rollback()
            return Outcome(type(err).__name__, str(err))
        finally:
            db.session.remove()


def _race(app, *actions) -> list[Outcome]:
    """Run each action in its own thread, all released together once every one has loaded."""
    loaded = threading.Barrier(len(actions))
    outcomes: list[Outcome | None] = [None] * len(actions)

    def run(index, action):
        outcomes[index] = _attempt(app, lambda: action(loaded))

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert not any(t.is_alive() for t in threads), "an action never finished"
    return outcomes


def _writing(kind: type, test: Callable[[Any], bool] = lambda obj: True):
    """Match a session about to write an object of this kind (new or changed) that passes test."""

    def match(session: Session) -> bool:
        return any(isinstance(o, kind) and test(o) for o in (*session.new, *session.dirty))

    return match


def _waiting_for_a_lock() -> bool:
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        return bool(
            conn.scalar(
                text(
                    "SELECT count(*) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                )
            )
        )


def _interleave(app, first, second, *, pause_when) -> tuple[Outcome, Outcome]:
    """Hold `first` just before it writes what pause_when matches; run `second`; then resume."""
    reached, go = threading.Event(), threading.Event()
    outcomes: dict[str, Outcome] = {}
    done = {"first": threading.Event(), "second": threading.Event()}
    holder: list[threading.Thread] = []

    def pause(session, flush_context, instances):
        ours = threading.current_thread() is holder[0] and not reached.is_set()
        if ours and pause_when(session):
            reached.set()
            assert go.wait(WAIT), "never told to go on"

    def run(name, action):
        try:
            outcomes[name] = _attempt(app, action)
        finally:
            done[name].set()

    event.listen(Session, "before_flush", pause)
    try:
        holder.append(threading.Thread(target=run, args=("first", first)))
        holder[0].start()
        while not reached.wait(0.01):
            assert not done["first"].is_set(), f"first never came to its write: {outcomes}"
        other = threading.Thread(target=run, args=("second", second))
        other.start()
        # Let the second run to its end, or until it waits on a lock the first holds.
        deadline = time.monotonic() + WAIT
        while not done["second"].wait(0.01) and not _waiting_for_a_lock():
            assert time.monotonic() < deadline, "second neither finished nor waited on a lock"
        go.set()
        holder[0].join(WAIT)
        other.join(WAIT)
        assert not holder[0].is_alive() and not other.is_alive(), "an action never finished"
    finally:
        go.set()
        event.remove(Session, "before_flush", pause)
    db.session.expire_all()
    return outcomes["first"], outcomes["second"]


# --- Deciding proposals -----------------------------------------------------------------------


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


def _accept(proposal_id, member_id, reason="Agreed.", confirmed=None):
    def act():
        proposal = db.session.get(Proposal, proposal_id)
        seen = proposal.lock_version
        member = db.session.get(User, member_id)
        operations.accept_proposal(proposal, member, reason, seen_version=seen, confirmed=confirmed)

    return act


_DECIDING = _writing(Proposal, lambda p: p.status is ProposalStatus.ACCEPTED)


def test_two_members_deciding_at_once_record_exactly_one_decision(app, charter, users):
    proposal_id = _proposal(charter, users)
    outcomes = _race(
        app,
        _decider(proposal_id, users["committee"].id, "accept", "Yes from the committee."),
        _decider(proposal_id, users["admin"].id, "reject", "No from the admin."),
    )
    assert sorted(o.kind for o in outcomes) == ["ProposalConflict", "ok"]
    loser = next(o for o in outcomes if o.kind != "ok")
    assert "This proposal is already" in loser.message
    db.session.expire_all()
    proposal = db.session.get(Proposal, proposal_id)
    winner = [o.kind for o in outcomes].index("ok")
    assert proposal.status is (ProposalStatus.ACCEPTED if winner == 0 else ProposalStatus.REJECTED)
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == 1
    revisions = db.session.scalar(
        db.select(db.func.count(ClauseRevision.id)).filter_by(clause_id=proposal.clause_id)
    )
    assert revisions == (2 if winner == 0 else 1)


def test_an_acceptance_made_meanwhile_is_never_overwritten(app, charter, users):
    """The second acceptance waits, sees the new wording and asks to confirm the merge."""
    first = _proposal(charter, users, WHY_BODY.replace("plan services", "plan better services"))
    second = _proposal(charter, users, WHY_BODY.replace("the regulator", "the data regulator"))
    one, two = _interleave(
        app,
        _accept(first, users["committee"].id),
        _accept(second, users["admin"].id),
        pause_when=_DECIDING,
    )
    assert one.kind == "ok"
    assert two.kind == "RebaseNeedsConfirmation", two
    assert "The clause has changed since this proposal was written" in two.message
    clause = get_clause(charter, "why")
    assert [r.number for r in clause.revisions] == [1, 2]
    assert "plan better services" in clause.current_revision.body
    assert db.session.get(Proposal, second).status is ProposalStatus.OPEN

    # Confirming the merged wording it was shown keeps both accepted changes.
    fingerprint = operations.rebased_wording(db.session.get(Proposal, second)).fingerprint
    confirmed = _attempt(app, _accept(second, users["admin"].id, confirmed=fingerprint))
    assert confirmed.kind == "ok", confirmed
    db.session.expire_all()
    clause = get_clause(charter, "why")
    assert [r.number for r in clause.revisions] == [1, 2, 3]
    assert "plan better services" in clause.current_revision.body
    assert "the data regulator" in clause.current_revision.body


def test_an_acceptance_clashing_with_one_made_meanwhile_is_refused(app, charter, users):
    # Both rewrite the whole clause: whatever the merge algorithm, these collide.
    first = _proposal(charter, users, "We join data only to plan our services.")
    second = _proposal(charter, users, "Data is joined when the council decides.")
    one, two = _interleave(
        app,
        _accept(first, users["committee"].id),
        _accept(second, users["admin"].id),
        pause_when=_DECIDING,
    )
    # The first acceptance made the second fall; the second decision then finds it closed.
    assert (one.kind, two.kind) == ("ok", "ProposalConflict")
    assert "This proposal is already fallen" in two.message
    clause = get_clause(charter, "why")
    assert [r.number for r in clause.revisions] == [1, 2]
    assert clause.current_revision.body == "We join data only to plan our services."
    loser = db.session.get(Proposal, second)
    assert loser.status is ProposalStatus.FALLEN and loser.result_revision_id is None
    assert loser.fell_to_id == first
    actions = db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["proposal.accepted", "proposal.fallen"]


def test_two_proposals_on_one_clause_accepted_at_once_do_not_overwrite(app, charter, users):
    first = _proposal(charter, users, "First rewording.")
    second = _proposal(charter, users, "Second rewording.")
    outcomes = _race(
        app,
        _decider(first, users["committee"].id, "accept", "First."),
        _decider(second, users["admin"].id, "accept", "Second."),
    )
    assert sorted(o.kind for o in outcomes) == ["ProposalConflict", "ok"]  # the other fell
    db.session.expire_all()
    clause = get_clause(charter, "why")
    assert [r.number for r in clause.revisions] == [1, 2]
    accepted = db.session.scalars(
        db.select(Proposal).filter_by(status=ProposalStatus.ACCEPTED)
    ).all()
    assert len(accepted) == 1 and accepted[0].result_revision_id == clause.current_revision_id
    fallen = db.session.scalars(db.select(Proposal).filter_by(status=ProposalStatus.FALLEN)).all()
    assert [p.fell_to_id for p in fallen] == [accepted[0].id]


def test_two_clauses_added_at_once_both_get_a_place_of_their_own(app, charter, users):
    from charter.proposals.operations import create_proposal

    ids = []
    for heading in ("Sharing with researchers", "Telling you about breaches"):
        proposal = create_proposal(
            charter,
            users["citizen"],
            ProposalKind.ADD,
            heading=heading,
            body=f"{heading}: what we do.",
            rationale="Missing.",
            position=2,
        )
        db.session.commit()
        ids.append(proposal.id)
    one, two = _interleave(
        app,
        _accept(ids[0], users["committee"].id),
        _accept(ids[1], users["admin"].id),
        pause_when=_writing(Clause, lambda c: c.id is None),
    )
    assert (one.kind, two.kind) == ("ok", "ok")
    positions = [c.position for c in live_clauses(charter)]
    assert positions == [1, 2, 3, 4, 5]
    keys = {c.key for c in live_clauses(charter)}
    assert {"sharing-with-researchers", "telling-you-about-breaches"} <= keys


# --- Candidates, votes and publication --------------------------------------------------------


def _committee_of_four(users):
    members = [users["committee"], users["admin"]]
    for n in (1, 2):
        members.append(
            create_user(f"member{n}@example.org", f"Member {n}", PASSWORD, Role.COMMITTEE)
        )
    db.session.commit()
    return members


def _candidate(charter, users, votes):
    """Open a candidate with these votes (members in order) and return its id and hash."""
    from charter.clauses.operations import create_revision

    versions.publish_working_draft(charter)
    create_revision(get_clause(charter, "why"), "Why we join data", "New words.")
    candidate = versions.open_candidate(charter, users["committee"], "- New words.")
    for member, choice in votes:
        versions.cast_vote(candidate, member, choice, "", seen_hash=candidate.content_hash)
    db.session.commit()
    return candidate.id, candidate.content_hash


def _publish(candidate_id, member_id, seen):
    def act():
        version = db.session.get(CharterVersion, candidate_id)
        versions.publish_candidate(version, db.session.get(User, member_id), seen_hash=seen)

    return act


def _withdraw(candidate_id, member_id, seen):
    def act():
        version = db.session.get(CharterVersion, candidate_id)
        versions.withdraw_candidate(
            version, db.session.get(User, member_id), seen_hash=seen, reason="Opened too early."
        )

    return act


def _vote(candidate_id, member_id, choice, seen):
    def act():
        version = db.session.get(CharterVersion, candidate_id)
        versions.cast_vote(version, db.session.get(User, member_id), choice, "", seen_hash=seen)

    return act


_SEALING = _writing(CharterVersion, lambda v: v.status is VersionStatus.PUBLISHED)
_WITHDRAWING = _writing(CharterVersion, lambda v: v.status is VersionStatus.WITHDRAWN)
_VOTING = _writing(Vote)


def _published_numbers():
    return sorted(
        db.session.scalars(
            db.select(CharterVersion.number).filter_by(status=VersionStatus.PUBLISHED)
        )
    )


def test_two_members_publishing_at_once_make_exactly_one_version(app, charter, users):
    approve = [(users["committee"], VoteChoice.APPROVE), (users["admin"], VoteChoice.APPROVE)]
    candidate_id, seen = _candidate(charter, users, approve)
    one, two = _interleave(
        app,
        _publish(candidate_id, users["committee"].id, seen),
        _publish(candidate_id, users["admin"].id, seen),
        pause_when=_SEALING,
    )
    assert one.kind == "ok"
    assert two.kind == "VersionError", two
    assert "Version 2 was just published by another member" in two.message
    assert _published_numbers() == [1, 2]
    assert db.session.get(CharterVersion, candidate_id).published_by_id == users["committee"].id


def test_two_members_publishing_when_both_released_together(app, charter, users):
    approve = [(users["committee"], VoteChoice.APPROVE), (users["admin"], VoteChoice.APPROVE)]
    candidate_id, seen = _candidate(charter, users, approve)

    def publisher(member_id):
        def act(loaded):
            version = db.session.get(CharterVersion, candidate_id)
            assert version.is_candidate
            loaded.wait()
            versions.publish_candidate(version, db.session.get(User, member_id), seen_hash=seen)

        return act

    outcomes = _race(app, publisher(users["committee"].id), publisher(users["admin"].id))
    assert sorted(o.kind for o in outcomes) == ["VersionError", "ok"]
    assert _published_numbers() == [1, 2]


@pytest.mark.parametrize("publish_first", [True, False], ids=["publish-first", "withdraw-first"])
def test_publishing_and_withdrawing_at_once_do_exactly_one(app, charter, users, publish_first):
    approve = [(users["committee"], VoteChoice.APPROVE), (users["admin"], VoteChoice.APPROVE)]
    candidate_id, seen = _candidate(charter, users, approve)
    publish = _publish(candidate_id, users["committee"].id, seen)
    withdraw = _withdraw(candidate_id, users["admin"].id, seen)
    if publish_first:
        one, two = _interleave(app, publish, withdraw, pause_when=_SEALING)
        expected, message = VersionStatus.PUBLISHED, "was just published by another member"
    else:
        one, two = _interleave(app, withdraw, publish, pause_when=_WITHDRAWING)
        expected, message = VersionStatus.WITHDRAWN, "already withdrawn, so it cannot be published"
    assert one.kind == "ok" and two.kind == "VersionError", (one, two)
    assert message in two.message
    assert db.session.get(CharterVersion, candidate_id).status is expected


def _rule_met_by_record(candidate_id) -> bool:
    version = db.session.get(CharterVersion, candidate_id)
    return versions.tally(version).rule_met


def test_a_vote_changed_while_publishing_is_refused_after_the_seal(app, charter, users):
    members = _committee_of_four(users)
    votes = list(zip(members, [VoteChoice.APPROVE] * 2 + [VoteChoice.ABSTAIN] * 2, strict=True))
    candidate_id, seen = _candidate(charter, users, votes)
    one, two = _interleave(
        app,
        _publish(candidate_id, members[0].id, seen),
        _vote(candidate_id, members[1].id, VoteChoice.REJECT, seen),
        pause_when=_SEALING,
    )
    assert one.kind == "ok"
    assert two.kind == "VersionError", two
    assert "voting has closed and your vote was not recorded" in two.message
    version = db.session.get(CharterVersion, candidate_id)
    assert version.is_published
    assert [v.choice for v in version.votes].count(VoteChoice.REJECT) == 0
    assert _rule_met_by_record(candidate_id)


def test_a_vote_changed_just_before_publishing_is_counted_in_the_decision(app, charter, users):
    members = _committee_of_four(users)
    votes = list(zip(members, [VoteChoice.APPROVE] * 2 + [VoteChoice.ABSTAIN] * 2, strict=True))
    candidate_id, seen = _candidate(charter, users, votes)
    one, two = _interleave(
        app,
        _vote(candidate_id, members[1].id, VoteChoice.REJECT, seen),
        _publish(candidate_id, members[0].id, seen),
        pause_when=_VOTING,
    )
    assert one.kind == "ok"
    # The flipped vote leaves 1 approve and 1 reject: the rule is no longer met.
    assert two.kind == "VersionError", two
    assert "The ratification rule is not met yet" in two.message
    version = db.session.get(CharterVersion, candidate_id)
    assert version.is_candidate
    assert [v.choice for v in version.votes].count(VoteChoice.REJECT) == 1
    assert _published_numbers() == [1]


def test_a_vote_landing_just_before_publishing_is_in_the_published_record(app, charter, users):
    members = _committee_of_four(users)
    votes = list(zip(members[:2], [VoteChoice.APPROVE, VoteChoice.ABSTAIN], strict=True))
    candidate_id, seen = _candidate(charter, users, votes)
    # Two of four have voted: not a quorum until the third vote lands.
    one, two = _interleave(
        app,
        _vote(candidate_id, members[2].id, VoteChoice.APPROVE, seen),
        _publish(candidate_id, members[0].id, seen),
        pause_when=_VOTING,
    )
    assert (one.kind, two.kind) == ("ok", "ok"), (one, two)
    version = db.session.get(CharterVersion, candidate_id)
    assert version.is_published
    assert [v.choice for v in version.votes].count(VoteChoice.APPROVE) == 2
    assert _rule_met_by_record(candidate_id)


# --- Over HTTP: the loser reads a plain message, never a 500 ----------------------------------


def _client(app, user):
    client = app.test_client()
    assert sign_in(client, user.email).status_code == 302
    return client


def _post(app, client, url, data):
    """Post a form as a browser would (CSRF token fetched beforehand), returning the response."""
    data = {**data, "csrf_token": client.csrf_token()}
    return lambda: client.post(url, data=data)


def _followed(client, response):
    assert response.status_code == 302, response.status_code
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_http_second_acceptance_is_shown_the_new_wording_to_confirm(app, charter, users):
    first = _proposal(charter, users, WHY_BODY.replace("plan services", "plan better services"))
    second = _proposal(charter, users, WHY_BODY.replace("the regulator", "the data regulator"))
    committee, admin = _client(app, users["committee"]), _client(app, users["admin"])
    one, two = _interleave(
        app,
        _post(
            app,
            committee,
            f"/proposals/{first}/decide",
            {"decision": "accept", "reason": "Yes.", "seen_version": "1"},
        ),
        _post(
            app,
            admin,
            f"/proposals/{second}/decide",
            {"decision": "accept", "reason": "Yes too.", "seen_version": "1"},
        ),
        pause_when=_DECIDING,
    )
    assert one.kind == two.kind == "ok", (one, two)
    assert one.value.status_code == 302
    assert two.value.status_code == 409
    page = two.value.get_data(as_text=True)
    assert "The clause has changed since this proposal was written" in page
    assert "plan better services" in page  # the merged result it is asked to confirm
    assert [r.number for r in get_clause(charter, "why").revisions] == [1, 2]


def test_http_second_publisher_is_told_the_version_was_just_published(app, charter, users):
    approve = [(users["committee"], VoteChoice.APPROVE), (users["admin"], VoteChoice.APPROVE)]
    candidate_id, seen = _candidate(charter, users, approve)
    committee, admin = _client(app, users["committee"]), _client(app, users["admin"])
    url = f"/committee/candidate/{candidate_id}/publish"
    one, two = _interleave(
        app,
        _post(app, committee, url, {"seen_hash": seen, "confirmed": "yes"}),
        _post(app, admin, url, {"seen_hash": seen, "confirmed": "yes"}),
        pause_when=_SEALING,
    )
    assert one.kind == two.kind == "ok", (one, two)
    assert one.value.status_code == 302
    page = _followed(admin, two.value)
    assert "Version 2 was just published by another member" in page
    assert two.value.headers["Location"].endswith("/versions/2")
    assert _published_numbers() == [1, 2]


def test_http_vote_arriving_after_the_seal_is_refused_plainly(app, charter, users):
    members = _committee_of_four(users)
    votes = list(zip(members, [VoteChoice.APPROVE] * 2 + [VoteChoice.ABSTAIN] * 2, strict=True))
    candidate_id, seen = _candidate(charter, users, votes)
    publisher, voter = _client(app, members[0]), _client(app, members[1])
    one, two = _interleave(
        app,
        _post(
            app,
            publisher,
            f"/committee/candidate/{candidate_id}/publish",
            {"seen_hash": seen, "confirmed": "yes"},
        ),
        _post(
            app,
            voter,
            f"/committee/candidate/{candidate_id}/vote",
            {"choice": "reject", "note": "", "seen_hash": seen},
        ),
        pause_when=_SEALING,
    )
    assert one.kind == two.kind == "ok", (one, two)
    page = _followed(voter, two.value)
    assert "voting has closed and your vote was not recorded" in page
    assert _rule_met_by_record(candidate_id)


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


# --- Leaving while writing from another device ------------------------------------------------


def test_an_account_deleted_while_its_owner_proposes_elsewhere_leaves_nothing_of_them(
    app, charter, users
):
    from charter.models import AuditName, Follow

    citizen = users["citizen"]
    name = citizen.display_name
    writing, leaving = _client(app, citizen), _client(app, citizen)  # two devices
    one, two = _interleave(
        app,
        _post(
            app,
            writing,
            "/proposals/new?kind=amend&clause=why",
            {
                "heading": "Why we join data",
                "body": WHY_BODY.replace("plan services", "plan fewer services"),
                "rationale": "Fewer, better.",
                "submit": "Send the proposal",
            },
        ),
        _post(app, leaving, "/account/delete", {"password": PASSWORD, "understand": "y"}),
        pause_when=_writing(Proposal),
    )
    assert one.kind == two.kind == "ok", (one, two)
    assert two.value.status_code == 302 and two.value.location.endswith("/account/deleted")
    # The proposal went in first and stays, unnamed; nothing of the person outlives the deletion.
    proposal = db.session.scalar(db.select(Proposal).filter_by(author_id=citizen.id))
    assert proposal is not None
    assert db.session.get(User, citizen.id).deleted_at is not None
    assert (
        db.session.scalar(
            db.select(db.func.count()).select_from(Follow).filter_by(user_id=citizen.id)
        )
        == 0
    )
    names = db.session.scalars(
        db.select(AuditName.actor_name)
        .join(AuditEvent, AuditEvent.id == AuditName.event_id)
        .where(AuditEvent.actor_id == citizen.id)
    ).all()
    assert name not in names and set(names) <= {"A former participant"}  # the deletion's own
