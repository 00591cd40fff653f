"""`charter verify FILE` on downloaded copies: Markdown and Word, untouched and tampered."""

import io
import zipfile

import pytest

from charter.extensions import db
from charter.models import CharterVersion

# Each download of published version 2 that carries its record.
DOWNLOADS = {
    "markdown": ("/versions/2.md", "copy.md"),
    "word": ("/versions/2.docx", "copy.docx"),
    "word redline": ("/versions/1/compare/2.docx", "changes.docx"),
}


def verify(runner, path):
    return runner.invoke(args=["charter", "verify", str(path)])


def _version(number: int) -> CharterVersion:
    return db.session.scalar(db.select(CharterVersion).filter_by(number=number))


def _download(anon, tmp_path, kind):
    url, name = DOWNLOADS[kind]
    response = anon.get(url)
    assert response.status_code == 200, url
    assert response.headers["Content-Disposition"].startswith("attachment;")
    path = tmp_path / name
    path.write_bytes(response.data)
    return path


def _rezip(path, change, member=None):
    """Rewrite one member of a Word file (ours: the one holding the version record)."""
    with zipfile.ZipFile(path) as source:
        items = [(info, source.read(info.filename)) for info in source.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info, blob in items:
            ours = info.filename == member if member else b"urn:x-charter:copy" in blob
            target.writestr(info, change(blob) if ours else blob)
    path.write_bytes(out.getvalue())


def _fails_with(result, message):
    assert result.exit_code == 1, result.output
    assert f"FAIL {message}" in result.output, result.output


@pytest.mark.parametrize("kind", DOWNLOADS)
def test_an_untouched_copy_is_exactly_the_version(runner, record, anon, tmp_path, kind):
    path = _download(anon, tmp_path, kind)
    result = verify(runner, path)
    assert result.exit_code == 0, result.output
    assert (
        f"OK: {path} is exactly published version 2 (content hash {_version(2).content_hash})."
        in result.output
    )


@pytest.mark.parametrize("kind", DOWNLOADS)
def test_changed_visible_text_is_caught(runner, record, anon, tmp_path, kind):
    path = _download(anon, tmp_path, kind)
    if kind == "markdown":
        path.write_bytes(path.read_bytes().replace(b"improve", b"sell"))
    else:
        _rezip(path, lambda xml: xml.replace(b"improve", b"sell"), "word/document.xml")
    _fails_with(
        verify(runner, path),
        f"{path}: its text was changed after download: it is not published version 2.",
    )


@pytest.mark.parametrize("kind", ["word", "word redline"])
def test_changed_embedded_markdown_is_caught(runner, record, anon, tmp_path, kind):
    path = _download(anon, tmp_path, kind)
    _rezip(path, lambda xml: xml.replace(b"improve", b"sell"))
    _fails_with(
        verify(runner, path),
        f"{path}: its embedded Markdown was changed after download: it is not published version 2",
    )


def test_changed_text_with_its_hash_recomputed_is_still_caught(runner, record, anon, tmp_path):
    from charter.text.hashing import sha256_text

    path = _download(anon, tmp_path, "word")
    text = path.read_bytes()
    # Change both what is shown and the Markdown, and put the new text's hash in the record.
    with zipfile.ZipFile(path) as archive:
        part = next(n for n in archive.namelist() if b"urn:x-charter" in archive.read(n))
        xml = archive.read(part).decode()
    markdown = xml.split("<markdown>", 1)[1].split("</markdown>", 1)[0]
    forged = markdown.replace("improve", "sell")
    _rezip(path, lambda xml: xml.replace(b"improve", b"sell"), "word/document.xml")
    _rezip(
        path,
        lambda xml: xml.replace(b"improve", b"sell").replace(
            _version(2).content_hash.encode(), sha256_text(forged).encode()
        ),
    )
    assert path.read_bytes() != text
    _fails_with(verify(runner, path), f"{path}: its embedded Markdown was changed after download")


@pytest.mark.parametrize("kind", DOWNLOADS)
def test_changed_hash_fields_are_caught(runner, record, anon, tmp_path, kind):
    path = _download(anon, tmp_path, kind)
    chain = _version(2).chain_hash.encode()
    forged = _version(1).chain_hash.encode()
    if kind == "markdown":
        path.write_bytes(path.read_bytes().replace(chain, forged))
        what = "header (the content hash or chain hash)"
    else:
        _rezip(path, lambda xml: xml.replace(chain, forged))
        what = "version record (the content hash or chain hash)"
    _fails_with(
        verify(runner, path),
        f"{path}: its {what} was changed after download: it is not published version 2.",
    )


@pytest.mark.parametrize("kind", DOWNLOADS)
def test_a_copy_claiming_a_version_that_does_not_exist(runner, record, anon, tmp_path, kind):
    path = _download(anon, tmp_path, kind)
    if kind == "markdown":
        path.write_bytes(path.read_bytes().replace(b"version: 2\n", b"version: 7\n", 1))
    else:
        _rezip(path, lambda xml: xml.replace(b"<version>2</version>", b"<version>7</version>"))
    _fails_with(
        verify(runner, path),
        f"{path}: it claims to be published version 7, but there is no such version.",
    )


def test_a_header_claiming_another_version_is_refused(runner, record, anon, tmp_path):
    path = _download(anon, tmp_path, "markdown")
    old, new = _version(1), _version(2)
    path.write_bytes(
        path.read_bytes()
        .replace(b"version: 2\n", b"version: 1\n", 1)
        .replace(new.content_hash.encode(), old.content_hash.encode())
        .replace(new.chain_hash.encode(), old.chain_hash.encode())
    )
    _fails_with(
        verify(runner, path),
        f"{path}: its text was changed after download: it is not published version 1.",
    )


def test_a_plain_markdown_copy_without_a_header_still_verifies(runner, record, anon, tmp_path):
    path = _download(anon, tmp_path, "markdown")
    path.write_bytes(path.read_bytes().split(b"-->\n", 1)[1])
    result = verify(runner, path)
    assert result.exit_code == 0, result.output
    assert f"OK: {path} is exactly published version 2" in result.output


def test_a_downloaded_copy_imports_as_its_text(runner, record, anon, tmp_path):
    path = _download(anon, tmp_path, "markdown")
    result = runner.invoke(args=["charter", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert f"Working draft content hash: {_version(2).content_hash}" in result.output


def test_files_that_are_not_charter_copies(runner, record, anon, tmp_path, users):
    from tests.conftest import propose

    cases = {
        "photo.png": b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe",
        "notes.md": b"# Shopping\n\n- milk\n",
    }
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("hello.txt", "hello")
    cases["archive.docx"] = archive.getvalue()
    proposal = propose(record, users["citizen"])
    db.session.commit()
    cases["proposal.docx"] = anon.get(f"/proposals/{proposal.id}.docx").data
    expected = {
        "photo.png": "it is not a Markdown, Word or PDF copy of the charter.",
        "notes.md": "it is not exactly any published version.",
        "archive.docx": "it is not a Markdown, Word or PDF copy of the charter.",
        "proposal.docx": "it is a Word file but carries no record of a published version",
    }
    for name, data in cases.items():
        path = tmp_path / name
        path.write_bytes(data)
        _fails_with(verify(runner, path), f"{path}: {expected[name]}")


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _edit_body(path, edit):
    """Change the body of a Word file as an editor would, through its XML."""
    from lxml import etree

    def change(xml):
        root = etree.fromstring(xml)
        edit(root)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    _rezip(path, change, "word/document.xml")


def _run_with(root, words):
    return next(t.getparent() for t in root.iter(_W + "t") if words in (t.text or ""))


def test_a_word_copy_saved_again_unchanged_still_verifies(runner, record, anon, tmp_path):
    import docx

    path = _download(anon, tmp_path, "word")
    docx.Document(str(path)).save(str(path))
    assert verify(runner, path).exit_code == 0


def test_words_hidden_with_word_formatting_are_caught(runner, record, anon, tmp_path):
    from lxml import etree

    def hide(root):
        run = _run_with(root, "improve")
        properties = run.find(_W + "rPr")
        if properties is None:
            properties = etree.SubElement(run, _W + "rPr")
            run.insert(0, properties)
        etree.SubElement(properties, _W + "vanish")

    path = _download(anon, tmp_path, "word")
    _edit_body(path, hide)
    _fails_with(
        verify(runner, path),
        f"{path}: it hides some of its text (Word's hidden-text formatting): it is not published "
        "version 2.",
    )
    # Hidden-text formatting switched off, as Word may write it when it saves, is no change.
    _rezip(
        path, lambda xml: xml.replace(b"<w:vanish/>", b'<w:vanish w:val="0"/>'), "word/document.xml"
    )
    assert verify(runner, path).exit_code == 0


def test_every_word_hidden_through_the_styles_is_caught(runner, record, anon, tmp_path):
    path = _download(anon, tmp_path, "word")
    _rezip(
        path,
        lambda xml: xml.replace(b"<w:rPrDefault><w:rPr>", b"<w:rPrDefault><w:rPr><w:vanish/>", 1),
        "word/styles.xml",
    )
    with zipfile.ZipFile(path) as archive:
        assert b"<w:vanish/>" in archive.read("word/styles.xml")
    _fails_with(verify(runner, path), f"{path}: it hides some of its text")


def test_words_added_in_a_footer_are_caught(runner, record, anon, tmp_path):
    import docx

    path = _download(anon, tmp_path, "word")
    document = docx.Document(str(path))
    document.sections[0].footer.paragraphs[0].text = "Withdrawn: this version is not in force."
    document.save(str(path))
    _fails_with(
        verify(runner, path),
        f"{path}: it has words in a header, footer, note or comment: it is not published "
        "version 2.",
    )


def test_a_deletion_slipped_into_a_copy_of_a_version_is_caught(runner, record, anon, tmp_path):
    from lxml import etree

    def slip(root):
        run = _run_with(root, "improve")
        deletion = etree.Element(_W + "del", {_W + "id": "901", _W + "author": "Someone"})
        words = etree.SubElement(etree.SubElement(deletion, _W + "r"), _W + "delText")
        words.text = "never "
        run.addprevious(deletion)

    path = _download(anon, tmp_path, "word")
    _edit_body(path, slip)
    _fails_with(
        verify(runner, path),
        f"{path}: its tracked changes were accepted, rejected or edited after download",
    )


def test_a_redline_whose_old_words_were_edited_is_caught(runner, record, anon, tmp_path):
    def reword(root):
        deleted = next(root.iter(_W + "delText"))
        deleted.text = "spy on " + deleted.text

    path = _download(anon, tmp_path, "word redline")
    _edit_body(path, reword)
    _fails_with(
        verify(runner, path),
        f"{path}: its tracked changes were accepted, rejected or edited after download",
    )


def test_a_redline_with_its_changes_accepted_is_no_longer_the_redline(
    runner, record, anon, tmp_path
):
    def accept_all(root):
        for mark in list(root.iter(_W + "del")):
            mark.getparent().remove(mark)
        for mark in list(root.iter(_W + "ins")):
            parent = mark.getparent()
            for child in list(mark):
                mark.addprevious(child)
            parent.remove(mark)

    path = _download(anon, tmp_path, "word redline")
    _edit_body(path, accept_all)
    with zipfile.ZipFile(path) as archive:
        body = archive.read("word/document.xml")
    assert b"<w:del " not in body and b"<w:ins " not in body
    _fails_with(
        verify(runner, path),
        f"{path}: its tracked changes were accepted, rejected or edited after download",
    )


@pytest.mark.parametrize("kind", ["word", "word redline"])
def test_a_title_changed_everywhere_is_caught(runner, record, anon, tmp_path, kind):
    path = _download(anon, tmp_path, kind)
    with zipfile.ZipFile(path) as archive:
        shown = archive.read("word/document.xml")
    title = (
        b"Test Charter: the text of version 2"
        if kind == "word"
        else (b"Test Charter: changes from version 1 to version 2")
    )
    assert title in shown
    forged = b"Test Charter: withdrawn, not in force"
    _rezip(path, lambda xml: xml.replace(title, forged), "word/document.xml")
    _rezip(path, lambda xml: xml.replace(title, forged))  # and in the record
    _fails_with(
        verify(runner, path),
        f"{path}: its title was changed after download: it is not published version 2.",
    )


@pytest.mark.parametrize(
    "url, number", [("/versions/2/compare/1.docx", 1), ("/versions/2/compare/2.docx", 2)]
)
def test_a_redline_backwards_or_of_no_change_verifies_as_the_version_it_ends_at(
    runner, record, anon, tmp_path, url, number
):
    path = tmp_path / "changes.docx"
    path.write_bytes(anon.get(url).data)
    result = verify(runner, path)
    assert result.exit_code == 0, result.output
    assert f"is exactly published version {number}" in result.output


@pytest.mark.parametrize("part", ["word/document.xml", "word/styles.xml", "record"])
def test_a_damaged_part_of_a_word_copy_is_refused_in_words(runner, record, anon, tmp_path, part):
    path = _download(anon, tmp_path, "word")
    _rezip(path, lambda xml: xml[: len(xml) // 2], None if part == "record" else part)
    result = verify(runner, path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "is damaged: it cannot be checked." in result.output, result.output


def test_a_word_copy_with_a_corrupted_entry_is_refused_in_words(runner, record, anon, tmp_path):
    path = _download(anon, tmp_path, "word")
    with zipfile.ZipFile(path) as source:
        items = [(info.filename, source.read(info.filename)) for info in source.infolist()]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for name, blob in items:
            target.writestr(name, blob)
    data = bytearray(out.getvalue())
    at = data.index(b"improve")  # stored as is: one byte changed fails the entry's CRC
    data[at] = ord("I")
    path.write_bytes(bytes(data))
    result = verify(runner, path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "word/document.xml is damaged: it cannot be checked." in result.output, result.output


def test_a_part_too_large_to_be_a_copy_is_refused_before_it_is_read(
    runner, record, anon, tmp_path, monkeypatch
):
    from charter.exports import redline

    path = _download(anon, tmp_path, "word")
    with zipfile.ZipFile(path) as archive:
        size = archive.getinfo("word/document.xml").file_size
    monkeypatch.setattr(redline, "MAX_PART_BYTES", size - 1)  # as a bomb would be, past it
    read = zipfile.ZipFile.read

    def guarded(archive, name, *args):
        assert name != "word/document.xml", "read a part past the limit"
        return read(archive, name, *args)

    monkeypatch.setattr(zipfile.ZipFile, "read", guarded)
    result = verify(runner, path)
    assert "word/document.xml is too large for a copy of the charter" in result.output
