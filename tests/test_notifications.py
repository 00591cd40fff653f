"""Following and notifications through the HTTP interface: who is told what, and who is not."""

import re

import pytest
from sqlalchemy import event

from charter import events
from charter.accounts.operations import create_user
from charter.clauses.queries import get_clause
from charter.extensions import db
from charter.models import (
    Comment,
    EmailChoice,
    Follow,
    FollowKind,
    NoticeKind,
    Notification,
    NotificationSetting,
    User,
)
from charter.versions.operations import open_candidate, publish_working_draft
from tests.conftest import PASSWORD, propose, sign_in
from tests.test_comments import _comment, _latest, _selection_of
from tests.test_proposals import _decide


@pytest.fixture
def bea(app, users):
    """A second resident, signed in."""
    create_user("bea@example.org", "Bea Resident", PASSWORD)
    db.session.commit()
    client = app.test_client()
    assert sign_in(client, "bea@example.org").status_code == 302
    return client


def _user(email: str) -> User:
    return db.session.scalar(db.select(User).filter_by(email=email))


def _notices(email: str, kind: NoticeKind | None = None) -> list[Notification]:
    query = db.select(Notification).filter_by(user_id=_user(email).id)
    if kind is not None:
        query = query.filter_by(kind=kind)
    return list(db.session.scalars(query.order_by(Notification.id)))


def _new_count(client) -> int | None:
    """The count in the header: "Notifications (3 new)", or None when nothing is new."""
    page = client.get("/proposals/").get_data(as_text=True)
    found = re.search(r">Notifications \((\d+) new\)</a>", page)
    return int(found.group(1)) if found else None


def _follow(client, kind, target_id, stop=False, **extra):
    url = "/notifications/stop" if stop else "/notifications/follow"
    return client.post(url, data={"kind": kind, "target_id": str(target_id), **extra})


def _why(charter):
    return get_clause(charter, "why")


def test_a_reply_tells_the_thread_s_author_not_the_one_who_replied(
    citizen, committee, charter, users
):
    _comment(citizen, body="Which services?")
    thread = _latest()
    # Writing follows the thread and the clause it is on.
    follows = {
        (f.kind, f.target_id)
        for f in db.session.scalars(db.select(Follow).filter_by(user_id=users["citizen"].id))
    }
    assert follows == {(FollowKind.THREAD, thread.id), (FollowKind.CLAUSE, _why(charter).id)}
    committee.post(f"/comments/{thread.id}/reply", data={"body": "Schools and clinics."})
    [notice] = _notices("citizen@example.org")
    assert notice.kind is NoticeKind.REPLY and notice.thread_id == thread.id
    assert notice.clause_id == _why(charter).id
    assert _notices("committee@example.org") == []  # not told of their own reply
    assert _new_count(citizen) == 1 and _new_count(committee) is None
    page = citizen.get("/notifications").get_data(as_text=True)
    assert "Clause “Why we join data”" in page
    assert "Committee member Person replied to your comment “Which services?”" in page
    assert f'href="/comments/{thread.id}#comment-{thread.id + 1}"' in page
    # Replying followed the committee member to the thread: the author's answer tells them.
    citizen.post(f"/comments/{thread.id}/reply", data={"body": "Thank you."})
    assert [n.kind for n in _notices("committee@example.org")] == [NoticeKind.REPLY]
    assert len(_notices("citizen@example.org")) == 1


def test_stopping_is_remembered_and_writing_again_does_not_follow_again(
    citizen, committee, charter
):
    _comment(citizen, body="Which services?")
    thread = _latest()
    response = _follow(citizen, "thread", thread.id, stop=True)
    assert response.status_code == 302 and response.location == f"/comments/{thread.id}"
    page = citizen.get(f"/comments/{thread.id}").get_data(as_text=True)
    assert '>Follow<span class="visually-hidden"> this thread</span>' in page
    citizen.post(f"/comments/{thread.id}/reply", data={"body": "Also libraries."})
    committee.post(f"/comments/{thread.id}/reply", data={"body": "Noted."})
    assert _notices("citizen@example.org") == []
    _follow(citizen, "thread", thread.id)
    page = citizen.get(f"/comments/{thread.id}").get_data(as_text=True)
    assert 'Stop following<span class="visually-hidden"> this thread</span>' in page
    committee.post(f"/comments/{thread.id}/reply", data={"body": "Libraries too."})
    assert [n.kind for n in _notices("citizen@example.org")] == [NoticeKind.REPLY]


def test_a_new_proposal_tells_the_clause_s_followers_and_its_decision_tells_its_followers(
    citizen, committee, bea, charter, users
):
    why = _why(charter)
    page = bea.get("/clauses/why").get_data(as_text=True)
    assert 'Follow<span class="visually-hidden"> this clause</span>' in page
    assert _follow(bea, "clause", why.id).location == "/clauses/why"
    proposal = propose(charter, users["citizen"], body="We join data to plan schools.")
    db.session.commit()
    [notice] = _notices("bea@example.org")
    assert notice.kind is NoticeKind.NEW_PROPOSAL and notice.proposal_id == proposal.id
    assert _notices("citizen@example.org") == []  # the author is not told of their own
    assert f"New proposal {proposal.id}: Change “Why we join data”" in bea.get(
        "/notifications"
    ).get_data(as_text=True)
    _decide(committee, proposal, "reject", "Schools are out of scope.")
    [decided] = _notices("citizen@example.org")  # the author follows what they wrote
    assert decided.kind is NoticeKind.DECISION
    assert "was rejected: Schools are out of scope." in citizen.get("/notifications").get_data(
        as_text=True
    )
    assert len(_notices("bea@example.org")) == 1  # follows the clause, not the proposal
    assert _notices("committee@example.org") == []


def test_withdrawing_tells_the_proposal_s_followers_but_not_its_author(
    citizen, bea, charter, users
):
    proposal = propose(charter, users["citizen"])
    db.session.commit()
    page = bea.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert 'Follow<span class="visually-hidden"> this proposal</span>' in page
    _follow(bea, "proposal", proposal.id)
    citizen.post(f"/proposals/{proposal.id}/withdraw")
    [notice] = _notices("bea@example.org")
    assert notice.kind is NoticeKind.DECISION and notice.dedup_key.endswith(":withdrawn")
    assert _notices("citizen@example.org") == []


def test_an_official_answer_is_told_once_as_an_answer(citizen, committee, charter):
    _comment(citizen, body="How long exactly?", kind="question")
    question = _latest()
    committee.post(f"/comments/{question.id}/reply", data={"body": "A year.", "official": "y"})
    [notice] = _notices("citizen@example.org")
    assert notice.kind is NoticeKind.ANSWER
    page = citizen.get("/notifications").get_data(as_text=True)
    assert "The committee answered your question “How long exactly?”: “A year.”" in page


def test_an_outcome_on_my_comment_tells_me_with_its_reason(citizen, committee, bea, charter):
    _comment(citizen, body="Which services?")
    thread = _latest()
    _follow(bea, "thread", thread.id)
    committee.post(
        f"/comments/{thread.id}/outcome",
        data={"outcome": "not_taken_up", "reason": "Out of scope."},
    )
    assert [n.kind for n in _notices("citizen@example.org")] == [NoticeKind.OUTCOME]
    assert [n.kind for n in _notices("bea@example.org")] == [NoticeKind.OUTCOME]
    assert _notices("committee@example.org") == []
    mine = citizen.get("/notifications").get_data(as_text=True)
    assert "your comment “Which services?” was not taken up, because: Out of scope." in mine
    theirs = bea.get("/notifications").get_data(as_text=True)
    assert "a comment you follow “Which services?” was not taken up" in theirs


def test_addressed_by_a_proposal_is_told_once_whichever_way_it_comes(
    citizen, committee, charter, users
):
    _comment(citizen, body="Which services?")
    thread = _latest()
    proposal = propose(charter, users["committee"])
    db.session.commit()
    events.comments_addressed.send(proposal, comment_ids=[thread.id])
    events.comments_addressed.send(proposal, comment_ids=[thread.id])  # a job run twice
    db.session.commit()
    committee.post(
        f"/comments/{thread.id}/outcome", data={"outcome": "addressed", "proposal": proposal.id}
    )
    [notice] = _notices("citizen@example.org", NoticeKind.ADDRESSED)
    assert notice.proposal_id == proposal.id
    page = citizen.get("/notifications").get_data(as_text=True)
    assert f"Proposal {proposal.id} changed the words of your comment “Which services?”" in page


def test_candidate_and_version_tell_followers_and_the_comment_addressed_in_it(
    citizen, committee, bea, charter, users
):
    _comment(citizen, body="Which services?", **_selection_of(charter, "why", "plan services"))
    thread = _latest()
    _follow(bea, "charter", charter.id, back="notifications")
    proposal = propose(charter, users["committee"], body="We join data to *plan schools*.")
    db.session.commit()
    _decide(committee, proposal, "accept", "Say which.")
    assert db.session.get(Comment, thread.id).outcome.value == "addressed"
    open_candidate(charter, users["committee"], "Say which services.")
    db.session.commit()
    assert [n.kind for n in _notices("bea@example.org")] == [NoticeKind.CANDIDATE]
    assert NoticeKind.CANDIDATE in {n.kind for n in _notices("citizen@example.org")}
    assert _notices("committee@example.org", NoticeKind.CANDIDATE) == []  # who opened it
    version = publish_working_draft(charter, changelog="Say which services.")
    db.session.commit()
    kinds = [n.kind for n in _notices("citizen@example.org")]
    assert NoticeKind.VERSION in kinds and NoticeKind.ADDRESSED_IN_VERSION in kinds
    assert [n.kind for n in _notices("bea@example.org")] == [
        NoticeKind.CANDIDATE,
        NoticeKind.VERSION,
    ]
    page = citizen.get("/notifications").get_data(as_text=True)
    assert f"Your comment “Which services?” was addressed in version {version.number}" in page
    assert f'href="/versions/{version.number}/outcomes"' in page
    assert f"Version {version.number} was published" in page
    assert "The whole charter" in page


def test_hidden_content_is_never_shown_or_counted(citizen, committee, charter):
    _comment(citizen, body="Which services?")
    thread = _latest()
    committee.post(f"/comments/{thread.id}/reply", data={"body": "Buy cheap watches"})
    reply = _latest()
    assert _new_count(citizen) == 1
    committee.post(f"/comments/{reply.id}/hide", data={"reason": "advertising"})
    assert _new_count(citizen) is None
    page = citizen.get("/notifications").get_data(as_text=True)
    assert "watches" not in page and "Nothing yet" in page


def test_a_hidden_thread_takes_its_notices_with_it(citizen, committee, bea, charter):
    _comment(bea, body="Spam spam")
    thread = _latest()
    _follow(citizen, "thread", thread.id)
    committee.post(f"/comments/{thread.id}/reply", data={"body": "Please keep to the clause."})
    assert _new_count(citizen) == 1
    committee.post(f"/comments/{thread.id}/hide", data={"reason": "spam"})
    assert _new_count(citizen) is None
    assert _follow(citizen, "thread", thread.id).status_code == 404  # nothing to follow


def test_list_is_grouped_by_clause_newest_first_and_marks_read(citizen, committee, charter):
    _comment(citizen, key="why", body="On why")
    why_thread = _latest()
    _comment(citizen, key="how-long", body="On how long")
    long_thread = _latest()
    committee.post(f"/comments/{why_thread.id}/reply", data={"body": "First reply"})
    committee.post(f"/comments/{long_thread.id}/reply", data={"body": "Second reply"})
    committee.post(f"/comments/{why_thread.id}/reply", data={"body": "Third reply"})
    page = citizen.get("/notifications").get_data(as_text=True)
    assert _new_count(citizen) == 3
    # The clause with the newest news first; within it, newest first.
    order = [page.index(s) for s in ("Why we join data", "Third reply", "First reply")]
    assert order == sorted(order)
    assert page.index("First reply") < page.index("How long we keep data")
    assert page.count("tag--new") == 3
    response = citizen.post("/notifications/read")
    assert response.status_code == 302
    assert _new_count(citizen) is None
    page = citizen.get("/notifications").get_data(as_text=True)
    assert "tag--new" not in page and "Third reply" in page
    assert "Mark all as read" not in page


def test_account_page_lists_what_i_follow_and_stops_it_in_one_click(citizen, charter):
    _comment(citizen, body="Which services?")
    page = citizen.get("/account").get_data(as_text=True)
    assert "What you follow" in page
    assert "Clause “Why we join data”" in page
    assert "The comment thread “Which services?”" in page
    response = _follow(citizen, "clause", _why(charter).id, stop=True, back="account")
    assert response.location == "/account"
    page = citizen.get("/account").get_data(as_text=True)
    assert "Clause “Why we join data”" not in page and "“Which services?”" in page


def test_email_choice_is_daily_by_default_and_can_change(citizen, users):
    page = citizen.get("/account").get_data(as_text=True)
    assert re.search(r'value="daily"[^>]*checked|checked[^>]*value="daily"', page)
    response = citizen.post("/notifications/email", data={"email": "at_once"})
    assert response.status_code == 302
    setting = db.session.get(NotificationSetting, users["citizen"].id)
    assert setting.email is EmailChoice.AT_ONCE
    refused = citizen.post("/notifications/email", data={"email": "hourly"}, follow_redirects=True)
    assert "Not a valid choice" in refused.get_data(as_text=True)
    assert db.session.get(NotificationSetting, users["citizen"].id).email is EmailChoice.AT_ONCE


def test_following_something_that_is_not_there_is_refused(citizen, charter):
    assert _follow(citizen, "clause", 9999).status_code == 404
    refused = _follow(citizen, "planet", 1)
    assert refused.status_code == 400
    assert "Choose something that can be followed." in refused.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Follow.id))) == 0


def test_notifications_need_signing_in(anon):
    assert "/accounts/login" in anon.get("/notifications").location


def test_fan_out_takes_the_same_statements_for_many_followers(app, charter, users):
    """Telling 300 followers costs the same number of statements as telling 3."""
    why = _why(charter)

    def followers(n, start):
        for i in range(start, start + n):
            user = create_user(f"f{i}@example.org", f"Follower {i}", PASSWORD)
            db.session.add(Follow(user_id=user.id, kind=FollowKind.CLAUSE, target_id=why.id))
        db.session.commit()

    def statements_for_new_proposal() -> int:
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            propose(charter, users["citizen"])
            db.session.flush()
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        db.session.commit()
        return len(seen)

    followers(3, 0)
    few = statements_for_new_proposal()
    followers(297, 3)
    many = statements_for_new_proposal()
    assert few == many
    assert (
        db.session.scalar(
            db.select(db.func.count(Notification.id)).filter_by(kind=NoticeKind.NEW_PROPOSAL)
        )
        == 3 + 300
    )


def test_the_list_reads_in_the_same_number_of_queries_however_long(
    app, citizen, committee, charter, users
):
    from charter.comments.operations import post_comment, reply

    def news(n):
        for i in range(n):
            clause = get_clause(charter, ("why", "how-long")[i % 2])
            thread = post_comment(users["citizen"], body=f"Thread {i}", clause=clause)
            reply(users["committee"], thread, f"Reply {i}")
            propose(charter, users["committee"], body=f"Words {i}.")
        db.session.commit()

    def queries() -> int:
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert citizen.get("/notifications").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    news(2)
    few = queries()
    news(20)
    assert queries() == few
    assert _new_count(citizen) == 44


def test_the_notifications_page_says_what_its_follow_button_follows(citizen, charter):
    what = "the whole charter (new candidates and versions)"
    page = citizen.get("/notifications").get_data(as_text=True)
    assert f">Follow {what}</button>" in page  # nothing beside it says what it follows
    assert _follow(citizen, "charter", charter.id, back="notifications").status_code == 302
    page = citizen.get("/notifications").get_data(as_text=True)
    assert f"You follow {what}." in page and "Stop following" in page
