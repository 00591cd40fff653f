"""Request-wide defences: the site's own URL, same-origin form posts, caching and HSTS."""

from urllib.parse import urlsplit

from flask import Flask, current_app, request
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class CharterFlask(Flask):
    """Flask that builds absolute URLs from SITE_URL, never from the Host a visitor sent."""

    def url_for(self, endpoint: str, *, _external: bool | None = None, **values) -> str:
        site = (self.config.get("SITE_URL") or "").rstrip("/")
        if not (_external and site):
            return super().url_for(endpoint, _external=_external, **values)
        values.pop("_scheme", None)
        path = super().url_for(endpoint, _external=False, **values)
        root = request.script_root if request else ""
        return site + path[len(root) :] if root and path.startswith(root) else site + path


def configure_site_url(app: Flask) -> None:
    """Check SITE_URL and, in production, accept only requests addressed to its host."""
    site = (app.config.get("SITE_URL") or "").rstrip("/")
    production = not (app.debug or app.testing)
    if not site:
        if production:
            raise RuntimeError(
                "SITE_URL must be set in production, e.g. https://charter.example.org: "
                "links in the feed and the API are built from it."
            )
        return
    parts = urlsplit(site)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        raise RuntimeError(f"SITE_URL must look like https://charter.example.org, not {site!r}.")
    app.config["SITE_URL"] = site
    if production and app.config.get("TRUSTED_HOSTS") is None:
        app.config["TRUSTED_HOSTS"] = [parts.hostname]


def refuse_unknown_host(error):
    """Answer a request for a host this site is not, in plain text (no page can link anywhere)."""
    return _("This site does not answer to that address."), 400, {"Content-Type": "text/plain"}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def site_origin() -> str:
    """Return the scheme, host and port this site is served from."""
    return _origin(current_app.config.get("SITE_URL") or request.host_url)


def refuse_cross_site_posts() -> None:
    """Refuse a state-changing request that a browser says came from another site.

    Browsers send Origin with cross-site POSTs; where one is missing (some older browsers and
    privacy tools drop it), the Referer is checked instead, and a request with neither is left
    to the CSRF token alone, as OWASP advises.
    """
    if request.method in SAFE_METHODS:
        return
    sent = request.headers.get("Origin") or request.headers.get("Referer")
    if sent is None:
        return
    if sent == "null" or _origin(sent) != site_origin():
        raise CSRFError(_("The CSRF check failed: this form was sent from another site."))


def protect_responses(response):
    """Keep signed-in pages out of shared caches, and tell browsers to insist on HTTPS."""
    if request.endpoint != "static" and current_user.is_authenticated:
        response.headers["Cache-Control"] = "no-store"
    if max_age := current_app.config.get("HSTS_MAX_AGE"):
        response.headers.setdefault("Strict-Transport-Security", f"max-age={max_age}")
    return response
