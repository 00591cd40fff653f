"""In a real browser: a citizen proposes with a preview, the committee accepts; axe is clean."""

import pytest

pytestmark = pytest.mark.browser


def test_propose_preview_and_accept(as_role, axe_check):
    citizen = as_role("citizen")
    citizen.goto("/clauses/how-long-we-keep-data")
    axe_check(citizen)
    citizen.get_by_role("link", name="Propose a change to this clause").click()
    citizen.wait_for_url("**/proposals/new?kind=amend&clause=how-long-we-keep-data")
    axe_check(citizen)
    body = citizen.get_by_label("Wording")
    assert "12 months" in body.input_value()
    body.fill(body.input_value().replace("12 months", "6 months"))
    citizen.get_by_label("Why this change?").fill("A year is longer than most projects need.")
    citizen.get_by_role("button", name="Preview the changes").click()
    preview = citizen.locator("#change-preview")
    assert "1 insertion, 1 deletion" in preview.inner_text()
    assert "12" in preview.locator(".diff del").first.text_content()
    assert "6" in preview.locator(".diff ins").first.text_content()
    axe_check(citizen)
    citizen.get_by_label("Side by side").check()
    citizen.get_by_role("button", name="Preview the changes").click()
    assert citizen.locator("#change-preview table.diff__side").is_visible()
    citizen.get_by_role("button", name="Send the proposal").click()
    citizen.wait_for_url("**/proposals/*")
    assert citizen.get_by_text("Your proposal is published.").is_visible()
    proposal_url = citizen.url
    axe_check(citizen)

    committee = as_role("committee")
    committee.goto(proposal_url)
    committee.get_by_role("link", name="Inline").click()
    assert committee.locator(".diff__source ins").count() >= 1
    committee.get_by_label("Accept").check()
    committee.get_by_label("Reason for the decision").fill("Six months is enough; agreed.")
    axe_check(committee)
    committee.get_by_role("button", name="Record the decision").click()
    assert committee.get_by_role("heading", name="Decision: accepted").is_visible()
    axe_check(committee)

    committee.goto("/clauses/how-long-we-keep-data")
    assert "6 months" in committee.locator(".clause__body").first.inner_text()
    committee.goto("/proposals/")
    axe_check(committee)
    citizen.context.close()
    committee.context.close()


def test_proposals_list_and_new_clause_form_are_accessible(as_role, axe_check):
    page = as_role("citizen")
    page.goto("/proposals/")
    axe_check(page)
    page.get_by_role("link", name="Propose a new clause").click()
    page.get_by_role("button", name="Send the proposal").click()
    assert page.get_by_role("alert").get_by_text("Give the clause a heading.").is_visible()
    axe_check(page)
