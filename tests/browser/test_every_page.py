"""Every page, as every role meets it: axe-core, reflow at 320 px and the size of each target.

The pages are the same as the HTML checker's (tests/test_html_valid.py): one GET of each
route in the URL map with sample values, the other views of tracked changes, search
results, an error page, and forms shown again with their errors after a refused POST.
They are served by a Charter of their own, seeded with the real draft and one of
everything a URL can name, so other browser tests neither see nor change its data.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest

from charter import create_app
from charter.accounts.operations import create_user
from charter.accounts.tokens import reset_token
from charter.clauses.operations import create_revision, import_draft
from charter.clauses.queries import get_clause
from charter.comments.operations import (
    Selection,
    post_comment,
    reply,
    report_comment,
    wording_text,
)
from charter.consultations.operations import close_window, open_window
from charter.extensions import db
from charter.models import CommentKind, ProposalKind, Role, utcnow
from charter.plain.languages import PLAIN, slot_named
from charter.plain.operations import write_supplement
from charter.proposals.operations import create_proposal
from charter.text.drafts import parse_draft
from charter.versions.operations import open_candidate, publish_working_draft
from config import TestConfig
from tests.browser.conftest import AXE_TAGS, serving, sign_in
from tests.conftest import PASSWORD
from tests.test_permissions import QUERY, ROUTES

pytestmark = pytest.mark.browser

ROLES = ["anon", "citizen", "committee", "admin"]
KEY = "what-we-join"  # the clause the sample objects are about: it has a table and a list
# A translation for the browser pages that read right to left.
ARABIC = "نحن نجمع البيانات عنك حتى تتمكن الخدمات من مساعدتك بشكل أفضل.\n\n- نحافظ عليها آمنة."
EXTRA = [
    "/clauses/{key}?filter=questions",
    "/clauses/{key}?view=plain",
    "/clauses/{key}?lang=ar",
    "/plain/clauses/{key}/plain",
    "/plain/versions/1?lang=ar",
    "/proposals/?status=open&clause={key}",
    "/proposals/new?kind=add",
    "/proposals/new?kind=remove&clause={key}",
    "/proposals/{proposal_id}?view=inline",
    "/proposals/{proposal_id}?view=side",
    "/versions/{old}/compare/{new}?view=inline",
    "/versions/{old}/compare/{new}?view=side",
    "/search?q=data",
    "/search?q=data&kind=comments",
    "/draft/as-amended?chosen=1&proposal={proposal_id}",
    "/no-such-page",
]
# Forms refused for want of words, shown again with their errors: (role, page, button).
REFUSED = [
    ("anon", "/accounts/register", "Register"),
    ("anon", "/accounts/login", "Sign in"),
    ("citizen", "/clauses/{key}", "Post comment"),
    ("citizen", "/proposals/new?kind=amend&clause={key}", "Send the proposal"),
    ("citizen", "/comments/{comment_id}/edit", None),
    ("citizen", "/accounts/password", "Change password"),
    ("committee", "/comments/{comment_id}/reply", "Post reply"),
    ("committee", "/committee/candidate/{version_id}/withdraw", "Withdraw the candidate"),
    ("admin", "/comments/{comment_id}/report", "Send the report"),
    ("anon", "/accounts/password/forgotten", "Send the link"),
    ("citizen", "/account", "Save your name"),
    ("citizen", "/account/delete", "Delete my account"),
]

# A browser without sideways scrolling at 320 CSS px is WCAG 1.4.10 (reflow): the same
# as a 1280 px screen zoomed to 400 %.
PHONE = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}

TARGETS_JS = """
() => {
  /* WCAG 2.2, 2.5.8 Target Size (Minimum), as written:
     - A target passes when its box is at least 24 x 24 CSS px.
     - Inline exception: a link inside running text (its nearest block holds words that
       are not part of any target, as in "Sign in or register to comment") is sized by
       the line of text around it and is exempt.
     - Spacing exception: an undersized target passes if a 24 px circle centred on its box
       meets no other target's box and no other undersized target's circle.
     - Hidden things (display none, zero size, the skip link off screen) are not targets.
     Plus the house aim, as GOV.UK: header links, comment actions and buttons 44 px tall. */
  const SELECTOR = 'a[href], button, input[type=submit], input[type=checkbox], ' +
    'input[type=radio], select, summary';
  const TALL = '.site-header a, .site-header button, .comment__actions a, ' +
    '.comment__actions button, .button';
  const all = [...document.querySelectorAll(SELECTOR)].filter((el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden' &&
      box.bottom + window.scrollY > 0 && !el.closest('.visually-hidden');
  });
  const isBlock = (el) => !getComputedStyle(el).display.startsWith('inline');
  const inRunningText = (el) => {
    if (!el.matches('a, .link-button') || isBlock(el)) return false;
    let block = el.parentElement;
    while (block && !isBlock(block)) block = block.parentElement;
    if (!block) return false;
    const copy = block.cloneNode(true);
    copy.querySelectorAll(SELECTOR + ', .visually-hidden').forEach((t) => t.remove());
    return /\\p{L}{2,}/u.test(copy.textContent);
  };
  const name = (el) => {
    const text = (el.innerText || el.value || el.getAttribute('aria-label') || el.name || '')
      .trim().replace(/\\s+/g, ' ').slice(0, 40);
    const kind = el.className ? '.' + el.className.split(' ')[0] : '';
    return `${el.tagName.toLowerCase()}${kind} "${text}"`;
  };
  const boxes = all.map((el) => ({el, box: el.getBoundingClientRect()}));
  const small = boxes.filter(({el, box}) =>
    (box.width < 24 || box.height < 24) && !inRunningText(el));
  const centre = (box) => [box.left + box.width / 2, box.top + box.height / 2];
  const distanceToBox = ([x, y], box) => Math.hypot(
    Math.max(box.left - x, 0, x - box.right), Math.max(box.top - y, 0, y - box.bottom));
  const problems = [];
  for (const {el, box} of small) {
    const c = centre(box);
    const crowded = boxes.some((other) => other.el !== el &&
      !other.el.contains(el) && !el.contains(other.el) && (
        small.some((s) => s.el === other.el)
          ? Math.hypot(c[0] - centre(other.box)[0], c[1] - centre(other.box)[1]) < 24
          : distanceToBox(c, other.box) < 12));
    if (crowded) {
      problems.push(`${name(el)} is ${Math.round(box.width)}x${Math.round(box.height)} px ` +
        'and too close to another target');
    }
  }
  for (const {el, box} of boxes) {
    if (el.matches(TALL) && box.height < 43.5) {
      problems.push(`${name(el)} is ${Math.round(box.height)} px tall, not 44`);
    }
  }
  return problems;
}
"""

OVERFLOW_JS = """
() => {
  const root = document.documentElement;
  const problems = [];
  if (root.scrollWidth > root.clientWidth) {
    const wide = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
      .filter((el) => !el.closest('.visually-hidden, .skip-link'))
      .slice(0, 3)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
    problems.push(`the page is ${root.scrollWidth} px wide: ${wide.join(', ')}`);
  }
  // A region that scrolls on its own is allowed only for what needs two dimensions;
  // everything here reflows, so any such region is a failure too.
  for (const el of document.querySelectorAll('main *')) {
    const style = getComputedStyle(el);
    if (['auto', 'scroll'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`${el.tagName.toLowerCase()}.${el.className} scrolls sideways ` +
        `(${el.scrollWidth} px in ${el.clientWidth})`);
    }
  }
  return problems;
}
"""


def _seed(app) -> dict:
    """Import the real draft and make one of everything a URL can name."""
    with app.app_context():
        db.create_all()
        draft = Path(__file__).parents[2] / "drafts" / "citizen-data-charter.md"
        charter = import_draft(parse_draft(draft.read_text()), slug=app.config["CHARTER_SLUG"])
        charter = charter.charter
        users = {
            role.value: create_user(
                f"{role.value}@example.org", f"{role.label} Demo", PASSWORD, role
            )
            for role in Role
        }
        # Long unbroken words, as real people and links bring them, to test reflow.
        long_name = "Maximiliana Featherstonehaugh-Cholmondeley"
        create_user(
            "maximiliana.featherstonehaugh-cholmondeley@northshire-council.example.org",
            long_name,
            PASSWORD,
            Role.CITIZEN,
        )
        publish_working_draft(charter, changelog="- The first agreed text.")
        clause = get_clause(charter, KEY)
        revision = clause.current_revision
        # A summary for the first wording (out of date once it changes), then translations.
        summary = "We put data about you **together** so that services can help you better."
        write_supplement(clause, PLAIN, heading="", body=summary, by=users["committee"])
        create_revision(clause, revision.heading, revision.body + " Reviewed each year.")
        arabic = slot_named("ar", ("ar",))
        write_supplement(
            clause, arabic, heading="لماذا نجمع البيانات", body=ARABIC, by=users["committee"]
        )
        proposal = create_proposal(
            charter,
            users["citizen"],
            ProposalKind.AMEND,
            clause=clause,
            heading=revision.heading,
            body=revision.body.replace("join", "combine", 1),
            rationale="Plainer words.",
        )
        create_proposal(  # competes with the one above: the competing pages have a set
            charter,
            users["admin"],
            ProposalKind.AMEND,
            clause=clause,
            heading=revision.heading,
            body=revision.body.replace("join", "link", 1),
            rationale="Another word.",
        )
        words = "a fuller picture"
        start = wording_text(clause.current_revision).text.index(words)
        question = post_comment(
            users["citizen"],
            body="What does this mean for my council tax records?",
            clause=clause,
            kind=CommentKind.QUESTION,
            selection=Selection(start, start + len(words), words),
        )
        reply(users["committee"], question, "It means names are taken off.", official=True)
        reply(users["admin"], question, "And addresses too.")
        post_comment(users["committee"], body="A clearer wording, thank you.", proposal=proposal)
        post_comment(
            users["citizen"],
            body="See https://northshire-council.example.org/data-protection/"
            "privacy-notices/joined-data-for-services-and-planning-2026.pdf",
            clause=clause,
        )
        report = report_comment(question, users["committee"], "Checking the queue.")
        candidate = open_candidate(charter, users["committee"], "- Reviewed each year.")
        # A clause window closed early, and the whole draft open: the banner on every page.
        early = open_window(
            charter, users["committee"], clause=clause, closes_at=utcnow() + timedelta(days=2)
        )
        close_window(early, users["committee"])
        window = open_window(
            charter,
            users["committee"],
            clause=None,
            closes_at=utcnow() + timedelta(days=9, hours=1),
            note="What should happen to data about children?",
        )
        db.session.commit()
        return {
            "window_id": window.id,
            "key": KEY,
            "proposal_id": proposal.id,
            "comment_id": question.id,
            "report_id": report.id,
            "user_id": users["citizen"].id,
            "version_id": candidate.id,
            "number": 1,
            "slot_name": "ar",
            "old": "1",
            "new": "candidate",
            "token": "not-a-real-link",  # refused in words
            "reset_token": reset_token(users["citizen"]),  # a working link
        }


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A Charter of its own on a free port, with the sample objects; yields (url, world)."""
    database = tmp_path_factory.mktemp("every-page") / "charter.sqlite"
    app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    world = _seed(app)
    with serving(app) as address:
        yield address, world


def _pages(world) -> list[str]:
    """Each GET route with sample values, then the extra pages."""
    urls = []
    for endpoint, method, rule in ROUTES:
        if method != "GET" or endpoint.startswith("api.") or "markdown" in endpoint:
            continue
        if endpoint.endswith(("docx", "pdf")):  # a download, not a page
            continue
        if endpoint in ("versions.feed", "public.clause_feed", "proposals.feed"):
            continue
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(world[m.group(1)]), rule)
        query = QUERY.get(endpoint, "").replace("clause=why", f"clause={KEY}")
        urls.append(url + query)
    return urls + [url.format(**world) for url in EXTRA]


def _open(browser, base_url, role):
    context = browser.new_context(base_url=base_url, viewport=DESKTOP)
    tab = context.new_page()
    if role != "anon":
        sign_in(tab, role)
    return context, tab


def _check(tab, axe, label) -> list[str]:
    """Axe and targets at desktop width, then reflow and targets at 320 px."""
    found = []
    results = axe.run(
        tab,
        options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]},
    )
    found += [
        f"axe {v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
    ]
    found += [f"1280 px: {p}" for p in tab.evaluate(TARGETS_JS)]
    tab.set_viewport_size(PHONE)
    found += [f"320 px: {p}" for p in tab.evaluate(OVERFLOW_JS)]
    found += [f"320 px: {p}" for p in tab.evaluate(TARGETS_JS)]
    tab.set_viewport_size(DESKTOP)
    return [f"{label}: {problem}" for problem in found]


def _report(problems, checked):
    return f"{len(problems)} problems on {checked} pages:\n" + "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_passes_axe_reflows_at_320_px_and_has_big_enough_targets(browser, site, role):
    from axe_playwright_python.sync_playwright import Axe

    base_url, world = site
    axe = Axe()
    context, tab = _open(browser, base_url, role)
    problems, checked = [], 0
    for url in _pages(world):
        response = tab.goto(url)
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        if tab.url.split("?")[0] != base_url + url.split("?")[0]:
            continue  # sent elsewhere: to sign in, or on from a page not for this role
        checked += 1
        problems += _check(tab, axe, f"{role} {url} ({response.status})")
    context.close()
    print(f"{role}: {checked} pages")
    assert checked >= 20, f"only {checked} pages were checked as {role}"
    assert not problems, _report(problems, checked)


@pytest.mark.parametrize(("role", "url", "button"), REFUSED, ids=[r[1] for r in REFUSED])
def test_every_form_shown_again_with_its_errors_is_accessible(browser, site, role, url, button):
    from axe_playwright_python.sync_playwright import Axe

    base_url, world = site
    context, tab = _open(browser, base_url, role)
    tab.goto(url.format(**world))
    if button:
        submit = tab.locator("main").get_by_role("button", name=button, exact=True)
    else:
        submit = tab.locator("main form[method=post] [type=submit]").first
    form = submit.locator("xpath=ancestor::form")
    for box in form.locator(
        "textarea, input[type=text], input[type=email], input[type=password]"
    ).all():
        if box.is_visible():
            box.fill("")
    submit.click()
    tab.locator(".error-summary").wait_for()
    problems = _check(tab, Axe(), f"{role} {url} refused")
    context.close()
    assert not problems, _report(problems, 1)


TARGET_SAMPLES = """
<style>body { font: 16px/1.2 sans-serif; margin: 20px; } ul { list-style: none; padding: 0; }
.row { display: flex; gap: 2px; } .far { display: flex; gap: 30px; }
.button { display: inline-block; min-height: 44px; }</style>
<ul class="row" id="crowded"><li><a href="#a">1</a></li><li><a href="#b">2</a></li></ul>
<ul class="far" id="wide-apart"><li><a href="#h">3</a></li><li><a href="#i">4</a></li></ul>
<p id="sentence">Read <a href="#c">the log</a> or <a href="#d">the feed</a> at any time.</p>
<div class="far" id="spaced"><a href="#e">Alone</a></div>
<p class="site-header"><a href="#f">Short header link</a></p>
<p><a class="button" href="#g">Tall enough</a></p>
"""


def test_the_target_rule_fails_crowded_links_and_spares_links_in_sentences(browser):
    tab = browser.new_page(viewport=DESKTOP)
    tab.set_content(TARGET_SAMPLES)
    problems = tab.evaluate(TARGETS_JS)
    tab.close()
    # Two small links side by side: their 24 px circles overlap. Wide apart, they do not.
    assert any('"1"' in p and "too close" in p for p in problems), problems
    assert any('"2"' in p and "too close" in p for p in problems), problems
    assert any('"Short header link"' in p and "not 44" in p for p in problems), problems
    assert not [p for p in problems if re.search(r'"(3|4|the log|the feed|Alone|Tall enough)"', p)]
