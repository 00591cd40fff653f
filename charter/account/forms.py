"""Forms for your own account: each says what is wrong in words."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from charter.accounts.operations import NAME_MAX


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class NameForm(FlaskForm):
    display_name = StringField(
        "Display name",
        description=(
            f"Shown next to what you write, here and on everything you wrote before. "
            f"Up to {NAME_MAX} characters."
        ),
        filters=[_strip],
        validators=[
            DataRequired("Enter the name you want others to see."),
            Length(max=NAME_MAX, message=f"Use at most {NAME_MAX} characters."),
        ],
    )


class DeleteForm(FlaskForm):
    password = PasswordField(
        "Your password",
        description="So that nobody else can delete your account from a device you left open.",
        validators=[DataRequired("Enter your password to confirm.")],
    )
    understand = BooleanField(
        "I understand that this cannot be undone",
        validators=[DataRequired("Tick the box to say you understand this cannot be undone.")],
    )
