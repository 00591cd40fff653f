"""Smaller defences: guessable passwords, account probing by timing, cross-site posts, caching,
HSTS, and links built from the site's own URL rather than the Host a visitor sends."""

from xml.etree import ElementTree

import pytest

from charter import create_app
from charter.extensions import db
from charter.versions.operations import publish_working_draft
from config import ProductionConfig
from tests.conftest import PASSWORD

SITE = "https://charter.example.org"
NEW = {"display_name": "Robin Resident", "email": "robin@example.org"}


@pytest.mark.parametrize("weak", ["password12", "1234567890", "robinresident"])
def test_registration_refuses_a_common_or_guessable_password(anon, weak):
    response = anon.post("/accounts/register", data={**NEW, "password": weak, "confirm": weak})
    assert response.status_code == 400
    assert "Choose a password that is harder to guess." in response.get_data(as_text=True)


def test_a_password_change_refuses_a_common_password(citizen):
    weak = "password12"
    response = citizen.post(
        "/accounts/password", data={"current": PASSWORD, "password": weak, "confirm": weak}
    )
    assert response.status_code == 400
    assert "harder to guess" in response.get_data(as_text=True)


def test_registering_a_known_email_does_the_same_slow_hashing_as_a_new_one(
    anon, users, monkeypatch
):
    import charter.models.accounts as accounts

    hashed = []
    real = accounts.generate_password_hash
    monkeypatch.setattr(
        accounts, "generate_password_hash", lambda *a, **k: hashed.append(1) or real(*a, **k)
    )
    password = "a long enough password"
    for email in ("robin@example.org", "citizen@example.org"):
        hashed.clear()
        data = {**NEW, "email": email, "password": password, "confirm": password}
        assert anon.post("/accounts/register", data=data).status_code == 302
        assert hashed == [1], email


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "null"},
        {"Referer": "https://evil.example/page"},
        {"Origin": "http://localhost.evil.example"},
    ],
)
def test_a_post_from_another_site_is_refused_even_with_a_valid_token(citizen, headers):
    response = citizen.post("/accounts/logout", headers=headers)
    assert response.status_code == 400
    assert "sent from another site" in response.get_data(as_text=True)
    assert "Sign out" in citizen.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "headers", [{"Origin": "http://localhost"}, {"Referer": "http://localhost/accounts"}, {}]
)
def test_a_post_from_this_site_or_without_origin_goes_through(citizen, headers):
    assert citizen.post("/accounts/logout", headers=headers).status_code == 302


def test_signed_in_pages_are_not_stored_by_caches(anon, citizen):
    assert citizen.get("/").headers.get("Cache-Control") == "no-store"
    assert citizen.get("/accounts/password").headers.get("Cache-Control") == "no-store"
    assert anon.get("/").headers.get("Cache-Control") != "no-store"


def test_feed_and_api_links_use_the_site_url_not_the_host_header(app, anon, charter):
    publish_working_draft(charter, changelog="- First version.")
    from charter.extensions import db

    db.session.commit()
    app.config["SITE_URL"] = SITE
    forged = {"Host": "evil.example"}
    feed = anon.get("/versions.atom", headers=forged).get_data(as_text=True)
    api = anon.get("/api/v1/charter", headers=forged).get_json()
    clause = anon.get("/api/v1/clauses/why", headers=forged).get_json()
    atom = "{http://www.w3.org/2005/Atom}"
    tree = ElementTree.fromstring(feed)
    assert f"{SITE}/versions.atom" in [
        link.get("href") for link in tree.iter(f"{atom}link") if link.get("rel") == "self"
    ]
    assert tree.find(f"{atom}entry/{atom}id").text == f"{SITE}/versions/1"
    assert "evil.example" not in feed and "evil.example" not in str(api)
    assert clause["url"] == f"{SITE}/clauses/why"


def _production(monkeypatch, **overrides):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "s" * 64)
    app = create_app(
        ProductionConfig, {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SITE_URL": SITE, **overrides}
    )
    with app.app_context():
        db.create_all()  # every page says what is open for comment, read from the database
    return app


def test_production_answers_only_its_own_host_and_insists_on_https(monkeypatch):
    app = _production(monkeypatch)
    client = app.test_client()
    ours = client.get("/no/such/page", headers={"Host": "charter.example.org"})
    assert ours.status_code == 404
    assert ours.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert client.get("/no/such/page", headers={"Host": "evil.example"}).status_code == 400


def test_production_refuses_to_start_without_a_site_url(monkeypatch):
    with pytest.raises(RuntimeError, match="SITE_URL must be set"):
        _production(monkeypatch, SITE_URL=None)


def test_development_sends_no_hsts(anon):
    assert "Strict-Transport-Security" not in anon.get("/").headers
