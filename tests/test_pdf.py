"""PDF downloads: tagged and accessible, changes marked in words, copies that can be verified."""

import io
import re
from dataclasses import replace

import pytest
from flask import render_template
from pypdf import PdfReader

from charter.exports.pdf import PDF_MIMETYPE, build_pdf, read_pdf, squeeze, visible_text
from charter.exports.redline import sealed_intro
from charter.extensions import db
from charter.models import CharterVersion
from charter.text.drafts import parse_draft


def _version(number: int) -> CharterVersion:
    return db.session.scalar(db.select(CharterVersion).filter_by(number=number))


def _text(data: bytes) -> str:
    return read_pdf(data).text


def _structure(node, found=None) -> list[str]:
    """Return the structure types of a tagged PDF's elements, in document order."""
    found = [] if found is None else found
    node = node.get_object()
    if "/S" in node:
        found.append(str(node["/S"]))
    kids = node.get("/K")
    if kids is None:
        return found
    for kid in kids if isinstance(kids, list) else [kids]:
        kid = kid.get_object() if hasattr(kid, "get_object") else kid
        if isinstance(kid, dict):
            _structure(kid, found)
    return found


def verify(runner, path):
    return runner.invoke(args=["charter", "verify", str(path)])


def _fails_with(result, message):
    assert result.exit_code == 1, result.output
    assert f"FAIL {message}" in result.output, result.output


# --- Structure: tags, language, title, reading order ----------------------------------------


def test_a_version_pdf_is_tagged_with_its_language_title_and_headings(anon, record):
    response = anon.get("/versions/2.pdf")
    assert response.status_code == 200 and response.mimetype == PDF_MIMETYPE
    reader = PdfReader(io.BytesIO(response.data))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a PDF boolean object)
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712
    assert reader.metadata.title == "Test Charter: the text of version 2"
    tags = _structure(catalog["/StructTreeRoot"])
    headings = [t for t in tags if re.fullmatch(r"/H\d", t)]
    assert headings == ["/H1", "/H2", "/H2", "/H2"]  # the title, then one per clause
    assert "/L" in tags and "/LI" in tags  # a list is a list, not loose lines
    # The text comes out in reading order: the clauses' headings in order, each body after it.
    text = _text(response.data)
    headings = ["1. Why we join data", "2. How long we keep data", "3. Your rights"]
    positions = [text.index(h) for h in headings]
    assert positions == sorted(positions)
    assert positions[0] < text.index("We join data to improve services.") < positions[1]
    assert text.index("We keep our promises") < positions[0]


def test_changes_are_marked_in_words_in_reading_order(anon, record):
    response = anon.get("/versions/1/compare/2.pdf")
    assert response.status_code == 200 and response.mimetype == PDF_MIMETYPE
    reader = PdfReader(io.BytesIO(response.data))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog["/Lang"] == "en-GB"
    assert reader.metadata.title == "Test Charter: changes from version 1 to version 2"
    text = " ".join(_text(response.data).split())
    # "plan" was replaced by "improve", and a sentence deleted: each says so in words, in place.
    assert (
        "We join data to deleted: plan (end deleted) replaced by inserted: improve "
        "(end inserted) services." in text
    )
    assert "deleted: See the regulator (https://ico.org.uk/). (end deleted)" in text
    assert "Screen readers" not in text  # the page's legend is for the page, not the PDF
    assert read_pdf(response.data).record is None


def test_the_candidate_downloads_as_a_pdf_of_its_changes(anon, committee, charter, users):
    from charter.versions.operations import open_candidate, publish_working_draft
    from tests.conftest import propose

    publish_working_draft(charter, changelog="First.")
    proposal = propose(charter, users["citizen"], body="We join data to *plan better services*.")
    from charter.proposals.operations import accept_proposal

    accept_proposal(proposal, users["committee"], "Clearer.")
    open_candidate(charter, users["committee"], "Better services.")
    db.session.commit()
    assert "/versions/1/compare/candidate.pdf" in anon.get("/versions/candidate").get_data(
        as_text=True
    )
    response = anon.get("/versions/1/compare/candidate.pdf")
    assert response.status_code == 200 and response.mimetype == PDF_MIMETYPE
    assert response.headers["Content-Disposition"].endswith('-changes-1-to-candidate.pdf"')
    text = " ".join(_text(response.data).split())
    assert "The candidate is not published yet: it may still change." in text
    assert "We join data to plan inserted: better (end inserted) services." in text
    # Unchanged since, the same candidate PDF is confirmed rather than sent again.
    again = anon.get(
        "/versions/1/compare/candidate.pdf", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304


# --- Downloads ------------------------------------------------------------------------------


def test_pdf_downloads_name_their_files_and_refuse_what_does_not_exist(app, anon, record):
    slug = app.config["CHARTER_SLUG"]
    response = anon.get("/versions/2.pdf")
    assert response.headers["Content-Disposition"] == f'attachment; filename="{slug}-v2.pdf"'
    again = anon.get("/versions/2.pdf", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304  # a published version never changes: no need to resend
    compared = anon.get("/versions/1/compare/2.pdf")
    assert compared.headers["Content-Disposition"] == (
        f'attachment; filename="{slug}-changes-1-to-2.pdf"'
    )
    for url in ("/versions/9.pdf", "/versions/1/compare/9.pdf", "/versions/x/compare/2.pdf"):
        assert anon.get(url).status_code == 404, url
    assert "/versions/2.pdf" in anon.get("/versions/2").get_data(as_text=True)
    assert "/versions/1/compare/2.pdf" in anon.get("/versions/1/compare/2").get_data(as_text=True)


def test_a_pdf_fetches_nothing_but_the_sites_own_files(app, record):
    from charter.exports import pdf

    page = (
        '<!doctype html><html lang="en-GB"><head><title>T</title>'
        '<link rel="stylesheet" href="https://example.org/evil.css"></head><body>'
        '<img src="https://example.org/pixel.png" alt="x"><img src="/static/../config.py" alt="y">'
        "<p>Hello</p></body></html>"
    )
    fetcher = pdf._fetcher(app.static_folder, pdf.BASE_URL)
    for url in ("https://example.org/pixel.png", pdf.BASE_URL + "static/../../config.py"):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert fetcher.fetch(pdf.BASE_URL + "static/css/pdf.css").read().startswith(b"/*")
    data = build_pdf(page, static_folder=app.static_folder)  # refused quietly, still a PDF
    assert "Hello" in _text(data)


# --- Verifying a PDF copy -------------------------------------------------------------------


def _download(anon, tmp_path, url="/versions/2.pdf", name="copy.pdf"):
    response = anon.get(url)
    assert response.status_code == 200, url
    path = tmp_path / name
    path.write_bytes(response.data)
    return path


def _page(record, markdown: str) -> str:
    return render_template(
        "versions/pdf_version.html",
        draft=parse_draft(markdown),
        intro=sealed_intro(record),
        document_title=record.description,
    )


def _forge(app, tmp_path, data: bytes, *, page=None, **changes):
    """Make a PDF as a forger would: the real page (or another), with a record they chose."""
    record = read_pdf(data).record
    if page is None:
        page = _page(record, record.markdown)
    forged = replace(record, **changes)
    path = tmp_path / "forged.pdf"
    path.write_bytes(
        build_pdf(page, static_folder=app.static_folder, record=forged, markdown_name="m.md")
    )
    return path


def test_an_untouched_pdf_is_exactly_the_version(runner, record, anon, tmp_path):
    path = _download(anon, tmp_path)
    copy = read_pdf(path.read_bytes())
    assert copy.record.number == 2 and copy.record.chain_hash == _version(2).chain_hash
    assert copy.record.markdown.startswith("# Test Charter\n")
    result = verify(runner, path)
    assert result.exit_code == 0, result.output
    assert (
        f"OK: {path} is exactly published version 2 (content hash {_version(2).content_hash})."
        in result.output
    )


def test_altered_embedded_markdown_is_caught(app, runner, record, anon, tmp_path):
    data = _download(anon, tmp_path).read_bytes()
    markdown = read_pdf(data).record.markdown.replace("improve", "sell")
    with app.test_request_context():
        path = _forge(app, tmp_path, data, markdown=markdown)
    _fails_with(
        verify(runner, path),
        f"{path}: its embedded Markdown was changed after download: it is not published version 2.",
    )


@pytest.mark.parametrize("field", ["content_hash", "chain_hash"])
def test_altered_claimed_hashes_are_caught(app, runner, record, anon, tmp_path, field):
    data = _download(anon, tmp_path).read_bytes()
    with app.test_request_context():
        path = _forge(app, tmp_path, data, **{field: getattr(_version(1), field)})
    _fails_with(
        verify(runner, path),
        f"{path}: its version record (the content hash or chain hash) was changed after "
        "download: it is not published version 2.",
    )


def test_altered_visible_text_is_caught(app, runner, record, anon, tmp_path):
    data = _download(anon, tmp_path).read_bytes()
    record = read_pdf(data).record
    with app.test_request_context():  # the real record, over pages showing one word changed
        html = _page(record, record.markdown.replace("improve", "sell"))
        path = _forge(app, tmp_path, data, page=html)
    _fails_with(
        verify(runner, path),
        f"{path}: its text was changed after download: it is not published version 2.",
    )


def _edited(path, edit):
    """Edit a downloaded PDF as a PDF editor would: every page, the record and all kept."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=str(path))
    edit(writer)
    writer.write(str(path))
    assert read_pdf(path.read_bytes()).record is not None  # the record came through the edit
    return path


def test_a_stamp_or_note_added_to_a_page_is_caught(runner, record, anon, tmp_path):
    from pypdf.annotations import FreeText

    path = _edited(
        _download(anon, tmp_path),
        lambda writer: writer.add_annotation(
            0, FreeText(text="Withdrawn: not in force", rect=(50, 700, 300, 760))
        ),
    )
    _fails_with(
        verify(runner, path),
        f"{path}: it has notes, stamps or drawings added to its pages: it is not published "
        "version 2.",
    )


def test_words_made_invisible_are_caught(runner, record, anon, tmp_path):
    from pypdf.generic import ContentStream

    def hide_everything(writer):
        page = writer.pages[0]
        contents = page.get_contents()
        hidden = ContentStream(None, writer)
        hidden.set_data(b"3 Tr\n" + contents.get_data())
        page.replace_contents(hidden)

    path = _edited(_download(anon, tmp_path), hide_everything)
    assert "Test Charter" in read_pdf(path.read_bytes()).text  # the text is all still there
    _fails_with(
        verify(runner, path),
        f"{path}: it hides some of its text: it is not published version 2.",
    )


def test_words_made_invisible_inside_a_drawing_are_caught(runner, record, anon, tmp_path):
    from pypdf.generic import (
        ArrayObject,
        ContentStream,
        DecodedStreamObject,
        DictionaryObject,
        NameObject,
        NumberObject,
    )

    def hide_in_a_drawing(writer):
        page = writer.pages[0]
        drawing = DecodedStreamObject()
        drawing.set_data(b"3 Tr BT ET")
        drawing.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject([NumberObject(0)] * 2 + [NumberObject(9)] * 2),
            }
        )
        resources = page["/Resources"].get_object()
        drawings = DictionaryObject({NameObject("/Hidden"): writer._add_object(drawing)})
        resources[NameObject("/XObject")] = writer._add_object(drawings)  # by reference
        contents = ContentStream(None, writer)
        contents.set_data(page.get_contents().get_data() + b"\n/Hidden Do\n")
        page.replace_contents(contents)

    path = _edited(_download(anon, tmp_path), hide_in_a_drawing)
    _fails_with(verify(runner, path), f"{path}: it hides some of its text")


def test_a_layer_that_can_hide_words_is_caught(runner, record, anon, tmp_path):
    from pypdf.generic import ArrayObject, DictionaryObject, NameObject

    def add_layers(writer):
        writer._root_object[NameObject("/OCProperties")] = DictionaryObject(
            {NameObject("/OCGs"): ArrayObject(), NameObject("/D"): DictionaryObject()}
        )

    path = _edited(_download(anon, tmp_path), add_layers)
    _fails_with(
        verify(runner, path),
        f"{path}: it has layers that can hide some of what it shows",
    )


def test_a_pdf_saved_again_unchanged_still_verifies(runner, record, anon, tmp_path):
    path = _edited(_download(anon, tmp_path), lambda writer: None)
    result = verify(runner, path)
    assert result.exit_code == 0, result.output


def test_a_claim_to_a_version_that_does_not_exist(app, runner, record, anon, tmp_path):
    data = _download(anon, tmp_path).read_bytes()
    with app.test_request_context():
        path = _forge(app, tmp_path, data, number=7)
    _fails_with(
        verify(runner, path),
        f"{path}: it claims to be published version 7, but there is no such version.",
    )


def test_pdfs_that_are_not_copies_of_a_version(app, runner, record, anon, tmp_path):
    comparison = _download(anon, tmp_path, "/versions/1/compare/2.pdf", "changes.pdf")
    _fails_with(
        verify(runner, comparison),
        f"{comparison}: it is a PDF file but carries no record of a published version",
    )
    other = tmp_path / "minutes.pdf"
    other.write_bytes(
        build_pdf(
            '<html lang="en-GB"><title>Minutes</title><p>Minutes of the meeting.</p></html>',
            static_folder=app.static_folder,
        )
    )
    _fails_with(
        verify(runner, other), f"{other}: it is a PDF file but carries no record of a published"
    )
    # Another document wearing version 2's attachments, exactly as downloaded.
    record = read_pdf(_download(anon, tmp_path).read_bytes()).record
    dressed = tmp_path / "dressed.pdf"
    with app.test_request_context():
        dressed.write_bytes(
            build_pdf(
                '<html lang="en-GB"><title>Minutes</title><p>Minutes of the meeting.</p></html>',
                static_folder=app.static_folder,
                record=record,
                markdown_name="charter-v2.md",
            )
        )
    _fails_with(
        verify(runner, dressed),
        f"{dressed}: its text was changed after download: it is not published version 2.",
    )
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\nnot really a PDF at all")
    _fails_with(verify(runner, broken), f"{broken}: it is a damaged PDF file")


def test_a_record_that_cannot_be_read(app, runner, record, tmp_path, monkeypatch):
    import json
    import types

    from charter.exports import pdf

    real = read_pdf(app.test_client().get("/versions/2.pdf").data).record
    # A charter-copy.json that names no version number and no Markdown attachment.
    monkeypatch.setattr(
        pdf,
        "json",
        types.SimpleNamespace(dumps=lambda *a, **k: '{"version": "two"}', loads=json.loads),
    )
    path = tmp_path / "odd.pdf"
    path.write_bytes(
        build_pdf(
            '<html lang="en-GB"><title>T</title><p>T</p></html>',
            static_folder=app.static_folder,
            record=real,
        )
    )
    _fails_with(verify(runner, path), f"{path}: its version record cannot be read")


def test_the_whole_sample_charter_round_trips(app, anon, runner, users, tmp_path):
    """Tables, links, lists and emphasis: the PDF shows exactly the embedded text."""
    from pathlib import Path

    from charter.clauses.operations import import_draft
    from charter.text.drafts import parse_draft
    from charter.versions.operations import publish_working_draft

    source = Path(app.root_path).parent / "drafts" / "citizen-data-charter.md"
    charter = import_draft(parse_draft(source.read_text()), slug=app.config["CHARTER_SLUG"])
    publish_working_draft(charter.charter, changelog="First.")
    db.session.commit()
    path = _download(anon, tmp_path, "/versions/1.pdf")
    result = verify(runner, path)
    assert result.exit_code == 0, result.output
    assert "is exactly published version 1" in result.output


def test_squeezing_ignores_only_line_breaks_and_spaces():
    assert squeeze("We join\ndata  to\u00adday") == "Wejoindatatoday"
    assert squeeze("a-b") != squeeze("ab")  # a printed hyphen is a character like any other
    page = (
        "<html><body><h1>T</h1><ol start='3'><li>One</li><li>Two</li></ol><ul><li>x</li></ul>"
        '<p>See <a href="https://ico.org.uk/">the ICO</a>.<!-- note --></p></body></html>'
    )
    assert squeeze(visible_text(page)) == "T3.One4.Two\u2022xSeetheICO(https://ico.org.uk/)."


def test_without_pango_a_pdf_is_refused_in_words_and_the_other_copies_still_work(
    committee, record, monkeypatch
):
    from charter.exports import pdf

    def no_pango():
        raise pdf.PdfUnavailable("cannot load library 'libpango-1.0-0'")

    monkeypatch.setattr(pdf, "_load_weasyprint", no_pango)
    refused = committee.get("/versions/2.pdf")
    assert refused.status_code == 503
    page = refused.get_data(as_text=True)
    assert "PDF copies cannot be made on this server just now." in page
    assert "libpango" not in page  # the cause goes to the log, not to the reader
    assert committee.get("/versions/2.docx").status_code == 200
    assert committee.get("/versions/2.md").status_code == 200
