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
import re
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
# Characters at either end of a fuzzy match that must look like the quote's ends.
ENDS_CHARS = 12
# Characters (of the quote, and of its prefix and suffix found around it, case and
# punctuation aside) that must agree before a quote found elsewhere than its old place
# is trusted to be the passage, moved there: a lone "data" is not evidence enough.
EVIDENCE_CHARS = 48

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
# Combining marks (accents typed apart from their letter) belong to the word they mark.
_MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# Scripts written without spaces between words (Chinese, Japanese): each character is a word.
_UNSPACED = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
_WORD_CHAR = rf"[^\W_]|[{_MARKS}]"
_JOINING_CHAR = rf"(?![{_UNSPACED}])[^\W_]|[{_MARKS}]"
_WORD = re.compile(rf"(?:{_WORD_CHAR})+")
_JOINING = re.compile(_JOINING_CHAR)
# Diff tokens: a word of a spaced script, a run of whitespace, or any other single character.
_TOKEN = re.compile(rf"(?:{_JOINING_CHAR})+|\s+|.", re.DOTALL)


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
            span = _choose(
                self.old, anchor, list(_occurrences(self.old, anchor.exact)), anchor.start
            )
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
        start, end = _trim(self.new, start, end, anchor.exact)
        # A passage of whole words stays one of whole words: a match inside a longer
        # word widens to all of it, and then rarely looks like the quote any more.
        if _at_boundary(self.old, span[0]):
            while not _at_boundary(self.new, start):
                start -= 1
        if _at_boundary(self.old, span[1]):
            while not _at_boundary(self.new, end):
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
        # Bitap finds roughly where a match starts and nothing of its length: align the
        # quote with the words from there (and a little beyond) to find where it ends.
        window = new[start : end + len(quote) // 4 + 1]
        diffs = _DMP.diff_main(quote, window, False)
        _DMP.diff_cleanupSemantic(diffs)
        end = start + _carry(_segments(diffs), quote, len(quote), end=True, length=len(window))
        placement = self._judge(anchor, span, start, end, "fuzzy")
        if placement is None:
            return None
        # Bitap's ends are guesses: a long quote can be alike overall yet have picked up
        # words of the next sentence at an end. And a match near the old place need not be
        # the passage's own words: the context around it must vouch for it.
        words = new[placement.start : placement.end]
        context = sum(_context(new, anchor, placement.start, placement.end))
        return placement if _same_ends(quote, words) and _convincing(anchor, context) else None

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
    Semantic cleanup folds the small kept runs that litter a rewritten passage (a
    lone "the") into the edit around them, so a rewrite reads as one replacement.
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
    # On the tokens: on the text, cleanup would split words to share their letters.
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


def _fold(text: str) -> tuple[str, list[int]]:
    """Return text's words casefolded and joined by single spaces, and where each came from.

    The origins list gives, for each character of the folded text, the index in text it
    came from, so a match in folded text maps back to a span of the original.
    """
    parts: list[str] = []
    origins: list[int] = []
    for match in _WORD.finditer(text):
        if parts:
            parts.append(" ")
            origins.append(match.start() - 1)
        word = match.group()
        folded = word.casefold()
        if len(folded) == len(word):
            origins.extend(range(match.start(), match.end()))
        else:  # "ß" folds to "ss": each folded character still points at its source
            origins.extend(
                match.start() + n for n, char in enumerate(word) for _ in char.casefold()
            )
        parts.append(folded)
    return "".join(parts), origins


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
    distance = _DMP.diff_levenshtein(_DMP.diff_main(a, b, False))
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
    """Tell whether index falls between words rather than inside one."""
    if not 0 < index < len(text):
        return True
    return not (_JOINING.match(text[index - 1]) and _JOINING.match(text[index]))


def _has_words(text: str) -> bool:
    """Tell whether text holds any letter or digit."""
    return _WORD.search(text) is not None
