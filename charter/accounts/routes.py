"""Register, sign in, sign out and change password."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user

from charter.accounts.forms import LoginForm, PasswordForm, RegisterForm
from charter.accounts.operations import (
    AccountError,
    DisplayNameError,
    authenticate,
    change_password,
    check_display_name,
    register_citizen,
)
from charter.accounts.sessions import (
    end_other_sessions,
    end_session,
    live_session_count,
    start_session,
)
from charter.extensions import db, limiter
from charter.forms import EmptyForm
from charter.limits import (
    FAILED_SIGN_INS_PER_ACCOUNT,
    FAILED_SIGN_INS_PER_ADDRESS,
    REGISTER_PER_ADDRESS,
    failed,
    per_address,
    per_sign_in_email,
    refusal,
    seconds_to_wait,
    too_many_message,
)
from charter.permissions import Audience, allow

bp = Blueprint("accounts", __name__, url_prefix="/accounts")

REGISTERED_MESSAGE = (
    "Thank you. If this email address was new to us, your account is ready: sign in below. "
    "If you already had an account, sign in with your existing password."
)


def _safe_next(target: str | None) -> str:
    """Follow ?next= only to a path on this site, never to another host."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("public.index")


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(REGISTER_PER_ADDRESS, key_func=per_address, methods=["POST"])
@allow(Audience.SIGNED_OUT)
def register():
    """Create a citizen account."""
    if current_user.is_authenticated:
        return redirect(url_for("public.index"))
    form = RegisterForm()
    valid = form.validate_on_submit()
    if valid:
        try:
            # Checked before the email, so the answer does not depend on whether it is known.
            check_display_name(form.display_name.data)
        except DisplayNameError as err:
            form.display_name.errors.append(str(err))
            valid = False
    if not valid:
        status = 400 if form.is_submitted() else 200
        return render_template("accounts/register.html", form=form), status
    # The same answer whether or not the email was known, so nobody can probe for accounts.
    register_citizen(form.email.data, form.display_name.data, form.password.data)
    db.session.commit()
    flash(REGISTERED_MESSAGE, "success")
    return redirect(url_for(".login"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(
    FAILED_SIGN_INS_PER_ADDRESS, key_func=per_address, methods=["POST"], deduct_when=failed
)
@limiter.limit(
    FAILED_SIGN_INS_PER_ACCOUNT, key_func=per_sign_in_email, methods=["POST"], deduct_when=failed
)
@allow(Audience.SIGNED_OUT)
def login():
    """Sign in with email and password."""
    if current_user.is_authenticated:
        return redirect(_safe_next(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            start_session(user, remember=form.remember.data)
            db.session.commit()
            login_user(user, remember=form.remember.data)
            _rotate_csrf_token()
            flash(f"Signed in as {user.display_name}.", "success")
            return redirect(_safe_next(request.args.get("next")))
        form.form_errors.append("That email address and password do not match an account.")
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/login.html", form=form), status


@bp.post("/logout")
@allow(Audience.ANYONE)
def logout():
    """Sign out (a POST, so CSRFProtect checks the token first) and end this sign-in."""
    if current_user.is_authenticated:
        end_session(current_user.get_id())
        db.session.commit()
    logout_user()
    flash("You are signed out.", "success")
    return redirect(url_for("public.index"))


@bp.route("/password", methods=["GET", "POST"])
@allow(Audience.SIGNED_IN)
def password():
    """Change your own password."""
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current.data, form.password.data)
        except AccountError as err:
            form.current.errors.append(str(err))
        else:
            end_other_sessions(current_user, keep=current_user.get_id())
            db.session.commit()
            flash(
                "Your password has been changed. Anywhere else you were signed in, "
                "you are now signed out.",
                "success",
            )
            return redirect(url_for("public.index"))
    status = 400 if form.is_submitted() else 200
    return _password_page(form, status)


def _password_page(form: PasswordForm, status: int = 200):
    return render_template(
        "accounts/password.html",
        form=form,
        everywhere_form=EmptyForm(),
        signed_in_count=live_session_count(current_user),
    ), status


@bp.post("/sign-out-everywhere")
@allow(Audience.SIGNED_IN)
def sign_out_everywhere():
    """End every sign-in of this account, on this device and all others."""
    form = EmptyForm()
    if not form.validate_on_submit():
        return _password_page(PasswordForm(formdata=None), 400)
    end_other_sessions(current_user)
    db.session.commit()
    logout_user()
    flash(
        "You are signed out everywhere: on this device and on every other device or browser "
        "where you were signed in. Sign in again to carry on.",
        "success",
    )
    return redirect(url_for("public.index"))


FORM_PAGES = {
    "accounts.login": (LoginForm, "accounts/login.html"),
    "accounts.register": (RegisterForm, "accounts/register.html"),
}


@bp.errorhandler(429)
def too_many_attempts(error):
    """Show the form again with what was typed (never a password) and when to try again."""
    wait = seconds_to_wait()
    if request.endpoint not in FORM_PAGES:
        return refusal(wait)
    form_class, template = FORM_PAGES[request.endpoint]
    form = form_class()
    form.form_errors.append(too_many_message(wait, kept=True))
    return render_template(template, form=form), 429, {"Retry-After": str(wait)}


def _rotate_csrf_token() -> None:
    """Give a fresh CSRF token at sign-in, so a token planted before it is worth nothing."""
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)
