"""Atom feeds of one clause and one proposal: valid, the right entries, nothing hidden."""

import xml.etree.ElementTree as ET

from charter.clauses.operations import create_revision
from charter.clauses.queries import get_clause
from charter.comments.operations import delete_comment, hide_comment, post_comment, reply
from charter.extensions import db
from charter.models import CommentKind
from charter.proposals.operations import reject_proposal, update_proposal
from tests.conftest import propose

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client, url, **headers) -> ET.Element:
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    return ET.fromstring(response.get_data())  # strict: a malformed feed raises ParseError


def _titles(feed) -> list[str]:
    return [entry.find(f"{ATOM}title").text for entry in feed.findall(f"{ATOM}entry")]


def _question(charter, users, body, **about):
    return post_comment(users["citizen"], body=body, kind=CommentKind.QUESTION, **about)


def test_the_clause_feed_has_wordings_proposals_decisions_and_answers(anon, charter, users):
    why = get_clause(charter, "why")
    create_revision(why, why.current_revision.heading, "Second <wording> & more.")
    proposal = propose(charter, users["citizen"], rationale="Because <b>it</b> & that.")
    reject_proposal(proposal, users["committee"], "Too vague.")
    question = _question(charter, users, "What is joined?", clause=why)
    reply(users["committee"], question, "Addresses & names.", official=True)
    reply(users["citizen"], question, "A plain reply, not in the feed.")
    hidden = _question(charter, users, "Secret question?", clause=why)
    reply(users["committee"], hidden, "Answer to a hidden question.", official=True)
    hide_comment(hidden, users["committee"], "Off topic.")
    gone = _question(charter, users, "Another question?", clause=why)
    answer = reply(users["committee"], gone, "Answer later deleted.", official=True)
    delete_comment(answer)
    other = _question(
        charter, users, "About another clause?", clause=get_clause(charter, "how-long")
    )
    reply(users["committee"], other, "Not this clause.", official=True)
    db.session.commit()

    feed = _feed(anon, "/clauses/why.atom")
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", f"author/{ATOM}name"):
        assert feed.find(ATOM + tag).text
    self_link = feed.find(f"{ATOM}link[@rel='self']").get("href")
    assert self_link.startswith("http") and self_link.endswith("/clauses/why.atom")
    titles = _titles(feed)
    assert "Official answer to: What is joined?" in titles
    assert f"Proposal rejected: {proposal.title}" in titles
    assert f"Proposal opened: {proposal.title}" in titles
    assert any(t.startswith("New wording 2:") for t in titles)
    assert any(t.startswith("New wording 1:") for t in titles)
    text = ET.tostring(feed, encoding="unicode")
    for absent in ("Secret question", "hidden question", "later deleted", "plain reply"):
        assert absent not in text
    assert "Not this clause" not in text
    assert "Reason: Too vague." in text
    ids = [e.find(f"{ATOM}id").text for e in feed.findall(f"{ATOM}entry")]
    assert len(ids) == len(set(ids)) and all(i.startswith("http") for i in ids)
    # Newest first: the answer came last, the first wording first.
    assert titles[0] == "Official answer to: What is joined?"
    assert titles[-1].startswith("New wording 1:")


def test_the_feed_is_capped_at_fifty_entries(anon, charter):
    why = get_clause(charter, "why")
    for n in range(60):
        create_revision(why, why.current_revision.heading, f"Wording number {n}.")
    db.session.commit()
    titles = _titles(_feed(anon, "/clauses/why.atom"))
    assert len(titles) == 50
    assert titles[0].startswith("New wording 61:")


def test_the_proposal_feed_has_its_texts_decision_and_answers(anon, charter, users):
    proposal = propose(charter, users["citizen"])
    update_proposal(
        proposal,
        heading=proposal.heading,
        body="Better words.",
        rationale="Clearer.",
        seen_version=proposal.lock_version,
    )
    question = _question(charter, users, "Why this change?", proposal=proposal)
    reply(users["committee"], question, "Because it is clearer.", official=True)
    secret = _question(charter, users, "Hidden one?", proposal=proposal)
    reply(users["committee"], secret, "Hidden answer.", official=True)
    hide_comment(secret, users["committee"], "Spam.")
    reject_proposal(proposal, users["committee"], "Not needed.")
    db.session.commit()

    feed = _feed(anon, f"/proposals/{proposal.id}.atom")
    titles = _titles(feed)
    assert titles[-1] == f"Proposal opened: {proposal.title}"
    assert "New text 2 of the proposal" in titles
    assert f"Proposal rejected: {proposal.title}" in titles
    assert "Official answer to: Why this change?" in titles
    text = ET.tostring(feed, encoding="unicode")
    assert "Hidden" not in text
    assert anon.get("/proposals/99999.atom").status_code == 404
    assert anon.get("/clauses/nowhere.atom").status_code == 404


def test_the_feeds_answer_not_modified_when_nothing_changed(anon, charter, users):
    proposal = propose(charter, users["citizen"])
    db.session.commit()
    for url in ("/clauses/why.atom", f"/proposals/{proposal.id}.atom"):
        first = anon.get(url)
        assert first.headers["ETag"]
        again = anon.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304


def test_the_pages_link_to_their_feeds(anon, charter, users):
    proposal = propose(charter, users["citizen"])
    db.session.commit()
    clause = anon.get("/clauses/why").get_data(as_text=True)
    assert '<link rel="alternate" type="application/atom+xml"' in clause
    assert 'href="/clauses/why.atom"' in clause and "Follow this clause" in clause
    page = anon.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert f'href="/proposals/{proposal.id}.atom"' in page and "Follow this proposal" in page
