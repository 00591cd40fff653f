"""Small HTTP helpers shared by the blueprints: conditional GET and a cache for sealed pages."""

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Response, current_app, request, session, url_for
from flask_babel import get_locale
from flask_login import current_user

PAGE_CACHE_SIZE = 256


def conditional(response: Response) -> Response:
    """Give the response an ETag and answer 304 Not Modified when the client already has it."""
    response.add_etag()
    response.headers["Cache-Control"] = "no-cache"  # always revalidate; cheap when unchanged
    response.vary.update(("Cookie", "Accept-Language"))  # who is signed in, in which language
    return response.make_conditional(request)


class _PageCache:
    """Rendered pages of sealed content, per process, least recently used out first."""

    def __init__(self, size: int):
        self.size = size
        self.pages: OrderedDict[str, str] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
            return page

    def put(self, key: str, page: str) -> None:
        with self.lock:
            self.pages[key] = page
            self.pages.move_to_end(key)
            while len(self.pages) > self.size:
                self.pages.popitem(last=False)


_pages = _PageCache(PAGE_CACHE_SIZE)


def sealed_page(key: str, render: Callable[[], str], mimetype: str = "text/html") -> Response:
    """Serve a page built only from published, immutable content.

    The key must name everything the page shows (the chain hashes of the versions in it), so a
    cached copy can never be stale. Readers who are not signed in and have no message waiting
    share one rendering and get a 304 without any rendering at all; signed-in readers see their
    own header, so their page is rendered for them.
    """
    if current_user.is_authenticated or session.get("_flashes"):
        return conditional(Response(render(), mimetype=mimetype))
    deploy = current_app.config.get("DEPLOY_ID", "")
    # Every page carries the consultation banner, which changes as deadlines near and pass.
    from charter.consultations.context import banner_key

    key = f"{key}\n{banner_key()}\n{get_locale()}"
    etag = hashlib.sha256(f"{deploy}\n{mimetype}\n{key}".encode()).hexdigest()[:40]
    if request.if_none_match.contains(etag):
        response = Response(status=304)
    else:
        page = _pages.get(etag)
        if page is None:
            page = render()
            _pages.put(etag, page)
        response = Response(page, mimetype=mimetype)
    response.set_etag(etag)
    response.headers["Cache-Control"] = "no-cache"
    response.vary.update(("Cookie", "Accept-Language"))
    return response


def local_path(target: str | None) -> str:
    """Follow a ?next= only to a path on this site, never to another host."""
    # Browsers read a backslash as a slash, so "/\\evil.example" would leave the site.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("public.index")
