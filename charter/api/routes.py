"""Read-only JSON: the same content as the public pages, for anyone to reuse."""

from flask import Blueprint, abort, jsonify, url_for

from charter.clauses.queries import get_charter, get_clause
from charter.models import ClauseRevision
from charter.public.reading import clause_story, current_reading

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _charter_or_404():
    return get_charter() or abort(404, description="No charter has been imported yet.")


def _revision_json(revision: ClauseRevision) -> dict:
    return {
        "revision": revision.number,
        "heading": revision.heading,
        "body": revision.body,
        "body_html": revision.body_html,
        "content_hash": revision.content_hash,
        "author": revision.author.display_name if revision.author else None,
        "note": revision.note,
        "created_at": revision.created_at.isoformat(),
    }


@bp.get("/charter")
def charter():
    """Return the charter as a reader sees it: published, or the working draft."""
    reading = current_reading(_charter_or_404())
    version = reading.version
    return jsonify(
        title=reading.title,
        status="draft" if reading.is_draft else "published",
        version=None if version is None else version.number,
        published_at=None if version is None else version.published_at.isoformat(),
        content_hash=None if version is None else version.content_hash,
        chain_hash=None if version is None else version.chain_hash,
        preamble=reading.preamble,
        preamble_html=reading.preamble_html,
        clauses=[
            {
                "key": item.key,
                "position": item.number,
                "url": url_for("public.clause", key=item.key, _external=True),
                **_revision_json(item.revision),
            }
            for item in reading.clauses
        ],
    )


@bp.get("/clauses/<key>")
def clause(key):
    """Return one clause: its working-draft wording, published wording and full history."""
    charter = _charter_or_404()
    found = get_clause(charter, key) or abort(404, description=f"No clause has the key '{key}'.")
    story = clause_story(charter, found)
    return jsonify(
        key=found.key,
        position=None if found.retired else found.position,
        retired=found.retired,
        url=url_for("public.clause", key=found.key, _external=True),
        current=_revision_json(story.current),
        published=None
        if story.published_revision is None
        else {
            "version": story.published_version.number,
            "revision": story.published_revision.number,
        },
        revisions=[_revision_json(r) for r in story.history],
    )
