"""Proposal forms: limits are stated on the form, checked here and again in the operations."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from charter.proposals.operations import BODY_MAX, HEADING_MAX, RATIONALE_MAX, REASON_MAX


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class _TextFields:
    heading = StringField(
        "Heading",
        filters=[_strip],
        description=f"The clause's title, in a few words. Up to {HEADING_MAX} characters.",
        validators=[
            DataRequired("Give the clause a heading."),
            Length(max=HEADING_MAX, message=f"Keep the heading to {HEADING_MAX} characters."),
        ],
    )
    body = TextAreaField(
        "Wording",
        description=(
            f"Plain text, or Markdown for lists (- item), *emphasis* and [links](https://...). "
            f"Up to {BODY_MAX:,} characters."
        ),
        validators=[
            DataRequired("Write the wording you propose; it cannot be empty."),
            Length(max=BODY_MAX, message=f"Keep the wording to {BODY_MAX:,} characters."),
        ],
    )


class _Rationale:
    rationale = TextAreaField(
        "Why this change?",
        filters=[_strip],
        description=(
            f"Explain it for someone who was not there. Up to {RATIONALE_MAX:,} characters."
        ),
        validators=[
            DataRequired("Say why you propose this: the reason is what others will weigh."),
            Length(max=RATIONALE_MAX, message=f"Keep the reason to {RATIONALE_MAX:,} characters."),
        ],
    )
    preview = SubmitField("Preview the changes")
    submit = SubmitField("Send the proposal")


class AmendForm(_Rationale, _TextFields, FlaskForm):
    pass


class AddForm(_Rationale, _TextFields, FlaskForm):
    position = IntegerField(
        "Place in the charter",
        description="The number this clause should have; leave empty to put it at the end.",
        validators=[Optional(), NumberRange(min=1, message="Use a number of 1 or more.")],
    )


class RemoveForm(_Rationale, FlaskForm):
    pass


class EditForm(_Rationale, _TextFields, FlaskForm):
    seen_version = HiddenField()
    submit = SubmitField("Save the new text")


class EditRemoveForm(_Rationale, FlaskForm):
    seen_version = HiddenField()
    submit = SubmitField("Save the new text")


class DecisionForm(FlaskForm):
    decision = RadioField(
        "Decision",
        choices=[SelectChoice("accept", "Accept"), SelectChoice("reject", "Reject")],
        validators=[DataRequired("Choose accept or reject.")],
    )
    reason = TextAreaField(
        "Reason for the decision",
        filters=[_strip],
        description=f"Shown to everyone with the decision. Up to {REASON_MAX:,} characters.",
        validators=[
            DataRequired("Give the reason for the decision; everyone will be able to read it."),
            Length(max=REASON_MAX, message=f"Keep the reason to {REASON_MAX:,} characters."),
        ],
    )
    seen_version = HiddenField()
    confirmed = HiddenField()
    submit = SubmitField("Record the decision")
