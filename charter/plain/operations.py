"""Write and review a clause's summaries and translations; every wording is kept."""

from flask_babel import force_locale
from flask_babel import gettext as _

from charter.audit import record
from charter.extensions import db
from charter.languages import DEFAULT_LANGUAGE, number
from charter.models import Clause, Supplement, User
from charter.plain.languages import Slot
from charter.plain.queries import latest
from charter.text.markdown import markdown_problems

BODY_MAX = 20_000
HEADING_MAX = 200


class SupplementError(ValueError):
    """Refused, with a reason in plain words."""


def _next(clause: Clause, slot: Slot, *, heading: str, body: str, by: User, reviewed: bool):
    head = latest(clause, slot)
    current = clause.current_revision
    supplement = Supplement(
        clause=clause,
        kind=slot.kind,
        language=slot.language.code,
        language_name=slot.language.name,
        number=(head.number if head else 0) + 1,
        heading=heading,
        body=body,
        revision=current,
        content_hash=current.content_hash,
        reviewed=reviewed,
        author=by,
    )
    db.session.add(supplement)
    db.session.flush()
    return supplement


def write_supplement(
    clause: Clause, slot: Slot, *, heading: str, body: str, by: User
) -> Supplement:
    """Add a new wording of a summary or translation, written for the clause's wording now."""
    heading, body = heading.strip(), body.strip()
    if clause.retired or clause.current_revision is None:
        raise SupplementError(_("This clause has been removed: there is nothing to summarise."))
    if not body:
        raise SupplementError(_("Write the %(noun)s: it cannot be empty.", noun=slot.noun))
    if len(body) > BODY_MAX:
        raise SupplementError(_("Keep the text to %(num)s characters.", num=number(BODY_MAX)))
    if len(heading) > HEADING_MAX:
        raise SupplementError(_("Keep the heading to %(num)d characters.", num=HEADING_MAX))
    problems = markdown_problems(body)
    if problems:
        raise SupplementError(" ".join(problems))
    head = latest(clause, slot)
    if (
        head
        and head.body == body
        and head.heading == heading
        and head.content_hash == clause.current_revision.content_hash
    ):
        raise SupplementError(_("Nothing changed: the text is the same as the one shown now."))
    supplement = _next(clause, slot, heading=heading, body=body, by=by, reviewed=False)
    verb = "revised" if supplement.number > 1 else "added"
    with force_locale(DEFAULT_LANGUAGE):  # the audit log stays in English
        title = str(slot.title)
    record(
        by,
        f"supplement.{verb}",
        "clause",
        clause.id,
        f"{title} of clause “{clause.key}” {verb} (wording {supplement.number}), "
        f"for clause wording {clause.current_revision.number}.",
    )
    return supplement


def review_supplement(clause: Clause, slot: Slot, *, by: User) -> Supplement:
    """Confirm that the text still fits the clause's new wording, tying it to that wording."""
    head = latest(clause, slot)
    if head is None:
        raise SupplementError(_("There is no %(noun)s to review yet.", noun=slot.noun))
    if clause.current_revision is None or clause.retired:
        raise SupplementError(
            _("This clause has been removed: there is nothing to review against.")
        )
    if head.is_current:
        raise SupplementError(_("The %(noun)s is already up to date.", noun=slot.noun))
    supplement = _next(clause, slot, heading=head.heading, body=head.body, by=by, reviewed=True)
    with force_locale(DEFAULT_LANGUAGE):  # the audit log stays in English
        title = str(slot.title)
    record(
        by,
        "supplement.reviewed",
        "clause",
        clause.id,
        f"{title} of clause “{clause.key}” reviewed for clause wording "
        f"{clause.current_revision.number}: it still fits.",
    )
    return supplement
