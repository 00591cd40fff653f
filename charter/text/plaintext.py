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


@dataclass(frozen=True)
class Segment:
    """A stretch of the text that the same threads cover: cut at every passage boundary."""

    start: int
    end: int
    threads: int


def passage_segments(passages: list[tuple[int, int, int]]) -> list[Segment]:
    """Cut (start, end, threads) passages at every boundary and count what covers each piece.

    Passages may overlap; the pieces do not, so each piece of text gets one mark that says
    how many threads are on those words.
    """
    changes: dict[int, int] = {}
    for start, end, threads in passages:
        if 0 <= start < end and threads > 0:
            changes[start] = changes.get(start, 0) + threads
            changes[end] = changes.get(end, 0) - threads
    segments, covering = [], 0
    cuts = sorted(changes)
    for here, there in zip(cuts, cuts[1:], strict=False):
        covering += changes[here]
        if covering > 0:
            segments.append(Segment(here, there, covering))
    return segments


def threads_label(threads: int) -> str:
    return f"{threads} thread{'' if threads == 1 else 's'} on these words"


class _Marker(HTMLParser):
    def __init__(self, segments: list[Segment]):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.pos = 0
        self.segments = segments
        self.next = 0  # the first segment that may still reach text to come

    def _emit_text(self, data: str) -> None:
        start, end = self.pos, self.pos + len(data)
        at = start
        while self.next < len(self.segments) and self.segments[self.next].end <= start:
            self.next += 1
        n = self.next
        while n < len(self.segments) and self.segments[n].start < end:
            segment = self.segments[n]
            a, b = max(segment.start, start), min(segment.end, end)
            self.out.append(html.escape(data[at - start : a - start], quote=False))
            piece = data[a - start : b - start]
            # Whitespace between list items or table cells cannot hold a mark.
            if piece.strip():
                label = threads_label(segment.threads)
                self.out.append(
                    f'<mark class="comment-mark" data-on="{segment.start}-{segment.end}" '
                    f'data-threads="{segment.threads}" title="{label}">'
                    f"{html.escape(piece, quote=False)}</mark>"
                )
            else:
                self.out.append(html.escape(piece, quote=False))
            at = b
            if segment.end > end:
                break
            n += 1
        self.out.append(html.escape(data[at - start :], quote=False))
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


def mark_passages(rendered_html: str, segments: list[Segment]) -> str:
    """Wrap each segment of the plain text in <mark> elements, tag by tag.

    A segment crossing element boundaries becomes several marks, each naming the segment's
    offsets (data-on) and its count of threads (data-threads and title). The count is not
    text inside the mark, so offsets of a selection in the page stay those of the plain text.
    """
    if not segments:
        return rendered_html
    marker = _Marker(sorted(segments, key=lambda s: s.start))
    marker.feed(rendered_html)
    marker.close()
    return "".join(marker.out)
