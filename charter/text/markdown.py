"""Turn user Markdown into safe HTML: the only way Markdown becomes markup."""

import html
import threading
from functools import lru_cache, partial

import bleach
import markdown
from bleach.linkifier import LinkifyFilter
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


class _CharterMarkdown(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (python-markdown's API name)
        # Raw HTML is shown as the text the user typed, never passed through as markup.
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
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


def render_markdown(text: str) -> str:
    """Render Markdown to sanitised HTML fit to mark as safe in a template."""
    html = markdown.markdown(
        text,
        extensions=[_CharterMarkdown(), "tables", "sane_lists", "fenced_code"],
        output_format="html",
    )
    return _cleaner().clean(html)


@lru_cache(maxsize=512)
def rendered(text: str) -> str:
    """Render Markdown once per distinct text; the result depends on nothing else."""
    return render_markdown(text)


def render_comment(text: str) -> str:
    """Show plain comment text as HTML: everything escaped, web addresses made into links."""
    return bleach.linkify(
        html.escape(text, quote=False), callbacks=[_set_link_rel], skip_tags={"pre", "code"}
    )
