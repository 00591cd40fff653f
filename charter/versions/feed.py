"""The Atom feed of published versions, built as XML so that no changelog can break it."""

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import url_for
from flask_babel import gettext as _

from charter.models import Charter, CharterVersion
from charter.text.markdown import rendered

ATOM = "http://www.w3.org/2005/Atom"
# What XML 1.0 cannot carry at all, escaped or not: C0 controls other than tab and line breaks,
# lone surrogates and the non-characters U+FFFE and U+FFFF. A feed holding one will not parse.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def absolute(endpoint: str, **values) -> str:
    """Build an absolute URL; the app builds it from SITE_URL, not the request's Host header."""
    return url_for(endpoint, _external=True, **values)


def timestamp(moment: datetime) -> str:
    if moment.tzinfo is None:  # SQLite hands back naive datetimes; every stored time is UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat()


def _add(parent: ET.Element, tag: str, text: str | None = None, **attributes) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


def atom_feed(charter: Charter, versions: list[CharterVersion]) -> bytes:
    """Return an Atom 1.0 document announcing these versions, newest first."""
    # Plain names under a default namespace declared once: the children inherit it.
    feed = ET.Element("feed", xmlns=ATOM)
    _add(feed, "title", _("%(title)s: new versions", title=charter.title))
    _add(feed, "id", absolute("versions.index"))
    _add(feed, "link", rel="self", type="application/atom+xml", href=absolute("versions.feed"))
    _add(feed, "link", rel="alternate", type="text/html", href=absolute("versions.index"))
    _add(feed, "updated", timestamp(versions[0].published_at if versions else charter.created_at))
    _add(_add(feed, "author"), "name", "Data Ethics Committee")
    if versions:
        head = versions[0].chain_hash
        _add(
            feed,
            "subtitle",
            _(
                "Chain head: %(head)s (keep a copy, then check the record with: "
                "flask charter verify --expect-head %(head)s)",
                head=head,
            ),
        )
    for version in versions:
        url = absolute("versions.detail", number=version.number)
        entry = _add(feed, "entry")
        _add(entry, "title", _("Version %(n)s published", n=version.number))
        _add(entry, "id", url)
        _add(entry, "link", rel="alternate", type="text/html", href=url)
        outcomes = absolute("versions.outcomes", number=version.number)
        said = _("You said, we did")
        _add(entry, "link", rel="related", type="text/html", href=outcomes, title=said)
        _add(entry, "published", timestamp(version.published_at))
        _add(entry, "updated", timestamp(version.published_at))
        # The sanitised HTML travels as escaped text, as type="html" means: a reader unescapes
        # it once, and nothing in the changelog can become markup of the feed itself.
        _add(entry, "summary", rendered(version.changelog or ""), type="html")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


@dataclass(frozen=True)
class Entry:
    """One entry of a feed: its permanent id, what it says and where to read it."""

    id: str
    title: str
    link: str
    updated: datetime
    summary: str
    html: bool = False  # the summary is sanitised HTML rather than plain text


@dataclass(frozen=True)
class Feed:
    title: str
    id: str
    self_link: str
    page_link: str
    updated: datetime  # when there is no entry yet


def entries_feed(about: Feed, entries: list[Entry]) -> bytes:
    """Return an Atom 1.0 document of these entries, in the order given (newest first)."""
    feed = ET.Element("feed", xmlns=ATOM)
    _add(feed, "title", about.title)
    _add(feed, "id", about.id)
    _add(feed, "link", rel="self", type="application/atom+xml", href=about.self_link)
    _add(feed, "link", rel="alternate", type="text/html", href=about.page_link)
    newest = entries[0].updated if entries else about.updated
    _add(feed, "updated", timestamp(newest))
    _add(_add(feed, "author"), "name", "Data Ethics Committee")
    for item in entries:
        entry = _add(feed, "entry")
        _add(entry, "title", item.title)
        _add(entry, "id", item.id)
        _add(entry, "link", rel="alternate", type="text/html", href=item.link)
        _add(entry, "updated", timestamp(item.updated))
        _add(entry, "summary", item.summary, type="html" if item.html else "text")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
