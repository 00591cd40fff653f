"""A busy discussion through HTTP: pages of threads, filters, words, thread pages, the API."""

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from charter.clauses.operations import create_revision
from charter.clauses.queries import get_clause
from charter.comments.operations import Selection, post_comment, reply, wording_text
from charter.extensions import db
from charter.models import Comment, CommentKind
from tests.conftest import propose
from tests.test_comments import _count_queries

THREAD_ID = re.compile(r'<li class="comment comment--\w+" id="comment-(\d+)">')
OLDER = re.compile(r'href="([^"]+)" rel="next">Older comments')


def _words(clause, words):
    start = wording_text(clause.current_revision).text.index(words)
    return Selection(start, start + len(words), words)


def _threads(users, charter, n, *, key="why", words=None, kind=CommentKind.COMMENT):
    clause = get_clause(charter, key)
    made = [
        post_comment(
            users["citizen"],
            body=f"Thread {i}",
            clause=clause,
            kind=kind,
            selection=_words(clause, words) if words else None,
        )
        for i in range(n)
    ]
    db.session.commit()
    return made


def _same_time():
    db.session.execute(update(Comment).values(created_at=datetime(2026, 1, 1, tzinfo=UTC)))
    db.session.commit()


def _root_ids(page: str) -> list[int]:
    """The threads listed in the discussion (replies are nested in <ol class="replies">)."""
    listing = page[page.index('id="discussion"') :]
    listing = re.sub(r'<ol class="replies">.*?</ol>', "", listing, flags=re.S)
    return [int(n) for n in THREAD_ID.findall(listing)]


def _walk(client, url):
    """Follow "Older comments" from the first page to the last; return every thread seen."""
    seen, pages = [], 0
    while url:
        page = client.get(url).get_data(as_text=True)
        seen += _root_ids(page)
        pages += 1
        found = OLDER.search(page)
        url = found.group(1).replace("&amp;", "&") if found else None
        if url:
            assert "Newest comments" in client.get(url).get_data(as_text=True)
    return seen, pages


def test_paging_visits_every_thread_once_even_at_the_same_moment(anon, users, charter):
    made = _threads(users, charter, 45)
    gone = post_comment(users["citizen"], body="Soon deleted", clause=get_clause(charter, "why"))
    gone.deleted = True
    db.session.commit()
    _same_time()
    seen, pages = _walk(anon, "/clauses/why")
    assert pages == 3 and len(seen) == len(set(seen)) == 45
    assert set(seen) == {c.id for c in made} and seen == sorted(seen, reverse=True)
    first = anon.get("/clauses/why").get_data(as_text=True)
    assert "45 comments in 45 threads; 0 questions, 0 waiting for an official answer." in first
    # The API pages the same way, with a limit.
    ids, cursor = [], None
    while True:
        data = anon.get(
            "/api/v1/clauses/why/comments", query_string={"limit": 7, "cursor": cursor or []}
        ).get_json()
        ids += [c["id"] for c in data["comments"]]
        cursor = data["next_cursor"]
        if cursor is None:
            break
    assert sorted(ids) == sorted(c.id for c in made) and len(ids) == 45


def test_a_comment_posted_between_pages_neither_repeats_nor_hides_one(
    citizen, anon, users, charter
):
    made = _threads(users, charter, 25)
    first = anon.get("/clauses/why").get_data(as_text=True)
    older = OLDER.search(first).group(1).replace("&amp;", "&")
    citizen.post("/comments/clauses/why", data={"body": "Just now", "kind": "comment"})
    second = anon.get(older).get_data(as_text=True)
    seen = _root_ids(first) + _root_ids(second)
    assert sorted(seen) == sorted(c.id for c in made) and "Just now" not in second
    assert "Just now" in anon.get("/clauses/why").get_data(as_text=True)


def test_filters_questions_answered_waiting_and_earlier_wording(
    citizen, committee, anon, users, charter
):
    clause = get_clause(charter, "why")
    waiting, answered = _threads(users, charter, 2, kind=CommentKind.QUESTION)
    committee.post(f"/comments/{answered.id}/reply", data={"body": "Yes.", "official": "y"})
    committee.post(f"/comments/{waiting.id}/reply", data={"body": "Not official."})
    (lost,) = _threads(users, charter, 1, words="See the regulator")
    (plain,) = _threads(users, charter, 1)
    create_revision(clause, "Why we join data", "We join data to *plan services* for everyone.")
    db.session.commit()
    page = anon.get("/clauses/why").get_data(as_text=True)
    assert "6 comments in 4 threads; 2 questions, 1 waiting for an official answer." in page
    assert set(_root_ids(page)) == {waiting.id, answered.id, lost.id, plain.id}

    def shown(filter_):
        response = anon.get(f"/clauses/why?filter={filter_}")
        assert response.status_code == 200
        return set(_root_ids(response.get_data(as_text=True)))

    assert shown("waiting") == {waiting.id}
    assert shown("answered") == {answered.id}
    assert shown("earlier") == {lost.id}
    assert shown("all") == {waiting.id, answered.id, lost.id, plain.id}
    api = anon.get("/api/v1/clauses/why/comments?filter=waiting").get_json()
    assert [c["id"] for c in api["comments"]] == [waiting.id]
    assert api["counts"] == {
        "comments": 6,
        "threads": 4,
        "questions": 2,
        "waiting": 1,
        "earlier_wording": 1,
    }


def test_the_words_link_works_without_javascript(anon, users, charter):
    on_plan = _threads(users, charter, 3, words="plan services")
    on_join = _threads(users, charter, 1, words="We join data")
    _threads(users, charter, 2)
    page = anon.get("/clauses/why").get_data(as_text=True)
    link = re.search(r'<a href="([^"]+)">“plan services”</a> — 3 threads', page).group(1)
    assert 'data-threads="3" title="3 threads on these words">plan services</mark>' in page
    chosen = anon.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert "On these words: “plan services”" in chosen and "Show threads on any words" in chosen
    assert set(_root_ids(chosen)) == {c.id for c in on_plan}
    # Words overlapping two passages find the threads on either.
    text = wording_text(get_clause(charter, "why").current_revision).text
    start, end = text.index("data"), text.index("plan") + 4
    both = anon.get(f"/clauses/why?on={start}-{end}").get_data(as_text=True)
    assert set(_root_ids(both)) == {c.id for c in on_plan + on_join}
    data = anon.get(f"/api/v1/clauses/why/comments?on={start}-{end}").get_json()
    assert {c["id"] for c in data["comments"]} == {c.id for c in on_plan + on_join}


def test_a_long_thread_shows_three_replies_and_its_page_shows_all(citizen, anon, users, charter):
    (root,) = _threads(users, charter, 1)
    replies = [reply(users["admin"], root, f"Reply number {i}.") for i in range(105)]
    db.session.commit()
    page = anon.get("/clauses/why").get_data(as_text=True)
    assert "Reply number 2." in page and "Reply number 3." not in page
    assert f'<a href="/comments/{root.id}">Read all 105 replies' in page
    thread = anon.get(f"/comments/{root.id}").get_data(as_text=True)
    assert "Thread 0" in thread and "Reply number 99." in thread
    assert "Reply number 100." not in thread and "105 replies" in thread
    later = re.search(r'href="([^"]+)" rel="next">Later replies', thread).group(1)
    rest = anon.get(later.replace("&amp;", "&")).get_data(as_text=True)
    assert "Reply number 100." in rest and "Reply number 104." in rest
    assert "Reply number 99." not in rest and "First replies" in rest
    # A link to a late reply lands on the page that shows it.
    late = anon.get(f"/comments/{replies[102].id}")
    assert late.status_code == 302 and late.location.endswith(f"#comment-{replies[102].id}")
    assert f'id="comment-{replies[102].id}"' in anon.get(late.location).get_data(as_text=True)
    # Replying lands on the reply.
    posted = citizen.post(f"/comments/{root.id}/reply", data={"body": "Me as well."})
    newest = db.session.scalar(db.select(Comment).order_by(Comment.id.desc()))
    assert posted.location.endswith(f"#comment-{newest.id}")
    assert "Me as well." in anon.get(posted.location).get_data(as_text=True)
    # The API: 3 replies and the count on the list, all replies a page at a time on the thread.
    listed = anon.get("/api/v1/clauses/why/comments").get_json()["comments"][0]
    assert len(listed["replies"]) == 3 and listed["reply_count"] == 106
    whole = anon.get(listed["thread"]).get_json()
    assert len(whole["comment"]["replies"]) == 100 and whole["next_cursor"]
    tail = anon.get(listed["thread"], query_string={"cursor": whole["next_cursor"]}).get_json()
    assert len(tail["comment"]["replies"]) == 6 and tail["next_cursor"] is None


def test_proposal_discussion_pages_too(anon, users, charter):
    proposal = propose(charter, users["citizen"])
    db.session.commit()
    made = [
        post_comment(users["citizen"], body=f"On the proposal {i}", proposal=proposal)
        for i in range(23)
    ]
    db.session.commit()
    seen, pages = _walk(anon, f"/proposals/{proposal.id}")
    assert pages == 2 and sorted(seen) == sorted(c.id for c in made)
    data = anon.get(f"/api/v1/proposals/{proposal.id}/comments?limit=20").get_json()
    assert len(data["comments"]) == 20 and data["counts"]["threads"] == 23
    assert anon.get(f"/proposals/{proposal.id}?filter=nope").status_code == 400


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("cursor=not-a-cursor", "cursor cannot be read"),
        ("cursor=", "cursor cannot be read"),
        ("cursor=" + "QUJD" * 30, "cursor cannot be read"),
        ("filter=popular", "There is no filter called “popular”"),
        ("on=5", "on=start-end"),
        ("on=9-3", "Those words are not in this wording"),
        ("on=0-99999", "Those words are not in this wording"),
    ],
)
def test_bad_choices_are_refused_in_words(anon, charter, query, words):
    for path in ("/clauses/why", "/api/v1/clauses/why/comments"):
        response = anon.get(f"{path}?{query}")
        assert response.status_code == 400, path
        said = response.get_json()["error"]["message"] if response.is_json else response.text
        assert words in said


def test_bad_limits_and_thread_cursors_are_refused(anon, users, charter):
    (root,) = _threads(users, charter, 1)
    for limit in ("0", "101", "x", "-1"):
        response = anon.get(f"/api/v1/clauses/why/comments?limit={limit}")
        assert response.status_code == 400 and "1 to 100" in response.get_json()["error"]["message"]
    for path in (f"/comments/{root.id}", f"/api/v1/comments/{root.id}"):
        response = anon.get(f"{path}?cursor=%21%21")
        assert response.status_code == 400 and "cursor" in response.get_data(as_text=True)


def _busy(users, charter, threads):
    """Threads with long bodies, half on words, each third with replies."""
    clause = get_clause(charter, "why")
    for i in range(threads):
        comment = post_comment(
            users["citizen"],
            body=f"Thread {i}: " + "a considered point about the wording " * 8,
            clause=clause,
            kind=CommentKind.QUESTION if i % 5 == 0 else CommentKind.COMMENT,
            selection=_words(clause, "plan services") if i % 2 else None,
        )
        if i % 3 == 0:
            for j in range(5):
                reply(users["admin"], comment, f"Reply {j} " + "with some words " * 10)
    db.session.commit()


def test_the_clause_page_stays_small_and_its_queries_fixed(app, anon, users, charter):
    _busy(users, charter, 30)
    few = _count_queries(app, anon, "/clauses/why")
    _busy(users, charter, 270)
    many = _count_queries(app, anon, "/clauses/why")
    assert few == many, (few, many)
    page = anon.get("/clauses/why").get_data(as_text=True)
    assert len(page.encode()) < 100_000 and len(_root_ids(page)) == 20
    assert "800 comments in 300 threads" in page
    assert _count_queries(app, anon, "/api/v1/clauses/why/comments?limit=100") == _count_queries(
        app, anon, "/api/v1/clauses/why/comments?limit=5"
    )
