"""In a real browser: the committee compares a set of three competing proposals, tries the
draft as amended with one of them, accepts it, and the other two fall; axe is clean."""

import pytest

from charter.clauses.queries import get_charter, get_clause
from charter.extensions import db
from charter.models import ProposalKind, User
from charter.proposals.operations import create_proposal

pytestmark = pytest.mark.browser

KEY = "human-decisions"
DAYS = "within 20 working days"


def _three_rivals(live_app) -> list[int]:
    with live_app.app_context():
        charter = get_charter()
        clause = get_clause(charter, KEY)
        author = db.session.scalar(db.select(User).filter_by(email="citizen@example.org"))
        now = clause.current_revision
        made = [
            create_proposal(
                charter,
                author,
                ProposalKind.AMEND,
                clause=clause,
                heading=now.heading,
                body=now.body.replace(DAYS, instead),
                rationale=why,
            )
            for instead, why in (
                ("within 10 working days", "Twenty days is too long to wait."),
                ("within 15 working days", "A middle way the team can keep to."),
                ("within one month", "A month is easier to remember."),
            )
        ]
        db.session.commit()
        return [p.id for p in made]


def test_the_committee_decides_a_set_of_three(live_app, as_role, axe_check):
    ten, fifteen, month = _three_rivals(live_app)
    committee = as_role("committee")
    committee.goto(f"/clauses/{KEY}")
    proposals = committee.locator(".clause-proposals")
    assert f"competes with proposals {fifteen} and {month}" in proposals.inner_text()
    committee.get_by_role("link", name="Compare the competing proposals side by side").click()
    committee.wait_for_url(f"**/clauses/{KEY}/competing")
    assert committee.get_by_role("heading", name="Set 1: 3 proposals").is_visible()
    members = committee.locator(".competing-set__member")
    assert members.count() == 3
    assert "10" in members.nth(0).locator("ins").first.inner_text()
    assert "one month" in members.nth(2).locator("ins").first.inner_text()
    axe_check(committee)

    # The draft as amended with the 15-day proposal chosen, then with all three in order.
    committee.goto("/draft/as-amended")
    axe_check(committee)
    # Other tests leave open proposals on other clauses: choose only this one.
    boxes = committee.locator(".amended-choice input[type=checkbox]")
    for k in range(boxes.count()):
        boxes.nth(k).uncheck()
    committee.get_by_label(f"Proposal {fifteen}:", exact=False).check()
    committee.get_by_role("button", name="Show the draft with these").click()
    assert committee.locator(".amended-clause--changed").count() == 1
    clause = committee.locator(f"section[aria-labelledby='amended-{KEY}']")
    assert "15" in clause.locator("ins").first.inner_text()
    assert f"P{fifteen}" in clause.locator(".change-label").first.inner_text()
    for pid in (ten, month):
        committee.get_by_label(f"Proposal {pid}:", exact=False).check()
    committee.get_by_role("button", name="Show the draft with these").click()
    left_out = clause.locator(".amended-clause__collided").inner_text()
    assert f"Proposal {fifteen} collides with proposal {ten}" in left_out
    assert f"Proposal {month} collides with proposal {ten}" in left_out
    axe_check(committee)

    committee.goto(f"/proposals/{fifteen}")
    assert committee.get_by_text("Competing.").is_visible()
    committee.get_by_label("Accept").check()
    committee.get_by_label("Reason for the decision").fill("Fifteen days the team can keep to.")
    committee.get_by_role("button", name="Record the decision").click()
    assert committee.get_by_role("heading", name="Decision: accepted").is_visible()
    for pid in (ten, month):
        committee.goto(f"/proposals/{pid}")
        assert committee.get_by_role("heading", name="Fallen").is_visible()
        assert (
            f"when the committee accepted proposal {fifteen}"
            in committee.locator(".decision--fallen").inner_text()
        )
        axe_check(committee)
    committee.goto(f"/clauses/{KEY}/competing")
    assert committee.get_by_text("No open proposals on this clause compete").is_visible()
    committee.context.close()
