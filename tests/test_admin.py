"""Admins change roles and deactivate accounts; each change is logged."""

from charter.extensions import db
from charter.models import AuditEvent, Role


def test_admin_sees_every_account(admin, users):
    page = admin.get("/admin/users").get_data(as_text=True)
    for user in users.values():
        assert user.display_name in page and user.email in page


def test_admin_changes_a_role_and_it_is_logged(admin, users):
    citizen = users["citizen"]
    response = admin.post(f"/admin/users/{citizen.id}", data={"role": "committee", "active": "y"})
    assert response.status_code == 302
    db.session.refresh(citizen)
    assert citizen.role is Role.COMMITTEE and citizen.active
    event = db.session.scalar(db.select(AuditEvent))
    assert event.actor_id == users["admin"].id and event.object_id == citizen.id
    # Sealed for good, so by number, never by name: the name can be erased with the account.
    assert event.summary == f"Account {citizen.id}: role changed from Citizen to Committee member"
    assert "role changed from Citizen to Committee member" in admin.get("/admin/users").get_data(
        as_text=True
    )
    # The log reads with the account's name as it is now.
    log = admin.get("/transparency").get_data(as_text=True)
    assert "Citizen Person: role changed from Citizen to Committee member" in log
    citizen.display_name = "Renamed Person"
    db.session.commit()
    log = admin.get("/transparency").get_data(as_text=True)
    assert "Renamed Person: role changed from Citizen to Committee member" in log


def test_admin_deactivates_an_account(admin, users):
    committee = users["committee"]
    admin.post(f"/admin/users/{committee.id}", data={"role": "committee"})
    db.session.refresh(committee)
    assert not committee.active
    assert "account deactivated" in db.session.scalar(db.select(AuditEvent.summary))


def test_admin_cannot_change_their_own_account(admin, users):
    me = users["admin"]
    assert admin.post(f"/admin/users/{me.id}", data={"role": "citizen"}).status_code == 403
    db.session.refresh(me)
    assert me.role is Role.ADMIN and me.active


def test_an_unknown_role_is_refused_in_words(admin, users):
    citizen = users["citizen"]
    response = admin.post(
        f"/admin/users/{citizen.id}", data={"role": "emperor", "active": "y"}, follow_redirects=True
    )
    assert "Nothing was changed for Citizen Person: choose one of the roles." in response.get_data(
        as_text=True
    )
    db.session.refresh(citizen)
    assert citizen.role is Role.CITIZEN


def test_unknown_account_is_404(admin):
    assert admin.post("/admin/users/9999", data={"role": "citizen"}).status_code == 404


def test_admin_closes_and_reopens_the_consultation(admin, citizen, charter):
    page = admin.get("/admin/settings").get_data(as_text=True)
    assert "The consultation is <strong>open</strong>" in page
    rule = {"quorum_percent": "50", "threshold_percent": "50"}
    response = admin.post("/admin/settings", data=rule, follow_redirects=True)
    assert "The consultation is now closed." in response.get_data(as_text=True)
    db.session.refresh(charter)
    assert not charter.consultation_open
    assert "The consultation is closed" in citizen.get("/proposals/new?kind=add").get_data(
        as_text=True
    )
    admin.post("/admin/settings", data={"consultation_open": "y", **rule})
    db.session.refresh(charter)
    assert charter.consultation_open
    actions = db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["charter.consultation_closed", "charter.consultation_opened"]
