"""How discussions react to changes elsewhere: connected once per process, on import.

The app factory imports this module; blinker keeps the receivers (weak=False), so every app
the process makes shares them and none is connected twice.
"""

from charter import events
from charter.comments.outcomes import address_touched, mark_published
from charter.comments.placing import carry_placements


def on_revision_created(revision, previous=None) -> None:
    """Mark the threads an accepted change rewrote as addressed, then carry every thread over.

    In this order: which threads the change touched is read from where they sat on the
    wording before it, which placing them on the new wording would overwrite.
    """
    if previous is None:
        return
    address_touched(previous, revision)
    carry_placements(previous, revision)


def on_proposal_text_created(text, previous=None) -> None:
    """Carry a proposal's anchored threads onto its author's new text."""
    if previous is not None:
        carry_placements(previous, text)


def on_version_published(version) -> None:
    mark_published(version)


events.revision_created.connect(on_revision_created, weak=False)
events.proposal_text_created.connect(on_proposal_text_created, weak=False)
events.version_published.connect(on_version_published, weak=False)
