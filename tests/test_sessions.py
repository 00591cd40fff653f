"""Sessions: sign-out, a password change and "sign out everywhere" end every copy of a cookie."""

from datetime import timedelta

from charter.extensions import db
from charter.models import UserSession, utcnow
from tests.conftest import PASSWORD, sign_in

SESSION, REMEMBER = "session", "remember_token"


def _signed_in(client) -> bool:
    return "Sign out" in client.get("/").get_data(as_text=True)


def _copy(app, client, *names):
    """Give a new client (a thief's browser) copies of some of this client's cookies."""
    thief = app.test_client()
    for name in names:
        thief.set_cookie(name, client.get_cookie(name).value)
    return thief


def _sign_in_remembered(client, email="citizen@example.org"):
    response = client.post(
        "/accounts/login", data={"email": email, "password": PASSWORD, "remember": "y"}
    )
    assert response.status_code == 302
    return client.get_cookie(REMEMBER).value


def test_a_copied_session_cookie_works_until_its_owner_signs_out(app, citizen):
    thief = _copy(app, citizen, SESSION)
    assert _signed_in(thief)
    assert citizen.post("/accounts/logout").status_code == 302
    assert not _signed_in(thief)
    assert thief.get("/accounts/password").status_code == 302  # sent to sign in


def test_signing_out_on_one_device_leaves_the_others_signed_in(app, citizen):
    laptop = app.test_client()
    sign_in(laptop, "citizen@example.org")
    laptop.post("/accounts/logout")
    assert not _signed_in(laptop) and _signed_in(citizen)


def test_a_password_change_ends_every_other_session_but_keeps_this_one(app, citizen):
    thief = _copy(app, citizen, SESSION)
    phone = app.test_client()
    sign_in(phone, "citizen@example.org")
    new = "a brand new password"
    response = citizen.post(
        "/accounts/password", data={"current": PASSWORD, "password": new, "confirm": new}
    )
    assert response.status_code == 302
    assert "you are now signed out" in citizen.get("/").get_data(as_text=True)
    assert _signed_in(citizen)
    # The thief's copy was of the session that changed the password, so it stays: only the
    # owner's own sign-out or "sign out everywhere" ends that one.
    assert _signed_in(thief)
    assert not _signed_in(phone)


def test_a_password_change_ends_a_stolen_session_from_another_sign_in(app, citizen):
    stolen = app.test_client()
    sign_in(stolen, "citizen@example.org")  # e.g. a library computer left signed in
    thief = _copy(app, stolen, SESSION)
    new = "a brand new password"
    citizen.post("/accounts/password", data={"current": PASSWORD, "password": new, "confirm": new})
    assert not _signed_in(thief) and not _signed_in(stolen)


def test_sign_out_everywhere_ends_every_session_and_says_so(app, citizen):
    page = citizen.get("/accounts/password").get_data(as_text=True)
    assert "Sign out everywhere" in page and "signed in on this device only" in page
    phone = app.test_client()
    remembered = _sign_in_remembered(phone)
    thief = _copy(app, citizen, SESSION)
    assert "signed in on 2 devices" in citizen.get("/accounts/password").get_data(as_text=True)

    response = citizen.post("/accounts/sign-out-everywhere", follow_redirects=True)
    assert response.status_code == 200
    assert "You are signed out everywhere" in response.get_data(as_text=True)
    assert response.request.path == "/"
    late = app.test_client()
    late.set_cookie(REMEMBER, remembered)
    for client in (citizen, phone, thief, late):
        assert not _signed_in(client)


def test_sign_out_everywhere_needs_a_csrf_token(app, citizen):
    thief = _copy(app, citizen, SESSION)
    forged = citizen.post("/accounts/sign-out-everywhere", csrf=False)
    assert forged.status_code == 400
    assert _signed_in(citizen) and _signed_in(thief)


def test_a_remember_me_cookie_dies_at_sign_out_and_the_next_one_is_new(app, anon, users):
    first = _sign_in_remembered(anon)
    thief = _copy(app, anon, REMEMBER)  # the remember cookie alone signs a browser in
    assert _signed_in(thief)
    anon.post("/accounts/logout")
    fresh = app.test_client()
    fresh.set_cookie(REMEMBER, first)
    assert not _signed_in(fresh)

    second = _sign_in_remembered(anon)
    assert second != first
    stale = app.test_client()
    stale.set_cookie(REMEMBER, first)
    assert not _signed_in(stale)
    current = app.test_client()
    current.set_cookie(REMEMBER, second)
    assert _signed_in(current)


def test_an_expired_remember_me_cookie_is_refused(app, anon, users):
    token = _sign_in_remembered(anon)
    row = db.session.scalar(db.select(UserSession))
    assert row.remember and row.expires_at - utcnow() > timedelta(days=29)
    browser = app.test_client()
    browser.set_cookie(REMEMBER, token)
    assert _signed_in(browser)

    row.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    later = app.test_client()
    later.set_cookie(REMEMBER, token)
    assert not _signed_in(later)
    assert not _signed_in(browser)  # its session names the same, now expired, sign-in


def test_the_csrf_token_changes_at_sign_in(anon, users):
    anon.get("/accounts/login")
    with anon.session_transaction() as before:
        planted = before["csrf_token"]
    sign_in(anon, "citizen@example.org")
    anon.get("/accounts/password")
    with anon.session_transaction() as after:
        assert after["csrf_token"] != planted
