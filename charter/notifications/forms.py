"""Forms for following and for email choices: each says what is wrong in words."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, InputRequired

from charter.models import EmailChoice, FollowKind


class FollowForm(FlaskForm):
    """A Follow or Stop following button: what it is about travels in hidden fields."""

    kind = HiddenField(
        validators=[
            AnyOf(
                [k.value for k in FollowKind], message=_l("Choose something that can be followed.")
            )
        ]
    )
    target_id = IntegerField(validators=[InputRequired(_l("Say which one to follow."))])
    back = HiddenField()


class EmailChoiceForm(FlaskForm):
    email = RadioField(
        _l("Email me about what I follow"),
        choices=[SelectChoice(c.value, c.label) for c in EmailChoice],
        validators=[DataRequired(_l("Choose how often you want email about what you follow."))],
    )
