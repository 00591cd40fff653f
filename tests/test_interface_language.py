"""The site's own words in the reader's language.

English is the only language shipped so far. To prove the machinery end to end, these tests
extract the catalog from the code as a translator would, then compile a stand-in Dutch
catalog whose every entry is the English wrapped in ⟦ ⟧. Whatever a page shows in ⟦ ⟧ came
through the catalog; the chrome of a page shown without them was missed.
"""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from charter.web import local_path
from tests.catalogs import ROOT, extract_catalog
from tests.catalogs import wrapped as _wrapped

COMMITTED_TEMPLATE = ROOT / "charter" / "translations" / "messages.pot"


@pytest.fixture
def app_overrides(request):
    if request.node.get_closest_marker("english_only"):
        return {}
    return {"BABEL_TRANSLATION_DIRECTORIES": str(request.getfixturevalue("stand_in_catalogs"))}


def _msgids(pot: Path) -> set:
    with pot.open("rb") as source:
        return {message.id for message in read_po(source) if message.id}


def test_the_committed_catalog_template_holds_every_marked_word(tmp_path):
    fresh = _msgids(extract_catalog(tmp_path))
    committed = _msgids(COMMITTED_TEMPLATE)
    missing, stale = fresh - committed, committed - fresh
    assert not missing and not stale, (
        "charter/translations/messages.pot is out of date: run the extract command in the "
        f"README. Missing: {sorted(map(str, missing))[:10]} Stale: {sorted(map(str, stale))[:10]}"
    )
    assert len(fresh) > 500  # the whole site, not a sample


def test_a_browser_asking_for_a_catalogued_language_gets_it(client, charter):
    page = client.get("/draft", headers={"Accept-Language": "nl-BE,nl;q=0.9,en;q=0.5"})
    html = page.get_data(as_text=True)
    assert '<html lang="nl">' in html
    assert _wrapped("Working draft") in html
    assert _wrapped("Skip to main content") in html
    assert "Accept-Language" in page.headers["Vary"]


def test_a_language_without_a_catalog_falls_back_to_english(client, charter):
    html = client.get("/draft", headers={"Accept-Language": "de-DE,de;q=0.9"}).get_data(
        as_text=True
    )
    assert '<html lang="en-GB">' in html
    assert ">Working draft<" in html
    assert "⟦" not in html


def test_a_readers_choice_is_remembered_and_beats_the_browser(client, charter):
    english_page = client.get("/draft").get_data(as_text=True)
    assert 'name="language"' in english_page  # the choice is offered: two languages exist
    assert '<option value="nl" lang="nl"' in english_page and "Nederlands" in english_page
    chosen = client.post("/language", data={"language": "nl", "next": "/versions/?page=1"})
    assert chosen.status_code == 302
    assert chosen.headers["Location"] == "/versions/?page=1"
    cookie = chosen.headers["Set-Cookie"]
    assert cookie.startswith("charter_language=nl;") and "HttpOnly" in cookie
    assert _wrapped("Working draft") in client.get("/draft").get_data(as_text=True)
    client.post("/language", data={"language": "en", "next": "/draft"})
    back = client.get("/draft", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert '<html lang="en-GB">' in back and "⟦" not in back


def test_a_language_not_offered_is_refused_in_words_and_changes_nothing(client, charter):
    refused = client.post("/language", data={"language": "xx", "next": "/draft"})
    assert refused.status_code == 400
    assert "Set-Cookie" not in refused.headers or "charter_language" not in str(
        refused.headers.getlist("Set-Cookie")
    )
    assert "Choose one of the languages offered." in refused.get_data(as_text=True)
    assert client.post("/language", data={"language": "nl"}, csrf=False).status_code == 400


@pytest.mark.parametrize(
    "target",
    ["//evil.example/", "/\\evil.example/", "https://evil.example/", "javascript:alert(1)", ""],
)
def test_the_language_choice_never_sends_the_reader_off_the_site(client, charter, target):
    chosen = client.post("/language", data={"language": "nl", "next": target})
    assert chosen.status_code == 302
    assert chosen.headers["Location"] == "/"


def test_a_backslash_cannot_smuggle_another_host_past_sign_in(app):
    with app.test_request_context():
        assert local_path("/\\evil.example") == "/"
        assert local_path("/proposals/3?x=1") == "/proposals/3?x=1"


@pytest.mark.english_only
def test_with_english_alone_no_choice_is_offered(client, charter):
    html = client.get("/draft", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert 'name="language"' not in html
    assert '<html lang="en-GB">' in html
    assert client.post("/language", data={"language": "nl"}).status_code == 400


def test_a_sealed_page_is_cached_once_per_language(anon, record):
    english = anon.get("/")
    dutch = anon.get("/", headers={"Accept-Language": "nl"})
    assert english.status_code == dutch.status_code == 200
    assert english.headers["ETag"] != dutch.headers["ETag"]
    assert _wrapped("Working draft") in dutch.get_data(as_text=True)
    assert "⟦" not in english.get_data(as_text=True)
    again = anon.get("/", headers={"If-None-Match": english.headers["ETag"]})
    assert again.status_code == 304
    # The English copy's tag does not satisfy a Dutch reader: they get their own page.
    crossed = anon.get(
        "/", headers={"If-None-Match": english.headers["ETag"], "Accept-Language": "nl"}
    )
    assert crossed.status_code == 200 and "⟦" in crossed.get_data(as_text=True)


def test_tracked_changes_speak_the_readers_language_to_screen_readers(anon, record):
    dutch = anon.get("/versions/1/compare/2", headers={"Accept-Language": "nl"})
    html = dutch.get_data(as_text=True)
    assert dutch.status_code == 200
    assert '<span class="visually-hidden">⟦deleted:⟧ </span>' in html
    assert '<span class="visually-hidden"> ⟦(end inserted)⟧</span>' in html
    assert '<span class="visually-hidden">deleted: </span>' not in html
    assert "⟦⟦1 insertion⟧, ⟦2 deletions⟧⟧" in html  # the count, its plural forms and its order
    english = anon.get("/versions/1/compare/2").get_data(as_text=True)
    assert '<span class="visually-hidden">deleted: </span>' in english
    assert "1 insertion, 2 deletions" in english


def test_a_refused_form_explains_itself_in_the_readers_language(anon, charter):
    sent = {"display_name": " ", "email": "not-an-email", "password": "short", "confirm": "x"}
    page = anon.post("/accounts/register", data=sent, headers={"Accept-Language": "nl"})
    html = page.get_data(as_text=True)
    assert page.status_code == 400
    summary = re.search(r'<div class="error-summary".*?</div>', html, re.S).group(0)
    problems = re.findall(r"<li>(.*?)</li>", summary, re.S)
    assert problems
    for problem in problems:
        assert "⟦" in problem, f"not translated: {problem}"


# Elements that hold only the site's own words: what is left unwrapped was missed.
# A row's heading cell names what the row is about (a person, a proposal), so it is left out.
CHROME = re.compile(r"<(label|button|legend|th|summary)\b([^>]*)>(.*?)</\1>", re.S | re.IGNORECASE)


def _untranslated_chrome(html: str) -> list[str]:
    missed = []
    for _tag, attributes, inner in CHROME.findall(html):
        if 'scope="row"' in attributes:
            continue
        text = " ".join(re.sub(r"<[^>]+>", " ", inner).split())
        if re.search(r"[A-Za-z]{2,}", text) and "⟦" not in text:
            missed.append(text)
    return missed


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/draft",
        "/proposals/",
        "/proposals/new?kind=amend&clause=why",
        "/versions",
        "/versions/2",
        "/versions/1/compare/2",
        "/versions/2/outcomes",
        "/clauses/why",
        "/draft/as-amended",
        "/committee/",
        "/committee/candidate/new",
        "/account",
        "/account/activity",
        "/notifications",
        "/accounts/password",
        "/comments/moderation",
        "/admin/users",
        "/search?q=data",
        "/transparency",
        "/consultations/",
    ],
)
def test_every_label_button_and_heading_cell_comes_from_the_catalog(request, record, path):
    reader = request.getfixturevalue("admin" if path.startswith("/admin/") else "committee")
    page = reader.get(path, headers={"Accept-Language": "nl"})
    assert page.status_code == 200, path
    missed = _untranslated_chrome(page.get_data(as_text=True))
    assert not missed, f"{path} shows words that did not come through the catalog: {missed}"


def test_dates_are_written_the_readers_way(anon, record):
    from babel.dates import format_date

    from charter.models import CharterVersion

    published = CharterVersion.query.filter_by(number=2).one().published_at
    english = anon.get("/versions/2").get_data(as_text=True)
    assert f">{published.day} {published.strftime('%B')} {published.year}</time>" in english
    dutch = anon.get("/versions/2", headers={"Accept-Language": "nl"}).get_data(as_text=True)
    assert format_date(published, "long", locale="nl") in dutch  # e.g. "5 december 2026"
    assert published.strftime("%B") not in dutch.split("<main", 1)[1]


def test_a_warning_to_someone_else_is_in_the_sites_language_not_the_askers(anon, users, mailbox):
    from tests.mailbox import text_of

    asked = {
        "display_name": "Robin",
        "email": "citizen@example.org",
        "password": "a long and unusual passphrase",
        "confirm": "a long and unusual passphrase",
    }
    page = anon.post(
        "/accounts/register", data=asked, headers={"Accept-Language": "nl"}, follow_redirects=True
    )
    assert "⟦" in page.get_data(as_text=True)  # the asker reads their own language
    [message] = mailbox.wait_for("citizen@example.org")
    assert message["Subject"].strip().startswith("Someone tried to use your email address")
    body = text_of(message)
    assert "Someone tried to register a new account with it" in body and "⟦" not in body


def test_a_signed_in_readers_choice_follows_them_to_another_device(app, users, citizen):
    from tests.conftest import CSRFClient, sign_in

    citizen.post("/language", data={"language": "nl", "next": "/draft"})
    assert users["citizen"].language == "nl"
    elsewhere = app.test_client()
    assert isinstance(elsewhere, CSRFClient)
    sign_in(elsewhere, "citizen@example.org")
    page = elsewhere.get("/account").get_data(as_text=True)
    assert '<html lang="nl">' in page
    # Signed out, that device goes back to what its browser asks for.
    elsewhere.post("/accounts/logout")
    assert '<html lang="en-GB">' in elsewhere.get("/privacy").get_data(as_text=True)


def test_mail_about_what_someone_follows_is_in_their_language_not_the_actors(
    citizen, committee, users, charter, mailbox, runner
):
    from tests.mailbox import text_of
    from tests.test_notifications_mail import _choose, _digests, _thread_with_replies

    _choose(citizen, "at_once")
    # The committee member reads the site in the stand-in language and replies from there;
    # the citizen never chose one, so their mail is in English.
    committee.post("/language", data={"language": "nl"})
    _thread_with_replies(citizen, committee, "why", "Which services?", "Schools.")
    [at_once] = mailbox.wait_for("citizen@example.org")
    assert "⟦" not in at_once["Subject"] and "⟦" not in text_of(at_once)
    # Once the citizen chooses it, the digest of later news comes in it.
    mailbox.clear()
    citizen.post("/language", data={"language": "nl"})
    _choose(citizen, "daily")
    _thread_with_replies(citizen, committee, "how-long", "How long exactly?", "A year.")
    _digests(runner)
    [digest] = mailbox.wait_for("citizen@example.org")
    assert "⟦" in digest["Subject"] and "⟦" in text_of(digest)


@pytest.mark.parametrize("forged", ["xx", "../../etc/passwd", "nl;q=1", "", "x" * 4000])
def test_a_forged_language_cookie_is_ignored_not_trusted(client, charter, forged):
    client.set_cookie("charter_language", forged)
    page = client.get("/draft", headers={"Accept-Language": "de"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<html lang="en-GB">' in html and "⟦" not in html


def test_numbers_in_messages_are_written_the_readers_way(citizen, charter):
    too_long = {"body": "x" * 2_001, "kind": "comment"}
    dutch = citizen.post("/comments/clauses/why", data=too_long, headers={"Accept-Language": "nl"})
    assert "Keep your comment to 2.000 characters." in dutch.get_data(as_text=True)
    english = citizen.post("/comments/clauses/why", data=too_long).get_data(as_text=True)
    assert "Keep your comment to 2,000 characters." in english and "⟦" not in english
