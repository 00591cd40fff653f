"""Admin forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange

from charter.models import Role


class AccountForm(FlaskForm):
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(role.value, role.label) for role in Role],
        validate_choice=True,
    )
    active = BooleanField(_l("Can sign in"))


class CharterSettingsForm(FlaskForm):
    consultation_open = BooleanField(
        _l("The consultation is open"),
        description=_l(
            "While it is closed, nobody can send new proposals. Reading and discussion go on."
        ),
    )
    quorum_percent = IntegerField(
        _l("Quorum (%)"),
        description=_l(
            "A version can be published only when more than this share of committee "
            "members have voted (approve, reject or abstain). Default 50: more than half."
        ),
        validators=[
            InputRequired(_l("Enter a number between 0 and 99.")),
            NumberRange(0, 99, _l("Enter a number between 0 and 99.")),
        ],
    )
    threshold_percent = IntegerField(
        _l("Approval threshold (%)"),
        description=_l(
            "More than this share of those who approve or reject must approve. "
            "Default 50: more than half."
        ),
        validators=[
            InputRequired(_l("Enter a number between 0 and 99.")),
            NumberRange(0, 99, _l("Enter a number between 0 and 99.")),
        ],
    )
