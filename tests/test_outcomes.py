"""Outcomes through the HTTP interface: addressed by an accepted change, set by the committee,
in the API, and gathered per version ("you said, we did")."""

from charter.extensions import db
from charter.models import AuditEvent, Comment, CommentOutcome
from tests.conftest import propose
from tests.test_comments import _comment, _latest, _selection_of
from tests.test_proposals import _decide


def _comment_on(citizen, charter, words, body):
    _comment(citizen, body=body, **_selection_of(charter, "why", words))
    return _latest()


def test_accepting_a_change_to_the_anchored_words_addresses_the_comment(
    citizen, committee, anon, charter, users
):
    on_plan = _comment_on(citizen, charter, "plan services", "Which services?")
    on_regulator = _comment_on(citizen, charter, "the regulator", "Which regulator?")
    proposal = propose(
        charter,
        users["citizen"],
        body="We join data to *plan schools*. See [the regulator](https://ico.org.uk/).",
    )
    db.session.commit()
    _decide(committee, proposal, "accept", "Say which services.")
    db.session.expire_all()
    addressed, untouched = (
        db.session.get(Comment, on_plan.id),
        db.session.get(Comment, on_regulator.id),
    )
    assert addressed.outcome is CommentOutcome.ADDRESSED
    assert addressed.outcome_proposal_id == proposal.id
    assert untouched.outcome is CommentOutcome.OPEN  # the change left its words alone
    page = anon.get(f"/comments/{addressed.id}").get_data(as_text=True)
    assert "Outcome: Addressed" in page and f"proposal {proposal.id}" in page
    clause_page = anon.get("/clauses/why").get_data(as_text=True)
    assert "Outcome: Addressed" in clause_page and "Outcome: Open" in clause_page
    summaries = db.session.scalars(db.select(AuditEvent.summary)).all()
    assert any(f"comment {addressed.id}: addressed" in s for s in summaries)
    data = anon.get("/api/v1/clauses/why/comments").get_json()
    outcomes = {c["id"]: c["outcome"] for c in data["comments"]}
    assert outcomes[addressed.id] == {
        "status": "addressed",
        "reason": None,
        "proposal": proposal.id,
        "version": None,
    }
    assert outcomes[untouched.id]["status"] == "open"


def test_committee_sets_not_taken_up_only_with_a_reason(citizen, committee, anon, charter, users):
    comment = _comment_on(citizen, charter, "plan services", "Say more.")
    url = f"/comments/{comment.id}/outcome"
    refused = committee.post(url, data={"outcome": "not_taken_up", "reason": " "})
    assert refused.status_code == 400
    assert "Give the public reason" in refused.get_data(as_text=True)
    assert citizen.post(url, data={"outcome": "not_taken_up", "reason": "No."}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).outcome is CommentOutcome.OPEN
    done = committee.post(url, data={"outcome": "not_taken_up", "reason": "Out of scope."})
    assert done.status_code == 302
    page = anon.get(f"/comments/{comment.id}").get_data(as_text=True)
    assert "Outcome: Not taken up" in page and "Out of scope." in page
    event = db.session.scalar(db.select(AuditEvent).order_by(AuditEvent.id.desc()))
    assert event.summary == f"Comment {comment.id}: not taken up. Reason: Out of scope."
    assert "Person" not in event.summary  # no names in the sealed log
    missing = committee.post(url, data={"outcome": "addressed", "proposal": "999"})
    assert missing.status_code == 400 and "There is no proposal 999" in missing.get_data(
        as_text=True
    )


def test_outcomes_page_counts_and_groups_what_was_raised(citizen, committee, anon, charter, users):
    from datetime import timedelta

    from charter.models import utcnow
    from charter.versions.operations import publish_working_draft

    publish_working_draft(charter, changelog="First.", published_at=utcnow() - timedelta(minutes=1))
    db.session.commit()
    on_plan = _comment_on(citizen, charter, "plan services", "Which services?")
    _comment_on(citizen, charter, "the regulator", "Which regulator?")
    _comment(citizen, key="how-long", body="Why a year?")
    skipped = _latest()
    committee.post(
        f"/comments/{skipped.id}/outcome",
        data={"outcome": "not_taken_up", "reason": "A year is the law."},
    )
    proposal = propose(
        charter,
        users["citizen"],
        body="We join data to *plan schools*. See [the regulator](https://ico.org.uk/).",
    )
    db.session.commit()
    _decide(committee, proposal, "accept", "Say which services.")
    from charter.versions.operations import publish_working_draft as publish

    version = publish(charter, changelog="Second.")
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Comment, on_plan.id).outcome_version_id == version.id
    page = anon.get(f"/versions/{version.number}/outcomes")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "3 comments</strong>: 1 open, 1 addressed, 0 taken into account, 1 not taken up" in text
    counts = "1 proposal</strong>: 0 open, 0 withdrawn, 1 accepted, 0 rejected, 0 fallen, 0 taken"
    assert counts in text
    assert text.index("Which services?") < text.index("Why a year?")  # clause order
    assert "A year is the law." in text
    addressed = text[text.index("Which services?") :][:600]
    assert f'proposal {proposal.id}</a>, in <a href="/versions/{version.number}">' in addressed
    link = f'href="/versions/{version.number}/outcomes"'
    assert link in anon.get(f"/versions/{version.number}").get_data(as_text=True)
    compare = anon.get(f"/versions/{version.number - 1}/compare/{version.number}")
    assert link in compare.get_data(as_text=True)
    earlier = anon.get("/versions/1/outcomes").get_data(as_text=True)
    assert "Which services?" not in earlier
    data = anon.get(f"/api/v1/versions/{version.number}/outcomes").get_json()
    assert data["counts"]["comments"] == {
        "open": 1,
        "addressed": 1,
        "taken_into_account": 0,
        "not_taken_up": 1,
    }
    why = next(g for g in data["clauses"] if g["clause"] == "why")
    plan = next(c for c in why["comments"] if c["id"] == on_plan.id)
    assert plan["outcome"]["version"] == version.number
    assert why["proposals"][0]["outcome"] == {
        "status": "accepted",
        "reason": "Say which services.",
        "version": version.number,
    }
    assert anon.get("/versions/99/outcomes").status_code == 404


def test_the_outcomes_page_reads_a_version_in_a_fixed_number_of_queries(
    app, citizen, committee, anon, charter, users
):
    """Questions, answers, clauses and proposals come a page at a time, not one per thread."""
    from datetime import timedelta

    from charter.clauses.queries import get_clause
    from charter.comments.operations import post_comment, reply
    from charter.models import CommentKind
    from charter.versions.operations import publish_working_draft
    from tests.test_comments import _count_queries

    def raise_some(n):
        for i in range(n):
            clause = get_clause(charter, ("why", "how-long")[i % 2])
            question = post_comment(
                users["citizen"],
                body=f"Question {n}-{i}?",
                clause=clause,
                kind=CommentKind.QUESTION,
            )
            reply(users["committee"], question, f"Answer {n}-{i}.", official=True)
            post_comment(users["citizen"], body=f"Comment {n}-{i}.", clause=clause)
            post_comment(users["citizen"], body=f"On a proposal {n}-{i}.", proposal=proposal)

    proposal = propose(charter, users["citizen"])
    raise_some(2)
    db.session.commit()
    version = publish_working_draft(charter, changelog="First.")
    db.session.commit()
    few = _count_queries(app, anon, f"/versions/{version.number}/outcomes")
    few_api = _count_queries(app, anon, f"/api/v1/versions/{version.number}/outcomes")
    raise_some(12)
    db.session.execute(
        db.update(Comment).values(created_at=version.published_at - timedelta(seconds=5))
    )
    db.session.commit()
    many = _count_queries(app, anon, f"/versions/{version.number}/outcomes")
    many_api = _count_queries(app, anon, f"/api/v1/versions/{version.number}/outcomes")
    data = anon.get(f"/api/v1/versions/{version.number}/outcomes").get_json()
    assert data["counts"]["questions"] == {"answered": 14, "waiting": 0}
    assert (many, many_api) == (few, few_api)


def test_with_a_queue_the_worker_addresses_comments_and_names_each_change(
    citizen, committee, anon, charter, users, queue
):
    """The accept reads no thread; the worker finds which change touched which comment, even
    when a second change came before it ran, and names the version published meanwhile."""
    from charter.jobs import work
    from charter.versions.operations import publish_working_draft

    on_plan = _comment_on(citizen, charter, "plan services", "Which services?")
    on_regulator = _comment_on(citizen, charter, "the regulator", "Which regulator?")
    on_both = _comment_on(citizen, charter, "data to plan services", "Both?")
    kept = _comment_on(citizen, charter, "We join", "Who is we?")
    set_aside = _comment_on(citizen, charter, "plan services", "Only services?")
    hidden = _comment_on(citizen, charter, "plan services", "Hidden later")
    committee.post(
        f"/comments/{set_aside.id}/outcome",
        data={"outcome": "taken_into_account", "reason": "We list them in clause 3."},
    )
    first = propose(
        charter,
        users["citizen"],
        body="We join data to *plan schools*. See [the regulator](https://ico.org.uk/).",
    )
    db.session.commit()
    _decide(committee, first, "accept", "Say which services.")
    second = propose(
        charter,
        users["citizen"],
        body="We join data to *plan schools*. See [the ICO](https://ico.org.uk/).",
    )
    db.session.commit()
    _decide(committee, second, "accept", "Name the regulator.")
    db.session.execute(db.update(Comment).filter_by(id=hidden.id).values(hidden=True))
    version = publish_working_draft(charter, changelog="Both changes.")
    db.session.commit()
    ids = [c.id for c in (on_plan, on_regulator, on_both, kept, set_aside, hidden)]
    first_id, second_id, version_id = first.id, second.id, version.id
    db.session.expire_all()
    assert {db.session.get(Comment, i).outcome for i in ids} == {
        CommentOutcome.OPEN,
        CommentOutcome.TAKEN_INTO_ACCOUNT,
    }  # nothing is decided in the request: the worker has not run

    work(burst=True)
    got = {i: db.session.get(Comment, i) for i in ids}
    plan, regulator, both, untouched, aside, gone = (got[i] for i in ids)
    assert (plan.outcome, plan.outcome_proposal_id) == (CommentOutcome.ADDRESSED, first_id)
    assert (regulator.outcome, regulator.outcome_proposal_id) == (
        CommentOutcome.ADDRESSED,
        second_id,
    )  # placed on the first wording, touched only by the second change
    assert both.outcome_proposal_id == first_id
    assert {plan.outcome_version_id, regulator.outcome_version_id} == {version_id}
    assert untouched.outcome is CommentOutcome.OPEN
    assert (aside.outcome, aside.outcome_reason) == (
        CommentOutcome.TAKEN_INTO_ACCOUNT,
        "We list them in clause 3.",
    )  # the committee's word stands
    assert gone.outcome is CommentOutcome.OPEN  # hidden threads take no outcome

    work(burst=True)  # nothing more to do, and nothing is recorded twice
    summaries = db.session.scalars(
        db.select(AuditEvent.summary).where(AuditEvent.action == "comment.addressed")
    ).all()
    assert len(summaries) == 2
    assert sum(f"comment {plan.id}" in s or f"comments {plan.id}" in s for s in summaries) == 1


def test_a_change_not_made_by_a_proposal_addresses_nothing(citizen, charter, users):
    from charter.clauses.operations import create_revision

    on_plan = _comment_on(citizen, charter, "plan services", "Which services?")
    clause = on_plan.clause
    create_revision(clause, "Tidy", clause.current_revision.body.replace("plan services", "plan"))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Comment, on_plan.id).outcome is CommentOutcome.OPEN


def test_a_change_reworded_again_before_publishing_took_effect_in_that_version(
    citizen, committee, anon, charter, users
):
    from charter.versions.operations import publish_working_draft

    on_plan = _comment_on(citizen, charter, "plan services", "Which services?")
    first = propose(charter, users["citizen"], body="We join data to *plan schools*.")
    db.session.commit()
    _decide(committee, first, "accept", "Say which services.")
    second = propose(charter, users["citizen"], body="We join data to *plan schools well*.")
    db.session.commit()
    _decide(committee, second, "accept", "Say how.")
    version = publish_working_draft(charter, changelog="Both.")
    db.session.commit()
    db.session.expire_all()
    comment = db.session.get(Comment, on_plan.id)
    assert (comment.outcome_proposal_id, comment.outcome_version_id) == (first.id, version.id)
    found = anon.get(f"/api/v1/proposals/{first.id}").get_json()
    assert found["outcome"]["version"] == version.number
