"""Who may do what: every role against every route in the URL map, and the predicates directly."""

import re
from datetime import timedelta

import pytest

from charter import create_app
from charter.accounts.tokens import reset_token
from charter.clauses.operations import create_revision
from charter.clauses.queries import get_clause
from charter.comments.operations import post_comment
from charter.extensions import db
from charter.models import ProposalStatus, VersionStatus
from charter.permissions import (
    Audience,
    can_change_password,
    can_change_user,
    can_decide_proposal,
    can_edit_proposal,
    can_manage_users,
    can_support_proposal,
    can_withdraw_proposal,
    undeclared_views,
)
from charter.versions.operations import open_candidate
from config import TestConfig
from tests.conftest import propose

ROLES = ["anon", "citizen", "committee", "admin"]

# Who is let in, for each audience a view may declare. The sample objects below are all
# written by the citizen, so "the author" is the citizen and "others" are everyone else.
LET_IN = {
    Audience.ANYONE: {"anon", "citizen", "committee", "admin"},
    Audience.SIGNED_OUT: {"anon"},
    Audience.SIGNED_IN: {"citizen", "committee", "admin"},
    Audience.AUTHOR: {"citizen"},
    Audience.OTHERS: {"committee", "admin"},
    Audience.COMMITTEE: {"committee", "admin"},
    Audience.ADMIN: {"admin"},
}


def _app_routes():
    """Every (endpoint, method, rule) the app serves, read from its URL map."""
    app = create_app(TestConfig)
    return sorted(
        (rule.endpoint, method, rule.rule)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    )


ROUTES = _app_routes()
# Pages that need a query string to name what they are about.
QUERY = {"proposals.create": "?kind=amend&clause=why"}


@pytest.fixture
def world(charter, users):
    """One of everything a URL can name, written by the citizen where it has an author."""
    from charter.comments.operations import report_comment
    from charter.consultations.operations import open_window
    from charter.models import CommentKind, ProposalKind, utcnow
    from charter.plain.languages import PLAIN, slot_named
    from charter.plain.operations import write_supplement
    from charter.proposals.operations import create_proposal
    from charter.versions.operations import publish_working_draft

    publish_working_draft(charter, changelog="- First version.")
    why = get_clause(charter, "why")
    # A summary written for the first wording (so out of date), translations for the newer one.
    write_supplement(why, PLAIN, heading="", body="We put data together.", by=users["committee"])
    create_revision(why, why.current_revision.heading, "A newer wording to vote on.")
    for code, body in (("ar", "صياغة أحدث للتصويت عليها."), ("cy", "Geiriad mwy newydd.")):
        slot = slot_named(code, (code,))
        write_supplement(why, slot, heading="", body=body, by=users["committee"])
    proposal = propose(charter, users["citizen"])
    amendment = create_proposal(
        charter,
        users["committee"],
        ProposalKind.AMEND,
        clause=why,
        heading=proposal.heading,
        body="Other words again.",
        rationale="Plainer still.",
        parent=proposal,
    )
    comment = post_comment(
        users["citizen"], body="What is joined?", clause=why, kind=CommentKind.QUESTION
    )
    report = report_comment(comment, users["committee"], "Checking the queue.")
    candidate = open_candidate(charter, users["committee"], "- Newer wording.")
    window = open_window(
        charter, users["committee"], clause=None, closes_at=utcnow() + timedelta(days=30)
    )
    db.session.commit()
    return {
        "window_id": window.id,
        "key": "why",
        "slot_name": "plain",
        "proposal_id": proposal.id,
        "amendment_id": amendment.id,
        "comment_id": comment.id,
        "report_id": report.id,
        "user_id": users["citizen"].id,
        "version_id": candidate.id,
        "number": 1,
        "old": "1",
        "new": "candidate",
        "token": "not-a-real-link",  # refused in words, to anyone
        "reset_token": reset_token(users["citizen"]),  # a working link, for the HTML check
    }


def test_every_view_declares_who_may_use_it(app):
    assert undeclared_views(app) == []
    assert {endpoint for endpoint, _, _ in ROUTES} == set(app.view_functions) - {"static"}


def test_a_view_without_a_declared_audience_stops_the_app_starting():
    from flask import Blueprint

    import charter as package

    stray = Blueprint("stray", __name__)
    stray.add_url_rule("/stray", "undeclared", lambda: "hello")
    original = package.Flask.register_blueprint

    def register_with_stray(self, blueprint, **options):
        original(self, blueprint, **options)
        if blueprint.name == "api":
            original(self, stray)

    package.Flask.register_blueprint = register_with_stray
    try:
        with pytest.raises(RuntimeError, match="stray.undeclared"):
            create_app(TestConfig)
    finally:
        package.Flask.register_blueprint = original


@pytest.mark.parametrize(
    ("endpoint", "method", "rule"), ROUTES, ids=[f"{m} {r}" for _, m, r in ROUTES]
)
@pytest.mark.parametrize("role", ROLES)
def test_every_route_lets_in_exactly_its_audience(
    request, app, world, role, endpoint, method, rule
):
    audience = app.view_functions[endpoint].audience
    missing = [name for name in re.findall(r"<(?:\w+:)?(\w+)>", rule) if name not in world]
    assert not missing, f"add a sample value for {missing} to the world fixture"
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(world[m.group(1)]), rule)
    url += QUERY.get(endpoint, "")
    client = request.getfixturevalue(role)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, data={"role": "citizen", "active": "y"})
    status, location = response.status_code, response.location or ""
    if role in LET_IN[audience]:
        assert status < 500 and status not in (401, 403, 404, 405), (status, location)
        assert "/accounts/login" not in location
    elif role == "anon":
        assert status == 302 and "/accounts/login" in location
    elif audience is Audience.SIGNED_OUT:
        assert status == 302 and "/accounts/login" not in location
    else:
        assert status == 403


def test_an_admin_cannot_change_their_own_account(admin, users):
    response = admin.post(f"/admin/users/{users['admin'].id}", data={"role": "citizen"})
    assert response.status_code == 403


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


@pytest.mark.parametrize("state", ["visible", "hidden", "deleted", "in a hidden thread"])
@pytest.mark.parametrize("role", [None, "citizen", "committee", "admin"])
def test_comment_predicates_for_every_role_in_every_state(charter, users, role, state):
    from flask_login import AnonymousUserMixin

    from charter.comments.operations import reply
    from charter.models import CommentKind
    from charter.permissions import (
        can_answer,
        can_comment,
        can_delete_comment,
        can_edit_comment,
        can_hide_comment,
        can_moderate,
        can_read_comment,
        can_read_hidden_comment,
        can_reply_to_comment,
        can_report_comment,
        can_restore_comment,
    )

    why = get_clause(charter, "why")
    question = post_comment(users["committee"], body="Why?", clause=why, kind=CommentKind.QUESTION)
    comment = reply(users["citizen"], question, "Because.")
    question.hidden = state == "in a hidden thread"
    comment.hidden = state == "hidden"
    comment.deleted = state == "deleted"
    user = users[role] if role else AnonymousUserMixin()
    author = role == "citizen"
    member = role in ("committee", "admin")
    public = state in ("visible", "in a hidden thread")
    assert can_comment(user) is (role is not None)
    assert can_read_comment(user, comment) is public
    assert can_read_hidden_comment(user, comment) is (member and state == "hidden")
    assert can_reply_to_comment(user, comment) is (role is not None and state == "visible")
    assert can_edit_comment(user, comment) is (author and public)
    assert can_delete_comment(user, comment) is (author and public)
    assert can_report_comment(user, comment) is (role is not None and not author and public)
    assert can_answer(user, question) is member
    assert can_moderate(user) is member
    assert can_hide_comment(user, comment) is (member and public)
    assert can_restore_comment(user, comment) is (member and state == "hidden")
