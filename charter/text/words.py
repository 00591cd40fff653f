"""One definition of a word, and one diff over words, for everything in charter/text.

Diffing, anchoring and merging all cut text with `tokenise` and compare token lists with
`diff`, so "where a word starts" and "what changed" mean the same thing everywhere: a
passage a comment is anchored to, a change shown as tracked, and a hunk merged onto a
newer wording are made of the same tokens.

A token is one of:
- a word: letters, digits, combining marks, joiners (ZWNJ, ZWJ) and connector punctuation,
  so a Devanagari or pointed Hebrew word, an accented letter typed as two code points and
  snake_case are each one word;
- one character of a script written without spaces between words (Chinese, Japanese
  hiragana), or a run of katakana, as Unicode's default word boundaries (UAX #29) cut them;
- a run of whitespace;
- a run of anything else: punctuation, symbols and emoji sequences.
Tokens always join back to the text they came from.

The diff has no time limit, so the same two texts always give the same result whatever
the load on the machine: results are stored and cached across workers.
"""

import re
import sys
from collections.abc import Callable, Hashable, Iterable, Sequence
from itertools import chain
from typing import Literal

import regex
from diff_match_patch import diff_match_patch

try:  # The C++ port is about four times faster; the pure-Python package is the fallback.
    import fast_diff_match_patch
except ImportError:  # pragma: no cover - depends on the environment
    fast_diff_match_patch = None

# --- Tokens --------------------------------------------------------------------------------

_IDEOGRAPHIC = r"\p{Han}\p{Hiragana}"
_KATAKANA = r"\p{Katakana}\u30fc"  # with the prolonged sound mark, which is script Common
_TOKEN = regex.compile(
    rf"""
      [{_IDEOGRAPHIC}]\p{{M}}*                          # one ideograph or hiragana
    | (?:[{_KATAKANA}]\p{{M}}*)+                         # a katakana word
    | [^\W\p{{M}}\u200c\u200d{_IDEOGRAPHIC}{_KATAKANA}]  # a word starts with a letter or digit
      [^\W{_IDEOGRAPHIC}{_KATAKANA}]*                   # and goes on through marks and joiners
    | \s+
    | (?:[^\w\s]|[\p{{M}}\u200c\u200d])+                # punctuation, symbols, emoji sequences
    """,
    regex.VERBOSE,
)
# For ASCII text the same tokens, found about twice as fast.
_ASCII_TOKEN = re.compile(r"\w+|\s+|[^\w\s]+", re.ASCII)
_WORD_START = regex.compile(r"\w")


def tokenise(text: str) -> list[str]:
    """Split text into words, whitespace runs and other runs that join back to it."""
    if text.isascii():
        return _ASCII_TOKEN.findall(text)
    return _TOKEN.findall(text)


def is_word(token: str) -> bool:
    """Tell whether a token (as `tokenise` cuts them) is a word rather than space or punctuation."""
    return bool(token) and _WORD_START.match(token) is not None and not _is_marks_only(token)


def _is_marks_only(token: str) -> bool:
    # A run of stray marks or joiners is punctuation-like: it starts no word.
    return regex.fullmatch(r"[\p{M}\u200c\u200d]+", token) is not None


def has_words(text: str) -> bool:
    """Tell whether text holds at least one word."""
    return any(is_word(token) for token in tokenise(text))


def word_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of every word token in text."""
    spans, at = [], 0
    for token in tokenise(text):
        if is_word(token):
            spans.append((at, at + len(token)))
        at += len(token)
    return spans


def boundaries(text: str) -> set[int]:
    """Return every index of text at which a token starts or ends."""
    found, at = {0}, 0
    for token in tokenise(text):
        at += len(token)
        found.add(at)
    return found


# --- The diff ------------------------------------------------------------------------------

Op = Literal["equal", "insert", "delete"]
EQUAL: Op = "equal"
INSERT: Op = "insert"
DELETE: Op = "delete"

# Token codes start at U+4E00 so that the first 20,992 are CJK ideographs, which
# diff-match-patch's semantic scoring sees as letters: it then never prefers one token
# boundary over another for the codes' sake (our own `_slide` scores the real tokens).
# Surrogates are skipped; codes run past U+FFFF into the astral planes when needed.
_CODE_POINTS = (range(0x4E00, 0xD800), range(0xE000, sys.maxunicode + 1))
_MAX_TOKENS = sum(len(r) for r in _CODE_POINTS)

_dmp = diff_match_patch()
# No time limit: with a limit the result would depend on machine load, and results are
# cached by content hash across workers, so the same pair must always give the same diff.
# Word tokens keep inputs short (a 150-word clause is ~300 codes), so an exact diff is cheap.
_dmp.Diff_Timeout = 0

_DMP_OPS = {-1: DELETE, 0: EQUAL, 1: INSERT}
_FAST_OPS = {"-": DELETE, "=": EQUAL, "+": INSERT}


def _pure_backend(a: str, b: str) -> list[tuple[Op, int]]:
    diffs = _dmp.diff_main(a, b, checklines=False)
    _dmp.diff_cleanupSemantic(diffs)
    return [(_DMP_OPS[op], len(text)) for op, text in diffs]


def _fast_backend(a: str, b: str) -> list[tuple[Op, int]]:
    diffs = fast_diff_match_patch.diff(
        a, b, timelimit=0, checklines=False, cleanup="Semantic", counts_only=True
    )
    return [(_FAST_OPS[op], n) for op, n in diffs]


BACKENDS: dict[str, Callable[[str, str], list[tuple[Op, int]]]] = {
    "diff-match-patch": _pure_backend
}
if fast_diff_match_patch is not None:
    BACKENDS["fast-diff-match-patch"] = _fast_backend
BACKEND = "fast-diff-match-patch" if fast_diff_match_patch is not None else "diff-match-patch"


def _encode(old: Sequence[Hashable], new: Sequence[Hashable]) -> tuple[str, str]:
    distinct = dict.fromkeys(chain(old, new))
    if len(distinct) > _MAX_TOKENS:
        raise ValueError(f"cannot diff more than {_MAX_TOKENS} distinct tokens")
    codes = dict(zip(distinct, map(chr, chain(*_CODE_POINTS)), strict=False))
    return "".join(map(codes.__getitem__, old)), "".join(map(codes.__getitem__, new))


def _canonical(ops: Iterable[tuple[Op, int]]) -> list[tuple[Op, int]]:
    # Join neighbours with the same op and put the deletion first in every change, so that
    # between two equal runs there is at most one delete followed by one insert.
    out: list[tuple[Op, int]] = []
    deleted = inserted = 0
    for op, n in chain(ops, [(EQUAL, 0)]):
        if op == DELETE:
            deleted += n
        elif op == INSERT:
            inserted += n
        else:
            out += [(o, c) for o, c in ((DELETE, deleted), (INSERT, inserted)) if c]
            deleted = inserted = 0
            if n:
                if out and out[-1][0] == EQUAL:
                    n += out.pop()[1]
                out.append((EQUAL, n))
    return out


def _slide(
    ops: list[tuple[Op, int]],
    old: Sequence[Hashable],
    new: Sequence[Hashable],
    score: Callable[[Hashable | None, Hashable | None], int],
) -> list[tuple[Op, int]]:
    # A lone insertion or deletion between two equal runs can often sit in several places
    # ("the data, the" inserted before or after "the"). diff-match-patch picks by scoring
    # the characters around each place, which here are token codes, so we redo that choice
    # on the real tokens: prefer blank lines, then line ends, sentence ends, spaces.
    ops = list(ops)
    o = n = 0
    for k, (op, count) in enumerate(ops):
        lone = 0 < k < len(ops) - 1 and ops[k - 1][0] == EQUAL == ops[k + 1][0]
        if op != EQUAL and lone:
            before, after = ops[k - 1][1], ops[k + 1][1]
            seq, pos = (old, o) if op == DELETE else (new, n)
            shift = _best_place(seq, pos - before, pos, count, pos + count + after, score) - pos
            ops[k - 1] = (EQUAL, before + shift)
            ops[k + 1] = (EQUAL, after - shift)
            o, n = o + shift, n + shift
        op, count = ops[k]
        o += count if op != INSERT else 0
        n += count if op != DELETE else 0
    return _canonical(ops)


def _best_place(
    seq: Sequence[Hashable],
    lo: int,
    pos: int,
    count: int,
    hi: int,
    score: Callable[[Hashable | None, Hashable | None], int],
) -> int:
    # Where in seq[lo:hi] the change seq[pos:pos + count] reads best, as diff-match-patch's
    # diff_cleanupSemanticLossless decides it: slide fully left, then right, ties go right.
    def at(p: int) -> int:
        left = seq[p - 1] if p > lo else None
        right = seq[p + count] if p + count < hi else None
        return score(left, seq[p]) + score(seq[p + count - 1], right)

    p = pos
    while p > lo and seq[p - 1] == seq[p + count - 1]:
        p -= 1
    best, best_score = p, at(p)
    while p + count < hi and seq[p] == seq[p + count]:
        p += 1
        if (s := at(p)) >= best_score:
            best, best_score = p, s
    return best


_BLANK_LINE_END = re.compile(r"\n\r?\n\Z")
_BLANK_LINE_START = re.compile(r"\A\r?\n\r?\n")


def text_score(left: str | None, right: str | None) -> int:
    """Score a boundary between two tokens as diff-match-patch's semantic cleanup does."""
    if not left or not right:
        return 6
    a, b = left[-1], right[0]
    if _BLANK_LINE_END.search(left) or _BLANK_LINE_START.match(right):
        return 5
    if a in "\r\n" or b in "\r\n":
        return 4
    if not a.isalnum() and not a.isspace() and b.isspace():
        return 3
    if a.isspace() or b.isspace():
        return 2
    if not a.isalnum() or not b.isalnum():
        return 1
    return 0


def diff(
    old: Sequence[Hashable],
    new: Sequence[Hashable],
    score: Callable[[Hashable | None, Hashable | None], int] = text_score,
) -> list[tuple[Op, int]]:
    """Diff two token sequences into (op, token count) runs, deletions before insertions."""
    a, b = _encode(old, new)
    ops = _canonical(BACKENDS[BACKEND](a, b))
    return _slide(ops, old, new, score)
