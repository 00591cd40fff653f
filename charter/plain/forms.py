"""Forms for writing a clause's summaries and translations."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from charter.languages import number
from charter.plain.operations import BODY_MAX, HEADING_MAX


class SupplementForm(FlaskForm):
    heading = StringField(
        _l("Heading (optional)"),
        description=_l("For a translation, the clause's heading in that language."),
        validators=[Length(max=HEADING_MAX, message=_l("Keep the heading to %(max)d characters."))],
    )
    body = TextAreaField(
        _l("Text"),
        description=_l("Markdown. Up to %(num)s characters.", num=number(BODY_MAX)),
        validators=[
            DataRequired(_l("Write the text: it cannot be empty.")),
            # Not Length's own %(max)d: the number is written with a thousands separator.
            Length(
                max=BODY_MAX,
                message=_l("Keep the text to %(num)s characters.", num=number(BODY_MAX)),
            ),
        ],
    )
