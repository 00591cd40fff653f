"""Choosing words to comment on without a mouse or a native selection: keyboard and touch."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from charter.accounts.operations import find_user
from charter.clauses.queries import get_charter, get_clause
from charter.extensions import db
from charter.models import Comment, ProposalKind
from charter.proposals.operations import create_proposal

pytestmark = pytest.mark.browser

CLAUSE = "/clauses/purpose-limits"  # its first paragraph ends with a link


def _tab_to(page, selector, limit=60):
    """Press Tab until the element matching the selector has focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"document.activeElement.matches({selector!r})"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def _status(page):
    return page.locator("[data-choose-status]")


def _saved(live_app, body):
    with live_app.app_context():
        comment = db.session.scalars(select(Comment).where(Comment.body == body)).one()
        return comment.exact


def test_choose_words_in_the_middle_of_a_clause_with_a_link_by_keyboard(
    as_role, live_app, axe_check
):
    page = as_role("citizen")
    page.goto(CLAUSE)
    wording = page.locator("[data-anchorable]")
    link = wording.get_by_role("link", name="Data Protection Act 2018")
    _tab_to(page, "[data-choose-start]")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.hasAttribute('data-anchorable')")
    mode = page.get_by_role("textbox", name="Choose words: Wording of “A clear reason")
    expect(mode).to_be_focused()
    expect(page.get_by_text("Use the arrow keys to move from word to word")).to_be_visible()
    expect(_status(page)).to_have_text("Chosen: “Every” (1 word). Press Enter to comment on it.")
    # "Every project must have a lawful basis. This means a reason for using data that the
    # law accepts, such as carrying out a public task." The 21st word is "carrying".
    for _ in range(20):
        page.keyboard.press("ArrowRight")
    expect(_status(page)).to_have_text("Chosen: “carrying” (1 word). Press Enter to comment on it.")
    for _ in range(5):
        page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowLeft")  # one too far: back to "task"
    expect(_status(page)).to_have_text(
        "Chosen: “carrying out a public task” (5 words). Press Enter to comment on them."
    )
    assert _status(page).get_attribute("role") == "status"
    axe_check(page)

    # Tab goes to the button for the chosen words, past the link; Shift+Tab comes back.
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Comment on these words")).to_be_focused()
    expect(link).not_to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(wording).to_be_focused()
    expect(_status(page)).to_contain_text("“carrying out a public task”")

    url = page.url
    page.keyboard.press("Enter")
    assert page.url == url
    expect(page.get_by_label("Your comment")).to_be_focused()
    expect(page.locator("[data-selection-text]")).to_have_text("carrying out a public task")
    page.keyboard.type("Which public tasks?")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Post comment")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("mark.comment-mark").first).to_have_text("carrying out a public task")
    assert _saved(live_app, "Which public tasks?") == "carrying out a public task"

    # Again, across the new highlight, which waits like the link while words are chosen.
    _tab_to(page, "[data-choose-start]")
    page.keyboard.press("Enter")
    for _ in range(17):
        page.keyboard.press("ArrowRight")
    for _ in range(9):
        page.keyboard.press("Shift+ArrowRight")
    expect(_status(page)).to_contain_text("“accepts, such as carrying out a public task. The main”")
    assert page.locator("mark.comment-mark").first.get_attribute("tabindex") == "-1"
    page.keyboard.press("Enter")
    page.get_by_label("Your comment").fill("Which laws?")
    page.get_by_role("button", name="Post comment").click()
    saved = _saved(live_app, "Which laws?")
    assert saved == "accepts, such as carrying out a public task. The main"
    page.context.close()


def test_enter_on_a_word_of_a_link_comments_and_escape_stops(as_role, live_server, axe_check):
    page = as_role("citizen")
    page.goto(CLAUSE)
    url = page.url
    _tab_to(page, "[data-choose-start]")
    page.keyboard.press("Enter")
    for _ in range(60):
        page.keyboard.press("ArrowRight")
        if "“Act”" in _status(page).inner_text():
            break
    page.keyboard.press("Shift+ArrowRight")
    expect(_status(page)).to_contain_text("“Act 2018” (2 words)")
    page.keyboard.press("Escape")  # stop: the start button has focus, nothing is chosen
    expect(page.get_by_role("button", name="Choose words to comment on")).to_be_focused()
    expect(_status(page)).to_have_text("Stopped choosing words.")
    expect(page.get_by_text("Use the arrow keys to move from word to word")).to_be_hidden()
    expect(page.get_by_role("button", name="Comment on these words")).to_be_hidden()
    wording = page.locator("[data-anchorable]")
    assert wording.get_attribute("role") is None
    assert wording.locator("a[href]").get_attribute("tabindex") is None
    for mark in wording.locator("mark.comment-mark").all():  # the highlights are links again
        assert mark.get_attribute("tabindex") == "0"
    page.keyboard.press("Enter")
    page.keyboard.press("End")  # the last word of the clause
    expect(_status(page)).to_have_text("Chosen: “job” (1 word). Press Enter to comment on it.")
    page.keyboard.press("ArrowUp")  # a line up: the list item above
    expect(_status(page)).to_contain_text("(1 word)")
    expect(_status(page)).not_to_contain_text("“job”")
    page.keyboard.press("ArrowDown")  # back to the last item, at the same place across
    last_item = "we|will|use|the|smallest|amount|of|data|that|does|job"
    expect(_status(page)).to_have_text(re.compile(f"“({last_item})”"))
    page.keyboard.press("Home")
    expect(_status(page)).to_contain_text("“Every”")
    for _ in range(60):
        page.keyboard.press("ArrowRight")
        if "“2018”" in _status(page).inner_text():
            break
    page.keyboard.press("Enter")
    assert page.url == url
    expect(page.locator("[data-selection-text]")).to_have_text("2018")
    axe_check(page)

    # Focus moved on elsewhere stops the mode, and the links in the wording work again.
    page.get_by_role("button", name="Choose words to comment on").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Comment on these words")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Comment on these words")).to_be_hidden()
    assert wording.get_attribute("role") is None
    assert wording.locator("a[href]").get_attribute("tabindex") is None
    page.context.close()


def test_choose_words_in_a_proposed_wording(as_role, live_app, axe_check):
    with live_app.app_context():
        clause = get_clause(get_charter(), "how-long-we-keep-data")
        proposal = create_proposal(
            get_charter(),
            find_user("citizen@example.org"),
            ProposalKind.AMEND,
            clause=clause,
            heading=clause.current_revision.heading,
            body="We keep data for [six months](https://example.org/) and then delete it.",
            rationale="Shorter is safer.",
        )
        db.session.commit()
        address = f"/proposals/{proposal.id}"
    page = as_role("citizen")
    page.goto(address)
    _tab_to(page, "[data-choose-start]")
    page.keyboard.press("Enter")
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    page.keyboard.press("Shift+ArrowRight")
    expect(_status(page)).to_contain_text("“six months and”")
    axe_check(page)
    page.keyboard.press("Enter")
    assert page.url.endswith(address)
    page.keyboard.type("Why six?")
    page.get_by_role("button", name="Post comment").click()
    assert _saved(live_app, "Why six?") == "six months and"
    page.context.close()


def _word_centre(page, words):
    """Where the words are drawn on the page, to tap them."""
    return page.evaluate(
        """(words) => {
            const root = document.querySelector("[data-anchorable]");
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const at = walker.currentNode.data.indexOf(words);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(walker.currentNode, at);
                    range.setEnd(walker.currentNode, at + words.length);
                    const r = range.getClientRects()[0];
                    return {x: r.left + r.width / 2, y: r.top + r.height / 2};
                }
            }
        }""",
        words,
    )


def _tap_word(page, words):
    at = _word_centre(page, words)
    page.touchscreen.tap(at["x"], at["y"])


def test_choose_words_by_touch_on_a_phone(
    as_role, browser, live_server, live_app, _signed_in_states, axe_check
):
    as_role("citizen").context.close()  # signs in once, to reuse the session
    context = browser.new_context(
        base_url=live_server,
        storage_state=_signed_in_states["citizen"],
        viewport={"width": 390, "height": 844},
        has_touch=True,
        is_mobile=True,
    )
    page = context.new_page()
    page.goto(CLAUSE)
    url = page.url
    page.get_by_role("button", name="Choose words to comment on").tap()
    expect(page.get_by_text("tap the first word, then the last")).to_be_visible()
    _tap_word(page, "lawful")
    expect(_status(page)).to_have_text("Chosen: “lawful” (1 word). Press Enter to comment on it.")
    _tap_word(page, "Protection Act")  # a word of the link: chosen, not followed
    expect(_status(page)).to_contain_text("“lawful basis.")
    expect(_status(page)).to_contain_text("Data Protection”")
    assert page.url == url
    _tap_word(page, "reason")  # a third tap starts again
    _tap_word(page, "public task")
    # Over twelve words, the live region reads out the first and last five.
    expect(_status(page)).to_have_text(
        "Chosen: “reason for using data that … as carrying out a public” (14 words)."
        " Press Enter to comment on them."
    )
    axe_check(page)
    page.get_by_role("button", name="Comment on these words").tap()
    expect(page.locator("[data-selection-text]")).to_have_text(
        "reason for using data that the law accepts, such as carrying out a public"
    )
    page.get_by_label("Your comment").fill("Who decides what is public?")
    page.get_by_role("button", name="Post comment").tap()
    expect(page.locator(".threads")).to_contain_text("Who decides what is public?")
    assert (
        _saved(live_app, "Who decides what is public?")
        == "reason for using data that the law accepts, such as carrying out a public"
    )
    context.close()
