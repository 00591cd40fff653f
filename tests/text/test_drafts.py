"""Draft files: parse, write back, and round-trip to the same text."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from charter.text.drafts import (
    Draft,
    DraftClause,
    DraftError,
    body_problems,
    format_draft,
    normalise_heading,
    normalise_text,
    parse_draft,
    slugify,
)

DRAFT = """\
# Citizen Data Charter

Our promises.

## Why we join data {#why}

We join data to plan.

```
## not a clause inside code
```

## How long we keep data

- A year.
### Details

More.
"""


def test_parse_reads_title_preamble_and_clauses():
    draft = parse_draft(DRAFT)
    assert draft.title == "Citizen Data Charter"
    assert draft.preamble == "Our promises."
    assert [c.key for c in draft.clauses] == ["why", "how-long-we-keep-data"]
    assert draft.clauses[0].heading == "Why we join data"
    assert "## not a clause inside code" in draft.clauses[0].body
    assert draft.clauses[1].body == "- A year.\n### Details\n\nMore."


def test_format_then_parse_gives_the_same_draft():
    draft = parse_draft(DRAFT)
    assert parse_draft(format_draft(draft)) == draft
    assert format_draft(parse_draft(format_draft(draft))) == format_draft(draft)


def test_the_shipped_draft_is_canonical():
    text = (Path(__file__).parents[2] / "drafts" / "citizen-data-charter.md").read_text()
    draft = parse_draft(text)
    assert 10 <= len(draft.clauses) <= 14
    assert format_draft(draft) == text


@pytest.mark.parametrize(
    ("heading", "key"),
    [
        ("Your right to object", "your-right-to-object"),
        ("  Données & privacy! ", "donnees-privacy"),
        ("???", "clause"),
        ("Children's data", "childrens-data"),
        ("Children’s data", "childrens-data"),
        ("A" * 80, "a" * 60),
    ],
)
def test_slugify(heading, key):
    assert slugify(heading) == key


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("No title here", "Line 1"),
        ("## Clause first", "Line 1"),
        ("# T\n\n## A {#a}\n\nx\n\n## B {#a}\n", "Line 7: the key 'a' is used"),
        ("# T\n\n## A {#Bad_Key}\n", "lowercase letters"),
        ("# T\n\n# Another title\n", "Line 3: only the first line"),
    ],
)
def test_bad_drafts_say_what_and_where(text, message):
    with pytest.raises(DraftError, match=message):
        parse_draft(text)


def test_normalise_text_canonicalises_newlines_spaces_and_unicode():
    assert normalise_text("\r\n\r\nCafe\u0301  \r\nline\n\n") == "Café\nline"


def test_body_problems_flags_top_level_headings_outside_code():
    assert body_problems("### fine\n\n```\n# code\n```") == []
    assert body_problems("## clash") != []
    assert body_problems("#") != []


words = st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=12)
lines = st.lists(words, min_size=1, max_size=6).map(" ".join)
bodies = st.lists(lines, max_size=5).map("\n\n".join)


@given(
    title=lines,
    preamble=bodies,
    clauses=st.lists(st.tuples(lines, bodies), max_size=5),
)
def test_round_trip_property(title, preamble, clauses):
    draft = Draft(
        title=normalise_heading(title),
        preamble=normalise_text(preamble),
        clauses=tuple(
            DraftClause(key=f"k{n}", heading=normalise_heading(h), body=normalise_text(b))
            for n, (h, b) in enumerate(clauses)
        ),
    )
    assert parse_draft(format_draft(draft)) == draft
