"""Search words as people type them: read, translate for SQLite's FTS5, and mark up snippets.

The query language is PostgreSQL's `websearch_to_tsquery`: words (all must appear),
"quoted phrases", `or` between alternatives and `-word` to leave a word out. PostgreSQL reads
it itself; for SQLite, `fts5_query` writes the same meaning with every word quoted, so no
input can be read as FTS5 syntax and fail.
"""

import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

MAX_QUERY_LENGTH = 200
# Marks the databases put around matched words in snippets. Control characters, so they
# never stand for themselves in a snippet; `mark_snippet` escapes everything between them.
START, STOP = "\x02", "\x03"

_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
# What SQLite's unicode61 tokenizer keeps as a word: letters and digits (not "_").
_WORD = re.compile(r"[^\W_]+")
# Markdown a reader would not see on the page: link targets, heading hashes, list bullets and
# emphasis marks. Snippets are cut from the stored Markdown, so a link may be cut short.
_MARKDOWN = (
    (re.compile(r"\[([^\]\n]*)\]\([^)\s]*\)?"), r"\1"),
    (re.compile(r"\]\([^)\s]*\)?"), ""),
    (re.compile(r"(^|\n)[ \t]*(?:#{1,6}|[-*+]|\d+[.)])[ \t]+"), r"\1"),
    (re.compile(r"\*{1,3}|_{2,3}|`+"), ""),
)
_CONTROL = re.compile(r"[\x00\x01\x04-\x08\x0b\x0c\x0e-\x1f\x7f]")  # all but the marks


@dataclass
class ParsedQuery:
    """Phrases that must appear (each a group of alternatives) and phrases that must not."""

    required: list[list[str]] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)

    @property
    def searchable(self) -> bool:
        return bool(self.required)


def parse_query(query: str) -> ParsedQuery:
    """Read websearch syntax into phrases of plain words; punctuation alone is no word."""
    parsed = ParsedQuery()
    join_next = False
    for match in _TOKEN.finditer(query):
        quoted, bare = match.group(1), match.group(2)
        negated = False
        if bare is not None:
            if bare.lower() == "or":
                join_next = bool(parsed.required)
                continue
            if bare.startswith("-") and len(bare) > 1:
                negated, bare = True, bare[1:]
        words = _WORD.findall(quoted if quoted is not None else bare)
        if not words:
            continue
        phrase = " ".join(words)
        if negated:
            parsed.excluded.append(phrase)
        elif join_next:
            parsed.required[-1].append(phrase)
        else:
            parsed.required.append([phrase])
        join_next = False
    return parsed


def fts5_query(parsed: ParsedQuery) -> str:
    """Write a parsed query as an FTS5 MATCH expression in which every phrase is quoted."""
    groups = [" OR ".join(f'"{phrase}"' for phrase in group) for group in parsed.required]
    expression = " AND ".join(f"({group})" for group in groups)
    for phrase in parsed.excluded:
        expression = f'({expression}) NOT "{phrase}"'
    return expression


def mark_snippet(snippet: str) -> Markup:
    """Escape a snippet and turn the database's match marks into <mark> elements."""
    for pattern, replacement in _MARKDOWN:
        snippet = pattern.sub(replacement, snippet)
    parts = _CONTROL.sub("", snippet.replace(STOP, START)).split(START)
    html = []
    for index, part in enumerate(parts):
        if not part:
            continue
        html.append(f"<mark>{escape(part)}</mark>" if index % 2 else str(escape(part)))
    return Markup("".join(html))
