"""Register, confirm the address, sign in and out, change password or address, reset it."""

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user

from charter.accounts import links, tokens
from charter.accounts.forms import (
    EmailChangeForm,
    ForgottenForm,
    LoginForm,
    PasswordForm,
    RegisterForm,
    ResetForm,
)
from charter.accounts.operations import (
    AccountError,
    DisplayNameError,
    PasswordError,
    authenticate,
    change_password,
    check_display_name,
    normalise_email,
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
    per_account,
    per_address,
    per_sign_in_email,
    refusal,
    seconds_to_wait,
    succeeded,
    too_many_message,
)
from charter.permissions import Audience, allow
from charter.web import local_path

bp = Blueprint("accounts", __name__, url_prefix="/accounts")

REGISTERED_MESSAGE = _l(
    "Thank you. We have sent an email to the address you gave. Follow the link in it to "
    "confirm your address; you can sign in below meanwhile. If you already had an account, "
    "the email says so: sign in with your existing password."
)
FORGOTTEN_MESSAGE = _l(
    "If an account uses that address, we have sent a link to it to set a new password. "
    "The link works for %(lasts)s. If nothing arrives, check your spam folder, or ask again."
)
# Each link mail is sent by a person's own request: a few an hour is plenty, and no more
# can be used to fill someone's inbox.
LINKS_PER_ACCOUNT = "5 per hour"
LINKS_PER_EMAIL = "5 per hour"
FORGOTTEN_PER_ADDRESS = "30 per hour"


def per_forgotten_email() -> str:
    """Count reset requests by the address they name, whoever sends them."""
    return "forgotten:" + normalise_email(request.form.get("email", ""))


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
    # The same answer whether or not the email was known, so nobody can probe for accounts:
    # hence no signing in here, which a known address could not do.
    user = register_citizen(form.email.data, form.display_name.data, form.password.data)
    if user is None:
        links.tell_owner_of_attempt(form.email.data, _l("register a new account with it"))
    else:
        links.send_verification(user)
    db.session.commit()
    flash(str(REGISTERED_MESSAGE), "success")
    return redirect(url_for(".login"))


def _link_refused(refusal: tokens.LinkRefused):
    """Say why a link opens nothing, and what to do instead."""
    return render_template(
        "accounts/link_refused.html", refusal=refusal, resend_form=EmptyForm()
    ), 400


@bp.get("/verify/<token>")
@allow(Audience.ANYONE)
def verify(token):
    """Confirm an address by following the link sent to it."""
    try:
        user = tokens.check_verify_token(token)
    except tokens.LinkRefused as refusal:
        return _link_refused(refusal)
    links.verify_email(user)
    db.session.commit()
    return render_template("accounts/verified.html", user=user)


@bp.post("/verify/resend")
@limiter.limit(LINKS_PER_ACCOUNT, key_func=per_account)
@allow(Audience.SIGNED_IN)
def resend():
    """Send the link that confirms your address again."""
    form = EmptyForm()
    if not form.validate_on_submit():
        flash(_("The link was not sent: the page had expired. Please try again."), "error")
    elif current_user.email_verified:
        flash(_("Your email address is already confirmed."), "info")
    else:
        links.send_verification(current_user)
        db.session.commit()
        flash(
            _(
                "We have sent a new link to %(email)s. It works for %(lasts)s; earlier links "
                "still work too.",
                email=current_user.email,
                lasts=tokens.LIFETIME_IN_WORDS[tokens.VERIFY],
            ),
            "success",
        )
    return redirect(local_path(request.form.get("next")))


@bp.route("/email", methods=["GET", "POST"])
@limiter.limit(LINKS_PER_ACCOUNT, key_func=per_account, methods=["POST"], deduct_when=succeeded)
@allow(Audience.SIGNED_IN)
def email():
    """Ask to move your account to a new address; a link sent there confirms it."""
    form = EmailChangeForm()
    if form.validate_on_submit():
        try:
            links.request_email_change(current_user, form.email.data, form.password.data)
        except AccountError as err:
            field = form.password if isinstance(err, PasswordError) else form.email
            field.errors.append(str(err))
        else:
            db.session.commit()
            flash(
                _(
                    "We have sent a link to %(new)s. Follow it within %(lasts)s to move your "
                    "account there. Until then your address stays %(old)s.",
                    new=form.email.data,
                    lasts=tokens.LIFETIME_IN_WORDS[tokens.EMAIL_CHANGE],
                    old=current_user.email,
                ),
                "success",
            )
            return redirect(url_for(".email"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/email.html", form=form), status


@bp.get("/email/confirm/<token>")
@allow(Audience.ANYONE)
def confirm_email(token):
    """Move an account to the address this link was sent to."""
    try:
        change = tokens.check_email_change_token(token)
    except tokens.LinkRefused as refusal:
        return _link_refused(refusal)
    try:
        links.confirm_email_change(change)
    except AccountError as err:
        return render_template("accounts/email_refused.html", message=str(err)), 409
    db.session.commit()
    return render_template("accounts/email_changed.html", user=change.user)


@bp.route("/password/forgotten", methods=["GET", "POST"])
@limiter.limit(FORGOTTEN_PER_ADDRESS, key_func=per_address, methods=["POST"])
@limiter.limit(LINKS_PER_EMAIL, key_func=per_forgotten_email, methods=["POST"])
@allow(Audience.ANYONE)
def forgotten():
    """Ask for a link to set a new password; the answer is the same for every address."""
    form = ForgottenForm()
    if form.validate_on_submit():
        links.request_password_reset(form.email.data)
        db.session.commit()
        flash(
            FORGOTTEN_MESSAGE % {"lasts": tokens.LIFETIME_IN_WORDS[tokens.RESET]},
            "success",
        )
        return redirect(url_for(".forgotten"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/forgotten.html", form=form), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@allow(Audience.ANYONE)
def reset(token):
    """Set a new password from the emailed link; every sign-in of the account ends."""
    try:
        user = tokens.check_reset_token(token)
    except tokens.LinkRefused as refusal:
        return _link_refused(refusal)
    form = ResetForm()
    form.person_details = [user.email, user.display_name]
    if form.validate_on_submit():
        links.reset_password(user, form.password.data)
        if current_user.is_authenticated:
            logout_user()
        start_session(user, remember=False)
        db.session.commit()
        login_user(user)
        _rotate_csrf_token()
        flash(
            _(
                "Your password is changed. Everywhere your account was signed in, it is now "
                "signed out; you are signed in here with the new password."
            ),
            "success",
        )
        return redirect(url_for("public.index"))
    status = 400 if form.is_submitted() else 200
    return render_template("accounts/reset.html", form=form, user=user), status


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
        return redirect(local_path(request.args.get("next")))
    form = LoginForm()
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is not None:
            start_session(user, remember=form.remember.data)
            db.session.commit()
            login_user(user, remember=form.remember.data)
            _rotate_csrf_token()
            flash(_("Signed in as %(name)s.", name=user.display_name), "success")
            return redirect(local_path(request.args.get("next")))
        form.form_errors.append(_("That email address and password do not match an account."))
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
    flash(_("You are signed out."), "success")
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
            links.send_password_changed(current_user)
            db.session.commit()
            flash(
                _(
                    "Your password has been changed. Anywhere else you were signed in, "
                    "you are now signed out."
                ),
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
        _(
            "You are signed out everywhere: on this device and on every other device or browser "
            "where you were signed in. Sign in again to carry on."
        ),
        "success",
    )
    return redirect(url_for("public.index"))


FORM_PAGES = {
    "accounts.login": (LoginForm, "accounts/login.html"),
    "accounts.register": (RegisterForm, "accounts/register.html"),
    "accounts.forgotten": (ForgottenForm, "accounts/forgotten.html"),
    "accounts.email": (EmailChangeForm, "accounts/email.html"),
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
