"""Markdown becomes safe HTML: every allowed construct renders, nothing executable survives."""

import sys
import threading
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from charter.text.markdown import (
    ALLOWED_TAGS,
    MAX_NESTING,
    markdown_problems,
    nesting_depth,
    render_markdown,
)


def test_paragraphs_and_emphasis():
    html = render_markdown("We *will* tell you.\n\nWe **never** sell data.")
    assert html == "<p>We <em>will</em> tell you.</p>\n<p>We <strong>never</strong> sell data.</p>"


def test_lists():
    html = render_markdown("- one\n- two\n\n1. first\n2. second")
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<ol>\n<li>first</li>\n<li>second</li>\n</ol>" in html


def test_ordered_list_keeps_its_start_number():
    assert '<ol start="3">' in render_markdown("3. third\n4. fourth")


def test_blockquote():
    assert render_markdown("> As residents told us") == (
        "<blockquote>\n<p>As residents told us</p>\n</blockquote>"
    )


def test_table():
    html = render_markdown("| Who | What |\n|---|---|\n| Police | Incidents |")
    assert "<table>" in html and "<th>Who</th>" in html and "<td>Incidents</td>" in html


def test_code_is_shown_as_text():
    html = render_markdown("Use `<b>` here")
    assert html == "<p>Use <code>&lt;b&gt;</code> here</p>"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("# Top", "<h3>Top</h3>"),
        ("# Top\n\n## Next", "<h3>Top</h3>\n<h4>Next</h4>"),
        ("### Only third", "<h3>Only third</h3>"),
        ("#### Four\n\n##### Five", "<h3>Four</h3>\n<h4>Five</h4>"),
        ("# One\n\n###### Six", "<h3>One</h3>\n<h6>Six</h6>"),
    ],
)
def test_headings_sit_below_the_clause_heading(source, expected):
    assert render_markdown(source) == expected


@pytest.mark.parametrize(
    "url", ["https://ico.org.uk/", "http://example.org/a?b=c", "mailto:dpo@example.org"]
)
def test_allowed_links_get_rel_nofollow_noopener(url):
    html = render_markdown(f"[the link]({url})")
    assert f'href="{url.replace("&", "&amp;")}"' in html
    assert 'rel="nofollow noopener"' in html


def test_relative_links_to_other_clauses_are_kept():
    assert 'href="/clauses/why"' in render_markdown("[see why](/clauses/why)")


def test_bare_urls_become_links():
    html = render_markdown("Read https://ico.org.uk/ today")
    assert '<a href="https://ico.org.uk/" rel="nofollow noopener">https://ico.org.uk/</a>' in html


def test_images_are_not_loaded():
    html = render_markdown("![tracker](https://evil.example/pixel.gif)")
    assert "<img" not in html


INJECTIONS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example"></iframe>',
    "<body onload=alert(1)>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](jav&#x61;script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "<javascript:alert(1)>",
    '[x](https://ok.example "title" onmouseover="alert(1)")',
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C/script%3E",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<<script>script>alert(1)<</script>/script>",
]


class _Markup(HTMLParser):
    """Collect the tags and attributes a browser would see."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _markup(html: str) -> list[tuple[str, dict]]:
    parser = _Markup()
    parser.feed(html)
    return parser.tags


@pytest.mark.parametrize("attack", INJECTIONS)
def test_script_injection_never_becomes_markup(attack):
    for tag, attrs in _markup(render_markdown(attack)):
        assert tag in ALLOWED_TAGS
        assert not any(name.startswith("on") or name == "style" for name in attrs)
        if "href" in attrs:
            scheme = urlsplit(attrs["href"].strip()).scheme.lower()
            assert scheme in {"", "http", "https", "mailto"}


def test_the_checker_would_catch_a_script():
    assert ("script", {}) in _markup("<p><script>x</script></p>")


def test_raw_html_is_shown_as_the_text_typed():
    assert render_markdown("a <b>bold</b> claim") == "<p>a &lt;b&gt;bold&lt;/b&gt; claim</p>"


def _clause(i: int) -> str:
    return (
        f"Clause {i}: we keep *your* data for {i} days. See https://example.org/{i} "
        f"and [the notice](https://example.org/notice/{i}).\n\n- item {i}\n- other {i}\n\n"
        f"| kept | days |\n|---|---|\n| <b>records {i}</b> | {i} |\n\n```\ncode {i}\n```"
    )


def test_threads_rendering_at_once_each_get_their_own_text():
    texts = [_clause(i) for i in range(8)]
    expected = [render_markdown(t) for t in texts]  # one thread: the reference
    assert len(set(expected)) == len(texts)
    threads, rounds = 4, 150
    start = threading.Barrier(threads)
    wrong: list[list[int]] = [[] for _ in range(threads)]

    def render_many(k: int) -> None:
        start.wait()
        for n in range(rounds):
            i = (k + n) % len(texts)
            try:
                html = render_markdown(texts[i])
            except Exception:  # a shared parser can also fail outright
                html = None
            if html != expected[i]:
                wrong[k].append(i)

    # Switch threads as often as the interpreter allows, so renders overlap all the time.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        workers = [
            threading.Thread(target=render_many, args=(k,), daemon=True) for k in range(threads)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(timeout=120)
    finally:
        sys.setswitchinterval(interval)
    # A shared parser whose state another thread scrambled can also loop for ever.
    assert not any(worker.is_alive() for worker in workers), "a render never finished"
    assert sum(map(len, wrong)) == 0, f"{sum(map(len, wrong))} of {threads * rounds} renders wrong"


# --- Bounded rendering ------------------------------------------------------------------------

BOUNDED_BODIES = {
    "unclosed brackets": "[" * 10_000,
    "unclosed image brackets": "![" * 5_000,
    "unclosed link targets": "[a](" * 2_500,
    "nested lists": "1. " * 3_333 + "x",
    "nested bullets": "- " * 4_995 + "x",
    "nested quotes": "> " * 4_999 + "x",
    "indented lists": "\n".join("    " * d + "- x" for d in range(300)),
    "emphasis": "*a" * 5_000,
    "ampersands": "&" * 10_000,
    "angle brackets": "<script>" * 1_250,
    "wide table": "|" + "a|" * 4_999,
}


@pytest.mark.parametrize("body", BOUNDED_BODIES.values(), ids=BOUNDED_BODIES.keys())
def test_a_body_beyond_the_limits_is_refused_and_shown_as_escaped_text(body):
    assert markdown_problems(body)
    html = render_markdown(body)  # no RecursionError, no quadratic scan
    assert "<script" not in html and "<ol" not in html and "<a " not in html
    assert html.startswith("<p>")


def test_nesting_up_to_the_limit_renders_as_lists():
    body = "\n".join("    " * d + "- level" for d in range(MAX_NESTING))
    assert markdown_problems(body) == []
    assert render_markdown(body).count("<ul>") == MAX_NESTING
    assert markdown_problems(body + "\n" + "    " * MAX_NESTING + "- too deep")


def test_link_ends_are_found_as_python_markdown_finds_them():
    cases = {
        "[a [b] c](/x)": '<a href="/x" rel="nofollow noopener">a [b] c</a>',
        "[a](/x(y)z)": '<a href="/x(y)z" rel="nofollow noopener">a</a>',
        '[a](/x "title")': 'title="title"',
        "[[a](/x)": '[<a href="/x" rel="nofollow noopener">a</a>',
        "[a] (/x)": "[a] (/x)",
        "[a](/x": "[a](/x",
    }
    for source, expected in cases.items():
        assert expected in render_markdown(source), source


def test_the_shipped_draft_renders_within_the_limits():
    from pathlib import Path

    from charter.text.drafts import parse_draft

    draft = parse_draft((Path(__file__).parents[2] / "drafts/citizen-data-charter.md").read_text())
    for clause in draft.clauses:
        assert markdown_problems(clause.body) == [], clause.key


def test_nesting_depth_never_undercounts_quoted_lists():
    assert nesting_depth(">     - a\n>         - b") >= 3
    assert nesting_depth("1. 1. 1. x") == 3
