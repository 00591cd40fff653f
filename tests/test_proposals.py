"""Proposals through the HTTP interface: propose, preview, edit, withdraw, support, decide."""

import re

import pytest

from charter.clauses.operations import create_revision
from charter.clauses.queries import get_clause, live_clauses
from charter.extensions import db
from charter.models import AuditEvent, Proposal, ProposalKind, ProposalStatus
from charter.proposals.operations import create_proposal
from charter.text.markdown import MAX_NESTING
from tests.conftest import propose

WHY_BODY = "We join data to *plan services*. See [the regulator](https://ico.org.uk/)."


def _amend(client, key="why", **data):
    form = {
        "heading": "Why we join data",
        "body": WHY_BODY.replace("plan services", "plan better services"),
        "rationale": "Services should get better, not just planned.",
        "submit": "Send the proposal",
        **data,
    }
    return client.post(f"/proposals/new?kind=amend&clause={key}", data=form)


def _proposal():
    return db.session.scalar(db.select(Proposal).order_by(Proposal.id.desc()))


def test_amend_form_starts_from_the_current_wording(citizen, charter):
    page = citizen.get("/proposals/new?kind=amend&clause=why").get_data(as_text=True)
    assert "Propose a change to “Why we join data”" in page
    assert "We join data to *plan services*." in page  # in the textarea, as Markdown
    assert "Up to 10,000 characters." in page and "Up to 2,000 characters." in page


def test_preview_shows_tracked_changes_and_stores_nothing(citizen, charter):
    response = _amend(citizen, submit=None, preview="Preview the changes", view="inline")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Preview: what your proposal changes" in page
    assert "1 insertion, 0 deletions" in page
    assert '<ins><span class="visually-hidden">inserted: </span>better ' in page
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 0


def test_preview_in_each_view(citizen, charter):
    for view, marker in (
        ("inline", "diff__source"),
        ("side", "diff__side"),
        ("rendered", "diff__rendered"),
    ):
        page = _amend(citizen, submit=None, preview="Preview", view=view).get_data(as_text=True)
        assert marker in page, view


def test_proposing_is_rate_limited(citizen, charter):
    statuses = [_amend(citizen, body=f"Version {n}.").status_code for n in range(21)]
    assert statuses[:20] == [302] * 20 and statuses[20] == 429


def test_citizen_proposes_an_amendment(citizen, charter, users):
    response = _amend(citizen)
    assert response.status_code == 302
    proposal = _proposal()
    assert proposal.status is ProposalStatus.OPEN and proposal.author_id == users["citizen"].id
    assert proposal.base_revision.number == 1
    assert [t.number for t in proposal.texts] == [1]
    page = citizen.get(response.location).get_data(as_text=True)
    assert "Change “Why we join data”" in page
    assert "Services should get better, not just planned." in page
    assert "1 insertion, 0 deletions" in page
    # The clause's wording is untouched until the committee accepts.
    assert get_clause(charter, "why").current_revision.number == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"body": "   "}, "Write the wording you propose; it cannot be empty."),
        ({"rationale": ""}, "Say why you propose this"),
        ({"rationale": "x" * 2001}, "Keep the reason to 2,000 characters."),
        ({"body": "x" * 10_001}, "Keep the wording to 10,000 characters."),
        ({"body": WHY_BODY}, "This is the same as the current wording."),
        ({"body": "## Sneaky heading\n\ntext"}, "start a sub-heading inside a clause with ###"),
    ],
)
def test_bad_proposals_are_refused_in_words_and_nothing_is_stored(citizen, charter, data, message):
    response = _amend(citizen, **data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 0


def test_propose_adding_a_clause_at_a_position(citizen, committee, charter):
    response = citizen.post(
        "/proposals/new?kind=add",
        data={
            "heading": "Children's data",
            "body": "We take extra care with data about children.",
            "rationale": "Children cannot speak for themselves here.",
            "position": "2",
            "submit": "Send",
        },
    )
    assert response.status_code == 302
    proposal = _proposal()
    assert proposal.title == "Add “Children's data”"
    _decide(committee, proposal, "accept", "A gap in the charter.")
    assert [c.key for c in live_clauses(charter)] == [
        "why",
        "childrens-data",
        "how-long",
        "your-rights",
    ]
    clause = get_clause(charter, "childrens-data")
    assert clause.current_revision.proposal_id == proposal.id
    assert clause.current_revision.author.display_name == "Citizen Person"


def test_propose_removing_a_clause(citizen, committee, charter):
    response = citizen.post(
        "/proposals/new?kind=remove&clause=how-long",
        data={"rationale": "Covered elsewhere.", "submit": "Send"},
    )
    assert response.status_code == 302
    proposal = _proposal()
    page = citizen.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Clause removed." in page
    _decide(committee, proposal, "accept", "Agreed, it repeats clause 1.")
    assert get_clause(charter, "how-long").retired
    assert [c.key for c in live_clauses(charter)] == ["why", "your-rights"]


def test_no_proposals_on_a_retired_clause(citizen, charter):
    get_clause(charter, "how-long").retired = True
    db.session.commit()
    response = _amend(citizen, key="how-long", heading="How long", body="Shorter.")
    assert response.status_code == 400
    assert "This clause has been removed from the charter" in response.get_data(as_text=True)


def test_consultation_closed_refuses_new_proposals(citizen, charter):
    charter.consultation_open = False
    db.session.commit()
    page = citizen.get("/proposals/new?kind=amend&clause=why").get_data(as_text=True)
    assert "The consultation is closed" in page
    response = _amend(citizen)
    assert response.status_code == 400
    assert (
        "The consultation is closed, so new proposals cannot be made just now."
        in response.get_data(as_text=True)
    )
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 0


def test_author_edits_and_earlier_text_is_kept(citizen, charter):
    _amend(citizen)
    proposal = _proposal()
    response = citizen.post(
        f"/proposals/{proposal.id}/edit",
        data={
            "heading": "Why we join data",
            "body": WHY_BODY.replace("plan services", "improve services"),
            "rationale": "Clearer now.",
            "seen_version": str(proposal.lock_version),
            "submit": "Save",
        },
    )
    assert response.status_code == 302
    assert [t.number for t in proposal.texts] == [1, 2]
    assert proposal.texts[0].body.startswith("We join data to *plan better services*")
    page = citizen.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Earlier texts of this proposal" in page and "Clearer now." in page


def test_edit_made_on_a_stale_page_is_refused(citizen, charter):
    _amend(citizen)
    proposal = _proposal()
    data = {"heading": "Why", "body": "New words.", "rationale": "Again.", "submit": "Save"}
    first = citizen.post(f"/proposals/{proposal.id}/edit", data={**data, "seen_version": "1"})
    assert first.status_code == 302
    second = citizen.post(
        f"/proposals/{proposal.id}/edit", data={**data, "body": "Other.", "seen_version": "1"}
    )
    assert second.status_code == 400
    assert "This proposal changed after you opened it." in second.get_data(as_text=True)
    assert _proposal().body == "New words."


def test_only_the_author_edits_or_withdraws(committee, citizen, charter):
    _amend(citizen)
    proposal = _proposal()
    assert committee.get(f"/proposals/{proposal.id}/edit").status_code == 403
    assert committee.post(f"/proposals/{proposal.id}/withdraw").status_code == 403


def test_author_withdraws(citizen, committee, charter):
    _amend(citizen)
    proposal = _proposal()
    assert citizen.post(f"/proposals/{proposal.id}/withdraw").status_code == 302
    assert _proposal().status is ProposalStatus.WITHDRAWN
    late = _decide(committee, proposal, "accept", "Too late", follow_redirects=True)
    assert "This proposal is already withdrawn, so nothing was changed." in late.get_data(
        as_text=True
    )


def test_support_once_and_not_your_own(citizen, committee, admin, charter):
    _amend(citizen)
    proposal = _proposal()
    assert citizen.post(f"/proposals/{proposal.id}/support").status_code == 403
    committee.post(f"/proposals/{proposal.id}/support")
    again = committee.post(f"/proposals/{proposal.id}/support", follow_redirects=True)
    assert "You already support this proposal." in again.get_data(as_text=True)
    admin.post(f"/proposals/{proposal.id}/support")
    assert _proposal().support_count == 2
    assert "<strong>2</strong> people support" in citizen.get(f"/proposals/{proposal.id}").get_data(
        as_text=True
    )


def _decide(client, proposal, decision, reason, **kwargs):
    data = {
        "decision": decision,
        "reason": reason,
        "seen_version": str(proposal.lock_version),
        **kwargs.pop("data", {}),
    }
    return client.post(f"/proposals/{proposal.id}/decide", data=data, **kwargs)


def test_committee_accepts_and_the_clause_gets_its_next_revision(
    citizen, committee, anon, charter, users
):
    _amend(citizen)
    proposal = _proposal()
    response = _decide(committee, proposal, "accept", "Better services are the point.")
    assert response.status_code == 302
    proposal = _proposal()
    assert proposal.status is ProposalStatus.ACCEPTED
    assert proposal.decided_by_id == users["committee"].id
    revision = get_clause(charter, "why").current_revision
    assert revision.number == 2 and revision.proposal_id == proposal.id
    assert "plan better services" in revision.body
    page = anon.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Decision: accepted" in page and "Better services are the point." in page
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="proposal.accepted"))
    assert event.object_id == proposal.id and "Better services are the point." in event.summary


def test_committee_rejects_with_a_reason(citizen, committee, anon, charter):
    _amend(citizen)
    proposal = _proposal()
    missing = _decide(committee, proposal, "reject", "")
    assert missing.status_code == 400
    assert "Give the reason for the decision" in missing.get_data(as_text=True)
    assert _decide(committee, proposal, "reject", "Planning is the purpose.").status_code == 302
    assert _proposal().status is ProposalStatus.REJECTED
    assert get_clause(charter, "why").current_revision.number == 1
    assert "Planning is the purpose." in anon.get(f"/proposals/{proposal.id}").get_data(
        as_text=True
    )


def test_citizens_cannot_decide(citizen, charter):
    _amend(citizen)
    assert _decide(citizen, _proposal(), "accept", "Mine!").status_code == 403


def test_deciding_twice_records_one_decision(citizen, committee, admin, charter):
    _amend(citizen)
    proposal = _proposal()
    seen = proposal.lock_version
    assert _decide(committee, proposal, "accept", "Yes.").status_code == 302
    late = admin.post(
        f"/proposals/{proposal.id}/decide",
        data={"decision": "reject", "reason": "No.", "seen_version": str(seen)},
        follow_redirects=True,
    )
    assert "already accepted, so nothing was changed" in late.get_data(as_text=True)
    assert _proposal().decision_reason == "Yes."
    assert db.session.scalar(db.select(db.func.count(AuditEvent.id))) == 1


def test_moved_on_clause_rebases_and_the_committee_confirms_the_merge(citizen, committee, charter):
    _amend(citizen)
    proposal = _proposal()
    clause = get_clause(charter, "why")
    create_revision(clause, "Why we join data", WHY_BODY + "\n\nWe say so in public.")
    db.session.commit()
    first = _decide(committee, proposal, "accept", "Fine.")
    page = first.get_data(as_text=True)
    assert first.status_code == 409
    assert "The merged result, compared with the clause as it is now" in page
    assert "Confirm the decision" in page
    assert get_clause(charter, "why").current_revision.number == 2
    fingerprint = page.split('name="confirmed" type="hidden" value="')[1].split('"')[0]
    second = _decide(committee, proposal, "accept", "Fine.", data={"confirmed": fingerprint})
    assert second.status_code == 302
    body = get_clause(charter, "why").current_revision.body
    assert "plan better services" in body and "We say so in public." in body


def test_conflicting_rebase_is_refused_and_both_sides_see_where_it_collides(
    citizen, committee, anon, charter
):
    _amend(citizen)
    proposal = _proposal()
    create_revision(
        get_clause(charter, "why"),
        "Why we join data",
        WHY_BODY.replace("plan services", "run the county's public services fairly"),
    )
    db.session.commit()
    collision = (
        "Where the clause said “plan”, this proposal says “plan better” "
        "but the clause now says “run the county&#39;s public”."
    )
    response = _decide(committee, proposal, "accept", "Fine.")
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Nothing was merged" in page
    assert collision in page
    proposal = _proposal()
    assert proposal.is_open and proposal.needs_update
    assert get_clause(charter, "why").current_revision.number == 2
    # While it needs an update, the proposal page says where, to the committee and the author.
    assert collision in committee.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert collision in citizen.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    edit = citizen.get(f"/proposals/{proposal.id}/edit").get_data(as_text=True)
    assert "The clause has changed since you wrote this" in edit
    assert collision in edit
    assert "run the county" in edit and "plan better services" in edit
    # The decision form on the failed response is current: deciding again is not "stale".
    again = _decide(committee, proposal, "reject", "It no longer fits.", follow_redirects=True)
    assert "Decision recorded: rejected." in again.get_data(as_text=True)


def test_once_updated_the_collision_is_no_longer_shown(citizen, committee, charter):
    _amend(citizen)
    proposal = _proposal()
    now = WHY_BODY.replace("plan services", "run services")
    create_revision(get_clause(charter, "why"), "Why we join data", now)
    db.session.commit()
    assert _decide(committee, proposal, "accept", "Fine.").status_code == 409
    assert "Where it collides with the clause now" in citizen.get(
        f"/proposals/{proposal.id}"
    ).get_data(as_text=True)
    citizen.post(
        f"/proposals/{proposal.id}/edit",
        data={
            "heading": "Why we join data",
            "body": now.replace("run services", "run better services"),
            "rationale": "Services should get better.",
            "seen_version": str(_proposal().lock_version),
            "submit": "Save",
        },
    )
    proposal = _proposal()
    assert not proposal.needs_update
    page = committee.get(f"/proposals/{proposal.id}").get_data(as_text=True)
    assert "Where it collides with the clause now" not in page


def test_a_heading_collision_counts_and_is_shown(citizen, committee, anon, charter):
    _amend(citizen, heading="Why we combine data")
    proposal = _proposal()
    create_revision(get_clause(charter, "why"), "Why the council joins data", WHY_BODY)
    db.session.commit()
    response = _decide(committee, proposal, "accept", "Fine.")
    assert response.status_code == 409
    assert (
        "Where the heading said “we join”, this proposal says “we combine” "
        "but the heading now says “the council joins”."
    ) in response.get_data(as_text=True)
    assert _proposal().needs_update
    data = anon.get(f"/api/v1/proposals/{proposal.id}").get_json()
    assert data["needs_update"] is True
    [conflict] = data["conflicts"]
    assert conflict["part"] == "heading"
    assert conflict["base"]["text"] == "we join"
    assert conflict["proposed"] == {"start": 4, "end": 14, "text": "we combine"}
    assert conflict["head"]["text"] == "the council joins"


def test_an_edit_next_to_the_clauses_change_merges_after_confirmation(citizen, committee, charter):
    _amend(citizen)  # "plan services" -> "plan better services"
    proposal = _proposal()
    moved = WHY_BODY.replace("See [the regulator]", "Read [the regulator]")
    create_revision(get_clause(charter, "why"), "Why we join data", moved)
    db.session.commit()
    first = _decide(committee, proposal, "accept", "Fine.")
    assert first.status_code == 409
    fingerprint = first.get_data(as_text=True).split('name="confirmed" type="hidden" value="')[1]
    fingerprint = fingerprint.split('"')[0]
    second = _decide(committee, proposal, "accept", "Fine.", data={"confirmed": fingerprint})
    assert second.status_code == 302
    assert get_clause(charter, "why").current_revision.body == moved.replace(
        "plan services", "plan better services"
    )


def test_list_filters_and_sorts(citizen, committee, admin, anon, charter):
    _amend(citizen)
    first = _proposal()
    citizen.post(
        "/proposals/new?kind=remove&clause=how-long",
        data={"rationale": "Repeats.", "submit": "Send"},
    )
    second = _proposal()
    committee.post(f"/proposals/{first.id}/support")
    admin.post(f"/proposals/{first.id}/support")
    _decide(committee, second, "reject", "Needed.")
    page = anon.get("/proposals/?status=open").get_data(as_text=True)
    assert "Change “Why we join data”" in page and "Remove “How long" not in page
    page = anon.get("/proposals/?kind=remove").get_data(as_text=True)
    assert "Remove “How long we keep data”" in page and "Change “Why" not in page
    page = anon.get("/proposals/?clause=how-long").get_data(as_text=True)
    assert "1 proposal." in page
    by_support = anon.get("/proposals/?sort=support").get_data(as_text=True)
    assert by_support.index("Change “Why") < by_support.index("Remove “How")
    newest = anon.get("/proposals/?sort=newest").get_data(as_text=True)
    assert newest.index("Remove “How") < newest.index("Change “Why")
    assert "2 proposals." in anon.get("/proposals/?status=bogus").get_data(as_text=True)


def test_list_is_paginated(citizen, charter, users):
    for n in range(21):
        create_proposal(
            charter,
            users["citizen"],
            ProposalKind.AMEND,
            clause=get_clause(charter, "why"),
            heading="Why",
            body=f"Version {n}.",
            rationale="Because.",
        )
    db.session.commit()
    page = citizen.get("/proposals/").get_data(as_text=True)
    assert "21 proposals, page 1 of 2" in page and "Next page" in page
    assert "Previous page" in citizen.get("/proposals/?page=2").get_data(as_text=True)


def test_clause_page_lists_its_open_proposals(citizen, anon, charter):
    _amend(citizen)
    page = anon.get("/clauses/why").get_data(as_text=True)
    assert "Open proposals" in page and "Change “Why we join data”" in page
    assert "No open proposals about this clause." in anon.get("/clauses/how-long").get_data(
        as_text=True
    )


def test_decision_on_a_proposal_edited_since_it_was_read_is_refused(citizen, committee, charter):
    _amend(citizen)
    proposal = _proposal()
    seen = proposal.lock_version
    citizen.post(
        f"/proposals/{proposal.id}/edit",
        data={
            "heading": "Why",
            "body": "Edited words.",
            "rationale": "Edited.",
            "seen_version": str(seen),
            "submit": "Save",
        },
    )
    response = committee.post(
        f"/proposals/{proposal.id}/decide",
        data={"decision": "accept", "reason": "Looked fine.", "seen_version": str(seen)},
        follow_redirects=True,
    )
    assert "This proposal changed after you opened it." in response.get_data(as_text=True)
    assert _proposal().is_open


def test_a_lost_race_is_reported_as_a_conflict(citizen, committee, charter, monkeypatch):
    from sqlalchemy.orm.exc import StaleDataError

    from charter.proposals import operations

    _amend(citizen)
    proposal = _proposal()

    def lose(*args, **kwargs):
        raise StaleDataError("another session updated the row first")

    monkeypatch.setattr(operations, "accept_proposal", lose)
    response = _decide(committee, proposal, "accept", "Yes.", follow_redirects=True)
    assert "Someone else acted on this proposal at the same moment." in response.get_data(
        as_text=True
    )
    assert _proposal().is_open


def test_withdrawing_while_the_committee_decides_is_a_conflict(citizen, charter, monkeypatch):
    from sqlalchemy.orm.exc import StaleDataError

    from charter.proposals import operations

    _amend(citizen)
    proposal = _proposal()

    def lose(*args, **kwargs):
        raise StaleDataError("the committee decided first")

    monkeypatch.setattr(operations, "withdraw_proposal", lose)
    response = citizen.post(f"/proposals/{proposal.id}/withdraw", follow_redirects=True)
    assert "Someone else acted on this proposal at the same moment." in response.get_data(
        as_text=True
    )
    assert _proposal().is_open


# Bodies that once stalled or crashed rendering: 17 s for 10,000 "[", RecursionError for
# thousands of nested list markers.
PATHOLOGICAL_BODIES = {
    "nested lists": "1. " * 3_333 + "x",
    "nested bullets": "- " * 4_995 + "x",
    "unclosed brackets": "[" * 10_000,
    "unclosed image brackets": "![" * 5_000,
    "nested quotes": "> " * 4_999 + "x",
}


@pytest.mark.parametrize("body", PATHOLOGICAL_BODIES.values(), ids=PATHOLOGICAL_BODIES.keys())
def test_a_body_that_cannot_render_quickly_is_refused_in_words(citizen, charter, body):
    response = _amend(citizen, body=body)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Use at most" in page or "levels deep" in page or "Keep the wording to" in page
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 0


@pytest.mark.parametrize("view", ["inline", "side", "rendered"])
@pytest.mark.parametrize("body", PATHOLOGICAL_BODIES.values(), ids=PATHOLOGICAL_BODIES.keys())
def test_preview_of_a_pathological_body_answers_in_words(citizen, charter, body, view):
    response = _amend(citizen, body=body, submit=None, preview="Preview", view=view)
    assert response.status_code in (200, 400)
    assert "Preview" in response.get_data(as_text=True)


def test_nested_lists_in_preview_no_longer_raise_recursion_error(citizen, charter):
    body = "1. " * 3_333 + "x"
    response = _amend(citizen, body=body, submit=None, preview="Preview", view="rendered")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<ol" not in page.split("diff__rendered", 1)[1]  # shown as its text, not as 3,333 lists
    assert f"at most {MAX_NESTING} levels deep" in page  # and the preview says why, before sending
    refused = _amend(citizen, body=body)
    assert f"at most {MAX_NESTING} levels deep" in refused.get_data(as_text=True)


@pytest.mark.parametrize("body", PATHOLOGICAL_BODIES.values(), ids=PATHOLOGICAL_BODIES.keys())
def test_a_stored_pathological_proposal_still_shows_its_page_and_api(
    citizen, anon, charter, body, monkeypatch
):
    # Stored before the limits existed: the operation's check is switched off to write it.
    monkeypatch.setattr("charter.proposals.operations.body_problems", lambda body: [])
    assert _amend(citizen, body=body).status_code == 302
    monkeypatch.undo()
    proposal = _proposal()
    page = anon.get(f"/proposals/{proposal.id}")
    assert page.status_code == 200
    assert body[:200].replace(">", "&gt;") in page.get_data(as_text=True)  # shown as its text
    api = anon.get(f"/api/v1/proposals/{proposal.id}")
    assert api.status_code == 200
    edit = citizen.get(f"/proposals/{proposal.id}/edit")
    assert edit.status_code == 200


def test_a_clause_page_lists_its_most_supported_open_proposals_and_links_to_the_rest(
    anon, charter, users
):
    from charter.proposals.operations import support_proposal
    from charter.proposals.queries import OPEN_SHOWN

    made = [
        propose(charter, users["citizen"], body=f"Different words, take {n}.")
        for n in range(OPEN_SHOWN + 2)
    ]
    support_proposal(made[-1], users["committee"])
    db.session.commit()
    page = anon.get("/clauses/why").get_data(as_text=True)
    shown = re.findall(r'<li><a href="/proposals/(\d+)"', page[page.index("Open proposals") :])
    assert len(set(shown)) == OPEN_SHOWN and shown[0] == str(made[-1].id)
    assert "competes with proposals" in page  # each rewrites the same words
    link = f"See all {OPEN_SHOWN + 2} open proposals about this clause"
    assert link in page
    listed = anon.get("/proposals/?clause=why&status=open&sort=support").get_data(as_text=True)
    assert all(f'href="/proposals/{p.id}"' in listed for p in made)


def test_inline_preview_keeps_a_replaced_word_apart_from_its_replacement(citizen, charter):
    body = WHY_BODY.replace("plan services", "run services")
    page = _amend(citizen, submit=None, preview="Preview", view="inline", body=body)
    page = page.get_data(as_text=True)
    assert (
        '<del><span class="visually-hidden">deleted: </span>plan'
        '<span class="visually-hidden"> (end deleted)</span></del>'
        '<span class="replaced-by"><span aria-hidden="true">→</span>'
        '<span class="visually-hidden"> replaced by </span></span>'
        '<ins><span class="visually-hidden">inserted: </span>run'
    ) in page
