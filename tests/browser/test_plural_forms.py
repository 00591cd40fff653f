"""A count in Polish, in a real browser: the script picks each number's form as Polish does."""

import pytest
from playwright.sync_api import expect

from charter.languages import LANGUAGE_COOKIE
from tests.browser.conftest import seeded_app, serving, sign_in
from tests.catalogs import wrapped

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, smtp_server, polish_stand_in):
    """A server of its own, with the stand-in Polish catalog."""
    app = seeded_app(
        tmp_path_factory.mktemp("polish"),
        smtp_server,
        BABEL_TRANSLATION_DIRECTORIES=str(polish_stand_in),
    )
    with serving(app) as address:
        yield address


def test_the_count_takes_the_polish_form_of_each_number(page, live_server, axe_check):
    sign_in(page, "citizen")
    page.context.add_cookies([{"name": LANGUAGE_COOKIE, "value": "pl", "url": live_server}])
    page.goto("/proposals/new?kind=amend&clause=public-register")
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    reason = page.locator("#rationale")
    shown = page.locator("#rationale-count ~ .character-count__message")
    # One: form 0; two to four (but not twelve to fourteen): form 1; the rest: form 2.
    for left, form in ((1, 0), (2, 1), (4, 1), (5, 2), (12, 2), (22, 1), (25, 2)):
        reason.fill("a" * (2_000 - left))
        words = "character" if form == 0 else "characters"
        expect(shown).to_have_text(wrapped(f"form {form}: You have {left} {words} remaining"))
    reason.fill("a" * 2_003)
    expect(shown).to_have_text(wrapped("form 1: You have 3 characters too many"))
    axe_check(page)
