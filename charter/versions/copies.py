"""Copies readers download (Markdown, Word, PDF) that carry proof of the version they are.

Every download of a published version names its number, content hash and chain hash, and
carries the canonical Markdown: a Markdown copy in a header comment above the text, a Word
copy in a custom XML part (see charter/exports/redline.py), a PDF copy as attachments (see
charter/exports/pdf.py). `check_copy` tells whether a file someone sent is exactly published
version N.
"""

from dataclasses import dataclass, replace
from functools import wraps

from flask import current_app, has_request_context, render_template, request
from flask_babel import force_locale

from charter.changes import DEFAULT_VIEW, VIEWS, ClauseChange
from charter.exports.markdown import split_stamp, stamp_markdown
from charter.exports.pdf import (
    BASE_URL,
    NotAPdfFile,
    build_pdf,
    read_pdf,
    squeeze,
    visible_text,
    words_after_marks,
)
from charter.exports.redline import (
    COMMITTEE,
    Block,
    CopyRecord,
    DamagedRecord,
    DamagedWordFile,
    NotAWordFile,
    Redline,
    blocks_text,
    build_docx,
    change_blocks,
    draft_blocks,
    intro_text,
    read_record,
    read_text,
    sealed_intro,
    unseen_or_extra_words,
)
from charter.languages import DEFAULT_LANGUAGE
from charter.models import CharterVersion, Proposal
from charter.text.drafts import Draft, DraftError, format_draft, parse_draft
from charter.text.hashing import sha256_text
from charter.versions.comparing import VersionComparison, compare_versions
from charter.versions.queries import version_draft


def _in_english(build):
    """Build a copy in the site's own language, whoever downloads it.

    A copy is a record: `charter verify` builds its words again in English to check it, and
    every copy declares itself en-GB. So the templates it renders speak English here even
    when the reader chose another language for the site.
    """

    @wraps(build)
    def in_english(*args, **kwargs):
        with force_locale(DEFAULT_LANGUAGE):
            return build(*args, **kwargs)

    return in_english


def _name(version: CharterVersion) -> str:
    return "the candidate" if version.is_candidate else f"version {version.number}"


def _record(version: CharterVersion, description: str) -> CopyRecord | None:
    # Only a published version can be vouched for: a candidate may still change.
    if version.is_candidate or version.chain_hash is None:
        return None
    return CopyRecord(
        number=version.number,
        content_hash=version.content_hash,
        chain_hash=version.chain_hash,
        description=description,
        markdown=format_draft(version_draft(version)),
    )


def markdown_copy(version: CharterVersion) -> str:
    """Return a published version as Markdown, stamped with its number and hashes."""
    return stamp_markdown(
        format_draft(version_draft(version)),
        number=version.number,
        content_hash=version.content_hash,
        chain_hash=version.chain_hash,
    )


@_in_english
def version_docx(version: CharterVersion) -> bytes:
    """Return a published version as a Word file that carries its record."""
    record = _record(version, _text_of(version))
    return build_docx(
        Redline(
            title=record.description,
            intro=sealed_intro(record),
            blocks=draft_blocks(version_draft(version)),
            date=version.published_at,
            record=record,
        )
    )


def _base_url() -> str:
    # Links in a PDF lead to the site that made it; without a request (the command line,
    # the benchmark) they lead nowhere real.
    return request.url_root if has_request_context() else BASE_URL


@_in_english
def _version_page(draft: Draft, record: CopyRecord) -> str:
    return render_template(
        "versions/pdf_version.html",
        draft=draft,
        intro=sealed_intro(record),
        document_title=record.description,
    )


def _text_of(version: CharterVersion) -> str:
    return f"{version.title}: the text of version {version.number}"


def _changes_title(old: CharterVersion, new: CharterVersion) -> str:
    return f"{new.title}: changes from {_name(old)} to {_name(new)}"


@_in_english
def version_pdf(version: CharterVersion) -> bytes:
    """Return a published version as a tagged PDF that carries its record and Markdown."""
    record = _record(version, _text_of(version))
    return build_pdf(
        _version_page(version_draft(version), record),
        static_folder=current_app.static_folder,
        record=record,
        markdown_name=f"charter-v{version.number}.md",
        base_url=_base_url(),
    )


@_in_english
def comparison_pdf(comparison: VersionComparison) -> bytes:
    """Return the changes between two versions as a tagged PDF, each change marked in words.

    It carries no record: what it shows is two texts at once, so it cannot be checked as a
    copy of one version (the version's own PDF can).
    """
    page = render_template(
        "versions/pdf_compare.html", comparison=comparison, view=DEFAULT_VIEW, views=VIEWS
    )
    return build_pdf(
        words_after_marks(page), static_folder=current_app.static_folder, base_url=_base_url()
    )


def comparison_blocks(comparison: VersionComparison) -> tuple[Block, ...]:
    """Return a comparison's blocks: each removed clause where it stood in the old version."""
    blocks = list(change_blocks(comparison.preamble, heading_style="Title"))
    removed = {d.old_position: d for d in comparison.clauses if d.new_position is None}

    def removed_after(position: int) -> list:
        found = []
        while position + 1 in removed:
            position += 1
            found.append(removed[position])
        return found

    # Clauses in the new version's order; a removed one follows the clause it followed
    # before, so that rejecting every change gives back the old text in its order (unless
    # clauses moved: a moved clause shows where it is now).
    ordered = removed_after(0)
    for diff in comparison.clauses:
        if diff.new_position is not None:
            ordered.append(diff)
            if diff.old_position is not None:
                ordered += removed_after(diff.old_position)
    for diff in ordered:
        blocks += change_blocks(diff.change)
    return tuple(blocks)


@_in_english
def comparison_docx(comparison: VersionComparison) -> bytes:
    """Return the changes between two versions as a Word file with tracked changes."""
    old, new = comparison.old, comparison.new
    description = _changes_title(old, new)
    record = _record(new, description)
    intro = (
        sealed_intro(record)
        if record
        else (description, "The candidate is not published yet: it may still change.")
    )
    return build_docx(
        Redline(
            title=description,
            intro=intro,
            blocks=comparison_blocks(comparison),
            author=COMMITTEE,
            date=new.published_at or new.opened_at,
            record=record,
        )
    )


@_in_english
def proposal_docx(proposal: Proposal, change: ClauseChange, clause_name: str) -> bytes:
    """Return a proposal's change to its clause as a Word file, by its author."""
    author = proposal.author.display_name or "A former member"
    description = f"Proposal {proposal.id}: {proposal.kind.label.lower()}, {clause_name}"
    return build_docx(
        Redline(
            title=description,
            intro=(description, f"Proposed by {author}. Status: {proposal.status.label}."),
            blocks=change_blocks(change),
            author=author,
            date=proposal.texts[-1].created_at if proposal.texts else proposal.created_at,
        )
    )


# --- Checking a copy ------------------------------------------------------------------------


@dataclass(frozen=True)
class CopyCheck:
    """The verdict on one copy, in words: `message` follows "OK: " or "FAIL "."""

    ok: bool
    message: str
    number: int | None = None


def _ok(name: str, version: CharterVersion) -> CopyCheck:
    return CopyCheck(
        True,
        f"{name} is exactly published version {version.number} "
        f"(content hash {version.content_hash}).",
        version.number,
    )


def _changed(name: str, number: int, what: str = "text") -> CopyCheck:
    return CopyCheck(
        False,
        f"{name}: its {what} was changed after download: it is not published version {number}.",
    )


def check_copy(name: str, data: bytes, versions: list[CharterVersion]) -> CopyCheck:
    """Tell whether a downloaded file (Markdown, Word or PDF) is exactly a published version."""
    if data[:4] == b"PK\x03\x04":
        return _check_docx(name, data, versions)
    if data[:5] == b"%PDF-":
        return _check_pdf(name, data, versions)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None:
        return CopyCheck(False, f"{name}: it is not a Markdown, Word or PDF copy of the charter.")
    fields, body = split_stamp(text)
    if fields is None:  # a copy from before copies were stamped: its bytes are the text
        digest = sha256_text(text)
        for version in versions:
            if version.content_hash == digest:
                return _ok(name, version)
        return CopyCheck(False, f"{name}: it is not exactly any published version.")
    try:
        number = int(fields.get("version", ""))
    except ValueError:
        return CopyCheck(False, f"{name}: its header names no version number.")
    version = _published(versions, number)
    if version is None:
        return _no_such_version(name, number)
    if sha256_text(body) != version.content_hash:
        return _changed(name, number)
    if (fields.get("content-hash"), fields.get("chain-hash")) != (
        version.content_hash,
        version.chain_hash,
    ):
        return _changed(name, number, "header (the content hash or chain hash)")
    return _ok(name, version)


def _published(versions: list[CharterVersion], number: int) -> CharterVersion | None:
    return next((v for v in versions if v.number == number), None)


def _no_such_version(name: str, number: int) -> CopyCheck:
    return CopyCheck(
        False, f"{name}: it claims to be published version {number}, but there is no such version."
    )


def _recorded_version(name: str, record, versions: list[CharterVersion]):
    """Check a copy's embedded record against the published versions, for Word and PDF alike.

    Return the refusal, or the version it names with its Markdown parsed.
    """
    version = _published(versions, record.number)
    if version is None:
        return _no_such_version(name, record.number)
    if sha256_text(record.markdown) != version.content_hash:
        return _changed(name, record.number, "embedded Markdown")
    if (record.content_hash, record.chain_hash) != (version.content_hash, version.chain_hash):
        return _changed(name, record.number, "version record (the content hash or chain hash)")
    try:
        return version, parse_draft(record.markdown)
    except DraftError:
        return _changed(name, record.number, "embedded Markdown")


def _check_docx(name: str, data: bytes, versions: list[CharterVersion]) -> CopyCheck:
    try:
        record = read_record(data)
    except NotAWordFile:
        return CopyCheck(False, f"{name}: it is not a Markdown, Word or PDF copy of the charter.")
    except (DamagedRecord, DamagedWordFile) as err:
        return CopyCheck(False, f"{name}: {err}: it cannot be checked.")
    if record is None:
        return CopyCheck(
            False,
            f"{name}: it is a Word file but carries no record of a published version "
            "(only copies of published versions, and comparisons ending at one, do).",
        )
    found = _recorded_version(name, record, versions)
    if isinstance(found, CopyCheck):
        return found
    version, draft = found
    try:
        return _check_docx_text(name, data, record, version, draft, versions)
    except DamagedWordFile as err:
        return CopyCheck(False, f"{name}: {err}: it cannot be checked.")


def _check_docx_text(name, data, record, version, draft, versions) -> CopyCheck:
    problem = unseen_or_extra_words(data)
    if problem:
        return CopyCheck(False, f"{name}: {problem}: it is not published version {version.number}.")
    blocks = _blocks_titled(record.description, version, draft, versions)
    if blocks is None:
        return _changed(name, record.number, "title")
    # What a reader sees must be that very text once every tracked change is accepted, and
    # the old text it was compared with once every change is rejected.
    intro = intro_text(sealed_intro(record))
    if read_text(data, accept=True) != intro + blocks_text(blocks):
        return _changed(name, record.number)
    if read_text(data, accept=False) != intro + blocks_text(blocks, accept=False):
        return CopyCheck(
            False,
            f"{name}: its tracked changes were accepted, rejected or edited after download: "
            f"it is not the copy of published version {version.number} it claims to be.",
        )
    return _ok(name, version)


def _blocks_titled(
    title: str, version: CharterVersion, draft: Draft, versions: list[CharterVersion]
) -> tuple[Block, ...] | None:
    """Find what a Word copy of a version was made from by its title, which Charter wrote:
    the version's text, or its changes from an earlier published version. None if neither."""
    if title == _text_of(version):
        return draft_blocks(draft)
    for old in versions:  # any published version: a comparison may run backwards
        if title == _changes_title(old, version):
            return comparison_blocks(compare_versions(old, version))
    return None


def _check_pdf(name: str, data: bytes, versions: list[CharterVersion]) -> CopyCheck:
    try:
        copy = read_pdf(data)
    except NotAPdfFile as err:
        return CopyCheck(False, f"{name}: {err}: it cannot be checked.")
    except DamagedRecord as err:
        return CopyCheck(False, f"{name}: {err}: it cannot be checked.")
    record = copy.record
    if record is None:
        return CopyCheck(
            False,
            f"{name}: it is a PDF file but carries no record of a published version "
            "(only the PDF of a published version does; a PDF of changes does not).",
        )
    found = _recorded_version(name, record, versions)
    if isinstance(found, CopyCheck):
        return found
    version, draft = found
    if copy.added:
        return CopyCheck(
            False, f"{name}: {copy.added}: it is not published version {version.number}."
        )
    # The pages must show that very text: the same characters in the same order once spaces
    # and line breaks are ignored (a PDF breaks lines where it likes; a reader cannot see it).
    page = _version_page(draft, replace(record, description=_text_of(version)))
    if squeeze(copy.text) != squeeze(visible_text(page)):
        return _changed(name, record.number)
    return _ok(name, version)
