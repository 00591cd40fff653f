"""How discussions react to changes elsewhere: connected once per process, on import.

The app factory imports this module; blinker keeps the receivers (weak=False), so every app
the process makes shares them and none is connected twice.
"""

from charter import events
from charter.comments.outcomes import address_changed, mark_published
from charter.comments.placing import carry_placements


def on_revision_created(revision, previous=None) -> None:
    """Carry every thread over to the clause's new wording."""
    if previous is not None:
        carry_placements(previous, revision)


def on_proposal_text_created(text, previous=None) -> None:
    """Carry a proposal's anchored threads onto its author's new text."""
    if previous is not None:
        carry_placements(previous, text)


def on_words_changed(scope, changed_by) -> None:
    """Threads whose words an accepted proposal rewrote are addressed by it."""
    address_changed(changed_by)


def on_version_published(version) -> None:
    mark_published(version)


events.revision_created.connect(on_revision_created, weak=False)
events.proposal_text_created.connect(on_proposal_text_created, weak=False)
events.words_changed.connect(on_words_changed, weak=False)
events.version_published.connect(on_version_published, weak=False)
