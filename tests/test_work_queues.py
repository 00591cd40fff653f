"""The committee's work queues: oldest first, with their age, counts and links."""

from datetime import timedelta

from sqlalchemy import event

from charter.clauses.queries import get_clause
from charter.comments.operations import hide_comment, post_comment, reply, report_comment
from charter.committee.queries import age_in_words
from charter.extensions import db
from charter.models import CommentKind, utcnow
from charter.proposals.operations import reject_proposal
from tests.conftest import propose


def _ask(charter, users, body, days_ago, clause="why"):
    question = post_comment(
        users["citizen"], body=body, clause=get_clause(charter, clause), kind=CommentKind.QUESTION
    )
    question.created_at = utcnow() - timedelta(days=days_ago)
    db.session.flush()
    return question


def _aged(thing, days_ago):
    thing.created_at = utcnow() - timedelta(days=days_ago)
    db.session.flush()
    return thing


def _section(html: str, title_id: str) -> str:
    start = html.index(f'id="{title_id}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else len(html)]


def test_the_committee_page_lists_what_waits_oldest_first_with_ages_and_counts(
    charter, users, committee
):
    _ask(charter, users, "Newer question?", 1)
    _ask(charter, users, "Oldest question?", 3)
    answered = _ask(charter, users, "Answered question?", 5)
    reply(users["committee"], answered, "Here is the answer.", official=True)
    hidden = _ask(charter, users, "Hidden question?", 6)
    hide_comment(hidden, users["committee"], "Off topic.")
    gone_answer = _ask(charter, users, "Answer hidden since?", 2)
    answer = reply(users["committee"], gone_answer, "Withdrawn answer.", official=True)
    hide_comment(answer, users["committee"], "Wrong.")
    young = _aged(propose(charter, users["citizen"]), 2)
    old = _aged(propose(charter, users["citizen"]), 10)
    decided = propose(charter, users["citizen"])
    reject_proposal(decided, users["committee"], "No.")
    comment = post_comment(users["citizen"], body="Rude words", clause=get_clause(charter, "why"))
    _aged(report_comment(comment, users["admin"], "Rude."), 4)
    db.session.commit()

    html = committee.get("/committee/").get_data(as_text=True)

    questions = _section(html, "questions-title")
    assert "Questions without an official answer (3)" in questions
    assert questions.index("Oldest question?") < questions.index("Answer hidden since?")
    assert questions.index("Answer hidden since?") < questions.index("Newer question?")
    assert "waiting <time" in questions and ">3 days</time>" in questions
    assert ">1 day</time>" in questions
    assert "Answered question?" not in html and "Hidden question?" not in html

    proposals = _section(html, "waiting-title")
    assert "Proposals waiting for a decision (2)" in proposals
    assert proposals.index(f"/proposals/{old.id}") < proposals.index(f"/proposals/{young.id}")
    assert f"Proposal {old.id}: " in proposals  # numbered: many share a clause's title
    assert ">10 days</time>" in proposals and ">2 days</time>" in proposals
    assert f"/proposals/{decided.id}" not in proposals

    reports = _section(html, "reports-title")
    assert "Reported comments waiting for a moderator (1)" in reports
    assert "Rude." in reports and ">4 days</time>" in reports
    assert 'href="/comments/moderation"' in reports


def test_long_queues_show_twenty_and_link_to_the_rest(app, charter, users, committee):
    for n in range(25):
        _ask(charter, users, f"Question number {n:02d}?", 30 - n)
        _aged(propose(charter, users["citizen"]), 30 - n)
    db.session.commit()

    statements = []

    def count(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        html = committee.get("/committee/").get_data(as_text=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    questions = _section(html, "questions-title")
    assert "(25)" in questions
    assert questions.count('class="proposal-card"') == 20
    assert "Question number 00?" in questions and "Question number 20?" not in questions
    assert 'href="/committee/questions"' in questions and "And 5 more" in questions
    proposals = _section(html, "waiting-title")
    assert proposals.count('class="proposal-card"') == 20 and "And 5 more" in proposals
    assert "status=open" in proposals and "sort=oldest" in proposals
    # No query per item: the page costs the same with 25 of each as with a few.
    assert len(statements) < 30, len(statements)

    full = committee.get("/committee/questions").get_data(as_text=True)
    assert "25 questions waiting" in full
    assert full.index("Question number 00?") < full.index("Question number 24?")


def test_citizens_may_not_see_the_queues(citizen, anon, charter):
    assert citizen.get("/committee/").status_code == 403
    assert citizen.get("/committee/questions").status_code == 403
    assert anon.get("/committee/questions").status_code in (302, 401)


def test_opening_a_candidate_warns_of_unanswered_questions_without_blocking(
    charter, users, committee
):
    from charter.clauses.operations import create_revision

    why = get_clause(charter, "why")
    create_revision(why, why.current_revision.heading, "A new wording.")
    question = _ask(charter, users, "Will you answer me?", 2)
    db.session.commit()
    html = committee.get("/committee/candidate/new").get_data(as_text=True)
    assert "1 question is still waiting for an official answer" in html
    assert f'href="/comments/{question.id}"' in html and "Will you answer me?" in html
    response = committee.post("/committee/candidate/new", data={"changelog": "- New wording."})
    assert response.status_code == 302 and "/versions/candidate" in response.location


def test_no_warning_when_every_question_is_answered(charter, users, committee):
    question = _ask(charter, users, "Answered?", 2)
    reply(users["committee"], question, "Yes.", official=True)
    db.session.commit()
    html = committee.get("/committee/candidate/new").get_data(as_text=True)
    assert "waiting for an official answer" not in html


def test_comments_with_no_outcome_wait_oldest_first_until_the_committee_says(
    charter, users, committee, citizen
):
    from charter.comments.outcomes import set_outcome
    from charter.models import CommentOutcome

    why = get_clause(charter, "why")
    newer = _aged(post_comment(users["citizen"], body="Newer thought", clause=why), 1)
    older = _aged(post_comment(users["citizen"], body="Older thought", clause=why), 6)
    settled = _aged(post_comment(users["citizen"], body="Settled thought", clause=why), 8)
    set_outcome(settled, users["committee"], CommentOutcome.NOT_TAKEN_UP, reason="Out of scope.")
    hidden = _aged(post_comment(users["citizen"], body="Hidden thought", clause=why), 9)
    hide_comment(hidden, users["committee"], "Off topic.")
    answer_me = _ask(charter, users, "A question, not a comment?", 7)
    reply(users["citizen"], older, "A reply is no thread of its own.")
    db.session.commit()

    html = committee.get("/committee/").get_data(as_text=True)
    comments = _section(html, "comments-title")
    assert "Comments with no outcome yet (2)" in comments
    assert comments.index("Older thought") < comments.index("Newer thought")
    assert ">6 days</time>" in comments and f'href="/comments/{older.id}"' in comments
    for absent in ("Settled thought", "Hidden thought", answer_me.body, "A reply is no"):
        assert absent not in comments
    listing = committee.get("/committee/comments").get_data(as_text=True)
    assert "2 comments with no outcome, oldest first" in listing
    assert listing.index("Older thought") < listing.index("Newer thought")
    assert citizen.get("/committee/comments").status_code == 403

    from charter.clauses.operations import create_revision

    create_revision(why, why.current_revision.heading, "A new wording.")
    db.session.commit()
    candidate = committee.get("/committee/candidate/new").get_data(as_text=True)
    assert "Warning: 2 comments have no outcome yet" in candidate
    assert f'href="/comments/{newer.id}"' in candidate
    set_outcome(newer, users["committee"], CommentOutcome.TAKEN_INTO_ACCOUNT, reason="Noted.")
    set_outcome(older, users["committee"], CommentOutcome.TAKEN_INTO_ACCOUNT, reason="Noted.")
    db.session.commit()
    candidate = committee.get("/committee/candidate/new").get_data(as_text=True)
    assert "no outcome yet" not in candidate
    assert "None: every comment has an outcome." in committee.get("/committee/").get_data(
        as_text=True
    )


def test_ages_in_words():
    now = utcnow()
    assert age_in_words(now - timedelta(seconds=20), now) == "less than a minute"
    assert age_in_words(now - timedelta(minutes=1), now) == "1 minute"
    assert age_in_words(now - timedelta(hours=5), now) == "5 hours"
    assert age_in_words(now - timedelta(days=1, hours=3), now) == "1 day"
    assert age_in_words(now - timedelta(days=3), now) == "3 days"
    assert age_in_words(now - timedelta(days=20), now) == "2 weeks"
