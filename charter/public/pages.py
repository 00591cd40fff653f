"""The clause page, shared by the reading routes and the comment routes that re-show it."""

from flask import render_template, request
from flask_babel import gettext as _

from charter.comments.forms import CommentForm
from charter.comments.links import listing_url, requested_listing
from charter.comments.queries import FILTERS, discussion
from charter.forms import EmptyForm
from charter.models import Charter, Clause
from charter.plain.reading import clause_reading
from charter.proposals.competing import clause_competition
from charter.proposals.queries import open_proposals_for
from charter.public.reading import clause_story


def paragraph_choices(paragraphs) -> list[tuple[int, str]]:
    """Offer the whole text or one paragraph of it, named by its first words."""
    choices = [(0, _("The whole text"))]
    for n, block in enumerate(paragraphs, start=1):
        words = block.text if len(block.text) <= 60 else block.text[:57].rstrip() + "…"
        choices.append((n, _("Paragraph %(n)s: %(words)s", n=n, words=words)))
    return choices


def clause_page(charter: Charter, clause: Clause, *, comment_form=None, status: int = 200):
    """Render a clause: its wording with highlighted passages, history, proposals, discussion."""
    story = clause_story(charter, clause)
    listing = requested_listing(story.current)
    talk = discussion(story.current, story.current.body_html, listing, clause_id=clause.id)
    form = comment_form or CommentForm(formdata=None, wording=str(story.current.id))
    form.paragraph.choices = paragraph_choices(talk.paragraphs)
    return render_template(
        "public/clause.html",
        story=story,
        open_proposals=open_proposals_for(clause),
        competition=None if clause.retired else clause_competition(clause),
        talk=talk,
        filters=FILTERS,
        talk_url=listing_url("public.clause", {"key": clause.key}, listing),
        comment_form=form,
        comment_action=("comments.on_clause", {"key": clause.key}),
        button_form=EmptyForm(),
        reading=clause_reading(
            clause, story.current, request.args.get("view"), request.args.get("lang")
        ),
    ), status
