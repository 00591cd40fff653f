"""Account forms: each states its limits so nobody has to guess."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from charter.accounts.operations import NAME_MAX, PASSWORD_MAX, PASSWORD_MIN
from charter.accounts.passwords import weakness


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _hard_to_guess(form, field):
    """Refuse a common or easily guessed password, including one made of the person's details."""
    if not field.data or len(field.data) < PASSWORD_MIN:
        return  # the length message says enough
    details = [getattr(form, name).data for name in ("email", "display_name") if name in form]
    details += getattr(form, "person_details", [])
    if problem := weakness(field.data, *details):
        raise ValidationError(problem)


_PASSWORD_ADVICE = _l(
    "At least %(num)d characters, not a common password. A few unrelated words work well.",
    num=PASSWORD_MIN,
)


def _new_password(label: str, required: str, description: str = _PASSWORD_ADVICE):
    """A password being chosen: long enough, and hard to guess from the person's details."""
    return PasswordField(
        label,
        description=description,
        validators=[
            DataRequired(required),
            Length(
                min=PASSWORD_MIN,
                max=PASSWORD_MAX,
                message=_l("Use between %(min)d and %(max)d characters."),  # Length fills them in
            ),
            _hard_to_guess,
        ],
    )


def _password_again(
    label: str = _l("New password again"),
    required: str = _l("Type the new password a second time."),
    mismatch: str = _l("The two new passwords are not the same."),
):
    return PasswordField(label, validators=[DataRequired(required), EqualTo("password", mismatch)])


class RegisterForm(FlaskForm):
    display_name = StringField(
        _l("Display name"),
        description=_l(
            "Shown next to what you write. Up to %(num)d characters. It may not name a "
            "role or look like a committee member's name.",
            num=NAME_MAX,
        ),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter the name you want others to see.")),
            Length(max=NAME_MAX, message=_l("Use at most %(max)d characters.")),
        ],
    )
    email = EmailField(
        _l("Email address"),
        description=_l("Used to sign in. Never shown to anyone."),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter your email address.")),
            Email(_l("Enter an email address like name@example.org."), check_deliverability=False),
            Length(max=254, message=_l("That email address is too long.")),
        ],
    )
    password = _new_password(_l("Password"), _l("Choose a password."))
    confirm = _password_again(
        _l("Password again"),
        _l("Type the password a second time."),
        _l("The two passwords are not the same."),
    )


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter your email address."))],
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    remember = BooleanField(_l("Keep me signed in on this device"))


class PasswordForm(FlaskForm):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )
    password = _new_password(
        _l("New password"),
        _l("Choose a new password."),
        _l("At least %(num)d characters.", num=PASSWORD_MIN),
    )
    confirm = _password_again()


class ForgottenForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        description=_l("The address you use to sign in."),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter your email address.")),
            Email(_l("Enter an email address like name@example.org."), check_deliverability=False),
            Length(max=254, message=_l("That email address is too long.")),
        ],
    )


class ResetForm(FlaskForm):
    """A new password, twice; the view names the person so the password cannot be about them."""

    # Read by _hard_to_guess, like the register form's fields: the account's email and name.
    person_details: list[str] = []

    password = _new_password(_l("New password"), _l("Choose a new password."))
    confirm = _password_again()


class EmailChangeForm(FlaskForm):
    email = EmailField(
        _l("New email address"),
        description=_l("We will send a link to it. Your address changes once you follow the link."),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter your new email address.")),
            Email(_l("Enter an email address like name@example.org."), check_deliverability=False),
            Length(max=254, message=_l("That email address is too long.")),
        ],
    )
    password = PasswordField(
        _l("Current password"),
        description=_l("So nobody else can move your account while you are signed in."),
        validators=[DataRequired(_l("Enter your current password."))],
    )
