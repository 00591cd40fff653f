"""Forgotten passwords: a single-use link that tells nobody who has an account."""

import statistics
import time

from itsdangerous import TimestampSigner

from charter.accounts import links, tokens
from charter.accounts.operations import find_user
from charter.extensions import db
from tests.conftest import PASSWORD, sign_in, without_csrf_tokens
from tests.mailbox import link_in, text_of

NEW_PASSWORD = "marmalade lighthouse tuesday"


def _forgotten(client, email):
    return client.post("/accounts/password/forgotten", data={"email": email})


def _reset_link(client, mailbox, email="citizen@example.org"):
    assert _forgotten(client, email).status_code == 302
    return link_in(mailbox.wait_for(email)[0])


def test_the_sign_in_page_links_to_a_form_that_asks_only_for_the_email(anon):
    login = anon.get("/accounts/login").get_data(as_text=True)
    assert '<a href="/accounts/password/forgotten">Forgotten your password?</a>' in login
    page = anon.get("/accounts/password/forgotten").get_data(as_text=True)
    assert 'autocomplete="email"' in page and 'type="password"' not in page
    refused = anon.post("/accounts/password/forgotten", data={"email": "nope"})
    assert refused.status_code == 400
    assert "Enter an email address like name@example.org." in refused.get_data(as_text=True)


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(anon, users, mailbox):
    known = anon.post(
        "/accounts/password/forgotten",
        data={"email": "citizen@example.org"},
        follow_redirects=True,
    )
    unknown = anon.post(
        "/accounts/password/forgotten",
        data={"email": "nobody@example.org"},
        follow_redirects=True,
    )
    assert known.status_code == unknown.status_code == 200
    page = known.get_data(as_text=True)
    assert "If an account uses that address, we have sent a link" in page
    assert without_csrf_tokens(page) == without_csrf_tokens(unknown.get_data(as_text=True))
    [message] = mailbox.wait_for("citizen@example.org")
    assert message["Subject"] == "Set a new password · Citizen Data Charter"
    body = text_of(message)
    assert "The link works once, for 1 hour." in body
    assert "If you did not ask for this, ignore this email" in body
    assert "You are getting this email because someone asked to reset the password" in body
    time.sleep(0.2)
    assert mailbox.messages("nobody@example.org") == []


def test_a_deactivated_account_gets_no_link(anon, users, mailbox):
    users["citizen"].active = False
    db.session.commit()
    assert _forgotten(anon, "citizen@example.org").status_code == 302
    time.sleep(0.2)
    assert mailbox.messages("citizen@example.org") == []


def test_resetting_ends_every_sign_in_signs_in_afresh_and_confirms_by_mail(
    app, anon, citizen, users, mailbox
):
    elsewhere = app.test_client()
    assert sign_in(elsewhere, "citizen@example.org").status_code == 302
    link = _reset_link(anon, mailbox)
    form = anon.get(link)
    assert form.status_code == 200
    assert "citizen@example.org" in form.get_data(as_text=True)

    weak = anon.post(link, data={"password": "password123", "confirm": "password123"})
    assert weak.status_code == 400
    assert "Choose a password that is harder to guess." in weak.get_data(as_text=True)
    mismatch = anon.post(link, data={"password": NEW_PASSWORD, "confirm": "other"})
    assert "The two new passwords are not the same." in mismatch.get_data(as_text=True)

    done = anon.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.status_code == 302
    assert "Sign out" in anon.get("/").get_data(as_text=True)  # signed in afresh here
    for other in (citizen, elsewhere):  # every other sign-in has ended
        assert "Sign out" not in other.get("/").get_data(as_text=True)
    assert find_user("citizen@example.org").check_password(NEW_PASSWORD)
    [_, confirmation] = mailbox.wait_for("citizen@example.org", 2)
    assert "was just changed" in text_of(confirmation)

    used = anon.get(link)  # the password changed, so the link is dead
    assert used.status_code == 400
    assert "This link has been used" in used.get_data(as_text=True)
    again = anon.post(link, data={"password": "another fine password", "confirm": "x"})
    assert again.status_code == 400
    assert find_user("citizen@example.org").check_password(NEW_PASSWORD)


def test_a_link_dies_when_the_password_changes_another_way(anon, citizen, mailbox):
    link = _reset_link(anon, mailbox)
    citizen.post(
        "/accounts/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert "This link has been used" in anon.get(link).get_data(as_text=True)
    [_, changed] = mailbox.wait_for("citizen@example.org", 2)
    assert "If it was not you, set a new password at once" in text_of(changed)


def test_an_expired_or_tampered_link_is_refused_with_what_to_do(app, anon, users, monkeypatch):
    user = users["citizen"]
    with app.test_request_context():
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) - 3660)
        old = tokens.reset_token(user)
        monkeypatch.undo()
        fresh = tokens.reset_token(user)
    expired = anon.get(f"/accounts/password/reset/{old}")
    assert expired.status_code == 400
    page = expired.get_data(as_text=True)
    assert "This link has expired" in page
    assert 'href="/accounts/password/forgotten">Ask for a new link' in page
    posted = anon.post(
        f"/accounts/password/reset/{old}",
        data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert posted.status_code == 400 and users["citizen"].check_password(PASSWORD)

    tampered = anon.get(f"/accounts/password/reset/{fresh[:-2]}xx")
    assert "This link does not work" in tampered.get_data(as_text=True)
    # A verification link is not a reset link, though both are signed with the same key.
    with app.test_request_context():
        verify = tokens.verify_token(user)
    assert anon.get(f"/accounts/password/reset/{verify}").status_code == 400


def test_the_request_does_the_same_work_either_way_and_never_waits_on_smtp(
    app, anon, users, mailbox, queue, monkeypatch
):
    """Structurally: one token signed, the mail rendered, one job queued, for both addresses."""
    from charter import jobs

    deferred, rendered = [], []
    monkeypatch.setattr(jobs, "defer", lambda job, *args: deferred.append(job.__name__))
    real_render = links.render_template
    monkeypatch.setattr(
        "charter.mail.render_template",
        lambda t, /, **c: rendered.append(t) or real_render(t, **c),
    )
    monkeypatch.setattr(
        links, "render_template", lambda t, /, **c: rendered.append(t) or real_render(t, **c)
    )
    _forgotten(anon, "citizen@example.org")
    known = (list(deferred), [r for r in rendered if r.endswith(".txt")])
    deferred.clear(), rendered.clear()
    _forgotten(anon, "nobody@example.org")
    unknown = (list(deferred), [r for r in rendered if r.endswith(".txt")])
    assert known == (["deliver"], ["mail/password_reset.txt"])
    assert unknown == (["_nothing_to_send"], ["mail/password_reset.txt"])


def test_the_time_taken_does_not_tell_who_has_an_account(app, anon, users, mailbox, queue):
    """Loosely: with the mail queued, medians of 20 requests each way are within half."""

    from charter.extensions import limiter

    def timed(email):
        start = time.perf_counter()
        response = anon.post("/accounts/password/forgotten", data={"email": email}, csrf=False)
        assert response.status_code == 302
        return time.perf_counter() - start

    app.config["WTF_CSRF_ENABLED"] = False  # no token fetched inside the timing
    limiter.enabled = False  # 45 requests for one address would otherwise be refused
    try:
        for _ in range(5):  # warm up both paths
            timed("citizen@example.org"), timed("nobody@example.org")
        # Taken in turn, so a busy machine slows both alike.
        pairs = [(timed("citizen@example.org"), timed("nobody@example.org")) for _ in range(20)]
    finally:
        limiter.enabled = True
    known = statistics.median(k for k, _ in pairs)
    unknown = statistics.median(u for _, u in pairs)
    assert max(known, unknown) / min(known, unknown) < 1.5, (known, unknown)
    assert mailbox.messages() == []  # none sent by the requests: they wait on the queue


def test_asking_too_often_for_one_address_is_limited(anon, users, mailbox):
    for _ in range(5):
        assert _forgotten(anon, "citizen@example.org").status_code == 302
    refused = _forgotten(anon, "citizen@example.org")
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "Too many attempts" in page and 'value="citizen@example.org"' in page
    assert _forgotten(anon, "committee@example.org").status_code == 302
