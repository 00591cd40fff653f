"""In a real browser: search from the header by keyboard; results are accessible at any width."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_search_from_the_header_by_keyboard(page, axe_check):
    page.goto("/")
    box = page.get_by_role("search", name="Site").get_by_label(
        "Search clauses, proposals and comments"
    )
    box.focus()
    page.keyboard.type("keeping data")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=keeping+data")
    expect(page.get_by_role("heading", level=2, name="Clauses")).to_be_visible()
    first = page.locator(".search-result").first
    expect(first.locator("mark").first).to_be_visible()
    axe_check(page)


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_results_never_scroll_sideways(page, width, axe_check):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/search?q=data")
    expect(page.locator(".search-result").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    axe_check(page)


def test_the_empty_search_and_a_refused_one_are_accessible(page, axe_check):
    page.goto("/search")
    expect(page.get_by_label("Words to look for")).to_be_visible()
    axe_check(page)
    page.goto("/search?q=" + "x" * 201)
    expect(page.get_by_role("alert")).to_contain_text("at most 200 characters")
    assert page.title().startswith("Error:")
    axe_check(page)
