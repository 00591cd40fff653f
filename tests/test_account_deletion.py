"""Leaving: an account's email, name and sign-ins go; the public record stays and verifies."""

import pytest

from charter.accounts.operations import update_account
from charter.audit import FORMER_PARTICIPANT
from charter.clauses.queries import get_clause
from charter.comments.operations import post_comment, reply
from charter.extensions import db
from charter.models import AuditEvent, AuditName, CommentKind, Role, User, UserSession
from charter.models.base import utcnow
from tests.conftest import PASSWORD, propose, sign_in
from tests.mailbox import text_of

CONFIRM = {"password": PASSWORD, "understand": "y"}


def delete(client, **data):
    return client.post("/account/delete", data={**CONFIRM, **data})


def verify(runner):
    result = runner.invoke(args=["charter", "verify"])
    assert result.exit_code == 0, result.output
    return result


def public_pages(anon, *paths) -> str:
    pages = []
    for path in paths:
        response = anon.get(path, follow_redirects=True)
        assert response.status_code == 200, path
        pages.append(response.get_data(as_text=True))
    return "\n".join(pages)


@pytest.fixture
def contributions(charter, users):
    """A proposal, a question with an official answer, and a reply, all by the citizen; and
    a public log entry that names the citizen (an administrator changing their role)."""
    me = users["citizen"]
    proposal = propose(charter, me, body="My words.")
    question = post_comment(
        me, body="What is joined?", clause=get_clause(charter, "why"), kind=CommentKind.QUESTION
    )
    reply(users["committee"], question, "Housing records.", official=True)
    their = post_comment(users["admin"], body="A thought.", proposal=proposal)
    my_reply = reply(me, their, "Thank you.")
    update_account(users["admin"], me, Role.CITIZEN, False)
    update_account(users["admin"], me, Role.CITIZEN, True)
    db.session.commit()
    return {"proposal": proposal, "question": question, "their": their, "reply": my_reply}


def test_the_page_explains_what_happens_and_asks_for_the_password(citizen):
    page = citizen.get("/account/delete").get_data(as_text=True)
    assert "A former participant" in page
    assert 'type="password"' in page and 'type="checkbox"' in page
    assert "public office" not in page  # only committee members are told about their votes


def test_a_committee_member_is_told_their_votes_stay_named_before_confirming(committee):
    page = committee.get("/account/delete").get_data(as_text=True)
    assert "public office" in page and "stay on record under your name" in page


def test_deleting_erases_email_name_password_and_sign_ins(
    app, citizen, users, contributions, mailbox
):
    user_id = users["citizen"].id
    elsewhere = app.test_client()
    sign_in(elsewhere, "citizen@example.org")
    assert db.session.scalar(db.select(db.func.count()).where(UserSession.user_id == user_id)) == 2

    from charter.models import Follow, Notification

    def count(model) -> int:
        return db.session.scalar(db.select(db.func.count()).where(model.user_id == user_id))

    assert count(Follow) > 0 and count(Notification) > 0  # the answer to their question
    response = delete(citizen)
    assert response.status_code == 302 and response.location.endswith("/account/deleted")
    page = citizen.get("/account/deleted").get_data(as_text=True)
    assert "Your account has been deleted" in page

    user = db.session.get(User, user_id)
    assert user.email == f"deleted-{user_id}@invalid"
    assert user.display_name == FORMER_PARTICIPANT
    assert not user.active and user.deleted_at is not None
    assert not user.check_password(PASSWORD)
    assert db.session.scalar(db.select(db.func.count()).where(UserSession.user_id == user_id)) == 0
    # What they followed and were told about goes with them.
    assert count(Follow) == 0 and count(Notification) == 0
    # Signed out here and on the other device; and the old address opens nothing.
    assert citizen.get("/account").status_code == 302
    assert elsewhere.get("/account").status_code == 302
    assert sign_in(app.test_client(), "citizen@example.org").status_code == 400
    # The log says it happened, without the name.
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="account.deleted"))
    assert event.object_id == user_id and "Citizen Person" not in event.summary
    assert event.shown_actor == FORMER_PARTICIPANT

    [goodbye] = mailbox.wait_for("citizen@example.org")
    assert "has been deleted" in text_of(goodbye)
    assert "Citizen Person" in text_of(goodbye)  # the greeting, written before the erasure


def test_the_confirmation_page_shows_only_straight_after_deleting(anon):
    assert anon.get("/account/deleted").status_code == 302


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"password": "not my password"}, "That is not your password. Nothing has been deleted."),
        ({"password": ""}, "Enter your password to confirm."),
        ({"understand": ""}, "Tick the box to say you understand"),
    ],
)
def test_a_wrong_password_or_no_tick_deletes_nothing(citizen, users, mailbox, data, message):
    response = delete(citizen, **data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    user = db.session.get(User, users["citizen"].id)
    assert user.email == "citizen@example.org" and user.display_name == "Citizen Person"
    assert user.active and user.deleted_at is None and user.check_password(PASSWORD)
    assert citizen.get("/account").status_code == 200  # still signed in
    assert mailbox.messages("citizen@example.org") == []


def test_deleting_needs_the_csrf_token(citizen, users):
    response = citizen.post("/account/delete", data=CONFIRM, csrf=False)
    assert response.status_code == 400
    assert db.session.get(User, users["citizen"].id).deleted_at is None


def test_the_public_record_credits_a_former_participant_and_never_the_name(
    citizen, anon, runner, contributions
):
    proposal, question = contributions["proposal"], contributions["question"]
    paths = [
        f"/proposals/{proposal.id}",
        f"/comments/{question.id}",
        f"/comments/{contributions['their'].id}",
        "/clauses/why",
        "/transparency",
        f"/api/v1/proposals/{proposal.id}",
        f"/api/v1/proposals/{proposal.id}/comments",
        "/api/v1/clauses/why/comments",
    ]
    before = public_pages(anon, *paths)
    assert "Citizen Person" in before  # so the check below means something
    verify(runner)

    assert delete(citizen).status_code == 302

    after = public_pages(anon, *paths)
    assert "Citizen Person" not in after
    assert FORMER_PARTICIPANT in after
    # What was written stays.
    assert "My words." in after and "What is joined?" in after and "Thank you." in after
    assert "Housing records." in after
    verify(runner)


def test_a_committee_member_who_voted_stays_named_in_sealed_votes_and_the_record_verifies(
    app, anon, runner, record, users
):
    committee = app.test_client()
    sign_in(committee, "committee@example.org")
    name = "Committee member Person"
    verify(runner)
    assert name in public_pages(anon, "/transparency")

    assert delete(committee).status_code == 302

    # The vote record of the published version keeps the name: a public office.
    assert name in public_pages(anon, "/versions/2")
    # Everywhere else the name is gone: the log, and the proposal they decided.
    proposal_id = db.session.scalar(
        db.select(AuditEvent.object_id).filter_by(action="proposal.accepted")
    )
    elsewhere = public_pages(anon, "/transparency", f"/proposals/{proposal_id}")
    assert name not in elsewhere
    assert "Voted approve." in elsewhere and FORMER_PARTICIPANT in elsewhere
    result = verify(runner)
    assert "2 published version(s) verified" in result.output
    # The log's entries seal a digest of the name, and the name behind it is gone.
    member_id = users["committee"].id
    entries = list(db.session.scalars(db.select(AuditEvent).filter_by(actor_id=member_id)))
    assert entries and all(e.actor_name is None and e.actor_digest for e in entries)
    kept = db.session.scalars(db.select(AuditName.actor_name).join(AuditEvent)).all()
    assert name not in kept


def test_a_deleted_account_cannot_be_deleted_twice(app, users):
    from charter.account.operations import delete_account
    from charter.accounts.operations import AccountError

    user = users["citizen"]
    with app.test_request_context():  # the goodbye mail links to the site
        delete_account(user, PASSWORD)
        db.session.commit()
        with pytest.raises(AccountError, match="already been deleted"):
            delete_account(user, PASSWORD)


def test_an_administrator_cannot_bring_a_deleted_account_back(app, admin, users):
    from charter.account.operations import delete_account

    member = users["committee"]
    with app.test_request_context():
        delete_account(member, PASSWORD)
        db.session.commit()
    response = admin.post(f"/admin/users/{member.id}", data={"role": "committee", "active": "y"})
    assert response.status_code == 403
    assert not db.session.get(User, member.id).active


def legacy_record(actor, action, object_type, object_id, summary):
    """Log an entry as Charter did before migration 0010: rule 1, the name sealed in it."""
    from charter.audit import _PENDING

    db.session.info.setdefault(_PENDING, []).append(
        AuditEvent(
            actor=actor,
            scheme=1,
            actor_name=actor.display_name,
            action=action,
            object_type=object_type,
            object_id=object_id,
            summary=summary,
            public=True,
            created_at=utcnow(),
        )
    )


def test_the_log_replaces_a_short_name_only_where_it_names_the_person(app, charter, users, runner):
    from charter.audit import public_entries

    member = users["committee"]
    member.display_name = "Al"
    legacy_record(member, "version.vote", "version", 1, "Al voted approve.")
    legacy_record(member, "proposal.rejected", "proposal", 1, "Rejected: Also join housing data.")
    db.session.commit()
    verify(runner)
    member.deleted_at = db.func.now()
    db.session.commit()
    events = list(
        db.session.scalars(db.select(AuditEvent).filter_by(scheme=1).order_by(AuditEvent.id))
    )
    shown = [(entry.name, entry.summary) for entry in public_entries(events)]
    assert shown == [
        (FORMER_PARTICIPANT, f"{FORMER_PARTICIPANT} voted approve."),
        (FORMER_PARTICIPANT, "Rejected: Also join housing data."),
    ]
    # Entries written before migration 0010 seal the name itself: it stays in the row (only
    # pages hide it), and the log still verifies.
    assert [e.actor_name for e in events] == ["Al", "Al"]
    verify(runner)


def _text_holding(name: str) -> list[tuple[str, str, tuple]]:
    """Every (table, column, row) whose text holds name, across the whole database."""
    inspector = db.inspect(db.session.connection())
    found = []
    for table in inspector.get_table_names():
        columns = [c["name"] for c in inspector.get_columns(table)]
        quoted = ", ".join(f'"{c}"' for c in columns)
        for row in db.session.execute(db.text(f'SELECT {quoted} FROM "{table}"')):
            for column, value in zip(columns, row, strict=True):
                if isinstance(value, str) and name in value:
                    found.append((table, column, tuple(row)))
    return found


def test_after_deleting_the_name_is_nowhere_in_the_database_but_sealed_votes(
    app, anon, runner, charter, users, contributions
):
    """A member who only acted under rule 2: decided, moderated, voted, was renamed."""
    from charter.account.operations import change_display_name
    from charter.comments.operations import hide_comment
    from charter.models import VoteChoice
    from charter.proposals.operations import reject_proposal
    from charter.versions.operations import (
        cast_vote,
        open_candidate,
        publish_candidate,
        publish_working_draft,
    )

    name = "Zebulon Quill"
    member = users["committee"]
    change_display_name(member, name)
    db.session.commit()
    publish_working_draft(charter, changelog="Ratified before Charter.")
    reject_proposal(contributions["proposal"], member, "Not for now.")
    hide_comment(contributions["their"], member, "Off-topic.")
    update_account(users["admin"], member, Role.ADMIN, True)
    update_account(users["admin"], member, Role.COMMITTEE, True)
    accepted = propose(charter, users["citizen"], body="We join data to *help*.")
    from charter.proposals.operations import accept_proposal

    accept_proposal(accepted, member, "Agreed.")
    candidate = open_candidate(charter, member, "Say what for.")
    seen = candidate.content_hash
    cast_vote(candidate, member, VoteChoice.APPROVE, "Clearer.", seen_hash=seen)
    cast_vote(candidate, users["admin"], VoteChoice.APPROVE, "", seen_hash=seen)
    publish_candidate(candidate, member, seen_hash=seen)
    db.session.commit()
    assert name in public_pages(anon, "/transparency")
    held = {(table, column) for table, column, _ in _text_holding(name)}
    assert ("audit_names", "actor_name") in held  # so the check below means something

    sign_in(member_client := app.test_client(), member.email)
    assert delete(member_client).status_code == 302

    # Only the sealed vote of the published version keeps it: a public office.
    held = _text_holding(name)
    assert [(table, column) for table, column, _ in held] == [("votes", "member_name")]
    assert name not in public_pages(anon, "/transparency")
    result = verify(runner)
    assert "2 published version(s) verified" in result.output
