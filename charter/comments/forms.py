"""Comment forms; each states its limit."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from charter.comments.operations import BODY_MAX, REASON_MAX
from charter.comments.outcomes import OUTCOME_REASON_MAX
from charter.languages import number

_BODY = dict(
    description=_l(
        "Plain text; web addresses become links. Up to %(n)s characters.", n=number(BODY_MAX)
    ),
    validators=[
        DataRequired(_l("Write your comment; it cannot be empty.")),
        Length(
            max=BODY_MAX,
            message=_l("Keep your comment to %(n)s characters.", n=number(BODY_MAX)),
        ),
    ],
)


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"), **_BODY)
    kind = SelectField(
        _l("This is a"),
        choices=[
            SelectChoice("comment", _l("Comment")),
            SelectChoice("question", _l("Question for the committee")),
        ],
        default="comment",
    )
    paragraph = SelectField(_l("About"), coerce=int, default=0, validate_choice=False)
    wording = HiddenField()  # the wording the page showed, so an old page still anchors right
    selection_start = IntegerField(validators=[Optional()])
    selection_end = IntegerField(validators=[Optional()])
    selection_exact = HiddenField()


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Your reply"), **_BODY)
    official = BooleanField(_l("Post as the committee's official answer"))


class EditCommentForm(FlaskForm):
    body = TextAreaField(_l("Your comment"), **_BODY)


class ReasonForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason"),
        description=_l("Up to %(n)s characters.", n=REASON_MAX),
        validators=[
            DataRequired(_l("Give a reason.")),
            Length(
                max=REASON_MAX, message=_l("Keep the reason to %(n)s characters.", n=REASON_MAX)
            ),
        ],
    )


class OutcomeForm(FlaskForm):
    outcome = SelectField(
        _l("What became of this comment"),
        choices=[
            SelectChoice("addressed", _l("Addressed by a proposal")),
            SelectChoice("taken_into_account", _l("Taken into account")),
            SelectChoice("not_taken_up", _l("Not taken up")),
            SelectChoice("open", _l("Open (no outcome yet)")),
        ],
        validators=[DataRequired(_l("Choose an outcome."))],
    )
    proposal = IntegerField(
        _l("Proposal number"),
        description=_l("Only for “addressed”: the proposal that dealt with it."),
        validators=[Optional()],
    )
    reason = TextAreaField(
        _l("Public reason"),
        description=_l(
            "Needed for “taken into account” and “not taken up”. Up to %(n)s characters.",
            n=OUTCOME_REASON_MAX,
        ),
        validators=[
            Length(
                max=OUTCOME_REASON_MAX,
                message=_l("Keep the reason to %(n)s characters.", n=OUTCOME_REASON_MAX),
            )
        ],
    )
