"""Anchor comments to the words they quote, and carry them to newer wordings of a clause.

An anchor follows the W3C Web Annotation model: a text-quote selector (the exact words
and about 32 characters either side) plus text-position offsets into the clause's plain
text. Offsets here are Python string indices (code points); browsers count UTF-16 code
units, so convert at the edge with `utf16_to_index` and `index_to_utf16`.

Re-anchoring on a newer wording tries, in order: the unchanged text; the old offsets
carried through a diff of the two wordings (diff-match-patch on word tokens, read back
as character positions); a search for the quote scored by its prefix, suffix and
position (for moved sentences); diff-match-patch `match_main` on the quote's ends. When
none is convincing the comment is orphaned, shown as "on an earlier wording": a comment
shown on the wrong words is worse than one shown on the wording it was made on. One rule
guards every strategy: a placement may not take in words that the old wording had
outside the passage, so a quote repeated elsewhere in the clause never pulls a comment
onto the other occurrence.
"""

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal, NamedTuple

from diff_match_patch import diff_match_patch

from charter.text import words

# Characters of prefix and suffix kept with each quote, as browser annotators do.
CONTEXT_CHARS = 32
# How alike (1 - levenshtein / length, ignoring case and punctuation) the words at a
# placement must be to the quote for an edited passage to count as the same passage.
FUZZY_MIN = 0.75
# Characters at either end of a fuzzy match that must look like the quote's ends.
ENDS_CHARS = 12
# Characters (of the quote, and of its prefix and suffix found around it, case and
# punctuation aside) that must agree before a quote found elsewhere than its old place
# is trusted to be the passage, moved there: a lone "data" is not evidence enough.
EVIDENCE_CHARS = 48

Status = Literal["exact", "fuzzy", "orphaned"]
Method = Literal["unchanged", "mapped", "search", "fuzzy", "none"]

# Characters of context on each side (case and punctuation aside, or all there is) that must
# agree for a passage carried through the diff to be taken although its words were edited.
CONFIRM_CHARS = 10

_DMP = diff_match_patch()
# match_main only looks for edited passages near where they were (moved ones are found
# by the search), and it must not accept more errors than FUZZY_MIN allows anyway;
# the tighter window also keeps bitap fast. Bitap has no time limit; nothing here calls
# diff-match-patch's diff, whose default limit would make placements depend on load.
_DMP.Match_Threshold = 0.35
_DMP.Match_Distance = 500
_DMP.Diff_Timeout = 0


@dataclass(frozen=True)
class Anchor:
    """A passage of a clause's plain text: its quote, context and offsets."""

    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


@dataclass(frozen=True)
class Placement:
    """Where an anchored passage sits in a newer wording, if it still has a place there."""

    status: Status
    start: int | None
    end: int | None
    method: Method


ORPHANED = Placement("orphaned", None, None, "none")


def make_anchor(text: str, start: int, end: int) -> Anchor:
    """Return the anchor of the passage text[start:end], trimmed of surrounding whitespace."""
    if not (0 <= start <= len(text) and 0 <= end <= len(text)):
        raise ValueError(
            f"The selection ({start} to {end}) falls outside the clause text, "
            f"which is {len(text)} characters long."
        )
    if start > end:
        raise ValueError(f"The selection ends ({end}) before it starts ({start}).")
    # A double-click often takes the space after a word; the words are what is quoted.
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        raise ValueError("The selection is empty: select at least one word to comment on.")
    return Anchor(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
        start=start,
        end=end,
    )


def utf16_to_index(text: str, offset: int) -> int:
    """Return the string index of a UTF-16 offset into text, as browsers count offsets.

    An offset between the two halves of a surrogate pair (inside an emoji, say) is
    rejected rather than snapped: it means the browser and the server disagree about the
    text, and guessing a side could move the selection onto other words.
    """
    if offset < 0:
        raise ValueError(f"The offset {offset} is negative.")
    units = 0
    for index, char in enumerate(text):
        if units == offset:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
        if units > offset:
            raise ValueError(f"The offset {offset} falls inside the character {char!r}.")
    if units == offset:
        return len(text)
    raise ValueError(f"The offset {offset} is past the end of the text ({units} code units).")


def index_to_utf16(text: str, index: int) -> int:
    """Return the UTF-16 offset, as browsers count it, of a string index into text."""
    if not 0 <= index <= len(text):
        raise ValueError(f"The index {index} is outside the text ({len(text)} characters).")
    return len(text[:index].encode("utf-16-le")) // 2


def reanchor(anchor: Anchor, old_text: str, new_text: str) -> Placement:
    """Place an anchor made on old_text in new_text, or orphan it."""
    return _Rewording(old_text, new_text).place(anchor)


def reanchor_many(anchors: Iterable[Anchor], old_text: str, new_text: str) -> list[Placement]:
    """Place every anchor made on one clause's old_text in new_text, diffing once."""
    rewording = _Rewording(old_text, new_text)
    return [rewording.place(anchor) for anchor in anchors]


class _Segment(NamedTuple):
    """A stretch of the diff: kept text, or one run of deletions and insertions."""

    equal: bool
    old_start: int
    old_end: int
    new_start: int
    new_end: int


class _Rewording:
    """Two wordings of one clause, with what is shared between the anchors on it."""

    def __init__(self, old: str, new: str) -> None:
        self.old = old
        self.new = new

    @cached_property
    def segments(self) -> list[_Segment]:
        """Return the word diff from the old to the new wording, as character segments."""
        old_tokens, new_tokens = words.tokenise(self.old), words.tokenise(self.new)
        # Tokens are compared casefolded, so a word whose case changed ("for" to "FOR") is
        # still the passage's own word rather than a replacement of it.
        ops = words.diff([t.casefold() for t in old_tokens], [t.casefold() for t in new_tokens])
        return _segments(ops, old_tokens, new_tokens)

    @cached_property
    def old_boundaries(self) -> set[int]:
        """Return where tokens start and end in the old wording."""
        return words.boundaries(self.old)

    @cached_property
    def new_boundaries(self) -> set[int]:
        """Return where tokens start and end in the new wording."""
        return words.boundaries(self.new)

    @cached_property
    def folded(self) -> tuple[str, tuple[int, ...]]:
        """Return the new wording folded for loose matching, and where each character came from."""
        return _fold(self.new)

    def place(self, anchor: Anchor) -> Placement:
        """Return the placement of one anchor in the new wording."""
        span = (anchor.start, anchor.end)
        if self.old[anchor.start : anchor.end] != anchor.exact:
            # The offsets do not fit this wording (its plain text may have been extracted
            # differently): find the quote in it by context before carrying it over.
            span = _choose(
                self.old, anchor, list(_occurrences(self.old, anchor.exact)), anchor.start
            )
            if span is None:
                return ORPHANED
        elif self.old == self.new:
            return Placement("exact", anchor.start, anchor.end, "unchanged")
        start = _carry(self.segments, self.old, span[0], end=False, length=len(self.new))
        end = _carry(self.segments, self.old, span[1], end=True, length=len(self.new))
        mapped = self._judge(anchor, span, start, end, "mapped") or self._confirmed(
            anchor, span, start, end
        )
        if mapped is not None and self._outdone(anchor, mapped):
            mapped = None
        return (
            mapped
            or self._search(anchor, span, start)
            or self._match(anchor, span, start)
            or ORPHANED
        )

    def _judge(
        self, anchor: Anchor, span: tuple[int, int], start: int, end: int, method: Method
    ) -> Placement | None:
        """Return a placement at new[start:end] if the words there are still the quote's."""
        start, end = _trim(self.new, start, end, anchor.exact)
        # A passage of whole words stays one of whole words: a match inside a longer
        # word widens to all of it, and then rarely looks like the quote any more.
        if span[0] in self.old_boundaries:
            while start not in self.new_boundaries:
                start -= 1
        if span[1] in self.old_boundaries:
            while end not in self.new_boundaries:
                end += 1
        if start >= end or self._takes_other_words(span, start, end):
            return None
        found = self.new[start:end]
        if found == anchor.exact:
            return Placement("exact", start, end, method)
        if not _plausible(len(found), len(anchor.exact)):
            return None
        if _likeness(anchor.exact, found) < FUZZY_MIN:
            return None
        return Placement("fuzzy", start, end, method)

    def _confirmed(
        self, anchor: Anchor, span: tuple[int, int], start: int, end: int
    ) -> Placement | None:
        """Return the carried span if most of the passage's words are kept in it and the
        context on both sides agrees, however much its other words were edited."""
        start, end = _trim(self.new, start, end, anchor.exact)
        if start >= end or self._takes_other_words(span, start, end):
            return None
        total = sum(1 for _ in words.word_spans(anchor.exact))
        kept = 0
        for segment in self.segments:
            low, high = max(span[0], segment.old_start), min(span[1], segment.old_end)
            if segment.equal and low < high:
                shift = segment.new_start - segment.old_start
                if start <= low + shift and high + shift <= end:
                    kept += len(words.word_spans(self.old[low:high]))
        # Most of the passage's words kept, and not many more words than it had: a span that
        # took in a sentence inserted or moved into the passage is not the passage.
        found = len(words.word_spans(self.new[start:end]))
        if kept * 2 <= total or found * 2 > total * 3 + 2:
            return None
        if not _confirms(anchor, *_context(self.new, anchor, start, end), both=True):
            return None
        return Placement("fuzzy", start, end, "mapped")

    def _outdone(self, anchor: Anchor, placement: Placement) -> bool:
        """Tell whether the quote also stands elsewhere with context that fits it better.

        The diff can pair a common word of the passage ("with") with the same word in
        another sentence: if another occurrence has the passage's surroundings and this
        one has fewer, the diff's pairing is not to be trusted.
        """
        before, after = _context(self.new, anchor, placement.start, placement.end)
        if _confirms(anchor, before, after, both=True):
            return False
        others = [
            span
            for span in self._loose_occurrences(anchor.exact)
            if span != (placement.start, placement.end)
        ]
        if others and not _confirms(anchor, before, after, both=False):
            return True  # the same words elsewhere, and nothing around these says they are ours
        for start, end in others:
            context = sum(_context(self.new, anchor, start, end))
            if context >= before + after + CONFIRM_CHARS and _convincing(anchor, context):
                return True
        return False

    def _search(self, anchor: Anchor, span: tuple[int, int], expected: int) -> Placement | None:
        """Return a placement where the quote now stands elsewhere, as when a sentence moved."""
        candidates = list(_occurrences(self.new, anchor.exact)) or self._loose_occurrences(
            anchor.exact
        )
        candidates = [
            (start, end)
            for start, end in candidates
            if self._same_edges(span, start, end) and not self._takes_other_words(span, start, end)
        ]
        chosen = _choose(self.new, anchor, candidates, expected)
        if chosen is None and len(candidates) == 1 and self.new.count(anchor.exact) == 1:
            # The quote stands once, word for word, somewhere the old wording did not have
            # it (as when its sentence moved): context on one side is then enough.
            before, after = _context(self.new, anchor, *candidates[0])
            strong = len(_fold(anchor.exact)[0]) + before + after >= EVIDENCE_CHARS * 2 // 3
            if strong and max(before, after) >= CONFIRM_CHARS:
                chosen = candidates[0]
        return chosen and self._judge(anchor, span, *chosen, "search")

    def _match(self, anchor: Anchor, span: tuple[int, int], expected: int) -> Placement | None:
        """Return a placement from diff-match-patch's fuzzy match of the quote near expected."""
        quote, new = anchor.exact, self.new
        if not new:
            return None
        # Bitap handles at most Match_MaxBits characters: match a long quote by both ends.
        head = quote[: _DMP.Match_MaxBits]
        start = _DMP.match_main(new, head, expected)
        if start < 0:
            return None
        end = start + len(quote)
        if len(quote) > len(head):
            tail = quote[-_DMP.Match_MaxBits :]
            tail_start = _DMP.match_main(new, tail, end - len(tail))
            if tail_start <= start:
                return None
            end = tail_start + len(tail)
        # Bitap finds roughly where a match starts and nothing of its length: align the
        # quote with the words from there (and a little beyond) to find where it ends.
        window = new[start : end + len(quote) // 4 + 1]
        chars, window_chars = list(quote), list(window)
        segments = _segments(words.diff(chars, window_chars), chars, window_chars)
        end = start + _carry(segments, quote, len(quote), end=True, length=len(window))
        placement = self._judge(anchor, span, start, end, "fuzzy")
        if placement is None:
            return None
        # Bitap's ends are guesses: a long quote can be alike overall yet have picked up
        # words of the next sentence at an end. And a match near the old place need not be
        # the passage's own words: the context around it must vouch for it.
        found = new[placement.start : placement.end]
        context = sum(_context(new, anchor, placement.start, placement.end))
        return placement if _same_ends(quote, found) and _convincing(anchor, context) else None

    def _takes_other_words(self, span: tuple[int, int], start: int, end: int) -> bool:
        """Tell whether new[start:end] keeps words the old wording had outside the passage."""
        old_start, old_end = span
        for segment in self.segments:
            low, high = max(start, segment.new_start), min(end, segment.new_end)
            if not segment.equal or low >= high:
                continue
            low += segment.old_start - segment.new_start
            high += segment.old_start - segment.new_start
            outside = self.old[low : min(high, old_start)] + self.old[max(low, old_end) : high]
            if _has_words(outside):
                return True
        return False

    def _same_edges(self, span: tuple[int, int], start: int, end: int) -> bool:
        """Tell whether new[start:end] starts and ends on word boundaries where the passage did."""
        old, new = self.old_boundaries, self.new_boundaries
        return (span[0] not in old or start in new) and (span[1] not in old or end in new)

    def _loose_occurrences(self, quote: str) -> list[tuple[int, int]]:
        """Return the spans of new text equal to quote but for case, spacing and punctuation."""
        folded_quote = _fold(quote)[0]
        if not folded_quote:
            return []
        folded, origins = self.folded
        return [
            (origins[at], origins[at + len(folded_quote) - 1] + 1)
            for at in _find_all(folded, folded_quote)
        ]


def _segments(
    ops: list[tuple[str, int]], old_tokens: list[str], new_tokens: list[str]
) -> list[_Segment]:
    """Return a token diff as alternating kept and changed segments, in characters."""
    segments: list[_Segment] = []
    old = new = o = n = 0
    for op, count in ops:
        old_end, new_end = old, new
        if op != words.INSERT:
            old_end += sum(map(len, old_tokens[o : o + count]))
            o += count
        if op != words.DELETE:
            new_end += sum(map(len, new_tokens[n : n + count]))
            n += count
        if op != words.EQUAL and segments and not segments[-1].equal:
            segments[-1] = segments[-1]._replace(old_end=old_end, new_end=new_end)
        else:
            segments.append(_Segment(op == words.EQUAL, old, old_end, new, new_end))
        old, new = old_end, new_end
    return segments


def _carry(segments: list[_Segment], old: str, loc: int, *, end: bool, length: int) -> int:
    """Return where position loc of old lands in the new text, for a passage's start or end.

    Unlike diff_xIndex, which sends a position inside a deleted run to the run's start,
    an edit at the passage's edge is taken into the passage (its start goes to the start
    of the replacement, its end to the end), so a passage whose own words were edited
    covers the edited words. But when the edit also replaced words outside the passage,
    nothing tells which new words stand for which, so it is left out. Text inserted just
    outside the passage stays outside it.
    """
    for segment in segments:
        if end:
            inside = segment.old_start < loc <= segment.old_end
        else:
            inside = segment.old_start <= loc < segment.old_end
        if inside and segment.equal:
            return segment.new_start + loc - segment.old_start
        if inside:
            beyond = old[loc : segment.old_end] if end else old[segment.old_start : loc]
            take_in = not _has_words(beyond)
            return segment.new_end if end == take_in else segment.new_start
    # Only the very start (for an end) or the very end (for a start) is left.
    return 0 if end else length


def _choose(
    text: str, anchor: Anchor, candidates: list[tuple[int, int]], expected: int
) -> tuple[int, int] | None:
    """Return the candidate span whose context best matches the anchor's, if convincing."""
    if not candidates:
        return None
    scored = [
        (sum(_context(text, anchor, *span)), abs(span[0] - expected), span) for span in candidates
    ]
    best = max(context for context, _, _ in scored)
    contenders = sorted((distance, span) for context, distance, span in scored if context == best)
    if len(contenders) > 1 and contenders[0][0] == contenders[1][0]:
        return None  # equally good and equally near: nothing says which one is meant
    return contenders[0][1] if _convincing(anchor, best) else None


def _confirms(anchor: Anchor, before: int, after: int, *, both: bool) -> bool:
    """Tell whether context found on both sides (or either side) agrees with the anchor's."""
    prefix, suffix = _fold(anchor.prefix)[0], _fold(anchor.suffix)[0]
    sides = (before >= min(CONFIRM_CHARS, len(prefix)), after >= min(CONFIRM_CHARS, len(suffix)))
    return all(sides) if both else any(sides)


def _convincing(anchor: Anchor, context: int) -> bool:
    """Tell whether a quote and the context found around it say enough to place a comment."""
    return len(_fold(anchor.exact)[0]) + context >= EVIDENCE_CHARS


def _context(text: str, anchor: Anchor, start: int, end: int) -> tuple[int, int]:
    """Return how many characters of the anchor's prefix and suffix surround text[start:end]."""
    window = max(CONTEXT_CHARS, len(anchor.prefix))
    before = _agreement(anchor.prefix[::-1], text[max(0, start - window) : start][::-1])
    window = max(CONTEXT_CHARS, len(anchor.suffix))
    return before, _agreement(anchor.suffix, text[end : end + window])


def _agreement(context: str, found: str) -> int:
    """Return how many characters of context found starts with, case and punctuation aside.

    Only an unbroken run counting from the passage outwards is evidence: a similarity
    over the whole window would credit the same words at other distances, as when a
    repeated sentence now follows another one.
    """
    return len(os.path.commonprefix([_fold(context)[0], _fold(found)[0]]))


def _occurrences(text: str, quote: str) -> Iterator[tuple[int, int]]:
    """Yield the span of every occurrence of quote in text, overlapping ones included."""
    for at in _find_all(text, quote):
        yield at, at + len(quote)


def _find_all(text: str, pattern: str) -> Iterator[int]:
    """Yield every index at which pattern occurs in text."""
    at = text.find(pattern)
    while at >= 0:
        yield at
        at = text.find(pattern, at + 1)


@lru_cache(maxsize=4096)
def _fold(text: str) -> tuple[str, tuple[int, ...]]:
    """Return text's words casefolded and joined by single spaces, and where each came from.

    The origins list gives, for each character of the folded text, the index in text it
    came from, so a match in folded text maps back to a span of the original.
    """
    parts: list[str] = []
    origins: list[int] = []
    for start, end in words.word_spans(text):
        if parts:
            parts.append(" ")
            origins.append(start - 1)
        word = text[start:end]
        folded = word.casefold()
        if len(folded) == len(word):
            origins.extend(range(start, end))
        else:  # "ß" folds to "ss": each folded character still points at its source
            origins.extend(start + n for n, char in enumerate(word) for _ in char.casefold())
        parts.append(folded)
    return "".join(parts), tuple(origins)


def _likeness(quote: str, words: str) -> float:
    """Return how alike words are to quote, ignoring case, spacing and punctuation."""
    folded_quote, folded_words = _fold(quote)[0], _fold(words)[0]
    if folded_quote and folded_words:
        return _similarity(folded_quote, folded_words)
    return _similarity(quote, words)


def _same_ends(quote: str, words: str) -> bool:
    """Tell whether words begin and end as quote does, case and punctuation aside."""
    quote, words = _fold(quote)[0], _fold(words)[0]
    size = ENDS_CHARS
    return (
        _similarity(quote[:size], words[:size]) >= FUZZY_MIN
        and _similarity(quote[-size:], words[-size:]) >= FUZZY_MIN
    )


def _similarity(a: str, b: str) -> float:
    """Return 1 - levenshtein(a, b) / the longer length: 1.0 for equal strings."""
    if a == b:
        return 1.0
    # The shared diff over characters: exact, with no time limit, so always the same answer.
    distance = deleted = inserted = 0
    for op, count in [*words.diff(list(a), list(b)), (words.EQUAL, 0)]:
        if op == words.DELETE:
            deleted += count
        elif op == words.INSERT:
            inserted += count
        else:
            distance += max(deleted, inserted)
            deleted = inserted = 0
    return 1 - distance / max(len(a), len(b))


def _plausible(found: int, quoted: int) -> bool:
    """Tell whether found characters could be a light edit of quoted ones, by length alone."""
    return quoted * 3 <= found * 4 and found * 3 <= quoted * 4 + 12


def _trim(text: str, start: int, end: int, quote: str) -> tuple[int, int]:
    """Return start and end moved inwards past spaces, and past punctuation the quote lacks."""
    while start < end and (
        text[start].isspace() or (_has_words(quote[0]) and not _has_words(text[start]))
    ):
        start += 1
    while end > start and (
        text[end - 1].isspace() or (_has_words(quote[-1]) and not _has_words(text[end - 1]))
    ):
        end -= 1
    return start, end


def _at_boundary(text: str, index: int) -> bool:
    """Tell whether index falls between tokens (as `words` cuts them) rather than inside one."""
    return index in words.boundaries(text)


_has_words = words.has_words
