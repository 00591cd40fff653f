"""Anchor comments to the words they quote, and carry them to newer wordings of a clause.

An anchor follows the W3C Web Annotation model: a text-quote selector (the exact words
and about 32 characters either side) plus text-position offsets into the clause's plain
text. Offsets here are Python string indices (code points); browsers count UTF-16 code
units, so convert at the edge with `utf16_to_index` and `index_to_utf16`.

Re-anchoring on a newer wording tries, in order: the unchanged text; the old offsets
carried through a character diff of the two wordings; a search for the quote scored by
its prefix, suffix and position (for moved sentences); diff-match-patch `match_main` on
the quote's ends. When none is convincing the comment is orphaned, shown as "on an
earlier wording": a comment shown on the wrong words is worse than one shown on the
wording it was made on. One rule guards every strategy: a placement may not take in
words that the old wording had outside the passage, so a quote repeated elsewhere in the
clause never pulls a comment onto the other occurrence.
"""

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from typing import Literal, NamedTuple

from diff_match_patch import diff_match_patch

# Characters of prefix and suffix kept with each quote, as browser annotators do.
CONTEXT_CHARS = 32
# How alike (1 - levenshtein / length, ignoring case and punctuation) the words at a
# placement must be to the quote for an edited passage to count as the same passage.
FUZZY_MIN = 0.75
# How alike the prefix or the suffix must be before a quote found elsewhere in the
# clause is trusted to be the passage that moved there.
CONTEXT_MIN = 0.5
# A quote this long is distinctive enough to follow on its own when it appears just once.
DISTINCTIVE_CHARS = 40
# Context scores closer than this do not tell two candidates apart.
CONTEXT_TIE = 0.05

Status = Literal["exact", "fuzzy", "orphaned"]
Method = Literal["unchanged", "mapped", "search", "fuzzy", "none"]

_DMP = diff_match_patch()
# match_main only looks for edited passages near where they were (moved ones are found
# by the search), and it must not accept more errors than FUZZY_MIN allows anyway;
# the tighter window also keeps bitap fast.
_DMP.Match_Threshold = 0.35
_DMP.Match_Distance = 500
_EQUAL, _INSERT, _DELETE = _DMP.DIFF_EQUAL, _DMP.DIFF_INSERT, _DMP.DIFF_DELETE
# Token codes start past ASCII, whose control characters diff-match-patch treats as breaks.
_FIRST_CODE = 0x100
# Scripts written without spaces between words (CJK): each character counts as a word.
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_UNSPACED_CHAR = re.compile(f"[{_UNSPACED}]")
# A word (letters, digits and combining marks), a run of whitespace, or any other character.
_TOKEN = re.compile(rf"[{_UNSPACED}]|(?:(?![{_UNSPACED}])[^\W_]|[\u0300-\u036f])+|\s+|.", re.DOTALL)


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
        """Return the character diff from the old to the new wording, as segments."""
        return _segments(_word_diff(self.old, self.new))

    @cached_property
    def folded(self) -> tuple[str, list[int]]:
        """Return the new wording folded for loose matching, and where each character came from."""
        return _fold(self.new)

    def place(self, anchor: Anchor) -> Placement:
        """Return the placement of one anchor in the new wording."""
        span = (anchor.start, anchor.end)
        if self.old[anchor.start : anchor.end] != anchor.exact:
            # The offsets do not fit this wording (its plain text may have been extracted
            # differently): find the quote in it by context before carrying it over.
            span = _choose(self.old, anchor, list(_occurrences(self.old, anchor.exact)), 0)
            if span is None:
                return ORPHANED
        elif self.old == self.new:
            return Placement("exact", anchor.start, anchor.end, "unchanged")
        start = _carry(self.segments, self.old, span[0], end=False, length=len(self.new))
        end = _carry(self.segments, self.old, span[1], end=True, length=len(self.new))
        return (
            self._judge(anchor, span, start, end, "mapped")
            or self._search(anchor, span, start)
            or self._match(anchor, span, start)
            or ORPHANED
        )

    def _judge(
        self, anchor: Anchor, span: tuple[int, int], start: int, end: int, method: Method
    ) -> Placement | None:
        """Return a placement at new[start:end] if the words there are still the quote's."""
        start, end = _trim(self.new, start, end)
        # A passage of whole words stays one of whole words: a match inside a longer
        # word widens to all of it, and then rarely looks like the quote any more.
        while _at_boundary(self.old, span[0]) and not _at_boundary(self.new, start):
            start -= 1
        while _at_boundary(self.old, span[1]) and not _at_boundary(self.new, end):
            end += 1
        if start >= end or self._takes_other_words(span, start, end):
            return None
        words = self.new[start:end]
        if words == anchor.exact:
            return Placement("exact", start, end, method)
        if not _plausible(len(words), len(anchor.exact)):
            return None
        if _likeness(anchor.exact, words) < FUZZY_MIN:
            return None
        return Placement("fuzzy", start, end, method)

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
        # Bitap finds where a match starts, not how long it is: diff the quote against
        # the words found (and a little more) to see where the quote ends there.
        window = new[start : end + len(quote) // 4 + 1]
        diffs = _DMP.diff_main(quote, window, False)
        _DMP.diff_cleanupSemantic(diffs)
        end = start + _carry(_segments(diffs), quote, len(quote), end=True, length=len(window))
        return self._judge(anchor, span, start, end, "fuzzy")

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
            if any(_is_word_char(char) for char in outside):
                return True
        return False

    def _same_edges(self, span: tuple[int, int], start: int, end: int) -> bool:
        """Tell whether new[start:end] starts and ends on word boundaries where the passage did."""
        return (not _at_boundary(self.old, span[0]) or _at_boundary(self.new, start)) and (
            not _at_boundary(self.old, span[1]) or _at_boundary(self.new, end)
        )

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


def _word_diff(old: str, new: str) -> list[tuple[int, str]]:
    """Return a character diff of old and new that keeps or replaces whole words.

    Each word, space run and punctuation mark becomes one character (diff-match-patch's
    lines-to-chars trick, applied to words) before diff_main runs: a letter shared by
    chance between a deleted and an inserted word can then never pass for kept text,
    and a 150-word clause diffs as 150 tokens rather than a thousand characters.
    """
    codes: dict[str, str] = {}
    tokens: list[str] = []

    def encode(text: str) -> str:
        out = []
        for token in _TOKEN.findall(text):
            if token not in codes:
                codes[token] = chr(_FIRST_CODE + len(tokens))
                tokens.append(token)
            out.append(codes[token])
        return "".join(out)

    diffs = _DMP.diff_main(encode(old), encode(new), False)
    # Semantic cleanup folds the small kept runs that litter a rewritten passage (a
    # lone "the") into the edit around them, so a rewrite reads as one replacement.
    # It runs on the tokens: on the text it would split words to share their letters.
    _DMP.diff_cleanupSemantic(diffs)
    return [(op, "".join(tokens[ord(code) - _FIRST_CODE] for code in run)) for op, run in diffs]


def _segments(diffs: list[tuple[int, str]]) -> list[_Segment]:
    """Return a diff as alternating kept and changed segments with their positions."""
    segments: list[_Segment] = []
    old = new = 0
    for op, text in diffs:
        old_end = old if op == _INSERT else old + len(text)
        new_end = new if op == _DELETE else new + len(text)
        if op != _EQUAL and segments and not segments[-1].equal:
            segments[-1] = segments[-1]._replace(old_end=old_end, new_end=new_end)
        else:
            segments.append(_Segment(op == _EQUAL, old, old_end, new, new_end))
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
            take_in = not any(_is_word_char(char) for char in beyond)
            return segment.new_end if end == take_in else segment.new_start
    # Only the very start (for an end) or the very end (for a start) is left.
    return 0 if end else length


def _choose(
    text: str, anchor: Anchor, candidates: list[tuple[int, int]], expected: int
) -> tuple[int, int] | None:
    """Return the candidate span whose context best matches the anchor's, if convincing."""
    if not candidates:
        return None
    scored = []
    for start, end in candidates:
        window = max(CONTEXT_CHARS, len(anchor.prefix))
        before = _similarity(anchor.prefix, text[max(0, start - window) : start])
        window = max(CONTEXT_CHARS, len(anchor.suffix))
        after = _similarity(anchor.suffix, text[end : end + window])
        scored.append((before + after, max(before, after), abs(start - expected), (start, end)))
    best = max(score for score, *_ in scored)
    contenders = [item for item in scored if item[0] >= best - CONTEXT_TIE]
    contenders.sort(key=lambda item: (item[2], -item[0]))
    _, one_side, distance, chosen = contenders[0]
    if len(contenders) > 1 and contenders[1][2] == distance:
        return None  # equally good and equally near: nothing says which one is meant
    if one_side >= CONTEXT_MIN or (len(candidates) == 1 and len(anchor.exact) >= DISTINCTIVE_CHARS):
        return chosen
    return None


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


def _fold(text: str) -> tuple[str, list[int]]:
    """Return text casefolded with each run of non-word characters as one space, and origins.

    The origins list gives, for each character of the folded text, the index in text it
    came from, so a match in folded text maps back to a span of the original.
    """
    chars: list[str] = []
    origins: list[int] = []
    for index, char in enumerate(text):
        if _is_word_char(char):
            for folded in char.casefold():
                chars.append(folded)
                origins.append(index)
        elif chars and chars[-1] != " ":
            chars.append(" ")
            origins.append(index)
    if chars and chars[-1] == " ":
        chars.pop()
        origins.pop()
    return "".join(chars), origins


def _likeness(quote: str, words: str) -> float:
    """Return how alike words are to quote, ignoring case, spacing and punctuation."""
    folded_quote, folded_words = _fold(quote)[0], _fold(words)[0]
    if folded_quote and folded_words:
        return _similarity(folded_quote, folded_words)
    return _similarity(quote, words)


def _similarity(a: str, b: str) -> float:
    """Return 1 - levenshtein(a, b) / the longer length: 1.0 for equal strings."""
    if a == b:
        return 1.0
    distance = _DMP.diff_levenshtein(_DMP.diff_main(a, b, False))
    return 1 - distance / max(len(a), len(b))


def _plausible(found: int, quoted: int) -> bool:
    """Tell whether a span of found characters could be a light edit of quoted ones."""
    return quoted * 3 <= found * 4 and found * 3 <= quoted * 4 + 12


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Return start and end moved inwards past whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _at_boundary(text: str, index: int) -> bool:
    """Tell whether index falls between words rather than inside one."""
    return not (0 < index < len(text)) or not (_joins(text[index - 1]) and _joins(text[index]))


def _joins(char: str) -> bool:
    """Tell whether char joins its neighbours into a word, as letters do in spaced scripts."""
    return _is_word_char(char) and not _UNSPACED_CHAR.match(char)


def _is_word_char(char: str) -> bool:
    """Tell whether char belongs to a word: a letter, digit or combining mark."""
    return char.isalnum() or unicodedata.category(char).startswith("M")
