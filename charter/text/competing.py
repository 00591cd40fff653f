"""Which open proposals on one clause compete, and the clause as amended by a chosen few.

Every proposal here is already brought onto the clause's current wording (the head), so
each is one side of a three-way merge whose base is the head. Two proposals *compete* when
merging one onto the other collides, by exactly the rule `merging.rebase` applies when the
committee accepts one after the other: their changes overlap or touch. A quick check on each
proposal's changes, diffed against the head once, clears the pairs that are plainly apart;
only pairs it cannot clear go through the full merge, so fifty proposals cost fifty diffs
and a handful of merges, not 1,225 merges.

The clause *as amended* by a selection is the head with the selected proposals merged in,
in order; one that collides with those already in is left out and listed with the ones it
collides with. Nothing is guessed: what merges is exactly what accepting them one after
another would give.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from charter.text.diffing import DELETE, EQUAL, INSERT, PARAGRAPH_MARK, Op, diff_words
from charter.text.merging import Change, changes_between, clusters, rebase
from charter.text.words import tokenise


@dataclass(frozen=True)
class Edits:
    """One proposal's changes to the head, in head tokens."""

    tokens: tuple[str, ...]
    changes: tuple[Change, ...]

    @classmethod
    def of(cls, head_tokens: Sequence[str], proposed: str) -> "Edits":
        tokens = tuple(tokenise(proposed))
        return cls(tokens, tuple(changes_between(head_tokens, tokens)))


def _may_collide(head_tokens: Sequence[str], a: Edits, b: Edits) -> bool:
    """False only if no change of a is in the same stretch as a different change of b."""
    if not a.changes or not b.changes:
        return False
    for cluster in clusters(head_tokens, list(a.changes), list(b.changes)):
        if cluster.proposed and cluster.head:
            mine = _replaced(a, cluster.proposed, cluster.start, cluster.end)
            theirs = _replaced(b, cluster.head, cluster.start, cluster.end)
            if mine != theirs:
                return True
    return False


def _replaced(side: Edits, changes: list[Change], start: int, end: int) -> tuple:
    # What a side made of head tokens start:end, as (where, what) for each of its changes.
    return tuple(
        (c.base_start, c.base_end, side.tokens[c.side_start : c.side_end]) for c in changes
    ) + ((start, end),)


@dataclass(frozen=True)
class Wording:
    """A proposal's text on the head: heading and body, keyed by the proposal's id."""

    id: int
    heading: str
    body: str


class Clause:
    """The head wording of one clause, against which proposals are compared."""

    def __init__(self, heading: str, body: str):
        self.heading, self.body = heading, body
        self._tokens = (tuple(tokenise(heading)), tuple(tokenise(body)))
        self._edits: dict[int, tuple[Edits, Edits]] = {}

    def edits(self, wording: Wording) -> tuple[Edits, Edits]:
        if wording.id not in self._edits:
            self._edits[wording.id] = (
                Edits.of(self._tokens[0], wording.heading),
                Edits.of(self._tokens[1], wording.body),
            )
        return self._edits[wording.id]

    def collide(self, a: Wording, b: Wording) -> bool:
        """Tell whether accepting a and then b (or b then a) would collide."""
        quick = zip(self._tokens, self.edits(a), self.edits(b), strict=True)
        if not any(_may_collide(tokens, x, y) for tokens, x, y in quick):
            return False
        return not (
            rebase(self.heading, a.heading, b.heading).clean
            and rebase(self.body, a.body, b.body).clean
        )


def rivals(clause: Clause, wordings: Sequence[Wording]) -> dict[int, list[int]]:
    """Map each proposal to the proposals it collides with directly (empty if none)."""
    found: dict[int, list[int]] = {w.id: [] for w in wordings}
    for k, a in enumerate(wordings):
        for b in wordings[k + 1 :]:
            if clause.collide(a, b):
                found[a.id].append(b.id)
                found[b.id].append(a.id)
    return found


def competing_sets(rivalries: dict[int, list[int]]) -> list[list[int]]:
    """Group proposals that compete, directly or through one another: sets of two or more.

    Each set lists its proposals in the order `rivals` was given them; sets come in the
    order of their first proposal.
    """
    seen: set[int] = set()
    sets = []
    for start in rivalries:
        if start in seen or not rivalries[start]:
            continue
        found, todo = {start}, [start]
        while todo:
            for other in rivalries[todo.pop()]:
                if other not in found:
                    found.add(other)
                    todo.append(other)
        seen |= found
        sets.append([pid for pid in rivalries if pid in found])
    return sets


@dataclass(frozen=True)
class LabelledPart:
    """A run of the amended text: kept, or deleted or inserted by the proposals named."""

    op: Op
    text: str
    proposals: tuple[int, ...] = ()


@dataclass
class Amended:
    """The clause with a selection of proposals merged in, and the ones left out."""

    heading: str
    body: str
    applied: list[int] = field(default_factory=list)
    collided: dict[int, list[int]] = field(default_factory=dict)  # left out: with whom


def amend(clause: Clause, selection: Sequence[Wording]) -> Amended:
    """Merge the selected proposals into the clause in order; leave out any that collide.

    A proposal that collides with one already merged is left out, naming every merged one it
    collides with; the text is exactly what accepting the merged ones in order would give.
    """
    result = Amended(clause.heading, clause.body)
    taken: list[Wording] = []
    for wording in selection:
        against = [t.id for t in taken if clause.collide(t, wording)]
        if against:
            result.collided[wording.id] = against
            continue
        heading = rebase(clause.heading, wording.heading, result.heading)
        body = rebase(clause.body, wording.body, result.body)
        if not (heading.clean and body.clean):  # pairwise apart, yet not together: refuse
            result.collided[wording.id] = [t.id for t in taken]
            continue
        result.heading, result.body = heading.text, body.text
        taken.append(wording)
        result.applied.append(wording.id)
    return result


def labelled_changes(old: str, new: str, by: dict[int, str]) -> list[LabelledPart]:
    """Diff old to new word by word, naming for each change the proposals that made it.

    `by` maps each proposal to its own text (old with only its change made). A change is
    credited to every proposal whose own change to old covers the same words; in a text
    built by `amend` each change has exactly one such proposal, or several that made the
    same change.
    """
    spans = {pid: _changed_spans(old, text) for pid, text in by.items()}
    parts, at = [], 0
    for op, text in diff_words(old, new):
        if op == EQUAL:
            parts.append(LabelledPart(op, text))
            at += len(text)
            continue
        start, end = (at, at + len(text)) if op == DELETE else (at, at)
        owners = tuple(
            pid for pid, found in spans.items() if any(_meet(span, start, end) for span in found)
        )
        parts.append(LabelledPart(op, text, owners))
        if op == DELETE:
            at += len(text)
    return parts


def paragraphs(parts: Sequence[LabelledPart]) -> list[list[LabelledPart]]:
    """Cut labelled parts into the lines of the amended text, one per paragraph or item.

    A change that runs over a line break is cut there, each piece keeping its proposals. A
    change that is only a break shows as a pilcrow: an added break ends its line, a removed
    one (two paragraphs joined) does not. Empty lines are left out; no word is lost or added.
    """
    lines: list[list[LabelledPart]] = [[]]
    for part in parts:
        if part.op != EQUAL and part.text.isspace() and "\n" in part.text:
            lines[-1].append(LabelledPart(part.op, PARAGRAPH_MARK, part.proposals))
            if part.op == INSERT:
                lines.append([])
            continue
        for k, piece in enumerate(part.text.split("\n")):
            if k:
                lines.append([])
            if piece:
                lines[-1].append(LabelledPart(part.op, piece, part.proposals))
    return [line for line in lines if line]


def _meet(span: tuple[int, int], start: int, end: int) -> bool:
    """Tell whether a proposal's changed stretch and a change of the whole meet.

    An insertion is a point: it meets a stretch it lies in or at the edge of.
    """
    low, high = span
    if start == end or low == high:
        return low <= end and start <= high
    return low < end and start < high


def _changed_spans(old: str, new: str) -> list[tuple[int, int]]:
    """The character stretches of old that a change to new replaced (empty for insertions)."""
    spans, at = [], 0
    for op, text in diff_words(old, new):
        if op == INSERT:
            spans.append((at, at))
        else:
            if op == DELETE:
                spans.append((at, at + len(text)))
            at += len(text)
    return spans
