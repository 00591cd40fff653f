"""Settings for each environment; environment variables win over defaults."""

import os
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"


def _database_url(default: str) -> str:
    url = os.environ.get("DATABASE_URL", default)
    # Hosting platforms still hand out postgres:// URLs; SQLAlchemy wants a driver name.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = _database_url(f"sqlite:///{INSTANCE_DIR / 'charter.sqlite'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Background jobs go to this Redis, run by `flask --app wsgi worker`; unset, they run at
    # once inside the request (fine for trying the app, slow on a busy clause).
    REDIS_URL = os.environ.get("REDIS_URL")
    # The 429 handler sets Retry-After itself, from the same number its page states.
    RATELIMIT_HEADERS_ENABLED = False
    # How many reverse proxies in front of the app add X-Forwarded-For/-Proto; 0 trusts none,
    # so a visitor cannot pick the address their rate limits are counted under.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Every sign-in is a row that sign-out ends; these bound how long a copied cookie could last.
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    SIGN_IN_DURATION = timedelta(days=1)
    WTF_CSRF_TIME_LIMIT = None  # a citizen may take an evening over a proposal
    MAX_CONTENT_LENGTH = 1024 * 1024
    CHARTER_SLUG = os.environ.get("CHARTER_SLUG", "citizen-data-charter")
    # The address residents use, e.g. https://charter.example.org: absolute links in the feed
    # and the API are built from it, and in production only its host is answered.
    SITE_URL = os.environ.get("SITE_URL")
    SITE_NAME = os.environ.get("SITE_NAME", "Citizen Data Charter")
    # Mail settings (MAIL_URL, or MAIL_SERVER and the rest, and MAIL_FROM) are read from the
    # environment in charter/mail.py; with none, mail is written to instance/mail/.
    DRAFT_FILE = BASE_DIR / "drafts" / "citizen-data-charter.md"


class DevelopmentConfig(Config):
    DEBUG = True


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-only-secret"
    SQLALCHEMY_DATABASE_URI = _database_url("sqlite://")
    SQLALCHEMY_ENGINE_OPTIONS = {}
    RATELIMIT_STORAGE_URI = "memory://"
    REDIS_URL = None  # jobs run at once; tests that want the queue set it
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # fast hashing keeps the suite quick
    # Kept in memory unless a test points it at the in-process SMTP server (tests/mailbox.py).
    MAIL_BACKEND = "locmem"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS_MAX_AGE = 365 * 24 * 3600  # a year: browsers then refuse plain HTTP to this host


configs = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}
