"""Anchor comments to the words they quote, and carry them to newer wordings of a clause.

An anchor follows the W3C Web Annotation model: a text-quote selector (the exact words
and about 32 characters either side) plus text-position offsets into the clause's plain
text. Offsets here are Python string indices (code points); browsers count UTF-16 code
units, so convert at the edge with `utf16_to_index` and `index_to_utf16`.

Re-anchoring on a newer wording tries, in order: the unchanged text; the old offsets
carried through the word diff of the two wordings, kept when most of the passage's words
are there (word for word, or inflected) and the diff's pairing is sure (kept words found
once in each wording, kept context on both sides, or the quote's literal context); a
search for the quote (scored by context, or found once in each wording where the diff
marks it new); the passage's sentence found moved and edited, by a diff of that sentence
alone; diff-match-patch `match_main` on the quote's ends. When none is convincing the
comment is orphaned, shown as "on an earlier wording": a comment shown on the wrong
words is worse than one shown on the wording it was made on. One rule
guards every strategy: a placement may not take in words that the diff kept from outside
the passage (a moved quote may hold a few common ones, never at its ends), so a quote
repeated elsewhere in the clause never pulls a comment onto the other occurrence.
"""

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Literal, NamedTuple

import regex
from diff_match_patch import diff_match_patch
from rapidfuzz.distance import Levenshtein

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
# Words of a quote that, standing once in each wording, identify a moved passage by themselves.
MOVED_WORDS = 3
# Quotes of at most this many words are common enough to need context on both sides wherever
# the same words stand elsewhere in the new wording.
SHORT_WORDS = 2

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
        mapped = (
            self._judge(anchor, span, start, end, "mapped")
            or self._evidenced(anchor, span, start, end)
            or self._inflected(anchor, span, start, end)
        )
        if mapped is not None and (
            self._beaten(anchor, mapped)
            or self._short_and_repeated(anchor, mapped)
            or (
                not self._between_kept(span, mapped.start, mapped.end)
                and self._outdone(anchor, mapped)
            )
        ):
            mapped = None
        return (
            mapped
            or self._search(anchor, span, start)
            or self._moved_sentence(anchor, span)
            or self._match(anchor, span, start)
            or ORPHANED
        )

    def _judge(
        self,
        anchor: Anchor,
        span: tuple[int, int],
        start: int,
        end: int,
        method: Method,
        *,
        strict: bool = True,
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
        if start >= end:
            return None
        if (
            self._takes_other_words(span, start, end)
            if strict
            else not self._mostly_new(span, start, end)
        ):
            return None
        found = self.new[start:end]
        if found == anchor.exact:
            return Placement("exact", start, end, method)
        if not _plausible(len(found), len(anchor.exact)):
            return None
        if _likeness(anchor.exact, found) < FUZZY_MIN:
            return None
        return Placement("fuzzy", start, end, method)

    def _evidenced(
        self, anchor: Anchor, span: tuple[int, int], start: int, end: int
    ) -> Placement | None:
        """Return the carried span if most of the passage's words are still in it.

        The diff is an exact alignment of tokens, so the words it keeps are the passage's
        own words, unless they are repeated: a run of kept words that occurs once in each
        wording can only be itself (as unique lines anchor a patience diff), while a
        repeated run might have been paired with another occurrence, and then the context
        on both sides must confirm it.
        """
        start, end = _trim(self.new, start, end, anchor.exact)
        if start >= end or self._takes_other_words(span, start, end):
            return None
        evidence = _evidence(self.segments, self.old, self.new, span, (start, end))
        if evidence is None:
            return None
        trusted = (
            any(self._unique(run) for run in evidence)
            or self._between_kept(span, start, end)
            or _confirms(anchor, *_context(self.new, anchor, start, end), both=True)
        )
        if not trusted:
            return None
        exact = self.new[start:end] == anchor.exact
        return Placement("exact" if exact else "fuzzy", start, end, "mapped")

    def _inflected(
        self, anchor: Anchor, span: tuple[int, int], start: int, end: int
    ) -> Placement | None:
        """Return the carried span if the passage is one word now inflected, in its own context.

        A short word given an ending ("on" to "ons", "28" to "28s", "record" to "recorded")
        is too unlike itself by letters to pass as a light edit, yet plainly the same word
        when the words on both sides of it are still the passage's surroundings.
        """
        start, end = _trim(self.new, start, end, anchor.exact)
        old_words, new_words = _word_spans(anchor.exact), _word_spans(self.new[start:end])
        if len(old_words) != 1 or len(new_words) != 1 or self._takes_other_words(span, start, end):
            return None
        was = anchor.exact[old_words[0][0] : old_words[0][1]].casefold()
        now = self.new[start + new_words[0][0] : start + new_words[0][1]].casefold()
        shorter, longer = sorted((was, now), key=len)
        if len(shorter) < 2 or not longer.startswith(shorter) or len(longer) - len(shorter) > 3:
            return None
        if not _confirms(anchor, *_context(self.new, anchor, start, end), both=True):
            return None
        return Placement("fuzzy", start, end, "mapped")

    def _between_kept(self, span: tuple[int, int], start: int, end: int) -> bool:
        """Tell whether the diff kept the passage's surroundings on both sides of new[start:end].

        The diff never crosses its own pairings: when words just before the passage and
        words just after it are both kept, and stand just before and after the carried
        span, the passage's kept words can only have been paired within it, even if a
        word right next to it was edited (which breaks the quote's literal context).
        """
        before = after = 0
        for segment in self.segments:
            if not segment.equal:
                continue
            shift = segment.new_start - segment.old_start
            low, high = (
                max(span[0] - CONTEXT_CHARS, segment.old_start),
                min(span[0], segment.old_end),
            )
            if low < high and start - 2 * CONTEXT_CHARS <= low + shift:
                before += _word_chars(self.old[low:high])
            low, high = (
                max(span[1], segment.old_start),
                min(span[1] + CONTEXT_CHARS, segment.old_end),
            )
            if low < high and high + shift <= end + 2 * CONTEXT_CHARS:
                after += _word_chars(self.old[low:high])
        need_before = min(
            CONFIRM_CHARS, _word_chars(self.old[max(0, span[0] - CONTEXT_CHARS) : span[0]])
        )
        need_after = min(CONFIRM_CHARS, _word_chars(self.old[span[1] : span[1] + CONTEXT_CHARS]))
        return before >= need_before and after >= need_after

    def _unique(self, run: str) -> bool:
        """Tell whether words occur once in the old wording and once in the new one."""
        folded = _fold(run)[0]
        return (
            bool(folded)
            and _count(_fold(self.old)[0], folded) == 1
            and _count(self.folded[0], folded) == 1
        )

    def _moved_sentence(self, anchor: Anchor, span: tuple[int, int]) -> Placement | None:
        """Return the passage carried into its sentence moved elsewhere and edited there.

        The old sentences holding the passage are diffed against each stretch of as many
        new sentences that the clause's diff marks mostly inserted; the one sharing most
        words with them, if it shares most of its words and no other stretch ties with it,
        is the same sentence moved, and the passage is carried through that local diff.
        """
        old_region = _region(self.old_sentences, *span)
        if old_region is None:
            return None
        old_low, old_high = old_region[0][0], old_region[-1][1]
        old_part = self.old[old_low:old_high]
        sentences, moved = self.new_sentences, self.inserted_sentences
        size = len(old_region)
        scored = []
        for at in range(len(sentences) - size + 1):
            if not all(moved[at : at + size]):
                continue
            # Each old sentence must be like its new one: a passage across two sentences
            # is not carried into one moved sentence and whatever happens to follow it.
            pairs = [
                _shared(self.old[a:b], self.new[c:d])
                for (a, b), (c, d) in zip(old_region, sentences[at : at + size], strict=True)
            ]
            if all(shared * 2 > most for shared, most in pairs):
                scored.append((sum(shared for shared, _ in pairs), at))
        if not scored:
            return None
        scored.sort(key=lambda item: -item[0])
        if len(scored) > 1 and scored[0][0] == scored[1][0]:
            return None  # two stretches as like the old sentence: nothing says which it is
        low, high = sentences[scored[0][1]][0], sentences[scored[0][1] + size - 1][1]
        old_tokens, new_tokens = words.tokenise(old_part), words.tokenise(self.new[low:high])
        ops = words.diff([t.casefold() for t in old_tokens], [t.casefold() for t in new_tokens])
        segments = _segments(ops, old_tokens, new_tokens)
        local = (span[0] - old_low, span[1] - old_low)
        new_part = self.new[low:high]
        start = _carry(segments, old_part, local[0], end=False, length=len(new_part))
        end = _carry(segments, old_part, local[1], end=True, length=len(new_part))
        start, end = _trim(new_part, start, end, anchor.exact)
        if start >= end or _evidence(segments, old_part, new_part, local, (start, end)) is None:
            return None
        start, end = start + low, end + low
        if not self._mostly_new(span, start, end):
            return None
        exact = self.new[start:end] == anchor.exact
        placement = Placement("exact" if exact else "fuzzy", start, end, "search")
        return None if self._outdone(anchor, placement) else placement

    @cached_property
    def old_sentences(self) -> list[tuple[int, int]]:
        """Return the spans of the old wording's sentences."""
        return _sentences(self.old)

    @cached_property
    def new_sentences(self) -> list[tuple[int, int]]:
        """Return the spans of the new wording's sentences."""
        return _sentences(self.new)

    @cached_property
    def inserted_sentences(self) -> list[bool]:
        """Tell, for each new sentence, whether the diff marks most of its words inserted."""
        return [self._mostly_inserted(low, high) for low, high in self.new_sentences]

    def _mostly_inserted(self, start: int, end: int) -> bool:
        """Tell whether most words of new[start:end] are new to the clause in the diff."""
        inserted = total = 0
        for segment in self.segments:
            low, high = max(start, segment.new_start), min(end, segment.new_end)
            if low < high:
                count = len(_word_spans(self.new[low:high]))
                total += count
                inserted += 0 if segment.equal else count
        return inserted * 2 > total

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

    def _short_and_repeated(self, anchor: Anchor, placement: Placement) -> bool:
        """Tell whether a quote of a word or two has a rival copy with the context it lacks.

        "two" or "experts in" in a reordered list is paired by the diff with one of several
        copies, and which one can be a coin toss. When nothing on one side of this copy agrees
        with the passage's surroundings and another copy has them on that side, the two
        claims are as good as each other, and the comment is not placed on either.
        """
        if len(_word_spans(anchor.exact)) > SHORT_WORDS:
            return False
        before, after = _context(self.new, anchor, placement.start, placement.end)
        if _confirms(anchor, before, after, both=True):
            return False
        for start, end in self._loose_occurrences(anchor.exact):
            if (start, end) == (placement.start, placement.end):
                continue
            other_before, other_after = _context(self.new, anchor, start, end)
            if (before == 0 and other_before >= CONFIRM_CHARS) or (
                after == 0 and other_after >= CONFIRM_CHARS
            ):
                return True
        return False

    def _beaten(self, anchor: Anchor, placement: Placement) -> bool:
        """Tell whether the same words stand elsewhere with clearly more of the passage's context.

        Even where the diff kept text around a placement, a repeated phrase in reordered
        list items can be paired with the wrong copy; the copy whose surroundings agree
        with the passage's by a clear margin, on at least one side, is then the better
        claim, and the comment is not put on this one.
        """
        before, after = _context(self.new, anchor, placement.start, placement.end)
        for start, end in self._loose_occurrences(anchor.exact):
            if (start, end) == (placement.start, placement.end):
                continue
            other_before, other_after = _context(self.new, anchor, start, end)
            margin = other_before + other_after - before - after
            if margin >= CONFIRM_CHARS and _confirms(anchor, other_before, other_after, both=False):
                return True
        return False

    def _search(self, anchor: Anchor, span: tuple[int, int], expected: int) -> Placement | None:
        """Return a placement where the quote now stands elsewhere, as when a sentence moved."""
        found = list(_occurrences(self.new, anchor.exact)) or self._loose_occurrences(anchor.exact)
        candidates = [
            (start, end)
            for start, end in found
            if self._same_edges(span, start, end) and not self._takes_other_words(span, start, end)
        ]
        chosen = _choose(self.new, anchor, candidates, expected)
        if chosen is not None:
            return self._judge(anchor, span, *chosen, "search")
        if len(found) != 1 or not self._same_edges(span, *found[0]):
            return None
        if not self._unique(anchor.exact) or not self._mostly_new(span, *found[0]):
            return None
        # The quote stands once in each wording, and most of its new place is new to the
        # clause (as when its sentence moved; the diff may still have paired a common word
        # of it with the same word elsewhere): it is the passage, moved, if quote and
        # context are not too short to be there by chance. One word alone could be any
        # use of that word: its context must agree on one side. Three words or more that
        # stand once in each wording, at a place new to the clause, are the passage moved
        # whatever now surrounds them: a whole moved sentence has no old context left.
        before, after = _context(self.new, anchor, *found[0])
        strong = len(_fold(anchor.exact)[0]) + before + after >= EVIDENCE_CHARS * 2 // 3
        count = len(_word_spans(anchor.exact))
        confirmed = max(before, after) >= CONFIRM_CHARS
        if (
            count >= MOVED_WORDS
            or (strong and (count > 1 or confirmed))
            or (count > 1 and confirmed)
        ):
            return self._judge(anchor, span, *found[0], "search", strict=False)
        return None

    def _match(self, anchor: Anchor, span: tuple[int, int], expected: int) -> Placement | None:
        """Return a placement from diff-match-patch's fuzzy match of the quote near expected."""
        quote, new = anchor.exact, self.new
        most = len(_fold(anchor.prefix)[0]) + len(_fold(anchor.suffix)[0])
        if not new or not _convincing(anchor, most):
            return None  # even all its context would not make a match convincing
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

    def _mostly_new(self, span: tuple[int, int], start: int, end: int) -> bool:
        """Tell whether new[start:end] is mostly new to the clause where the passage is not.

        Fewer than half its words, and neither its first nor its last, may be words the
        diff kept from the old wording outside the passage: a common word of a moved
        sentence is often paired with the same word elsewhere, but a span whose end is
        kept old text reaches into other words (as where a sentence moved next to it).
        """
        old_start, old_end = span
        spans = [(a + start, b + start) for a, b in _word_spans(self.new[start:end])]
        taken = []
        for segment in self.segments:
            if not segment.equal:
                continue
            shift = segment.old_start - segment.new_start
            for low, high in spans:
                inside = segment.new_start <= low and high <= segment.new_end
                if inside and (high + shift <= old_start or low + shift >= old_end):
                    taken.append((low, high))
        if not spans:
            return False
        return len(taken) * 2 < len(spans) and spans[0] not in taken and spans[-1] not in taken

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


_SENTENCE = regex.compile(r"[^.!?;\n。！？；।؟]*(?:[.!?;。！？；।؟]+|\n+|$)")


def _sentences(text: str) -> list[tuple[int, int]]:
    """Return the spans of text's sentences, each with its closing punctuation."""
    return [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if _has_words(m.group())]


def _region(sentences: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]] | None:
    """Return the sentences that text[start:end] touches, if any."""
    touched = [(low, high) for low, high in sentences if low < end and start < high]
    return touched or None


def _evidence(
    segments: list[_Segment], old: str, new: str, span: tuple[int, int], found: tuple[int, int]
) -> list[str] | None:
    """Return the runs of the passage's words kept in new[found], if they bear it out.

    They bear it out when, of the passage old[span]'s words, more than half are kept word
    for word or stand lightly edited (appeal to appeals) in the same change, at least one
    is kept word for word, and found holds not many more words than the passage: a span
    that took in a sentence inserted or moved into the passage is not the passage.
    """
    (old_start, old_end), (start, end) = span, found
    total = len(_word_spans(old[old_start:old_end]))
    runs: list[str] = []
    near = 0
    for segment in segments:
        low, high = max(old_start, segment.old_start), min(old_end, segment.old_end)
        new_low, new_high = max(start, segment.new_start), min(end, segment.new_end)
        if segment.equal and low < high:
            shift = segment.new_start - segment.old_start
            if start <= low + shift and high + shift <= end and _has_words(old[low:high]):
                runs.append(old[low:high])
        elif not segment.equal and low < high and new_low < new_high:
            near += _near_words(old[low:high], new[new_low:new_high])
    kept = sum(len(_word_spans(run)) for run in runs)
    found_words = len(_word_spans(new[start:end]))
    if not kept or (kept + near) * 2 <= total or found_words * 2 > total * 3 + 2:
        return None
    return runs


def _shared(old: str, new: str) -> tuple[int, int]:
    """Return how many words two sentences share in order, and the larger word count."""
    old_tokens, new_tokens = words.tokenise(old), words.tokenise(new)
    ops = words.diff([t.casefold() for t in old_tokens], [t.casefold() for t in new_tokens])
    shared = sum(
        len(_word_spans(old[s.old_start : s.old_end]))
        for s in _segments(ops, old_tokens, new_tokens)
        if s.equal
    )
    return shared, max(len(_word_spans(old)), len(_word_spans(new)))


def _near_words(old: str, new: str) -> int:
    """Return how many words of old stand lightly edited in new, in order, each once."""
    new_words = [new[a:b].casefold() for a, b in _word_spans(new)]
    count = at = 0
    for a, b in _word_spans(old):
        word = old[a:b].casefold()
        for n in range(at, len(new_words)):
            if _similarity(word, new_words[n]) >= FUZZY_MIN:
                count, at = count + 1, n + 1
                break
    return count


def _word_chars(text: str) -> int:
    """Return how many characters of text are in words."""
    return sum(end - start for start, end in _word_spans(text))


def _count(text: str, pattern: str) -> int:
    """Return how many times pattern occurs in text, overlapping occurrences included."""
    return sum(1 for _ in _find_all(text, pattern))


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
    for start, end in _word_spans(text):
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
    # rapidfuzz computes the exact distance (no time limit, so always the same answer).
    return Levenshtein.normalized_similarity(a, b)


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


# words.is_word runs a regular expression per token; anchoring asks about the same few
# thousand tokens again and again, so the answers are kept.
_is_word = lru_cache(maxsize=65536)(words.is_word)


@lru_cache(maxsize=8192)
def _word_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of every word token in text, as words.word_spans does."""
    spans, at = [], 0
    for token in words.tokenise(text):
        if _is_word(token):
            spans.append((at, at + len(token)))
        at += len(token)
    return spans


def _has_words(text: str) -> bool:
    """Tell whether text holds at least one word, as words.has_words does."""
    return bool(_word_spans(text))
