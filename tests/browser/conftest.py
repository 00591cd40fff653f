"""A live Charter server on 127.0.0.1 and headless Chromium driven by Playwright."""

import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from charter import create_app
from charter.accounts.operations import create_user
from charter.clauses.operations import import_draft
from charter.extensions import db
from charter.models import Role
from charter.text.drafts import parse_draft
from config import TestConfig
from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Flags for a root, headless, offline machine: no sandbox, no GPU, no calls home.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Set to a folder to keep screenshots of pages at desktop and phone widths, to look at.
SHOTS = os.environ.get("CHARTER_SHOTS")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def pytest_collection_modifyitems(config, items):
    """Skip browser tests where no Chromium is installed, but never in CI."""
    if shutil.which(CHROMIUM) or Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI is set but no Chromium at {CHROMIUM}: install it first.")
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


def seeded_app(folder: Path, smtp_server, **settings):
    """An app on a SQLite file of its own, seeded with the draft charter and one account per role.

    The browser suite always uses its own SQLite file, so the per-test database of the other
    tests (SQLite or PostgreSQL) is never shared with a running server.
    """
    database = folder / "charter.sqlite"
    app = create_app(
        TestConfig,
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", **smtp_server.settings, **settings},
    )
    with app.app_context():
        db.create_all()
        draft = Path(__file__).parents[2] / "drafts" / "citizen-data-charter.md"
        import_draft(parse_draft(draft.read_text()), slug=app.config["CHARTER_SLUG"])
        for role in Role:
            create_user(f"{role.value}@example.org", f"{role.label} Demo", PASSWORD, role)
        db.session.commit()
    return app


@pytest.fixture(scope="session")
def live_app(tmp_path_factory, smtp_server):
    """The app behind the live server."""
    return seeded_app(tmp_path_factory.mktemp("live"), smtp_server)


def read_whole(app):
    """Wrap an app so each response is read whole and closed before anything is sent.

    Werkzeug's development server closes a response (a static file, say) only after it has
    drained the socket, and a browser that drops the connection first, as it does when a page
    is left mid-load, makes that drain raise: the file stays open until the garbage collector
    warns of it, in whichever test runs then.
    """

    def wsgi(environ, start_response):
        body = app(environ, start_response)
        try:
            return [b"".join(body)]
        finally:
            if hasattr(body, "close"):
                body.close()

    return wsgi


@contextmanager
def serving(app):
    """Serve an app on a free port of 127.0.0.1 until the block ends; give its address."""
    server = make_server("127.0.0.1", 0, read_whole(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_server(live_app):
    """Serve the seeded Charter for the whole session."""
    with serving(live_app) as address:
        yield address


def shoot(page, name: str, widths=(1280, 390)) -> None:
    """Keep screenshots of the page at each width, when CHARTER_SHOTS names a folder."""
    if not SHOTS:
        return
    Path(SHOTS).mkdir(parents=True, exist_ok=True)
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab that fails the test if any request leaves 127.0.0.1."""
    context = browser.new_context(base_url=live_server, viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    outside: list[str] = []
    tab.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server, "data:", "about:"))
            else outside.append(request.url)
        ),
    )
    yield tab
    context.close()
    assert outside == [], f"requests left the site: {outside}"


@pytest.fixture
def axe_check():
    """Run axe-core on a page and fail with a readable list of any violation."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()

    def check(page):
        results = axe.run(
            page,
            options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
        )
        problems = [
            f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"]
        ]
        assert problems == [], f"axe-core on {page.url}:\n" + "\n".join(problems)
        return results

    return check


@pytest.fixture(scope="session")
def _signed_in_states():
    return {}


@pytest.fixture
def as_role(browser, live_server, _signed_in_states):
    """Open a tab signed in as a role; each role signs in through the form once a session.

    Reusing the session cookie keeps the suite under the sign-in rate limit, which stays on.
    """
    contexts = []

    def open_as(role: str):
        state = _signed_in_states.get(role)
        context = browser.new_context(base_url=live_server, storage_state=state)
        contexts.append(context)
        page = context.new_page()
        if state is None:
            sign_in(page, role)
            _signed_in_states[role] = context.storage_state()
        return page

    yield open_as
    for context in contexts:
        context.close()


def sign_in(page, role: str) -> None:
    """Sign in through the form as the seeded account of a role."""
    page.goto("/accounts/login")
    page.get_by_label("Email address").fill(f"{role}@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")
