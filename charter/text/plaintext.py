"""The plain text a reader sees in rendered HTML, its paragraphs, and highlights placed in it.

Offsets count code points in the concatenated text of every text node, which is what a
browser's `textContent` gives for the same HTML; so a passage a reader selects in the page
and the passage found here are the same characters.
"""

import html
from dataclasses import dataclass
from html.parser import HTMLParser

BLOCKS = frozenset({"p", "li", "h3", "h4", "h5", "h6", "blockquote", "pre", "td", "th"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link"})


@dataclass(frozen=True)
class Block:
    """One paragraph-like element: where its text starts and ends, and its words."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class PlainText:
    text: str
    blocks: tuple[Block, ...]


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.length = 0
        self.open_blocks: list[int] = []
        self.blocks: list[Block] = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.open_blocks.append(self.length)

    def handle_endtag(self, tag):
        if tag in BLOCKS and self.open_blocks:
            start = self.open_blocks.pop()
            # Only innermost blocks: a list item inside a blockquote, not the blockquote.
            if not any(b.start >= start for b in self.blocks):
                words = "".join(self.parts)[start : self.length].strip()
                if words:
                    self.blocks.append(Block(start, self.length, words))
            else:
                self.blocks.sort(key=lambda b: b.start)

    def handle_data(self, data):
        self.parts.append(data)
        self.length += len(data)


def plain_text(rendered_html: str) -> PlainText:
    """Return the text of rendered HTML and its paragraph-like blocks, in reading order."""
    reader = _Reader()
    reader.feed(rendered_html)
    reader.close()
    blocks = tuple(sorted(reader.blocks, key=lambda b: b.start))
    return PlainText(text="".join(reader.parts), blocks=blocks)


class _Highlighter(HTMLParser):
    def __init__(self, spans: list[tuple[int, int, str]]):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.pos = 0
        # Boundaries: where a highlight opens or closes, in text offsets.
        self.spans = spans
        self.marked: set[str] = set()

    def _emit_text(self, data: str) -> None:
        start = self.pos
        end = start + len(data)
        cuts = sorted(
            {start, end}
            | {s for s, _, _ in self.spans if start < s < end}
            | {e for _, e, _ in self.spans if start < e < end}
        )
        for a, b in zip(cuts, cuts[1:], strict=False):
            text = data[a - start : b - start]
            piece = html.escape(text, quote=False)
            names = [name for s, e, name in self.spans if s <= a and b <= e]
            # Whitespace between list items or table cells cannot hold a mark.
            if not names or not text.strip():
                self.out.append(piece)
                continue
            fresh = [n for n in names if n not in self.marked]
            self.marked.update(fresh)
            targets = "".join(f'<span id="mark-{n}"></span>' for n in fresh[1:])
            id_attr = f' id="mark-{fresh[0]}"' if fresh else ""
            self.out.append(
                f'{targets}<mark class="comment-mark" data-comments="{" ".join(names)}"{id_attr}>'
                f"{piece}</mark>"
            )
        self.pos = end

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag not in _VOID:
            self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self._emit_text(data)


def highlight(rendered_html: str, spans: list[tuple[int, int, str]]) -> str:
    """Wrap each (start, end, name) span of the plain text in <mark> elements, tag by tag.

    A span crossing element boundaries becomes several marks; overlapping spans share marks
    that name every comment they belong to. The first mark of each span gets an id, so the
    comment can link to its words.
    """
    spans = [(s, e, n) for s, e, n in spans if 0 <= s < e]
    if not spans:
        return rendered_html
    highlighter = _Highlighter(sorted(spans))
    highlighter.feed(rendered_html)
    highlighter.close()
    return "".join(highlighter.out)
