"""Tracked changes: whole words change, both texts rebuild exactly, every view shows the change."""

import dataclasses
import re
import subprocess
import sys
from contextlib import contextmanager
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from charter.text import words
from charter.text.diffing import (
    REPLACED_BY,
    Part,
    compare,
    diff_rendered_html,
    diff_words,
    new_text,
    old_text,
    render_inline,
    render_markdown_diff,
    separate_replacements,
    side_by_side,
    summarise,
    tokenise,
)
from charter.text.markdown import render_markdown

BACKENDS = [
    pytest.param(name, marks=pytest.mark.skipif(name not in words.BACKENDS, reason=f"no {name}"))
    for name in ("diff-match-patch", "fast-diff-match-patch")
]


@contextmanager
def backend(name):
    saved = words.BACKEND
    words.BACKEND = name
    try:
        yield
    finally:
        words.BACKEND = saved


def ins(text):
    return (
        f'<ins><span class="visually-hidden">inserted: </span>{text}'
        '<span class="visually-hidden"> (end inserted)</span></ins>'
    )


def dele(text):
    return (
        f'<del><span class="visually-hidden">deleted: </span>{text}'
        '<span class="visually-hidden"> (end deleted)</span></del>'
    )


# --- Tokens ------------------------------------------------------------------------------


def test_tokens_are_words_spaces_and_punctuation_runs():
    assert tokenise("We keep it -- for now.\n\nOK?") == [
        "We", " ", "keep", " ", "it", " ", "--", " ", "for", " ", "now", ".", "\n\n", "OK", "?"
    ]  # fmt: skip


@pytest.mark.parametrize(
    "word",
    [
        "नमस्ते",  # Devanagari: virama and vowel sign are combining marks
        "ภาษาไทย",  # Thai vowels above and below
        "cafe\u0301",  # decomposed Latin accent
        "می\u200cخواهم",  # Persian with a zero-width non-joiner
        "שָׁלוֹם",  # Hebrew with points
    ],
)
def test_a_word_with_combining_marks_is_one_token(word):
    assert tokenise(f"({word})") == ["(", word, ")"]


def test_an_emoji_sequence_stays_in_one_token():
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    assert tokenise(f"a {family} b") == ["a", " ", family, " ", "b"]


# --- Word diff ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", BACKENDS)
def test_a_changed_word_shows_whole(name):
    with backend(name):
        parts = diff_words("We organise the data.", "We organize the data.")
    assert parts == (
        Part("equal", "We "),
        Part("delete", "organise"),
        Part("insert", "organize"),
        Part("equal", " the data."),
    )


def test_a_reworded_phrase_is_one_change():
    parts = diff_words("The cat sat on the mat.", "A dog sat on the mat.")
    assert parts == (
        Part("delete", "The cat"),
        Part("insert", "A dog"),
        Part("equal", " sat on the mat."),
    )


def test_an_inserted_sentence_starts_at_a_sentence_boundary():
    parts = diff_words("We keep it. We share it.", "We keep it. We delete it. We share it.")
    assert parts == (
        Part("equal", "We keep it."),
        Part("insert", " We delete it."),
        Part("equal", " We share it."),
    )


def test_an_inserted_paragraph_carries_its_own_blank_line():
    parts = diff_words("One.\n\nThree.", "One.\n\nTwo.\n\nThree.")
    assert Part("insert", "Two.\n\n") in parts


def test_identical_and_empty_texts():
    assert diff_words("Same.", "Same.") == (Part("equal", "Same."),)
    assert diff_words("", "") == ()
    assert diff_words("", "New.") == (Part("insert", "New."),)
    assert diff_words("Old.", "") == (Part("delete", "Old."),)


@pytest.mark.parametrize("name", BACKENDS)
def test_many_distinct_tokens_use_codes_beyond_the_basic_plane(name):
    # More distinct tokens than the Basic Multilingual Plane has non-surrogate characters.
    old = " ".join(f"w{i}" for i in range(70_000))
    new = old.replace("w69990", "changed")
    with backend(name):
        parts = diff_words(old, new)
    assert old_text(parts) == old and new_text(parts) == new
    assert Part("delete", "w69990") in parts and Part("insert", "changed") in parts


def test_falls_back_to_pure_python_without_the_accelerator():
    code = (
        "import sys; sys.modules['fast_diff_match_patch'] = None\n"
        "from charter.text import diffing, words\n"
        "print(words.BACKEND, diffing.summarise(diffing.diff_words('a b', 'a c')))"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "diff-match-patch 1 insertion, 1 deletion"


def test_token_codes_skip_surrogates():
    tokens = [str(i) for i in range(70_000)]
    codes, _ = words._encode(tokens, [])
    assert len(codes) == 70_000
    assert not any("\ud800" <= c <= "\udfff" for c in codes)
    assert max(codes) > "\uffff"


# --- The invariant, on arbitrary text ----------------------------------------------------

PIECES = [
    "data", "Data", "the", "we", "keep", "share", " ", "  ", "\n", "\n\n", ".", ",", "!?",
    "-", "*", "**", "[", "](", ")", "#", "> ", "1. ", "- ",
    "日本語", "数据", "émigré", "cafe\u0301", "नमस्ते", "שָׁלוֹם", "البيانات", "\u200f", "\u200d",
    "\U0001f600", "\U0001f468\u200d\U0001f469", "\U0001f44d\U0001f3fd", "\u0301", "e", "x\u20e3",
]  # fmt: skip
texts = st.one_of(st.text(), st.lists(st.sampled_from(PIECES), max_size=40).map("".join))


@pytest.mark.parametrize("name", BACKENDS)
@settings(max_examples=300, deadline=None)
@given(old=texts, new=texts)
def test_parts_rebuild_both_texts_exactly(name, old, new):
    with backend(name):
        parts = diff_words(old, new)
    assert old_text(parts) == old
    assert new_text(parts) == new
    assert all(part.text for part in parts)
    # Merged: no two neighbours share an op, and a change reads deletion first.
    for a, b in zip(parts, parts[1:], strict=False):
        assert a.op != b.op
        assert (a.op, b.op) != ("insert", "delete")


@settings(max_examples=200, deadline=None)
@given(text=texts)
def test_tokens_join_back_to_the_text(text):
    assert "".join(tokenise(text)) == text


def boundaries(text):
    ends, end = {0}, 0
    for token in tokenise(text):
        end += len(token)
        ends.add(end)
    return ends


@settings(max_examples=200, deadline=None)
@given(old=texts, new=texts)
def test_changes_start_and_end_between_tokens(old, new):
    old_ends, new_ends = boundaries(old), boundaries(new)
    o = n = 0
    for op, text in diff_words(old, new):
        o += len(text) if op != "insert" else 0
        n += len(text) if op != "delete" else 0
        assert o in old_ends and n in new_ends


@settings(max_examples=200, deadline=None)
@given(old=texts, new=texts)
def test_side_by_side_keeps_every_word_on_its_side(old, new):
    rows = side_by_side(diff_words(old, new))
    assert " ".join(old_text(row.old) for row in rows).split() == old.split()
    assert " ".join(new_text(row.new) for row in rows).split() == new.split()
    for row in rows:
        assert all(op != "insert" for op, _ in row.old)
        assert all(op != "delete" for op, _ in row.new)


# --- Summary and caching -----------------------------------------------------------------


def test_summary_counts_changed_runs_with_plurals():
    assert str(summarise(diff_words("a b c", "a b c"))) == "no changes"
    assert str(summarise(diff_words("We keep data.", "We keep data safely."))) == (
        "1 insertion, 0 deletions"
    )
    parts = diff_words(
        "One two three four five six seven eight nine.",
        "One 2 three four five 6 seven eight nine ten.",
    )
    summary = summarise(parts)
    assert (summary.insertions, summary.deletions) == (3, 2)
    assert summary.text == "3 insertions, 2 deletions"


def test_compare_is_cached_and_immutable():
    result = compare("We keep data.", "We delete data.")
    assert compare("We keep data.", "We delete data.") is result
    assert result.changed and result.summary.text == "1 insertion, 1 deletion"
    assert not compare("Same.", "Same.").changed
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.parts = ()


# --- Inline and side-by-side views -------------------------------------------------------


def test_inline_view_marks_changes_in_words_and_escapes_text():
    html = render_inline(diff_words("Use <b> & go", "Use <i> & go"))
    assert html == f"Use &lt;{dele('b')}{ins('i')}&gt; &amp; go"


def test_inline_view_shows_a_changed_line_break():
    html = render_inline(diff_words("One. Two.", "One.\n\nTwo."))
    assert ins("¶\n\n") in html


def test_a_replacement_gets_a_marker_between_the_deletion_and_the_insertion():
    html = separate_replacements(render_inline(diff_words("For 12 months.", "For 6 months.")))
    assert html == f"For {dele('12')}{REPLACED_BY}{ins('6')} months."
    assert "→" in REPLACED_BY and "replaced by" in REPLACED_BY


def test_a_deletion_and_a_later_insertion_are_no_replacement():
    parts = diff_words("One two three four.", "One three four five.")
    html = separate_replacements(render_inline(parts))
    assert REPLACED_BY not in html
    assert html == render_inline(parts)


def test_replacement_markers_in_the_rendered_view_stay_inside_the_paragraph():
    html = separate_replacements(render_markdown_diff("Wait *12* months.", "Wait *6* months."))
    assert f"{dele('12')}{REPLACED_BY}{ins('6')}" in html


def test_side_by_side_gives_an_added_paragraph_its_own_row():
    rows = side_by_side(diff_words("One.\n\nThree.", "One.\n\nTwo.\n\nThree."))
    assert [(old_text(r.old), new_text(r.new)) for r in rows] == [
        ("One.", "One."),
        ("", "Two."),
        ("Three.", "Three."),
    ]
    assert rows[1].new == (Part("insert", "Two."),)


def test_side_by_side_pairs_a_changed_paragraph():
    rows = side_by_side(diff_words("One.\n\nWe keep it.", "One.\n\nWe share it."))
    assert rows[1].old == (Part("equal", "We "), Part("delete", "keep"), Part("equal", " it."))
    assert rows[1].new == (Part("equal", "We "), Part("insert", "share"), Part("equal", " it."))


# --- Rendered view -----------------------------------------------------------------------


def test_rendered_word_changed_in_a_list_item():
    html = render_markdown_diff("- keep data\n- share data", "- keep data\n- sell data")
    assert f"<li>{dele('share')}{ins('sell')} data</li>" in html
    assert "<li>keep data</li>" in html


def test_rendered_list_item_added_and_removed():
    added = render_markdown_diff("- one\n- two", "- one\n- two\n- three")
    assert f"<li>{ins('three')}</li>" in added
    removed = render_markdown_diff("- one\n- two\n- three", "- one\n- three")
    assert f"<li>{dele('two')}</li>" in removed
    assert "<li>one</li>" in removed and "<li>three</li>" in removed


def test_rendered_emphasis_added():
    html = render_markdown_diff("We never sell data.", "We **never** sell data.")
    assert f"We {dele('never')}<strong>{ins('never')}</strong> sell data." in html


def test_rendered_link_target_changed():
    html = render_markdown_diff(
        "Read [the law](https://old.example/law).", "Read [the law](https://new.example/law)."
    )
    assert (
        f'<a href="https://old.example/law" rel="nofollow noopener">{dele("the law")}</a>' in html
    )
    assert f'<a href="https://new.example/law" rel="nofollow noopener">{ins("the law")}</a>' in html
    assert "(link target changed from https://old.example/law to https://new.example/law)" in html


def test_rendered_bare_address_changed_needs_no_note():
    html = render_markdown_diff("See https://a.org/x now.", "See https://b.org/x now.")
    assert dele("https://a.org/x") in html and ins("https://b.org/x") in html
    assert "diff-note" not in html


def test_rendered_spacing_only_changes_are_not_announced():
    assert "<ins>" not in render_markdown_diff("- one\n- two", "- one\n\n- two")
    assert "<del>" not in render_markdown_diff("- one\n\n- two", "- one\n- two")
    html = render_markdown_diff("We keep data.", "We  keep\ndata.")
    assert "<del>" not in html and "<ins>" not in html


def test_rendered_change_in_code_block_keeps_spacing():
    html = render_markdown_diff("    x = 1", "    x  = 2")
    assert f"<pre><code>x{dele(' ')}{ins('  ')}= {dele('1')}{ins('2')}" in html


def test_rendered_paragraph_inserted_and_removed():
    inserted = render_markdown_diff("First.\n\nThird.", "First.\n\nSecond.\n\nThird.")
    assert f"<p>First.</p>\n<p>{ins('Second.')}</p>\n<p>Third.</p>" in inserted
    removed = render_markdown_diff("First.\n\nSecond.\n\nThird.", "First.\n\nThird.")
    assert f"<p>First.</p>\n<p>{dele('Second.')}</p>\n<p>Third.</p>" in removed


def test_rendered_heading_renamed():
    html = render_markdown_diff("## Data retention\n\nText.", "## Data deletion\n\nText.")
    assert f"<h3>Data {dele('retention')}{ins('deletion')}</h3>" in html


def test_rendered_view_leaves_unchanged_text_alone():
    source = "# Title\n\nSome *text* with [a link](https://example.org).\n\n1. one\n2. two"
    html = render_markdown_diff(source, source)
    assert "<del>" not in html and "<ins>" not in html
    assert '<a href="https://example.org" rel="nofollow noopener">a link</a>' in html
    assert "<em>text</em>" in html and "<ol>" in html


def test_rendered_view_never_passes_markup_through():
    hostile = (
        '<p onclick="x()">Hi <script>alert(1)</script><a href="javascript:alert(1)">me</a>'
        '<img src=x onerror=alert(1)><a href="https://ok.example" style="x">ok</a></p>'
    )
    html = diff_rendered_html("<p>Hi</p>", hostile)
    assert "<script" not in html and "onclick" not in html and "javascript:" not in html
    assert "<img" not in html and "style=" not in html
    assert '<a href="https://ok.example">' in html
    assert "alert(1)" in html  # the script's text survives, as inert text
    source = render_markdown_diff("Hi", "Hi <script>alert(1)</script>")
    assert "<script" not in source and "&lt;script&gt;" in source


class _Reader(HTMLParser):
    """Check nesting and collect the text a reader sees on each side of the change."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.old, self.new = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag in {"br", "hr"}:
            return
        if tag in {"del", "ins"}:
            assert self.stack[-1][0] not in {"ul", "ol", "table", "thead", "tbody", "tr"}
            assert not {"del", "ins"} & {t for t, _ in self.stack}
        self.stack.append((tag, dict(attrs).get("class")))

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1][0] == tag
        self.stack.pop()

    def handle_data(self, data):
        classes = {c for _, c in self.stack}
        if classes & {"visually-hidden", "diff-note"}:
            return
        tags = {t for t, _ in self.stack}
        if "ins" not in tags:
            self.old.append(data)
        if "del" not in tags:
            self.new.append(data)


def visible(html):
    reader = _Reader()
    reader.feed("<div>" + html + "</div>")
    reader.close()
    assert not reader.stack
    return "".join("".join(reader.old).split()), "".join("".join(reader.new).split())


LINES = [
    "We keep data.", "We *keep* data.", "We **share** data.", "See [the law](https://a.example).",
    "See [the law](https://b.example).", "- one", "- two", "- three", "1. first", "2. second",
    "## Heading", "## Other heading", "> quoted", "", "", "    code", "Line  ", "---",
    "| a | b |\n|---|---|\n| 1 | 2 |", "数据 émigré नमस्ते \U0001f600",
]  # fmt: skip
documents = st.lists(st.sampled_from(LINES), max_size=8).map("\n".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(old=documents, new=documents)
def test_rendered_view_is_well_formed_and_shows_both_versions(old, new):
    html = render_markdown_diff(old, new)
    old_seen, new_seen = visible(html)
    assert old_seen == visible(render_markdown(old))[0]
    assert new_seen == visible(render_markdown(new))[1]


def test_visually_hidden_labels_read_in_words():
    html = render_markdown_diff("A b.", "A c.")
    assert unescape(re.sub(r"<[^>]+>", "", html)) == (
        "A deleted: b (end deleted)inserted: c (end inserted)."
    )
