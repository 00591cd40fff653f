"""Fixtures: a fresh app and database per test, role clients that sign in through the form."""

import os
import re
from contextlib import contextmanager

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from charter import create_app
from charter.accounts.operations import create_user
from charter.clauses.operations import import_draft
from charter.extensions import db
from charter.models import Role
from charter.models.append_only import create_triggers, drop_triggers
from charter.text.drafts import parse_draft
from config import TestConfig
from tests.mailbox import Mailbox

PASSWORD = "correct horse battery"
# Background-job tests use this Redis database, emptied before and after each.
REDIS = "redis://127.0.0.1:6379/15"

SAMPLE_DRAFT = """\
# Test Charter

We keep our promises about your data.

## Why we join data {#why}

We join data to *plan services*. See [the regulator](https://ico.org.uk/).

## How long we keep data {#how-long}

- We delete joined data after a year.
- We check every year.

## Your rights

You can ask what we hold.
"""

_TOKEN = re.compile(
    r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"'
)


def without_csrf_tokens(page: str) -> str:
    """A page without its CSRF tokens, which are signed with the second they were made,
    so two pages answered either side of a second boundary can still be compared."""
    return re.sub(r'name="csrf_token"[^>]*>', "", page)


class CSRFClient(FlaskClient):
    """A test client that sends the page's CSRF token with every form, as a browser would."""

    def open(self, *args, **kwargs):
        # Each request gets its own app context (so its own g, session and signed-in user),
        # as it would in production; then the test's session forgets what it had loaded.
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        db.session.expire_all()
        return response

    def csrf_token(self) -> str:
        for path in ("/accounts/password", "/accounts/login"):
            match = _TOKEN.search(self.get(path).get_data(as_text=True))
            if match:
                return match.group(1) or match.group(2)
        raise AssertionError("no page offered a CSRF token")

    def post(self, *args, csrf: bool = True, **kwargs):
        if csrf:
            data = dict(kwargs.pop("data", None) or {})
            data.setdefault("csrf_token", self.csrf_token())
            kwargs["data"] = data
        return super().post(*args, **kwargs)


@pytest.fixture(scope="session")
def smtp_server():
    """One SMTP server for the whole run; every test app sends its mail to it."""
    server = Mailbox()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(smtp_server):
    """The mail that arrives during this test."""
    smtp_server.clear()
    return smtp_server


@pytest.fixture(scope="session")
def stand_in_catalogs(tmp_path_factory):
    """A translations folder with a second language whose every message is wrapped in ⟦ ⟧."""
    from tests.catalogs import compile_stand_in

    return compile_stand_in(tmp_path_factory.mktemp("translations"))


@pytest.fixture(scope="session")
def polish_stand_in(tmp_path_factory):
    """A translations folder with a stand-in Polish: three plural forms, each marked."""
    from tests.catalogs import compile_stand_in

    return compile_stand_in(tmp_path_factory.mktemp("polish"), "pl")


@pytest.fixture
def app_overrides():
    """Settings a test module adds to its apps: override this fixture in the module."""
    return {}


@pytest.fixture
def app(tmp_path, smtp_server, app_overrides):
    overrides = dict(smtp_server.settings) | app_overrides
    if TestConfig.SQLALCHEMY_DATABASE_URI.startswith("sqlite"):
        # A file, not memory: each request's session gets its own connection, as in production.
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / 'test.sqlite'}"
    app = create_app(TestConfig, overrides)
    app.test_client_class = CSRFClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def charter(app):
    """Import the sample draft as the working draft."""
    report = import_draft(parse_draft(SAMPLE_DRAFT), slug=app.config["CHARTER_SLUG"])
    db.session.commit()
    return report.charter


@pytest.fixture
def users(app):
    """One account for each role, all with the same password."""
    made = {
        role.value: create_user(f"{role.value}@example.org", f"{role.label} Person", PASSWORD, role)
        for role in Role
    }
    db.session.commit()
    return made


def propose(
    charter, author, body="Different words.", heading="Why we join data", rationale="Because."
):
    """Open a proposal to reword the "why" clause of the sample draft."""
    from charter.clauses.queries import get_clause
    from charter.models import ProposalKind
    from charter.proposals.operations import create_proposal

    return create_proposal(
        charter,
        author,
        ProposalKind.AMEND,
        clause=get_clause(charter, "why"),
        heading=heading,
        body=body,
        rationale=rationale,
    )


@pytest.fixture
def record(charter, users):
    """Version 1 ratified before Charter, version 2 voted on by two members and published."""
    from charter.models import VoteChoice
    from charter.proposals.operations import accept_proposal
    from charter.versions.operations import (
        cast_vote,
        open_candidate,
        publish_candidate,
        publish_working_draft,
    )

    publish_working_draft(charter, changelog="Ratified before Charter.")
    proposal = propose(charter, users["citizen"], body="We join data to *improve services*.")
    accept_proposal(proposal, users["committee"], "Agreed: say what the data is for.")
    candidate = open_candidate(charter, users["committee"], "Say what the data is for.")
    seen = candidate.content_hash
    cast_vote(candidate, users["committee"], VoteChoice.APPROVE, "Clearer.", seen_hash=seen)
    cast_vote(candidate, users["admin"], VoteChoice.APPROVE, "", seen_hash=seen)
    publish_candidate(candidate, users["committee"], seen_hash=seen)
    db.session.commit()
    return charter


def sign_in(client: CSRFClient, email: str, password: str = PASSWORD):
    """Sign in through the real form."""
    return client.post("/accounts/login", data={"email": email, "password": password})


def _client_for(app, users, role: str) -> CSRFClient:
    client = app.test_client()
    response = sign_in(client, users[role].email)
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


@pytest.fixture
def anon(app):
    return app.test_client()


@pytest.fixture
def citizen(app, users):
    return _client_for(app, users, "citizen")


@pytest.fixture
def committee(app, users):
    return _client_for(app, users, "committee")


@pytest.fixture
def admin(app, users):
    return _client_for(app, users, "admin")


@contextmanager
def database_owner():
    """Get past the append-only triggers as whoever owns the database could."""
    if db.session.connection().dialect.name == "postgresql":
        db.session.execute(text("SET session_replication_role = replica"))
        yield
        db.session.execute(text("SET session_replication_role = DEFAULT"))
    else:
        drop_triggers(db.session.connection())
        yield
        create_triggers(db.session.connection())
    db.session.commit()
    db.session.expire_all()


def tamper(*statements: str, **params) -> None:
    with database_owner():
        for statement in statements:
            db.session.execute(text(statement), params)


@pytest.fixture
def queue(app):
    """Jobs on the real Redis at 127.0.0.1:6379 (database 15), emptied before and after."""
    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    url = REDIS
    try:
        Redis.from_url(url).flushdb()
    except RedisDown:
        if os.environ.get("CI"):
            raise
        pytest.skip("No Redis on 127.0.0.1:6379")
    app.config["REDIS_URL"] = url
    yield
    app.config["REDIS_URL"] = None
    Redis.from_url(url).flushdb()
