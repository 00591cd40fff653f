"""The proposal page, shared by the proposal routes and the comment routes that re-show it."""

from flask import render_template, request
from flask_login import current_user

from charter.changes import VIEWS, pick_view
from charter.comments.forms import CommentForm
from charter.comments.links import listing_url, requested_listing
from charter.comments.queries import FILTERS, discussion
from charter.forms import EmptyForm
from charter.models import Proposal
from charter.proposals import forms
from charter.proposals.competing import clause_competition
from charter.proposals.operations import rebase_collisions
from charter.proposals.presenting import amendment_change, collision_notes, proposal_change
from charter.proposals.queries import has_supported
from charter.public.pages import paragraph_choices
from charter.text.markdown import rendered


def proposal_page(
    proposal: Proposal,
    *,
    decision_form=None,
    rebased=None,
    collisions=None,
    comment_form=None,
    status=200,
):
    """Render a proposal: its changes, reason, support, decision, earlier texts, discussion."""
    text = proposal.texts[-1]
    listing = requested_listing(text)
    talk = discussion(text, rendered(text.body), listing, proposal_id=proposal.id)
    comment_form = comment_form or CommentForm(formdata=None, wording=str(text.id))
    comment_form.paragraph.choices = paragraph_choices(talk.paragraphs)
    # While it needs an update, show where it collides with the clause as it is now.
    if collisions is None:
        collisions = (
            rebase_collisions(proposal) if proposal.needs_update and proposal.is_open else []
        )
    competing = proposal.is_open and proposal.clause is not None and not proposal.clause.retired
    competition = clause_competition(proposal.clause) if competing else None
    return render_template(
        "proposals/detail.html",
        rivals=competition.rivals_of(proposal) if competition else [],
        amendment_change=amendment_change,
        proposal=proposal,
        change=proposal_change(proposal),
        rebased=rebased,
        collisions=collision_notes(collisions),
        view=pick_view(request.args.get("view")),
        views=VIEWS,
        supported=has_supported(proposal, current_user),
        decision_form=decision_form
        or forms.DecisionForm(formdata=None, seen_version=proposal.lock_version),
        button_form=EmptyForm(),
        talk=talk,
        filters=FILTERS,
        talk_url=listing_url("proposals.detail", {"proposal_id": proposal.id}, listing),
        comment_form=comment_form,
        comment_action=("comments.on_proposal", {"proposal_id": proposal.id}),
    ), status
