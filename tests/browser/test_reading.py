"""In a real browser: read the charter, follow a permalink, sign in; axe-core finds nothing."""

import pytest

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser


def test_home_page_shows_the_charter_and_is_accessible(page, axe_check):
    page.goto("/")
    assert page.get_by_role("heading", level=1).inner_text() == "Citizen Data Charter"
    status = page.locator(".charter__header .status").inner_text()
    assert status.startswith(("Draft, not yet ratified.", "Version "))
    contents = page.get_by_role("navigation", name="Contents")
    assert contents.get_by_role("link").count() == 12
    axe_check(page)


def test_working_draft_is_marked_as_a_draft(page, axe_check):
    page.goto("/draft")
    assert page.get_by_text("Draft, not yet ratified.").is_visible()
    axe_check(page)


def test_contents_link_jumps_to_the_clause(page):
    page.goto("/")
    page.get_by_role("navigation", name="Contents").get_by_role("link").nth(6).click()
    assert page.url.endswith("#human-decisions")
    assert page.locator("#human-decisions").is_visible()


def test_follow_a_clause_permalink_to_its_history(page, axe_check):
    page.goto("/")
    page.get_by_role("link", name="Permalink and history of “What data we join, and why”").click()
    page.wait_for_url("**/clauses/what-we-join")
    assert page.get_by_role("heading", level=1).inner_text() == "What data we join, and why"
    assert page.get_by_role("heading", name="History").is_visible()
    assert page.locator("details[open] summary").inner_text().startswith("Wording ")
    axe_check(page)


def test_skip_link_is_the_first_thing_the_keyboard_reaches(page):
    page.goto("/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_sign_in_through_the_form(page, axe_check):
    page.goto("/accounts/login")
    axe_check(page)
    page.get_by_label("Email address").fill("citizen@example.org")
    page.get_by_label("Password", exact=True).fill("wrong password")
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").get_by_text("do not match an account").is_visible()
    axe_check(page)
    sign_in(page, "citizen")
    assert page.get_by_text("Signed in as Citizen Demo.").is_visible()
    assert page.get_by_role("button", name="Sign out").is_visible()
    axe_check(page)


def test_register_form_errors_are_accessible(page, axe_check):
    page.goto("/accounts/register")
    axe_check(page)
    page.get_by_role("button", name="Register").click()
    summary = page.get_by_role("alert")
    assert summary.get_by_text("Enter the name you want others to see.").is_visible()
    summary.get_by_role("link", name="Display name: Enter the name you want others to see.").click()
    assert page.evaluate("document.activeElement.id") == "display_name"
    axe_check(page)


def test_account_pages_are_accessible(as_role, axe_check):
    page = as_role("admin")
    for path in ("/accounts/password", "/admin/users", "/draft", "/clauses/your-rights"):
        page.goto(path)
        axe_check(page)


def test_phone_width_has_no_sideways_scrolling(page, axe_check):
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ("/", "/clauses/what-we-join", "/accounts/register"):
        page.goto(path)
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
    axe_check(page)


@pytest.mark.parametrize("path", ["/", "/versions", "/proposals/", "/transparency"])
def test_nothing_is_wider_than_a_320_pixel_phone(browser, live_server, live_app, path):
    from charter.audit import record
    from charter.extensions import db
    from charter.models import User

    with live_app.app_context():
        member = db.session.scalar(db.select(User).filter_by(email="committee@example.org"))
        # A badge beside the name and a long unbroken file name, as a draft import writes.
        record(member, "test.long", "charter", None, "Imported citizen-data-charter-v2.md: 12")
        db.session.commit()
    context = browser.new_context(base_url=live_server, viewport={"width": 320, "height": 700})
    tab = context.new_page()
    tab.goto(path)
    widths = tab.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    context.close()
    assert widths[0] <= widths[1], widths
