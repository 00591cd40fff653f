"""Every word the site itself shows goes through the translation catalog.

Templates are read with Jinja's own lexer: text outside {% trans %} that a reader would see
(element text, titles, labels, placeholders) fails, as does a quoted phrase handed to a
macro or filter without _(). Python code is read as a syntax tree: a flash() or a refusal
raised with a bare English sentence fails. The test names the file, line and words to mark.
"""

import ast
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(
    p for p in (ROOT / "templates").rglob("*") if p.suffix in {".html", ".txt"} and p.is_file()
)
GETTEXT_CALLS = {"_", "gettext", "ngettext", "_l", "lazy_gettext", "lazy_ngettext", "pgettext"}
SEEN_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "content"}
# Something a reader would read: two letters in a row (so "·", "×" and "%" pass).
WORDY = re.compile(r"[^\W\d_]{2,}")
# A quoted phrase in an expression looks like prose when it has a capital or a space.
PROSE = re.compile(r"^[A-Z][a-z]|[^\W\d_]+ [^\W\d_]+")
HOLE = "\x00"  # stands for a {{ }} or {% %} in the text left to check
# Code and commands read the same in every language; scripts and styles are not read at all.
NOT_PROSE_ELEMENTS = {"script", "style", "code", "kbd", "samp"}
# Words that are the same in every language, each with why.
SAME_IN_EVERY_LANGUAGE = {
    "JSON",  # the name of a format
    "Atom",  # the name of a format
    "Markdown",  # the name of a format
}

lexer_env = Environment(extensions=["jinja2.ext.i18n", "jinja2.ext.do"])


def _wordy(text: str) -> list[str]:
    words = [w for w in WORDY.findall(text) if w not in SAME_IN_EVERY_LANGUAGE]
    return words


class _Reader(HTMLParser):
    """Collects what a reader would see of the HTML left after the marked parts are taken out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.seen: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in NOT_PROSE_ELEMENTS:
            self.hidden_depth += 1
        named = dict(attrs)
        for name, value in attrs:
            if name.startswith("data-") and value and PROSE.search(value.replace(HOLE, " ")):
                self.seen.append(f'{name}="{value.replace(HOLE, "…")}"')  # CSS or a script shows it
            if name in SEEN_ATTRIBUTES and value and _wordy(value.replace(HOLE, " ")):
                if name == "content" and named.get("name") not in {"description"}:
                    continue
                self.seen.append(f'{name}="{value.replace(HOLE, "…")}"')
        if tag == "input" and named.get("type") in {"submit", "button"}:
            value = named.get("value") or ""
            if _wordy(value.replace(HOLE, " ")):
                self.seen.append(f'value="{value}"')

    def handle_endtag(self, tag):
        if tag in NOT_PROSE_ELEMENTS and self.hidden_depth:
            self.hidden_depth -= 1

    def handle_data(self, data):
        if not self.hidden_depth and _wordy(data.replace(HOLE, " ")):
            self.seen.append(" ".join(data.replace(HOLE, "…").split()))


def unmarked_in_template(source: str, is_html: bool) -> list[str]:
    """The reader-visible words in a template that no gettext call or trans block covers."""
    outside: list[str] = []  # the template's own text outside trans blocks, holes for tags
    quoted: list[str] = []  # prose in quotes inside expressions, not inside a gettext call
    in_trans = False
    parens: list[bool] = []  # for each open bracket: was it a gettext call's?
    previous: list[tuple[str, str]] = []
    # A string compared with a value is a code, not prose: drop it when "==" follows it.
    for _line, kind, value in lexer_env.lex(source):
        follows_string = quoted and previous[-1][0] == "string" and quoted[-1] == previous[-1][1]
        if kind == "operator" and value in {"==", "!="} and follows_string:
            quoted.pop()
        if kind == "block_begin":
            parens.clear()
        if kind == "name" and previous and previous[-1][0] == "block_begin":
            if value == "trans":
                in_trans = True
            elif value == "endtrans":
                in_trans = False
        if kind == "data":
            outside.append(HOLE if in_trans else value)
        elif kind in {"variable_begin", "block_begin"}:
            outside.append(HOLE)
        elif kind == "operator" and value in "([{":
            called = previous[-1] if previous else ("", "")
            parens.append(called[0] == "name" and called[1] in GETTEXT_CALLS)
        elif kind == "operator" and value in ")]}" and parens:
            parens.pop()
        elif kind == "string" and not (parens and parens[-1]) and not in_trans:
            words = value[1:-1]
            if previous and previous[-1][1] in {"==", "!=", "in"}:
                words = ""
            if (
                len(previous) > 1
                and previous[-1][1] == "="
                and previous[-2][1] in {"class", "class_"}
            ):
                words = ""  # a list of CSS classes
            if PROSE.search(words) and not words.startswith("<") and _wordy(words):
                quoted.append(value)
        if kind not in {"whitespace"}:
            previous.append((kind, value))
    # A tag whose name is built ("<h{{ level }}") is still a tag.
    text = re.sub(r"<(/?[A-Za-z]+)" + HOLE, r"<\1", "".join(outside))
    if not is_html:
        shown = " ".join(text.replace(HOLE, "…").split())
        return [shown] if _wordy(text.replace(HOLE, " ")) else []
    reader = _Reader()
    reader.feed(text)
    reader.close()
    return reader.seen + quoted


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_word_a_template_shows_is_marked_for_translation(path):
    unmarked = unmarked_in_template(path.read_text(encoding="utf-8"), path.suffix == ".html")
    assert not unmarked, (
        f"{path.relative_to(ROOT)} shows words no catalog can translate; wrap them in "
        f"_() or {{% trans %}}: {unmarked}"
    )


# --- Python --------------------------------------------------------------------------------

PYTHON = sorted((ROOT / "charter").rglob("*.py"))
# Operators' tools speak English: the command line and the seeding of demo data. The pure text
# layer knows nothing of requests; its refusals reach people only through the command line.
OPERATOR_ONLY = {"charter/cli.py", "charter/seeding.py"}
OPERATOR_ONLY_FOLDERS = ("charter/text/",)
# Raised for a programmer or an operator, never shown to a reader.
NOT_FOR_READERS = {
    "RuntimeError",
    "ValueError",
    "TypeError",
    "KeyError",
    "AssertionError",
    "NotImplementedError",
    "LookupError",
    "SeedRefused",
    "EmptyDraft",  # caught only by the draft import command
    "DamagedRecord",
    "ImmutableError",  # a bug: the code tried to change what is kept for good
    "NotAPdfFile",  # read by `charter verify FILE`, an operator's command
    "NotAWordFile",
    "DamagedWordFile",
    "ClickException",
    "BadParameter",
    "UsageError",
}


def _is_bare_words(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return bool(PROSE.search(node.value) and _wordy(node.value))  # not a code like "used"
    if isinstance(node, ast.JoinedStr):  # an f-string built for a reader, whatever its words
        return any(isinstance(part, ast.Constant) and _wordy(part.value) for part in node.values)
    if isinstance(node, ast.BinOp):
        return _is_bare_words(node.left) or _is_bare_words(node.right)
    return False


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def unmarked_in_python(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _called_name(node) == "flash" and node.args:
            message = node.args[0]
            if _is_bare_words(message):
                found.append(f"line {node.lineno}: flash({ast.unparse(message)[:60]})")
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
            name, message = _called_name(node.exc), node.exc.args[0]
            if name not in NOT_FOR_READERS and _is_bare_words(message):
                found.append(f"line {node.lineno}: raise {name}({ast.unparse(message)[:60]})")
    return found


@pytest.mark.parametrize(
    "path",
    [
        p
        for p in PYTHON
        if str(p.relative_to(ROOT)) not in OPERATOR_ONLY
        and not str(p.relative_to(ROOT)).startswith(OPERATOR_ONLY_FOLDERS)
    ],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_every_message_the_code_shows_is_marked_for_translation(path):
    unmarked = unmarked_in_python(path.read_text(encoding="utf-8"))
    assert not unmarked, f"{path.relative_to(ROOT)}: wrap these in _(): {unmarked}"


# --- The checks themselves -----------------------------------------------------------------


def test_the_template_check_finds_bare_words_and_passes_marked_ones():
    assert unmarked_in_template("<p>Send it</p>", True) == ["Send it"]
    assert unmarked_in_template('<input placeholder="Search">', True) == ['placeholder="Search"']
    assert unmarked_in_template("{{ field(label='Your name') }}", True) == ["'Your name'"]
    assert unmarked_in_template("<p>{{ _('Send it') }}</p>", True) == []
    assert unmarked_in_template("<p>{% trans n=3 %}Send {{ n }} now{% endtrans %}</p>", True) == []
    link = "{{ url_for('public.index') }} <a href='/x'>{{ name }}</a>"
    assert unmarked_in_template(link, True) == []
    plural = "{{ ngettext('%(num)d comment', '%(num)d comments', n) }}"
    assert unmarked_in_template(plural, True) == []
    assert unmarked_in_template("<script>var x = 1;</script> ·", True) == []
    assert unmarked_in_template("<pre><code>flask --app wsgi run</code></pre>", True) == []
    assert unmarked_in_template("{% if field.type == 'TextAreaField' %}x{% endif %}", True) == []
    assert unmarked_in_template("{% if 'Big' != kind %}x{% endif %}", True) == []
    assert unmarked_in_template("<h{{ n }} class='x'>{{ t }}</h{{ n }}>", True) == []
    assert unmarked_in_template("{{ form.go(class='button button--small') }}", True) == []
    assert unmarked_in_template('<td data-label="Email">', True) == ['data-label="Email"']
    assert unmarked_in_template("Hello {{ name }},\n", False) == ["Hello …,"]


def test_the_python_check_finds_bare_messages_and_passes_marked_ones():
    assert unmarked_in_python('flash("Saved.", "success")')
    assert unmarked_in_python('flash(f"{n} saved.")')
    assert unmarked_in_python('raise ProposalError("Too late.")')
    assert not unmarked_in_python('flash(_("Saved."), "success")')
    assert not unmarked_in_python('raise ProposalError(_("Too late."))')
    assert not unmarked_in_python('raise ValueError("a programmer error")')
    assert not unmarked_in_python("flash(str(err))")
