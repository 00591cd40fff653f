"""Word (.docx) files whose changes are real tracked changes, and reading such files back.

A document is a title block (plain paragraphs) followed by blocks of diff parts. A newline
inside a part is a paragraph mark with that part's change, so a paragraph added by the word
diff is an inserted paragraph mark in Word's own terms, and Word's "Accept all changes" and
"Reject all changes" give back the new and the old text exactly.

A copy of a published version also carries a custom XML part (customXml/itemN.xml, root
element <copy xmlns="urn:x-charter:copy:1">) holding the version number, content hash,
chain hash, the title block's description and the canonical Markdown. Word keeps custom XML
parts when it saves a file (it may renumber them), so a reader finds ours by its namespace,
never by its file name.
"""

import io
import re
import uuid
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part as PackagePart
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from charter.changes import ClauseChange
from charter.text.diffing import DELETE, EQUAL, INSERT, Op, Part
from charter.text.drafts import Draft

COMMITTEE = "Data Ethics Committee"
COPY_NS = "urn:x-charter:copy:1"
DOCX_MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_DS = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
_PROPS_TYPE = "application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
_FIELDS = ("version", "content-hash", "chain-hash", "description", "markdown")
# Characters XML 1.0 cannot hold at all. A published text never has them (drafts refuse them),
# but an old proposal might: in Word they show as U+FFFD rather than failing the download.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Never fetch anything or expand entities from a file someone sent us.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


class NotAWordFile(ValueError):
    """Bytes that are not a Word document."""


class DamagedRecord(ValueError):
    """A version record in a Word file that cannot be read."""


class DamagedWordFile(ValueError):
    """A Word file whose text or formatting cannot be read."""


@dataclass(frozen=True)
class Block:
    """A paragraph's worth of diff parts, in one style, and the change to the mark after it."""

    style: str
    parts: tuple[Part, ...]
    end: Op = EQUAL


@dataclass(frozen=True)
class CopyRecord:
    """What a copy of a published version says it is, with the text that proves it."""

    number: int
    content_hash: str
    chain_hash: str
    description: str
    markdown: str


@dataclass(frozen=True)
class Redline:
    """Everything a Word file shows: title block, text with its changes, who made them, when."""

    title: str
    intro: tuple[str, ...]
    blocks: tuple[Block, ...]
    author: str = COMMITTEE
    date: datetime | None = None
    record: CopyRecord | None = None


# --- Building the blocks --------------------------------------------------------------------


def _same(text: str) -> tuple[Part, ...]:
    return (Part(EQUAL, text),) if text else ()


def change_blocks(change: ClauseChange, heading_style: str = "Heading 1") -> tuple[Block, ...]:
    """Return a clause's heading and body as blocks; a whole clause added or removed takes
    its paragraph marks with it."""
    end = {"added": INSERT, "removed": DELETE}.get(change.kind, EQUAL)
    return (
        Block(heading_style, change.heading.parts, end),
        Block("Normal", change.body.parts, end),
    )


def draft_blocks(draft: Draft) -> tuple[Block, ...]:
    """Return a whole charter as blocks with no changes: title, preamble, then each clause."""
    blocks = [Block("Title", _same(draft.title)), Block("Normal", _same(draft.preamble))]
    for clause in draft.clauses:
        blocks += [Block("Heading 1", _same(clause.heading)), Block("Normal", _same(clause.body))]
    return tuple(blocks)


def blocks_text(blocks: Iterable[Block], *, accept: bool = True) -> str:
    """Return the text blocks give once every change is accepted (or rejected)."""
    dropped = DELETE if accept else INSERT
    out = []
    for block in blocks:
        out += [text for op, text in block.parts if op != dropped]
        out.append("" if block.end == dropped else "\n")
    return "".join(out)


def sealed_intro(record: CopyRecord) -> tuple[str, ...]:
    """Return the title block of a copy of a published version: what it is and its hashes."""
    return (
        record.description,
        f"Published version {record.number}.",
        f"Content hash (SHA-256 of the charter's Markdown): {record.content_hash}",
        f"Chain hash: {record.chain_hash}",
        "To check that this file is exactly the published version, compare these hashes "
        "with the version's page, or run: flask --app wsgi charter verify FILE",
    )


def intro_text(intro: Iterable[str]) -> str:
    """Return the title block's text as read back from the document."""
    return "".join(line + "\n" for line in intro)


# --- Writing --------------------------------------------------------------------------------


def _iso(moment: datetime | None) -> str:
    moment = (moment or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


class _Writer:
    """Append paragraphs and revision runs to a python-docx document with lxml."""

    def __init__(self, document, author: str, date: str):
        self.document, self.author, self.date = document, author, date
        self.next_id = 1
        self.styles: dict[str, str] = {}

    def paragraph(self, style: str):
        # Look each style up once: python-docx searches every style on every lookup.
        if style not in self.styles:
            self.styles[style] = self.document.styles[style].style_id
        paragraph = self.document.add_paragraph()._p
        paragraph.style = self.styles[style]
        return paragraph

    def revision(self, tag: str):
        mark = OxmlElement(tag)
        mark.set(qn("w:id"), str(self.next_id))
        mark.set(qn("w:author"), self.author)
        mark.set(qn("w:date"), self.date)
        self.next_id += 1
        return mark

    def run(self, paragraph, op: Op, text: str) -> None:
        run = OxmlElement("w:r")
        for i, piece in enumerate(text.split("\t")):
            if i:
                run.append(OxmlElement("w:tab"))
            if piece:
                element = OxmlElement("w:delText" if op == DELETE else "w:t")
                element.set(qn("xml:space"), "preserve")
                element.text = _NOT_XML.sub("\ufffd", piece)
                run.append(element)
        if op == EQUAL:
            paragraph.append(run)
        else:
            wrapper = self.revision("w:del" if op == DELETE else "w:ins")
            wrapper.append(run)
            paragraph.append(wrapper)

    def end(self, paragraph, op: Op) -> None:
        # The paragraph mark itself is inserted or deleted: Word joins the paragraphs when
        # that change is undone, exactly as the newline it stands for would disappear.
        if op == EQUAL:
            return
        properties = OxmlElement("w:rPr")
        properties.append(self.revision("w:del" if op == DELETE else "w:ins"))
        paragraph.get_or_add_pPr().append(properties)


def build_docx(redline: Redline) -> bytes:
    """Write a redline as .docx bytes, its changes as Word tracked changes."""
    document = Document()
    body = document.element.body
    for paragraph in body.findall(qn("w:p")):
        body.remove(paragraph)
    core = document.core_properties
    core.title, core.author, core.language = redline.title, redline.author, "en-GB"
    if redline.date is not None:
        core.created = core.modified = redline.date.astimezone(UTC).replace(tzinfo=None)
    writer = _Writer(document, redline.author, _iso(redline.date))
    for i, line in enumerate(redline.intro):
        writer.run(writer.paragraph("Subtitle" if i == 0 else "Normal"), EQUAL, line)
    for block in redline.blocks:
        paragraph = writer.paragraph(block.style)
        for op, text in block.parts:
            for i, piece in enumerate(text.split("\n")):
                if i:
                    writer.end(paragraph, op)
                    paragraph = writer.paragraph(block.style)
                if piece:
                    writer.run(paragraph, op, piece)
        writer.end(paragraph, block.end)
    writer.paragraph("Normal")  # the last mark can never be a change in Word
    if redline.record is not None:
        _attach(document, redline.record)
    out = io.BytesIO()
    document.save(out)
    return _steady(out.getvalue())


def _steady(data: bytes) -> bytes:
    # python-docx stamps each zip entry with the time of writing; a fixed stamp makes the
    # same redline the same bytes, so its ETag holds and caches can keep it.
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def _attach(document, record: CopyRecord) -> None:
    package = document.part.package
    root = etree.Element(f"{{{COPY_NS}}}copy", nsmap={None: COPY_NS})
    values = (str(record.number), record.content_hash, record.chain_hash, record.description)
    for name, value in zip(_FIELDS, (*values, record.markdown), strict=True):
        etree.SubElement(root, f"{{{COPY_NS}}}{name}").text = value
    blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    # The blank template already has custom XML parts of its own: take the next free names.
    item_name = package.next_partname("/customXml/item%d.xml")
    item = PackagePart(item_name, "application/xml", blob, package)
    item_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{COPY_NS}:{record.chain_hash}")
    props = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<ds:datastoreItem ds:itemID="{{{str(item_id).upper()}}}" xmlns:ds="{_DS}">'
        f'<ds:schemaRefs><ds:schemaRef ds:uri="{COPY_NS}"/></ds:schemaRefs></ds:datastoreItem>'
    ).encode()
    props_name = PackURI(item_name.replace("/item", "/itemProps"))
    properties = PackagePart(props_name, _PROPS_TYPE, props, package)
    item.relate_to(properties, RT.CUSTOM_XML_PROPS)
    document.part.relate_to(item, RT.CUSTOM_XML)


# --- Reading back ---------------------------------------------------------------------------


def _open(data: bytes) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as err:
        raise NotAWordFile("it is not a Word file") from err
    if "word/document.xml" not in archive.namelist():
        raise NotAWordFile("it is a zip file but not a Word document")
    return archive


def _part(archive: zipfile.ZipFile, name: str):
    """Parse one XML part of a Word file, or say the file is damaged."""
    try:
        return etree.fromstring(_readable(archive, name), _PARSER)
    except etree.XMLSyntaxError as err:
        raise DamagedWordFile(f"its part {name} is damaged") from err


# A part of a copy of the charter is well under a megabyte; a file someone sends could unpack
# to gigabytes (a "zip bomb"), so a part larger than this is refused before it is read.
MAX_PART_BYTES = 64 * 1024 * 1024


def _readable(archive: zipfile.ZipFile, name: str) -> bytes:
    if archive.getinfo(name).file_size > MAX_PART_BYTES:
        raise DamagedWordFile(f"its part {name} is too large for a copy of the charter")
    try:
        return archive.read(name)
    except (zipfile.BadZipFile, EOFError, OSError) as err:
        raise DamagedWordFile(f"its part {name} is damaged") from err


def read_record(data: bytes) -> CopyRecord | None:
    """Return the version record a Word file carries, or None if it carries none."""
    with _open(data) as archive:
        for name in archive.namelist():
            if not (name.startswith("customXml/") and name.endswith(".xml")) or "_rels" in name:
                continue
            try:
                root = _part(archive, name)
            except DamagedWordFile:
                if b"urn:x-charter:copy" in _readable(archive, name):
                    raise  # ours, and broken
                continue  # someone else's part: not ours to judge
            if root.tag == f"{{{COPY_NS}}}copy":
                return _record(root)
    return None


def _record(root) -> CopyRecord:
    values = {}
    for name in _FIELDS:
        element = root.find(f"{{{COPY_NS}}}{name}")
        if element is None:
            raise DamagedRecord(f"its version record has no {name}")
        values[name] = element.text or ""
    try:
        number = int(values["version"])
    except ValueError as err:
        raise DamagedRecord("its version record names no version number") from err
    return CopyRecord(
        number=number,
        content_hash=values["content-hash"].strip(),
        chain_hash=values["chain-hash"].strip(),
        description=values["description"],
        markdown=values["markdown"],
    )


def _change_of(element, paragraph) -> Op | None:
    # What change an element of text sits in; None for formatting (a tab stop, say).
    node = element.getparent()
    while node is not None and node is not paragraph:
        tag = node.tag
        if tag in (_W + "del", _W + "moveFrom"):
            return DELETE
        if tag in (_W + "ins", _W + "moveTo"):
            return INSERT
        if tag in (_W + "pPr", _W + "rPr"):
            return None
        node = node.getparent()
    return EQUAL


def _mark_of(paragraph) -> Op:
    properties = paragraph.find(f"{_W}pPr/{_W}rPr")
    if properties is not None:
        if properties.find(_W + "del") is not None:
            return DELETE
        if properties.find(_W + "ins") is not None:
            return INSERT
    return EQUAL


_TEXT = {_W + "t": None, _W + "delText": None, _W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n"}


def read_text(data: bytes, *, accept: bool = True) -> str:
    """Return a Word file's text with every change accepted (or every change rejected)."""
    with _open(data) as archive:
        root = _part(archive, "word/document.xml")
    dropped = DELETE if accept else INSERT
    body = root.find(_W + "body")
    paragraphs = list(body.iter(_W + "p")) if body is not None else []
    out = []
    for i, paragraph in enumerate(paragraphs):
        for element in paragraph.iter(*_TEXT):
            change = _change_of(element, paragraph)
            if change is None or change == dropped:
                continue
            fixed = _TEXT[element.tag]
            out.append((element.text or "") if fixed is None else fixed)
        if i < len(paragraphs) - 1 and _mark_of(paragraph) != dropped:
            out.append("\n")
    return "".join(out)


# Parts Charter never writes whose words Word shows beside the body's.
_ASIDES = re.compile(r"word/(header\d*|footer\d*|footnotes|endnotes|comments)\.xml")
_HIDING = ("word/document.xml", "word/styles.xml", "word/stylesWithEffects.xml")
_OFF = {"0", "false", "off"}


def unseen_or_extra_words(data: bytes) -> str | None:
    """Say what a Word file hides or shows besides the body that `read_text` reads, or None.

    Charter never hides text (Word's hidden-text formatting, `w:vanish`) and never writes a
    header, footer, note or comment: a copy with any of them was changed, however right
    its body reads.
    """
    with _open(data) as archive:
        names = set(archive.namelist())
        for name in _HIDING:
            if name not in names:
                continue
            root = _part(archive, name)
            for hidden in root.iter(_W + "vanish"):
                if hidden.get(_W + "val", "true").lower() not in _OFF:
                    return "it hides some of its text (Word's hidden-text formatting)"
        for name in sorted(filter(_ASIDES.fullmatch, names)):
            root = _part(archive, name)
            if any((t.text or "").strip() for t in root.iter(_W + "t")):
                return "it has words in a header, footer, note or comment"
    return None
