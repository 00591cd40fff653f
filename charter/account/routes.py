"""Your account page, your activity, your data to take away, deleting your account; and the
privacy notice and accessibility statement, which anyone may read."""

import io

from flask import (
    Blueprint,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from charter.account.activity import my_comments, my_proposals, my_supports
from charter.account.export import export_filename, export_zip
from charter.account.forms import DeleteForm, NameForm
from charter.account.operations import change_display_name, delete_account
from charter.account.queries import live_sessions
from charter.accounts.operations import AccountError
from charter.extensions import db
from charter.forms import EmptyForm
from charter.inputs import parse_id
from charter.permissions import Audience, allow

bp = Blueprint("account", __name__, url_prefix="/account")
about_bp = Blueprint("about", __name__)


@bp.route("", methods=["GET", "POST"])
@allow(Audience.SIGNED_IN)
def index():
    """Show your account: name, email, password and where you are signed in."""
    form = NameForm(data={"display_name": current_user.display_name})
    if form.validate_on_submit():
        try:
            name = change_display_name(current_user, form.display_name.data)
        except AccountError as err:
            form.display_name.errors.append(str(err))
        else:
            db.session.commit()
            flash(_("Your name is now shown as %(name)s.", name=name), "success")
            return redirect(url_for(".index"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "account/index.html",
        form=form,
        sessions=live_sessions(current_user),
        everywhere_form=EmptyForm(),
    ), status


@bp.get("/activity")
@allow(Audience.SIGNED_IN)
def activity():
    """List what you proposed, wrote and supported."""
    return render_template(
        "account/activity.html",
        proposals=my_proposals(current_user, _page("proposals_page")),
        comments=my_comments(current_user, _page("comments_page")),
        supports=my_supports(current_user),
    )


def _page(name: str) -> int:
    # A page number that is not one (or one no table could reach) shows the first page.
    return parse_id(request.args.get(name, "1")) or 1


@bp.route("/export", methods=["GET", "POST"])
@allow(Audience.SIGNED_IN)
def export():
    """Explain the download of your data, and send it as a .zip."""
    form = EmptyForm()
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("account/export.html", form=form), status
    return send_file(
        io.BytesIO(export_zip(current_user)),
        mimetype="application/zip",
        as_attachment=True,
        download_name=export_filename(current_user),
    )


@bp.route("/delete", methods=["GET", "POST"])
@allow(Audience.SIGNED_IN)
def delete():
    """Explain what deleting your account does, and do it once you confirm with your password."""
    form = DeleteForm()
    if form.validate_on_submit():
        try:
            delete_account(current_user, form.password.data)
        except AccountError as err:
            form.password.errors.append(str(err))
        else:
            db.session.commit()
            logout_user()
            session["account_deleted"] = True
            return redirect(url_for(".deleted"))
    status = 400 if form.is_submitted() else 200
    return render_template("account/delete.html", form=form), status


@bp.get("/deleted")
@allow(Audience.ANYONE)
def deleted():
    """Confirm that the account is gone (once, straight after deleting it)."""
    if not session.pop("account_deleted", False):
        return redirect(url_for("public.index"))
    return render_template("account/deleted.html")


@about_bp.get("/privacy")
@allow(Audience.ANYONE)
def privacy():
    """Say who runs the site, what it keeps about you, for how long, and your rights."""
    return render_template("about/privacy.html")


@about_bp.get("/accessibility")
@allow(Audience.ANYONE)
def accessibility():
    """Say how accessible the site is, how that was tested, and how to report a problem."""
    return render_template("about/accessibility.html")
