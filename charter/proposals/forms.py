"""Proposal forms: limits are stated on the form, checked here and again in the operations."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, RadioField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from charter.languages import number
from charter.proposals.operations import BODY_MAX, HEADING_MAX, RATIONALE_MAX, REASON_MAX


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class _TextFields:
    heading = StringField(
        _l("Heading"),
        filters=[_strip],
        description=_l(
            "The clause's title, in a few words. Up to %(n)s characters.", n=HEADING_MAX
        ),
        validators=[
            DataRequired(_l("Give the clause a heading.")),
            Length(
                max=HEADING_MAX, message=_l("Keep the heading to %(n)s characters.", n=HEADING_MAX)
            ),
        ],
    )
    body = TextAreaField(
        _l("Wording"),
        description=_l(
            "Plain text, or Markdown for lists (- item), *emphasis* and [links](https://...). "
            "Up to %(n)s characters.",
            n=number(BODY_MAX),
        ),
        validators=[
            DataRequired(_l("Write the wording you propose; it cannot be empty.")),
            Length(
                max=BODY_MAX,
                message=_l("Keep the wording to %(n)s characters.", n=number(BODY_MAX)),
            ),
        ],
    )


class _Rationale:
    rationale = TextAreaField(
        _l("Why this change?"),
        filters=[_strip],
        description=_l(
            "Explain it for someone who was not there. Up to %(n)s characters.",
            n=number(RATIONALE_MAX),
        ),
        validators=[
            DataRequired(_l("Say why you propose this: the reason is what others will weigh.")),
            Length(
                max=RATIONALE_MAX,
                message=_l("Keep the reason to %(n)s characters.", n=number(RATIONALE_MAX)),
            ),
        ],
    )
    preview = SubmitField(_l("Preview the changes"))
    submit = SubmitField(_l("Send the proposal"))


class AmendForm(_Rationale, _TextFields, FlaskForm):
    pass


class AddForm(_Rationale, _TextFields, FlaskForm):
    position = IntegerField(
        _l("Place in the charter"),
        description=_l("The number this clause should have; leave empty to put it at the end."),
        validators=[Optional(), NumberRange(min=1, message=_l("Use a number of 1 or more."))],
    )


class RemoveForm(_Rationale, FlaskForm):
    pass


class EditForm(_Rationale, _TextFields, FlaskForm):
    seen_version = HiddenField()
    submit = SubmitField(_l("Save the new text"))


class EditRemoveForm(_Rationale, FlaskForm):
    seen_version = HiddenField()
    submit = SubmitField(_l("Save the new text"))


class DecisionForm(FlaskForm):
    decision = RadioField(
        _l("Decision"),
        choices=[SelectChoice("accept", _l("Accept")), SelectChoice("reject", _l("Reject"))],
        validators=[DataRequired(_l("Choose accept or reject."))],
    )
    reason = TextAreaField(
        _l("Reason for the decision"),
        filters=[_strip],
        description=_l(
            "Shown to everyone with the decision. Up to %(n)s characters.", n=number(REASON_MAX)
        ),
        validators=[
            DataRequired(_l("Give the reason for the decision; everyone will be able to read it.")),
            Length(
                max=REASON_MAX,
                message=_l("Keep the reason to %(n)s characters.", n=number(REASON_MAX)),
            ),
        ],
    )
    seen_version = HiddenField()
    confirmed = HiddenField()
    submit = SubmitField(_l("Record the decision"))
