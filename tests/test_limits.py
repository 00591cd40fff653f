"""Rate limits: whose address counts behind a proxy, a workshop on one network, honest 429s."""

import math
import re

import pytest
from flask import request

from charter import create_app
from charter.extensions import db
from charter.limits import per_address
from config import TestConfig
from tests.conftest import PASSWORD, propose, sign_in
from tests.mailbox import link_in
from tests.test_proposals import WHY_BODY, _amend

VENUE, RESIDENT = "192.0.2.10", "203.0.113.7"


def _seen_addresses(app, headers):
    """Send one request from the venue's address and return the address each limit counts."""
    seen = []
    app.before_request(lambda: seen.append((request.remote_addr, per_address())) and None)
    app.test_client().get("/no/such/page", headers=headers, environ_base={"REMOTE_ADDR": VENUE})
    return seen[0]


@pytest.mark.parametrize(("proxies", "counted"), [(0, VENUE), (1, RESIDENT)])
def test_x_forwarded_for_counts_only_behind_a_configured_proxy(proxies, counted):
    app = create_app(
        TestConfig, {"TRUSTED_PROXIES": proxies, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    with app.app_context():
        db.create_all()  # every page says what is open for comment, read from the database
    forged = {"X-Forwarded-For": f"198.51.100.1, {RESIDENT}"}
    assert _seen_addresses(app, forged) == (counted, counted)


def test_the_default_trusts_no_proxy():
    assert TestConfig.TRUSTED_PROXIES == 0


def _retry_after(response) -> int:
    seconds = int(response.headers["Retry-After"])
    assert 0 < seconds <= 3601
    return seconds


def _says_wait(page: str, seconds: int) -> bool:
    minutes = math.ceil(seconds / 60)
    wording = f"{seconds} seconds" if seconds < 60 else f"{minutes} minute"
    return f"again in {wording}" in page and "wait a minute" not in page


def test_thirty_residents_on_one_network_register_sign_in_preview_and_propose(
    app, charter, mailbox
):
    for n in range(30):
        resident = app.test_client()  # all from the test client's one address
        email, password = f"resident{n}@example.org", f"workshop resident {n} walrus"
        details = {"display_name": f"Resident {n}", "email": email}
        weak = resident.post(
            "/accounts/register", data={**details, "password": "password12", "confirm": "x"}
        )
        assert weak.status_code == 400  # a first try refused counts, and still leaves room
        registered = resident.post(
            "/accounts/register", data={**details, "password": password, "confirm": password}
        )
        assert registered.status_code == 302, n
        assert sign_in(resident, email, "a typo in it").status_code == 400
        assert sign_in(resident, email, password).status_code == 302, n
        preview = _amend(resident, submit=None, preview="Preview", body=f"{WHY_BODY} ({n})")
        assert preview.status_code == 200, n
        resident.get(link_in(mailbox.wait_for(email)[0]))  # confirms the address
        assert _amend(resident, body=f"{WHY_BODY} Resident {n} adds this.").status_code == 302, n


def test_eleven_wrong_passwords_lock_that_account_and_nobody_else(anon, users):
    statuses = [sign_in(anon, "citizen@example.org", "guess").status_code for _ in range(11)]
    assert statuses == [400] * 10 + [429]
    locked = sign_in(anon, "Citizen@Example.org", PASSWORD)  # even the right one, for now
    assert locked.status_code == 429
    page = locked.get_data(as_text=True)
    assert _says_wait(page, _retry_after(locked)) and _retry_after(locked) <= 15 * 60 + 1
    assert 'value="Citizen@Example.org"' in page  # what was typed is kept
    assert PASSWORD not in page
    # Everyone else on the same network still signs in.
    assert sign_in(anon, "committee@example.org").status_code == 302


def test_a_refused_preview_keeps_the_typed_text_and_says_when_to_retry(citizen, charter):
    for _ in range(120):  # previews and corrections: here, submissions missing a reason
        assert _amend(citizen, submit=None, preview="Preview", rationale="").status_code == 400
    typed = "We join data only to plan services that residents asked for, and say so."
    refused = _amend(citizen, submit=None, preview="Preview", body=typed)
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert typed in page and "Services should get better, not just planned." in page
    assert re.search(r"<textarea[^>]*>\s*" + re.escape(typed), page)
    assert "What you typed is kept below" in page
    assert _says_wait(page, _retry_after(refused))


def test_previews_do_not_use_up_the_proposals_a_resident_may_send(citizen, charter):
    for n in range(25):
        assert _amend(citizen, submit=None, preview="Preview", body=f"Try {n}.").status_code == 200
    assert _amend(citizen).status_code == 302


def test_other_refusals_say_the_same_wait_as_retry_after(citizen, charter, users):
    proposals = [propose(charter, users["committee"], body=f"Words {n}.") for n in range(61)]
    db.session.commit()
    for proposal in proposals[:60]:
        assert citizen.post(f"/proposals/{proposal.id}/support").status_code == 302
    refused = citizen.post(f"/proposals/{proposals[60].id}/support")
    assert refused.status_code == 429
    assert _says_wait(refused.get_data(as_text=True), _retry_after(refused))
