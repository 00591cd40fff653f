"""Tagged, accessible PDFs of the charter, and reading a PDF copy back.

WeasyPrint lays out a page we render for it (templates/versions/pdf_*.html) as a tagged PDF
(PDF/UA-1: structure tree, language, title, headings in order). It may read only the site's
own static files: no fonts, images or styles from anywhere else.

A copy of a published version carries two attachments: the canonical Markdown
(charter-vN.md) and a small JSON record (charter-copy.json) naming the version number,
content hash and chain hash. `read_pdf` gives both back, with the text a reader sees.
"""

import io
import json
import mimetypes
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from lxml import html as lxml_html

from charter.exports.redline import CopyRecord, DamagedRecord

PDF_MIMETYPE = "application/pdf"
RECORD_NAME = "charter-copy.json"
RECORD_FORMAT = "urn:x-charter:copy:1"
# The address a page is laid out at when there is no request: only /static/ files are read.
BASE_URL = "https://charter.invalid/"
# Fixed, so the same version is the same bytes (the PDF's ID hashes its metadata).
_EPOCH = datetime(2000, 1, 1, tzinfo=UTC)


class NotAPdfFile(ValueError):
    """Bytes that are not a PDF document."""


class PdfUnavailable(RuntimeError):
    """This server cannot lay out PDFs: WeasyPrint's system libraries (Pango) are missing."""


def _load_weasyprint() -> None:
    # WeasyPrint loads Pango when first imported; a server without it can still serve the rest.
    try:
        import weasyprint  # noqa: F401
    except OSError as err:
        raise PdfUnavailable(str(err)) from err


def _fetcher(static_folder: str, base_url: str):
    _load_weasyprint()
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    root = Path(static_folder).resolve()

    class StaticOnly(URLFetcher):
        """Serve the site's own static files; refuse every other address."""

        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if not url.startswith(base_url + "static/") or parts.query:
                raise ValueError(f"a PDF may only use the site's own files, not {url}")
            path = (root / parts.path.removeprefix("/static/")).resolve()
            if not path.is_relative_to(root) or not path.is_file():
                raise ValueError(f"no such static file: {url}")
            kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": kind})

    return StaticOnly(fail_on_errors=False)


def build_pdf(
    html: str,
    *,
    static_folder: str,
    stylesheets: tuple[str, ...] = ("css/print.css", "css/pdf.css"),
    record: CopyRecord | None = None,
    markdown_name: str = "charter.md",
    base_url: str = BASE_URL,
) -> bytes:
    """Lay out a page as a tagged PDF; a published version's record goes in as attachments."""
    _load_weasyprint()
    from weasyprint import CSS, HTML, Attachment

    # Links in the PDF point at the site that made it; only its static files are fetched.
    fetcher = _fetcher(static_folder, base_url)
    attachments = []
    if record is not None:
        fields = {
            "format": RECORD_FORMAT,
            "version": record.number,
            "content-hash": record.content_hash,
            "chain-hash": record.chain_hash,
            "description": record.description,
            "markdown": markdown_name,
        }
        attachments = [
            Attachment(
                string=record.markdown,
                name=markdown_name,
                description="The canonical Markdown of this version: its SHA-256 is the "
                "content hash.",
                created=_EPOCH,
                modified=_EPOCH,
            ),
            Attachment(
                string=json.dumps(fields, indent=2, ensure_ascii=False) + "\n",
                name=RECORD_NAME,
                description="The version number, content hash and chain hash of this copy.",
                created=_EPOCH,
                modified=_EPOCH,
            ),
        ]
    document = HTML(string=html, base_url=base_url, url_fetcher=fetcher)
    return document.write_pdf(
        stylesheets=[CSS(url=base_url + "static/" + s, url_fetcher=fetcher) for s in stylesheets],
        attachments=attachments,
        pdf_variant="pdf/ua-1",
        pdf_tags=True,
        pdf_identifier=b"charter",
        custom_metadata=True,
    )


# A change that ends in a space, then its closing words: "better (end inserted)services".
_SPACE_BEFORE_END = re.compile(
    r'(\s+)(<span class="visually-hidden"> \(end (?:inserted|deleted)\)</span></(?:ins|del)>)'
)


def words_after_marks(page_html: str) -> str:
    """Move the space that ends a change to after its "(end inserted)" or "(end deleted)".

    On the site those words are hidden, and the space inside the change separates it from the
    next word; in a PDF they show, and would run into the next word without it.
    """
    return _SPACE_BEFORE_END.sub(r"\2\1", page_html)


# --- Reading back ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PdfCopy:
    """What a PDF holds: its version record (None if it carries none) and its visible text."""

    record: CopyRecord | None
    text: str
    added: str | None = None  # what the file hides or shows beyond its text, if anything


def _open(data: bytes):
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not data.lstrip()[:5] == b"%PDF-":
        raise NotAPdfFile("it is not a PDF file")
    try:
        return PdfReader(io.BytesIO(data), strict=False)
    except (PdfReadError, ValueError, KeyError, TypeError) as err:
        raise NotAPdfFile("it is a damaged PDF file") from err


def _attachments(reader) -> dict[str, bytes]:
    found = {}
    for name, contents in (reader.attachments or {}).items():
        if contents:
            found[name] = contents[0]
    return found


def read_pdf(data: bytes) -> PdfCopy:
    """Return a PDF's version record and the text its pages show, page after page."""
    reader = _open(data)
    try:
        files = _attachments(reader)
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
        added = unseen_or_extra_marks(reader)
    except Exception as err:  # pypdf raises many kinds on a broken file
        raise NotAPdfFile("it is a damaged PDF file") from err
    if RECORD_NAME not in files:
        return PdfCopy(None, text, added)
    try:
        fields = json.loads(files[RECORD_NAME].decode("utf-8"))
        number = int(fields["version"])
        markdown = files[fields["markdown"]].decode("utf-8")
        record = CopyRecord(
            number=number,
            content_hash=str(fields["content-hash"]).strip(),
            chain_hash=str(fields["chain-hash"]).strip(),
            description=str(fields.get("description", "")),
            markdown=markdown,
        )
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise DamagedRecord("its version record cannot be read") from err
    return PdfCopy(record, text, added)


# Text render modes that draw nothing: invisible, and invisible but clipping.
_INVISIBLE_MODES = {3, 7}


def unseen_or_extra_marks(reader) -> str | None:
    """Say what a PDF hides or shows besides the text of its pages, or None.

    WeasyPrint, as Charter uses it, writes links and no other annotation, no layers, and no
    invisible text: a note, stamp or drawing put on a page, a layer that can be switched
    off, or words made invisible mean the file was changed, however right its text reads.
    """
    from pypdf.generic import ContentStream

    def resolved(value, empty):
        # A value may sit in the file as a reference to an object elsewhere.
        return empty if value is None else value.get_object()

    if "/OCProperties" in reader.trailer["/Root"]:
        return "it has layers that can hide some of what it shows"
    for page in reader.pages:
        for annotation in resolved(page.get("/Annots"), []):
            if annotation.get_object().get("/Subtype") != "/Link":
                return "it has notes, stamps or drawings added to its pages"
        streams, seen = [(page.get_contents(), page.get("/Resources"))], set()
        while streams:
            contents, resources = streams.pop()
            if contents is None:
                continue
            for operands, operator in ContentStream(contents, reader).operations:
                if operator == b"Tr" and operands and int(operands[0]) in _INVISIBLE_MODES:
                    return "it hides some of its text"
            # Drawings a page places (form XObjects) have text of their own.
            drawings = resolved(resolved(resources, {}).get("/XObject"), {})
            for form in drawings.values():
                form = form.get_object()
                if form.get("/Subtype") == "/Form" and id(form) not in seen:
                    seen.add(id(form))
                    streams.append((form, form.get("/Resources")))
    return None


# --- Comparing what a page shows ------------------------------------------------------------

# Characters that show nothing: a soft hyphen, zero-width spaces and joiners. (WeasyPrint
# only hyphenates with `hyphens: auto`, which our styles never set.)
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_SPACE = re.compile(r"\s+")


def visible_text(page_html: str) -> str:
    """Return the text a PDF of this page shows, in reading order, as the PDF styles it.

    Written for our own PDF templates: hidden parts (class "pdf-hidden") are left out, and a
    web address follows its link's words in brackets, as css/print.css writes it out.
    """
    root = lxml_html.document_fromstring(page_html)
    body = root.find("body")
    out: list[str] = []

    def walk(element, marker: str = "") -> None:
        if not isinstance(element.tag, str) or "pdf-hidden" in (element.get("class") or ""):
            return  # a comment, or what the PDF never shows
        if element.tag in ("script", "style", "head", "title"):
            return
        out.append(marker)  # css/pdf.css puts list markers inside the text, where they read
        start = element.get("start") or "1"
        count = (int(start) if start.isdigit() else 1) if element.tag == "ol" else 0
        if element.text:
            out.append(element.text)
        for child in element:
            if child.tag == "li" and element.tag in ("ul", "ol"):
                walk(child, f"{count}. " if count else "\u2022 ")
                count += 1 if count else 0
            else:
                walk(child)
            if child.tail:
                out.append(child.tail)
        if element.tag == "a" and (element.get("href") or "").startswith("http"):
            out.append(f" ({element.get('href')})")
        if element.tag in ("p", "h1", "h2", "h3", "li", "td", "th", "div", "section"):
            out.append("\n")

    walk(body)
    return "".join(out)


def squeeze(text: str) -> str:
    """Return text with every space, line break and break-hyphen taken out.

    Two texts that squeeze the same read as the same words in the same order: a PDF breaks
    lines, and a reader gets its text back with breaks in other places, which no one can see.
    """
    return _SPACE.sub("", _INVISIBLE.sub("", text))
