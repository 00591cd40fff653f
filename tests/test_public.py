"""Public reading: the charter, the working draft and clause pages."""

import re

from charter.clauses.operations import create_revision
from charter.clauses.queries import get_clause
from charter.extensions import db
from charter.versions.operations import publish_working_draft


def test_home_without_a_charter_says_so(anon):
    response = anon.get("/")
    assert response.status_code == 200
    assert "No charter yet" in response.get_data(as_text=True)


def test_home_shows_the_working_draft_marked_as_draft(anon, charter):
    page = anon.get("/").get_data(as_text=True)
    assert "Draft, not yet ratified" in page
    assert "<h1>Test Charter</h1>" in page
    assert "We keep our promises about your data." in page
    # A table of contents, an anchor and a permalink per clause, in order.
    assert (
        page.index('href="#why"')
        < page.index('href="#how-long"')
        < page.index('href="#your-rights"')
    )
    for key in ("why", "how-long", "your-rights"):
        assert f'id="{key}"' in page
        assert f'href="/clauses/{key}"' in page
    assert '<a href="https://ico.org.uk/" rel="nofollow noopener">the regulator</a>' in page


def test_home_shows_the_published_version_once_there_is_one(anon, charter):
    publish_working_draft(charter)
    create_revision(get_clause(charter, "why"), "Why we join data", "Changed in the draft.")
    db.session.commit()
    page = anon.get("/").get_data(as_text=True)
    assert "Version 1, published" in page
    assert "Draft, not yet ratified" not in page
    assert "plan services" in page and "Changed in the draft." not in page
    assert '<a href="/plain/versions/1">Read the charter in another language</a>' in page
    draft = anon.get("/draft").get_data(as_text=True)
    assert "Draft, not yet ratified" in draft and "Changed in the draft." in draft
    assert "/plain/versions/" not in draft  # the link reads a published version


def test_clause_page_shows_every_wording_with_when_and_by_whom(anon, charter, users):
    clause = get_clause(charter, "why")
    create_revision(clause, "Why we join data", "Second wording.", author=users["citizen"])
    db.session.commit()
    page = anon.get("/clauses/why").get_data(as_text=True)
    assert "<h1>Why we join data</h1>" in page
    assert "Second wording." in page and "plan services" in page
    assert "Wording 2" in page and "Wording 1" in page
    assert re.search(r"by <span class=\"person\"><bdi [^>]*>Citizen Person</bdi></span>", page)
    assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT', page)


def test_clause_page_shows_published_wording_when_draft_moved_on(anon, charter):
    publish_working_draft(charter)
    create_revision(get_clause(charter, "why"), "Why we join data", "Newer words.")
    db.session.commit()
    page = anon.get("/clauses/why").get_data(as_text=True)
    assert "Changed since version 1" in page
    assert "Published wording (version 1)" in page


def test_unknown_clause_is_404_in_words(anon, charter):
    response = anon.get("/clauses/no-such-clause")
    assert response.status_code == 404
    assert "There is no page at this address." in response.get_data(as_text=True)


def test_pages_load_nothing_from_other_sites(anon, charter):
    for path in ("/", "/draft", "/clauses/why", "/accounts/login", "/accounts/register"):
        page = anon.get(path).get_data(as_text=True)
        for url in re.findall(r'(?:src|href)="([^"]+)"', page):
            if 'rel="nofollow noopener"' in page and url.startswith("https://ico.org.uk"):
                continue  # a link a reader may follow, not a resource the page loads
            assert url.startswith(("/", "#")), f"{path} refers to {url}"


def test_pages_have_landmarks_a_skip_link_and_a_print_stylesheet(anon, charter):
    page = anon.get("/").get_data(as_text=True)
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page and "<header" in page and "<footer" in page
    assert '<nav aria-label="Main">' in page
    assert 'media="print"' in page
    with anon.get("/static/css/print.css") as stylesheet:
        assert stylesheet.status_code == 200 and b".site-header" in stylesheet.data


def test_working_draft_marks_what_changed_since_the_published_version(anon, charter):
    from charter.clauses.operations import add_clause, retire_clause

    publish_working_draft(charter)
    create_revision(
        get_clause(charter, "why"), "Why we join data", "We join data to *run* services."
    )
    add_clause(charter, "Children", "Extra care for children.")
    retire_clause(get_clause(charter, "your-rights"))
    db.session.commit()
    page = anon.get("/draft").get_data(as_text=True)
    assert "Changes since version 1" in page
    assert "Changed since version 1" in page and "New since version 1" in page
    assert "Removed: “Your rights”" in page
    assert '<ins><span class="visually-hidden">inserted: </span>run' in page
    # Unchanged clauses carry no mark.
    how_long = page[page.index('id="how-long"') : page.index('id="children"')]
    assert "since version" not in how_long
    # The published charter itself shows none of this.
    assert "Changes since version" not in anon.get("/").get_data(as_text=True)


def _replacement(old, new):
    return (
        f'<del><span class="visually-hidden">deleted: </span>{old}'
        '<span class="visually-hidden"> (end deleted)</span></del>'
        '<span class="replaced-by"><span aria-hidden="true">→</span>'
        '<span class="visually-hidden"> replaced by </span></span>'
        f'<ins><span class="visually-hidden">inserted: </span>{new}'
    )


def test_history_shows_what_changed_between_consecutive_wordings(anon, charter):
    clause = get_clause(charter, "how-long")
    create_revision(clause, "How long we keep data", "We delete joined data after 12 months.")
    create_revision(clause, "How long we keep it", "We delete joined data after 6 months.")
    db.session.commit()
    page = anon.get("/clauses/how-long").get_data(as_text=True)
    history = page[page.index('id="history-title"') :]
    third, second, first = history.split("<details")[1:4]
    assert "Wording 3" in third and "Changes from wording 2" in third
    # "12" then "6" must not read as "126": an arrow and words stand between them.
    assert _replacement("12", "6") in third
    assert "Heading: How long we keep " + _replacement("data", "it") in third
    assert "2 insertions, 2 deletions." in third
    assert "Changes from wording 1" in second and "12 months" in second
    assert "Changes from" not in first  # the first wording has nothing before it
    assert "We check every year." in first


def test_history_of_a_clause_with_one_wording_has_no_changes(anon, charter):
    page = anon.get("/clauses/why").get_data(as_text=True)
    assert "Changes from wording" not in page
    assert "Inserted words" not in page  # no legend for marks that are not there


def test_home_says_how_to_take_part(anon, charter):
    page = anon.get("/").get_data(as_text=True)
    invitation = page[page.index('id="take-part-title"') : page.index('id="toc-title"')]
    assert "Have your say" in invitation
    assert "A proposal is a new wording with your reason" in invitation
    assert "Supporting a proposal tells the committee you want it too" in invitation
    for link in (
        'href="#toc-title">Read a clause',
        'href="/proposals/">See the open proposals',
        'href="/proposals/new?kind=add">propose a new clause',
        'href="/accounts/register">create an account',
        'href="/accounts/login">sign in',
    ):
        assert link in invitation
    assert "Have your say" not in anon.get("/draft").get_data(as_text=True)


def test_published_home_invites_people_in_too(anon, citizen, charter):
    publish_working_draft(charter)
    db.session.commit()
    assert "Have your say" in anon.get("/").get_data(as_text=True)
    assert "Have your say" in citizen.get("/").get_data(as_text=True)
