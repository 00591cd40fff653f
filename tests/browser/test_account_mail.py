"""In Chromium: confirm an address from the mail that arrives; reset a forgotten password."""

import re
import uuid

import pytest
from playwright.sync_api import expect

from charter.accounts.operations import create_user
from charter.extensions import db
from tests.mailbox import text_of

pytestmark = pytest.mark.browser

NEW_PASSWORD = "marmalade lighthouse tuesday"


def _link(message) -> str:
    [link] = re.findall(r"^(http://\S+/accounts/\S+)$", text_of(message), re.MULTILINE)
    return link


def _sign_in(page, email, password):
    page.goto("/accounts/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/")


def test_register_then_follow_the_mailed_link_to_confirm(page, smtp_server, axe_check):
    email = f"robin-{uuid.uuid4().hex[:8]}@example.org"
    password = "a long enough password"
    page.goto("/accounts/register")
    page.get_by_label("Display name").fill("Robin Browser")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_label("Password again").fill(password)
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/accounts/login")
    expect(page.get_by_text("We have sent an email to the address you gave.")).to_be_visible()
    [message] = smtp_server.wait_for(email)

    _sign_in(page, email, password)
    page.goto("/clauses/public-register")
    banner = page.get_by_role("region", name="Check your email")
    assert banner.is_visible() and email in banner.text_content()
    axe_check(page)
    banner.get_by_role("button", name="Send the link again").click()
    page.wait_for_url("**/clauses/public-register")
    expect(page.get_by_text(f"We have sent a new link to {email}.")).to_be_visible()
    smtp_server.wait_for(email, 2)

    page.goto(_link(message))  # the first link still works
    expect(page.get_by_role("heading", name="Your email address is confirmed")).to_be_visible()
    axe_check(page)
    page.goto("/clauses/public-register")
    assert page.get_by_role("region", name="Check your email").count() == 0

    page.goto(_link(message))  # used once: refused in words
    expect(page.get_by_role("heading", name="This link has been used")).to_be_visible()
    axe_check(page)


def test_forgotten_password_reset_signs_out_every_other_browser(
    browser, live_server, live_app, page, smtp_server, axe_check
):
    email = f"sam-{uuid.uuid4().hex[:8]}@example.org"
    with live_app.app_context():
        create_user(email, "Sam Browser", "an old password of mine")
        db.session.commit()
    other = browser.new_context(base_url=live_server)
    try:
        elsewhere = other.new_page()
        _sign_in(elsewhere, email, "an old password of mine")
        expect(elsewhere.get_by_role("button", name="Sign out")).to_be_visible()

        page.goto("/accounts/login")
        page.get_by_role("link", name="Forgotten your password?").click()
        page.wait_for_url("**/accounts/password/forgotten")
        axe_check(page)
        page.get_by_label("Email address").fill(email)
        page.get_by_role("button", name="Send the link").click()
        expect(
            page.get_by_text("If an account uses that address, we have sent a link")
        ).to_be_visible()
        [message] = smtp_server.wait_for(email)

        page.goto(_link(message))
        expect(page.get_by_role("heading", name="Set a new password")).to_be_visible()
        axe_check(page)
        page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
        page.get_by_label("New password again").fill(NEW_PASSWORD)
        page.get_by_role("button", name="Set the new password").click()
        page.wait_for_url("**/")
        expect(page.get_by_text("Your password is changed.")).to_be_visible()
        expect(page.get_by_role("button", name="Sign out")).to_be_visible()
        smtp_server.wait_for(email, 2)  # the confirmation

        elsewhere.reload()
        assert elsewhere.get_by_role("button", name="Sign out").count() == 0
        expect(elsewhere.get_by_role("link", name="Sign in", exact=True)).to_be_visible()

        page.goto(_link(message))
        expect(page.get_by_role("heading", name="This link has been used")).to_be_visible()
    finally:
        other.close()


def test_a_broken_link_and_the_email_change_page_pass_axe(page, as_role, axe_check):
    page.goto("/accounts/password/reset/not-a-real-link")
    expect(page.get_by_role("heading", name="This link does not work")).to_be_visible()
    axe_check(page)
    citizen = as_role("citizen")
    citizen.goto("/accounts/email")
    expect(citizen.get_by_role("heading", name="Change your email address")).to_be_visible()
    axe_check(citizen)
