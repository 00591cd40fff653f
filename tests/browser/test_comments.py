"""In a real browser: select words by mouse, comment, reply, moderate.

Choosing words by keyboard and touch: test_choose_words.py.
"""

import pytest
from playwright.sync_api import expect

from charter.clauses.operations import create_revision
from charter.clauses.queries import get_charter, get_clause
from charter.extensions import db

pytestmark = pytest.mark.browser


def _select_with_mouse(page, words):
    """Drag across the words, as a reader with a mouse would."""
    box = page.locator("[data-anchorable]").get_by_text(words, exact=False).first
    box.scroll_into_view_if_needed()  # mouse events land only inside the viewport
    handle = box.element_handle()
    # Find the words' own rectangle inside their text node.
    rect = page.evaluate(
        """([element, words]) => {
            const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
            while (walker.nextNode()) {
                const at = walker.currentNode.data.indexOf(words);
                if (at >= 0) {
                    const range = document.createRange();
                    range.setStart(walker.currentNode, at);
                    range.setEnd(walker.currentNode, at + words.length);
                    const r = range.getClientRects()[0];
                    return {x1: r.left + 1, y: r.top + r.height / 2, x2: r.right - 1};
                }
            }
        }""",
        [handle, words],
    )
    page.mouse.move(rect["x1"], rect["y"])
    page.mouse.down()
    page.mouse.move(rect["x2"], rect["y"], steps=5)
    page.mouse.up()


def test_comment_on_words_selected_with_the_mouse_then_reply(
    as_role, browser, live_server, axe_check
):
    page = as_role("citizen")
    page.goto("/clauses/keeping-data-safe")
    _select_with_mouse(page, "de-identify data")
    page.get_by_role("button", name="Comment on these words").click()
    assert page.locator("[data-selection-text]").inner_text() == "de-identify data"
    assert page.evaluate("document.activeElement.name") == "body"  # straight to the textarea
    page.get_by_label("Your comment").fill("What does de-identify mean here?")
    page.get_by_label("This is a").select_option("question")
    page.get_by_role("button", name="Post comment").click()
    mark = page.locator("mark.comment-mark")
    assert mark.first.inner_text() == "de-identify data"
    comment = page.locator(".threads .comment").last
    assert "What does de-identify mean here?" in comment.inner_text()
    assert mark.first.get_attribute("title") == "1 thread on these words"
    comment.get_by_role("link", name="“de-identify data”").click()
    on = mark.first.get_attribute("data-on")
    assert page.url.endswith(f"?on={on}#discussion")
    assert "On these words: “de-identify data”" in page.locator(".discussion").inner_text()
    axe_check(page)
    # With the script, Enter (or a click) on the highlighted words goes to the same threads.
    page.goto("/clauses/keeping-data-safe")
    page.locator("mark.comment-mark").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**?on={on}#discussion")
    page.goto("/clauses/keeping-data-safe")
    page.locator("mark.comment-mark").first.click()
    page.wait_for_url(f"**?on={on}#discussion")

    member = as_role("committee")
    member.goto("/clauses/keeping-data-safe")
    member.locator(".threads .comment").last.get_by_role("link", name="Reply").click()
    axe_check(member)
    member.get_by_label("Your reply").fill("It means names and addresses are removed.")
    member.get_by_label("Post as the committee's official answer").check()
    member.get_by_role("button", name="Post reply").click()
    answer = member.locator(".comment--answer")
    assert "Official answer" in answer.inner_text()
    axe_check(member)
    page.context.close()
    member.context.close()


def test_reworded_clause_keeps_its_comment_on_the_right_words(as_role, live_app):
    page = as_role("citizen")
    page.goto("/clauses/what-we-join")
    _select_with_mouse(page, "plan and improve public services")
    page.get_by_role("button", name="Comment on these words").click()
    page.get_by_label("Your comment").fill("Which services?")
    page.get_by_role("button", name="Post comment").click()
    with live_app.app_context():
        clause = get_clause(get_charter(), "what-we-join")
        body = clause.current_revision.body
        create_revision(
            clause, clause.current_revision.heading, "A new opening sentence.\n\n" + body
        )
        db.session.commit()
    page.goto("/clauses/what-we-join")
    assert (
        page.locator("mark.comment-mark").first.inner_text() == "plan and improve public services"
    )
    page.context.close()


def test_moderators_hide_and_restore(as_role, browser, live_server, axe_check):
    author = as_role("citizen")
    author.goto("/clauses/commercial-partners")
    author.get_by_label("Your comment").fill("Visit my shop for cheap watches")
    author.get_by_role("button", name="Post comment").click()

    reporter = as_role("admin")
    reporter.goto("/clauses/commercial-partners")
    reporter.locator(".comment", has_text="cheap watches").get_by_role(
        "link", name="Report"
    ).click()
    reporter.get_by_label("Reason").fill("Advertising")
    reporter.get_by_role("button", name="Send the report").click()

    member = as_role("committee")
    member.goto("/comments/moderation")
    axe_check(member)
    item = member.locator(".moderation-item", has_text="cheap watches")
    item.get_by_label("Public reason for hiding").fill("advertising")
    item.get_by_role("button", name="Hide comment").click()

    reader = browser.new_context(base_url=live_server).new_page()
    reader.goto("/clauses/commercial-partners")
    assert reader.get_by_text("Hidden by the moderators: advertising").is_visible()
    assert "cheap watches" not in reader.content()
    member.goto("/comments/moderation")
    member.locator(".moderation-item", has_text="cheap watches").get_by_role("button").click()
    reader.reload()
    assert "cheap watches" in reader.content()
    axe_check(reader)
    for page in (author, reporter, member, reader):
        page.context.close()


def test_the_comment_button_takes_the_words_selected_when_it_is_pressed(as_role, live_server):
    page = as_role("citizen")
    page.goto("/clauses/fairness-and-bias")
    _select_with_mouse(page, "Data")
    button = page.locator("[data-comment-on-selection]")
    expect(button).to_be_visible()
    # A quick keyboard user: one more word, and the button, before the browser has told the
    # page that the selection changed (selectionchange comes as a later task).
    page.evaluate(
        """() => {
            window.getSelection().modify("extend", "forward", "word");
            document.querySelector("[data-comment-on-selection]").click();
        }"""
    )
    expect(page.locator("[data-selection-text]")).to_have_text("Data can")
