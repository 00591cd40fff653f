"""Word redlines: real tracked changes that accept to the new text and reject to the old one."""

import io
import re

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charter.changes import added, amended, removed
from charter.exports.redline import (
    COMMITTEE,
    DOCX_MIMETYPE,
    Redline,
    build_docx,
    change_blocks,
    read_text,
)
from charter.extensions import db

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ISO = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")


# --- An independent reading of the file: what Word's "accept all" and "reject all" do ------


def _body(data: bytes):
    # python-docx must be able to open what we write; read its XML from there.
    return docx.Document(io.BytesIO(data)).element.body


def resolve(data: bytes, accept: bool) -> str:
    """Apply "accept all changes" (or "reject all") to a copy of the XML and read its text."""
    body = _body(data)
    gone, kept = (W + "del", W + "ins") if accept else (W + "ins", W + "del")
    paragraphs = []
    for p in body.findall(W + "p"):
        mark = p.find(f"{W}pPr/{W}rPr")
        joins_next = mark is not None and mark.find(gone) is not None
        for change in list(p.findall(gone)):
            p.remove(change)
        text = ""
        for child in p:
            runs = child.findall(W + "r") if child.tag == kept else [child]
            for run in runs:
                for piece in run:
                    if piece.tag in (W + "t", W + "delText"):
                        text += piece.text or ""
                    elif piece.tag == W + "tab":
                        text += "\t"
        if paragraphs and paragraphs[-1][1]:
            paragraphs[-1] = (paragraphs[-1][0] + text, joins_next)
        else:
            paragraphs.append((text, joins_next))
    return "\n".join(text for text, _ in paragraphs)


def _redline(change, author=COMMITTEE):
    return Redline(
        title="A test", intro=("Intro line",), blocks=change_blocks(change), author=author
    )


def _expect(heading: str, body: str, present: bool = True) -> str:
    return "Intro line\n" + (f"{heading}\n{body}\n" if present else "")


CASES = {
    "insert only": ("We keep data.", "We keep your data safely."),
    "delete only": ("We keep your data safely.", "We keep data."),
    "replace": ("We sell data to brokers.", "We share data with the NHS."),
    "change at start": ("Data is kept.", "All data is kept."),
    "change at end": ("Data is kept.", "Data is kept for a year"),
    "punctuation and spaces": ("We keep data, safely.", "We keep  data; safely!\tAlways."),
    "lists and headings": (
        "- one\n- two\n\n### Old heading\n\nText here.",
        "- one\n- two and a half\n- three\n\n### New heading\n\nText here.\n\nA new paragraph.",
    ),
    "paragraphs joined": ("First.\n\nSecond.", "First. Second."),
    "paragraph removed": ("First.\n\nSecond.\n\nThird.", "First.\n\nThird."),
    "unicode": ("Café naïve — 数据 😀 שלום", "Cafe\u0301 naïve – 数据保护 😀😀 שלום עולם"),
    "emptied": ("Some words.", ""),
    "filled": ("", "Some words."),
    "no change": ("Same words.", "Same words."),
}


@pytest.mark.parametrize(("old", "new"), CASES.values(), ids=CASES.keys())
def test_accepting_gives_the_new_text_and_rejecting_the_old(old, new):
    change = amended("Heading one", old, "Heading two" if old != new else "Heading one", new)
    data = build_docx(_redline(change))
    assert resolve(data, accept=True) == _expect(change.new_heading, new)
    assert resolve(data, accept=False) == _expect("Heading one", old)
    # The reader verify uses agrees with the independent one.
    assert read_text(data, accept=True) == _expect(change.new_heading, new)
    assert read_text(data, accept=False) == _expect("Heading one", old)


def test_a_whole_clause_added_or_removed_takes_its_paragraphs_with_it():
    body = "- first\n- second\n\nA paragraph."
    data = build_docx(_redline(added("New clause", body)))
    assert resolve(data, accept=True) == _expect("New clause", body)
    assert resolve(data, accept=False) == _expect("", "", present=False)
    data = build_docx(_redline(removed("Old clause", body)))
    assert resolve(data, accept=True) == _expect("", "", present=False)
    assert resolve(data, accept=False) == _expect("Old clause", body)


def test_changes_are_word_revisions_with_author_and_date():
    change = amended("H", "We keep data.\n\nOld.", "H", "We hold data.")
    data = build_docx(_redline(change, author="Casey Citizen"))
    body = _body(data)
    marks = body.findall(f".//{W}ins") + body.findall(f".//{W}del")
    assert {m.tag for m in marks} == {W + "ins", W + "del"}
    ids = set()
    for mark in marks:
        assert mark.get(W + "author") == "Casey Citizen"
        assert ISO.match(mark.get(W + "date"))
        ids.add(mark.get(W + "id"))
    assert len(ids) == len(marks)  # every revision has its own id
    # Deleted words are in w:delText, never in w:t; w:delText is nowhere else.
    for deleted in body.findall(f".//{W}del"):
        assert deleted.find(f".//{W}t") is None
    assert {t.getparent().getparent().tag for t in body.iter(W + "delText")} == {W + "del"}
    assert "keep" in "".join(t.text for t in body.iter(W + "delText"))
    # A deleted paragraph break is a deleted paragraph mark, as Word writes it.
    assert body.findall(f"{W}p/{W}pPr/{W}rPr/{W}del")


def test_the_same_redline_is_the_same_bytes():
    from datetime import UTC, datetime

    change = amended("H", "We keep data.", "H", "We hold data.")
    redline = Redline("T", ("I",), change_blocks(change), date=datetime(2026, 1, 2, tzinfo=UTC))
    assert build_docx(redline) == build_docx(redline)


def test_characters_word_cannot_hold_show_as_replacement_characters():
    data = build_docx(_redline(amended("H", "a\x0bb", "H", "a\x0bc")))
    assert resolve(data, accept=True) == _expect("H", "a\ufffdc")


TEXT = st.lists(
    st.sampled_from(list("ab cd\n\t.,;-*#é数😀") + ["data", "the ", "\n\n", "- "]), max_size=30
).map("".join)


@settings(max_examples=150, deadline=None)
@given(old=TEXT, new=TEXT)
def test_any_two_wordings_round_trip(old, new):
    data = build_docx(_redline(amended("H", old, "H", new)))
    assert resolve(data, accept=True) == _expect("H", new)
    assert resolve(data, accept=False) == _expect("H", old)


# --- The downloads ----------------------------------------------------------------------------


def _draft_text(version) -> str:
    from charter.versions.queries import version_draft

    draft = version_draft(version)
    text = f"{draft.title}\n{draft.preamble}\n"
    return text + "".join(f"{c.heading}\n{c.body}\n" for c in draft.clauses)


def _published(number):
    from charter.models import CharterVersion, VersionStatus

    return db.session.scalar(
        db.select(CharterVersion).filter_by(number=number, status=VersionStatus.PUBLISHED)
    )


def test_comparing_two_versions_downloads_as_tracked_changes(anon, record):
    response = anon.get("/versions/1/compare/2.docx")
    assert response.status_code == 200 and response.mimetype == DOCX_MIMETYPE
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;") and disposition.endswith('-changes-1-to-2.docx"')
    data = response.data
    accepted, rejected = resolve(data, True), resolve(data, False)
    intro = accepted.split("Test Charter\n", 1)[0]
    assert accepted == intro + _draft_text(_published(2))
    assert rejected == intro + _draft_text(_published(1))
    marks = _body(data).findall(f".//{W}ins")
    assert marks and {m.get(W + "author") for m in marks} == {COMMITTEE}
    assert "/versions/1/compare/2.docx" in anon.get("/versions/1/compare/2").get_data(as_text=True)
    assert anon.get("/versions/1/compare/9.docx").status_code == 404
    assert anon.get("/versions/x/compare/2.docx").status_code == 404


def test_a_clause_added_and_one_removed_between_versions(app, anon, charter):
    from charter.clauses.operations import import_draft
    from charter.text.drafts import parse_draft
    from charter.versions.operations import publish_working_draft

    publish_working_draft(charter, changelog="First.")
    changed = parse_draft(
        "# Test Charter\n\nWe keep our promises about your data, always.\n\n"
        "## Why we join data {#why}\n\nWe join data to *plan services*.\n\n"
        "## Your rights\n\nYou can ask what we hold, and have it corrected.\n\n"
        "## Children {#children}\n\n- Extra care for children.\n- No adverts.\n"
    )
    import_draft(changed, slug=app.config["CHARTER_SLUG"])
    publish_working_draft(charter, changelog="Second.")
    db.session.commit()
    data = anon.get("/versions/1/compare/2.docx").data
    accepted, rejected = resolve(data, True), resolve(data, False)
    intro = accepted.split("Test Charter\n", 1)[0]
    assert accepted == intro + _draft_text(_published(2))
    assert rejected == intro + _draft_text(_published(1))  # the removed clause in its place


def test_the_candidate_and_a_proposal_download_as_tracked_changes(anon, committee, charter, users):
    from charter.versions.operations import open_candidate, publish_working_draft
    from tests.conftest import propose

    publish_working_draft(charter, changelog="First.")
    proposal = propose(charter, users["citizen"], body="We join data to *plan better services*.")
    db.session.commit()
    page = anon.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f"/proposals/{proposal.id}.docx" in page
    response = anon.get(f"/proposals/{proposal.id}.docx")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    # The same redline is the same bytes, so a reader's cached copy is confirmed, not resent.
    again = anon.get(
        f"/proposals/{proposal.id}.docx", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304
    data = response.data
    assert resolve(data, True).endswith(
        "Why we join data\nWe join data to *plan better services*.\n"
    )
    assert resolve(data, False).endswith(
        "Why we join data\nWe join data to *plan services*. "
        "See [the regulator](https://ico.org.uk/).\n"
    )
    authors = {m.get(W + "author") for m in _body(data).iter(W + "ins", W + "del")}
    assert authors == {users["citizen"].display_name}

    from charter.clauses.operations import create_revision
    from charter.clauses.queries import get_clause

    why = get_clause(charter, "why")
    create_revision(why, why.current_revision.heading, "A newer wording to vote on.")
    open_candidate(charter, users["committee"], "- Newer wording.")
    db.session.commit()
    assert "/versions/1/compare/candidate.docx" in anon.get("/versions/candidate").get_data(
        as_text=True
    )
    data = anon.get("/versions/1/compare/candidate.docx").data
    assert "Why we join data\nA newer wording to vote on.\n" in resolve(data, True)
    assert "We join data to *plan services*." in resolve(data, False)
    authors = {m.get(W + "author") for m in _body(data).iter(W + "ins", W + "del")}
    assert authors == {COMMITTEE}
