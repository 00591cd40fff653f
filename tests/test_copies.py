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
