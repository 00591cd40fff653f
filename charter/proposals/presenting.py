"""Turn proposals into the tracked changes a reader sees."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from charter.changes import ClauseChange, added, amended, removed
from charter.models import Clause, Proposal, ProposalKind
from charter.proposals.operations import Collision
from charter.text.drafts import body_problems, normalise_heading, normalise_text
from charter.text.words import has_words, word_spans


def draft_change(
    kind: ProposalKind, clause: Clause | None, form, parent: Proposal | None = None
) -> ClauseChange:
    """Preview the change a proposal form would make, before it is sent: for an amendment,
    what it changes in the proposal it amends."""
    heading = normalise_heading(form.data.get("heading") or "")
    body = normalise_text(form.data.get("body") or "")
    if parent is not None:
        return amended(parent.heading, parent.body, heading, body)
    if kind is ProposalKind.ADD:
        return added(heading, body)
    current = clause.current_revision
    if kind is ProposalKind.REMOVE:
        return removed(current.heading, current.body)
    return amended(current.heading, current.body, heading, body)


def proposal_change(proposal: Proposal) -> ClauseChange:
    """Show what a proposal changes in the wording it was written against."""
    if proposal.kind is ProposalKind.ADD:
        return added(proposal.heading, proposal.body)
    base = proposal.base_revision
    if proposal.kind is ProposalKind.REMOVE:
        return removed(base.heading, base.body)
    return amended(base.heading, base.body, proposal.heading, proposal.body)


def wording_problems(form) -> list[str]:
    """List what would stop the previewed wording from being sent, so the preview can say so."""
    body = form.data.get("body") or ""
    return body_problems(body) if body.strip() else []


def amendment_change(amendment: Proposal) -> ClauseChange:
    """Show what an amendment changes in the text of the proposal it amends, as it reads now."""
    parent = amendment.parent
    return amended(parent.heading, parent.body, amendment.heading, amendment.body)


def rebased_change(proposal: Proposal, heading: str, body: str) -> ClauseChange:
    """Show what accepting a rebased proposal would change in the clause as it is now."""
    current = proposal.clause.current_revision
    return amended(current.heading, current.body, heading, body)


@dataclass(frozen=True)
class CollisionNote:
    """One collision told in plain English, with the three texts for a closer look."""

    part: str
    sentence: str
    said: str
    proposes: str
    says_now: str


def collision_notes(collisions: list[Collision]) -> list[CollisionNote]:
    """Tell, for each collision, what the words were and what each side made of them."""
    return [_note(c) for c in collisions]


# Each way a collision can be told, as one whole sentence: keyed by (part, the old words had
# words, there are words just before, the proposal keeps words, the clause keeps words).
_COLLISION_SENTENCES = {
    ("clause", True, True, True, True): _l(
        "Where the clause said “%(said)s”, this proposal says “%(proposes)s” but "
        "the clause now says “%(now)s”."
    ),
    ("clause", True, True, True, False): _l(
        "Where the clause said “%(said)s”, this proposal says “%(proposes)s” but "
        "the clause now leaves it out."
    ),
    ("clause", True, True, False, True): _l(
        "Where the clause said “%(said)s”, this proposal removes it but "
        "the clause now says “%(now)s”."
    ),
    ("clause", True, True, False, False): _l(
        "Where the clause said “%(said)s”, this proposal removes it but "
        "the clause now leaves it out."
    ),
    ("clause", False, True, True, True): _l(
        "At the same place in the clause, just after “%(lead)s”, "
        "this proposal adds “%(proposes)s” but "
        "the clause now has “%(now)s”."
    ),
    ("clause", False, True, True, False): _l(
        "At the same place in the clause, just after “%(lead)s”, "
        "this proposal adds “%(proposes)s” but "
        "the clause now leaves it out."
    ),
    ("clause", False, True, False, True): _l(
        "At the same place in the clause, just after “%(lead)s”, "
        "this proposal removes it but "
        "the clause now has “%(now)s”."
    ),
    ("clause", False, True, False, False): _l(
        "At the same place in the clause, just after “%(lead)s”, "
        "this proposal removes it but "
        "the clause now leaves it out."
    ),
    ("clause", False, False, True, True): _l(
        "At the same place in the clause, at its start, this proposal adds “%(proposes)s” but "
        "the clause now has “%(now)s”."
    ),
    ("clause", False, False, True, False): _l(
        "At the same place in the clause, at its start, this proposal adds “%(proposes)s” but "
        "the clause now leaves it out."
    ),
    ("clause", False, False, False, True): _l(
        "At the same place in the clause, at its start, this proposal removes it but "
        "the clause now has “%(now)s”."
    ),
    ("clause", False, False, False, False): _l(
        "At the same place in the clause, at its start, this proposal removes it but "
        "the clause now leaves it out."
    ),
    ("heading", True, True, True, True): _l(
        "Where the heading said “%(said)s”, this proposal says “%(proposes)s” but "
        "the heading now says “%(now)s”."
    ),
    ("heading", True, True, True, False): _l(
        "Where the heading said “%(said)s”, this proposal says “%(proposes)s” but "
        "the heading now leaves it out."
    ),
    ("heading", True, True, False, True): _l(
        "Where the heading said “%(said)s”, this proposal removes it but "
        "the heading now says “%(now)s”."
    ),
    ("heading", True, True, False, False): _l(
        "Where the heading said “%(said)s”, this proposal removes it but "
        "the heading now leaves it out."
    ),
    ("heading", False, True, True, True): _l(
        "At the same place in the heading, just after “%(lead)s”, "
        "this proposal adds “%(proposes)s” but "
        "the heading now has “%(now)s”."
    ),
    ("heading", False, True, True, False): _l(
        "At the same place in the heading, just after “%(lead)s”, "
        "this proposal adds “%(proposes)s” but "
        "the heading now leaves it out."
    ),
    ("heading", False, True, False, True): _l(
        "At the same place in the heading, just after “%(lead)s”, "
        "this proposal removes it but "
        "the heading now has “%(now)s”."
    ),
    ("heading", False, True, False, False): _l(
        "At the same place in the heading, just after “%(lead)s”, "
        "this proposal removes it but "
        "the heading now leaves it out."
    ),
    ("heading", False, False, True, True): _l(
        "At the same place in the heading, at its start, this proposal adds “%(proposes)s” but "
        "the heading now has “%(now)s”."
    ),
    ("heading", False, False, True, False): _l(
        "At the same place in the heading, at its start, this proposal adds “%(proposes)s” but "
        "the heading now leaves it out."
    ),
    ("heading", False, False, False, True): _l(
        "At the same place in the heading, at its start, this proposal removes it but "
        "the heading now has “%(now)s”."
    ),
    ("heading", False, False, False, False): _l(
        "At the same place in the heading, at its start, this proposal removes it but "
        "the heading now leaves it out."
    ),
}


def _note(collision: Collision) -> CollisionNote:
    part = "clause" if collision.part == "wording" else "heading"
    conflict = collision.conflict
    said, proposes, now = (
        s.text.strip() for s in (conflict.base, conflict.proposed, conflict.head)
    )
    lead: list[str] = []
    if not has_words(said):
        before = collision.base[: conflict.base.start]
        lead = [before[a:b] for a, b in word_spans(before)][-3:]
    key = (part, has_words(said), has_words(said) or bool(lead), bool(proposes), bool(now))
    sentence = _COLLISION_SENTENCES[key] % {
        "said": said,
        "proposes": proposes,
        "now": now,
        "lead": " ".join(lead),
    }
    return CollisionNote(part, sentence, said, proposes, now)
