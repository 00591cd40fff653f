"""A count in Polish, in a real browser: the script picks each number's form as Polish does."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from charter import create_app
from charter.accounts.operations import create_user
from charter.clauses.operations import import_draft
from charter.extensions import db
from charter.languages import LANGUAGE_COOKIE
from charter.text.drafts import parse_draft
from config import TestConfig
from tests.browser.conftest import serving, sign_in
from tests.catalogs import wrapped
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, smtp_server, polish_stand_in):
    """A server of its own, with the stand-in Polish catalog."""
    database = tmp_path_factory.mktemp("polish") / "charter.sqlite"
    app = create_app(
        TestConfig,
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
            "BABEL_TRANSLATION_DIRECTORIES": str(polish_stand_in),
            **smtp_server.settings,
        },
    )
    with app.app_context():
        db.create_all()
        draft = Path(__file__).parents[2] / "drafts" / "citizen-data-charter.md"
        import_draft(parse_draft(draft.read_text()), slug=app.config["CHARTER_SLUG"])
        create_user("citizen@example.org", "Citizen Demo", PASSWORD)
        db.session.commit()
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
