"""Accounts: register, sign in and out, change password; messages that give nothing away."""

from charter.accounts.operations import authenticate, find_user
from charter.extensions import db
from charter.models import Role
from tests.conftest import PASSWORD, sign_in, without_csrf_tokens
from tests.mailbox import link_in

NEW = {
    "display_name": "Robin Resident",
    "email": "Robin@Example.org ",
    "password": "a long enough password",
    "confirm": "a long enough password",
}


def test_register_creates_a_citizen_then_signs_in_through_the_form(anon, mailbox):
    response = anon.post("/accounts/register", data=NEW)
    assert response.status_code == 302 and response.location.endswith("/accounts/login")
    user = find_user("robin@example.org")
    assert user.role is Role.CITIZEN and user.display_name == "Robin Resident"
    assert user.password_hash != NEW["password"] and user.check_password(NEW["password"])
    response = sign_in(anon, "robin@example.org", NEW["password"])
    assert response.status_code == 302
    page = anon.get("/").get_data(as_text=True)
    assert "Robin Resident" in page and "Sign out" in page
    assert "Check your email" in page  # until the address is confirmed
    anon.get(link_in(mailbox.wait_for("robin@example.org")[0]))
    page = anon.get("/").get_data(as_text=True)
    assert "Check your email" not in page
    assert "robin@example.org" not in page  # the email stays private


def test_registering_a_known_email_answers_exactly_like_a_new_one(anon, users):
    new = anon.post("/accounts/register", data=NEW, follow_redirects=True)
    known = anon.post(
        "/accounts/register", data={**NEW, "email": "citizen@example.org"}, follow_redirects=True
    )
    assert new.status_code == known.status_code == 200
    assert without_csrf_tokens(new.get_data(as_text=True)) == without_csrf_tokens(
        known.get_data(as_text=True)
    )
    # The existing account is untouched.
    assert authenticate("citizen@example.org", PASSWORD) is not None


def test_register_errors_are_shown_in_words_by_each_field_and_in_a_summary(anon):
    response = anon.post(
        "/accounts/register",
        data={
            "display_name": " ",
            "email": "not-an-email",
            "password": "short",
            "confirm": "other",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "There is a problem" in page
    for message in (
        "Enter the name you want others to see.",
        "Enter an email address like name@example.org.",
        "Use between 10 and 128 characters.",
        "The two passwords are not the same.",
    ):
        assert page.count(message) == 2, message  # once in the summary, once by the field
    assert 'aria-invalid="true"' in page
    assert 'value="not-an-email"' in page  # what was typed is kept
    assert find_user("not-an-email") is None


def test_wrong_password_and_unknown_email_get_the_same_message(anon, users):
    wrong = sign_in(anon, "citizen@example.org", "not the password")
    unknown = sign_in(anon, "nobody@example.org", "not the password")
    message = "That email address and password do not match an account."
    assert wrong.status_code == unknown.status_code == 400
    assert message in wrong.get_data(as_text=True) and message in unknown.get_data(as_text=True)


def test_email_is_matched_whatever_its_case(anon, users):
    assert sign_in(anon, "  CITIZEN@example.ORG").status_code == 302


def test_deactivated_accounts_cannot_sign_in_and_are_signed_out(app, citizen, users):
    users["citizen"].active = False
    db.session.commit()
    assert "Sign out" not in citizen.get("/").get_data(as_text=True)
    fresh = app.test_client()
    response = sign_in(fresh, "citizen@example.org")
    assert response.status_code == 400
    assert "do not match an account" in response.get_data(as_text=True)


def test_sign_out_needs_a_post_with_a_csrf_token(citizen):
    assert citizen.get("/accounts/logout").status_code == 405
    forged = citizen.post("/accounts/logout", csrf=False)
    assert forged.status_code == 400
    assert "This form has expired" in forged.get_data(as_text=True)
    assert "Sign out" in citizen.get("/").get_data(as_text=True)
    assert citizen.post("/accounts/logout").status_code == 302
    assert "Sign out" not in citizen.get("/").get_data(as_text=True)


def test_login_follows_next_only_within_the_site(anon, users):
    inside = anon.post(
        "/accounts/login?next=/clauses/why",
        data={"email": "citizen@example.org", "password": PASSWORD},
    )
    assert inside.location == "/clauses/why"
    anon.post("/accounts/logout")
    outside = anon.post(
        "/accounts/login?next=//evil.example/",
        data={"email": "citizen@example.org", "password": PASSWORD},
    )
    assert outside.location == "/"


def test_change_password(citizen, users):
    response = citizen.post(
        "/accounts/password",
        data={
            "current": PASSWORD,
            "password": "a brand new password",
            "confirm": "a brand new password",
        },
    )
    assert response.status_code == 302
    assert authenticate("citizen@example.org", "a brand new password") is not None
    assert authenticate("citizen@example.org", PASSWORD) is None


def test_change_password_checks_the_current_one(citizen):
    response = citizen.post(
        "/accounts/password",
        data={
            "current": "wrong guess",
            "password": "a brand new password",
            "confirm": "a brand new password",
        },
    )
    assert response.status_code == 400
    assert "Your current password is not right." in response.get_data(as_text=True)
    assert authenticate("citizen@example.org", PASSWORD) is not None


def test_password_page_needs_sign_in(anon):
    response = anon.get("/accounts/password")
    assert response.status_code == 302 and "/accounts/login" in response.location


def test_session_cookie_is_httponly_and_samesite_lax(anon, users):
    response = sign_in(anon, "citizen@example.org")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure():
    from config import ProductionConfig

    assert ProductionConfig.SESSION_COOKIE_SECURE and ProductionConfig.REMEMBER_COOKIE_SECURE


def test_passwords_are_hashed_with_scrypt_outside_tests(app, users):
    app.config.pop("PASSWORD_HASH_METHOD")
    users["citizen"].set_password("another long password")
    assert users["citizen"].password_hash.startswith("scrypt:")


def test_sign_in_attempts_are_rate_limited(anon, users):
    statuses = [sign_in(anon, "citizen@example.org", "guess").status_code for _ in range(11)]
    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429


def _member(name="Morgan Member", role=Role.COMMITTEE):
    from charter.accounts.operations import create_user

    user = create_user(f"{role.value}-{len(name)}@example.org", name, PASSWORD, role)
    db.session.commit()
    return user


def test_registration_refuses_a_name_that_claims_a_role_or_looks_like_a_member(anon, app):
    _member("Morgan Member")
    _member("Alex Admin", Role.ADMIN)
    for name, message in (
        ("Morgan Member (committee)", "Choose a name without the word “committee”."),
        ("Data Ethics Committee", "Choose a name without the word “committee”."),
        ("Moderator", "Choose a name without the word “moderator”."),
        ("M\u043ergan Mernber", "That name looks too much like “Morgan Member”"),
        ("\u202eMORGAN MEMBER", "That name looks too much like “Morgan Member”"),
        ("alex", "That name looks too much like “Alex Admin”"),
        ("a FORMER participant", "“A former participant” is kept for people who have left."),
        ("A fоrmer participant", "“A former participant” is kept for people who have left."),
    ):
        response = anon.post("/accounts/register", data={**NEW, "display_name": name})
        page = response.get_data(as_text=True)
        assert response.status_code == 400, name
        assert page.count(message) == 2, (name, page)  # in the summary and by the field
        assert find_user(NEW["email"]) is None
    # The same refusal when the email is already known: the name is checked first.
    known = anon.post(
        "/accounts/register",
        data={**NEW, "email": "committee-13@example.org", "display_name": "Morgan Member"},
    )
    assert known.status_code == 400


def test_registration_strips_direction_and_invisible_characters(anon):
    name = "\u202eRobin\u200b Resi\u2067dent\u2069"
    response = anon.post("/accounts/register", data={**NEW, "display_name": name})
    assert response.status_code == 302
    assert find_user("robin@example.org").display_name == "Robin Resident"


def test_only_the_server_gives_the_committee_badge(citizen, committee, anon, users, charter):
    # An account named before names were checked cannot earn a badge by its name either.
    users["citizen"].display_name = "Committee member Person (committee) Committee member"
    db.session.commit()
    citizen.post(
        "/comments/clauses/why", data={"body": "I speak for the committee", "kind": "comment"}
    )
    committee.post("/comments/clauses/why", data={"body": "I am on it", "kind": "comment"})
    page = anon.get("/clauses/why").get_data(as_text=True)
    threads = page[page.index('<ol class="threads">') :].split('<li class="comment ')[1:]
    # Newest first: find each by its words, not its place.
    impostor = next(t for t in threads if "I speak for the committee" in t)
    member = next(t for t in threads if "I am on it" in t)
    badge = '<span class="role-badge role-badge--committee">'
    assert "I speak for the committee" in impostor and badge not in impostor
    assert "I am on it" in member and badge in member
    assert f'<bdi class="person__name">{users["committee"].display_name}</bdi>' in member
    assert member.split(badge, 1)[1].startswith(
        '<span class="visually-hidden">(</span>Committee member<'
    )
    api = anon.get("/api/v1/clauses/why/comments").get_json()["comments"]
    assert [c["author_role"] for c in api] == ["committee", "citizen"]  # newest first


def test_a_deleted_committee_member_wears_no_badge(committee, anon, users, charter):
    committee.post("/comments/clauses/why", data={"body": "I was on it", "kind": "comment"})
    committee.post("/account/delete", data={"password": PASSWORD, "understand": "y"})
    assert users["committee"].deleted_at is not None
    page = anon.get("/clauses/why").get_data(as_text=True)
    thread = page[page.index("I was on it") - 2000 : page.index("I was on it")]
    assert "A former participant" in thread
    assert "role-badge" not in thread
    api = anon.get("/api/v1/clauses/why/comments").get_json()["comments"]
    assert (api[0]["author"], api[0]["author_role"]) == ("A former participant", None)


def test_the_operation_checks_names_for_every_caller(app, runner):
    import pytest

    from charter.accounts.operations import DisplayNameError, check_display_name, create_user

    member = _member("Morgan Member")
    with pytest.raises(DisplayNameError, match="looks too much like"):
        create_user("x@example.org", "Morgan  Memb\u0435r", PASSWORD)
    with pytest.raises(DisplayNameError, match="visible letters"):
        create_user("x@example.org", "\u200b\u202e\u3164", PASSWORD)
    with pytest.raises(DisplayNameError, match="not only a role"):
        create_user("x@example.org", "Member", PASSWORD)
    # Committee accounts are named by an administrator and carry the badge anyway.
    assert check_display_name("Data Ethics Committee", Role.COMMITTEE) == "Data Ethics Committee"
    # A member's own name does not collide with itself.
    assert check_display_name("Morgan Member", Role.CITIZEN, user=member) == "Morgan Member"
    refused = runner.invoke(
        args=["users", "create", "--email", "y@example.org", "--name", "Morgan (official)"],
        input="a long enough password\n",
    )
    assert refused.exit_code == 1 and "without the word “official”" in refused.output
    assert find_user("y@example.org") is None
