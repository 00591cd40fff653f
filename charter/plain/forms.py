"""Forms for writing a clause's summaries and translations."""

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from charter.plain.operations import BODY_MAX, HEADING_MAX


class SupplementForm(FlaskForm):
    heading = StringField(
        "Heading (optional)",
        description="For a translation, the clause's heading in that language.",
        validators=[
            Length(max=HEADING_MAX, message=f"Keep the heading to {HEADING_MAX} characters.")
        ],
    )
    body = TextAreaField(
        "Text",
        description=f"Markdown. Up to {BODY_MAX:,} characters.",
        validators=[
            DataRequired("Write the text: it cannot be empty."),
            Length(max=BODY_MAX, message=f"Keep the text to {BODY_MAX:,} characters."),
        ],
    )
