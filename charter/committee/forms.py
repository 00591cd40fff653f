"""Committee forms."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from charter.languages import number
from charter.models import VoteChoice
from charter.versions.operations import (
    CHANGELOG_MAX,
    MISSING_FINGERPRINT,
    NOTE_MAX,
    WITHDRAW_REASON_MAX,
)


class CandidateForm(FlaskForm):
    changelog = TextAreaField(
        _l("Changelog"),
        description=_l(
            "What changed and why, for readers. Drafted from the accepted proposals; edit it "
            "as you need. Markdown. Up to %(n)s characters.",
            n=number(CHANGELOG_MAX),
        ),
        validators=[
            DataRequired(_l("Write a changelog: readers need to know what changed and why.")),
            Length(
                max=CHANGELOG_MAX,
                message=_l("Keep the changelog to %(n)s characters.", n=number(CHANGELOG_MAX)),
            ),
        ],
    )


class VoteForm(FlaskForm):
    choice = RadioField(
        _l("Your vote"),
        choices=[SelectChoice(c.value, c.label) for c in VoteChoice],
        validators=[DataRequired(_l("Choose approve, reject or abstain."))],
    )
    note = TextAreaField(
        _l("Note (optional)"),
        description=_l("Published with your vote. Up to %(n)s characters.", n=number(NOTE_MAX)),
        validators=[
            Length(
                max=NOTE_MAX, message=_l("Keep the note to %(n)s characters.", n=number(NOTE_MAX))
            )
        ],
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
        _l("Why withdraw the candidate?"),
        description=_l("Shown to everyone in the transparency log, with your name."),
        validators=[
            DataRequired(_l("Say why the candidate is withdrawn: everyone will read the reason.")),
            Length(
                max=WITHDRAW_REASON_MAX,
                message=_l("Keep the reason to %(n)s characters.", n=WITHDRAW_REASON_MAX),
            ),
        ],
    )
