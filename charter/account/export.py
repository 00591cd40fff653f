"""Everything the site holds about one person, as a .zip: data.json and a readable summary.

The format is described in README.md, "Your data". FORMAT_VERSION changes whenever a key is
removed or changes meaning; new keys may appear without a new version.
"""

import io
import json
import zipfile
from datetime import datetime

from flask import current_app, render_template, url_for

from charter.extensions import db
from charter.models import (
    AuditEvent,
    CharterVersion,
    ClauseRevision,
    Comment,
    CommentReport,
    EmailChoice,
    Follow,
    Notification,
    NotificationSetting,
    Preference,
    Proposal,
    Support,
    User,
    UserSession,
    Vote,
    utcnow,
)

FORMAT = "charter-personal-data"
FORMAT_VERSION = 1


def _when(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _all(query) -> list:
    return list(db.session.scalars(query))


def collect(user: User) -> dict:
    """Gather every record about this person into plain data (never the password hash)."""
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "generated_at": _when(utcnow()),
        "site": {
            "name": current_app.config["SITE_NAME"],
            "url": url_for("public.index", _external=True),
        },
        "account": {
            "id": user.id,
            "email": user.email,
            "display_name": user.display_name,
            "role": user.role.value,
            "language": user.language,
            "active": user.active,
            "created_at": _when(user.created_at),
            "email_verified_at": _when(user.email_verified_at),
        },
        "sessions": [_session(s) for s in _all(_mine(UserSession, UserSession.user_id, user))],
        "proposals": [_proposal(p) for p in _all(_mine(Proposal, Proposal.author_id, user))],
        "clause_revisions": [
            _revision(r) for r in _all(_mine(ClauseRevision, ClauseRevision.author_id, user))
        ],
        "comments": [_comment(c) for c in _all(_mine(Comment, Comment.author_id, user))],
        "reports": [
            _report(r) for r in _all(_mine(CommentReport, CommentReport.reporter_id, user))
        ],
        "supports": [_support(s) for s in _all(_mine(Support, Support.user_id, user))],
        "preferences": [_support(p) for p in _all(_mine(Preference, Preference.user_id, user))],
        "email_choice": _email_choice(user),
        "follows": [_follow(f) for f in _all(_mine(Follow, Follow.user_id, user))],
        "notifications": [
            _notification(n) for n in _all(_mine(Notification, Notification.user_id, user))
        ],
        "votes": [_vote(v) for v in _all(_mine(Vote, Vote.member_id, user))],
        "decisions": [_decision(p) for p in _all(_mine(Proposal, Proposal.decided_by_id, user))],
        "audit_events": [_event(e, user) for e in _all(_events_about(user))],
    }


def _mine(model, column, user: User):
    return db.select(model).where(column == user.id).order_by(model.id)


def _events_about(user: User):
    """Entries in which this person acted, or about their account, proposals or comments."""
    mine = {
        "user": db.select(User.id).where(User.id == user.id),
        "proposal": db.select(Proposal.id).where(Proposal.author_id == user.id),
        "comment": db.select(Comment.id).where(Comment.author_id == user.id),
    }
    about = db.or_(
        *(
            (AuditEvent.object_type == kind) & AuditEvent.object_id.in_(ids)
            for kind, ids in mine.items()
        )
    )
    return (
        db.select(AuditEvent)
        .where((AuditEvent.actor_id == user.id) | about)
        .order_by(AuditEvent.id)
    )


def _session(s: UserSession) -> dict:
    return {
        "id": s.id,
        "created_at": _when(s.created_at),
        "expires_at": _when(s.expires_at),
        "remember": s.remember,
    }


def _proposal(p: Proposal) -> dict:
    return {
        "id": p.id,
        "url": url_for("proposals.detail", proposal_id=p.id, _external=True),
        "title": p.title,
        "kind": p.kind.value,
        "clause": p.clause.key if p.clause else None,
        "heading": p.heading,
        "body": p.body,
        "rationale": p.rationale,
        "status": p.status.value,
        "decision_reason": p.decision_reason,
        "decided_at": _when(p.decided_at),
        "support_count": p.support_count,
        "created_at": _when(p.created_at),
        "updated_at": _when(p.updated_at),
        "texts": [
            {
                "id": t.id,
                "number": t.number,
                "heading": t.heading,
                "body": t.body,
                "rationale": t.rationale,
                "created_at": _when(t.created_at),
            }
            for t in p.texts
        ],
    }


def _revision(r: ClauseRevision) -> dict:
    return {
        "id": r.id,
        "clause": r.clause.key,
        "number": r.number,
        "heading": r.heading,
        "body": r.body,
        "from_proposal": r.proposal_id,
        "created_at": _when(r.created_at),
    }


def _comment(c: Comment) -> dict:
    if c.deleted:
        state = "deleted"
    elif c.hidden:
        state = "hidden"
    else:
        state = "shown"
    return {
        "id": c.id,
        "url": url_for("comments.thread", comment_id=c.id, _external=True),
        "kind": c.kind.value,
        "state": state,
        "hidden_reason": c.hidden_reason or None,
        "body": c.body,
        "quote": c.exact,
        "clause": c.clause.key if c.clause else None,
        "proposal": c.proposal_id,
        "reply_to": c.parent_id,
        "created_at": _when(c.created_at),
        "edited_at": _when(c.edited_at),
    }


def _report(r: CommentReport) -> dict:
    return {
        "id": r.id,
        "comment": r.comment_id,
        "reason": r.reason,
        "status": r.status.value,
        "created_at": _when(r.created_at),
    }


def _support(s: Support) -> dict:
    return {"id": s.id, "proposal": s.proposal_id, "created_at": _when(s.created_at)}


def _email_choice(user: User) -> str:
    setting = db.session.get(NotificationSetting, user.id)
    return (setting.email if setting else EmailChoice.DAILY).value


def _follow(f: Follow) -> dict:
    return {
        "id": f.id,
        "kind": f.kind.value,
        "target": f.target_id,
        "active": f.active,
        "created_at": _when(f.created_at),
        "changed_at": _when(f.changed_at),
    }


def _notification(n: Notification) -> dict:
    return {
        "id": n.id,
        "kind": n.kind.value,
        "created_at": _when(n.created_at),
        "read_at": _when(n.read_at),
        "emailed_at": _when(n.emailed_at),
    }


def _vote(v: Vote) -> dict:
    version = db.session.get(CharterVersion, v.version_id)
    return {
        "id": v.id,
        "version": version.number,
        "version_status": version.status.value,
        "choice": v.choice.value,
        "note": v.note,
        "name_on_record": v.member_name,
        "created_at": _when(v.created_at),
        "updated_at": _when(v.updated_at),
    }


def _decision(p: Proposal) -> dict:
    return {
        "proposal": p.id,
        "status": p.status.value,
        "reason": p.decision_reason,
        "decided_at": _when(p.decided_at),
    }


def _event(e: AuditEvent, user: User) -> dict:
    return {
        "id": e.id,
        "created_at": _when(e.created_at),
        # "actor": you did it; "subject": it was done to your account, proposal or comment.
        "you_were": "actor" if e.actor_id == user.id else "subject",
        "actor_name": e.recorded_name,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "summary": e.summary,
        "public": e.public,
        "hash": e.hash,
    }


def export_zip(user: User) -> bytes:
    """Return the .zip a person downloads: data.json and summary.html."""
    data = collect(user)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, indent=2, ensure_ascii=False))
        archive.writestr("summary.html", render_template("account/export_summary.html", data=data))
    return buffer.getvalue()


def export_filename(user: User) -> str:
    """Name the download after the site and the day, not the person."""
    return f"charter-my-data-{utcnow():%Y-%m-%d}.zip"
