"""Translations of clauses: written, going stale with the clause, reviewed, read, listed."""

import re

from charter.clauses.operations import create_revision
from charter.clauses.queries import get_clause
from charter.extensions import db
from charter.models import AuditEvent, Supplement, SupplementKind
from charter.versions.operations import publish_working_draft

WELSH = "Rydym yn cyfuno data i *gynllunio gwasanaethau*."
ARABIC = "نحن نجمع البيانات لتخطيط الخدمات."


def _translate(client, lang="cy", body=WELSH, heading="Pam rydym yn cyfuno data", key="why"):
    return client.post(f"/plain/clauses/{key}/{lang}", data={"body": body, "heading": heading})


def _reword(charter, key="why"):
    clause = get_clause(charter, key)
    create_revision(clause, clause.current_revision.heading, "We join data to plan services well.")
    db.session.commit()


def test_a_reader_picks_a_language_and_reads_the_translation(charter, committee, anon):
    response = _translate(committee)
    assert response.status_code == 302
    assert response.location.endswith("/clauses/why?lang=cy")
    page = anon.get("/clauses/why?lang=cy").get_data(as_text=True)
    assert (
        '<section class="translation" aria-labelledby="translation-title" lang="cy" dir="ltr">'
        in page
    )
    assert "Pam rydym yn cyfuno data" in page and "<em>gynllunio gwasanaethau</em>" in page
    # The picker is a plain GET form that keeps the chosen language selected.
    assert '<form method="get" action="/clauses/why"' in page
    assert '<option value="cy" selected>Welsh (Cymraeg)</option>' in page
    english = anon.get("/clauses/why").get_data(as_text=True)
    assert "Pam rydym" not in english


def test_right_to_left_languages_are_marked_rtl(charter, committee, anon):
    assert _translate(committee, lang="ar", body=ARABIC, heading="").status_code == 302
    page = anon.get("/clauses/why?lang=ar").get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in page
    assert ARABIC in page
    assert (
        _translate(committee, lang="ur", body="ہم ڈیٹا جوڑتے ہیں۔", heading="").status_code == 302
    )
    assert 'lang="ur" dir="rtl"' in anon.get("/clauses/why?lang=ur").get_data(as_text=True)


def test_a_missing_translation_says_so_and_shows_the_english(charter, anon):
    page = anon.get("/clauses/why?lang=pl").get_data(as_text=True)
    assert "There is no Polish translation of this clause yet. Here it is in English." in page
    assert "<em>plan services</em>" in page
    # An unknown language is ignored: the English page, with no note about a translation.
    other = anon.get("/clauses/why?lang=xx").get_data(as_text=True)
    assert "translation of this clause" not in other


def test_a_translation_goes_stale_when_the_clause_changes_and_comes_back_when_reviewed(
    charter, committee, anon
):
    _translate(committee)
    _reword(charter)
    page = anon.get("/clauses/why?lang=cy").get_data(as_text=True)
    assert "Translation out of date." in page
    assert "Pam rydym" not in page  # the English is shown instead
    assert "plan services well" in page
    # The translator sees the clause's tracked changes since the translated wording.
    edit = committee.get("/plain/clauses/why/cy").get_data(as_text=True)
    assert "Written for an earlier wording" in edit
    assert '<ins><span class="visually-hidden">inserted: </span>' in edit
    assert "<ins>" in edit
    assert 'lang="cy"' in edit  # earlier wordings are marked with their language
    assert committee.post("/plain/clauses/why/cy/review").status_code == 302
    page = anon.get("/clauses/why?lang=cy").get_data(as_text=True)
    assert "Translation out of date." not in page and "Pam rydym" in page
    actions = db.session.scalars(db.select(AuditEvent.action)).all()
    assert "supplement.added" in actions and "supplement.reviewed" in actions
    rows = db.session.scalars(db.select(Supplement).order_by(Supplement.number)).all()
    assert [(r.kind, r.language, r.language_name, r.reviewed) for r in rows] == [
        (SupplementKind.TRANSLATION, "cy", "Welsh", False),
        (SupplementKind.TRANSLATION, "cy", "Welsh", True),
    ]


def test_refusals(charter, committee, citizen, anon):
    assert _translate(committee, lang="fr").status_code == 404  # not a language the committee uses
    assert _translate(committee, lang="en").status_code == 404
    empty = _translate(committee, body="")
    assert empty.status_code == 400
    assert "Write the text: it cannot be empty." in empty.get_data(as_text=True)
    long = _translate(committee, heading="x" * 201)
    assert long.status_code == 400
    assert "Keep the heading to 200 characters." in long.get_data(as_text=True)
    assert _translate(citizen).status_code == 403
    assert citizen.get("/plain/clauses/why/cy").status_code == 403
    assert anon.get("/plain/clauses/why/cy").status_code == 302  # to sign in
    no_token = committee.post("/plain/clauses/why/cy", data={"body": WELSH}, csrf=False)
    assert no_token.status_code == 400
    assert db.session.scalar(db.select(db.func.count()).select_from(Supplement)) == 0


def test_only_the_languages_the_committee_enabled(app, charter, committee, anon):
    app.config["CHARTER_LANGUAGES"] = ("pl",)
    assert _translate(committee).status_code == 404
    page = anon.get("/clauses/why").get_data(as_text=True)
    assert '<option value="pl">Polish (Polski)</option>' in page
    assert 'value="cy"' not in page


def test_the_version_page_lists_the_translations_current_for_it(charter, committee, anon):
    publish_working_draft(charter, changelog="- First version.")
    db.session.commit()
    assert "/plain/versions/1" in anon.get("/versions/1").get_data(as_text=True)
    _translate(committee)
    _translate(committee, key="how-long", body="Rydym yn dileu data ar ôl blwyddyn.", heading="")
    listing = anon.get("/plain/versions/1").get_data(as_text=True)
    assert "Welsh</a></th>\n        <td>2 of 3</td>" in listing
    assert "Polish</a></th>\n        <td>None of 3</td>" in listing
    # The clause changes after the version: the new translation does not fit version 1,
    # but the one written for version 1's wording still does.
    _reword(charter)
    _translate(committee, body="Rydym yn cyfuno data i gynllunio gwasanaethau yn dda.")
    listing = anon.get("/plain/versions/1").get_data(as_text=True)
    assert "Welsh</a></th>\n        <td>2 of 3</td>" in listing
    welsh = anon.get("/plain/versions/1?lang=cy").get_data(as_text=True)
    assert "<em>gynllunio gwasanaethau</em>" in welsh and "yn dda" not in welsh
    assert "No Welsh translation of this clause fits this version" in welsh  # "Your rights"
    assert 'lang="cy" dir="ltr"' in welsh
    unknown = anon.get("/plain/versions/1?lang=xx").get_data(as_text=True)
    assert "not one the charter is translated into" in unknown
    assert anon.get("/plain/versions/9").status_code == 404


def test_the_translator_types_in_the_language_and_its_direction(charter, committee):
    page = committee.get("/plain/clauses/why/ar").get_data(as_text=True)
    assert "Arabic translation of “Why we join data”" in page
    textarea = re.search(r"<textarea[^>]*>", page).group(0)
    assert 'lang="ar"' in textarea and 'dir="rtl"' in textarea
    assert "Revise" not in page and "Write the Arabic translation" in page


def test_the_published_version_page_names_its_current_translations(charter, committee, anon):
    publish_working_draft(charter, changelog="- First version.")
    db.session.commit()
    page = anon.get("/versions/1")
    assert "No clause of this version has a translation written for its wording yet." in (
        page.get_data(as_text=True)
    )
    _translate(committee)
    # The page is cached whole for readers who are not signed in; a new translation must
    # show at once all the same, and a tag from before must not hold.
    again = anon.get("/versions/1", headers={"If-None-Match": page.headers["ETag"]})
    assert again.status_code == 200
    listed = again.get_data(as_text=True)
    assert '<a href="/plain/versions/1?lang=cy"><bdi lang="cy">Cymraeg</bdi> (Welsh)</a>' in listed
    assert "1 of 3 clauses; the rest are shown in English" in listed
    assert "Polski" not in listed  # enabled, but nothing of it fits this version
    for key, body in (("how-long", "Rydym yn dileu data."), ("your-rights", "Gallwch ofyn.")):
        _translate(committee, key=key, body=body, heading="")
    assert "all 3 clauses" in anon.get("/versions/1").get_data(as_text=True)
    # A translation written for a later wording does not count for this version.
    _reword(charter)
    _translate(committee, lang="pl", body="Łączymy dane.", heading="")
    assert "Polski" not in anon.get("/versions/1").get_data(as_text=True)
