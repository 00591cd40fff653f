"""Verified email: the link at registration, what an unconfirmed resident may do, changing it."""

import time

import pytest
from itsdangerous import TimestampSigner

from charter.accounts import tokens
from charter.accounts.operations import find_user
from charter.audit import log_events
from charter.extensions import db
from charter.models import Comment, CommentReport, Proposal, Support
from tests.conftest import PASSWORD, propose, sign_in, without_csrf_tokens
from tests.mailbox import link_in, text_of
from tests.test_proposals import WHY_BODY, _amend

ROBIN = {
    "display_name": "Robin Resident",
    "email": "robin@example.org",
    "password": "a long enough password",
    "confirm": "a long enough password",
}


def _register(client, **fields):
    response = client.post("/accounts/register", data={**ROBIN, **fields})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


@pytest.fixture
def robin(app, mailbox):
    """A resident who registered through the form and signed in, address not yet confirmed."""
    client = app.test_client()
    _register(client)
    assert sign_in(client, ROBIN["email"], ROBIN["password"]).status_code == 302
    return client


def _verify_link(mailbox, to=ROBIN["email"], count=1):
    return link_in(mailbox.wait_for(to, count)[count - 1])


def test_registering_sends_a_plain_text_link_that_confirms_the_address(anon, mailbox):
    _register(anon)
    [message] = mailbox.wait_for("robin@example.org")
    assert message["Subject"] == "Confirm your email address · Citizen Data Charter"
    body = text_of(message)
    assert "Hello Robin Resident," in body
    assert "The link works once, for 3 days." in body
    assert "Citizen Data Charter: http://localhost/" in body
    assert "You are getting this email because you registered an account" in body
    assert not find_user("robin@example.org").email_verified

    page = anon.get(link_in(message))
    assert page.status_code == 200
    assert "Your email address is confirmed" in page.get_data(as_text=True)
    assert find_user("robin@example.org").email_verified

    again = anon.get(link_in(message))  # single use
    assert again.status_code == 400
    assert "This link has been used" in again.get_data(as_text=True)


def test_a_known_address_gets_a_warning_not_a_link_and_the_account_is_untouched(
    anon, users, mailbox
):
    _register(anon, email="Citizen@Example.org")
    [message] = mailbox.wait_for("citizen@example.org")
    body = text_of(message)
    assert "Someone tried to register a new account with it" in body
    assert "already has an account: yours. Nothing was changed." in body
    assert "http://localhost/accounts/login" in body
    assert "http://localhost/accounts/password/forgotten" in body
    assert "/accounts/verify/" not in body
    assert find_user("citizen@example.org").check_password(PASSWORD)


def test_a_tampered_link_is_refused_in_words(anon, mailbox):
    _register(anon)
    link = _verify_link(mailbox)
    response = anon.get(link[:-3] + ("abc" if not link.endswith("abc") else "xyz"))
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This link does not work" in page and "Nothing was changed." in page
    assert not find_user("robin@example.org").email_verified


def _signed_long_ago(monkeypatch, make, *args, age):
    """Sign a link as if it had been made `age` seconds ago."""
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - age)
    token = make(*args)
    monkeypatch.undo()
    return token


def test_an_expired_link_says_so_and_offers_a_new_one(app, robin, monkeypatch):
    user = find_user("robin@example.org")
    with app.test_request_context():
        old = _signed_long_ago(monkeypatch, tokens.verify_token, user, age=3 * 86400 + 60)
        fresh = _signed_long_ago(monkeypatch, tokens.verify_token, user, age=3 * 86400 - 60)
    response = robin.get(f"/accounts/verify/{old}")
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "This link has expired" in page and "Send a new link" in page
    assert not find_user("robin@example.org").email_verified
    assert robin.get(f"/accounts/verify/{fresh}").status_code == 200  # within 3 days


def test_the_banner_offers_the_link_again_and_it_is_rate_limited(robin, mailbox):
    page = robin.get("/clauses/why").get_data(as_text=True)
    assert "Check your email" in page and "robin@example.org" in page
    assert 'action="/accounts/verify/resend"' in page
    mailbox.clear()
    for n in range(1, 6):
        response = robin.post("/accounts/verify/resend", data={"next": "/clauses/why"})
        assert response.status_code == 302 and response.location == "/clauses/why"
        mailbox.wait_for("robin@example.org", n)
    assert robin.post("/accounts/verify/resend").status_code == 429
    robin.get(_verify_link(mailbox, count=5))  # any of the links confirms
    page = robin.get("/clauses/why").get_data(as_text=True)
    assert "Check your email" not in page


def test_a_link_dies_once_the_address_changes(app, robin, mailbox):
    link = _verify_link(mailbox)
    user = find_user("robin@example.org")
    user.email = "robin@elsewhere.example"
    db.session.commit()
    assert "This link has been used" in robin.get(link).get_data(as_text=True)


def test_unconfirmed_resident_can_draft_a_proposal_but_not_send_it_and_loses_nothing(
    robin, charter
):
    words = WHY_BODY.replace("plan services", "plan kinder services")
    preview = _amend(robin, submit=None, preview="Preview", body=words)
    assert preview.status_code == 200  # drafting and previewing are open to everyone
    response = _amend(robin, body=words)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Confirm your email address first" in page
    assert "plan kinder services" in page  # the form comes back as it was sent
    assert "Send the link again" in page
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 0


def test_unconfirmed_resident_cannot_comment_reply_report_or_support(robin, users, charter):
    proposal = propose(charter, users["citizen"])
    from charter.comments.operations import post_comment

    comment = post_comment(users["citizen"], body="First!", clause=proposal.clause)
    db.session.commit()

    response = robin.post(
        "/comments/clauses/why", data={"body": "My careful words", "kind": "comment"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Confirm your email address first" in page
    assert "My careful words" in page

    response = robin.post(f"/comments/{comment.id}/reply", data={"body": "A careful reply"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Confirm your email address first" in page
    assert "A careful reply" in page

    response = robin.post(f"/comments/{comment.id}/report", data={"reason": "Rude words"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Confirm your email address first" in page
    assert "Rude words" in page

    support = robin.post(f"/proposals/{proposal.id}/support", follow_redirects=True)
    assert "Confirm your email address first" in support.get_data(as_text=True)

    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 1
    assert db.session.scalar(db.select(db.func.count(CommentReport.id))) == 0
    assert db.session.scalar(db.select(db.func.count(Support.id))) == 0


def test_once_confirmed_the_same_resident_takes_part(robin, mailbox, charter):
    robin.get(_verify_link(mailbox))
    assert _amend(robin).status_code == 302
    response = robin.post("/comments/clauses/why", data={"body": "Now I can", "kind": "comment"})
    assert response.status_code == 302


# Changing the address


def test_changing_email_needs_the_password_and_a_link_sent_to_the_new_address(
    citizen, users, mailbox
):
    wrong = citizen.post("/accounts/email", data={"email": "new@example.org", "password": "x"})
    assert wrong.status_code == 400
    assert "Your current password is not right." in wrong.get_data(as_text=True)
    response = citizen.post(
        "/accounts/email", data={"email": "New@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    [message] = mailbox.wait_for("new@example.org")
    assert "The link works once, for 1 day." in text_of(message)
    assert find_user("citizen@example.org") is not None  # nothing moves before the link

    page = citizen.get(link_in(message))
    assert page.status_code == 200 and "new@example.org" in page.get_data(as_text=True)
    user = db.session.get(type(users["citizen"]), users["citizen"].id)
    assert user.email == "new@example.org" and user.email_verified
    [notice] = mailbox.wait_for("citizen@example.org")
    body = text_of(notice)
    assert "was changed to:\n\nnew@example.org" in body
    assert "If this was not you" in body

    assert "This link has been used" in citizen.get(link_in(message)).get_data(as_text=True)
    assert sign_in(citizen.application.test_client(), "new@example.org").status_code == 302


def test_moving_to_an_address_with_an_account_looks_the_same_but_mails_its_owner(
    citizen, users, mailbox
):
    taken = citizen.post(
        "/accounts/email",
        data={"email": "committee@example.org", "password": PASSWORD},
        follow_redirects=True,
    )
    free = citizen.post(
        "/accounts/email",
        data={"email": "free@example.org", "password": PASSWORD},
        follow_redirects=True,
    )
    assert taken.status_code == free.status_code == 200
    taken_page, free_page = taken.get_data(as_text=True), free.get_data(as_text=True)
    assert "We have sent a link to committee@example.org" in taken_page
    assert without_csrf_tokens(taken_page.replace("committee@", "free@")) == without_csrf_tokens(
        free_page
    )
    [warning] = mailbox.wait_for("committee@example.org")
    body = text_of(warning)
    assert "change the address of another account to it" in body
    assert "/accounts/email/confirm/" not in body
    mailbox.wait_for("free@example.org")
    assert users["citizen"].email == "citizen@example.org"


def test_an_email_change_link_is_refused_once_the_address_is_taken(citizen, users, mailbox):
    citizen.post("/accounts/email", data={"email": "late@example.org", "password": PASSWORD})
    link = link_in(mailbox.wait_for("late@example.org")[0])
    from charter.accounts.operations import create_user

    create_user("late@example.org", "Late Comer", PASSWORD)
    db.session.commit()
    response = citizen.get(link)
    assert response.status_code == 409
    assert "That address now belongs to another account" in response.get_data(as_text=True)
    assert find_user("citizen@example.org") is not None


# Administrators


def test_admin_sees_counts_and_resends_without_seeing_any_link(admin, users, mailbox, app):
    other = app.test_client()
    _register(other)
    robin = find_user("robin@example.org")
    mailbox.wait_for("robin@example.org")
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "Email address not yet confirmed: 1." in page
    assert "Deleted by their owners: 0." in page
    assert "/accounts/verify/" not in page and "password_hash" not in page
    assert f'action="/admin/users/{robin.id}/resend-verification' in page

    response = admin.post(f"/admin/users/{robin.id}/resend-verification")
    assert response.status_code == 302
    page = admin.get(response.location).get_data(as_text=True)
    assert "The link to confirm their address was sent again to Robin Resident." in page
    assert "/accounts/verify/" not in page
    mailbox.wait_for("robin@example.org", 2)
    [event] = [e for e in log_events() if e.action == "account.verification_resent"]
    assert event.object_id == robin.id and "robin@example.org" not in event.summary

    # A confirmed account has nothing to resend.
    admin.post(f"/admin/users/{users['citizen'].id}/resend-verification")
    assert mailbox.messages("citizen@example.org") == []


def test_only_admins_resend(citizen, committee, users):
    target = users["committee"].id
    assert citizen.post(f"/admin/users/{target}/resend-verification").status_code == 403
    assert committee.post(f"/admin/users/{target}/resend-verification").status_code == 403


def test_with_redis_the_worker_sends_the_registration_mail(anon, mailbox, queue):
    from charter.jobs import work

    _register(anon)
    assert mailbox.messages() == []  # queued, not sent by the request
    work(burst=True)
    [message] = mailbox.wait_for("robin@example.org")
    assert anon.get(link_in(message)).status_code == 200
    assert find_user("robin@example.org").email_verified


def test_no_link_gives_away_the_address_or_anything_about_the_password(app, users):
    """A link may end up in a proxy's log: its readable part holds only an id and digests."""
    import base64
    import json

    user = users["citizen"]
    made = {
        "verify": tokens.verify_token(user),
        "reset": tokens.reset_token(user),
        "change": tokens.email_change_token(user, "new-home@example.org"),
    }
    for name, token in made.items():
        part = token.split(".")[0]
        payload = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
        readable = json.dumps(payload)
        assert user.email not in readable, name
        for piece in user.password_hash.split("$"):
            assert piece not in readable, name
    assert set(payload) == {"u", "s", "new"}  # the new address is where the mail goes anyway
    assert tokens.check_reset_token(made["reset"]) is user
    user.set_password("a different pass phrase")
    with pytest.raises(tokens.LinkRefused):
        tokens.check_reset_token(made["reset"])
