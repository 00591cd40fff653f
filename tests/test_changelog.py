"""The changelog drafted for a candidate: one line per real change, within the form's limit."""

import html
import re

from charter.clauses.operations import import_draft
from charter.clauses.queries import get_clause
from charter.extensions import db
from charter.models import ProposalKind
from charter.proposals.operations import accept_proposal, create_proposal
from charter.text.drafts import parse_draft
from charter.text.markdown import markdown_problems
from charter.versions.changelog import DIRECT
from charter.versions.operations import CHANGELOG_MAX, publish_working_draft
from charter.versions.queries import current_candidate
from tests.conftest import SAMPLE_DRAFT


def _drafted(client) -> str:
    """Return the changelog the candidate form offers, as the member would submit it."""
    page = client.get("/committee/candidate/new").get_data(as_text=True)
    found = re.search(r'<textarea[^>]*name="changelog"[^>]*>\r?\n?(.*?)</textarea>', page, re.S)
    return html.unescape(found.group(1))


def _accepted(charter, users, kind, key=None, reason="Agreed.", **text):
    clause = get_clause(charter, key) if key else None
    proposal = create_proposal(
        charter, users["citizen"], kind, clause=clause, rationale="Because.", **text
    )
    accept_proposal(proposal, users["committee"], reason)
    db.session.commit()
    return proposal


def _amended(charter, users, key, body, reason="Agreed.", heading=None):
    heading = heading or get_clause(charter, key).current_revision.heading
    return _accepted(charter, users, ProposalKind.AMEND, key, reason, heading=heading, body=body)


def _cited(proposal) -> str:
    return f"[proposal {proposal.id}](/proposals/{proposal.id})"


def _first_version(charter):
    publish_working_draft(charter, changelog="Ratified before Charter.")
    db.session.commit()


def test_a_change_to_a_clause_later_removed_is_not_listed(committee, charter, users):
    _first_version(charter)
    changed = _amended(charter, users, "how-long", "We delete joined data after a month.")
    removal = _accepted(charter, users, ProposalKind.REMOVE, "how-long", "Covered by the law.")
    added = _accepted(
        charter, users, ProposalKind.ADD, heading="Children", body="Extra care.", reason="Yes."
    )
    _accepted(charter, users, ProposalKind.REMOVE, added.clause.key, "Too soon after all.")
    drafted = _drafted(committee)
    assert drafted == f"- Remove “How long we keep data” ({_cited(removal)}): Covered by the law."
    assert _cited(changed) not in drafted and "Children" not in drafted


def test_a_clause_removed_directly_is_listed_once_without_its_earlier_changes(
    committee, charter, users
):
    _first_version(charter)
    changed = _amended(charter, users, "your-rights", "You can ask what we hold, and why.")
    without_rights = SAMPLE_DRAFT.split("## Your rights")[0]
    import_draft(parse_draft(without_rights), slug=charter.slug)
    db.session.commit()
    drafted = _drafted(committee)
    assert drafted == (
        "- Remove “Your rights”: made directly in the working draft, not through a proposal."
    )
    assert _cited(changed) not in drafted


def test_a_change_and_its_reversal_are_not_listed(committee, charter, users):
    _first_version(charter)
    original = get_clause(charter, "why").current_revision.body
    _amended(charter, users, "why", "We join data to *improve services*.", "Clearer.")
    _amended(charter, users, "why", original, "On reflection the old words were better.")
    kept = _amended(charter, users, "how-long", "We delete joined data after a month.", "Sooner.")
    drafted = _drafted(committee)
    assert drafted == f"- Change “How long we keep data” ({_cited(kept)}): Sooner."


def test_changes_that_cancel_out_after_the_net_change_are_not_listed(committee, charter, users):
    _first_version(charter)
    kept = _amended(charter, users, "why", "We join data to *improve services*.", "Clearer.")
    _amended(charter, users, "why", "We join data for no stated reason.", "Shorter.")
    _amended(charter, users, "why", "We join data to *improve services*.", "Back to clearer.")
    drafted = _drafted(committee)
    assert drafted == f"- Change “Why we join data” ({_cited(kept)}): Clearer."
    # The candidate's tracked changes name the same proposal, and only it.
    _assert_opens_with(committee, charter, drafted)
    compared = committee.get("/api/v1/versions/1/compare/candidate").get_json()["clauses"]
    why = next(c for c in compared if c["key"] == "why")
    assert [p["id"] for p in why["proposals"]] == [kept.id]


def test_successive_changes_to_one_clause_make_one_line_with_each_reason(committee, charter, users):
    _first_version(charter)
    first = _amended(charter, users, "why", "We join data to *improve services*.", "Clearer")
    second = _amended(charter, users, "why", "We join data to improve services.", "Plainer.")
    drafted = _drafted(committee)
    assert drafted == (
        f"- Change “Why we join data” ({_cited(first)}): Clearer. Then {_cited(second)}: Plainer."
    )


def test_an_edit_after_the_last_proposal_is_said_to_be_direct(committee, charter, users):
    _first_version(charter)
    proposal = _amended(charter, users, "why", "We join data to *improve services*.", "Clearer.")
    edited = SAMPLE_DRAFT.replace("We join data to *plan services*.", "We join data to help.")
    import_draft(parse_draft(edited), slug=charter.slug)
    db.session.commit()
    assert _drafted(committee) == (
        f"- Change “Why we join data” ({_cited(proposal)}): Clearer. "
        "Then edited directly in the working draft."
    )


def test_direct_edits_to_the_preamble_and_order_are_listed(committee, charter, users):
    _first_version(charter)
    why, how_long = SAMPLE_DRAFT.split("## Why we join data")[1].split("## How long we keep data")
    how_long, rights = how_long.split("## Your rights")
    reordered = (
        "# Test Charter\n\nWe keep our promises about your data, and say how.\n\n"
        f"## How long we keep data{how_long}## Why we join data{why}## Your rights{rights}"
    )
    import_draft(parse_draft(reordered), slug=charter.slug)
    db.session.commit()
    assert _drafted(committee) == (
        f"- Change the preamble: {DIRECT}.\n- Move “How long we keep data”: {DIRECT}."
    )


def _reason(n: int) -> str:
    return f"Reason {n}: " + " ".join(["the committee weighed this with care"] * 40) + "."


def _assert_opens_with(client, charter, changelog: str) -> None:
    response = client.post("/committee/candidate/new", data={"changelog": changelog})
    assert response.status_code == 302, response.get_data(as_text=True)
    assert current_candidate(charter).changelog == changelog


def _assert_whole_lines(drafted: str) -> list[str]:
    assert len(drafted) <= CHANGELOG_MAX
    assert markdown_problems(drafted) == []
    lines = drafted.split("\n")
    assert all(line.startswith("- ") and line.endswith(".") for line in lines), lines
    return lines


def test_many_changes_to_few_clauses_keep_one_line_per_clause(committee, charter, users):
    _first_version(charter)
    last = {}
    for n in range(12):
        for key in ("why", "how-long", "your-rights"):
            last[key] = _amended(charter, users, key, f"Wording {n} of {key}.", _reason(n))
    drafted = _drafted(committee)
    lines = _assert_whole_lines(drafted)
    assert lines[:3] == [
        f"- Change “Why we join data” ({_cited(last['why'])}): {_reason(11)}",
        f"- Change “How long we keep data” ({_cited(last['how-long'])}): {_reason(11)}",
        f"- Change “Your rights” ({_cited(last['your-rights'])}): {_reason(11)}",
    ]
    assert lines[3:] == [
        "- …and 33 more accepted proposals: see "
        "[the accepted proposals](/proposals/?status=accepted)."
    ]
    _assert_opens_with(committee, charter, drafted)


def test_many_new_clauses_are_cut_at_a_whole_line_and_counted(committee, charter, users):
    _first_version(charter)
    for n in range(40):
        _accepted(
            charter,
            users,
            ProposalKind.ADD,
            heading=f"Clause {n}",
            body="Words.",
            reason=_reason(n),
        )
    drafted = _drafted(committee)
    lines = _assert_whole_lines(drafted)
    listed = lines[:-1]
    assert all(line.startswith("- Add “Clause ") for line in listed)
    assert 3 < len(listed) < 40
    assert lines[-1] == (
        f"- …and {40 - len(listed)} more changes and {40 - len(listed)} more accepted "
        "proposals: see [the accepted proposals](/proposals/?status=accepted)."
    )
    _assert_opens_with(committee, charter, drafted)
