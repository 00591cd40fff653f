"""Draft a candidate's changelog: a line per change since the last version, within the limit."""

import re
from collections.abc import Callable
from dataclasses import dataclass

from charter.models import Charter, CharterVersion, Proposal
from charter.versions.comparing import ClauseDiff, compare_versions
from charter.versions.operations import CHANGELOG_MAX
from charter.versions.queries import draft_as_version, get_published, latest_published

DIRECT = "made directly in the working draft, not through a proposal"
VERBS = {"changed": "Change", "added": "Add", "removed": "Remove"}


@dataclass(frozen=True)
class Change:
    """One change a reader would see, and the accepted proposals behind it, oldest first."""

    title: str
    proposals: list[Proposal]
    edited_after: bool = False  # the wording changed again, directly, after the last proposal

    def line(self, proposal_url: Callable[[Proposal], str], *, latest_only: bool = False) -> str:
        """Write the change as one Markdown list item, with each proposal's link and reason."""
        shown = self.proposals[-1:] if latest_only else self.proposals
        if not shown:
            return f"- {self.title}: {DIRECT}."
        first, *later = shown
        parts = [f"- {self.title} ({_cite(first, proposal_url)}): {_sentence(first)}"]
        parts += [f"Then {_cite(p, proposal_url)}: {_sentence(p)}" for p in later]
        if self.edited_after:
            parts.append("Then edited directly in the working draft.")
        return " ".join(parts)


def _cite(proposal: Proposal, proposal_url) -> str:
    return f"[proposal {proposal.id}]({proposal_url(proposal)})"


def _sentence(proposal: Proposal) -> str:
    # One line, so the reason stays inside its list item; ended, so "Then" starts a sentence.
    reason = " ".join(proposal.decision_reason.split())
    return reason if re.search(r"[.!?…][\"”’')\]]*$", reason) else f"{reason}."


def changes_since_last_version(charter: Charter) -> list[Change]:
    """List what the working draft changes from the latest published version, in draft order."""
    draft = draft_as_version(charter)
    latest = latest_published(charter)
    previous = (
        get_published(charter, latest.number)  # with its clauses, loaded at once
        if latest
        else CharterVersion(title=charter.title, preamble=charter.preamble, entries=[])
    )
    comparison = compare_versions(previous, draft)
    changes = []
    edited_parts = [
        name
        for name, old, new in (
            ("title", previous.title, draft.title),
            ("preamble", previous.preamble, draft.preamble),
        )
        if old != new
    ]
    if edited_parts:
        changes.append(Change(f"Change the {' and '.join(edited_parts)}", []))
    for diff in comparison.clauses:
        heading = diff.change.old_heading or diff.change.new_heading
        if diff.kind in VERBS:
            changes.append(
                Change(f"{VERBS[diff.kind]} “{heading}”", diff.proposals, _edited_after(diff))
            )
        if diff.moved:  # only a re-imported draft reorders clauses
            changes.append(Change(f"Move “{heading}”", []))
    return changes


def _edited_after(diff: ClauseDiff) -> bool:
    last = diff.proposals[-1].result_revision if diff.proposals else None
    return last is not None and (last.heading, last.body) != (
        diff.change.new_heading,
        diff.change.new_body,
    )


def draft_changelog(
    charter: Charter, proposal_url: Callable[[Proposal], str], accepted_url: str
) -> str:
    """Draft a changelog in Markdown from what changed, never longer than CHANGELOG_MAX.

    Too long in full, it keeps one line per change with its latest proposal, then as many
    whole lines as fit, and ends by counting what it left out and linking to the proposals.
    """
    changes = changes_since_last_version(charter)
    if not changes:
        return "- Nothing has changed since the last published version."
    full = "\n".join(change.line(proposal_url) for change in changes)
    if len(full) <= CHANGELOG_MAX:
        return full
    total = sum(len(change.proposals) for change in changes)
    room = CHANGELOG_MAX - len(_more(len(changes), total, accepted_url))  # the most it can take
    kept, used, shown = [], 0, 0
    for change in changes:
        line = change.line(proposal_url, latest_only=True)
        used += len(line) + 1  # and its newline
        if used > room:
            break
        kept.append(line)
        shown += min(1, len(change.proposals))
    return "\n".join([*kept, _more(len(changes) - len(kept), total - shown, accepted_url)])


def _more(changes: int, proposals: int, accepted_url: str) -> str:
    counts = [
        f"{n} more {noun}{'' if n == 1 else 's'}"
        for n, noun in ((changes, "change"), (proposals, "accepted proposal"))
        if n
    ]
    return f"- …and {' and '.join(counts)}: see [the accepted proposals]({accepted_url})."
