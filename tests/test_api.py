"""The read API returns the same content as the pages, as JSON."""

from charter.clauses.operations import create_revision
from charter.clauses.queries import get_clause
from charter.extensions import db
from charter.versions.operations import publish_working_draft


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
