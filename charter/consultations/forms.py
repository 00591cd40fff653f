"""Committee forms to open, extend and close consultation windows."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from charter.consultations.operations import NOTE_MAX

DRAFT = "draft"


class DeadlineForm(FlaskForm):
    """A closing date and time, in London time; the operation reads and checks them."""

    closes_on = StringField(
        "Closing date",
        description="In London time.",
        validators=[DataRequired("Enter the date the window closes.")],
    )
    closes_time = StringField(
        "Closing time",
        description="London time, for example 17:00 (5pm).",
        default="17:00",
        validators=[DataRequired("Enter the time the window closes, for example 17:00.")],
    )


class OpenWindowForm(DeadlineForm):
    scope = SelectField(
        "What is open for comment",
        # The route says in words when the choice is missing or unknown.
        validate_choice=False,
    )
    note = TextAreaField(
        "Note for residents (optional)",
        description=(
            f"What the committee most wants to hear about. Shown to everyone. "
            f"Up to {NOTE_MAX} characters."
        ),
        validators=[Length(max=NOTE_MAX, message=f"Keep the note to {NOTE_MAX} characters.")],
    )


class ExtendWindowForm(DeadlineForm):
    """Extend a running window: a later closing date and time."""
