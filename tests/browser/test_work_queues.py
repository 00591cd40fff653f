"""The committee's work queues in a real browser: readable, accessible, at every width."""

import os
from datetime import timedelta

from charter.clauses.queries import get_charter
from charter.comments.operations import post_comment, report_comment
from charter.extensions import db
from charter.models import CommentKind, User, utcnow

SHOTS = os.environ.get("SHOTS_DIR")  # set to save screenshots of the page at three widths


def test_the_committee_page_shows_its_queues_accessibly(as_role, live_app, axe_check):
    with live_app.app_context():
        charter = get_charter()
        citizen = db.session.scalar(db.select(User).filter_by(email="citizen@example.org"))
        member = db.session.scalar(db.select(User).filter_by(email="committee@example.org"))
        clause = charter.clauses[0]
        for n, days in enumerate((9, 4, 1)):
            question = post_comment(
                citizen, body=f"Queue question {n}?", clause=clause, kind=CommentKind.QUESTION
            )
            question.created_at = utcnow() - timedelta(days=days)
        comment = post_comment(citizen, body="Reported words.", clause=clause)
        report_comment(comment, member, "Please look at this.")
        db.session.commit()
    tab = as_role("committee")
    tab.goto("/committee/")
    section = tab.get_by_role("region", name="Questions without an official answer")
    items = section.get_by_role("listitem")
    assert items.first.get_by_role("link").inner_text() == "Queue question 0?"
    assert "waiting 9 days" in items.first.inner_text()
    axe_check(tab)
    for width in (1280, 390, 320):
        tab.set_viewport_size({"width": width, "height": 900})
        assert tab.evaluate("document.documentElement.scrollWidth") <= width
        if SHOTS:
            tab.screenshot(path=f"{SHOTS}/committee-{width}.png", full_page=True)
    for path, name in (("/committee/questions", "questions"), ("/committee/candidate/new", "open")):
        tab.set_viewport_size({"width": 1280, "height": 900})
        tab.goto(path)
        axe_check(tab)
        for width in (1280, 390, 320):
            tab.set_viewport_size({"width": width, "height": 900})
            assert tab.evaluate("document.documentElement.scrollWidth") <= width
            if SHOTS:
                tab.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    warning = tab.get_by_role("region", name="Warning: 3 questions are still waiting")
    assert warning.get_by_role("link", name="Queue question 0?").is_visible()


def test_a_clause_page_offers_its_feed(page, live_app):
    with live_app.app_context():
        key = get_charter().clauses[0].key
    page.goto(f"/clauses/{key}")
    link = page.get_by_role("link", name="Follow this clause (Atom feed)")
    assert link.get_attribute("href") == f"/clauses/{key}.atom"
    assert page.locator("link[rel=alternate][type='application/atom+xml']").count() == 1
    for width in (1280, 390, 320):
        page.set_viewport_size({"width": width, "height": 900})
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/clause-{width}.png")
    response = page.request.get(f"/clauses/{key}.atom")
    assert response.ok and response.headers["content-type"].startswith("application/atom+xml")
