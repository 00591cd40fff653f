"""Admin forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField
from wtforms.fields.choices import SelectChoice

from charter.models import Role


class AccountForm(FlaskForm):
    role = SelectField(
        "Role",
        choices=[SelectChoice(role.value, role.label) for role in Role],
        validate_choice=True,
    )
    active = BooleanField("Can sign in")


class CharterSettingsForm(FlaskForm):
    consultation_open = BooleanField(
        "The consultation is open",
        description="While it is closed, nobody can send new proposals. Reading and "
        "discussion go on.",
    )
