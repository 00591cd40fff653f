"""The whole journey in a real browser: propose, accept, open a candidate, vote, publish, compare.

Then `charter verify` passes on the published record, and fails once the database is tampered with.
"""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from charter.clauses.queries import get_charter
from charter.extensions import db
from charter.versions.operations import publish_working_draft
from charter.versions.queries import latest_published
from tests.conftest import tamper

pytestmark = pytest.mark.browser


def test_propose_accept_vote_publish_compare_and_verify(
    as_role, browser, live_server, live_app, axe_check
):
    with live_app.app_context():
        charter = get_charter()
        if latest_published(charter) is None:
            publish_working_draft(charter, changelog="- The first agreed text.")
            db.session.commit()
        before = latest_published(charter).number

    citizen = as_role("citizen")
    citizen.goto("/proposals/new?kind=amend&clause=public-register")
    wording = citizen.get_by_label("Wording")
    wording.fill(wording.input_value().replace("at least 28 days", "at least 42 days"))
    citizen.get_by_label("Why this change?").fill("Four weeks is too short to read and object.")
    citizen.get_by_role("button", name="Send the proposal").click()
    citizen.wait_for_url("**/proposals/*")
    proposal_url = citizen.url

    member = as_role("committee")
    member.goto(proposal_url)
    member.get_by_label("Accept").check()
    member.get_by_label("Reason for the decision").fill(
        "Six weeks gives residents time to respond."
    )
    member.get_by_role("button", name="Record the decision").click()
    assert member.get_by_role("heading", name="Decision: accepted").is_visible()

    member.goto("/committee/")
    axe_check(member)
    member.get_by_role("link", name="Open a candidate from the working draft").click()
    assert (
        "Six weeks gives residents time to respond."
        in member.get_by_label("Changelog").input_value()
    )
    axe_check(member)
    member.get_by_role("button", name="Open the candidate").click()
    member.wait_for_url("**/versions/candidate")
    changes = member.locator(".compare-clause", has_text="A public register of every project")
    assert "42" in changes.locator("ins").first.text_content()
    assert "28" in changes.locator("del").first.text_content()
    axe_check(member)

    for voter, note in (
        (member, "Read the changes; agreed."),
        (as_role("admin"), ""),
    ):
        voter.goto("/versions/candidate")
        voter.get_by_role("link", name="Side by side").click()  # each reviews the changes first
        assert voter.locator("table.diff__side").first.is_visible()
        voter.get_by_label("Approve").check()
        voter.get_by_label("Note (optional)").fill(note)
        voter.get_by_role("button", name="Cast my vote").click()
        assert voter.get_by_text("Your vote is recorded.").is_visible()

    member.goto("/versions/candidate")
    assert member.get_by_text("The ratification rule is met").is_visible()
    member.get_by_role("link", name=f"Publish as version {before + 1}").click()
    assert member.get_by_text("This cannot be undone.").is_visible()  # asked first, in words
    axe_check(member)
    member.get_by_role("button", name=f"Publish version {before + 1}").click()
    member.wait_for_url(f"**/versions/{before + 1}")
    assert member.get_by_text("Read the changes; agreed.").is_visible()
    axe_check(member)

    public = browser.new_context(base_url=live_server).new_page()
    public.goto("/versions")
    axe_check(public)
    public.goto(f"/versions/{before}/compare/{before + 1}")
    register = public.locator(".compare-clause", has_text="A public register of every project")
    assert "42" in register.locator("ins").first.text_content()
    assert register.get_by_text("Six weeks gives residents time to respond.").is_visible()
    axe_check(public)
    public.goto("/transparency")
    assert public.get_by_text(f"Version {before + 1} was published.").is_visible()
    axe_check(public)

    runner = live_app.test_cli_runner()
    assert runner.invoke(args=["charter", "verify"]).exit_code == 0
    with live_app.app_context():
        # The database itself refuses to change a stored wording...
        with pytest.raises(IntegrityError, match="append-only"):
            db.session.execute(text("UPDATE clause_revisions SET body = 'x'"))
            db.session.flush()
        db.session.rollback()
        # ...so someone who owns it gets past the triggers and quietly rewords the clause.
        tamper("UPDATE clause_revisions SET body = replace(body, '42 days', '4 days')")
    tampered = runner.invoke(args=["charter", "verify"])
    assert tampered.exit_code == 1
    assert f"Version {before + 1}" in tampered.output and "public-register" in tampered.output
    for page in (citizen, member, public):
        page.context.close()
