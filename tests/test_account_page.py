"""Your account page, My activity, and the privacy and accessibility pages."""

import pytest

from charter.comments.operations import post_comment, reply
from charter.extensions import db
from charter.models import CommentKind, User
from charter.proposals.operations import reject_proposal, support_proposal
from tests.conftest import propose, sign_in


def test_the_account_page_shows_name_email_password_link_and_sign_ins(citizen, users):
    page = citizen.get("/account").get_data(as_text=True)
    assert "Citizen Person" in page
    assert "citizen@example.org" in page
    assert 'href="/accounts/email"' in page
    assert 'href="/accounts/password"' in page
    assert "This device" in page
    assert 'action="/accounts/sign-out-everywhere"' in page


def test_the_account_page_lists_every_sign_in_of_this_account(app, citizen, users):
    other = app.test_client()
    sign_in(other, users["citizen"].email)
    page = citizen.get("/account").get_data(as_text=True)
    assert page.count("This device") == 1
    assert page.count("Another device or browser") == 1


def test_signed_in_pages_link_to_your_account_and_signed_out_ones_do_not(citizen, anon, charter):
    assert 'href="/account"' in citizen.get("/").get_data(as_text=True)
    assert 'href="/account"' not in anon.get("/").get_data(as_text=True)


def test_the_account_pages_need_a_sign_in(anon):
    for path in ("/account", "/account/activity", "/account/export", "/account/delete"):
        response = anon.get(path)
        assert response.status_code == 302 and "/accounts/login" in response.location


def test_changing_your_name_shows_everywhere_you_wrote(citizen, users, charter):
    proposal = propose(charter, users["citizen"])
    db.session.commit()
    response = citizen.post("/account", data={"display_name": "Robin Jones"})
    assert response.status_code == 302
    assert db.session.get(User, users["citizen"].id).display_name == "Robin Jones"
    assert "Robin Jones" in citizen.get(f"/proposals/{proposal.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter the name you want others to see."),
        ("x" * 81, "Use at most 80 characters."),
        ("Person", "looks too much like"),
        ("Official Robin", "Choose a name without the word"),
        ("a former  PARTICIPANT", "is kept for people who have left"),
    ],
)
def test_a_name_that_may_not_be_used_is_refused_in_words(citizen, users, name, message):
    response = citizen.post("/account", data={"display_name": name})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.get(User, users["citizen"].id).display_name == "Citizen Person"


def test_changing_your_name_needs_the_csrf_token(citizen, users):
    response = citizen.post("/account", data={"display_name": "Robin Jones"}, csrf=False)
    assert response.status_code == 400
    assert db.session.get(User, users["citizen"].id).display_name == "Citizen Person"


def test_my_activity_lists_proposals_comments_and_supports(citizen, users, charter):
    from charter.clauses.queries import get_clause

    mine = propose(charter, users["citizen"], body="My words.")
    reject_proposal(mine, users["committee"], "The clause says this already.")
    theirs = propose(charter, users["admin"], body="Their words.", heading="Why we join it")
    support_proposal(theirs, users["citizen"])
    question = post_comment(
        users["citizen"],
        body="What is joined?",
        clause=get_clause(charter, "why"),
        kind=CommentKind.QUESTION,
    )
    reply(users["committee"], question, "Council tax and housing records.", official=True)
    reply(users["admin"], question, "And school places.")
    unanswered = post_comment(users["citizen"], body="Who checks?", proposal=theirs)
    db.session.commit()

    page = citizen.get("/account/activity").get_data(as_text=True)
    assert f'href="/proposals/{mine.id}"' in page
    assert "Rejected" in page and "The clause says this already." in page
    assert f'href="/comments/{question.id}"' in page
    assert "2 replies" in page and "Officially answered" in page
    assert f'href="/comments/{unanswered.id}"' in page and "0 replies" in page
    assert f'href="/proposals/{theirs.id}"' in page and "you supported it" in page
    # Nothing of anyone else's is listed as mine.
    assert "Council tax" not in page


def test_my_activity_pages_a_long_list(citizen, users, charter):
    from charter.account.activity import PER_PAGE
    from charter.clauses.queries import get_clause

    why = get_clause(charter, "why")
    made = [
        post_comment(users["citizen"], body=f"Comment number {n}.", clause=why)
        for n in range(PER_PAGE + 3)
    ]
    db.session.commit()
    first = citizen.get("/account/activity").get_data(as_text=True)
    second = citizen.get("/account/activity?comments_page=2").get_data(as_text=True)
    assert f'href="/comments/{made[-1].id}"' in first
    assert f'href="/comments/{made[0].id}"' not in first
    assert f'href="/comments/{made[0].id}"' in second
    assert "Page 2 of 2" in second
    assert citizen.get("/account/activity?comments_page=zz").status_code == 200


def test_an_empty_activity_page_says_so(citizen):
    page = citizen.get("/account/activity").get_data(as_text=True)
    assert "You have not made a proposal." in page
    assert "You have not written a comment or question yet." in page


@pytest.mark.parametrize(
    ("path", "words"),
    [
        (
            "/privacy",
            [
                "Office for Data Analytics",
                "Data Ethics Committee",
                "How long we keep it",
                'href="/account/export"',
                'href="/account/delete"',
                "do <strong>not</strong> use analytics",
            ],
        ),
        (
            "/accessibility",
            [
                "WCAG",
                "2.2",
                "level AA",
                "axe-core",
                "Nu HTML Checker",
                "keyboard",
                "320",
                "Tell us about a problem",
            ],
        ),
    ],
)
def test_the_privacy_notice_and_accessibility_statement_say_what_they_must(anon, path, words):
    response = anon.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True).replace("\n", " ")
    for word in words:
        assert word.lower() in page.lower(), word


@pytest.mark.parametrize("path", ["/", "/proposals", "/accounts/login", "/no-such-page"])
def test_every_page_footer_links_to_privacy_and_accessibility(anon, charter, path):
    page = anon.get(path, follow_redirects=True).get_data(as_text=True)
    footer = page.split('<footer class="site-footer">', 1)[1]
    assert 'href="/privacy"' in footer and 'href="/accessibility"' in footer


def test_the_registration_form_links_to_the_privacy_notice(anon):
    page = anon.get("/accounts/register").get_data(as_text=True)
    form_area = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert 'href="/privacy"' in form_area
