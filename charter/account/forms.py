"""Forms for your own account: each says what is wrong in words."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, Length

from charter.accounts.operations import NAME_MAX


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class NameForm(FlaskForm):
    display_name = StringField(
        _l("Display name"),
        description=_l(
            "Shown next to what you write, here and on everything you wrote before. "
            "Up to %(num)d characters.",
            num=NAME_MAX,
        ),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter the name you want others to see.")),
            Length(max=NAME_MAX, message=_l("Use at most %(max)d characters.")),
        ],
    )


class DeleteForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        description=_l("So that nobody else can delete your account from a device you left open."),
        validators=[DataRequired(_l("Enter your password to confirm."))],
    )
    understand = BooleanField(
        _l("I understand that this cannot be undone"),
        validators=[DataRequired(_l("Tick the box to say you understand this cannot be undone."))],
    )
