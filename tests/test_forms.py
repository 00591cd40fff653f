"""Forms across the site: nothing cut short by the browser, errors titled and focused."""

import re

from charter.comments.operations import report_comment
from charter.extensions import db
from charter.models import Comment, Proposal
from charter.versions.operations import publish_working_draft

WHY_BODY = "We join data to *plan services*. See [the regulator](https://ico.org.uk/)."


def _tag(page, name):
    """The opening tag of the form control with this name."""
    return re.search(rf'<(?:textarea|input)[^>]*name="{name}"[^>]*>', page).group(0)


def _textarea_text(page, name):
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(?:\r?\n)?(.*?)</textarea>', page, re.S)
    return match.group(1)


def test_a_too_long_wording_is_refused_in_words_and_kept_whole(citizen, charter):
    wording = "w" * 10_500
    response = citizen.post(
        "/proposals/new?kind=amend&clause=why",
        data={
            "heading": "Why we join data",
            "body": wording,
            "rationale": "Longer is clearer.",
            "submit": "Send the proposal",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Keep the wording to 10,000 characters." in page
    assert _textarea_text(page, "body") == wording  # all 10,500, for the author to cut
    assert db.session.scalar(db.select(db.func.count(Proposal.id))) == 0


def test_a_too_long_comment_is_refused_in_words_and_kept_whole(citizen, charter):
    body = "c" * 2_308
    response = citizen.post("/comments/clauses/why", data={"body": body, "kind": "comment"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Keep your comment to 2,000 characters." in page
    assert "Your comment is posted" not in page
    assert _textarea_text(page, "body") == body
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 0


def test_long_text_boxes_count_characters_instead_of_cutting(citizen, charter):
    for url, name, limit in [
        ("/proposals/new?kind=amend&clause=why", "body", "10,000"),
        ("/proposals/new?kind=amend&clause=why", "rationale", "2,000"),
        ("/clauses/why", "body", "2,000"),
    ]:
        page = citizen.get(url).get_data(as_text=True)
        tag = _tag(page, name)
        assert "maxlength" not in tag, (url, tag)
        assert f'data-character-count="{limit.replace(",", "")}"' in tag
        box_id = re.search(r'id="([^"]+)"', tag).group(1)
        assert f"{box_id}-count" in re.search(r'aria-describedby="([^"]*)"', tag).group(1)
        assert (
            f'<p class="field__hint character-count__hint" id="{box_id}-count">'
            f"You can enter up to {limit} characters</p>"
        ) in page
        assert "maxlength" not in page, url
    # The heading is short: no count, but nothing cuts it either.
    assert "maxlength" not in _tag(page := citizen.get(url).get_data(as_text=True), "body")


def test_the_script_behind_the_counts_is_the_sites_own(anon, charter):
    page = anon.get("/").get_data(as_text=True)
    assert '<script src="/static/js/character-count.js" defer></script>' in page
    with anon.get("/static/js/character-count.js") as script:
        assert script.status_code == 200 and "aria-live" in script.get_data(as_text=True)


def test_a_refused_form_says_error_in_the_title_and_takes_focus(anon, citizen, charter):
    fine = anon.get("/accounts/register").get_data(as_text=True)
    assert "<title>Register · Charter</title>" in fine
    refused = anon.post("/accounts/register", data={"email": "not an address"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "<title>Error: Register · Charter</title>" in page
    assert '<div class="error-summary" role="alert"' in page and 'tabindex="-1"' in page
    assert '<script src="/static/js/forms.js" defer></script>' in page
    # Words a person typed that look like the summary do not make a page an error page.
    citizen.post(
        "/comments/clauses/why", data={"body": '<div class="error-summary"', "kind": "comment"}
    )
    clause = anon.get("/clauses/why").get_data(as_text=True)
    assert "&lt;div class=" in clause
    assert "<title>Error:" not in clause


def test_email_fields_say_they_are_email(anon):
    for url in ("/accounts/login", "/accounts/register"):
        tag = _tag(anon.get(url).get_data(as_text=True), "email")
        assert 'autocomplete="email"' in tag and 'type="email"' in tag, url
    login = anon.get("/accounts/login").get_data(as_text=True)
    assert 'autocomplete="current-password"' in _tag(login, "password")


def test_the_public_reason_for_hiding_is_not_written_in_advance(citizen, committee, users, charter):
    from charter.clauses.queries import get_clause
    from charter.comments.operations import post_comment

    comment = post_comment(
        users["citizen"], body="Buy cheap watches", clause=get_clause(charter, "why")
    )
    report_comment(comment, users["committee"], "Advertising")
    db.session.commit()
    page = committee.get("/comments/moderation").get_data(as_text=True)
    tag = _tag(page, "reason")
    assert "value=" not in tag and "maxlength" not in tag
    assert "off-topic" not in page
    response = committee.post(
        f"/comments/{comment.id}/hide", data={"reason": ""}, follow_redirects=True
    )
    assert "Give the public reason for hiding it." in response.get_data(as_text=True)
    db.session.expire_all()
    assert not db.session.get(Comment, comment.id).hidden


def test_the_transparency_log_gives_the_time_to_the_minute_in_utc(anon, charter):
    version = publish_working_draft(charter, changelog="- First.")
    db.session.commit()
    from charter.models import AuditEvent

    event = db.session.scalars(db.select(AuditEvent).filter_by(object_id=version.id)).first()
    moment = event.created_at
    page = anon.get("/transparency").get_data(as_text=True)
    stamp = re.search(r'<time datetime="([^"]+)">([^<]+)</time>', page)
    assert stamp.group(1) == moment.replace(microsecond=0).isoformat()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", stamp.group(1))
    assert stamp.group(2) == moment.strftime("%-d %B %Y, %H:%M UTC")
