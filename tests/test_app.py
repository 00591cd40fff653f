"""The app factory: secrets, security headers and error pages."""

import pytest

from charter import create_app
from config import DevelopmentConfig, ProductionConfig


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        create_app(ProductionConfig)


def test_production_starts_with_a_secret_key(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", "s" * 64)
    app = create_app(
        ProductionConfig,
        {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SITE_URL": "https://charter.example.org"},
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_development_makes_a_secret_key_once_and_keeps_it(tmp_path, monkeypatch):
    monkeypatch.setattr(DevelopmentConfig, "SECRET_KEY", None)
    monkeypatch.setattr("charter.INSTANCE_PATH", tmp_path)
    first = create_app(DevelopmentConfig).config["SECRET_KEY"]
    second = create_app(DevelopmentConfig).config["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600


def test_pages_tell_the_browser_to_load_nothing_from_elsewhere(anon):
    response = anon.get("/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_errors_are_pages_in_plain_words(anon):
    response = anon.get("/no/such/page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "<h1>Page not found</h1>" in page and "There is no page at this address." in page
