"""Choosing the site's language in a real browser, by keyboard, with a second catalog present."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import seeded_app, serving, shoot
from tests.catalogs import wrapped

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, smtp_server, stand_in_catalogs):
    """A server of its own: the shared one offers English alone."""
    app = seeded_app(
        tmp_path_factory.mktemp("languages"),
        smtp_server,
        BABEL_TRANSLATION_DIRECTORIES=str(stand_in_catalogs),
    )
    with serving(app) as address:
        yield address


def test_a_reader_switches_language_by_keyboard_and_stays_on_the_page(page, axe_check):
    page.goto("/draft?view=full")
    choice = page.get_by_label("Language", exact=True)
    expect(choice).to_have_value("en")
    choice.focus()
    page.keyboard.press("ArrowDown")  # a closed <select> moves to the next language
    expect(choice).to_have_value("nl")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Change language")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert page.url.endswith("/draft?view=full")
    expect(page.get_by_role("link", name=wrapped("Working draft"))).to_be_visible()
    expect(page.get_by_label(wrapped("Language"), exact=True)).to_have_value("nl")
    axe_check(page)
    shoot(page, "language-chosen")
    # And back: the choice outlasts the page and beats what the browser asks for.
    page.get_by_label(wrapped("Language"), exact=True).select_option("en")
    page.get_by_role("button", name=wrapped("Change language")).click()
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    expect(page.get_by_role("link", name="Working draft")).to_be_visible()
