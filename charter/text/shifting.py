"""How positions in one wording move to the next: the stretches of text a change kept.

A comment's passage that lies wholly inside a kept stretch is exactly where it was, only
shifted; nothing about it needs working out again. Only passages a change touched go back
to the anchoring rules. Shifts compose, so a passage placed on an old wording can be read on
the newest one without ever being rewritten.
"""

from bisect import bisect_right
from dataclasses import dataclass

from charter.text import words


@dataclass(frozen=True)
class Kept:
    """A stretch of old_start:old_end in the old wording, found unchanged at new_start."""

    old_start: int
    old_end: int
    new_start: int

    @property
    def delta(self) -> int:
        return self.new_start - self.old_start


@dataclass(frozen=True)
class Shift:
    """The kept stretches from one wording to a later one, in order, never touching."""

    kept: tuple[Kept, ...]

    @classmethod
    def between(cls, old: str, new: str) -> "Shift":
        """Find what the word diff keeps, character for character, from old to new."""
        old_tokens, new_tokens = words.tokenise(old), words.tokenise(new)
        kept, i, j, at_old, at_new = [], 0, 0, 0, 0
        for op, count in words.diff(old_tokens, new_tokens):
            if op == words.EQUAL:
                length = sum(map(len, old_tokens[i : i + count]))
                kept.append(Kept(at_old, at_old + length, at_new))
                i, j, at_old, at_new = i + count, j + count, at_old + length, at_new + length
            elif op == words.DELETE:
                at_old += sum(map(len, old_tokens[i : i + count]))
                i += count
            else:
                at_new += sum(map(len, new_tokens[j : j + count]))
                j += count
        return cls(tuple(kept))

    @classmethod
    def identity(cls, length: int) -> "Shift":
        return cls((Kept(0, length, 0),) if length else ())

    def then(self, later: "Shift") -> "Shift":
        """Compose: where this shift's kept text lands after the later one too."""
        out = []
        for first in self.kept:
            mid_start, mid_end = first.new_start, first.new_start + first.old_end - first.old_start
            for second in later.kept:
                start, end = max(mid_start, second.old_start), min(mid_end, second.old_end)
                if start < end:
                    out.append(Kept(start - first.delta, end - first.delta, start + second.delta))
        return Shift(tuple(out))

    def moves(self, start: int, end: int) -> tuple[int, int] | None:
        """Return where start:end lands, or None if the change touched any of it."""
        at = bisect_right([k.old_start for k in self.kept], start) - 1
        if at < 0:
            return None
        stretch = self.kept[at]
        if end > stretch.old_end:
            return None
        return start + stretch.delta, end + stretch.delta

    def to_json(self) -> list[list[int]]:
        return [[k.old_start, k.old_end, k.new_start] for k in self.kept]

    @classmethod
    def from_json(cls, data: list[list[int]]) -> "Shift":
        return cls(tuple(Kept(a, b, c) for a, b, c in data))
