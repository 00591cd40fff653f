"""Carry a proposed edit onto a newer wording of the same clause, or say where the two collide.

A word-level three-way merge. The base (the wording the proposal was written against), the
proposed wording and the head (the clause's wording now) are cut into tokens by
`words.tokenise`, the same tokens the tracked changes show, and `words.diff` finds what the
proposal changed in the base and what the head changed in it. Then:

- A change is a stretch of base tokens (possibly empty, for an insertion) and what one side
  put in its place.
- Changes from the two sides that are separated by at least one unchanged *word* of the base
  merge, and the result is exactly the base with both changes made.
- Changes that overlap or touch are a conflict: touching includes two insertions at the same
  place, an insertion at the edge of the other side's change, and changes separated only by
  whitespace or punctuation. Nothing is merged by guesswork.
- Where both sides turned the same stretch of base into the same words, that change is
  already made, and the stretch is clean.
- An insertion or deletion among repeated words ("time supplier time" losing one "time
  supplier") can be read in more than one place, all giving the same text on that side.
  If the diff's reading collides with the other side, each side's such changes are moved
  as far from the other's as they go, both ways round; if exactly one merged text comes out
  clean, that is the merge, otherwise the collision stands.
- Nothing is fuzzy: no context is matched approximately and no hunk is placed by similarity.

A conflict names each colliding stretch by its code-point offsets in the base, the proposed
wording and the head, with the three texts of that stretch.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from charter.text.words import DELETE, EQUAL, diff, is_word, tokenise


@dataclass(frozen=True)
class Stretch:
    """A run of one wording, by code-point offsets, with its text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Conflict:
    """Where the proposal and the head changed the same or neighbouring words differently."""

    base: Stretch
    proposed: Stretch
    head: Stretch


@dataclass(frozen=True)
class Rebase:
    """The proposal replayed on the head: clean with the merged text, or the conflicts."""

    text: str | None
    conflicts: tuple[Conflict, ...] = ()

    @property
    def clean(self) -> bool:
        return not self.conflicts


@dataclass(frozen=True)
class Change:
    # Base tokens [base_start, base_end) became the side's tokens [side_start, side_end).
    base_start: int
    base_end: int
    side_start: int
    side_end: int


@dataclass
class Cluster:
    # Base tokens [start, end) and the changes of each side that fall in them.
    start: int
    end: int
    proposed: list[Change]
    head: list[Change]


def changes_between(base: Sequence[str], side: Sequence[str]) -> list[Change]:
    changes: list[Change] = []
    b = s = 0
    for op, n in diff(base, side):
        if op == EQUAL:
            b, s = b + n, s + n
        elif op == DELETE:
            changes.append(Change(b, b + n, s, s))
            b += n
        else:  # an insertion, joined to the deletion it follows in the same change
            last = changes[-1] if changes else None
            if last is not None and last.base_end == b and last.side_end == s:
                changes[-1] = Change(last.base_start, b, last.side_start, s + n)
            else:
                changes.append(Change(b, b, s, s + n))
            s += n
    return changes


def clusters(base: Sequence[str], proposed: list[Change], head: list[Change]) -> list[Cluster]:
    # Changes join one cluster unless at least one base word that neither side touched lies
    # between them; a cluster with changes from both sides is where the two collide.
    tagged = [(c, "proposed") for c in proposed] + [(c, "head") for c in head]
    tagged.sort(key=lambda item: (item[0].base_start, item[0].base_end))
    clusters: list[Cluster] = []
    for change, side in tagged:
        last = clusters[-1] if clusters else None
        if last is None or any(map(is_word, base[last.end : change.base_start])):
            last = Cluster(change.base_start, change.base_end, [], [])
            clusters.append(last)
        last.end = max(last.end, change.base_end)
        getattr(last, side).append(change)
    return clusters


def _offsets(tokens: Sequence[str]) -> list[int]:
    return [0, *accumulate(map(len, tokens))]


def rebase(base: str, proposed: str, head: str) -> Rebase:
    """Replay the change from base to proposed onto head, or return where they collide."""
    b, p, h = tokenise(base), tokenise(proposed), tokenise(head)
    ours, theirs = changes_between(b, p), changes_between(b, h)
    result = _combine((base, proposed, head), (b, p, h), ours, theirs)
    if result.clean:
        return result
    # An insertion or deletion next to words just like it ("the data" added before "the data")
    # could be put in more than one place, and the diff may have put it against the other
    # side's change. Where placing each side's such changes as far from the other's as they go
    # separates the two, and the one or two ways of doing so agree, that is the merge.
    placed = {
        merged.text
        for merged in (
            _combine(
                (base, proposed, head), (b, p, h), _slid(b, p, ours, -1), _slid(b, h, theirs, 1)
            ),
            _combine(
                (base, proposed, head), (b, p, h), _slid(b, p, ours, 1), _slid(b, h, theirs, -1)
            ),
        )
        if merged.clean
    }
    return Rebase(placed.pop()) if len(placed) == 1 else result


def _slid(
    base: Sequence[str], side: Sequence[str], changes: list[Change], way: int
) -> list[Change]:
    # Move each pure insertion or deletion as far left (way -1) or right (+1) as it can go
    # through the unchanged tokens around it while giving the same side text.
    out: list[Change] = []
    for k, c in enumerate(changes):
        lo_base, lo_side = (out[-1].base_end, out[-1].side_end) if out else (0, 0)
        hi_base, hi_side = (
            (changes[k + 1].base_start, changes[k + 1].side_start)
            if k + 1 < len(changes)
            else (len(base), len(side))
        )
        if c.side_start == c.side_end:  # a deletion: the base tokens it removes rotate
            seq, start, end, lo, hi = base, c.base_start, c.base_end, lo_base, hi_base
        elif c.base_start == c.base_end:  # an insertion: the side tokens it adds rotate
            seq, start, end, lo, hi = side, c.side_start, c.side_end, lo_side, hi_side
        else:
            out.append(c)
            continue
        moved = 0
        if way < 0:
            while start + moved > lo and seq[start + moved - 1] == seq[end + moved - 1]:
                moved -= 1
        else:
            while end + moved < hi and seq[start + moved] == seq[end + moved]:
                moved += 1
        out.append(
            Change(
                c.base_start + moved, c.base_end + moved, c.side_start + moved, c.side_end + moved
            )
        )
    return out


def _combine(texts, tokens, ours: list[Change], theirs: list[Change]) -> Rebase:
    # Merge the two sides' changes to the base: one-sided clusters take that side's tokens,
    # two-sided ones the common tokens if both sides agree, else they are a conflict.
    base, proposed, head = texts
    b, p, h = tokens
    b_at, p_at, h_at = _offsets(b), _offsets(p), _offsets(h)
    merged: list[str] = []
    conflicts: list[Conflict] = []
    done = 0  # base tokens consumed so far
    p_shift = h_shift = 0  # how far each side's token positions run ahead of the base's
    for cluster in clusters(b, ours, theirs):
        merged += b[done : cluster.start]
        done = cluster.end
        p_start, h_start = cluster.start + p_shift, cluster.start + h_shift
        p_shift += _growth(cluster.proposed)
        h_shift += _growth(cluster.head)
        p_end, h_end = cluster.end + p_shift, cluster.end + h_shift
        ours_now, theirs_now = p[p_start:p_end], h[h_start:h_end]
        if not cluster.head or ours_now == theirs_now:
            merged += ours_now
        elif not cluster.proposed:
            merged += theirs_now
        else:
            conflicts.append(
                Conflict(
                    base=_stretch(base, b_at, cluster.start, cluster.end),
                    proposed=_stretch(proposed, p_at, p_start, p_end),
                    head=_stretch(head, h_at, h_start, h_end),
                )
            )
    if conflicts:
        return Rebase(None, tuple(conflicts))
    return Rebase("".join(merged + b[done:]))


def _growth(changes: list[Change]) -> int:
    return sum((c.side_end - c.side_start) - (c.base_end - c.base_start) for c in changes)


def _stretch(text: str, offsets: list[int], start: int, end: int) -> Stretch:
    return Stretch(offsets[start], offsets[end], text[offsets[start] : offsets[end]])
