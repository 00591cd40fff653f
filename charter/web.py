"""Small HTTP helpers shared by the blueprints."""

from flask import Response, request


def conditional(response: Response) -> Response:
    """Give the response an ETag and answer 304 Not Modified when the client already has it."""
    response.add_etag()
    response.headers["Cache-Control"] = "no-cache"  # always revalidate; cheap when unchanged
    response.vary.add("Cookie")  # the page shows who is signed in
    return response.make_conditional(request)
