"""Who may do what: every role against every route that exists, and the predicates directly."""

import pytest

from charter.permissions import can_change_password, can_change_user, can_manage_users

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
]


@pytest.mark.parametrize(
    ("method", "path", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _ in MATRIX]
)
@pytest.mark.parametrize("role", ROLES)
def test_route_matrix(request, charter, users, role, method, path, expected):
    client = request.getfixturevalue(role)
    url = path.format(citizen_id=users["citizen"].id, admin_id=users["admin"].id)
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
