"""Consultation windows: the committee opens the draft or a clause for comment until a deadline."""

from datetime import UTC, timedelta

import pytest

from charter.clauses.queries import get_clause
from charter.comments.operations import CommentError, post_comment
from charter.consultations import operations as consulting
from charter.consultations.queries import is_open_for, window_for
from charter.extensions import db
from charter.models import AuditEvent, CommentKind, ConsultationWindow, utcnow
from charter.proposals.operations import ProposalError
from tests.conftest import propose

CLOCK_MODULES = (
    "charter.consultations.queries",
    "charter.consultations.operations",
    "charter.consultations.context",
)


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves: every consultation rule reads the time from it."""

    class Clock:
        now = utcnow()

        def set(self, moment):
            self.now = moment

        def advance(self, **delta):
            self.now = self.now + timedelta(**delta)

    c = Clock()
    for module in CLOCK_MODULES:
        monkeypatch.setattr(f"{module}.utcnow", lambda: c.now)
    return c


def _open(charter, users, clause=None, hours=24, note=""):
    window = consulting.open_window(
        charter,
        users["committee"],
        clause=clause,
        closes_at=utcnow() + timedelta(hours=hours),
        note=note,
    )
    db.session.commit()
    return window


def _form(on, time="17:00", scope="draft", note=""):
    return {"scope": scope, "closes_on": on, "closes_time": time, "note": note}


def test_a_committee_member_opens_the_whole_draft_and_it_is_logged(committee, charter, users):
    on = (utcnow() + timedelta(days=30)).date().isoformat()
    response = committee.post(
        "/committee/consultations", data=_form(on, note="Tell us about retention.")
    )
    assert response.status_code == 302
    window = db.session.scalar(db.select(ConsultationWindow))
    assert window.clause_id is None and window.note == "Tell us about retention."
    # 17:00 in London is 17:00 UTC in winter and 16:00 UTC in summer.
    assert window.closes_at.astimezone(UTC).hour in (16, 17)
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="consultation.opened"))
    assert "whole working draft opened for comment until" in event.summary
    page = committee.get("/committee/").get_data(as_text=True)
    assert "Extend this window" in page and "Close this window now" in page


@pytest.mark.parametrize(
    "on, time, message",
    [
        ("2020-01-01", "17:00", "The closing time must be in the future"),
        ("next tuesday", "17:00", "Enter the closing date as day, month and year"),
        ("2027-02-30", "17:00", "Enter the closing date as day, month and year"),
        ("2027-03-12", "5pm", "Enter the closing time in 24-hour form"),
        ("2099-01-01", "17:00", "at most a year"),
        ("", "17:00", "Enter the date the window closes"),
    ],
)
def test_a_bad_deadline_is_refused_in_words_and_the_form_comes_back(
    committee, charter, on, time, message
):
    response = committee.post("/committee/consultations", data=_form(on, time, note="Kept note"))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert "Kept note" in html
    assert db.session.scalar(db.select(ConsultationWindow)) is None


def test_a_time_the_clocks_skip_is_refused():
    with pytest.raises(consulting.WindowError, match="clocks go forward"):
        consulting.parse_deadline("2027-03-28", "01:30")


def test_an_unknown_clause_is_refused_in_words(committee, charter):
    on = (utcnow() + timedelta(days=3)).date().isoformat()
    response = committee.post("/committee/consultations", data=_form(on, scope="nope"))
    assert response.status_code == 400
    assert "Choose the whole working draft or one of its clauses" in response.get_data(as_text=True)


def test_only_committee_members_open_extend_or_close_windows(citizen, admin, charter, users):
    window = _open(charter, users)
    on = (utcnow() + timedelta(days=3)).date().isoformat()
    for client in (citizen,):
        assert client.post("/committee/consultations", data=_form(on)).status_code == 403
        assert client.post(f"/committee/consultations/{window.id}/close").status_code == 403
        assert (
            client.post(
                f"/committee/consultations/{window.id}/extend",
                data={
                    f"window-{window.id}-closes_on": on,
                    f"window-{window.id}-closes_time": "17:00",
                },
            ).status_code
            == 403
        )
    assert db.session.get(ConsultationWindow, window.id).closed_early_at is None


def test_the_banner_shows_what_is_open_and_how_long_is_left_on_every_page(anon, charter, users):
    assert "Open for comment:" not in anon.get("/").get_data(as_text=True)
    _open(charter, users, hours=24 * 9 + 1)
    for path in ("/", "/draft", "/proposals/", "/versions/", "/clauses/why"):
        html = anon.get(path).get_data(as_text=True)
        assert "Open for comment:" in html, path
        assert "the whole working draft</a>, until" in html
        assert "(9 days left)" in html
    home = anon.get("/").get_data(as_text=True)
    assert "Open for comment now:" in home  # the invitation on the home page


def test_the_published_home_page_cache_shows_a_new_window(anon, record, users):
    assert "Open for comment:" not in anon.get("/").get_data(as_text=True)
    _open(record, users, clause=get_clause(record, "how-long"))
    html = anon.get("/").get_data(as_text=True)
    assert "Open for comment:" in html and "/clauses/how-long" in html


def test_after_the_deadline_the_forms_close_with_a_clear_message(citizen, charter, users, clock):
    clause = get_clause(charter, "why")
    question = post_comment(
        users["citizen"], body="How long?", clause=clause, kind=CommentKind.QUESTION
    )
    db.session.commit()
    window = _open(charter, users, hours=2)
    page = citizen.get("/clauses/why").get_data(as_text=True)
    assert 'id="comment-form"' in page and "Open for comment until" in page

    clock.advance(hours=3)
    closed = "Comments on this clause closed on "
    page = citizen.get("/clauses/why").get_data(as_text=True)
    assert 'id="comment-form"' not in page
    assert closed in page and "You can still read everything" in page
    reply_page = citizen.get(f"/comments/{question.id}/reply").get_data(as_text=True)
    assert "<textarea" not in reply_page and closed in reply_page
    proposal_page = citizen.get("/proposals/new?kind=amend&clause=why").get_data(as_text=True)
    assert "Proposals on this clause closed on" in proposal_page
    assert 'class="proposal-form"' not in proposal_page
    new_clause = citizen.get("/proposals/new?kind=add").get_data(as_text=True)
    assert "Proposals on the working draft closed on" in new_clause
    assert window_for(charter, clause).closed_on == window.closes_at


def test_a_deadline_passing_between_the_page_and_the_post_refuses_and_keeps_the_words(
    citizen, charter, users, clock
):
    window = _open(charter, users, hours=1)
    clause = get_clause(charter, "why")
    question = post_comment(
        users["citizen"], body="How long?", clause=clause, kind=CommentKind.QUESTION
    )
    db.session.commit()
    assert 'id="comment-form"' in citizen.get("/clauses/why").get_data(as_text=True)
    clock.set(window.closes_at)  # the very moment it closes: closed

    response = citizen.post(
        "/comments/clauses/why", data={"body": "My careful words", "kind": "comment"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Comments on this clause closed on" in html and "My careful words" in html

    response = citizen.post(f"/comments/{question.id}/reply", data={"body": "Reply words"})
    assert response.status_code == 400
    assert "closed on" in response.get_data(as_text=True)
    assert "Reply words" in response.get_data(as_text=True)

    response = citizen.post(
        "/proposals/new?kind=amend&clause=why",
        data={
            "heading": "Why we join data",
            "body": "New words kept.",
            "rationale": "Because.",
            "submit": "y",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Proposals on this clause closed on" in html and "New words kept." in html
    with pytest.raises(ProposalError, match="closed on"):
        propose(charter, users["citizen"])
    with pytest.raises(CommentError, match="closed on"):
        post_comment(users["citizen"], body="x", clause=clause)


def test_committee_answers_and_outcomes_still_work_after_the_deadline(
    committee, charter, users, clock
):
    clause = get_clause(charter, "why")
    question = post_comment(
        users["citizen"], body="How long?", clause=clause, kind=CommentKind.QUESTION
    )
    comment = post_comment(users["citizen"], body="Too vague.", clause=clause)
    db.session.commit()
    _open(charter, users, hours=1)
    clock.advance(hours=2)
    page = committee.get(f"/comments/{question.id}/reply").get_data(as_text=True)
    assert "You can still post an official answer" in page
    response = committee.post(
        f"/comments/{question.id}/reply", data={"body": "Twelve months.", "official": "y"}
    )
    assert response.status_code == 302
    response = committee.post(
        f"/comments/{comment.id}/outcome",
        data={"outcome": "taken_into_account", "reason": "Noted."},
    )
    assert response.status_code == 302
    # An ordinary reply from a committee member is a comment like any other: closed.
    response = committee.post(f"/comments/{question.id}/reply", data={"body": "Chatting."})
    assert response.status_code == 400


def test_a_clause_window_opens_one_clause_and_leaves_the_rest_as_before(charter, users, clock):
    why, how_long = get_clause(charter, "why"), get_clause(charter, "how-long")
    _open(charter, users, clause=why, hours=1)
    assert is_open_for(charter, why) and is_open_for(charter, how_long)
    clock.advance(hours=2)
    assert not is_open_for(charter, why)
    assert is_open_for(charter, how_long)  # never had a window: as before
    assert is_open_for(charter, None)


def test_a_draft_window_covers_every_clause_and_a_clause_can_reopen_after_it(charter, users, clock):
    why, how_long = get_clause(charter, "why"), get_clause(charter, "how-long")
    _open(charter, users, hours=1)
    clock.advance(hours=2)
    assert not any(is_open_for(charter, c) for c in (why, how_long, None))
    consulting.open_window(
        charter, users["committee"], clause=why, closes_at=clock.now + timedelta(days=1)
    )
    db.session.commit()
    assert is_open_for(charter, why)
    assert not is_open_for(charter, how_long) and not is_open_for(charter, None)


def test_the_admin_switch_is_the_master_switch(charter, users, clock):
    _open(charter, users, hours=1)
    clock.advance(hours=2)
    _open(charter, users, hours=5)  # an earlier window ended; this one runs
    why = get_clause(charter, "why")
    assert is_open_for(charter, why)
    charter.consultation_open = False
    db.session.commit()
    assert not is_open_for(charter, why)
    assert window_for(charter, why).refusal() == (
        "Comments on this clause are closed just now. You can still read everything and follow "
        "what happens next."
    )


def test_extend_and_close_early_are_logged_and_checked(committee, charter, users, clock):
    window = _open(charter, users, hours=2)
    prefix = f"window-{window.id}-"
    response = committee.post(
        f"/committee/consultations/{window.id}/extend",
        data={prefix + "closes_on": "2020-01-01", prefix + "closes_time": "10:00"},
    )
    assert response.status_code == 400
    assert "choose a time after its current deadline" in response.get_data(as_text=True)
    later = (utcnow() + timedelta(days=10)).date().isoformat()
    response = committee.post(
        f"/committee/consultations/{window.id}/extend",
        data={prefix + "closes_on": later, prefix + "closes_time": "12:00"},
    )
    assert response.status_code == 302
    db.session.refresh(window)
    assert window.closes_at > utcnow() + timedelta(days=8)
    assert committee.post(f"/committee/consultations/{window.id}/close").status_code == 302
    db.session.refresh(window)
    assert window.closed_early_at is not None
    assert not is_open_for(charter, get_clause(charter, "why"))
    actions = set(db.session.scalars(db.select(AuditEvent.action)))
    assert {"consultation.opened", "consultation.extended", "consultation.closed"} <= actions
    # A closed window cannot be closed again or extended.
    response = committee.post(f"/committee/consultations/{window.id}/close", follow_redirects=True)
    assert "closed on" in response.get_data(as_text=True)


def test_a_scope_cannot_have_two_windows_running(charter, users):
    _open(charter, users)
    with pytest.raises(consulting.WindowError, match="already open until"):
        _open(charter, users)


def test_the_public_list_and_the_api_show_every_window(anon, charter, users):
    window = _open(charter, users, clause=get_clause(charter, "why"), note="Retention")
    html = anon.get("/consultations/").get_data(as_text=True)
    assert "How it works" in html and "Retention" in html
    data = anon.get("/api/v1/consultations").get_json()
    (found,) = data["windows"]
    assert found["scope"] == {"clause": "why"}
    assert found["open"] is True
    assert found["closes_at"] == window.closes_at.astimezone(UTC).isoformat().replace("+00:00", "Z")
    assert found["note"] == "Retention"


def test_the_outcomes_page_lists_the_windows_of_the_version(anon, charter, users, clock):
    from charter.versions.operations import publish_working_draft

    window = _open(charter, users, hours=1)
    clock.advance(hours=2)
    publish_working_draft(charter, changelog="First.")
    db.session.commit()
    html = anon.get("/versions/1/outcomes").get_data(as_text=True)
    assert "When residents could have their say" in html
    assert "The whole working draft: open from" in html
    data = anon.get("/api/v1/versions/1/outcomes").get_json()
    (found,) = data["consultation_windows"]
    assert found["id"] == window.id and found["scope"] == {"clause": None}


def test_without_any_window_everything_behaves_as_before(charter, users):
    why = get_clause(charter, "why")
    charter.consultation_open = False
    db.session.commit()
    post_comment(users["citizen"], body="Still welcome.", clause=why)  # as before: no refusal
    with pytest.raises(ProposalError, match="The consultation is closed"):
        propose(charter, users["citizen"])


def test_comments_on_a_proposal_close_with_its_clause(citizen, charter, users, clock):
    proposal = propose(charter, users["citizen"])
    db.session.commit()
    _open(charter, users, clause=get_clause(charter, "why"), hours=1)
    clock.advance(hours=2)
    page = citizen.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert 'id="comment-form"' not in page and "closed on" in page
    response = citizen.post(
        f"/comments/proposals/{proposal.id}", data={"body": "Late words", "kind": "comment"}
    )
    assert response.status_code == 400
    assert "Late words" in response.get_data(as_text=True)
