"""Admin forms."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange

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
    quorum_percent = IntegerField(
        "Quorum (%)",
        description="A version can be published only when more than this share of committee "
        "members have voted (approve, reject or abstain). Default 50: more than half.",
        validators=[
            InputRequired("Enter a number between 0 and 99."),
            NumberRange(0, 99, "Enter a number between 0 and 99."),
        ],
    )
    threshold_percent = IntegerField(
        "Approval threshold (%)",
        description="More than this share of those who approve or reject must approve. "
        "Default 50: more than half.",
        validators=[
            InputRequired("Enter a number between 0 and 99."),
            NumberRange(0, 99, "Enter a number between 0 and 99."),
        ],
    )
