"""Plain-language summaries and Easy Read versions: written, going stale, reviewed, read."""

import pytest

from charter.clauses.operations import create_revision
from charter.clauses.queries import get_clause
from charter.extensions import db
from charter.models import AuditEvent, Supplement, SupplementKind
from charter.plain.languages import PLAIN
from charter.plain.operations import SupplementError, review_supplement, write_supplement
from charter.plain.queries import latest

SUMMARY = "We put data **together** to plan services."


def _write(client, slot="plain", body=SUMMARY, key="why", **extra):
    return client.post(f"/plain/clauses/{key}/{slot}", data={"body": body, **extra})


def _reword(charter, key="why", body="We join data to plan and check services."):
    clause = get_clause(charter, key)
    create_revision(clause, clause.current_revision.heading, body)
    db.session.commit()
    return clause


def test_a_member_writes_a_summary_that_readers_switch_to(charter, committee, anon):
    response = _write(committee)
    assert response.status_code == 302
    assert response.location.endswith("/clauses/why?view=plain")
    page = anon.get("/clauses/why?view=plain").get_data(as_text=True)
    assert "We put data <strong>together</strong> to plan services." in page
    assert "Written for an earlier wording" not in page
    # The full text is a link away and is what the page shows without the switch.
    assert 'href="/clauses/why"' in page
    full = anon.get("/clauses/why").get_data(as_text=True)
    assert "We put data" not in full
    assert "plan services</em>" in full
    assert 'href="/clauses/why?view=plain"' in full
    # No Easy Read version yet: no link to it, and asking for it shows the full text.
    assert "view=easy-read" not in full
    easy = anon.get("/clauses/why?view=easy-read").get_data(as_text=True)
    assert "There is no Easy Read version of this clause yet" in easy
    assert "plan services</em>" in easy


def test_a_summary_goes_stale_when_the_clause_changes_and_comes_back_when_reviewed(
    charter, committee, anon, users
):
    assert _write(committee).status_code == 302
    clause = _reword(charter)
    page = anon.get("/clauses/why?view=plain").get_data(as_text=True)
    assert "Written for an earlier wording" in page
    assert "wording 1 of the clause" in page
    edit = committee.get("/plain/clauses/why/plain").get_data(as_text=True)
    assert "Written for an earlier wording" in edit
    assert "<ins>" in edit  # the clause's tracked changes since the summary's wording
    assert "mark as reviewed for wording 2" in edit

    response = committee.post("/plain/clauses/why/plain/review")
    assert response.status_code == 302
    page = anon.get("/clauses/why?view=plain").get_data(as_text=True)
    assert "Written for an earlier wording" not in page
    rows = db.session.scalars(db.select(Supplement).order_by(Supplement.number)).all()
    assert [(r.number, r.reviewed, r.revision.number) for r in rows] == [
        (1, False, 1),
        (2, True, 2),
    ]
    assert rows[1].body == rows[0].body
    assert rows[1].content_hash == get_clause(charter, "why").current_revision.content_hash
    actions = db.session.scalars(db.select(AuditEvent.action)).all()
    assert actions.count("supplement.added") == 1 and "supplement.reviewed" in actions
    assert clause.id  # loaded


def test_editing_a_stale_summary_brings_it_back_and_keeps_the_old_wording(charter, committee):
    _write(committee)
    _reword(charter)
    assert (
        _write(committee, body="We put data together to plan and check services.").status_code
        == 302
    )
    clause = get_clause(charter, "why")
    head = latest(clause, PLAIN)
    assert head.number == 2 and head.is_current and not head.reviewed
    edit = committee.get("/plain/clauses/why/plain").get_data(as_text=True)
    assert "Up to date." in edit
    assert "Wording 1" in edit and "Wording 2" in edit  # history kept


def test_refusals_in_words(charter, committee, citizen):
    empty = _write(committee, body="   ")
    assert empty.status_code == 400
    assert "Write the text: it cannot be empty." in empty.get_data(as_text=True)
    long = _write(committee, body="word " * 5000)
    assert long.status_code == 400
    assert "Keep the text to 20,000 characters." in long.get_data(as_text=True)
    assert _write(committee, slot="klingon").status_code == 404
    assert _write(committee, key="nope").status_code == 404
    assert _write(citizen).status_code == 403
    assert citizen.get("/plain/clauses/why/plain").status_code == 403
    assert citizen.post("/plain/clauses/why/plain/review").status_code == 403
    same = _write(committee), _write(committee)
    assert same[1].status_code == 400
    assert "Nothing changed" in same[1].get_data(as_text=True)
    nothing = committee.post("/plain/clauses/why/easy-read/review", follow_redirects=True)
    assert "There is no Easy Read version to review yet." in nothing.get_data(as_text=True)
    current = committee.post("/plain/clauses/why/plain/review", follow_redirects=True)
    assert "already up to date" in current.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count()).select_from(Supplement)) == 1


def test_forms_need_their_csrf_token(charter, committee):
    refused = committee.post("/plain/clauses/why/plain", data={"body": SUMMARY}, csrf=False)
    assert refused.status_code == 400
    _write(committee)
    _reword(charter)
    assert committee.post("/plain/clauses/why/plain/review", csrf=False).status_code == 400
    assert db.session.scalar(db.select(db.func.count()).select_from(Supplement)) == 1


def test_summary_markdown_is_sanitised(charter, committee, anon):
    _write(committee, body="Hello <script>alert(1)</script> [x](javascript:alert(1)) there.")
    page = anon.get("/clauses/why?view=plain").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "javascript:" not in page


def test_operations_refuse_before_changing_anything(charter, users):
    clause = get_clause(charter, "why")
    with pytest.raises(SupplementError, match="no plain-language summary to review"):
        review_supplement(clause, PLAIN, by=users["committee"])
    supplement = write_supplement(clause, PLAIN, heading="", body=SUMMARY, by=users["committee"])
    assert supplement.kind is SupplementKind.PLAIN and supplement.language == "en"


def test_the_clause_page_shows_the_reading_level_explained(charter, anon):
    page = anon.get("/clauses/how-long").get_data(as_text=True)
    assert "too short to measure" in page
    assert "What the reading level means" in page
    _reword(
        charter,
        "how-long",
        "Notwithstanding the aforementioned considerations, the organisational infrastructure "
        "necessitates comprehensive institutional accountability mechanisms, incorporating "
        "independent verification procedures.",
    )
    page = anon.get("/clauses/how-long").get_data(as_text=True)
    assert "Very hard to read" in page and "university graduates" in page
    assert "Harder than lower secondary school reading." in page


def test_committee_sees_links_to_write_them_readers_do_not(charter, committee, citizen):
    assert "/plain/clauses/why/easy-read" in committee.get("/clauses/why").get_data(as_text=True)
    assert "/plain/clauses/why/easy-read" not in citizen.get("/clauses/why").get_data(as_text=True)


HARD = (
    "Notwithstanding the aforementioned considerations, the organisational infrastructure "
    "necessitates comprehensive institutional accountability mechanisms, incorporating "
    "independent verification procedures."
)
EASY = (
    "We put data together to plan services. We tell you why. We keep it safe. "
    "We do not sell it. You can ask us what we hold."
)


def _propose(client, **data):
    form = {
        "heading": "Why we join data",
        "body": EASY,
        "rationale": "Plainer words.",
        "submit": "Send the proposal",
        **data,
    }
    return client.post("/proposals/new?kind=amend&clause=why", data=form)


def test_proposers_see_the_reading_level_before_and_after(charter, citizen, anon):
    _reword(charter, body=HARD)
    preview = _propose(citizen, submit=None, preview="Preview the changes").get_data(as_text=True)
    assert "Before: <strong>Very hard to read</strong>" in preview
    assert "After: <strong>Very easy to read</strong>" in preview
    sent = _propose(citizen)
    assert sent.status_code == 302
    page = anon.get(sent.location).get_data(as_text=True)
    assert "Before: <strong>Very hard to read</strong>, for most university graduates" in page
    assert "After: <strong>Very easy to read</strong>" in page
    assert "What the reading level means" in page


def test_two_members_saving_at_once_keep_both_wordings_apart(charter, committee, monkeypatch):
    _write(committee)
    # The second member's page was loaded before the first saved: it numbers its wording 1 too.
    monkeypatch.setattr("charter.plain.operations.latest", lambda clause, slot: None)
    response = committee.post("/plain/clauses/why/plain", data={"body": "Another summary."})
    assert response.status_code == 302 and response.location.endswith("/plain/clauses/why/plain")
    page = committee.get(response.location).get_data(as_text=True)
    assert "Someone else saved the plain-language summary while you were working on it." in page
    assert db.session.scalars(db.select(Supplement.body)).all() == [SUMMARY]


def test_who_may_write_them(charter, users, committee):
    from charter.clauses.operations import retire_clause
    from charter.permissions import can_write_supplement

    clause = get_clause(charter, "why")
    allowed = {role: can_write_supplement(user, clause) for role, user in users.items()}
    assert allowed == {"citizen": False, "committee": True, "admin": True}
    assert not can_write_supplement(None, clause)
    retire_clause(clause)
    db.session.commit()
    assert not can_write_supplement(users["committee"], clause)
    assert committee.get("/plain/clauses/why/plain").status_code == 403
    assert "/plain/clauses/why/" not in committee.get("/clauses/why").get_data(as_text=True)
