"""Your account in a real browser: the pages pass axe, the download holds your data, and
deleting the account ends on a confirmation while the record still verifies."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from charter.accounts.operations import create_user
from charter.clauses.queries import get_charter
from charter.comments.operations import post_comment
from charter.extensions import db
from charter.models import Clause, ProposalKind, User
from charter.proposals.operations import create_proposal
from tests.browser.conftest import shoot
from tests.conftest import PASSWORD

WIDTHS = (1280, 390, 320)  # the smallest phones too: these pages hold long addresses

pytestmark = pytest.mark.browser


def _resident(live_app, email: str, name: str) -> dict:
    """Make a resident of their own (others' tests share the live site) with a proposal and
    a comment, and return their ids."""
    with live_app.app_context(), live_app.test_request_context():
        user = create_user(email, name, PASSWORD)
        charter = get_charter()
        clause = db.session.scalar(db.select(Clause).filter_by(charter_id=charter.id).limit(1))
        proposal = create_proposal(
            charter,
            user,
            ProposalKind.AMEND,
            clause=clause,
            heading=clause.current_revision.heading,
            body=clause.current_revision.body + "\n\nAnd we say so every year.",
            rationale="So that residents hear it.",
        )
        comment = post_comment(user, body="Who reads this?", clause=clause)
        db.session.commit()
        return {"user": user.id, "proposal": proposal.id, "comment": comment.id}


def _sign_in(page, email: str) -> None:
    page.goto("/accounts/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


@pytest.mark.parametrize(
    "path",
    ["/account", "/account/activity", "/account/export", "/account/delete"],
)
def test_each_account_page_passes_axe(as_role, axe_check, path):
    page = as_role("citizen")
    page.goto(path)
    expect(page.get_by_role("navigation", name="Your account")).to_be_visible()
    axe_check(page)
    shoot(page, path.strip("/").replace("/", "-"), WIDTHS)


@pytest.mark.parametrize("path", ["/privacy", "/accessibility"])
def test_the_privacy_notice_and_accessibility_statement_pass_axe(page, axe_check, path):
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role(
        "link", name="Privacy notice" if path == "/privacy" else "Accessibility statement"
    ).click()
    page.wait_for_url(f"**{path}")
    axe_check(page)
    shoot(page, path.strip("/"), WIDTHS)


def test_the_download_holds_what_you_made(page, live_app, axe_check):
    made = _resident(live_app, "downloader@example.org", "Dana Downloader")
    _sign_in(page, "downloader@example.org")
    page.goto("/account/activity")
    expect(page.get_by_role("link", name="Comment of")).to_be_visible()
    axe_check(page)
    shoot(page, "account-activity-filled", WIDTHS)
    page.get_by_role("link", name="Your account", exact=True).click()
    page.get_by_role("link", name="Download your data").first.click()
    with page.expect_download() as info:
        page.get_by_role("button", name="Download your data (.zip)").click()
    download = info.value
    assert download.suggested_filename.endswith(".zip")
    archive = zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes()))
    assert sorted(archive.namelist()) == ["data.json", "summary.html"]
    data = json.loads(archive.read("data.json"))
    assert data["account"]["id"] == made["user"]
    assert [p["id"] for p in data["proposals"]] == [made["proposal"]]
    assert [c["id"] for c in data["comments"]] == [made["comment"]]
    with live_app.app_context():
        password_hash = db.session.get(User, made["user"]).password_hash
    assert all(password_hash.encode() not in archive.read(name) for name in archive.namelist())


def test_deleting_an_account_ends_on_a_confirmation_and_the_record_verifies(
    page, live_app, axe_check
):
    made = _resident(live_app, "leaver@example.org", "Lee Leaver")
    _sign_in(page, "leaver@example.org")
    page.get_by_role("link", name="Your account", exact=True).click()
    page.get_by_role("link", name="Delete your account").first.click()
    expect(page.get_by_role("heading", name="Delete your account", level=1)).to_be_visible()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator(".error-summary")).to_contain_text("Enter your password to confirm.")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand that this cannot be undone").check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", name="Your account has been deleted")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()
    axe_check(page)
    shoot(page, "account-deleted", WIDTHS)

    page.goto(f"/proposals/{made['proposal']}")
    expect(page.get_by_text("A former participant").first).to_be_visible()
    expect(page.get_by_text("Lee Leaver")).to_have_count(0)
    result = live_app.test_cli_runner().invoke(args=["charter", "verify"])
    assert result.exit_code == 0, result.output


def test_a_committee_member_reads_why_their_votes_stay_named(as_role, axe_check):
    page = as_role("committee")
    page.goto("/account/delete")
    note = page.get_by_role("region", name="You are on the committee")
    expect(note).to_contain_text("public office")
    axe_check(page)
    shoot(page, "account-delete-committee", WIDTHS)


@pytest.mark.parametrize("path", ["/privacy", "/accessibility", "/account", "/account/delete"])
def test_the_new_pages_fit_a_320_pixel_phone(as_role, path):
    page = as_role("citizen")
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto(path)
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1], widths
