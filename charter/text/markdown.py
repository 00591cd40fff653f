"""Turn user Markdown into safe HTML: the only way Markdown becomes markup."""

import html
import re
import threading
from functools import lru_cache, partial

import bleach
import markdown
from bleach.linkifier import LinkifyFilter
from markdown import inlinepatterns
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

# A clause body sits below the page title (h1) and the clause heading (h2).
FIRST_BODY_HEADING_LEVEL = 3

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "code", "pre",
        "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": ["href", "title", "rel"], "ol": ["start"]}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow noopener"


class _ShiftHeadings(Treeprocessor):
    """Renumber headings so the highest one in a body becomes an h3."""

    def run(self, root):
        headings = [el for el in root.iter() if el.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}]
        if not headings:
            return
        shift = FIRST_BODY_HEADING_LEVEL - min(int(el.tag[1]) for el in headings)
        for el in headings:
            el.tag = f"h{min(6, int(el.tag[1]) + shift)}"


# Limits that keep every body's rendering fast and its nesting within Python's recursion limit.
# Python-Markdown recurses several frames per level of nesting, and html5lib and the diff walk the
# tree again, so thousands of nested list markers raise RecursionError.
MAX_NESTING = 8
# Each link with a quoted title is parsed by a scan of up to LINK_TARGET_WINDOW characters.
MAX_LINKS = 200
LINK_TARGET_WINDOW = 500
# Every [, *, _, `, \\ and | is a place where inline patterns are tried, and every line may start a
# block: each costs some microseconds. A charter clause of 10,000 characters has under 100 of
# those marks and 150 lines.
MAX_MARKS = 1_000
MARKS = "[*_`\\|"
MAX_LINES = 500
# Sanitising costs about as much per tag or escaped character as for a dozen letters of text, so
# a body that is almost all markup takes ten times as long as prose. A charter clause of
# 10,000 characters with tables, lists and links has about 220.
MAX_MARKUP = 800

_CONTAINER = re.compile(r"([ \t]*)(?:>|[*+-](?=[ \t])|\d{1,9}[.)](?=[ \t]))")
_GAP = re.compile(r"[ \t]*")
_BRACKETS = re.compile(r"[][]")
_PARENS = re.compile(r"[()]")


def _columns(space: str) -> int:
    return len(space) + 3 * space.count("\t")


def nesting_depth(text: str) -> int:
    """Estimate, never under, how deeply lists, quotes and indented blocks nest in a body."""
    deepest = 0
    for line in text.split("\n"):
        depth = pos = 0
        while found := _CONTAINER.match(line, pos):
            depth += 1 + _columns(found[1]) // 4
            pos = found.end()
        depth += _columns(_GAP.match(line, pos)[0]) // 4
        deepest = max(deepest, depth)
    return deepest


class _Matches:
    """Where each opening bracket in a text is closed, counted from the text's end.

    Python-Markdown looks for the end of every `[` by counting brackets to the end of the
    paragraph, so a run of unclosed ones takes time quadratic in its length. The distance from
    the end keeps an answer valid while earlier parts of the text become placeholders, which is
    how inline patterns rewrite it as they go.
    """

    def __init__(self, pattern: re.Pattern, opening: str):
        self.pattern, self.opening = pattern, opening
        self.text = ""
        self.known = 0  # answers for brackets this close to the end are right for self.text
        self.closers: dict[int, int] = {}

    def closer(self, data: str, at: int) -> int | None:
        """Return the index of what closes the bracket at `at` in data, or None."""
        distance = len(data) - at
        if data is not self.text:
            self.known = min(self.known, _shared_suffix(self.text, data))
            self.text = data
        if distance > self.known:
            self._learn(data)
        found = self.closers.get(distance)
        return None if found is None else len(data) - found

    def _learn(self, data: str) -> None:
        self.closers, waiting = {}, []
        for found in reversed(list(self.pattern.finditer(data))):
            distance = len(data) - found.start()
            if found[0] != self.opening:
                waiting.append(distance)
            elif waiting:
                self.closers[distance] = waiting.pop()
        self.known = len(data)


def _shared_suffix(a: str, b: str) -> int:
    low, high = 0, min(len(a), len(b))
    while low < high:
        middle = (low + high + 1) // 2
        if a.endswith(b[len(b) - middle :]):
            low = middle
        else:
            high = middle - 1
    return low


class _LinearLinks:
    """Find the ends of link text and link targets without rescanning the paragraph."""

    def _matches(self, kind: str) -> _Matches:
        cache = self.md.__dict__.setdefault("_charter_matches", {})
        if kind not in cache:
            cache[kind] = _Matches(_BRACKETS, "[") if kind == "[" else _Matches(_PARENS, "(")
        return cache[kind]

    def getText(self, data, index):  # noqa: N802 (python-markdown's API name)
        if index == 0 or data[index - 1] != "[":
            return super().getText(data, index)
        end = self._matches("[").closer(data, index - 1)
        if end is None:
            return "", len(data), False
        return data[index:end], end + 1, True

    def getLink(self, data, index):  # noqa: N802 (python-markdown's API name)
        found = self.RE_LINK.match(data, pos=index)
        if not found or found[1]:
            return super().getLink(data, index)
        start = found.end()
        end = self._matches("(").closer(data, index)
        limit = len(data) if end is None else end
        if "'" not in data[start:limit] and '"' not in data[start:limit]:
            # No title: the target is everything up to the matching parenthesis.
            if end is None:
                return "", None, len(data), False
            return self.unescape(data[start:end]).strip(), None, end + 1, True
        # A quoted title: Python-Markdown's own rules, within a bounded stretch of text.
        return super().getLink(data[: start + LINK_TARGET_WINDOW], index)


def _linear(cls: type) -> type:
    return type(f"Linear{cls.__name__}", (_LinearLinks, cls), {})


_LINK_PATTERNS = (
    (
        "reference",
        _linear(inlinepatterns.ReferenceInlineProcessor),
        inlinepatterns.REFERENCE_RE,
        170,
    ),
    ("link", _linear(inlinepatterns.LinkInlineProcessor), inlinepatterns.LINK_RE, 160),
    ("image_link", _linear(inlinepatterns.ImageInlineProcessor), inlinepatterns.IMAGE_LINK_RE, 150),
    (
        "image_reference",
        _linear(inlinepatterns.ImageReferenceInlineProcessor),
        inlinepatterns.IMAGE_REFERENCE_RE,
        140,
    ),
    (
        "short_reference",
        _linear(inlinepatterns.ShortReferenceInlineProcessor),
        inlinepatterns.REFERENCE_RE,
        130,
    ),
    (
        "short_image_ref",
        _linear(inlinepatterns.ShortImageReferenceInlineProcessor),
        inlinepatterns.IMAGE_REFERENCE_RE,
        125,
    ),
)


class _CharterMarkdown(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (python-markdown's API name)
        # Raw HTML is shown as the text the user typed, never passed through as markup.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        for name, cls, pattern, priority in _LINK_PATTERNS:
            md.inlinePatterns.register(cls(pattern, md), name, priority)
        md.treeprocessors.register(_ShiftHeadings(md), "shift_headings", 5)


def _set_link_rel(attrs, new=False):
    # A link whose unsafe target the sanitiser removed is left as plain text.
    if not attrs.get((None, "href")):
        return None
    attrs[(None, "rel")] = LINK_REL
    return attrs


# A bleach Cleaner keeps its html5lib parser and serializer state on the instance, so one
# shared between request threads mixes up their documents (empty output, or another
# clause's text). Each thread builds its own, once: about 3% of a render, paid once per thread.
_local = threading.local()


def _cleaner() -> bleach.Cleaner:
    cleaner = getattr(_local, "cleaner", None)
    if cleaner is None:
        cleaner = _local.cleaner = bleach.Cleaner(
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            protocols=ALLOWED_PROTOCOLS,
            strip=False,
            filters=[partial(LinkifyFilter, callbacks=[_set_link_rel], skip_tags={"pre", "code"})],
        )
    return cleaner


def _source_problems(text: str) -> list[str]:
    problems = []
    if nesting_depth(text) > MAX_NESTING:
        problems.append(
            f"Lists and quotes can sit inside each other at most {MAX_NESTING} levels deep; "
            "this wording goes deeper (count each indent of four spaces as a level)."
        )
    if text.count("](") > MAX_LINKS:
        problems.append(f"Use at most {MAX_LINKS} links in one wording.")
    if sum(text.count(mark) for mark in MARKS) > MAX_MARKS:
        problems.append(
            f"Use at most {MAX_MARKS:,} of the formatting characters {' '.join(MARKS)} "
            "in one wording."
        )
    if text.count("\n") >= MAX_LINES:
        problems.append(f"Keep the wording to {MAX_LINES} lines.")
    return problems


def _formatted(text: str) -> tuple[str | None, list[str]]:
    # The unsanitised HTML of a body, or None and why it cannot be shown formatted.
    problems = _source_problems(text)
    if problems:
        return None, problems
    try:
        html = markdown.markdown(
            text,
            extensions=[_CharterMarkdown(), "tables", "sane_lists", "fenced_code"],
            output_format="html",
        )
    except RecursionError:
        return None, ["Lists and quotes in this wording sit too deeply inside each other to show."]
    if html.count("<") + html.count("&") > MAX_MARKUP:
        return None, [
            "This wording has too much formatting or too many of the characters & < > to show "
            f"quickly (at most {MAX_MARKUP:,} formatting marks and such characters). "
            "Use plainer text."
        ]
    return html, []


def markdown_problems(text: str) -> list[str]:
    """List, in plain words, what stops a body from being shown as formatted text."""
    return _formatted(text)[1]


def _as_plain_text(text: str) -> str:
    # For a body the limits refuse (one stored before they existed, say): its words, unformatted.
    paragraphs = re.split(r"\n[ \t]*\n", text)
    return "\n".join(
        f"<p>{html.escape(paragraph.strip(), quote=False)}</p>"
        for paragraph in paragraphs
        if paragraph.strip()
    )


def render_markdown(text: str) -> str:
    """Render Markdown to sanitised HTML fit to mark as safe in a template.

    A body beyond the limits in `markdown_problems` is shown as escaped plain text instead, so
    no text can make a page slow or fail.
    """
    formatted, _ = _formatted(text)
    if formatted is None:
        return _as_plain_text(text)
    return _cleaner().clean(formatted)


@lru_cache(maxsize=512)
def rendered(text: str) -> str:
    """Render Markdown once per distinct text; the result depends on nothing else."""
    return render_markdown(text)


def render_comment(text: str) -> str:
    """Show plain comment text as HTML: everything escaped, web addresses made into links."""
    return bleach.linkify(
        html.escape(text, quote=False), callbacks=[_set_link_rel], skip_tags={"pre", "code"}
    )
