"""Comment forms; each states its limit."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from charter.comments.operations import BODY_MAX, REASON_MAX
from charter.comments.outcomes import OUTCOME_REASON_MAX

_BODY = dict(
    description=f"Plain text; web addresses become links. Up to {BODY_MAX:,} characters.",
    validators=[
        DataRequired("Write your comment; it cannot be empty."),
        Length(max=BODY_MAX, message=f"Keep your comment to {BODY_MAX:,} characters."),
    ],
)


class CommentForm(FlaskForm):
    body = TextAreaField("Your comment", **_BODY)
    kind = SelectField(
        "This is a",
        choices=[
            SelectChoice("comment", "Comment"),
            SelectChoice("question", "Question for the committee"),
        ],
        default="comment",
    )
    paragraph = SelectField("About", coerce=int, default=0, validate_choice=False)
    wording = HiddenField()  # the wording the page showed, so an old page still anchors right
    selection_start = IntegerField(validators=[Optional()])
    selection_end = IntegerField(validators=[Optional()])
    selection_exact = HiddenField()


class ReplyForm(FlaskForm):
    body = TextAreaField("Your reply", **_BODY)
    official = BooleanField("Post as the committee's official answer")


class EditCommentForm(FlaskForm):
    body = TextAreaField("Your comment", **_BODY)


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        "Reason",
        description=f"Up to {REASON_MAX} characters.",
        validators=[
            DataRequired("Give a reason."),
            Length(max=REASON_MAX, message=f"Keep the reason to {REASON_MAX} characters."),
        ],
    )


class OutcomeForm(FlaskForm):
    outcome = SelectField(
        "What became of this comment",
        choices=[
            SelectChoice("addressed", "Addressed by a proposal"),
            SelectChoice("taken_into_account", "Taken into account"),
            SelectChoice("not_taken_up", "Not taken up"),
            SelectChoice("open", "Open (no outcome yet)"),
        ],
        validators=[DataRequired("Choose an outcome.")],
    )
    proposal = IntegerField(
        "Proposal number",
        description="Only for “addressed”: the proposal that dealt with it.",
        validators=[Optional()],
    )
    reason = TextAreaField(
        "Public reason",
        description=f"Needed for “taken into account” and “not taken up”. "
        f"Up to {OUTCOME_REASON_MAX} characters.",
        validators=[
            Length(
                max=OUTCOME_REASON_MAX,
                message=f"Keep the reason to {OUTCOME_REASON_MAX} characters.",
            )
        ],
    )
