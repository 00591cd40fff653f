"""Comments through the HTTP interface: post, anchor, reply, answer, edit, delete, moderate."""

import re

from sqlalchemy import event

from charter.clauses.operations import create_revision
from charter.clauses.queries import get_clause
from charter.comments.operations import post_comment, wording_text
from charter.comments.placing import spots
from charter.extensions import db
from charter.models import AuditEvent, Comment, CommentKind
from charter.proposals.operations import update_proposal
from charter.text.anchoring import index_to_utf16
from tests.conftest import propose


def _selection_of(charter, key, words):
    """Return the form fields a browser would send after selecting these words."""
    revision = get_clause(charter, key).current_revision
    text = wording_text(revision).text
    start = text.index(words)
    return {
        "wording": str(revision.id),
        "selection_start": str(index_to_utf16(text, start)),
        "selection_end": str(index_to_utf16(text, start + len(words))),
        "selection_exact": words,
    }


def _comment(client, key="why", body="Plan which services?", **fields):
    return client.post(f"/comments/clauses/{key}", data={"body": body, "kind": "comment", **fields})


def _latest():
    return db.session.scalar(db.select(Comment).order_by(Comment.id.desc()))


def test_comment_on_the_whole_clause(citizen, anon, charter):
    response = _comment(citizen, body="Who decides this? See https://ico.org.uk/")
    assert response.status_code == 302 and response.location.endswith(f"#comment-{_latest().id}")
    page = anon.get("/clauses/why").get_data(as_text=True)
    assert "Who decides this?" in page and "Citizen Person" in page
    assert '<a href="https://ico.org.uk/" rel="nofollow noopener">https://ico.org.uk/</a>' in page
    assert not _latest().is_anchored


def test_comment_on_selected_words_is_highlighted_and_linked(citizen, anon, charter):
    _comment(citizen, **_selection_of(charter, "why", "plan services"))
    comment = _latest()
    assert comment.exact == "plan services" and comment.prefix.endswith("We join data to ")
    page = anon.get("/clauses/why").get_data(as_text=True)
    on = f"{comment.start}-{comment.end}"
    mark = f'data-on="{on}" data-threads="1" title="1 thread on these words">plan services</mark>'
    assert f'<mark class="comment-mark" {mark}' in page
    assert f'href="/clauses/why?on={on}#discussion">“plan services”</a>' in page
    assert "On <a" in page and "“plan services”</a> — 1 thread" in page


def test_comment_on_a_paragraph_without_javascript(citizen, anon, charter):
    page = anon.get("/clauses/how-long").get_data(as_text=True)
    assert "Sign in</a> or" in page
    form_page = citizen.get("/clauses/how-long").get_data(as_text=True)
    assert "Paragraph 2: We check every year." in form_page
    _comment(citizen, key="how-long", paragraph="2")
    assert _latest().exact == "We check every year."


def test_emoji_before_the_passage_does_not_shift_it(citizen, charter, users):
    clause = get_clause(charter, "your-rights")
    create_revision(clause, "Your rights", "🙂 You can ask what we hold, and why.")
    db.session.commit()
    _comment(citizen, key="your-rights", **_selection_of(charter, "your-rights", "what we hold"))
    assert _latest().exact == "what we hold"


def test_bad_comments_are_refused_in_words_and_keep_what_was_typed(citizen, charter):
    empty = _comment(citizen, body="   ")
    assert empty.status_code == 400
    assert "Write your comment; it cannot be empty." in empty.get_data(as_text=True)
    long = _comment(citizen, body="x" * 2001)
    assert "Keep your comment to 2,000 characters." in long.get_data(as_text=True)
    fields = _selection_of(charter, "why", "plan services")
    stale = _comment(citizen, body="Keep me", **{**fields, "selection_exact": "other words"})
    page = stale.get_data(as_text=True)
    assert (
        stale.status_code == 400
        and "Select the words again" in page
        and "Keep me</textarea>" in page
    )
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


def test_comment_stays_on_its_words_when_the_clause_is_reworded(citizen, anon, charter):
    _comment(citizen, **_selection_of(charter, "why", "plan services"))
    kept = _latest()
    _comment(citizen, body="About the link", **_selection_of(charter, "why", "See the regulator"))
    lost = _latest()
    create_revision(
        get_clause(charter, "why"),
        "Why we join data",
        "Before anything else: we join data to *plan services* for everyone.",
    )
    db.session.commit()
    revision = get_clause(charter, "why").current_revision
    placements = spots(revision, [kept, lost])
    assert placements[kept.id].status == "exact" and placements[lost.id].status == "orphaned"
    text = wording_text(revision).text
    assert text[placements[kept.id].start : placements[kept.id].end] == "plan services"
    page = anon.get("/clauses/why").get_data(as_text=True)
    assert 'title="1 thread on these words">plan services</mark>' in page
    assert "On an earlier wording</a> (1)" in page
    page = anon.get("/clauses/why?filter=earlier").get_data(as_text=True)
    earlier = page[page.index("Comments on an earlier wording") :]
    assert "About the link" in earlier and "plan services" not in earlier


def test_replies_nest_one_level_and_questions_get_official_answers(
    citizen, committee, anon, charter
):
    _comment(citizen, body="How long exactly?", kind="question")
    question = _latest()
    assert question.kind is CommentKind.QUESTION
    committee.post(
        f"/comments/{question.id}/reply", data={"body": "Twelve months.", "official": "y"}
    )
    answer = _latest()
    assert answer.kind is CommentKind.ANSWER and answer.parent_id == question.id
    citizen.post(f"/comments/{answer.id}/reply", data={"body": "Thanks!"})
    assert _latest().parent_id == question.id  # a reply to a reply joins the thread
    page = anon.get("/clauses/why").get_data(as_text=True)
    assert "Official answer" in page and "Question" in page and "Thanks!" in page
    refused = citizen.post(
        f"/comments/{question.id}/reply", data={"body": "I answer", "official": "y"}
    )
    assert refused.status_code == 403


def test_edit_shows_edited_and_delete_leaves_a_placeholder(citizen, committee, anon, charter):
    _comment(citizen, body="First words")
    comment = _latest()
    assert committee.get(f"/comments/{comment.id}/edit").status_code == 403
    citizen.post(f"/comments/{comment.id}/edit", data={"body": "Better words"})
    page = anon.get("/clauses/why").get_data(as_text=True)
    assert "Better words" in page and "(edited)" in page and "First words" not in page
    committee.post(f"/comments/{comment.id}/reply", data={"body": "A reply"})
    citizen.post(f"/comments/{comment.id}/delete")
    page = anon.get("/clauses/why").get_data(as_text=True)
    assert "Comment deleted." in page and "Better words" not in page and "A reply" in page
    assert db.session.get(Comment, comment.id).body == ""


def test_report_hide_and_restore(citizen, committee, admin, anon, charter):
    _comment(citizen, body="Buy cheap watches")
    spam = _latest()
    assert citizen.post(f"/comments/{spam.id}/report", data={"reason": "Mine"}).status_code == 403
    admin.post(f"/comments/{spam.id}/report", data={"reason": "Advertising"})
    again = admin.post(
        f"/comments/{spam.id}/report", data={"reason": "Again"}, follow_redirects=True
    )
    assert "already reported" in again.get_data(as_text=True)
    queue = committee.get("/comments/moderation").get_data(as_text=True)
    assert "Advertising" in queue and "Buy cheap watches" in queue
    assert citizen.get("/comments/moderation").status_code == 403
    committee.post(f"/comments/{spam.id}/hide", data={"reason": "advertising"})
    page = anon.get("/clauses/why").get_data(as_text=True)
    assert "Hidden by the moderators: advertising" in page and "Buy cheap watches" not in page
    # Moderators read hidden words in the queue, and only there; the thread links to it.
    assert "Buy cheap watches" not in committee.get("/clauses/why").get_data(as_text=True)
    assert "Read it in the moderation queue" in committee.get("/clauses/why").get_data(as_text=True)
    assert "Buy cheap watches" in committee.get("/comments/moderation").get_data(as_text=True)
    assert "Comment 1 hidden by the moderators: advertising" in anon.get("/transparency").get_data(
        as_text=True
    )
    committee.post(f"/comments/{spam.id}/restore")
    assert "Buy cheap watches" in anon.get("/clauses/why").get_data(as_text=True)
    actions = db.session.scalars(db.select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["comment.hidden", "comment.restored"]


def test_dismissing_a_report_keeps_the_comment(citizen, committee, admin, charter):
    _comment(citizen, body="Fine words")
    comment = _latest()
    admin.post(f"/comments/{comment.id}/report", data={"reason": "Wrong?"})
    queue = committee.get("/comments/moderation").get_data(as_text=True)
    report_id = re.search(r"/comments/reports/(\d+)/dismiss", queue).group(1)
    committee.post(f"/comments/reports/{report_id}/dismiss")
    assert "No reports are waiting." in committee.get("/comments/moderation").get_data(as_text=True)
    assert not db.session.get(Comment, comment.id).hidden


def test_comments_are_rate_limited_per_account(citizen, charter):
    statuses = [_comment(citizen, body=f"Comment {n}").status_code for n in range(11)]
    assert statuses[:10] == [302] * 10 and statuses[10] == 429


def test_comment_on_a_proposal_passage_follows_the_authors_edit(
    citizen, committee, anon, charter, users
):
    proposal = propose(
        charter,
        users["citizen"],
        body="We join data to run fair services.",
        heading="Why",
        rationale="Clearer.",
    )
    db.session.commit()
    text = proposal.texts[-1]
    words = "fair services"
    plain = wording_text(text).text
    start = plain.index(words)
    committee.post(
        f"/comments/proposals/{proposal.id}",
        data={
            "body": "Fair to whom?",
            "kind": "question",
            "wording": str(text.id),
            "selection_start": str(start),
            "selection_end": str(start + len(words)),
            "selection_exact": words,
        },
    )
    comment = _latest()
    assert comment.proposal_id == proposal.id and comment.exact == words
    update_proposal(
        proposal,
        heading="Why",
        body="First, we join data to run fair services.",
        rationale="Clearer.",
    )
    db.session.commit()
    page = anon.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert 'title="1 thread on these words">fair services</mark>' in page
    assert "Fair to whom?" in page


def _count_queries(app, client, path):
    statements = []

    def count(*args):
        statements.append(1)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(statements)


def test_clause_page_queries_do_not_grow_with_comments(app, anon, charter, users):
    clause = get_clause(charter, "why")
    text = wording_text(clause.current_revision).text

    def add(n):
        for i in range(n):
            comment = post_comment(users["citizen"], body=f"Comment {i}", clause=clause)
            if i % 2:
                from charter.comments.operations import Selection

                start = text.index("plan services")
                post_comment(
                    users["committee"],
                    body=f"On words {i}",
                    clause=clause,
                    selection=Selection(start, start + 13, "plan services"),
                )
            if i % 3 == 0:
                from charter.comments.operations import reply

                reply(users["admin"], comment, f"Reply {i}")
        db.session.commit()

    add(6)  # 6 comments, 3 on selected words, 2 replies: 11 in all
    few = _count_queries(app, anon, "/clauses/why")
    add(300)  # 300 more, 150 on selected words, 100 replies: 561 in all
    many = _count_queries(app, anon, "/clauses/why")
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 561
    assert few == many, (few, many)


def test_comments_api_with_anchors_and_hidden_placeholders(citizen, committee, anon, charter):
    _comment(citizen, body="On the words", **_selection_of(charter, "why", "plan services"))
    anchored = _latest()
    _comment(citizen, body="Spam spam")
    spam = _latest()
    committee.post(f"/comments/{spam.id}/hide", data={"reason": "off-topic"})
    committee.post(f"/comments/{anchored.id}/reply", data={"body": "Noted."})
    data = anon.get("/api/v1/clauses/why/comments").get_json()
    second, first = data["comments"]  # newest first
    assert first["anchor"]["exact"] == "plan services" and first["anchor"]["status"] == "exact"
    assert first["replies"][0]["body"] == "Noted." and first["reply_count"] == 1
    assert (
        data["passages"] == [{"start": anchored.start, "end": anchored.end, "threads": 1}]
        and data["counts"]["threads"] == 2
        and data["next_cursor"] is None
    )
    assert second["hidden"] and second["body"] is None and second["hidden_reason"] == "off-topic"
    assert "Spam" not in str(data)
    assert anon.get("/api/v1/clauses/nope/comments").status_code == 404
    assert anon.get("/api/v1/proposals/99/comments").status_code == 404


def _another_citizen(app):
    """Sign in a second resident, who wrote none of the comments."""
    from charter.accounts.operations import create_user
    from tests.conftest import PASSWORD, sign_in

    create_user("nosy@example.org", "Nosy Neighbour", PASSWORD)
    db.session.commit()
    client = app.test_client()
    assert sign_in(client, "nosy@example.org").status_code == 302
    return client


def _hidden_comment(citizen, committee, charter, body="Secret words that were hidden"):
    _comment(citizen, body=body, **_selection_of(charter, "why", "plan services"))
    comment = _latest()
    committee.post(f"/comments/{comment.id}/reply", data={"body": "A reply that stays."})
    committee.post(f"/comments/{comment.id}/hide", data={"reason": "personal data"})
    assert db.session.get(Comment, comment.id).hidden
    return comment


def test_a_hidden_comment_reaches_nobody_but_moderators_in_their_queue(
    app, citizen, committee, anon, charter
):
    secret = "Secret words that were hidden"
    hidden = _hidden_comment(citizen, committee, charter, body=secret)
    nosy = _another_citizen(app)
    for client in (anon, nosy, citizen, committee):
        for path in (
            "/clauses/why",
            "/api/v1/clauses/why/comments",
            f"/comments/{hidden.id}",
            f"/api/v1/comments/{hidden.id}",
            f"/comments/{hidden.id}/report",
            f"/comments/{hidden.id}/reply",
            f"/comments/{hidden.id}/edit",
            "/transparency",
        ):
            response = client.get(path, follow_redirects=True)
            page = response.get_data(as_text=True)
            assert secret not in page, (path, response.status_code)
            assert "comment-mark" not in page and "On <a" not in page
    # The leak the issue found: a resident guessing ids reads nothing through the report form.
    assert nosy.get(f"/comments/{hidden.id}/report").status_code == 403
    refused = nosy.post(f"/comments/{hidden.id}/report", data={"reason": "Show me"})
    assert refused.status_code == 403 and secret not in refused.get_data(as_text=True)
    assert nosy.get("/comments/moderation").status_code == 403
    assert citizen.get(f"/comments/{hidden.id}/edit").status_code == 403
    page = anon.get("/clauses/why").get_data(as_text=True)
    assert "Hidden by the moderators: personal data" in page and "A reply that stays." in page
    assert secret in committee.get("/comments/moderation").get_data(as_text=True)


def test_an_author_cannot_delete_or_edit_a_hidden_comment(citizen, committee, charter):
    hidden = _hidden_comment(citizen, committee, charter)
    assert citizen.post(f"/comments/{hidden.id}/delete").status_code == 403
    assert citizen.post(f"/comments/{hidden.id}/edit", data={"body": "Tidied"}).status_code == 403
    kept = db.session.get(Comment, hidden.id)
    assert kept.body == "Secret words that were hidden" and not kept.deleted and kept.hidden
    page = citizen.get("/clauses/why").get_data(as_text=True)
    assert f"/comments/{hidden.id}/delete" not in page


def test_no_reply_goes_under_a_hidden_comment_or_into_its_thread(citizen, committee, charter):
    hidden = _hidden_comment(citizen, committee, charter)
    reply_in_thread = hidden.replies[0]
    before = db.session.scalar(db.select(db.func.count(Comment.id)))
    for target in (hidden.id, reply_in_thread.id):
        for client in (citizen, committee):
            refused = client.post(f"/comments/{target}/reply", data={"body": "Me too"})
            assert refused.status_code == 403
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == before
    assert f"/comments/{hidden.id}/reply" not in committee.get("/clauses/why").get_data(
        as_text=True
    )


def test_restoring_a_comment_that_was_never_hidden_is_refused_and_logs_nothing(
    citizen, committee, anon, charter
):
    _comment(citizen, body="Perfectly fine")
    comment = _latest()
    response = committee.post(f"/comments/{comment.id}/restore", follow_redirects=True)
    assert f"Comment {comment.id} is not hidden; there is nothing to restore." in response.get_data(
        as_text=True
    )
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == 0
    assert "restored by the moderators" not in anon.get("/transparency").get_data(as_text=True)


def test_hiding_twice_or_hiding_a_deleted_comment_logs_once(citizen, committee, charter):
    hidden = _hidden_comment(citizen, committee, charter)
    again = committee.post(
        f"/comments/{hidden.id}/hide", data={"reason": "twice"}, follow_redirects=True
    )
    assert "already hidden or deleted" in again.get_data(as_text=True)
    _comment(citizen, body="Gone soon")
    gone = _latest()
    citizen.post(f"/comments/{gone.id}/delete")
    committee.post(f"/comments/{gone.id}/hide", data={"reason": "late"})
    actions = db.session.scalars(db.select(AuditEvent.action)).all()
    assert actions == ["comment.hidden"]
    assert db.session.get(Comment, hidden.id).hidden_reason == "personal data"


def test_the_operations_refuse_what_the_routes_refuse(charter, users):
    import pytest

    from charter.comments.operations import (
        CommentError,
        delete_comment,
        edit_comment,
        hide_comment,
        reply,
        restore_comment,
    )

    clause = get_clause(charter, "why")
    comment = post_comment(users["citizen"], body="Kept as evidence", clause=clause)
    answer = reply(users["committee"], comment, "Noted.")
    with pytest.raises(CommentError, match="nothing to restore"):
        restore_comment(comment, users["committee"])
    hide_comment(comment, users["committee"], "abusive")
    for attempt in (
        lambda: delete_comment(comment),
        lambda: edit_comment(comment, "Tidied"),
        lambda: reply(users["admin"], comment, "Me too"),
        lambda: reply(users["admin"], answer, "Me too"),
        lambda: hide_comment(comment, users["admin"], "again"),
    ):
        with pytest.raises(CommentError):
            attempt()
    assert comment.body == "Kept as evidence" and not comment.deleted
    db.session.commit()  # log events are chained and written at commit
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == 1
