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
    return [(_DMP_OPS[op], len(text)) for op, text in diffs]


def _fast_backend(a: str, b: str) -> list[tuple[Op, int]]:
    diffs = fast_diff_match_patch.diff(
        a, b, timelimit=0, checklines=False, cleanup="No", counts_only=True
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
    # Empty runs are dropped first: an empty equal run would split one change in two.
    for op, n in chain([(o, c) for o, c in ops if c], [(EQUAL, 0)]):
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


def is_space(token: Hashable) -> bool:
    """Tell whether a token is whitespace, which the diff never uses to pair text up."""
    return isinstance(token, str) and token.isspace()


def diff(
    old: Sequence[Hashable],
    new: Sequence[Hashable],
    score: Callable[[Hashable | None, Hashable | None], int] = text_score,
    space: Callable[[Hashable], bool] = is_space,
) -> list[tuple[Op, int]]:
    """Diff two token sequences into (op, token count) runs, deletions before insertions.

    Only the tokens that are not whitespace are aligned: the spaces between words are all
    alike, so a diff that counted them would rather pair up every space of two different
    sentences than keep a moved sentence whole. Whitespace then follows its neighbours: it
    is kept where it is the same between two kept tokens, and goes with a change otherwise.
    """
    if space is is_space and all(isinstance(t, str) for t in (*old[:1], *new[:1])):
        old_at = [i for i, token in enumerate(old) if not token.isspace()]  # the common case,
        new_at = [j for j, token in enumerate(new) if not token.isspace()]  # without calls
    else:
        old_at = [i for i, token in enumerate(old) if not space(token)]
        new_at = [j for j, token in enumerate(new) if not space(token)]
    a, b = _encode([old[i] for i in old_at], [new[j] for j in new_at])
    core = _semantic_cleanup(_canonical(BACKENDS[BACKEND](a, b)))
    return _slide(_with_spaces(core, old, new, old_at, new_at), old, new, score)


# The longest kept run of tokens that a rewrite around it may swallow (see below).
GLUE_TOKENS = 4


def _semantic_cleanup(ops: list[tuple[Op, int]]) -> list[tuple[Op, int]]:
    # diff-match-patch's semantic cleanup: a kept run shorter than the change on each side
    # of it is a coincidence inside a rewrite ("may" kept between two rewritten phrases),
    # so it becomes part of the change. (Strictly shorter: spaces are not counted here, and
    # with them a kept word is always longer than a one-word change beside it.) On words,
    # not letters, a long kept run is never a coincidence: a sentence that moved stays
    # kept rather than the whole passage showing as rewritten, so only runs of up to
    # GLUE_TOKENS tokens are swallowed.
    ops = list(ops)
    k = 1
    while k < len(ops) - 1:
        op, count = ops[k]
        if op == EQUAL and count <= GLUE_TOKENS:
            before, after = _change_size(ops, k, -1), _change_size(ops, k, 1)
            if count < before and count < after:
                ops[k : k + 1] = [(DELETE, count), (INSERT, count)]
                ops = _canonical(ops)
                k = 1
                continue
        k += 1
    return ops


def _change_size(ops: list[tuple[Op, int]], k: int, step: int) -> int:
    # The larger side (deleted or inserted tokens) of the change next to ops[k], if any.
    deleted = inserted = 0
    k += step
    while 0 <= k < len(ops) and ops[k][0] != EQUAL:
        deleted += ops[k][1] if ops[k][0] == DELETE else 0
        inserted += ops[k][1] if ops[k][0] == INSERT else 0
        k += step
    return max(deleted, inserted)


def _with_spaces(
    core: list[tuple[Op, int]],
    old: Sequence[Hashable],
    new: Sequence[Hashable],
    old_at: list[int],
    new_at: list[int],
) -> list[tuple[Op, int]]:
    # Turn a diff of the tokens that are not whitespace back into a diff of all tokens.
    ops: list[tuple[Op, int]] = []
    p = q = 0  # next token of old and of new not yet in ops
    x = y = 0  # next aligned token of old and of new

    def gap(old_end: int, new_end: int) -> None:
        # Whitespace both sides have between the same neighbours is kept, else it changed.
        nonlocal p, q
        if old[p:old_end] == new[q:new_end]:
            ops.append((EQUAL, old_end - p))
        else:
            ops.extend([(DELETE, old_end - p), (INSERT, new_end - q)])
        p, q = old_end, new_end

    k = 0
    while k < len(core):
        op, count = core[k]
        if op == EQUAL:
            old_end, new_end = old_at[x + count - 1] + 1, new_at[y + count - 1] + 1
            gap(old_at[x], new_at[y])
            if old[p:old_end] == new[q:new_end]:  # the spaces within the run are kept too
                ops.append((EQUAL, old_end - p))
                p, q, x, y = old_end, new_end, x + count, y + count
            else:
                for _ in range(count):
                    gap(old_at[x], new_at[y])
                    ops.append((EQUAL, 1))
                    p, q, x, y = old_at[x] + 1, new_at[y] + 1, x + 1, y + 1
            k += 1
            continue
        deleted = inserted = 0
        while k < len(core) and core[k][0] != EQUAL:
            deleted += core[k][1] if core[k][0] == DELETE else 0
            inserted += core[k][1] if core[k][0] == INSERT else 0
            k += 1
        # A replacement keeps the whitespace both sides have before it outside the change.
        if deleted and inserted and old[p : old_at[x]] == new[q : new_at[y]]:
            ops.append((EQUAL, old_at[x] - p))
            p, q = old_at[x], new_at[y]
        if deleted:
            ops.append((DELETE, old_at[x + deleted - 1] + 1 - p))
            p, x = old_at[x + deleted - 1] + 1, x + deleted
        if inserted:
            ops.append((INSERT, new_at[y + inserted - 1] + 1 - q))
            q, y = new_at[y + inserted - 1] + 1, y + inserted
    gap(len(old), len(new))
    return _canonical(op for op in ops if op[1])
