"""One resident's comment, from posting to "addressed in version N", in a real browser, and
the mail that tells them so."""

import re
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from charter.accounts.operations import find_user
from charter.clauses.queries import get_charter
from charter.extensions import db
from charter.models import Comment, VoteChoice
from charter.versions.operations import cast_vote, open_candidate, publish_candidate
from charter.versions.queries import current_candidate
from tests.browser.test_comments import _select_with_mouse
from tests.mailbox import text_of

pytestmark = pytest.mark.browser

CLAUSE = "/clauses/when-things-go-wrong"
WORDS = "within 30 days"


def _publish_the_working_draft(live_app) -> int:
    """Put the draft to the committee and publish it, as members do on the candidate page."""
    with live_app.app_context():
        charter = get_charter()
        members = [find_user("committee@example.org"), find_user("admin@example.org")]
        candidate = current_candidate(charter)
        if candidate is not None:  # left open by another test: it holds an older draft
            from charter.versions.operations import withdraw_candidate

            withdraw_candidate(
                candidate, members[0], seen_hash=candidate.content_hash, reason="Start afresh."
            )
        candidate = open_candidate(charter, members[0], "- Breaches reported sooner.")
        for member in members:
            cast_vote(candidate, member, VoteChoice.APPROVE, "", seen_hash=candidate.content_hash)
        version = publish_candidate(candidate, members[0], seen_hash=candidate.content_hash)
        db.session.commit()
        return version.number


def _mail_saying(smtp_server, to: str, words: str, timeout: float = 10):
    """Wait for a mail to `to` whose text holds `words`; fail after timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [m for m in smtp_server.messages(to) if words in text_of(m)]
        if found:
            return found
        time.sleep(0.05)
    seen = [m["Subject"] for m in smtp_server.messages(to)]
    raise AssertionError(f"No mail to {to} says {words!r}; seen: {seen}")


def test_a_comment_is_addressed_by_an_accepted_change_and_listed_in_its_version(
    as_role, live_app, axe_check, smtp_server
):
    resident = as_role("citizen")
    # The resident asks to hear of news at once rather than in the daily digest.
    resident.goto("/account")
    resident.get_by_label("At once, one email for each").check()
    resident.get_by_role("button", name="Save email choice").click()
    expect(resident.get_by_label("At once, one email for each")).to_be_checked()
    axe_check(resident)
    resident.goto(CLAUSE)
    _select_with_mouse(resident, WORDS)
    resident.get_by_role("button", name="Comment on these words").click()
    resident.get_by_label("Your comment").fill("Thirty days is too long to wait.")
    resident.get_by_role("button", name="Post comment").click()
    thread = resident.locator(".threads .comment", has_text="Thirty days is too long to wait.")
    expect(thread.locator(".comment__outcome")).to_contain_text("Outcome: Open")
    with live_app.app_context():
        comment_id = db.session.scalar(
            select(Comment.id).where(Comment.body == "Thirty days is too long to wait.")
        )

    # Another resident proposes new words for the very passage; the committee accepts them.
    resident.goto("/proposals/new?kind=amend&clause=when-things-go-wrong")
    wording = resident.get_by_label("Wording")
    wording.fill(wording.input_value().replace(WORDS, "within 14 days"))
    resident.get_by_label("Why this change?").fill("A month is too long to learn what happened.")
    resident.get_by_role("button", name="Send the proposal").click()
    resident.wait_for_url(re.compile(r".*/proposals/\d+$"))
    proposal_id = int(resident.url.rsplit("/", 1)[1])

    member = as_role("committee")
    member.goto("/committee/")
    expect(member.locator("#comments-title")).to_contain_text("Comments with no outcome yet")
    expect(member.get_by_role("link", name="Thirty days is too long to wait.")).to_be_visible()
    member.goto(f"/proposals/{proposal_id}")
    member.get_by_label("Accept").check()
    member.get_by_label("Reason for the decision").fill("Residents should hear within 14 days.")
    member.get_by_role("button", name="Record the decision").click()
    expect(member.get_by_role("heading", name="Decision: accepted")).to_be_visible()
    member.goto("/committee/")
    expect(member.get_by_role("link", name="Thirty days is too long to wait.")).to_have_count(0)

    # The resident sees what became of the comment, on the thread page and in the API.
    resident.goto(f"/comments/{comment_id}")
    outcome = resident.locator(".comment__outcome").first
    expect(outcome).to_contain_text("Outcome: Addressed")
    expect(outcome).to_contain_text(f"proposal {proposal_id}")
    axe_check(resident)

    number = _publish_the_working_draft(live_app)
    resident.goto(f"/comments/{comment_id}")
    expect(resident.locator(".comment__outcome").first).to_contain_text(f"version {number}")
    api = resident.request.get(f"/api/v1/comments/{comment_id}").json()["comment"]
    assert api["outcome"]["status"] == "addressed"
    assert (api["outcome"]["proposal"], api["outcome"]["version"]) == (proposal_id, number)

    # The mail that says so, and its link to the version's outcomes.
    [told] = _mail_saying(smtp_server, "citizen@example.org", f"addressed in version {number}")
    body = text_of(told)
    assert "Thirty days is too long to wait." in body
    assert told["List-Unsubscribe"] and "One-Click" in told["List-Unsubscribe-Post"]
    [link] = re.findall(rf"^http://localhost(/versions/{number}/outcomes)$", body, re.MULTILINE)
    resident.goto(link)
    expect(resident.locator("main")).to_contain_text("Thirty days is too long to wait.")
    # Told once of the change itself, naming the proposal, and never twice of anything.
    changed = _mail_saying(smtp_server, "citizen@example.org", f"Proposal {proposal_id} changed")
    assert len(changed) == 1

    # "You said, we did": the version's outcomes page lists it under its clause.
    resident.goto(f"/versions/{number}")
    resident.get_by_role("link", name=re.compile("You said, we did", re.I)).first.click()
    expect(resident).to_have_url(re.compile(rf".*/versions/{number}/outcomes$"))
    listed = resident.locator("main").get_by_text("Thirty days is too long to wait.")
    expect(listed).to_be_visible()
    expect(resident.locator("main")).to_contain_text("Addressed")
    axe_check(resident)
    for width in (390, 320):
        resident.set_viewport_size({"width": width, "height": 800})
        assert resident.evaluate(
            "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        )
    resident.goto("/account")  # back to the default, for the other tests' residents
    resident.get_by_label("Once a day, in one email (a digest)").check()
    resident.get_by_role("button", name="Save email choice").click()
    resident.context.close()
    member.context.close()
