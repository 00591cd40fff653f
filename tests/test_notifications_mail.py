"""Notification mail through the in-process SMTP server: at once, daily digests, unsubscribing."""

import re
import time
from urllib.parse import urlsplit

import pytest

from charter.accounts.operations import create_user
from charter.extensions import db
from charter.models import EmailChoice, Notification, NotificationSetting, User, utcnow
from tests.conftest import PASSWORD, sign_in
from tests.mailbox import text_of
from tests.test_comments import _comment, _latest

CITIZEN = "citizen@example.org"


def _digests(runner) -> str:
    result = runner.invoke(args=["charter", "send-digests"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    return result.output


def _choose(client, choice: str) -> None:
    assert client.post("/notifications/email", data={"email": choice}).status_code == 302


def _unsubscribe_path(message) -> str:
    header = str(message["List-Unsubscribe"]).strip()
    found = re.fullmatch(r"<(http://localhost/notifications/unsubscribe/[^>]+)>", header)
    assert found, header
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Stop these emails in one click: {found.group(1)}" in text_of(message)
    return urlsplit(found.group(1)).path


def _thread_with_replies(citizen, committee, key, body, *replies):
    _comment(citizen, key=key, body=body)
    thread = _latest()
    for reply in replies:
        committee.post(f"/comments/{thread.id}/reply", data={"body": reply})
    return thread


def test_at_once_sends_one_mail_per_notice_after_the_reply(
    citizen, committee, charter, mailbox, runner
):
    _choose(citizen, "at_once")
    thread = _thread_with_replies(citizen, committee, "why", "Which services?", "Schools.")
    [message] = mailbox.wait_for(CITIZEN)
    body = text_of(message)
    assert message["Subject"] == "Something you follow has news · Citizen Data Charter"
    assert "Committee member Person replied to your comment “Which services?”: “Schools.”" in body
    assert f"http://localhost/comments/{thread.id}#comment-{thread.id + 1}" in body
    _unsubscribe_path(message)
    assert "Sent 0 digest(s)" in _digests(runner)  # already mailed: the digest repeats nothing
    assert len(mailbox.messages(CITIZEN)) == 1
    assert mailbox.messages("committee@example.org") == []


def test_digest_groups_by_clause_newest_first_and_a_second_run_sends_nothing(
    citizen, committee, charter, mailbox, runner
):
    _thread_with_replies(citizen, committee, "why", "On why", "First reply")
    _thread_with_replies(citizen, committee, "how-long", "On how long", "Second reply")
    why = db.session.scalar(db.select(Notification).order_by(Notification.id)).thread_id
    committee.post(f"/comments/{why}/reply", data={"body": "Third reply"})
    assert mailbox.messages(CITIZEN) == []  # daily by default: nothing at once
    assert "Sent 1 digest(s) holding 3 notification(s)." in _digests(runner)
    [message] = mailbox.wait_for(CITIZEN)
    assert message["Subject"] == "3 new notifications · Citizen Data Charter"
    body = text_of(message)
    order = [
        body.index(s)
        for s in (
            "Why we join data",
            "Third reply",
            "First reply",
            "How long we keep data",
            "Second reply",
        )
    ]
    assert order == sorted(order)
    assert "All your notifications: http://localhost/notifications" in body
    _unsubscribe_path(message)
    # Run again, and concurrently in effect: everything was claimed, so nothing new is sent.
    assert "Sent 0 digest(s)" in _digests(runner)
    committee.post(f"/comments/{why}/reply", data={"body": "Fourth reply"})
    _digests(runner)
    first, second = mailbox.wait_for(CITIZEN, 2)
    assert "Fourth reply" in text_of(second)
    assert "First reply" not in text_of(second) and "Third reply" not in text_of(second)
    assert "1 new notification about" in text_of(second)


def test_a_comment_hidden_before_the_digest_is_never_mailed(
    citizen, committee, charter, mailbox, runner
):
    thread = _thread_with_replies(citizen, committee, "why", "On why", "Buy cheap watches")
    spam = _latest()
    committee.post(f"/comments/{thread.id}/reply", data={"body": "A fair point."})
    committee.post(f"/comments/{spam.id}/hide", data={"reason": "advertising"})
    _digests(runner)
    [message] = mailbox.wait_for(CITIZEN)
    assert "watches" not in text_of(message) and "A fair point." in text_of(message)
    committee.post(f"/comments/{spam.id}/restore")  # shown again: still never mailed late
    _digests(runner)
    assert len(mailbox.messages(CITIZEN)) == 1


def test_only_hidden_news_sends_no_digest_at_all(citizen, committee, charter, mailbox, runner):
    _thread_with_replies(citizen, committee, "why", "On why", "Buy cheap watches")
    committee.post(f"/comments/{_latest().id}/hide", data={"reason": "advertising"})
    assert "Sent 0 digest(s)" in _digests(runner)
    assert mailbox.messages(CITIZEN) == []


def test_unsubscribe_link_asks_then_stops_the_mail(
    app, citizen, committee, anon, charter, mailbox, runner, users
):
    _thread_with_replies(citizen, committee, "why", "On why", "First reply")
    _digests(runner)
    [message] = mailbox.wait_for(CITIZEN)
    path = _unsubscribe_path(message)
    page = anon.get(path)
    assert page.status_code == 200
    assert "Stop all emails about what you follow?" in page.get_data(as_text=True)
    assert db.session.get(NotificationSetting, users["citizen"].id) is None  # GET changes nothing
    done = anon.post(path)
    assert done.status_code == 200 and "Done" in done.get_data(as_text=True)
    assert db.session.get(NotificationSetting, users["citizen"].id).email is EmailChoice.NEVER
    committee.post(f"/comments/{_latest().parent_id}/reply", data={"body": "Second reply"})
    _digests(runner)
    assert len(mailbox.messages(CITIZEN)) == 1
    # The notices still show on the site.
    assert "Second reply" in citizen.get("/notifications").get_data(as_text=True)


def test_one_click_unsubscribe_posts_without_a_form_token(
    app, citizen, committee, charter, mailbox, users
):
    _choose(citizen, "at_once")
    _thread_with_replies(citizen, committee, "why", "On why", "First reply")
    [message] = mailbox.wait_for(CITIZEN)
    mail_program = app.test_client()
    response = mail_program.post(
        _unsubscribe_path(message),
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
        csrf=False,
    )
    assert response.status_code == 200
    assert db.session.get(NotificationSetting, users["citizen"].id).email is EmailChoice.NEVER
    committee.post(f"/comments/{_latest().parent_id}/reply", data={"body": "Second reply"})
    assert len(mailbox.messages(CITIZEN)) == 1


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_unsubscribe_link_is_refused(
    app, citizen, committee, charter, mailbox, users, method
):
    _choose(citizen, "at_once")
    _thread_with_replies(citizen, committee, "why", "On why", "First reply")
    [message] = mailbox.wait_for(CITIZEN)
    path = _unsubscribe_path(message)
    token = path.rsplit("/", 1)[1]
    signature = token.split(".", 1)[1]
    # Another account's id under this account's signature: refused.
    forged = f"/notifications/unsubscribe/eyJ1IjoyfQ.{signature}"
    for bad in (forged, path[:-2], path + "x"):
        client = app.test_client()
        response = getattr(client, method)(bad, **({"csrf": False} if method == "post" else {}))
        assert response.status_code == 400
        assert "This link does not work" in response.get_data(as_text=True)
    assert db.session.get(NotificationSetting, users["citizen"].id).email is EmailChoice.AT_ONCE
    assert db.session.get(NotificationSetting, users["committee"].id) is None


def test_no_mail_to_an_unconfirmed_address_or_a_deleted_account(
    app, citizen, committee, charter, mailbox, runner, users
):
    # Both take part while they can, then one's address is unconfirmed and one leaves.
    create_user("una@example.org", "Una Unconfirmed", PASSWORD)
    create_user("dee@example.org", "Dee Departed", PASSWORD)
    db.session.commit()
    clients = {}
    for email in ("una@example.org", "dee@example.org"):
        clients[email] = app.test_client()
        sign_in(clients[email], email)
        _comment(clients[email], body=f"Comment by {email}")
        committee.post(f"/comments/{_latest().id}/reply", data={"body": "Thanks."})
    una = db.session.scalar(db.select(User).filter_by(email="una@example.org"))
    dee = db.session.scalar(db.select(User).filter_by(email="dee@example.org"))
    una.email_verified_at = None
    dee.deleted_at = utcnow()
    db.session.commit()
    _digests(runner)
    assert mailbox.messages("una@example.org") == []
    assert mailbox.messages("dee@example.org") == []


def test_two_digest_runs_at_once_mail_each_notice_once(app, citizen, committee, charter, mailbox):
    """The second run waits on the rows the first claimed, then finds nothing left to send."""
    import threading

    from charter.notifications.mailing import send_digest
    from tests.test_concurrency import WAIT, _waiting_for_a_lock

    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        pytest.skip("needs concurrent transactions: set DATABASE_URL to a PostgreSQL database")
    _thread_with_replies(citizen, committee, "why", "On why", "First reply", "Second reply")
    user_id = db.session.scalar(db.select(User.id).filter_by(email=CITIZEN))
    claimed, go = threading.Event(), threading.Event()
    sent: dict[str, int] = {}

    def run(name, hold):
        with app.app_context():
            sent[name] = send_digest(user_id)
            if hold:
                claimed.set()
                assert go.wait(WAIT)
            db.session.commit()
            db.session.remove()

    first = threading.Thread(target=run, args=("first", True))
    first.start()
    assert claimed.wait(WAIT)
    second = threading.Thread(target=run, args=("second", False))
    second.start()
    deadline = time.monotonic() + WAIT
    while second.is_alive() and not _waiting_for_a_lock():
        assert time.monotonic() < deadline, "the second run neither finished nor waited"
        time.sleep(0.01)
    go.set()
    first.join(WAIT)
    second.join(WAIT)
    assert sent == {"first": 2, "second": 0}
    mailbox.wait_for(CITIZEN)
    time.sleep(0.2)
    assert len(mailbox.messages(CITIZEN)) == 1


def test_unsubscribe_and_notification_pages_are_valid_html(
    app, citizen, committee, anon, charter, mailbox, tmp_path
):
    """Pages the every-page checks cannot reach with content: a real link, a full list."""
    import json
    import subprocess

    from tests.test_html_valid import _checker

    checker = _checker()
    _choose(citizen, "at_once")
    _thread_with_replies(citizen, committee, "why", "On why", "First reply")
    [message] = mailbox.wait_for(CITIZEN)
    path = _unsubscribe_path(message)
    pages = {
        "confirm": anon.get(path),
        "list": citizen.get("/notifications"),
        "account": citizen.get("/account"),
        "thread": citizen.get(f"/comments/{_latest().parent_id}"),
        "done": anon.post(path, csrf=False),
    }
    folder = tmp_path / "pages"
    folder.mkdir()
    for name, response in pages.items():
        assert response.status_code == 200, name
        (folder / f"{name}.html").write_bytes(response.data)
    run = subprocess.run([*checker, str(folder)], capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert errors == []


def test_with_redis_the_worker_sends_the_at_once_mail(
    app, citizen, committee, charter, mailbox, queue
):
    from charter.jobs import work

    _choose(citizen, "at_once")
    _thread_with_replies(citizen, committee, "why", "On why", "First reply")
    assert mailbox.messages(CITIZEN) == []  # queued by the reply, not sent by it
    work(burst=True)
    [message] = mailbox.wait_for(CITIZEN)
    assert "“First reply”" in text_of(message)


def test_news_from_a_background_job_is_mailed_with_the_site_s_links(
    app, citizen, committee, charter, mailbox, users
):
    """comments_addressed is sent by a job, outside any request: the mail still links home."""
    from charter import events
    from tests.conftest import propose

    _choose(citizen, "at_once")
    _comment(citizen, body="Which services?")
    thread = _latest()
    proposal = propose(charter, users["committee"])
    db.session.commit()
    mailbox.wait_for(CITIZEN)  # the new proposal on the clause the citizen follows
    events.comments_addressed.send(proposal, comment_ids=[thread.id])
    db.session.commit()
    message = mailbox.wait_for(CITIZEN, 2)[1]
    body = text_of(message)
    assert f"Proposal {proposal.id} changed the words of your comment “Which services?”" in body
    assert f"http://localhost/comments/{thread.id}#comment-{thread.id}" in body
    _unsubscribe_path(message)
