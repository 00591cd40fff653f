"""The header that stamps a Markdown copy of a published version with its number and hashes.

The header is an HTML comment, so the file still reads and renders as the charter; everything
after it is exactly the canonical Markdown whose SHA-256 is the content hash.
"""

import re

_START = "<!-- charter-copy\n"
_HEADER = re.compile(r"\A<!-- charter-copy\n((?:[a-z-]+: [^\n]*\n)*)-->\n")
NOTE = (
    "a copy of a published version of the charter; everything after this comment is exactly "
    "the text those hashes seal. Check it with: flask --app wsgi charter verify FILE"
)


def stamp_markdown(markdown: str, *, number: int, content_hash: str, chain_hash: str) -> str:
    """Put a header naming the version and its hashes above the canonical Markdown."""
    fields = {
        "version": str(number),
        "content-hash": content_hash,
        "chain-hash": chain_hash,
        "note": NOTE,
    }
    return _START + "".join(f"{k}: {v}\n" for k, v in fields.items()) + "-->\n" + markdown


def split_stamp(text: str) -> tuple[dict[str, str] | None, str]:
    """Return a copy's header fields (None if it has no header) and the text after it."""
    match = _HEADER.match(text)
    if match is None:
        return None, text
    fields = dict(line.split(": ", 1) for line in match.group(1).splitlines())
    return fields, text[match.end() :]
