"""Compare two wordings word by word and show the changes inline, side by side or rendered.

The diff runs on the tokens of `charter.text.words` (words, whitespace runs, punctuation
runs), never on letters, so a changed word always shows as the whole old word deleted and
the whole new word inserted; anchoring and merging cut text and diff it the same way.

Callers may cache results by (old content hash, new content hash): every function here is
pure, and `compare` also keeps a small in-process cache keyed on the texts themselves.
"""

import html
import re
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Literal, NamedTuple
from urllib.parse import urlsplit

from charter.text import words
from charter.text.words import DELETE, EQUAL, INSERT, Op, tokenise

__all__ = ["DELETE", "EQUAL", "INSERT", "Op", "tokenise"]


class Part(NamedTuple):
    """A run of text that is equal in both wordings, or only in the old or only in the new."""

    op: Op
    text: str


class Row(NamedTuple):
    """One paragraph of a side-by-side view: its old parts (equal and delete), its new parts."""

    old: tuple[Part, ...]
    new: tuple[Part, ...]


@dataclass(frozen=True)
class Summary:
    """How many runs of words were inserted and deleted."""

    insertions: int
    deletions: int

    @property
    def text(self) -> str:
        """Return the summary as words, e.g. "3 insertions, 1 deletion"."""
        if not (self.insertions or self.deletions):
            return "no changes"
        return f"{_count(self.insertions, 'insertion')}, {_count(self.deletions, 'deletion')}"

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Comparison:
    """The tracked changes between two wordings, immutable so that it can be cached."""

    parts: tuple[Part, ...]
    summary: Summary

    @property
    def changed(self) -> bool:
        """Return whether the two wordings differ."""
        return any(part.op != EQUAL for part in self.parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _diff(
    old: Sequence[Hashable],
    new: Sequence[Hashable],
    score: Callable[[Hashable | None, Hashable | None], int],
    space: Callable[[Hashable], bool] = words.is_space,
) -> list[tuple[Op, int]]:
    return words.diff(old, new, score, space)


def _space_key(key: Hashable) -> bool:
    # A rendered-view token's key is ("text", text, path) for text, ("open", ...) for blocks.
    return key[0] == "text" and key[1].isspace()


_text_score = words.text_score


def diff_tokens(old: Sequence[str], new: Sequence[str]) -> tuple[Part, ...]:
    """Diff two token lists into merged equal, delete and insert parts."""
    parts = []
    o = n = 0
    for op, count in _diff(old, new, _text_score):
        if op == INSERT:
            parts.append(Part(op, "".join(new[n : n + count])))
            n += count
        else:
            parts.append(Part(op, "".join(old[o : o + count])))
            o += count
            n += count if op == EQUAL else 0
    return tuple(parts)


def diff_words(old: str, new: str) -> tuple[Part, ...]:
    """Diff two texts word by word into merged equal, delete and insert parts."""
    return diff_tokens(tokenise(old), tokenise(new))


def old_text(parts: Iterable[Part]) -> str:
    """Rebuild the old text from its equal and deleted parts."""
    return "".join(text for op, text in parts if op != INSERT)


def new_text(parts: Iterable[Part]) -> str:
    """Rebuild the new text from its equal and inserted parts."""
    return "".join(text for op, text in parts if op != DELETE)


def summarise(parts: Iterable[Part]) -> Summary:
    """Count the inserted and the deleted runs, as a reader sees them marked."""
    # Runs, not words: "3 insertions" then matches the three marks on the page, and a
    # reworded phrase counts once rather than once per word.
    ops = [op for op, _ in parts]
    return Summary(insertions=ops.count(INSERT), deletions=ops.count(DELETE))


@lru_cache(maxsize=1024)
def compare(old: str, new: str) -> Comparison:
    """Return the cached, immutable tracked changes between two texts."""
    parts = diff_words(old, new)
    return Comparison(parts=parts, summary=summarise(parts))


# --- Inline and side-by-side views of the source -------------------------------------------

_MARK = {
    DELETE: ("del", "deleted: ", " (end deleted)"),
    INSERT: ("ins", "inserted: ", " (end inserted)"),
}


def _open_mark(op: Op) -> str:
    tag, label, _ = _MARK[op]
    return f'<{tag}><span class="visually-hidden">{label}</span>'


def _close_mark(op: Op) -> str:
    tag, _, label = _MARK[op]
    return f'<span class="visually-hidden">{label}</span></{tag}>'


# Between a deletion and the insertion that replaces it: a visible arrow with room either
# side, so "12" then "6" never reads as "126", and words for screen readers.
REPLACED_BY = (
    '<span class="replaced-by"><span aria-hidden="true">→</span>'
    '<span class="visually-hidden"> replaced by </span></span>'
)


def separate_replacements(marked_html: str) -> str:
    """Put a "replaced by" marker wherever a deletion is directly followed by an insertion."""
    # Only where the two marks touch: a deletion, other words, then an insertion is no
    # replacement. The marks are ours, written by _open_mark and _close_mark.
    touching = _close_mark(DELETE) + _open_mark(INSERT)
    return marked_html.replace(touching, _close_mark(DELETE) + REPLACED_BY + _open_mark(INSERT))


PARAGRAPH_MARK = "\u00b6"  # shows a line break a change adds or removes


def render_inline(parts: Iterable[Part]) -> str:
    """Render parts as escaped HTML, changes in labelled <del> and <ins> elements."""
    # Meant for an element styled `white-space: pre-wrap`, so the source's line breaks show.
    out = []
    for op, text in parts:
        shown = html.escape(text, quote=False)
        if op == EQUAL:
            out.append(shown)
            continue
        if text.isspace() and "\n" in text:
            shown = PARAGRAPH_MARK + shown  # a changed line break would otherwise be invisible
        out.append(_open_mark(op) + shown + _close_mark(op))
    return "".join(out)


_PARAGRAPH_BREAK = re.compile(r"(\n(?:[^\S\n]*\n)+)")


def side_by_side(parts: Iterable[Part]) -> tuple[Row, ...]:
    """Align the old and the new side paragraph by paragraph, blank lines left out."""
    rows: list[Row] = []
    old: list[Part] = []
    new: list[Part] = []

    def end_row() -> None:
        if old or new:
            rows.append(Row(tuple(old), tuple(new)))
        old.clear()
        new.clear()

    for op, text in parts:
        pieces = _PARAGRAPH_BREAK.split(text)
        for i, piece in enumerate(pieces):
            # A paragraph break both sides share ends the row; one inside a change ends it only
            # while the other side is empty, so that an added paragraph gets a row of its own.
            if i % 2 and (op == EQUAL or not (old if op == INSERT else new)):
                end_row()
                continue
            if not piece:
                continue
            if op != INSERT:
                old.append(Part(op, piece))
            if op != DELETE:
                new.append(Part(op, piece))
    end_row()
    return tuple(rows)


# --- The rendered view ---------------------------------------------------------------------

_PHRASING = frozenset({"a", "strong", "em", "code", "b", "i", "sub", "sup", "span", "br"})
_VOID = frozenset({"br", "hr"})
# Text directly inside these is only the layout whitespace between their children.
_CONTAINERS = frozenset({"", "ul", "ol", "blockquote", "table", "thead", "tbody", "tr"})
_LINE_AFTER_OPEN = _CONTAINERS | {"hr"}  # only to make the HTML easier to read

Element = tuple[str, tuple[tuple[str, str], ...]]


class _Token(NamedTuple):
    kind: Literal["open", "text", "void"]  # "open" marks the start of a block element
    text: str
    path: tuple[Element, ...]  # the elements the token sits in, outermost first
    key: Hashable  # what the diff compares


def _path_key(path: tuple[Element, ...], content: bool = True) -> tuple[Hashable, ...]:
    # Only a link's target counts beyond the tag: a list renumbered from 3 to 4 should not
    # show as every item deleted and inserted again. Nor should a list whose items gain a
    # blank line between them: for content, a paragraph inside a list item is no paragraph.
    return tuple(
        tag if tag != "a" else (tag, dict(attrs).get("href"))
        for i, (tag, attrs) in enumerate(path)
        if not (content and tag == "p" and i and path[i - 1][0] == "li")
    )


def _token(kind: Literal["open", "void"], path: tuple[Element, ...]) -> _Token:
    return _Token(kind, "", path, (kind, "", _path_key(path, content=kind == "void")))


def _html_score(left: Hashable | None, right: Hashable | None) -> int:
    # Prefer a change to start where a block starts, so a removed paragraph takes its own
    # boundary with it rather than its neighbour's.
    if left is None or right is None:
        return 6
    if right[0] == "open":
        return 5
    if left[0] == "open":
        return 0
    return _text_score(left[1] or "\n", right[1] or "\n")


class _Flattener(HTMLParser):
    """Turn sanitised HTML into tokens that each carry the elements they sit in."""

    def __init__(self, tags: frozenset[str], attributes: dict[str, list[str]], protocols):
        super().__init__(convert_charrefs=True)
        self.tags, self.attributes, self.protocols = tags, attributes, protocols
        self.stack: list[Element] = []
        self.tokens: list[_Token] = []
        self.spacing: str | None = None  # whitespace not yet known to be text or layout

    def flatten(self, source: str) -> list[_Token]:
        """Return the tokens of an HTML fragment."""
        self.feed(source)
        self.close()
        self.settle(False)
        return self.tokens

    def settle(self, inline: bool) -> None:
        # Whitespace next to a block's start or end is layout ("<li>\n<p>" in a loose list);
        # next to inline content it separates words. Dropping layout keeps a list that
        # gains blank lines between its items from showing as changed.
        spacing, self.spacing = self.spacing, None
        if spacing is not None and inline:
            self.text(spacing)

    def text(self, data: str) -> None:
        path = tuple(self.stack)
        key = _path_key(path)
        # Outside preformatted text any run of whitespace shows as one space, so compare it so.
        verbatim = any(tag == "pre" for tag, _ in path)
        self.tokens.extend(
            _Token("text", t, path, ("text", " " if t.isspace() and not verbatim else t, key))
            for t in tokenise(data)
        )

    def handle_starttag(self, tag, attrs):
        self.settle(tag in _PHRASING or tag not in self.tags)
        if tag not in self.tags:
            return  # re-emit only what the sanitiser allows, whatever we were given
        kept = []
        for name, value in attrs:
            if value is None or name not in self.attributes.get(tag, ()):
                continue
            if name == "href" and urlsplit(value).scheme.lower() not in {"", *self.protocols}:
                continue
            kept.append((name, value))
        element = (tag, tuple(kept))
        if tag == "a" and not dict(kept).get("href"):
            return  # a link without a safe target is shown as its text
        if tag in _VOID:
            self.tokens.append(_token("void", (*self.stack, element)))
            return
        self.stack.append(element)
        if tag not in _PHRASING:
            self.tokens.append(_token("open", tuple(self.stack)))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        self.settle(tag in _PHRASING or tag not in self.tags)
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.settle(True)
        if not data.isspace() or any(tag == "pre" for tag, _ in self.stack):
            self.text(data)
        elif (self.stack[-1][0] if self.stack else "") not in _CONTAINERS:
            self.spacing = data


def _is_inline(tag: str) -> bool:
    return tag.startswith("#") or tag in _PHRASING


class _Writer:
    """Write tokens back as HTML, opening and closing elements and change marks as needed."""

    def __init__(self):
        self.out: list[str] = []
        self.stack: list[Element] = []  # open elements; ("#delete", ()) is a change mark

    def close_to(self, depth: int) -> None:
        while len(self.stack) > depth:
            tag = self.stack.pop()[0]
            if tag.startswith("#"):
                self.out.append(_close_mark(tag[1:]))
            else:
                self.out.append(f"</{tag}>" if tag in _PHRASING else f"</{tag}>\n")

    def open(self, element: Element) -> None:
        tag, attrs = element
        attributes = "".join(f' {k}="{html.escape(v)}"' for k, v in attrs)
        self.out.append(f"<{tag}{attributes}>" + ("\n" if tag in _LINE_AFTER_OPEN else ""))
        if tag not in _VOID:
            self.stack.append(element)

    def _reach(self, path: tuple[Element, ...], op: Op | None) -> tuple[int, int | None]:
        # How many elements of path are open, and where a mark for op is that may stay open.
        depth = 0
        mark_at = None  # there is never more than one mark on the stack
        for i, entry in enumerate(self.stack):
            if entry[0] == f"#{op}":
                mark_at = i
            elif depth < len(path) and entry == path[depth]:
                depth += 1
            else:
                break
        # A <del> or <ins> may hold phrasing content only, so never open a block inside one.
        if mark_at is not None and any(tag not in _PHRASING for tag, _ in path[depth:]):
            return mark_at, None
        return depth, mark_at

    def in_mark(self, path: tuple[Element, ...], op: Op) -> bool:
        """Return whether text at path can join a mark for op that is already open."""
        return self._reach(path, op)[1] is not None

    def move_to(self, path: tuple[Element, ...], op: Op | None) -> None:
        """Make path the open elements, inside a mark for op unless op is None or equal."""
        depth, mark_at = self._reach(path, op)
        self.close_to(depth + (mark_at is not None))
        for element in path[depth:]:
            self.open(element)
        if op in (DELETE, INSERT) and mark_at is None:
            self.stack.append((f"#{op}", ()))
            self.out.append(_open_mark(op))

    def leave_phrasing(self) -> None:
        """Close change marks and inline elements, back to the enclosing block."""
        keep = len(self.stack)
        while keep and _is_inline(self.stack[keep - 1][0]):
            keep -= 1
        self.close_to(keep)


def _link_note(deleted: list[_Token], inserted: list[_Token]) -> str:
    # A link whose target changed looks the same on the page, so the change is said in words,
    # unless the link text is the address itself and so already shows the change.
    def targets(tokens):
        found = (dict(attrs)["href"] for t in tokens for tag, attrs in t.path if tag == "a")
        return list(dict.fromkeys(found))

    def shown(tokens, targets):
        text = "".join(t.text for t in tokens)
        return all(target.removeprefix("mailto:") in text for target in targets)

    was, now = targets(deleted), targets(inserted)
    if not (was and now and was != now) or (shown(deleted, was) and shown(inserted, now)):
        return ""
    return (
        f'<span class="diff-note">(link target changed from {html.escape(", ".join(was))} '
        f"to {html.escape(', '.join(now))})</span>"
    )


def diff_rendered_html(old_html: str, new_html: str) -> str:
    """Show the changes between two rendered clause bodies within the formatted text."""
    from charter.text.markdown import ALLOWED_ATTRIBUTES, ALLOWED_PROTOCOLS, ALLOWED_TAGS

    def flatten(source: str) -> list[_Token]:
        return _Flattener(ALLOWED_TAGS, ALLOWED_ATTRIBUTES, ALLOWED_PROTOCOLS).flatten(source)

    old, new = flatten(old_html), flatten(new_html)
    runs: list[tuple[Op, list[_Token]]] = []
    o = n = 0
    keys = [t.key for t in old], [t.key for t in new]
    for op, count in _diff(*keys, _html_score, _space_key):
        # Equal tokens take the new side's attributes (a list's new start number, say).
        side, pos = (old, o) if op == DELETE else (new, n)
        runs.append((op, side[pos : pos + count]))
        o += count if op != INSERT else 0
        n += count if op != DELETE else 0

    writer = _Writer()
    for i, (op, tokens) in enumerate(runs):
        verbatim = any(tag == "pre" for t in tokens for tag, _ in t.path)
        spacing = [t.kind == "text" and t.text.isspace() and not verbatim for t in tokens]
        content = [j for j, t in enumerate(tokens) if t.kind != "open" and not spacing[j]]
        if not content and op != EQUAL:
            if op == DELETE:
                continue  # removed spacing has nothing to show outside preformatted text
            op = EQUAL  # added spacing is shown as it now is, unmarked
        at = None  # the path after the last text written, while nothing else was
        for j, token in enumerate(tokens):
            if token.kind == "text":
                # Spacing joins a mark already open but opens none: a mark holding only
                # layout whitespace would be announced with nothing in it.
                mark = op if not spacing[j] or writer.in_mark(token.path, op) else EQUAL
                if token.path is not at or mark != op:
                    writer.move_to(token.path, mark)
                    at = token.path if mark == op else None
                writer.out.append(html.escape(token.text, quote=False))
                continue
            at = None
            if token.kind == "void":
                writer.move_to(token.path[:-1], op)
                writer.open(token.path[-1])
            elif op != DELETE or (content and j < content[-1]):
                # A deleted block is shown only if some of its content is deleted with it.
                writer.move_to(token.path[:-1], None)
                writer.open(token.path[-1])
        if op == INSERT and i and runs[i - 1][0] == DELETE:
            note = _link_note(runs[i - 1][1], tokens)
            if note:
                writer.leave_phrasing()
                writer.out.append(note)
    writer.close_to(0)
    return "".join(writer.out).rstrip("\n")


def render_markdown_diff(old_markdown: str, new_markdown: str) -> str:
    """Render two Markdown wordings and show their changes within the formatted text."""
    from charter.text.markdown import render_markdown

    return diff_rendered_html(render_markdown(old_markdown), render_markdown(new_markdown))
