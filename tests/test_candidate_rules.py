"""Votes count only while their member sits on the committee; no action skips the stale check."""

import pytest

from charter.extensions import db
from charter.models import CharterVersion, VersionStatus, VoteChoice
from charter.versions.operations import (
    VersionError,
    cast_vote,
    publish_candidate,
    tally,
    withdraw_candidate,
)
from charter.versions.queries import current_candidate
from tests.test_versions import _accepted_change, _first_version, _open, _vote

MISSING = "Reload the candidate page"


@pytest.fixture
def candidate(committee, charter, users):
    _first_version(charter)
    _accepted_change(charter, users)
    _open(committee)
    return current_candidate(charter)


def test_a_demoted_members_vote_no_longer_counts(admin, committee, candidate, users, charter):
    _vote(committee, charter, "approve")
    assert tally(candidate).approve == 1
    admin.post(f"/admin/users/{users['committee'].id}", data={"role": "citizen", "active": "y"})
    result = tally(candidate)
    assert (result.members, result.approve, result.voted) == (1, 0, 0)
    # One approval from a member who has since left would otherwise carry a committee of one.
    response = admin.post(
        f"/committee/candidate/{candidate.id}/publish",
        data={"seen_hash": candidate.content_hash, "confirmed": "yes"},
        follow_redirects=True,
    )
    assert "not enough members have voted" in response.get_data(as_text=True)
    assert db.session.get(CharterVersion, candidate.id).status is VersionStatus.CANDIDATE
    # The candidate page says so beside the vote, rather than leaving the tally to puzzle.
    page = admin.get("/versions/candidate").get_data(as_text=True)
    assert "(not counted: no longer on the committee)" in page


def test_a_deactivated_members_vote_no_longer_counts(admin, committee, candidate, users, charter):
    _vote(committee, charter, "approve")
    _vote(admin, charter, "reject")
    admin.post(f"/admin/users/{users['committee'].id}", data={"role": "committee"})
    result = tally(candidate)
    assert (result.members, result.approve, result.reject) == (1, 0, 1)


def test_a_vote_counts_again_when_its_member_is_reinstated(admin, committee, candidate, users):
    _vote(committee, candidate.charter, "approve")
    member = f"/admin/users/{users['committee'].id}"
    admin.post(member, data={"role": "citizen", "active": "y"})
    admin.post(member, data={"role": "committee", "active": "y"})
    assert tally(candidate).approve == 1


@pytest.mark.parametrize("action", ["vote", "publish", "withdraw"])
def test_an_action_without_the_seen_fingerprint_is_refused(
    admin, committee, candidate, charter, action
):
    _vote(committee, charter, "approve")
    _vote(admin, charter, "approve")
    votes = {v.member_id: v.choice for v in candidate.votes}
    data = {"vote": {"choice": "reject"}, "publish": {"confirmed": "yes"}}.get(
        action, {"reason": "Opened by mistake."}
    )
    response = committee.post(
        f"/committee/candidate/{candidate.id}/{action}", data=data, follow_redirects=True
    )
    assert MISSING in response.get_data(as_text=True)
    db.session.expire_all()
    version = db.session.get(CharterVersion, candidate.id)
    assert version.status is VersionStatus.CANDIDATE
    assert {v.member_id: v.choice for v in version.votes} == votes


@pytest.mark.parametrize("seen", [None, ""])
def test_the_operations_require_the_seen_fingerprint(candidate, users, seen):
    member = users["committee"]
    with pytest.raises(VersionError, match=MISSING):
        cast_vote(candidate, member, VoteChoice.APPROVE, "", seen_hash=seen)
    with pytest.raises(VersionError, match=MISSING):
        publish_candidate(candidate, member, seen_hash=seen)
    with pytest.raises(VersionError, match=MISSING):
        withdraw_candidate(candidate, member, seen_hash=seen, reason="Opened by mistake.")
    with pytest.raises(TypeError):
        withdraw_candidate(candidate, member)  # the fingerprint has no default
    assert candidate.votes == [] and candidate.status is VersionStatus.CANDIDATE
