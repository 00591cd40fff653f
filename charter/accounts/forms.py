"""Account forms: each states its limits so nobody has to guess."""

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


_PASSWORD_ADVICE = (
    f"At least {PASSWORD_MIN} characters, not a common password. A few unrelated words work well."
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
                message=f"Use between {PASSWORD_MIN} and {PASSWORD_MAX} characters.",
            ),
            _hard_to_guess,
        ],
    )


def _password_again(
    label: str = "New password again",
    required: str = "Type the new password a second time.",
    mismatch: str = "The two new passwords are not the same.",
):
    return PasswordField(label, validators=[DataRequired(required), EqualTo("password", mismatch)])


class RegisterForm(FlaskForm):
    display_name = StringField(
        "Display name",
        description=(
            f"Shown next to what you write. Up to {NAME_MAX} characters. It may not name a "
            "role or look like a committee member's name."
        ),
        filters=[_strip],
        validators=[
            DataRequired("Enter the name you want others to see."),
            Length(max=NAME_MAX, message=f"Use at most {NAME_MAX} characters."),
        ],
    )
    email = EmailField(
        "Email address",
        description="Used to sign in. Never shown to anyone.",
        filters=[_strip],
        validators=[
            DataRequired("Enter your email address."),
            Email("Enter an email address like name@example.org.", check_deliverability=False),
            Length(max=254, message="That email address is too long."),
        ],
    )
    password = _new_password("Password", "Choose a password.")
    confirm = _password_again(
        "Password again",
        "Type the password a second time.",
        "The two passwords are not the same.",
    )


class LoginForm(FlaskForm):
    email = EmailField(
        "Email address",
        filters=[_strip],
        validators=[DataRequired("Enter your email address.")],
    )
    password = PasswordField("Password", validators=[DataRequired("Enter your password.")])
    remember = BooleanField("Keep me signed in on this device")


class PasswordForm(FlaskForm):
    current = PasswordField(
        "Current password", validators=[DataRequired("Enter your current password.")]
    )
    password = _new_password(
        "New password", "Choose a new password.", f"At least {PASSWORD_MIN} characters."
    )
    confirm = _password_again()


class ForgottenForm(FlaskForm):
    email = EmailField(
        "Email address",
        description="The address you use to sign in.",
        filters=[_strip],
        validators=[
            DataRequired("Enter your email address."),
            Email("Enter an email address like name@example.org.", check_deliverability=False),
            Length(max=254, message="That email address is too long."),
        ],
    )


class ResetForm(FlaskForm):
    """A new password, twice; the view names the person so the password cannot be about them."""

    # Read by _hard_to_guess, like the register form's fields: the account's email and name.
    person_details: list[str] = []

    password = _new_password("New password", "Choose a new password.")
    confirm = _password_again()


class EmailChangeForm(FlaskForm):
    email = EmailField(
        "New email address",
        description="We will send a link to it. Your address changes once you follow the link.",
        filters=[_strip],
        validators=[
            DataRequired("Enter your new email address."),
            Email("Enter an email address like name@example.org.", check_deliverability=False),
            Length(max=254, message="That email address is too long."),
        ],
    )
    password = PasswordField(
        "Current password",
        description="So nobody else can move your account while you are signed in.",
        validators=[DataRequired("Enter your current password.")],
    )
