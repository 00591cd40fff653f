"""Who may do what: every role against every route that exists, and the predicates directly."""

import pytest

from charter.clauses.queries import get_clause
from charter.comments.operations import post_comment
from charter.extensions import db
from charter.models import ProposalStatus, VersionStatus
from charter.permissions import (
    can_change_password,
    can_change_user,
    can_decide_proposal,
    can_edit_proposal,
    can_manage_users,
    can_support_proposal,
    can_withdraw_proposal,
)
from charter.versions.operations import open_candidate
from tests.conftest import propose

ROLES = ["anon", "citizen", "committee", "admin"]

# (method, path, expected status for anon, citizen, committee, admin)
MATRIX = [
    ("GET", "/", (200, 200, 200, 200)),
    ("GET", "/draft", (200, 200, 200, 200)),
    ("GET", "/clauses/why", (200, 200, 200, 200)),
    ("GET", "/api/v1/charter", (200, 200, 200, 200)),
    ("GET", "/api/v1/clauses/why", (200, 200, 200, 200)),
    ("GET", "/accounts/login", (200, 302, 302, 302)),
    ("GET", "/accounts/register", (200, 302, 302, 302)),
    ("GET", "/accounts/password", (302, 200, 200, 200)),
    ("GET", "/admin/users", (302, 403, 403, 200)),
    ("POST", "/admin/users/{citizen_id}", (302, 403, 403, 302)),
    ("POST", "/admin/users/{admin_id}", (302, 403, 403, 403)),
    ("POST", "/accounts/logout", (302, 302, 302, 302)),
    ("GET", "/admin/settings", (302, 403, 403, 200)),
    ("POST", "/admin/settings", (302, 403, 403, 400)),  # no fields sent: refused in words
    ("GET", "/proposals/", (200, 200, 200, 200)),
    ("GET", "/api/v1/proposals", (200, 200, 200, 200)),
    ("GET", "/api/v1/proposals/{proposal_id}", (200, 200, 200, 200)),
    ("GET", "/proposals/new?kind=amend&clause=why", (302, 200, 200, 200)),
    ("GET", "/proposals/new?kind=add", (302, 200, 200, 200)),
    ("GET", "/proposals/{proposal_id}", (200, 200, 200, 200)),
    # The citizen wrote the proposal: only they edit or withdraw it, and they cannot support it.
    ("GET", "/proposals/{proposal_id}/edit", (302, 200, 403, 403)),
    ("POST", "/proposals/{proposal_id}/withdraw", (302, 302, 403, 403)),
    ("POST", "/proposals/{proposal_id}/support", (302, 403, 302, 302)),
    # Committee members and admins get past the permission check to the form's validation.
    ("POST", "/proposals/{proposal_id}/decide", (302, 403, 400, 400)),
    ("GET", "/versions", (200, 200, 200, 200)),
    ("GET", "/versions/candidate", (200, 200, 200, 200)),
    ("GET", "/versions/latest/compare/candidate", (404, 404, 404, 404)),  # nothing published yet
    ("GET", "/versions.atom", (200, 200, 200, 200)),
    ("GET", "/transparency", (200, 200, 200, 200)),
    ("GET", "/committee/", (302, 403, 200, 200)),
    ("POST", "/comments/clauses/why", (302, 400, 400, 400)),  # past the check: empty comment
    ("GET", "/comments/{comment_id}/reply", (302, 200, 200, 200)),
    ("GET", "/comments/{comment_id}/edit", (302, 200, 403, 403)),  # the citizen wrote it
    ("POST", "/comments/{comment_id}/delete", (302, 302, 403, 403)),
    ("GET", "/comments/{comment_id}/report", (302, 403, 200, 200)),
    ("GET", "/comments/moderation", (302, 403, 200, 200)),
    ("POST", "/comments/{comment_id}/hide", (302, 403, 302, 302)),
    ("POST", "/comments/{comment_id}/restore", (302, 403, 302, 302)),
    ("GET", "/api/v1/clauses/why/comments", (200, 200, 200, 200)),
    ("GET", "/api/v1/proposals/{proposal_id}/comments", (200, 200, 200, 200)),
    ("GET", "/committee/candidate/new", (302, 403, 302, 302)),  # one is open: sent to it
    ("POST", "/committee/candidate/{candidate_id}/vote", (302, 403, 302, 302)),
    ("POST", "/committee/candidate/{candidate_id}/publish", (302, 403, 302, 302)),
    ("POST", "/committee/candidate/{candidate_id}/withdraw", (302, 403, 302, 302)),
]


@pytest.mark.parametrize(
    ("method", "path", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _ in MATRIX]
)
@pytest.mark.parametrize("role", ROLES)
def test_route_matrix(request, charter, users, role, method, path, expected):
    client = request.getfixturevalue(role)
    proposal = propose(
        charter, users["citizen"], body="Different words.", heading="Why", rationale="Because."
    )
    candidate = open_candidate(charter, users["committee"], "- First draft.")
    comment = post_comment(users["citizen"], body="A comment.", clause=get_clause(charter, "why"))
    db.session.commit()
    url = path.format(
        citizen_id=users["citizen"].id,
        admin_id=users["admin"].id,
        proposal_id=proposal.id,
        candidate_id=candidate.id,
        comment_id=comment.id,
    )
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={"role": "citizen", "active": "y"})
    assert response.status_code == expected[ROLES.index(role)]
    if response.status_code == 302 and role == "anon" and "/admin" in url:
        assert "/accounts/login" in response.location


@pytest.mark.parametrize(
    ("role", "manage", "change_other", "change_self", "password"),
    [
        (None, False, False, False, False),
        ("citizen", False, False, False, True),
        ("committee", False, False, False, True),
        ("admin", True, True, False, True),
    ],
)
def test_predicates(users, role, manage, change_other, change_self, password):
    from flask_login import AnonymousUserMixin

    user = users[role] if role else AnonymousUserMixin()
    other = users["citizen"] if role != "citizen" else users["committee"]
    assert can_manage_users(user) is manage
    assert can_change_password(user) is password
    assert can_change_user(user, other) is change_other
    if role:
        assert can_change_user(user, user) is change_self


def test_deactivated_admin_loses_admin_rights(users):
    users["admin"].active = False
    assert not can_manage_users(users["admin"])


def test_navigation_shows_only_what_a_role_may_use(anon, citizen, admin, charter):
    assert "Accounts</a>" not in anon.get("/").get_data(as_text=True)
    assert "Accounts</a>" not in citizen.get("/").get_data(as_text=True)
    assert "Accounts</a>" in admin.get("/").get_data(as_text=True)
    assert "Sign in</a>" in anon.get("/").get_data(as_text=True)
    assert "Sign out" in citizen.get("/").get_data(as_text=True)


@pytest.mark.parametrize("status", list(ProposalStatus))
@pytest.mark.parametrize("role", [None, "citizen", "committee", "admin"])
def test_proposal_predicates_for_every_role_in_every_state(charter, users, role, status):
    from flask_login import AnonymousUserMixin

    proposal = propose(
        charter, users["citizen"], body="Different words.", heading="Why", rationale="Because."
    )
    proposal.status = status
    user = users[role] if role else AnonymousUserMixin()
    is_open = status is ProposalStatus.OPEN
    is_author = role == "citizen"
    assert can_edit_proposal(user, proposal) is (is_open and is_author)
    assert can_withdraw_proposal(user, proposal) is (is_open and is_author)
    assert can_support_proposal(user, proposal) is (is_open and role is not None and not is_author)
    assert can_decide_proposal(user, proposal) is (is_open and role in ("committee", "admin"))


@pytest.mark.parametrize("status", list(VersionStatus))
@pytest.mark.parametrize("role", [None, "citizen", "committee", "admin"])
def test_version_predicates_for_every_role_in_every_state(charter, users, role, status):
    from flask_login import AnonymousUserMixin

    from charter.permissions import (
        can_open_candidate,
        can_publish,
        can_vote,
        can_withdraw_candidate,
    )

    version = open_candidate(charter, users["committee"], "- Changes.")
    version.status = status
    user = users[role] if role else AnonymousUserMixin()
    member = role in ("committee", "admin")
    is_candidate = status is VersionStatus.CANDIDATE
    assert can_open_candidate(user) is member
    assert can_vote(user, version) is (member and is_candidate)
    assert can_publish(user, version) is (member and is_candidate)
    assert can_withdraw_candidate(user, version) is (member and is_candidate)


@pytest.mark.parametrize("state", ["visible", "hidden", "deleted"])
@pytest.mark.parametrize("role", [None, "citizen", "committee", "admin"])
def test_comment_predicates_for_every_role_in_every_state(charter, users, role, state):
    from flask_login import AnonymousUserMixin

    from charter.models import CommentKind
    from charter.permissions import (
        can_answer,
        can_comment,
        can_delete_comment,
        can_edit_comment,
        can_moderate,
        can_report_comment,
    )

    comment = post_comment(
        users["citizen"], body="Why?", clause=get_clause(charter, "why"), kind=CommentKind.QUESTION
    )
    comment.hidden = state == "hidden"
    comment.deleted = state == "deleted"
    user = users[role] if role else AnonymousUserMixin()
    author = role == "citizen"
    member = role in ("committee", "admin")
    assert can_comment(user) is (role is not None)
    assert can_edit_comment(user, comment) is (author and state == "visible")
    assert can_delete_comment(user, comment) is (author and state != "deleted")
    assert can_report_comment(user, comment) is (
        role is not None and not author and state != "deleted"
    )
    assert can_answer(user, comment) is member
    assert can_moderate(user) is member
