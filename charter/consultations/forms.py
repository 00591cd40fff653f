"""Committee forms to open, extend and close consultation windows."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from charter.consultations.operations import NOTE_MAX

DRAFT = "draft"


class DeadlineForm(FlaskForm):
    """A closing date and time, in London time; the operation reads and checks them."""

    closes_on = StringField(
        _l("Closing date"),
        description=_l("In London time."),
        validators=[DataRequired(_l("Enter the date the window closes."))],
    )
    closes_time = StringField(
        _l("Closing time"),
        description=_l("London time, for example 17:00 (5pm)."),
        default="17:00",
        validators=[DataRequired(_l("Enter the time the window closes, for example 17:00."))],
    )


class OpenWindowForm(DeadlineForm):
    scope = SelectField(
        _l("What is open for comment"),
        # The route says in words when the choice is missing or unknown.
        validate_choice=False,
    )
    note = TextAreaField(
        _l("Note for residents (optional)"),
        description=_l(
            "What the committee most wants to hear about. Shown to everyone. "
            "Up to %(num)d characters.",
            num=NOTE_MAX,
        ),
        validators=[Length(max=NOTE_MAX, message=_l("Keep the note to %(max)d characters."))],
    )


class ExtendWindowForm(DeadlineForm):
    """Extend a running window: a later closing date and time."""
