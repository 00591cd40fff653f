"""Committee forms."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from charter.models import VoteChoice
from charter.versions.operations import (
    CHANGELOG_MAX,
    MISSING_FINGERPRINT,
    NOTE_MAX,
    WITHDRAW_REASON_MAX,
)


class CandidateForm(FlaskForm):
    changelog = TextAreaField(
        "Changelog",
        description=(
            "What changed and why, for readers. Drafted from the accepted proposals; edit it "
            f"as you need. Markdown. Up to {CHANGELOG_MAX:,} characters."
        ),
        validators=[
            DataRequired("Write a changelog: readers need to know what changed and why."),
            Length(
                max=CHANGELOG_MAX, message=f"Keep the changelog to {CHANGELOG_MAX:,} characters."
            ),
        ],
    )


class VoteForm(FlaskForm):
    choice = RadioField(
        "Your vote",
        choices=[SelectChoice(c.value, c.label) for c in VoteChoice],
        validators=[DataRequired("Choose approve, reject or abstain.")],
    )
    note = TextAreaField(
        "Note (optional)",
        description=f"Published with your vote. Up to {NOTE_MAX:,} characters.",
        validators=[Length(max=NOTE_MAX, message=f"Keep the note to {NOTE_MAX:,} characters.")],
    )
    seen_hash = HiddenField(validators=[DataRequired(MISSING_FINGERPRINT)])


class PublishForm(FlaskForm):
    """Publish: the fingerprint the member saw, and the mark of the confirmation page."""

    # Left to the operation to check, which says so in words on the candidate page.
    seen_hash = HiddenField()
    confirmed = HiddenField()


class WithdrawForm(FlaskForm):
    """Withdraw: the fingerprint the member saw, and the reason everyone will read."""

    seen_hash = HiddenField()
    reason = TextAreaField(
        "Why withdraw the candidate?",
        description="Shown to everyone in the transparency log, with your name.",
        validators=[
            DataRequired("Say why the candidate is withdrawn: everyone will read the reason."),
            Length(
                max=WITHDRAW_REASON_MAX,
                message=f"Keep the reason to {WITHDRAW_REASON_MAX} characters.",
            ),
        ],
    )
