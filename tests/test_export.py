"""Take your data: the .zip holds everything the site keeps about you, and never the password."""

import io
import json
import zipfile

from charter.account.export import FORMAT, FORMAT_VERSION
from charter.accounts.sessions import start_session
from charter.clauses.queries import get_clause
from charter.comments.operations import (
    delete_comment,
    edit_comment,
    hide_comment,
    post_comment,
    reply,
    report_comment,
)
from charter.extensions import db
from charter.models import CommentKind, User, VoteChoice
from charter.proposals.operations import (
    accept_proposal,
    support_proposal,
    update_proposal,
)
from charter.versions.operations import cast_vote, open_candidate, publish_candidate
from tests.conftest import propose

TOP_LEVEL = {
    "format",
    "version",
    "generated_at",
    "site",
    "account",
    "sessions",
    "proposals",
    "clause_revisions",
    "comments",
    "reports",
    "supports",
    "preferences",
    "email_choice",
    "follows",
    "notifications",
    "votes",
    "decisions",
    "audit_events",
}


def download(client) -> zipfile.ZipFile:
    response = client.post("/account/export")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    assert ".zip" in response.headers["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(response.data))


def data_of(archive: zipfile.ZipFile) -> dict:
    return json.loads(archive.read("data.json"))


def ids(items: list[dict]) -> set[int]:
    return {item["id"] for item in items}


def test_the_export_page_explains_the_download_and_offers_a_button(citizen):
    page = citizen.get("/account/export").get_data(as_text=True)
    assert "summary.html" in page and "data.json" in page
    assert 'method="post"' in page and "csrf_token" in page


def test_the_download_needs_the_csrf_token(citizen):
    assert citizen.post("/account/export", csrf=False).status_code == 400


def test_every_item_a_citizen_created_is_in_the_download(citizen, users, charter):
    me = users["citizen"]
    why = get_clause(charter, "why")
    # One of everything a resident makes, some in every state it can be in.
    proposal = propose(charter, me, body="My first words.")
    update_proposal(
        proposal, heading="Why we join data", body="My second words.", rationale="Clearer."
    )
    accepted = propose(charter, me, body="Accepted words.", heading="Why we join it")
    accept_proposal(accepted, users["committee"], "Yes, clearer.")
    theirs = propose(charter, users["admin"], body="Their words.", heading="Why join")
    support_proposal(theirs, me)
    question = post_comment(me, body="What is joined?", clause=why, kind=CommentKind.QUESTION)
    edited = post_comment(me, body="First thought.", proposal=theirs)
    edit_comment(edited, "Second thought.")
    gone = post_comment(me, body="Never mind.", clause=why)
    delete_comment(gone)
    hidden = post_comment(me, body="Something rude.", clause=why)
    hide_comment(hidden, users["committee"], "Off-topic")
    their_comment = post_comment(users["admin"], body="Data about housing.", clause=why)
    my_reply = reply(me, their_comment, "Which housing?")
    report = report_comment(their_comment, me, "Names a neighbour.")
    start_session(me, remember=True)
    me.language = "cy"  # as if chosen on a site that offers Welsh
    db.session.commit()

    data = data_of(download(citizen))
    assert set(data) == TOP_LEVEL
    assert data["format"] == FORMAT and data["version"] == FORMAT_VERSION
    assert data["account"]["id"] == me.id
    assert data["account"]["email"] == "citizen@example.org"
    assert data["account"]["display_name"] == "Citizen Person"
    assert data["account"]["language"] == "cy"
    assert ids(data["proposals"]) == {proposal.id, accepted.id}
    texts = {p["id"]: p["texts"] for p in data["proposals"]}
    assert [t["body"] for t in texts[proposal.id]] == ["My first words.", "My second words."]
    assert {p["id"]: p["status"] for p in data["proposals"]}[accepted.id] == "accepted"
    assert ids(data["comments"]) == {question.id, edited.id, gone.id, hidden.id, my_reply.id}
    states = {c["id"]: c["state"] for c in data["comments"]}
    assert states[gone.id] == "deleted" and states[hidden.id] == "hidden"
    assert states[question.id] == "shown"
    assert {c["id"]: c["body"] for c in data["comments"]}[edited.id] == "Second thought."
    assert ids(data["reports"]) == {report.id}
    assert [s["proposal"] for s in data["supports"]] == [theirs.id]
    # What they follow (by writing), how they want mail, and what they were told.
    followed = {(f["kind"], f["target"]) for f in data["follows"]}
    assert {("proposal", proposal.id), ("thread", question.id), ("clause", why.id)} <= followed
    assert data["email_choice"] == "daily" and data["preferences"] == []
    assert "decision" in {n["kind"] for n in data["notifications"]}  # their accepted proposal
    # The revision that accepting the proposal wrote is credited to its author.
    assert {r["from_proposal"] for r in data["clause_revisions"]} == {accepted.id}
    assert len(data["sessions"]) == 2  # the sign-in of the test client, and the one above
    assert data["votes"] == [] and data["decisions"] == []
    # The committee's decision on my proposal and its hiding of my comment are about me.
    about_me = {(e["action"], e["object_id"]) for e in data["audit_events"]}
    # Accepting the second made the first, on the same words, fall: also about me.
    assert about_me == {
        ("proposal.accepted", accepted.id),
        ("proposal.fallen", proposal.id),
        ("comment.hidden", hidden.id),
    }
    assert {e["you_were"] for e in data["audit_events"]} == {"subject"}


def test_the_password_hash_is_nowhere_in_the_download(citizen, users):
    password_hash = db.session.get(User, users["citizen"].id).password_hash
    archive = download(citizen)
    for name in archive.namelist():
        contents = archive.read(name)
        assert password_hash.encode() not in contents
        assert b"password_hash" not in contents
        # Nor its salt or digest alone.
        for part in password_hash.split("$")[1:]:
            assert part.encode() not in contents


def test_a_committee_members_download_holds_votes_decisions_and_log_entries(
    committee, users, charter
):
    me = users["committee"]
    proposal = propose(charter, users["citizen"])
    accept_proposal(proposal, me, "Agreed.")
    candidate = open_candidate(charter, me, "A clearer reason.")
    vote = cast_vote(candidate, me, VoteChoice.APPROVE, "Good.", seen_hash=candidate.content_hash)
    cast_vote(candidate, users["admin"], VoteChoice.APPROVE, "", seen_hash=candidate.content_hash)
    publish_candidate(candidate, me, seen_hash=candidate.content_hash)
    db.session.commit()

    data = data_of(download(committee))
    assert ids(data["votes"]) == {vote.id}
    assert data["votes"][0]["name_on_record"] == "Committee member Person"
    assert [d["proposal"] for d in data["decisions"]] == [proposal.id]
    actions = {e["action"] for e in data["audit_events"]}
    assert {
        "proposal.accepted",
        "version.candidate_opened",
        "version.vote",
        "version.published",
    } <= actions
    assert all(e["you_were"] == "actor" for e in data["audit_events"])


def test_log_entries_about_your_account_are_in_your_download(citizen, users, app):
    from charter.accounts.operations import update_account
    from charter.models import Role

    update_account(users["admin"], users["citizen"], Role.CITIZEN, True)  # no change
    update_account(users["admin"], db.session.get(User, users["citizen"].id), Role.COMMITTEE, True)
    db.session.commit()
    data = data_of(download(citizen))
    assert [e["action"] for e in data["audit_events"]] == ["account.updated"]
    assert data["audit_events"][0]["you_were"] == "subject"


def test_the_readable_summary_holds_the_same_items_and_loads_nothing_from_anywhere(
    citizen, users, charter
):
    proposal = propose(charter, users["citizen"], body="Words worth keeping.")
    post_comment(users["citizen"], body="A comment to keep.", clause=get_clause(charter, "why"))
    db.session.commit()
    summary = download(citizen).read("summary.html").decode()
    assert "Words worth keeping." in summary and "A comment to keep." in summary
    assert f"Proposal {proposal.id}" in summary
    assert "citizen@example.org" in summary
    for external in ("<script", "<link", "src=", "@import", "url("):
        assert external not in summary
