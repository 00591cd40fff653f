"""The read API returns the same content as the pages, as JSON."""

from charter.clauses.operations import create_revision
from charter.clauses.queries import get_clause
from charter.extensions import db
from charter.versions.operations import publish_working_draft
from tests.conftest import propose


def test_charter_json_is_the_working_draft_before_publication(anon, charter):
    data = anon.get("/api/v1/charter").get_json()
    assert data["title"] == "Test Charter"
    assert data["status"] == "draft" and data["version"] is None
    assert [c["key"] for c in data["clauses"]] == ["why", "how-long", "your-rights"]
    first = data["clauses"][0]
    assert first["heading"] == "Why we join data"
    assert first["body"].startswith("We join data to *plan services*")
    assert "<em>plan services</em>" in first["body_html"]
    assert first["url"].endswith("/clauses/why")
    assert first["position"] == 1 and first["revision"] == 1


def test_charter_json_is_the_published_version_once_published(anon, charter):
    version = publish_working_draft(charter)
    db.session.commit()
    data = anon.get("/api/v1/charter").get_json()
    assert data["status"] == "published" and data["version"] == 1
    assert data["content_hash"] == version.content_hash
    assert data["chain_hash"] == version.chain_hash


def test_clause_json_has_its_history(anon, charter, users):
    create_revision(get_clause(charter, "why"), "Why we join", "Two.", author=users["citizen"])
    db.session.commit()
    data = anon.get("/api/v1/clauses/why").get_json()
    assert data["key"] == "why" and data["retired"] is False
    assert data["current"]["revision"] == 2 and data["current"]["author"] == "Citizen Person"
    assert [r["revision"] for r in data["revisions"]] == [2, 1]
    assert "email" not in str(data)


def test_unknown_clause_is_a_json_404(anon, charter):
    response = anon.get("/api/v1/clauses/nope")
    assert response.status_code == 404
    assert response.get_json() == {
        "error": {"status": 404, "message": "No clause has the key 'nope'."}
    }


def test_unknown_api_path_is_a_json_404(anon):
    response = anon.get("/api/v1/nothing-here")
    assert response.status_code == 404 and response.get_json()["error"]["status"] == 404


def test_api_before_any_import_says_so(anon):
    response = anon.get("/api/v1/charter")
    assert response.status_code == 404
    assert "No charter has been imported yet." in response.get_json()["error"]["message"]


def _propose(charter, users):

    proposal = propose(
        charter,
        users["citizen"],
        body="We join data to *improve services*.",
        heading="Why we join data",
        rationale="Clearer.",
    )
    db.session.commit()
    return proposal


def test_proposals_json_lists_and_filters(anon, charter, users):
    proposal = _propose(charter, users)
    data = anon.get("/api/v1/proposals").get_json()
    assert data["total"] == 1
    item = data["proposals"][0]
    assert item["id"] == proposal.id and item["status"] == "open" and item["clause"] == "why"
    assert item["author"] == "Citizen Person" and item["decision"] is None
    assert anon.get("/api/v1/proposals?status=accepted").get_json()["total"] == 0
    assert anon.get("/api/v1/proposals?kind=nonsense").status_code == 400
    assert anon.get("/api/v1/proposals?clause=nope").status_code == 404


def test_proposal_json_has_its_diff_as_operations(anon, charter, users):
    proposal = _propose(charter, users)
    data = anon.get(f"/api/v1/proposals/{proposal.id}").get_json()
    body_ops = [(o["op"], o["text"]) for o in data["diff"]["operations"] if o["field"] == "body"]
    assert ("equal", "We join data to *") in body_ops
    assert any(op == "insert" and "improve" in text for op, text in body_ops)
    assert any(op == "delete" and "plan" in text for op, text in body_ops)
    old = "".join(t for op, t in body_ops if op != "insert")
    new = "".join(t for op, t in body_ops if op != "delete")
    assert old == get_clause(charter, "why").current_revision.body
    assert new == "We join data to *improve services*."
    assert data["diff"]["summary"].endswith(("deletion", "deletions"))
    assert [t["number"] for t in data["texts"]] == [1]


def test_unknown_proposal_is_a_json_404(anon, charter):
    response = anon.get("/api/v1/proposals/999")
    assert response.status_code == 404
    assert response.get_json()["error"]["message"] == "There is no proposal 999."
