"""Links between pages of a discussion: filters, words and cursors kept in the query string."""

from collections.abc import Callable

from flask import request, url_for

from charter.comments.queries import BadListing, Listing, listing_for
from charter.inputs import RefusedChoice


def requested_listing(wording) -> Listing:
    """Read the filter, words and cursor of this request; a bad one is a 400 saying why."""
    try:
        return listing_for(wording, request.args)
    except BadListing as err:
        raise RefusedChoice(str(err)) from err


def listing_url(endpoint: str, values: dict, listing: Listing) -> Callable[..., str]:
    """Return a builder of links to this discussion, keeping what the reader chose.

    Pass filter=, on= or cursor= to change one; None drops it. A new choice starts from the
    newest threads, so the cursor is kept only when asked for.
    """
    current = {
        "filter": None if listing.filter == "all" else listing.filter,
        "on": f"{listing.on[0]}-{listing.on[1]}" if listing.on else None,
    }

    def url(**changes) -> str:
        args = {k: v for k, v in {**current, **changes}.items() if v is not None and v != "all"}
        return url_for(endpoint, **values, **args, _anchor="discussion")

    return url
