"""Administration of accounts and roles."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from charter.accounts.links import resend_verification
from charter.accounts.operations import update_account
from charter.accounts.queries import account_counts, accounts_query
from charter.admin.forms import AccountForm, CharterSettingsForm
from charter.admin.operations import update_charter_settings
from charter.clauses.queries import get_charter
from charter.extensions import db
from charter.forms import EmptyForm
from charter.models import Role, User
from charter.permissions import (
    Audience,
    allow,
    can_change_user,
    can_manage_charter,
    can_manage_users,
    require,
)

bp = Blueprint("admin", __name__, url_prefix="/admin")

USERS_PER_PAGE = 50


def _users_page():
    return db.paginate(accounts_query(), per_page=USERS_PER_PAGE, error_out=False)


@bp.get("/users")
@allow(Audience.ADMIN)
def users():
    """List accounts, with a form to change each one's role and access."""
    require(can_manage_users(current_user))
    return render_template(
        "admin/users.html",
        page=_users_page(),
        form_for=_form_for,
        counts=account_counts(),
        button_form=EmptyForm(),
    )


@bp.post("/users/<int:user_id>/resend-verification")
@allow(Audience.ADMIN)
def resend(user_id):
    """Send an unverified account the link to confirm its address again."""
    user = db.get_or_404(User, user_id)
    require(can_manage_users(current_user))
    form = EmptyForm()
    if not form.validate_on_submit():
        flash(_("Nothing was sent: the page had expired. Please try again."), "error")
    elif resend_verification(current_user, user):
        db.session.commit()
        flash(
            _(
                "The link to confirm their address was sent again to %(name)s.",
                name=user.display_name,
            ),
            "success",
        )
    else:
        flash(
            _("%(name)s has nothing to confirm, so nothing was sent.", name=user.display_name),
            "info",
        )
    return redirect(url_for(".users", page=request.args.get("page")))


@bp.post("/users/<int:user_id>")
@allow(Audience.ADMIN)
def update(user_id):
    """Change one account's role or whether it can sign in."""
    user = db.get_or_404(User, user_id)
    require(can_change_user(current_user, user))
    form = AccountForm()
    if not form.validate_on_submit():
        flash(
            _("Nothing was changed for %(name)s: choose one of the roles.", name=user.display_name),
            "error",
        )
        return redirect(url_for(".users", page=request.args.get("page")))
    changes = update_account(current_user, user, Role(form.role.data), form.active.data)
    db.session.commit()
    if changes:
        flash(
            _("%(name)s: %(changes)s.", name=user.display_name, changes="; ".join(changes)),
            "success",
        )
    else:
        flash(_("Nothing to change for %(name)s.", name=user.display_name), "info")
    return redirect(url_for(".users", page=request.args.get("page")))


@bp.route("/settings", methods=["GET", "POST"])
@allow(Audience.ADMIN)
def settings():
    """Open or close the consultation."""
    require(can_manage_charter(current_user))
    charter = get_charter() or abort(404)
    form = CharterSettingsForm(obj=charter)
    if form.validate_on_submit():
        if update_charter_settings(
            current_user,
            charter,
            form.consultation_open.data,
            form.quorum_percent.data,
            form.threshold_percent.data,
        ):
            db.session.commit()
            if charter.consultation_open:
                flash(_("Settings saved. The consultation is now open."), "success")
            else:
                flash(_("Settings saved. The consultation is now closed."), "success")
        else:
            flash(_("Nothing to change."), "info")
        return redirect(url_for(".settings"))
    status = 400 if form.is_submitted() else 200
    return render_template("admin/settings.html", form=form, charter=charter), status


def _form_for(user: User) -> AccountForm:
    return AccountForm(formdata=None, role=user.role.value, active=user.active)
