"""Competing proposals, the draft as amended, and proposals that fall, through HTTP."""

from charter.clauses.queries import get_clause
from charter.extensions import db
from charter.models import AuditEvent, Proposal, ProposalKind, ProposalStatus
from charter.proposals.operations import create_proposal
from tests.conftest import propose
from tests.test_proposals import WHY_BODY, _decide

SERVICES = WHY_BODY.replace("plan services", "plan schools")
SERVICES_TOO = WHY_BODY.replace("plan services", "plan hospitals")
REGULATOR = WHY_BODY.replace("the regulator", "the ICO")


def _three(charter, users):
    """Two proposals on the same words and one on other words of the "why" clause."""
    made = [
        propose(charter, users["citizen"], body=body)
        for body in (SERVICES, SERVICES_TOO, REGULATOR)
    ]
    db.session.commit()
    return made


def _fresh(proposal) -> Proposal:
    db.session.expire_all()
    return db.session.get(Proposal, proposal.id)


def test_pages_say_which_proposals_compete(anon, charter, users):
    schools, hospitals, regulator = _three(charter, users)
    clause_page = anon.get("/clauses/why").get_data(as_text=True)
    assert f'competes with proposal <a href="/proposals/{hospitals.id}">' in clause_page
    assert "1 set of open proposals change the same or neighbouring words" in clause_page
    page = anon.get(f"/proposals/{schools.id}").get_data(as_text=True)
    assert f'This proposal competes with proposal <a href="/proposals/{hospitals.id}">' in page
    apart = anon.get(f"/proposals/{regulator.id}").get_data(as_text=True)
    assert "competes with" not in apart

    sets = anon.get("/clauses/why/competing")
    assert sets.status_code == 200
    text = sets.get_data(as_text=True)
    assert "Set 1: 2 proposals" in text and "Set 2" not in text
    assert f"Proposal {schools.id}</a>" in text and f"Proposal {hospitals.id}</a>" in text
    assert f"Proposal {regulator.id}</a>" not in text
    assert "<ins>" in text and "schools" in text and "hospitals" in text
    assert anon.get("/clauses/nothing-here/competing").status_code == 404

    data = anon.get("/api/v1/clauses/why/competing").get_json()
    assert data["sets"] == [[schools.id, hospitals.id]]
    assert data["rivals"][str(regulator.id)] == []


def test_a_proposal_that_collides_with_the_clause_now_is_in_no_set(anon, charter, users, committee):
    schools, hospitals, _ = _three(charter, users)
    _decide(committee, _fresh(schools), "accept", "Schools it is.")
    late = propose(charter, users["citizen"], body=SERVICES.replace("plan", "run"))
    db.session.commit()
    data = anon.get("/api/v1/clauses/why/competing").get_json()
    assert late.id not in sum(data["sets"], [])


def test_the_draft_as_amended_applies_what_merges_and_lists_what_collides(anon, charter, users):
    schools, hospitals, regulator = _three(charter, users)
    default = anon.get("/draft/as-amended").get_data(as_text=True)
    # By default only the proposal that competes with none is applied.
    assert "Shown: every open proposal that competes with no other (1)" in default
    assert f"inserted by proposal {regulator.id}: </span>ICO" in default
    assert "schools" not in default.split("Choose the proposals")[0]

    chosen = anon.get(
        f"/draft/as-amended?chosen=1&proposal={hospitals.id}&proposal={schools.id}"
        f"&proposal={regulator.id}"
    ).get_data(as_text=True)
    body = chosen.split("Choose the proposals")[0]
    assert f"inserted by proposal {hospitals.id}: </span>hospitals" in body
    assert f"inserted by proposal {regulator.id}: </span>ICO" in body
    assert f"Proposal {schools.id}</a> collides with proposal {hospitals.id}" in body
    assert "1 left out because it collides with one chosen before" in body

    data = anon.get(
        f"/api/v1/draft/as-amended?proposal={schools.id}&proposal={hospitals.id}"
    ).get_json()
    why = next(c for c in data["clauses"] if c["key"] == "why")
    assert why["applied"] == [schools.id]
    assert why["left_out"] == [{"proposal": hospitals.id, "collides_with": [schools.id]}]
    changed = [c for c in why["changes"] if c["op"] != "equal"]
    assert {tuple(c["proposals"]) for c in changed} == {(schools.id,)}
    # The text applied is what accepting would give: the reader's words, tracked.
    assert "".join(c["text"] for c in why["changes"] if c["op"] != "delete") == (
        "We join data to plan schools. See the regulator."
    )


def test_the_draft_as_amended_keeps_each_paragraph_and_item_apart(anon, charter, users):
    clause = get_clause(charter, "how-long")
    proposal = create_proposal(
        charter,
        users["citizen"],
        ProposalKind.AMEND,
        clause=clause,
        heading=clause.current_revision.heading,
        body="- We delete joined data after six months.\n- We check every year.\n\nAsk us why.",
        rationale="Shorter, and say where to ask.",
    )
    db.session.commit()
    page = anon.get("/draft/as-amended").get_data(as_text=True)
    shown = page.split('id="amended-how-long"')[1].split("</section>")[0]
    label = f"proposal {proposal.id}: </span>"
    assert (
        f'<p>We delete joined data after <del><span class="visually-hidden">deleted by {label}'
        in shown
    )
    assert "<p>We check every year.</p>" in shown  # an item of its own, untouched
    # The new paragraph is a paragraph of its own; the list's layout is no change.
    assert f'<p><ins><span class="visually-hidden">inserted by {label}Ask us why.' in shown
    assert "¶" not in shown and shown.count("<ins>") == 2


def test_choosing_none_or_nonsense_applies_nothing_and_never_fails(anon, charter, users):
    _three(charter, users)
    for query in ("chosen=1", "proposal=abc", "proposal=99999999999999", "proposal=-1"):
        response = anon.get(f"/draft/as-amended?{query}")
        assert response.status_code == 200, query
        assert "<ins>" not in response.get_data(as_text=True), query


def test_accepting_one_of_a_set_makes_the_other_fall_and_leaves_the_rest_open(
    anon, committee, citizen, charter, users
):
    schools, hospitals, regulator = _three(charter, users)
    response = _decide(committee, schools, "accept", "Schools are the point.")
    assert response.status_code == 302
    fallen, apart = _fresh(hospitals), _fresh(regulator)
    assert fallen.status is ProposalStatus.FALLEN and fallen.fell_to_id == schools.id
    assert not fallen.is_open
    assert apart.status is ProposalStatus.OPEN and not apart.needs_update
    page = anon.get(f"/proposals/{hospitals.id}").get_data(as_text=True)
    assert f'when the committee accepted <a href="/proposals/{schools.id}">' in page
    assert "changed the same words" in page
    summaries = db.session.scalars(
        db.select(AuditEvent.summary).where(AuditEvent.action == "proposal.fallen")
    ).all()
    assert len(summaries) == 1 and f"Proposal {schools.id} was accepted" in summaries[0]
    told = citizen.get("/notifications").get_data(as_text=True)  # the author is told
    assert f"Proposal {hospitals.id}, " in told and "fell, as another proposal was accepted" in told
    assert anon.get("/api/v1/proposals/" + str(hospitals.id)).get_json()["outcome"]["status"] == (
        "fallen"
    )
    # The committee can no longer decide it.
    refused = _decide(committee, _fresh(hospitals), "accept", "After all.", follow_redirects=True)
    assert "This proposal is already fallen, so nothing was changed." in refused.get_data(
        as_text=True
    )
    assert _fresh(hospitals).status is ProposalStatus.FALLEN


def test_a_proposal_that_needed_an_update_already_does_not_fall(committee, charter, users):
    from charter.clauses.operations import create_revision

    stale = propose(charter, users["citizen"], body=SERVICES_TOO)
    clause = get_clause(charter, "why")
    create_revision(clause, clause.current_revision.heading, SERVICES)  # the same words
    db.session.commit()
    later = propose(charter, users["citizen"], body=SERVICES.replace("schools", "colleges"))
    db.session.commit()
    _decide(committee, later, "accept", "Colleges.")
    # It collided with the wording before this acceptance too: its author updates it.
    assert _fresh(stale).status is ProposalStatus.OPEN
    assert _fresh(later).status is ProposalStatus.ACCEPTED


def test_accepting_a_removal_makes_every_other_proposal_on_the_clause_fall(
    committee, charter, users
):
    schools, hospitals, regulator = _three(charter, users)
    removal = create_proposal(
        charter,
        users["citizen"],
        ProposalKind.REMOVE,
        clause=get_clause(charter, "why"),
        heading="",
        body="",
        rationale="Not needed.",
    )
    db.session.commit()
    assert _decide(committee, removal, "accept", "Gone.").status_code == 302
    for proposal in (schools, hospitals, regulator):
        fallen = _fresh(proposal)
        assert fallen.status is ProposalStatus.FALLEN and fallen.fell_to_id == removal.id
        assert "removed this clause" in fallen.decision_reason


def test_a_fallen_proposal_is_announced_in_the_clause_feed(anon, committee, charter, users):
    schools, hospitals, _ = _three(charter, users)
    _decide(committee, schools, "accept", "Schools.")
    feed = anon.get("/clauses/why.atom").get_data(as_text=True)
    assert "Proposal fallen, as another was accepted" in feed


def test_residents_prefer_one_proposal_per_set_and_the_counts_show(
    citizen, committee, anon, charter, users
):
    schools, hospitals, regulator = _three(charter, users)
    page = citizen.get("/clauses/why/competing").get_data(as_text=True)
    assert f"I prefer proposal {schools.id}" in page
    assert "preferred by 0 residents" in page
    assert (
        citizen.post(f"/proposals/{schools.id}/prefer", data={"choice": "prefer"}).status_code
        == 302
    )
    committee.post(f"/proposals/{hospitals.id}/prefer", data={"choice": "prefer"})
    # Choosing the other one of the set moves the choice: one per set.
    citizen.post(f"/proposals/{hospitals.id}/prefer", data={"choice": "prefer"})
    page = citizen.get("/clauses/why/competing").get_data(as_text=True)
    assert "preferred by 2 residents" in page and "preferred by 0 residents" in page
    assert "Your choice in this set." in page
    # A proposal that competes with none has nothing to be preferred over.
    refused = citizen.post(
        f"/proposals/{regulator.id}/prefer", data={"choice": "prefer"}, follow_redirects=True
    )
    assert "competes with no other just now" in refused.get_data(as_text=True)
    citizen.post(f"/proposals/{hospitals.id}/prefer", data={"choice": "clear"})
    page = anon.get("/clauses/why/competing").get_data(as_text=True)
    assert "preferred by 1 resident." in page and "I prefer" not in page  # anon: no buttons
    assert anon.post(f"/proposals/{schools.id}/prefer").status_code in (302, 401)


def _amend_proposal(client, parent, body, rationale="Plainer.", **extra):
    return client.post(
        f"/proposals/new?kind=amend&parent={parent.id}",
        data={
            "heading": parent.heading,
            "body": body,
            "rationale": rationale,
            "submit": "Send the proposal",
            **extra,
        },
    )


def test_a_resident_amends_someone_elses_proposal_and_the_author_takes_it_in(
    citizen, committee, anon, charter, users
):
    parent = propose(charter, users["committee"], body=SERVICES)
    db.session.commit()
    form = citizen.get(f"/proposals/new?kind=amend&parent={parent.id}").get_data(as_text=True)
    assert f"Propose an amendment to proposal {parent.id}" in form
    assert "plan schools" in form  # it starts from the proposal's words
    preview = _amend_proposal(
        citizen, parent, SERVICES.replace("schools", "schools and libraries"), preview="Preview"
    ).get_data(as_text=True)
    assert (
        "<ins>" in preview
        and "libraries" in preview
        and "services"
        not in preview.split("Preview: what your proposal changes")[1].split("</section>")[0]
    )  # compared with the proposal, not the clause
    sent = _amend_proposal(citizen, parent, SERVICES.replace("schools", "schools and libraries"))
    assert sent.status_code == 302
    amendment = db.session.scalar(db.select(Proposal).order_by(Proposal.id.desc()))
    assert (
        amendment.parent_id == parent.id and amendment.base_revision_id == parent.base_revision_id
    )

    page = anon.get(f"/proposals/{parent.id}").get_data(as_text=True)
    assert f"Amendment {amendment.id}</a>" in page and "libraries" in page
    amendment_page = anon.get(f"/proposals/{amendment.id}").get_data(as_text=True)
    assert f'An amendment</strong> to <a href="/proposals/{parent.id}">' in amendment_page
    # An amendment and its parent change the same words: they compete.
    assert anon.get("/api/v1/clauses/why/competing").get_json()["sets"] == [
        [parent.id, amendment.id]
    ]

    # Only the parent's author takes it in.
    assert citizen.post(f"/proposals/{parent.id}/take-in/{amendment.id}").status_code == 403
    taken = committee.post(
        f"/proposals/{parent.id}/take-in/{amendment.id}",
        data={"seen_version": str(_fresh(parent).lock_version)},
        follow_redirects=True,
    )
    assert f"Amendment {amendment.id} is now the wording of your proposal" in taken.get_data(
        as_text=True
    )
    parent, amendment = _fresh(parent), _fresh(amendment)
    assert parent.body == SERVICES.replace("schools", "schools and libraries")
    assert len(parent.texts) == 2 and parent.is_open
    assert amendment.status is ProposalStatus.TAKEN_IN
    assert amendment.taken_into_text_id == parent.texts[-1].id
    assert "Taken in" in anon.get(f"/proposals/{amendment.id}").get_data(as_text=True)
    credit = anon.get(f"/proposals/{parent.id}").get_data(as_text=True)
    assert f'This wording is <a href="/proposals/{amendment.id}">amendment {amendment.id}</a>' in (
        credit
    )
    summaries = db.session.scalars(
        db.select(AuditEvent.summary).where(AuditEvent.action == "proposal.taken_in")
    ).all()
    assert summaries == [
        f"Taken in: amendment {amendment.id} became the text of proposal {parent.id}."
    ]


def test_amendments_are_refused_in_words_where_they_cannot_be(citizen, committee, charter, users):
    parent = propose(charter, users["committee"], body=SERVICES)
    db.session.commit()
    same = _amend_proposal(citizen, parent, SERVICES)
    assert same.status_code == 400
    assert f"This is exactly what proposal {parent.id} says" in same.get_data(as_text=True)
    _amend_proposal(citizen, parent, SERVICES.replace("schools", "colleges"))
    amendment = db.session.scalar(db.select(Proposal).order_by(Proposal.id.desc()))
    deeper = _amend_proposal(committee, amendment, SERVICES.replace("schools", "roads"))
    assert f"amend proposal {parent.id} instead" in deeper.get_data(as_text=True)
    assert citizen.get("/proposals/new?kind=amend&parent=999999").status_code == 404
    assert citizen.get("/proposals/new?kind=amend&parent=abc").status_code == 404
    # The page offers no amending of one's own proposal (they edit it) nor of an amendment.
    own = committee.get(f"/proposals/{parent.id}").get_data(as_text=True)
    assert "Propose an amendment" not in own
    _decide(committee, _fresh(parent), "reject", "Not now.")
    closed = _amend_proposal(citizen, _fresh(parent), SERVICES.replace("schools", "homes"))
    assert "is already rejected, so it cannot be amended" in closed.get_data(as_text=True)


def test_accepting_an_amendment_makes_its_parent_fall(committee, citizen, charter, users):
    parent = propose(charter, users["committee"], body=SERVICES)
    db.session.commit()
    _amend_proposal(citizen, parent, SERVICES.replace("schools", "colleges"))
    amendment = db.session.scalar(db.select(Proposal).order_by(Proposal.id.desc()))
    assert _decide(committee, amendment, "accept", "Colleges it is.").status_code == 302
    assert _fresh(parent).status is ProposalStatus.FALLEN
    assert _fresh(parent).fell_to_id == amendment.id


def test_the_committee_sets_a_voting_list_for_a_set(citizen, committee, anon, charter, users):
    schools, hospitals, _ = _three(charter, users)
    colleges = propose(charter, users["citizen"], body=WHY_BODY.replace("plan services", "teach"))
    db.session.commit()
    url = "/committee/clauses/why/voting-list"
    order = {f"place-{colleges.id}": "1", f"place-{schools.id}": "2", f"place-{hospitals.id}": "3"}
    assert citizen.post(url, data=order).status_code == 403
    page = committee.get("/clauses/why/competing").get_data(as_text=True)
    assert "Voting list for set 1" in page and "Next to decide" not in page
    done = committee.post(url, data=order, follow_redirects=True).get_data(as_text=True)
    assert "The voting list is saved." in done
    assert f'Next to decide: <a href="/proposals/{colleges.id}#decide-title">' in done
    assert done.index(f"Proposal {colleges.id}</a>") < done.index(f"Proposal {schools.id}</a>")
    assert done.index(f"Proposal {schools.id}</a>") < done.index(f"Proposal {hospitals.id}</a>")
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="proposals.ordered"))
    assert event.summary == (
        f"Voting list for competing proposals: 1. proposal {colleges.id}, "
        f"2. proposal {schools.id}, 3. proposal {hospitals.id}."
    )
    # Refused in words: two in one place, a word, a set that is not the set now.
    twice = {**order, f"place-{schools.id}": "1"}
    said = committee.post(url, data=twice, follow_redirects=True).get_data(as_text=True)
    assert "Give each proposal a different place from 1 to 3" in said
    word = committee.post(
        url, data={**order, f"place-{schools.id}": "second"}, follow_redirects=True
    )
    assert "as a whole number" in word.get_data(as_text=True)
    stale = {f"place-{schools.id}": "1", f"place-{hospitals.id}": "2"}
    gone = committee.post(url, data=stale, follow_redirects=True).get_data(as_text=True)
    assert "have changed since you opened this page" in gone
    assert anon.get("/clauses/why/competing").status_code == 200
    assert committee.post("/committee/clauses/nothing/voting-list", data=order).status_code == 404


def test_proposals_written_against_different_wordings_are_compared_on_the_wording_now(
    anon, charter, users
):
    from charter.clauses.operations import create_revision

    old_schools = propose(charter, users["citizen"], body=SERVICES)  # against wording 1
    old_regulator = propose(charter, users["citizen"], body=REGULATOR)
    clause = get_clause(charter, "why")
    create_revision(clause, clause.current_revision.heading, WHY_BODY + " We say why.")
    db.session.commit()
    now = clause.current_revision.body
    new_hospitals = propose(  # against wording 2: the same words as the old one
        charter, users["citizen"], body=now.replace("plan services", "plan hospitals")
    )
    new_elsewhere = propose(charter, users["citizen"], body=now.replace("say why", "say how"))
    db.session.commit()
    data = anon.get("/api/v1/clauses/why/competing").get_json()
    assert data["sets"] == [[old_schools.id, new_hospitals.id]]
    assert data["rivals"][str(old_regulator.id)] == []
    assert data["rivals"][str(new_elsewhere.id)] == []
    assert data["needs_update"] == []
