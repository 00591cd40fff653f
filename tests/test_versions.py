"""Candidates, votes, publication and the public archive, through the HTTP interface."""

import re

from charter.extensions import db
from charter.models import AuditEvent, CharterVersion, VersionStatus
from charter.proposals.operations import accept_proposal
from charter.text.drafts import parse_draft
from charter.text.hashing import draft_hash, sha256_text
from charter.versions.operations import publish_working_draft
from charter.versions.queries import current_candidate, latest_published
from tests.conftest import propose


def _accepted_change(charter, users, body="We join data to *improve services*."):
    proposal = propose(
        charter,
        users["citizen"],
        body=body,
        heading="Why we join data",
        rationale="Improving matters more than planning.",
    )
    accept_proposal(proposal, users["committee"], "Agreed: say what the data is for.")
    db.session.commit()
    return proposal


def _open(client):
    page = client.get("/committee/candidate/new").get_data(as_text=True)
    changelog = re.search(
        r'<textarea[^>]*name="changelog"[^>]*>\n?(.*?)</textarea>', page, re.S
    ).group(1)
    return client.post(
        "/committee/candidate/new", data={"changelog": changelog.replace("&#34;", '"')}
    )


def _seen(charter):
    return current_candidate(charter).content_hash


def _vote(client, charter, choice, note=""):
    candidate = current_candidate(charter)
    return client.post(
        f"/committee/candidate/{candidate.id}/vote",
        data={"choice": choice, "note": note, "seen_hash": candidate.content_hash},
    )


def _publish(client, charter):
    candidate = current_candidate(charter)
    return client.post(
        f"/committee/candidate/{candidate.id}/publish",
        data={"seen_hash": candidate.content_hash, "confirmed": "yes"},
    )


def _first_version(charter):
    version = publish_working_draft(charter, changelog="Ratified before Charter.")
    db.session.commit()
    return version


def test_changelog_is_drafted_from_accepted_proposals(committee, charter, users):
    _first_version(charter)
    proposal = _accepted_change(charter, users)
    page = committee.get("/committee/candidate/new").get_data(as_text=True)
    assert f"Change “Why we join data” ([proposal {proposal.id}](/proposals/{proposal.id}))" in page
    assert "Agreed: say what the data is for." in page


def test_open_candidate_freezes_the_working_draft(committee, charter, users):
    _first_version(charter)
    _accepted_change(charter, users)
    response = _open(committee)
    assert response.status_code == 302 and response.location.endswith("/versions/candidate")
    candidate = current_candidate(charter)
    assert candidate.status is VersionStatus.CANDIDATE and candidate.number is None
    assert [e.revision.clause.key for e in candidate.entries] == ["why", "how-long", "your-rights"]
    # A proposal accepted now waits for the next version.
    _accepted_change(charter, users, body="Later words.")
    db.session.expire_all()
    assert "improve services" in current_candidate(charter).entries[0].revision.body


def test_only_one_candidate_at_a_time(committee, charter, users):
    _first_version(charter)
    _accepted_change(charter, users)
    _open(committee)
    again = committee.post(
        "/committee/candidate/new", data={"changelog": "x"}, follow_redirects=True
    )
    assert "A candidate is already open" in again.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(CharterVersion.id))) == 2


def test_a_changelog_that_cannot_be_rendered_safely_is_refused_in_words(committee, charter, users):
    _first_version(charter)
    _accepted_change(charter, users)
    response = committee.post("/committee/candidate/new", data={"changelog": "[" * 3000})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The changelog cannot be shown as formatted text." in page
    assert current_candidate(charter) is None


def test_candidate_identical_to_the_last_version_cannot_be_opened(committee, charter):
    _first_version(charter)
    response = committee.post("/committee/candidate/new", data={"changelog": "Nothing."})
    assert response.status_code == 400
    assert "The working draft is the same as version 1" in response.get_data(as_text=True)


def test_candidate_page_shows_changes_tally_and_reasons(committee, anon, charter, users):
    _first_version(charter)
    proposal = _accepted_change(charter, users)
    _open(committee)
    page = anon.get("/versions/candidate").get_data(as_text=True)
    assert "Candidate for version 2" in page
    assert "Tracked changes against version 1" in page
    assert '<ins><span class="visually-hidden">inserted: </span>improve' in page
    assert (
        f'href="/proposals/{proposal.id}"' in page and "Agreed: say what the data is for." in page
    )
    assert "0 of 2 committee members have voted" in page
    assert "Cast my vote" not in page  # the public reads; only members vote
    assert "Cast my vote" in committee.get("/versions/candidate").get_data(as_text=True)


def test_votes_tally_and_publication(committee, admin, anon, charter, users):
    _first_version(charter)
    _accepted_change(charter, users)
    _open(committee)
    assert _publish(committee, charter).status_code == 302
    assert latest_published(charter).number == 1  # rule not met: nobody has voted
    _vote(committee, charter, "approve", "Clearer.")
    page = committee.get("/versions/candidate").get_data(as_text=True)
    assert "1 approve, 0 reject, 0 abstain: 1 of 2" in page and "not met yet" in page
    _vote(admin, charter, "reject")
    _vote(admin, charter, "approve", "Changed my mind.")  # a vote can change while open
    page = committee.get("/versions/candidate").get_data(as_text=True)
    assert "2 approve, 0 reject" in page and "The ratification rule is met" in page
    response = _publish(committee, charter)
    assert response.location.endswith("/versions/2")
    version = latest_published(charter)
    assert version.number == 2 and version.published_by_id == users["committee"].id
    assert version.previous_chain_hash == db.session.scalar(
        db.select(CharterVersion.chain_hash).filter_by(number=1)
    )
    page = anon.get("/versions/2").get_data(as_text=True)
    assert "Changed my mind." in page and "Clearer." in page
    assert version.content_hash in page and version.chain_hash in page
    assert "improve services" in anon.get("/").get_data(as_text=True)


def test_vote_for_a_replaced_candidate_is_refused(committee, charter, users):
    _first_version(charter)
    _accepted_change(charter, users)
    _open(committee)
    candidate = current_candidate(charter)
    response = committee.post(
        f"/committee/candidate/{candidate.id}/vote",
        data={"choice": "approve", "seen_hash": "0" * 64},
        follow_redirects=True,
    )
    assert "The candidate changed since you opened the page" in response.get_data(as_text=True)
    assert candidate.votes == []


def test_citizens_cannot_vote_publish_or_open(citizen, committee, charter, users):
    _first_version(charter)
    _accepted_change(charter, users)
    _open(committee)
    candidate = current_candidate(charter)
    assert _vote(citizen, charter, "approve").status_code == 403
    assert _publish(citizen, charter).status_code == 403
    assert citizen.get("/committee/candidate/new").status_code == 403
    assert citizen.post(f"/committee/candidate/{candidate.id}/withdraw").status_code == 403


def test_publishing_twice_gives_one_version(committee, admin, charter, users):
    _first_version(charter)
    _accepted_change(charter, users)
    _open(committee)
    _vote(committee, charter, "approve")
    _vote(admin, charter, "approve")
    candidate = current_candidate(charter)
    _publish(committee, charter)
    late = admin.post(
        f"/committee/candidate/{candidate.id}/publish",
        data={"seen_hash": candidate.content_hash, "confirmed": "yes"},
        follow_redirects=True,
    )
    assert "already published, so nothing was changed" in late.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(CharterVersion.id))) == 2


def test_withdraw_then_open_a_new_candidate(committee, charter, users):
    _first_version(charter)
    _accepted_change(charter, users)
    _open(committee)
    candidate = current_candidate(charter)
    committee.post(
        f"/committee/candidate/{candidate.id}/withdraw",
        data={"seen_hash": candidate.content_hash, "reason": "The changelog is wrong."},
    )
    db.session.expire_all()
    assert db.session.get(CharterVersion, candidate.id).status is VersionStatus.WITHDRAWN
    assert _open(committee).status_code == 302
    assert current_candidate(charter).id != candidate.id


def test_first_candidate_with_no_published_version(committee, anon, charter):
    _open(committee)
    page = anon.get("/versions/candidate").get_data(as_text=True)
    assert "Candidate for version 1" in page and "there is no earlier version" in page


def _two_versions(committee, admin, charter, users):
    _first_version(charter)
    proposal = _accepted_change(charter, users)
    _open(committee)
    _vote(committee, charter, "approve")
    _vote(admin, charter, "abstain")
    _publish(committee, charter)
    return proposal


def test_archive_lists_compares_and_downloads(committee, admin, anon, charter, users):
    proposal = _two_versions(committee, admin, charter, users)
    listing = anon.get("/versions").get_data(as_text=True)
    assert listing.index("Version 2") < listing.index("Version 1")
    compare = anon.get("/versions/1/compare/2").get_data(as_text=True)
    assert "What changed from version 1 to version 2" in compare
    assert "1 clause changed, added or removed; 0 moved; 2 unchanged." in compare
    assert '<del><span class="visually-hidden">deleted: </span>plan' in compare
    assert (
        f'href="/proposals/{proposal.id}"' in compare
        and "Agreed: say what the data is for." in compare
    )
    for view in ("inline", "side"):
        assert anon.get(f"/versions/1/compare/2?view={view}").status_code == 200
    download = anon.get("/versions/2.md")
    assert download.headers["Content-Disposition"].endswith('-v2.md"')
    # Below its stamp (number and hashes, in a comment) is exactly the canonical Markdown.
    stamp, text = download.get_data(as_text=True).split("-->\n", 1)
    assert f"content-hash: {latest_published(charter).content_hash}" in stamp
    assert sha256_text(text) == latest_published(charter).content_hash
    assert draft_hash(parse_draft(text)) == latest_published(charter).content_hash
    assert "improve services" in anon.get("/versions/2/print").get_data(as_text=True)
    assert anon.get("/versions/9").status_code == 404
    assert anon.get("/versions/1/compare/candidate").status_code == 404


def test_compare_shows_added_removed_and_moved_clauses(committee, anon, app, charter):
    from charter.clauses.operations import import_draft

    _first_version(charter)
    # Swap the first two clauses, add one, drop one: as a re-imported draft would.
    reordered = parse_draft(
        "# Test Charter\n\nWe keep our promises about your data.\n\n"
        "## How long we keep data {#how-long}\n\n- We delete joined data after a year.\n"
        "- We check every year.\n\n"
        "## Why we join data {#why}\n\n"
        "We join data to *plan services*. See [the regulator](https://ico.org.uk/).\n\n"
        "## Children {#children}\n\nExtra care for children.\n"
    )
    import_draft(reordered, slug=app.config["CHARTER_SLUG"])
    db.session.commit()
    _open(committee)
    page = anon.get("/versions/1/compare/candidate").get_data(as_text=True)
    assert "Added:" in page and "Children" in page
    assert "Removed:" in page and "Your rights" in page
    assert "1 moved" in page  # one of the swapped pair moved; the other only kept its place
    assert "Moved, wording unchanged" in page


def test_atom_feed_announces_versions(committee, admin, anon, charter, users):
    _two_versions(committee, admin, charter, users)
    response = anon.get("/versions.atom")
    assert response.mimetype == "application/atom+xml"
    feed = response.get_data(as_text=True)
    assert feed.count("<entry>") == 2 and "Version 2 published" in feed
    assert "http://localhost/versions/2" in feed


def test_transparency_log_lists_public_decisions(committee, admin, anon, charter, users):
    _two_versions(committee, admin, charter, users)
    page = anon.get("/transparency").get_data(as_text=True)
    for text in (
        "Accepted: Change",
        "A candidate version was opened",
        "Voted approve.",
        "Version 2 was published.",
    ):
        assert text in page
    # The summary never names the member (it is sealed for good); the Who column does.
    assert "Committee member Person voted" not in page
    row = page[page.index("Voted approve.") - 700 : page.index("Voted approve.")]
    assert "Committee member Person" in row or "Admin Person" in row
    assert page.index("Version 2 was published.") < page.index("A candidate version was opened")
    actions = set(db.session.scalars(db.select(AuditEvent.action)))
    assert {
        "proposal.accepted",
        "version.candidate_opened",
        "version.vote",
        "version.published",
    } <= actions


def test_published_pages_answer_conditional_requests(committee, admin, anon, charter, users):
    _two_versions(committee, admin, charter, users)
    for path in (
        "/versions/2",
        "/versions/2.md",
        "/api/v1/versions/2",
        "/api/v1/versions/1/compare/2",
    ):
        first = anon.get(path)
        etag = first.headers["ETag"]
        again = anon.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304, path
        assert again.data == b""


def test_versions_api(committee, admin, anon, charter, users):
    proposal = _two_versions(committee, admin, charter, users)
    listing = anon.get("/api/v1/versions").get_json()["versions"]
    assert [v["number"] for v in listing] == [1, 2]
    two = anon.get("/api/v1/versions/2").get_json()
    assert two["previous_chain_hash"] == listing[0]["chain_hash"]
    assert {v["vote"] for v in two["votes"]} == {"approve", "abstain"}
    assert [c["key"] for c in two["clauses"]] == ["why", "how-long", "your-rights"]
    compare = anon.get("/api/v1/versions/1/compare/2").get_json()
    why = next(c for c in compare["clauses"] if c["key"] == "why")
    assert why["change"] == "changed" and why["proposals"][0]["id"] == proposal.id
    assert anon.get("/api/v1/versions/7").status_code == 404


def test_ratification_rule_settings(admin, committee, charter, users):
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert "more than 50% of committee members must vote" in page
    admin.post(
        "/admin/settings",
        data={"consultation_open": "y", "quorum_percent": "66", "threshold_percent": "75"},
    )
    db.session.refresh(charter)
    assert (charter.quorum_percent, charter.threshold_percent) == (66, 75)
    bad = admin.post(
        "/admin/settings",
        data={"consultation_open": "y", "quorum_percent": "120", "threshold_percent": "50"},
    )
    assert bad.status_code == 400 and "between 0 and 99" in bad.get_data(as_text=True)


def test_sealed_pages_are_shared_by_readers_and_change_with_a_new_version(
    committee, admin, anon, app, charter, users
):
    _first_version(charter)
    first = anon.get("/")
    assert "Version 1, published" in first.get_data(as_text=True)
    assert anon.get("/", headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    old_page = anon.get("/versions/1").get_data(as_text=True)
    assert "This is the charter in force." in old_page
    _accepted_change(charter, users)
    _open(committee)
    _vote(committee, charter, "approve")
    _vote(admin, charter, "approve")
    _publish(committee, charter)
    second = anon.get("/", headers={"If-None-Match": first.headers["ETag"]})
    assert second.status_code == 200 and "Version 2, published" in second.get_data(as_text=True)
    assert "A newer version exists" in anon.get("/versions/1").get_data(as_text=True)
    # A signed-in reader gets a page with their own header, never a shared one.
    assert "Sign out" in committee.get("/versions/1").get_data(as_text=True)
    assert "Sign out" not in anon.get("/versions/1").get_data(as_text=True)


def test_clauses_renumbered_by_an_insertion_have_not_moved(committee, anon, charter):
    from charter.clauses.operations import add_clause

    _first_version(charter)
    add_clause(charter, "Children", "Extra care for children.", position=1)
    db.session.commit()
    _open(committee)
    page = anon.get("/versions/1/compare/candidate").get_data(as_text=True)
    assert "1 clause changed, added or removed; 0 moved; 3 unchanged." in page


def test_a_member_who_has_not_voted_sees_no_choice_made(committee, charter, users):
    _first_version(charter)
    _accepted_change(charter, users)
    _open(committee)
    page = committee.get("/versions/candidate").get_data(as_text=True)
    assert "checked" not in page.split('id="vote-title"')[1].split("</form>")[0]
    _vote(committee, charter, "reject")
    page = committee.get("/versions/candidate").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*value="reject"', page)


def test_committee_page_offers_a_candidate_only_when_the_draft_is_new(committee, charter, users):
    _first_version(charter)
    page = committee.get("/committee/").get_data(as_text=True)
    assert "nothing to put to a vote yet" in page and "Open a candidate" not in page
    _accepted_change(charter, users)
    page = committee.get("/committee/").get_data(as_text=True)
    assert "Open a candidate from the working draft" in page
    assert "1 proposal accepted since the last published version." in page


def _candidate_with_votes(committee, admin, charter, users):
    _first_version(charter)
    _accepted_change(charter, users)
    _open(committee)
    _vote(committee, charter, "approve")
    _vote(admin, charter, "approve")
    return current_candidate(charter)


def test_publishing_asks_for_confirmation_first(committee, admin, charter, users):
    candidate = _candidate_with_votes(committee, admin, charter, users)
    url = f"/committee/candidate/{candidate.id}/publish"
    page = committee.get("/versions/candidate").get_data(as_text=True)
    # The candidate page only links to the confirmation: no form there publishes.
    assert f'href="{url}"' in page and f'action="{url}"' not in page
    confirm = committee.get(url).get_data(as_text=True)
    assert "<title>Publish version 2?" in confirm
    assert "version 2 of the charter, the version in force" in confirm
    assert "This cannot be undone." in confirm
    assert ">Publish version 2</button>" in confirm
    # A one-click post, without the confirmation page's mark, publishes nothing.
    response = committee.post(url, data={"seen_hash": candidate.content_hash})
    assert response.status_code == 302 and response.location.endswith(url)
    db.session.expire_all()
    assert db.session.get(CharterVersion, candidate.id).status is VersionStatus.CANDIDATE
    response = committee.post(url, data={"seen_hash": candidate.content_hash, "confirmed": "yes"})
    assert response.location.endswith("/versions/2")


def test_publishing_before_the_rule_is_met_offers_no_button(committee, charter, users):
    _first_version(charter)
    _accepted_change(charter, users)
    _open(committee)
    candidate = current_candidate(charter)
    confirm = committee.get(f"/committee/candidate/{candidate.id}/publish").get_data(as_text=True)
    assert (
        "the candidate cannot be published" in confirm
        and "</button>" not in confirm.split("<main")[1].split("</main>")[0]
    )


def test_withdrawing_asks_for_a_public_reason(committee, admin, anon, charter, users):
    candidate = _candidate_with_votes(committee, admin, charter, users)
    url = f"/committee/candidate/{candidate.id}/withdraw"
    page = committee.get("/versions/candidate").get_data(as_text=True)
    decision = page.split('id="decide-title"')[1]
    assert f'href="{url}"' in decision and f'action="{url}"' not in page
    # Apart from the vote, styled and worded as what it does.
    assert (
        'class="button button--destructive"' in decision and "Withdraw this candidate" in decision
    )
    assert "Cast my vote" not in decision
    confirm = committee.get(url).get_data(as_text=True)
    assert "Withdraw the candidate for version 2?" in confirm and "cannot be reopened" in confirm
    assert 'name="reason"' in confirm and "transparency log" in confirm
    # No reason: nothing happens, and the page says what is missing.
    refused = committee.post(url, data={"seen_hash": candidate.content_hash, "reason": "  "})
    assert refused.status_code == 400
    assert "Say why the candidate is withdrawn" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(CharterVersion, candidate.id).status is VersionStatus.CANDIDATE
    reason = "The changelog leaves out the CCTV clause."
    response = committee.post(url, data={"seen_hash": candidate.content_hash, "reason": reason})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(CharterVersion, candidate.id).status is VersionStatus.WITHDRAWN
    log = anon.get("/transparency").get_data(as_text=True)
    assert f"The candidate version was withdrawn. Reason: {reason}" in log


def test_a_too_long_withdrawal_reason_is_refused_and_kept(committee, admin, charter, users):
    candidate = _candidate_with_votes(committee, admin, charter, users)
    reason = "x" * 401
    refused = committee.post(
        f"/committee/candidate/{candidate.id}/withdraw",
        data={"seen_hash": candidate.content_hash, "reason": reason},
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Keep the reason to 400 characters." in page
    assert reason in page


def test_a_vote_with_a_note_but_no_choice_keeps_the_note(committee, charter, users):
    _first_version(charter)
    _accepted_change(charter, users)
    _open(committee)
    candidate = current_candidate(charter)
    note = "I need the retention clause explained first."
    response = committee.post(
        f"/committee/candidate/{candidate.id}/vote",
        data={"note": note, "seen_hash": candidate.content_hash},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose approve, reject or abstain." in page and note in page
    assert '<a href="#choice">' in page and 'id="choice"' in page
    assert candidate.votes == []
