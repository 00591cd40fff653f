"""The Atom feed: valid XML whatever a changelog holds, with the changelog's HTML escaped."""

import xml.etree.ElementTree as ET

import pytest

from charter.clauses.operations import create_revision
from charter.clauses.queries import get_clause
from charter.extensions import db
from charter.text.markdown import rendered
from charter.versions.operations import publish_working_draft

ATOM = "{http://www.w3.org/2005/Atom}"

CHANGELOGS = {
    "script": "- Safer. <script>alert('feed')</script>",
    "nbsp": "- Wording&nbsp;tidied &amp; <b>bold</b> &copy;",
    "br": "- One line<br>another<br/>and <hr> a rule",
    "rule": "- Before the rule.\n\n---\n\n- After the rule.",
    "cdata end": "- Quoted ]]> and <![CDATA[ x ]]> in `code ]]>`",
    "controls": "- Bell \x07, backspace \x08, form feed \x0c, escape \x1b and \x01 here.",
    "quotes": '- "Double", \'single\', <a href="https://example.org/?a=1&b=2">a link</a>',
}


def _publish(charter, changelog: str, wording: str):
    why = get_clause(charter, "why")
    create_revision(why, why.current_revision.heading, wording)
    version = publish_working_draft(charter, changelog=changelog)
    db.session.commit()
    return version


def _feed(client, **headers) -> ET.Element:
    response = client.get("/versions.atom", headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return ET.fromstring(response.get_data())  # strict: a malformed feed raises ParseError


@pytest.mark.parametrize("name", CHANGELOGS)
def test_the_feed_parses_and_carries_the_changelog_as_escaped_html(anon, charter, name):
    changelog = CHANGELOGS[name]
    _publish(charter, changelog, f"Wording for {name}.")
    feed = _feed(anon)
    (entry,) = feed.findall(f"{ATOM}entry")
    summary = entry.find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    # The HTML is the summary's text, never elements of the feed's own tree.
    assert list(summary) == []
    expected = "".join(c for c in rendered(changelog) if c >= " " or c in "\t\n\r")
    assert summary.text == expected
    assert "<script" not in summary.text  # the sanitiser's escaping survives the trip


def test_a_control_character_is_left_out_not_sent(anon, charter):
    # The sanitiser already masks them in changelogs; a title comes from an imported file.
    charter.title = "Bell\x07 and\x01 escape\x1b charter"
    _publish(charter, CHANGELOGS["controls"], "Controls.")
    feed = _feed(anon)
    assert feed.find(f"{ATOM}title").text == "Bell and escape charter: new versions"
    summary = feed.find(f"{ATOM}entry/{ATOM}summary").text
    assert not any(ord(c) < 32 and c not in "\t\n\r" for c in summary)


def test_the_feed_is_atom_with_every_required_element(anon, charter):
    first = _publish(charter, "- First.", "First wording.")
    second = _publish(charter, "- Second.", "Second wording.")
    feed = _feed(anon)
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author/" + ATOM + "name"):
        assert feed.find(ATOM + tag).text
    subtitle = feed.find(f"{ATOM}subtitle").text
    assert f"Chain head: {second.chain_hash}" in subtitle
    assert f"--expect-head {second.chain_hash}" in subtitle
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == [
        "Version 2 published",
        "Version 1 published",
    ]
    for entry, version in zip(entries, (second, first), strict=True):
        assert entry.find(f"{ATOM}id").text == f"http://localhost/versions/{version.number}"
        related = entry.find(f"{ATOM}link[@rel='related']")
        assert related.get("href") == f"http://localhost/versions/{version.number}/outcomes"
        assert related.get("title") == "You said, we did"
        assert entry.find(f"{ATOM}updated").text.endswith("+00:00")
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {
        "self": "http://localhost/versions.atom",
        "alternate": "http://localhost/versions",
    }


def test_the_feed_names_the_configured_site_not_the_host_header(app, anon, charter):
    _publish(charter, "- First.", "First wording.")
    app.config["SITE_URL"] = "https://charter.example.org/"
    feed = _feed(anon, Host="evil.example.com")
    addresses = [feed.find(f"{ATOM}id").text, feed.find(f"{ATOM}entry/{ATOM}id").text] + [
        link.get("href") for link in feed.iter(f"{ATOM}link")
    ]
    assert all(a.startswith("https://charter.example.org/") for a in addresses), addresses
    assert "https://charter.example.org/versions/1" in addresses


def test_an_empty_feed_is_still_valid(anon, charter):
    feed = _feed(anon)
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.find(f"{ATOM}updated").text
