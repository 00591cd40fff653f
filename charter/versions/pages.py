"""The candidate page, shared by the archive's route and the committee's vote that re-shows it."""

from flask import render_template, request
from flask_login import current_user

from charter.changes import VIEWS, pick_view
from charter.committee.forms import VoteForm
from charter.models import Charter, CharterVersion
from charter.public.reading import version_reading
from charter.versions.comparing import compare_versions
from charter.versions.operations import tally
from charter.versions.queries import latest_published, votes_on


def next_number(charter: Charter) -> int:
    """The number the candidate will have once published."""
    previous = latest_published(charter)
    return (previous.number if previous else 0) + 1


def candidate_page(charter: Charter, version: CharterVersion, *, vote_form=None, status=200):
    """Render the candidate under vote: its tracked changes, the tally and the member's vote."""
    previous = latest_published(charter)
    votes = votes_on(version)
    page = render_template(
        "versions/candidate.html",
        version=version,
        previous=previous,
        comparison=compare_versions(previous, version) if previous else None,
        reading=None if previous else version_reading(charter, version),
        tally=tally(version),
        votes=votes,
        my_vote=next((v for v in votes if v.member_id == getattr(current_user, "id", None)), None),
        vote_form=vote_form or VoteForm(formdata=None, seen_hash=version.content_hash),
        view=pick_view(request.args.get("view")),
        views=VIEWS,
    )
    return page, status
