"""Charter: write a public charter together with the people it affects."""

import hashlib
import os
import secrets
from datetime import UTC
from pathlib import Path

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, SecurityError, ServiceUnavailable
from werkzeug.middleware.proxy_fix import ProxyFix

from charter.extensions import babel, csrf, db, limiter, login_manager, migrate
from charter.inputs import RefusedChoice, guard_input
from charter.mail import configure_mail
from charter.security import (
    CharterFlask,
    configure_site_url,
    protect_responses,
    refuse_cross_site_posts,
    refuse_unknown_host,
)

INSTANCE_PATH = Path(__file__).resolve().parent.parent / "instance"

ERROR_MESSAGES = {
    400: _l(
        "The request could not be understood. If you were sending a form, go back, "
        "reload the page and try again."
    ),
    403: _l("You do not have permission to do that."),
    404: _l("There is no page at this address."),
    405: _l("That action is not allowed on this page."),
    413: _l("What you sent is too large."),
    429: _l("Too many attempts in a short time. Please wait a minute and try again."),
    500: _l("Something went wrong on our side. Nothing you sent has been lost; please try again."),
}


def create_app(config_class=None, overrides: dict | None = None) -> Flask:
    """Build the application: settings, extensions, blueprints, CLI and error pages."""
    from config import configs

    if config_class is None:
        config_class = configs[os.environ.get("CHARTER_ENV", "development")]
    app = CharterFlask(
        __name__,
        template_folder="../templates",
        static_folder="../static",
        instance_path=str(INSTANCE_PATH),
    )
    app.config.from_object(config_class)
    app.config.update(overrides or {})
    _ensure_secret_key(app)
    configure_site_url(app)
    if proxies := app.config.get("TRUSTED_PROXIES", 0):
        # Read the client's address and scheme from exactly that many proxies' headers.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)
    app.config.setdefault("DEPLOY_ID", _deploy_id(app))
    guard_input(app)  # first: it bounds the int converter the routes use, and checks first

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    login_manager.init_app(app)
    csrf.init_app(app)
    app.before_request(refuse_cross_site_posts)
    limiter.init_app(app)
    configure_mail(app)
    _configure_languages(app)

    from charter import models  # noqa: F401  (register the tables with the metadata)
    from charter.account.routes import about_bp
    from charter.account.routes import bp as account_bp
    from charter.accounts.routes import bp as accounts_bp
    from charter.admin.routes import bp as admin_bp
    from charter.api.routes import bp as api_bp
    from charter.comments import subscribers  # noqa: F401  (connect the domain events)
    from charter.comments.routes import bp as comments_bp
    from charter.committee.routes import bp as committee_bp
    from charter.consultations.routes import bp as consultations_bp
    from charter.notifications import subscribers as _notices  # noqa: F401  (after comments')
    from charter.notifications.routes import bp as notifications_bp
    from charter.plain.routes import bp as plain_bp
    from charter.proposals.routes import bp as proposals_bp
    from charter.public.routes import bp as public_bp
    from charter.search.routes import bp as search_bp
    from charter.versions.routes import bp as versions_bp

    blueprints = (
        public_bp,
        versions_bp,
        proposals_bp,
        comments_bp,
        search_bp,
        committee_bp,
        consultations_bp,
        plain_bp,
        accounts_bp,
        account_bp,
        notifications_bp,
        about_bp,
        admin_bp,
        api_bp,
    )
    for blueprint in blueprints:
        app.register_blueprint(blueprint)
    csrf.exempt(api_bp)  # read-only JSON; no cookies change anything there

    from charter.permissions import undeclared_views

    undeclared = undeclared_views(app)
    if undeclared:  # a view nobody said who it is for must not go live
        raise RuntimeError(f"These views do not declare who may use them: {undeclared}")

    from charter.cli import charter_cli, users_cli, worker_command

    app.cli.add_command(charter_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(worker_command)

    from charter.permissions import template_permissions

    app.context_processor(template_permissions)

    from charter.consultations import context as consultation_context

    consultation_context.install(app)  # the banner on every page
    app.jinja_env.add_extension("jinja2.ext.do")

    from charter.audit import public_entries

    app.add_template_global(public_entries)  # the transparency log, with erased names

    from markupsafe import Markup

    from charter.text.markdown import render_comment, rendered

    # The one way user Markdown reaches a template: rendered, then sanitised.
    app.add_template_filter(lambda text: Markup(rendered(text or "")), "markdown")
    app.add_template_filter(lambda text: Markup(render_comment(text or "")), "comment_text")
    # A moment as the transparency log states it: in UTC, to the second, never finer.
    app.add_template_filter(lambda moment: moment.astimezone(UTC).replace(microsecond=0), "in_utc")
    app.register_error_handler(HTTPException, _handle_http_error)
    app.register_error_handler(SecurityError, refuse_unknown_host)
    from charter.exports.pdf import PdfUnavailable

    app.register_error_handler(PdfUnavailable, _pdf_unavailable)
    app.after_request(_set_security_headers)
    app.after_request(protect_responses)
    return app


def _configure_languages(app: Flask) -> None:
    """Offer English and every language with a compiled catalog; pick one per request."""
    from charter import languages

    app.config.setdefault("BABEL_DEFAULT_LOCALE", languages.DEFAULT_LANGUAGE)
    directories = app.config.setdefault(
        "BABEL_TRANSLATION_DIRECTORIES", str(Path(app.root_path) / "translations")
    )
    app.config["INTERFACE_LANGUAGES"] = languages.catalog_languages(
        [Path(app.root_path) / d for d in directories.split(";")]
    )
    babel.init_app(app, locale_selector=languages.select_language)
    # Whitespace inside {% trans %} is collapsed, so translators see each sentence on one line.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.add_template_global(languages.page_language)
    app.add_template_global(languages.current_language)
    app.add_template_filter(languages.tracked_change_words, "tracked_words")
    app.add_template_filter(languages.day_in_words, "day")
    app.after_request(languages.vary_by_language)
    app.add_template_global(languages.language_choices)
    app.add_template_global(languages.plural_samples)


# Everything the pages need comes from this site; the browser is told to refuse the rest.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _set_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response


def _deploy_id(app: Flask) -> str:
    """Fingerprint the templates and static files, so cached pages end with a new release."""
    digest = hashlib.sha256()
    for folder in (app.template_folder, app.static_folder):
        root = Path(app.root_path, folder)
        for path in sorted(root.rglob("*")):
            if path.is_file():
                digest.update(f"{path.relative_to(root)}:{path.stat().st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def _ensure_secret_key(app: Flask) -> None:
    """Refuse to run production without SECRET_KEY; in development, keep one in instance/."""
    if app.config.get("SECRET_KEY"):
        return
    if not app.debug and not app.testing:
        raise RuntimeError("SECRET_KEY must be set in the environment to run in production.")
    key_file = Path(app.instance_path) / "secret_key"
    key_file.parent.mkdir(parents=True, exist_ok=True)
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def _pdf_unavailable(error):
    """Without its system libraries a PDF cannot be made; say so and point to the other copies."""
    current_app.logger.error("PDF download refused: WeasyPrint cannot load: %s", error)
    return _handle_http_error(
        ServiceUnavailable(
            _(
                "PDF copies cannot be made on this server just now. The Word and Markdown "
                "downloads hold the same text and can be checked the same way."
            )
        )
    )


def _handle_http_error(error: HTTPException):
    """Answer errors in JSON under /api and as a plain-English page elsewhere."""
    code = error.code or 500
    message = ERROR_MESSAGES.get(code, error.description)
    # Flask-WTF's own refusals are in English; ours is translated, so know it by its class too.
    csrf_refused = isinstance(error, CSRFError) or "CSRF" in (error.description or "")
    if code == 400 and csrf_refused:
        message = _(
            "This form has expired or was sent from another site. "
            "Go back, reload the page and send it again."
        )
    if isinstance(error, RefusedChoice):
        message = error.description
    headers = {}
    if code == 429:  # say when to come back, the same in words and in Retry-After
        from charter.limits import seconds_to_wait, too_many_message

        wait = seconds_to_wait()
        message, headers = too_many_message(wait), {"Retry-After": str(wait)}
    if request.path.startswith("/api/"):
        # A description passed to abort() is specific ("No clause has the key 'x'."); keep it.
        custom = error.description and error.description != type(error).description
        detail = error.description if custom and code != 429 else message
        return jsonify(error={"status": code, "message": str(detail)}), code, headers
    return render_template("errors/error.html", code=code, message=message), code, headers
