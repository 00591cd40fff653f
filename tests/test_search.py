"""Search over clauses, proposals and comments, through HTTP, on SQLite and PostgreSQL."""

import re

import pytest

from charter.clauses.operations import create_revision, retire_clause
from charter.clauses.queries import get_clause
from charter.comments.operations import delete_comment, hide_comment, post_comment, reply
from charter.extensions import db
from charter.models import CommentKind
from charter.text.searching import fts5_query, mark_snippet, parse_query
from tests.conftest import propose

QUESTION = CommentKind.QUESTION


def _page(client, query, **args) -> str:
    response = client.get("/search", query_string={"q": query, **args})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def _results(html: str) -> list[str]:
    """Each result's title and link, as text with the tags taken out."""
    items = re.findall(r'<li class="search-result">(.*?)</li>', html, re.S)
    return [re.sub(r"\s+", " ", item) for item in items]


def test_finds_a_clause_by_a_word_in_its_body_with_the_words_marked(anon, charter):
    html = _page(anon, "regulator")
    (result,) = _results(html)
    assert 'href="/clauses/why"' in result
    assert "<mark>regulator</mark>" in result
    assert "1 result for “regulator”" in html


def test_finds_a_proposal_by_its_rationale_and_shows_its_status(anon, charter, users):
    proposal = propose(charter, users["citizen"], rationale="Residents asked about CCTV cameras.")
    db.session.commit()
    (result,) = _results(_page(anon, "cctv"))
    assert f'href="/proposals/{proposal.id}"' in result
    assert "<mark>CCTV</mark>" in result
    assert "Open" in result


def test_finds_comments_and_replies_by_their_body_with_links_to_them(anon, charter, users):
    why = get_clause(charter, "why")
    comment = post_comment(
        users["citizen"], body="Who looks at the doorbell footage?", clause=why, kind=QUESTION
    )
    answer = reply(users["committee"], comment, "Only the doorbell's owner.", official=True)
    proposal = propose(charter, users["citizen"])
    on_proposal = post_comment(users["admin"], body="More doorbell talk.", proposal=proposal)
    db.session.commit()
    results = _results(_page(anon, "doorbell", kind="comments"))
    assert len(results) == 3
    links = {
        comment.id: f'href="/comments/{comment.id}#comment-{comment.id}"',
        answer.id: f'href="/comments/{answer.id}#comment-{answer.id}"',
        on_proposal.id: f'href="/comments/{on_proposal.id}#comment-{on_proposal.id}"',
    }
    for link in links.values():
        assert sum(link in result for result in results) == 1
    # A reply's link leads to its thread's page, which shows it.
    thread = anon.get(f"/comments/{answer.id}", follow_redirects=True).get_data(as_text=True)
    assert f'id="comment-{answer.id}"' in thread and "Only the doorbell's owner." in thread
    assert all("<mark>doorbell</mark>" in result for result in results)
    assert any("Official answer" in result for result in results)


def test_words_match_their_other_forms(anon, charter, users):
    why = get_clause(charter, "why")
    post_comment(users["citizen"], body="We never share it.", clause=why)
    db.session.commit()
    assert len(_results(_page(anon, "sharing"))) == 1
    assert len(_results(_page(anon, "planning"))) == 1  # "We join data to *plan services*"


def test_hidden_and_deleted_comments_are_never_found(anon, charter, users):
    why = get_clause(charter, "why")
    hidden = post_comment(users["citizen"], body="Abusive zebra remark.", clause=why)
    deleted = post_comment(users["citizen"], body="Regretted zebra remark.", clause=why)
    flagged = post_comment(users["citizen"], body="Another zebra remark.", clause=why)
    kept = post_comment(users["citizen"], body="A fair zebra remark.", clause=why)
    hide_comment(hidden, users["committee"], "Abuse.")
    delete_comment(deleted)
    flagged.deleted = True  # the flag alone keeps it out, even with its words still stored
    db.session.commit()
    html = _page(anon, "zebra")
    assert [f"comment-{kept.id}" in r for r in _results(html)] == [True]
    for word in ("Abusive", "Regretted", "Another"):
        assert word not in html
        assert _results(_page(anon, word)) == []


def test_only_the_current_wording_of_a_clause_is_found(anon, charter):
    why = get_clause(charter, "why")
    create_revision(why, "Why we join data", "We join records to plan buses.")
    db.session.commit()
    assert _results(_page(anon, "regulator")) == []
    assert len(_results(_page(anon, "buses"))) == 1


def test_a_retired_clause_is_marked_as_retired(anon, charter):
    retire_clause(get_clause(charter, "why"))
    db.session.commit()
    (result,) = _results(_page(anon, "regulator"))
    assert "Retired clause" in result


def test_user_text_is_escaped_in_snippets(anon, charter, users):
    why = get_clause(charter, "why")
    body = "<script>alert('cameras')</script> cameras 5 < 6 & <b>7</b>"
    post_comment(users["citizen"], body=body, clause=why)
    db.session.commit()
    html = _page(anon, "camera")
    # PostgreSQL's snippets leave out anything shaped like a tag; SQLite's escape it.
    assert "<script>" not in html and "<b>7" not in html
    assert "<mark>cameras</mark> 5 &lt; 6" in html


def test_results_come_twenty_a_page_with_next_and_previous(anon, charter, users):
    why = get_clause(charter, "why")
    for number in range(25):
        post_comment(users["citizen"], body=f"Lantern note {number}.", clause=why)
    db.session.commit()
    first = _page(anon, "lantern")
    assert len(_results(first)) == 20
    assert "25 results" in first and "showing 1 to 20" in first
    assert "Next page" in first and "Previous page" not in first
    second = _page(anon, "lantern", page=2)
    assert len(_results(second)) == 5
    assert "Previous page" in second and "Next page" not in second
    assert "There are no results on page 3" in _page(anon, "lantern", page=3)


def test_a_page_takes_the_end_of_one_kind_and_the_start_of_the_next(anon, charter, users):
    why = get_clause(charter, "why")
    for number in range(22):
        post_comment(users["citizen"], body=f"Data point {number}.", clause=why)
    db.session.commit()
    counts = _page(anon, "data")
    assert "Clauses (2)" in counts and "Comments (22)" in counts
    second = _page(anon, "data", page=2)
    assert len(_results(second)) == 4
    assert "Clauses</h2>" not in second and "Comments</h2>" in second


def test_the_empty_search_shows_the_form_with_a_hint(anon, charter):
    html = _page(anon, "")
    assert 'role="search"' in html and '<label for="search-q">' in html
    assert "Type a word or two" in html
    assert _results(html) == []


@pytest.mark.parametrize(
    "query",
    [
        "CCTV AND",
        '"unbalanced quote',
        'data" OR "',
        "NEAR(data join)",
        "data -",
        "-data",
        "or or or",
        "*",
        "?!.,;:()[]{}",
        "data^2 col:heading",
        "'); DROP TABLE comments; --",
        "ünïcödé 数据",
    ],
)
def test_awkward_searches_give_a_page(anon, charter, query):
    response = anon.get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert 'id="search-q"' in response.get_data(as_text=True)


def test_bad_input_is_refused_with_a_reason(anon, charter):
    long = anon.get("/search", query_string={"q": "data " * 100})
    assert long.status_code == 400
    assert "at most 200 characters" in long.get_data(as_text=True)
    kind = anon.get("/search", query_string={"q": "data", "kind": "users"})
    assert kind.status_code == 400
    assert "Choose clauses, proposals or comments" in kind.get_data(as_text=True)
    for page in ("0", "-1", "two"):
        response = anon.get("/search", query_string={"q": "data", "page": page})
        assert response.status_code == 400
        assert "whole number" in response.get_data(as_text=True)
    assert anon.get("/search?q=da%00ta").status_code == 400


def test_every_page_has_a_search_box_in_its_header(anon, charter):
    html = anon.get("/").get_data(as_text=True)
    header = html.split("</header>")[0]
    assert 'role="search"' in header and 'action="/search"' in header
    assert '<label for="site-search-q"' in header


def test_queries_are_quoted_for_fts5():
    assert fts5_query(parse_query('cctv AND "data sharing" -police')) == (
        '(("cctv") AND ("AND") AND ("data sharing")) NOT "police"'
    )
    assert fts5_query(parse_query("cameras or cctv")) == '("cameras" OR "cctv")'
    assert not parse_query('" - ?!').searchable
    assert not parse_query("-data").searchable


def test_snippets_are_escaped_and_only_marks_become_tags():
    assert mark_snippet("a <b> \x02c&d\x03 e") == "a &lt;b&gt; <mark>c&amp;d</mark> e"
    assert mark_snippet("\x02open") == "<mark>open</mark>"


def test_snippets_leave_out_markdown_a_reader_would_not_see():
    snippet = (
        "## Rights\n- See [the \x02Data\x03 Act](https://x.org/a) and *our* [\x02data\x03](htt"
    )
    assert mark_snippet(snippet) == (
        "Rights\nSee the <mark>Data</mark> Act and our <mark>data</mark>"
    )
