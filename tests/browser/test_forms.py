"""Forms in a real browser: counts as people type, focus on errors, confirmed committee actions."""

import pytest
from playwright.sync_api import expect

from charter.clauses.operations import create_revision
from charter.clauses.queries import get_charter, get_clause
from charter.extensions import db
from charter.models import CharterVersion, User, VoteChoice
from charter.versions.operations import cast_vote, open_candidate, publish_working_draft
from charter.versions.queries import current_candidate, latest_published
from tests.browser.conftest import shoot

pytestmark = pytest.mark.browser


def test_typing_past_the_limit_is_counted_not_cut(as_role):
    citizen = as_role("citizen")
    citizen.goto("/proposals/new?kind=amend&clause=public-register")
    reason = citizen.get_by_label("Why this change?")
    assert reason.get_attribute("maxlength") is None
    live = citizen.locator("#rationale-count ~ [aria-live='polite']")
    shown = citizen.locator("#rationale-count ~ .character-count__message")
    assert shown.text_content() == "You have 2,000 characters remaining"
    reason.fill("a" * 1_990)
    reason.press_sequentially("b" * 15)  # typed past the limit: the browser keeps every key
    assert len(reason.input_value()) == 2_005
    assert shown.text_content() == "You have 5 characters too many"
    # The live region speaks once typing settles, not at each key.
    live.filter(has_text="You have 5 characters too many").wait_for()
    reason.press("Backspace")
    live.filter(has_text="You have 4 characters too many").wait_for()
    citizen.get_by_role("button", name="Send the proposal").click()
    assert citizen.get_by_text("Keep the reason to 2,000 characters.").first.is_visible()
    assert len(citizen.get_by_label("Why this change?").input_value()) == 2_004


def test_a_refused_form_puts_focus_on_the_error_summary(page):
    page.goto("/accounts/register")
    page.get_by_role("button", name="Register").click()
    page.locator(".error-summary").wait_for()
    assert page.title().startswith("Error: ")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    # expect() polls from Playwright's side; a string predicate would be eval'd in the page,
    # which the CSP forbids.
    expect(summary).to_be_focused(timeout=5_000)


def test_withdrawing_a_candidate_asks_why_on_a_page_of_its_own(as_role, live_app, axe_check):
    with live_app.app_context():
        charter = get_charter()
        if latest_published(charter) is None:
            publish_working_draft(charter, changelog="- The first agreed text.")
        if current_candidate(charter) is None:
            why = get_clause(charter, "public-register")
            create_revision(why, why.current_revision.heading, why.current_revision.body + " Now.")
            member = db.session.scalar(db.select(User).filter_by(email="committee@example.org"))
            open_candidate(charter, member, "- One word more.")
        db.session.commit()
        number = latest_published(charter).number + 1

    member = as_role("committee")
    member.goto("/versions/candidate")
    member.get_by_role("link", name="Withdraw this candidate").click()
    assert member.get_by_role("heading", name=f"Withdraw the candidate for version {number}?")
    axe_check(member)
    shoot(member, "confirm-withdraw")
    member.get_by_role("button", name="Withdraw the candidate").click()
    member.locator(".error-summary").wait_for()
    assert member.title().startswith("Error: ")
    expect(member.locator(".error-summary")).to_be_focused(timeout=5_000)
    member.get_by_label("Why withdraw the candidate?").fill("The changelog misses a clause.")
    member.get_by_role("button", name="Withdraw the candidate").click()
    assert member.get_by_text("The candidate is withdrawn.").is_visible()
    member.goto("/transparency")
    assert member.get_by_text("Reason: The changelog misses a clause.").is_visible()


def test_the_publish_confirmation_page(as_role, live_app, axe_check):
    with live_app.app_context():
        charter = get_charter()
        if current_candidate(charter) is None:
            why = get_clause(charter, "public-register")
            create_revision(why, why.current_revision.heading, why.current_revision.body + " Then.")
            member = db.session.scalar(db.select(User).filter_by(email="committee@example.org"))
            candidate = open_candidate(charter, member, "- Another word.")
        else:
            candidate = current_candidate(charter)
        db.session.commit()
        candidate_id = candidate.id

    member = as_role("committee")
    member.goto(f"/committee/candidate/{candidate_id}/publish")
    # Nobody has voted: the page says why it cannot be published and offers no button.
    assert member.get_by_text("the candidate cannot be published").is_visible()
    assert member.locator("main button").count() == 0
    with live_app.app_context():
        candidate = db.session.get(CharterVersion, candidate_id)
        for email in ("committee@example.org", "admin@example.org"):
            voter = db.session.scalar(db.select(User).filter_by(email=email))
            cast_vote(candidate, voter, VoteChoice.APPROVE, "", seen_hash=candidate.content_hash)
        db.session.commit()
    member.reload()
    assert member.get_by_text("This cannot be undone.").is_visible()
    axe_check(member)
    shoot(member, "confirm-publish")
    member.goto(f"/committee/candidate/{candidate_id}/withdraw")
    member.get_by_label("Why withdraw the candidate?").fill("Only for the screenshot test.")
    member.get_by_role("button", name="Withdraw the candidate").click()
    assert member.get_by_text("The candidate is withdrawn.").is_visible()
