"""Mail: sent over real SMTP once the action commits, queued on Redis in production."""

from pathlib import Path

import pytest
from jinja2 import ChoiceLoader, DictLoader

from charter import create_app, mail
from charter.extensions import db
from charter.jobs import work
from config import TestConfig
from tests.mailbox import text_of

GREETING = """{% extends "mail/base.txt" %}{% block body %}Hello {{ name }}.
Follow this link: {{ link }}{% endblock %}"""


@pytest.fixture
def greeting(app):
    app.jinja_env.loader = ChoiceLoader(
        [DictLoader({"mail/greeting.txt": GREETING}), app.jinja_env.loader]
    )


def _send(to="ann@example.org"):
    with_request = mail.send(
        to, "Welcome", "greeting", "you asked to be welcomed", name="Ann", link="http://x/y"
    )
    return with_request


def test_a_mail_arrives_with_plain_text_the_site_name_and_why(app, greeting, mailbox):
    with app.test_request_context():
        _send()
        db.session.commit()
    [message] = mailbox.wait_for("ann@example.org")
    assert message["Subject"] == "Welcome · Citizen Data Charter"
    assert message["From"] == "Citizen Data Charter <no-reply@localhost>"
    body = text_of(message)
    assert "Hello Ann.\nFollow this link: http://x/y" in body
    assert "Citizen Data Charter: http://localhost/" in body
    assert "You are getting this email because you asked to be welcomed." in body


def test_nothing_is_sent_when_the_action_is_rolled_back(app, greeting, mailbox):
    with app.test_request_context():
        db.session.execute(db.text("SELECT 1"))  # an action under way
        _send()
        db.session.rollback()
        _send("bob@example.org")
        db.session.commit()
    mailbox.wait_for("bob@example.org")
    assert mailbox.messages("ann@example.org") == []


def test_with_redis_a_worker_sends_the_mail_not_the_request(app, greeting, mailbox, queue):
    with app.test_request_context():
        _send()
        db.session.commit()
    assert mailbox.messages() == []  # queued, not sent by the request
    work(burst=True)
    [message] = mailbox.wait_for("ann@example.org")
    assert "Hello Ann." in text_of(message)


def test_a_failed_send_is_retried_by_the_worker(app, greeting, mailbox, queue):
    from redis import Redis
    from rq import Queue
    from rq.registry import ScheduledJobRegistry

    from charter.jobs import QUEUE
    from tests.conftest import REDIS

    app.config["MAIL_PORT"] = 1  # nothing listens there: the first try fails
    app.extensions["mailman"].port = 1
    with app.test_request_context():
        _send()
        db.session.commit()
    work(burst=True)
    scheduled = ScheduledJobRegistry(queue=Queue(QUEUE, connection=Redis.from_url(REDIS)))
    assert scheduled.count == 1  # failed once, waiting for its retry
    assert mailbox.messages() == []


def test_without_a_mail_server_mail_goes_to_a_folder_and_the_console(tmp_path, capsys):
    app = create_app(
        TestConfig,
        {
            "MAIL_BACKEND": None,
            "MAIL_FILE_PATH": str(tmp_path),
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
        },
    )
    app.jinja_env.loader = ChoiceLoader(
        [DictLoader({"mail/greeting.txt": GREETING}), app.jinja_env.loader]
    )
    with app.app_context():
        db.create_all()
        with app.test_request_context():
            _send()
            db.session.commit()
    [written] = list(Path(tmp_path).glob("*.eml"))
    assert "Follow this link: http://x/y" in written.read_text()
    console = capsys.readouterr().err
    assert "Mail to ann@example.org: Welcome · Citizen Data Charter" in console
    assert f"written to {written}" in console


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (
            "smtp://ann:p%40ss@mail.example.org:2525",
            ("mail.example.org", 2525, False, False, "ann", "p@ss"),
        ),
        ("smtp://mail.example.org?starttls=1", ("mail.example.org", 587, True, False, None, None)),
        ("smtps://u:p@mail.example.org", ("mail.example.org", 465, False, True, "u", "p")),
    ],
)
def test_mail_url_names_the_server(url, expected):
    app = create_app(
        TestConfig, {"MAIL_URL": url, "MAIL_BACKEND": None, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    config = app.config
    assert config["MAIL_BACKEND"] == "smtp"
    names = ("MAIL_SERVER", "MAIL_PORT", "MAIL_USE_TLS", "MAIL_USE_SSL")
    assert tuple(config[n] for n in names + ("MAIL_USERNAME", "MAIL_PASSWORD")) == expected


def test_mail_from_names_the_sender_and_the_message_id_names_the_site(app, greeting, mailbox):
    app.config["MAIL_DEFAULT_SENDER"] = None
    fresh = create_app(
        TestConfig,
        {
            "MAIL_FROM": "Northshire Charter <charter@northshire.example.org>",
            "SITE_URL": "https://charter.northshire.example.org",
            "SQLALCHEMY_DATABASE_URI": "sqlite://",
            **mailbox.settings,
        },
    )
    fresh.jinja_env.loader = ChoiceLoader(
        [DictLoader({"mail/greeting.txt": GREETING}), fresh.jinja_env.loader]
    )
    with fresh.app_context():
        db.create_all()
        with fresh.test_request_context():
            _send()
            db.session.commit()
        db.session.remove()
    [message] = mailbox.wait_for("ann@example.org")
    assert message["From"] == "Northshire Charter <charter@northshire.example.org>"
    assert message["Message-ID"].endswith("@charter.northshire.example.org>")
    assert "https://charter.northshire.example.org/" in text_of(message)


def test_a_mail_url_of_another_kind_is_refused():
    with pytest.raises(RuntimeError, match="smtp://"):
        create_app(TestConfig, {"MAIL_URL": "http://mail.example.org"})
