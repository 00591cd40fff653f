"""Read-only JSON: the same content as the public pages, for anyone to reuse."""

from datetime import UTC

from flask import Blueprint, abort, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from charter.clauses.queries import get_charter, get_clause
from charter.comments.outcomes import (
    answered_questions,
    version_outcomes,
    version_with_revision,
)
from charter.comments.queries import (
    REPLIES_PER_PAGE,
    BadListing,
    Cursor,
    discussion,
    listing_for,
    read_thread,
)
from charter.consultations.queries import all_windows
from charter.extensions import db
from charter.inputs import RefusedChoice, parse_id
from charter.models import (
    ClauseRevision,
    Comment,
    CommentKind,
    ConsultationWindow,
    Proposal,
    ProposalKind,
    ProposalStatus,
    utcnow,
)
from charter.permissions import Audience, allow, can_read_comment
from charter.proposals.competing import amended_draft, chosen_proposals, clause_competition
from charter.proposals.operations import rebase_collisions
from charter.proposals.presenting import proposal_change
from charter.proposals.queries import proposals_query
from charter.public.reading import clause_story, current_reading
from charter.text.markdown import rendered
from charter.versions.comparing import compare_versions
from charter.versions.queries import (
    current_candidate,
    get_published,
    latest_published,
    published_versions,
)
from charter.web import conditional

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _charter_or_404():
    return get_charter() or abort(404, description=_("No charter has been imported yet."))


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
@allow(Audience.ANYONE)
def charter():
    """Return the charter as a reader sees it: published, or the working draft."""
    reading = current_reading(_charter_or_404())
    version = reading.version
    return conditional(
        jsonify(
            title=reading.title,
            status="draft" if reading.is_draft else "published",
            version=None if version is None else version.number,
            published_at=None if version is None else version.published_at.isoformat(),
            content_hash=None if version is None else version.content_hash,
            chain_hash=None if version is None else version.chain_hash,
            chain_head=None if version is None else version.chain_hash,
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
    )


@bp.get("/clauses/<key>")
@allow(Audience.ANYONE)
def clause(key):
    """Return one clause: its working-draft wording, published wording and full history."""
    charter = _charter_or_404()
    found = get_clause(charter, key) or abort(
        404, description=_("No clause has the key '%(key)s'.", key=key)
    )
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


def _collision_json(collision) -> dict:
    def stretch(s):
        return {"start": s.start, "end": s.end, "text": s.text}

    conflict = collision.conflict
    return {
        "part": collision.part,
        "base": stretch(conflict.base),
        "proposed": stretch(conflict.proposed),
        "head": stretch(conflict.head),
    }


def _proposal_json(proposal: Proposal, *, full: bool = False) -> dict:
    data = {
        "id": proposal.id,
        "url": url_for("proposals.detail", proposal_id=proposal.id, _external=True),
        "title": proposal.title,
        "kind": proposal.kind.value,
        "status": proposal.status.value,
        "needs_update": proposal.needs_update,
        "clause": proposal.clause.key if proposal.clause else None,
        "base_revision": proposal.base_revision.number if proposal.base_revision else None,
        "author": proposal.author.display_name,
        "author_role": proposal.author.public_role,
        "rationale": proposal.rationale,
        "supporters": proposal.support_count,
        "created_at": proposal.created_at.isoformat(),
        "outcome": _proposal_outcome_json(proposal),
        "decision": None
        if proposal.decided_at is None
        else {
            "status": proposal.status.value,
            "reason": proposal.decision_reason,
            "decided_by": proposal.decided_by.display_name,
            "decided_at": proposal.decided_at.isoformat(),
        },
    }
    if full:
        change = proposal_change(proposal)
        data.update(
            heading=proposal.heading,
            body=proposal.body,
            position=proposal.position,
            diff={"summary": change.summary.text, "operations": change.operations},
            # While it needs an update: where it collides with the clause's wording now.
            conflicts=[_collision_json(c) for c in rebase_collisions(proposal)]
            if proposal.needs_update and proposal.is_open
            else [],
            texts=[
                {
                    "number": t.number,
                    "heading": t.heading,
                    "body": t.body,
                    "rationale": t.rationale,
                    "created_at": t.created_at.isoformat(),
                }
                for t in proposal.texts
            ],
        )
    return data


@bp.get("/proposals")
@allow(Audience.ANYONE)
def proposals():
    """Return proposals, newest first, filtered like the proposals page; paginated."""
    charter = _charter_or_404()
    try:
        status = ProposalStatus(request.args["status"]) if request.args.get("status") else None
        kind = ProposalKind(request.args["kind"]) if request.args.get("kind") else None
    except ValueError:
        abort(400, description=_("Unknown status or kind."))
    clause = None
    if request.args.get("clause"):
        clause = get_clause(charter, request.args["clause"]) or abort(
            404, description=_("No clause has the key '%(key)s'.", key=request.args["clause"])
        )
    query = proposals_query(
        charter, status=status, kind=kind, clause=clause, sort=request.args.get("sort", "newest")
    )
    page = db.paginate(query, per_page=50, max_per_page=100, error_out=False)
    return jsonify(
        page=page.page,
        pages=page.pages,
        total=page.total,
        proposals=[_proposal_json(p) for p in page.items],
    )


@bp.get("/proposals/<int:proposal_id>")
@allow(Audience.ANYONE)
def proposal(proposal_id):
    """Return one proposal with its tracked changes as a list of operations."""
    found = db.session.get(Proposal, proposal_id) or abort(
        404, description=_("There is no proposal %(n)s.", n=proposal_id)
    )
    return jsonify(_proposal_json(found, full=True))


def _version_json(version, *, full: bool = False) -> dict:
    data = {
        "number": version.number,
        "status": version.status.value,
        "url": url_for("versions.detail", number=version.number, _external=True)
        if version.is_published
        else url_for("versions.candidate", _external=True),
        "published_at": version.published_at.isoformat() if version.published_at else None,
        "content_hash": version.content_hash,
        "chain_hash": version.chain_hash,
        "previous_chain_hash": version.previous_chain_hash,
        "changelog": version.changelog,
    }
    if full:
        data.update(
            title=version.title,
            preamble=version.preamble,
            markdown_url=url_for("versions.markdown", number=version.number, _external=True),
            votes=[
                {"member": v.voter_name, "vote": v.choice.value, "note": v.note}
                for v in version.votes
            ],
            clauses=[
                {"key": e.revision.clause.key, "position": e.position, **_revision_json(e.revision)}
                for e in version.entries
            ],
        )
    return data


def _version_or_404(charter, name: str):
    if name == "candidate":
        found = current_candidate(charter)
    elif name == "latest":
        found = latest_published(charter)
    else:
        number = parse_id(name)
        found = get_published(charter, number) if number is not None else None
    return found or abort(404, description=_("There is no published version %(name)s.", name=name))


@bp.get("/versions")
@allow(Audience.ANYONE)
def versions():
    """Return every published version, oldest first, with its fingerprints."""
    charter = _charter_or_404()
    versions = published_versions(charter)
    return conditional(
        jsonify(
            chain_head=versions[-1].chain_hash if versions else None,
            versions=[_version_json(v) for v in versions],
        )
    )


@bp.get("/versions/<int:number>")
@allow(Audience.ANYONE)
def version(number):
    """Return one published version: its text, changelog, votes and fingerprints."""
    found = _version_or_404(_charter_or_404(), str(number))
    return conditional(jsonify(_version_json(found, full=True)))


@bp.get("/versions/<old>/compare/<new>")
@allow(Audience.ANYONE)
def compare(old, new):
    """Return the changes between two versions clause by clause, with the proposals behind them."""
    charter = _charter_or_404()
    comparison = compare_versions(_version_or_404(charter, old), _version_or_404(charter, new))
    return conditional(
        jsonify(
            old=comparison.old.number,
            new=comparison.new.number,
            clauses=[
                {
                    "key": item.key,
                    "change": item.kind,
                    "old_position": item.old_position,
                    "new_position": item.new_position,
                    "moved": item.moved,
                    "summary": item.change.summary.text,
                    "operations": item.change.operations,
                    "proposals": [
                        {"id": p.id, "title": p.title, "reason": p.decision_reason}
                        for p in item.proposals
                    ],
                }
                for item in comparison.clauses
            ],
        )
    )


def _comment_json(comment) -> dict:
    data = {
        "id": comment.id,
        "kind": comment.kind.value,
        "created_at": comment.created_at.isoformat(),
        "edited": comment.edited_at is not None and not comment.deleted,
    }
    if can_read_comment(current_user, comment):
        data.update(
            author=comment.author.display_name,
            author_role=comment.author.public_role,
            body=comment.body,
        )
    elif comment.deleted:
        data.update(deleted=True, author=None, author_role=None, body=None)
    else:
        data.update(
            hidden=True,
            hidden_reason=comment.hidden_reason,
            author=None,
            author_role=None,
            body=None,
        )
    return data


def _thread_json(comment, placement, replies, reply_count, answered: set[int]) -> dict:
    data = _comment_json(comment)
    data["anchor"] = None
    if comment.is_anchored and placement is not None and not (comment.deleted or comment.hidden):
        on_current = not placement.orphaned
        data["anchor"] = {
            "exact": comment.exact,
            "prefix": comment.prefix,
            "suffix": comment.suffix,
            "status": placement.status if on_current else "earlier wording",
            "start": placement.start,
            "end": placement.end,
        }
    data.update(
        replies=[_comment_json(r) for r in replies],
        reply_count=reply_count,
        thread=url_for("api.comment_thread", comment_id=comment.id),
    )
    if not (comment.deleted or comment.hidden):
        data["outcome"] = _outcome_json(comment, answered)
    return data


def _outcome_json(comment, answered: set[int] | None = None) -> dict:
    """Say what became of a thread: a comment's outcome, or whether a question was answered.

    `answered` names the questions answered officially, looked up for a whole page at once.
    """
    if comment.kind is CommentKind.QUESTION:
        if answered is None:
            answered = answered_questions([comment.id])
        answer = comment.id in answered
        return {
            "status": "answered" if answer else "waiting",
            "answer": url_for("api.comment_thread", comment_id=comment.id) if answer else None,
        }
    return {
        "status": comment.outcome.value,
        "reason": comment.outcome_reason or None,
        "proposal": comment.outcome_proposal_id,
        "version": comment.outcome_version.number if comment.outcome_version else None,
    }


def _proposal_outcome_json(proposal: Proposal) -> dict:
    """Say where a proposal stands and, once accepted, the version it took effect in."""
    status = "needs_update" if proposal.is_open and proposal.needs_update else proposal.status.value
    return {
        "status": status,
        "reason": proposal.decision_reason or None,
        "version": version_with_revision(proposal.result_revision_id),
    }


@bp.get("/versions/<int:number>/outcomes")
@allow(Audience.ANYONE)
def version_outcomes_json(number):
    """Return what residents raised before a version and what became of each, by clause."""
    found = _version_or_404(_charter_or_404(), str(number))
    summary = version_outcomes(found)
    answered = {q.id for g in summary.groups for q, answer in g.questions if answer is not None}

    def thread(comment):
        return {
            "id": comment.id,
            "url": url_for("comments.thread", comment_id=comment.id, _external=True),
            "body": comment.body,
            "outcome": _outcome_json(comment, answered),
        }

    return jsonify(
        version=found.number,
        since=summary.since.isoformat() if summary.since else None,
        counts={
            "comments": {o.value: n for o, n in summary.comment_counts.items()},
            "questions": {
                "answered": summary.answered,
                "waiting": summary.questions - summary.answered,
            },
            "proposals": {st.value: n for st, n in summary.proposal_counts.items()},
        },
        clauses=[
            {
                "clause": group.clause.key if group.clause else None,
                "comments": [thread(c) for c in group.comments],
                "questions": [thread(q) for q, _ in group.questions],
                "proposals": [
                    {"id": p.id, "title": p.title, "outcome": _proposal_outcome_json(p)}
                    for p in group.proposals
                ],
            }
            for group in summary.groups
        ],
        consultation_windows=[_window_json(w) for w in summary.windows],
    )


def _utc(moment) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _window_json(window: ConsultationWindow) -> dict:
    return {
        "id": window.id,
        "scope": {"clause": window.clause.key if window.clause_id else None},
        "opens_at": _utc(window.opens_at),
        "closes_at": _utc(window.closes_at),
        "closed_early_at": _utc(window.closed_early_at),
        "open": window.is_open_at(utcnow()) and window.charter.consultation_open,
        "note": window.note,
    }


@bp.get("/consultations")
@allow(Audience.ANYONE)
def consultations():
    """Return every consultation window, newest first: scope, dates in UTC, and whether open."""
    return jsonify(windows=[_window_json(w) for w in all_windows(_charter_or_404())])


def _limit(default: int = 20) -> int:
    text = request.args.get("limit", str(default))
    number = parse_id(text)
    if number is None or not 1 <= number <= 100:
        raise RefusedChoice(_("limit must be a whole number from 1 to 100."))
    return number


def _discussion_json(wording, base_html, **about) -> dict:
    try:
        listing = listing_for(wording, request.args)
    except BadListing as err:
        raise RefusedChoice(str(err)) from err
    talk = discussion(wording, base_html, listing, limit=_limit(), **about)
    answered = answered_questions([c.id for c in talk.threads if c.kind is CommentKind.QUESTION])
    return {
        "comments": [
            _thread_json(c, talk.placement(c), talk.replies_of(c), talk.reply_count(c), answered)
            for c in talk.threads
        ],
        "next_cursor": talk.next_cursor,
        "counts": talk.counts.as_dict(),
        "passages": [{"start": s, "end": e, "threads": n} for s, e, n in talk.passage_counts],
    }


@bp.get("/clauses/<key>/comments")
@allow(Audience.ANYONE)
def clause_comments(key):
    """Return a page of a clause's threads, newest first, placed on its wording now."""
    charter = _charter_or_404()
    found = get_clause(charter, key) or abort(
        404, description=_("No clause has the key '%(key)s'.", key=key)
    )
    revision = found.current_revision
    data = _discussion_json(revision, revision.body_html, clause_id=found.id)
    return jsonify(clause=found.key, revision=revision.number, **data)


@bp.get("/proposals/<int:proposal_id>/comments")
@allow(Audience.ANYONE)
def proposal_comments(proposal_id):
    """Return a page of a proposal's threads, newest first, placed on its latest text."""
    found = db.session.get(Proposal, proposal_id) or abort(
        404, description=_("There is no proposal %(n)s.", n=proposal_id)
    )
    text = found.texts[-1]
    data = _discussion_json(text, rendered(text.body), proposal_id=found.id)
    data.pop("passages")
    return jsonify(proposal=found.id, text=text.number, **data)


@bp.get("/comments/<int:comment_id>")
@allow(Audience.ANYONE)
def comment_thread(comment_id):
    """Return a thread with its replies, oldest first, a page at a time."""
    found = db.session.get(Comment, comment_id) or abort(
        404, description=_("There is no comment %(n)s.", n=comment_id)
    )
    if found.parent_id is not None:
        return redirect(url_for("api.comment_thread", comment_id=found.parent_id))
    try:
        cursor = Cursor.decode(request.args["cursor"]) if "cursor" in request.args else None
    except BadListing as err:
        raise RefusedChoice(str(err)) from err
    thread = read_thread(found, cursor, limit=_limit(REPLIES_PER_PAGE))
    answered = answered_questions([found.id])
    data = _thread_json(found, thread.placement, thread.replies, thread.reply_count, answered)
    return jsonify(comment=data, next_cursor=thread.next_cursor)


@bp.get("/clauses/<key>/competing")
@allow(Audience.ANYONE)
def competing(key):
    """Return which open proposals on a clause compete, and which wait for an update."""
    charter = _charter_or_404()
    found = get_clause(charter, key) or abort(
        404, description=_("There is no clause %(key)s.", key=key)
    )
    competition = clause_competition(found)
    return jsonify(
        {
            "clause": found.key,
            "revision": found.current_revision.number,
            "sets": competition.sets,
            "rivals": {str(pid): ids for pid, ids in competition.rivals.items()},
            "needs_update": [p.id for p in competition.unfit],
        }
    )


@bp.get("/draft/as-amended")
@allow(Audience.ANYONE)
def as_amended():
    """Return the working draft with the chosen open proposals applied, as labelled changes.

    `?proposal=12&proposal=15` chooses, in order; with none, every proposal that competes
    with no other is applied.
    """
    draft = amended_draft(_charter_or_404(), chosen_proposals(request.args))
    return jsonify(
        {
            "default": draft.default,
            "chosen": draft.chosen,
            "clauses": [
                {
                    "key": item.clause.key,
                    "heading": item.heading,
                    "removed_by": item.removed_by.id if item.removed_by else None,
                    "applied": [p.id for p in item.applied],
                    "left_out": [
                        {"proposal": p.id, "collides_with": [o.id for o in against]}
                        for p, against in item.collided
                    ],
                    "changes": [
                        {"op": part.op, "text": part.text, "proposals": list(part.proposals)}
                        for part in item.parts
                    ]
                    if item.changed
                    else None,
                }
                for item in draft.clauses
            ],
        }
    )
