"""Email to residents, sent by Flask-Mailman in a background job so no request waits on SMTP.

Where mail goes comes from the environment: MAIL_URL (smtp://user:password@host:587, with
?starttls=1 for STARTTLS, or smtps:// for TLS from the start) or MAIL_SERVER, MAIL_PORT,
MAIL_USE_TLS, MAIL_USE_SSL, MAIL_USERNAME and MAIL_PASSWORD; MAIL_FROM names the sender.
With none of them set (`flask run`), nothing is sent: each mail is written to instance/mail/
and announced on the console, so a person trying the app can follow its links.

Every mail has a plain-text part (and an HTML one where a template exists), the site's
name, and a line saying why the resident is getting it.
"""

import os
import sys
from datetime import datetime
from email.utils import formataddr, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app, render_template, url_for
from flask_mailman import EmailMultiAlternatives, Mail
from flask_mailman.backends.base import BaseEmailBackend
from jinja2 import TemplateNotFound

from charter import jobs

mail = Mail()

_TRUE = {"1", "true", "yes", "on"}


def configure_mail(app) -> None:
    """Read the mail settings from the environment (unless the config names them) and bind."""
    config = app.config
    url = config.get("MAIL_URL") or os.environ.get("MAIL_URL")
    if url:
        config.update(_settings_from_url(url))
    else:
        for name in ("MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD"):
            if name not in config and os.environ.get(name):
                config[name] = os.environ[name]
        if "MAIL_PORT" not in config and os.environ.get("MAIL_PORT"):
            config["MAIL_PORT"] = int(os.environ["MAIL_PORT"])
        for name in ("MAIL_USE_TLS", "MAIL_USE_SSL"):
            if name not in config and os.environ.get(name):
                config[name] = os.environ[name].lower() in _TRUE
    sender = config.get("MAIL_FROM") or os.environ.get("MAIL_FROM") or _default_sender(config)
    config.setdefault("MAIL_DEFAULT_SENDER", sender)
    if not config.get("MAIL_BACKEND"):
        config["MAIL_BACKEND"] = "smtp" if config.get("MAIL_SERVER") else FolderBackend
    config.setdefault("MAIL_FILE_PATH", str(Path(app.instance_path) / "mail"))
    config.setdefault("MAIL_TIMEOUT", 30)
    if config["MAIL_BACKEND"] is FolderBackend and not (app.debug or app.testing):
        app.logger.warning(
            "No MAIL_URL or MAIL_SERVER is set: mail is written to %s, not sent.",
            config["MAIL_FILE_PATH"],
        )
    mail.init_app(app)


def _settings_from_url(url: str) -> dict:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps"):
        raise RuntimeError(f"MAIL_URL must start smtp:// or smtps://, not {parts.scheme}://")
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    starttls = query.get("starttls", "").lower() in _TRUE
    return {
        "MAIL_SERVER": parts.hostname,
        "MAIL_PORT": parts.port or (465 if parts.scheme == "smtps" else 587 if starttls else 25),
        "MAIL_USE_SSL": parts.scheme == "smtps",
        "MAIL_USE_TLS": starttls,
        "MAIL_USERNAME": unquote(parts.username) if parts.username else None,
        "MAIL_PASSWORD": unquote(parts.password) if parts.password else None,
    }


def _default_sender(config) -> str:
    host = urlsplit(config.get("SITE_URL") or "").hostname or "localhost"
    return formataddr((config["SITE_NAME"], f"no-reply@{host}"))


def send(to: str, subject: str, template: str, reason: str, **context) -> None:
    """Send the mail templates/mail/<template>.txt (and .html if there is one) once committed.

    `reason` finishes the sentence "You are getting this email because ...". The mail goes
    out only if the transaction that asked for it commits: a refused action sends nothing.
    """
    context = {
        "site_name": current_app.config["SITE_NAME"],
        "site_url": url_for("public.index", _external=True),
        "reason": reason,
        **context,
    }
    text = render_template(f"mail/{template}.txt", **context)
    try:
        html = render_template(f"mail/{template}.html", **context)
    except TemplateNotFound:
        html = None
    headers = dict(context.get("headers") or {})
    # Named after the site, not this host's name, which mail servers may distrust.
    headers.setdefault("Message-ID", make_msgid(domain=urlsplit(context["site_url"]).hostname))
    jobs.defer(deliver, to, f"{subject} · {context['site_name']}", text, html, headers)


def deliver(to: str, subject: str, text: str, html: str | None, headers: dict) -> None:
    """Hand one mail to the configured backend; a failure raises, so the job is retried."""
    message = EmailMultiAlternatives(subject=subject, body=text, to=[to], headers=headers)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


class FolderBackend(BaseEmailBackend):
    """Write each mail to instance/mail/ as an .eml file and say so on the console."""

    def send_messages(self, email_messages) -> int:
        folder = Path(self.mailman.file_path)
        folder.mkdir(parents=True, exist_ok=True)
        for number, message in enumerate(email_messages):
            stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            path = folder / f"{stamp}-{number}.eml"
            path.write_bytes(message.message().as_bytes())
            print(
                f"Mail to {', '.join(message.to)}: {message.subject}\n"
                f"  written to {path} (no mail server is set)\n\n{message.body}",
                file=sys.stderr,
            )
        return len(email_messages)
