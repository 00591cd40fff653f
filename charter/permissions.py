"""Who may do what: named predicates shared by routes and templates, and who each view is for."""

import enum
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from charter.models import CharterVersion, Comment, CommentKind, Proposal, ProposalKind, User


class Audience(enum.Enum):
    """Who a view is for. Every view declares one with @allow; the app refuses to start without.

    AUTHOR and OTHERS are about the object a view loads: the decorator only makes sure the
    visitor is signed in, and the view checks the object's predicate once it has loaded it.
    """

    ANYONE = "anyone"
    SIGNED_OUT = "people not signed in"
    SIGNED_IN = "anyone signed in"
    AUTHOR = "the author of what the page is about"
    OTHERS = "anyone signed in except its author"
    COMMITTEE = "committee members"
    ADMIN = "administrators"

    @property
    def needs_sign_in(self) -> bool:
        return self not in (Audience.ANYONE, Audience.SIGNED_OUT)


def allow(audience: Audience):
    """Declare who a view is for, and turn away, before it runs, anyone it cannot be for."""
    role_check = {Audience.COMMITTEE: can_moderate, Audience.ADMIN: can_manage_users}.get(audience)

    def decorate(view):
        guarded = view
        if role_check is not None:

            @wraps(view)
            def guarded(*args, **kwargs):
                require(role_check(current_user))
                return view(*args, **kwargs)

        if audience.needs_sign_in:
            guarded = login_required(guarded)
        guarded.audience = audience
        return guarded

    return decorate


def undeclared_views(app) -> list[str]:
    """Name every endpoint whose view does not declare its audience (Flask's static aside)."""
    return sorted(
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint != "static" and not isinstance(getattr(view, "audience", None), Audience)
    )


def _signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_manage_users(user) -> bool:
    """Admins see the accounts list and change roles."""
    return _signed_in(user) and user.is_admin


def can_change_user(user, target: User) -> bool:
    """Admins change other accounts, never their own (so no admin can lock everyone out), and
    never a deleted one (reactivating it would count a departed member's open votes again)."""
    return can_manage_users(user) and target.id != user.id and target.deleted_at is None


def can_change_password(user) -> bool:
    """Any signed-in account holder may change their own password."""
    return _signed_in(user)


def needs_email_confirmation(user) -> bool:
    """Signed in, but the address is not confirmed yet: may read and draft, not take part."""
    return _signed_in(user) and not user.email_verified


def can_take_part(user) -> bool:
    """Support, propose and comment need a confirmed address (the operations refuse without)."""
    return _signed_in(user) and user.email_verified


def can_propose(user) -> bool:
    """Anyone signed in may propose (the operation refuses while the consultation is closed)."""
    return _signed_in(user)


def can_edit_proposal(user, proposal: Proposal) -> bool:
    """Authors edit their own proposals while they are open."""
    return _signed_in(user) and proposal.is_open and proposal.author_id == user.id


def can_amend_proposal(user, proposal: Proposal) -> bool:
    """Anyone signed in proposes a change to someone else's open proposal to change a clause
    (one level only: not to an amendment)."""
    return (
        _signed_in(user)
        and proposal.is_open
        and proposal.kind is ProposalKind.AMEND
        and proposal.parent_id is None
        and proposal.author_id != user.id
    )


def can_withdraw_proposal(user, proposal: Proposal) -> bool:
    """Authors withdraw their own proposals while they are open."""
    return can_edit_proposal(user, proposal)


def can_support_proposal(user, proposal: Proposal) -> bool:
    """Anyone signed in supports an open proposal they did not write."""
    return _signed_in(user) and proposal.is_open and proposal.author_id != user.id


def can_decide_proposal(user, proposal: Proposal) -> bool:
    """Committee members accept or reject open proposals."""
    return _signed_in(user) and user.is_committee and proposal.is_open


def can_open_candidate(user) -> bool:
    """Committee members put the working draft to a vote."""
    return _signed_in(user) and user.is_committee


def can_manage_consultation(user) -> bool:
    """Committee members open, extend and close consultation windows."""
    return _signed_in(user) and user.is_committee


def can_vote(user, version: CharterVersion) -> bool:
    """Committee members vote on the open candidate, and may change their vote until it closes."""
    return _signed_in(user) and user.is_committee and version.is_candidate


def can_publish(user, version: CharterVersion) -> bool:
    """Committee members publish the candidate (the operation checks the ratification rule)."""
    return can_vote(user, version)


def can_withdraw_candidate(user, version: CharterVersion) -> bool:
    """Committee members withdraw the open candidate."""
    return can_vote(user, version)


def can_comment(user) -> bool:
    """Anyone signed in may comment, reply and ask questions."""
    return _signed_in(user)


def _in_public_view(comment: Comment) -> bool:
    return not comment.deleted and not comment.hidden


def can_read_comment(user, comment: Comment) -> bool:
    """Anyone reads a comment's words and author, unless it was deleted or hidden."""
    return _in_public_view(comment)


def can_read_hidden_comment(user, comment: Comment) -> bool:
    """Only moderators read a hidden comment's words, and only in the moderation queue."""
    return can_moderate(user) and comment.hidden and not comment.deleted


def can_reply_to_comment(user, comment: Comment) -> bool:
    """Anyone signed in replies in a thread, but not to a deleted or hidden comment or thread."""
    root = comment.parent or comment
    return can_comment(user) and _in_public_view(comment) and not root.hidden


def can_edit_comment(user, comment: Comment) -> bool:
    """Authors edit their own comments, unless deleted or hidden by the moderators."""
    return _signed_in(user) and comment.author_id == user.id and _in_public_view(comment)


def can_delete_comment(user, comment: Comment) -> bool:
    """Authors delete their own comments, but not one the moderators hid: it is kept as evidence."""
    return can_edit_comment(user, comment)


def can_report_comment(user, comment: Comment) -> bool:
    """Anyone signed in may report someone else's comment, while the public can still read it."""
    return _signed_in(user) and comment.author_id != user.id and _in_public_view(comment)


def can_answer(user, comment: Comment) -> bool:
    """Committee members post official answers to questions."""
    return _signed_in(user) and user.is_committee and comment.kind is CommentKind.QUESTION


def can_moderate(user) -> bool:
    """Committee members hide and restore comments and deal with reports."""
    return _signed_in(user) and user.is_committee


def can_hide_comment(user, comment: Comment) -> bool:
    """Moderators hide a comment the public can read."""
    return can_moderate(user) and _in_public_view(comment)


def can_restore_comment(user, comment: Comment) -> bool:
    """Moderators restore a comment they hid; there is nothing to restore on any other."""
    return can_moderate(user) and comment.hidden and not comment.deleted


def can_set_outcome(user, comment: Comment) -> bool:
    """Committee members say what became of a comment the public can read."""
    return (
        can_moderate(user)
        and comment.parent_id is None
        and comment.kind is CommentKind.COMMENT
        and _in_public_view(comment)
    )


def can_write_supplement(user, clause) -> bool:
    """Committee members write and review a live clause's summaries and translations."""
    return _signed_in(user) and user.is_committee and not clause.retired


def can_manage_charter(user) -> bool:
    """Admins change the charter's settings, such as whether the consultation is open."""
    return can_manage_users(user)


def require(allowed: bool) -> None:
    """Stop the request with 403 Forbidden unless allowed."""
    if not allowed:
        abort(403)


def template_permissions() -> dict:
    """Offer the predicates to every template, so pages show only what a user may do."""
    return {
        "can_manage_users": can_manage_users,
        "can_change_user": can_change_user,
        "can_change_password": can_change_password,
        "needs_email_confirmation": needs_email_confirmation,
        "can_take_part": can_take_part,
        "can_propose": can_propose,
        "can_edit_proposal": can_edit_proposal,
        "can_amend_proposal": can_amend_proposal,
        "can_withdraw_proposal": can_withdraw_proposal,
        "can_support_proposal": can_support_proposal,
        "can_decide_proposal": can_decide_proposal,
        "can_manage_charter": can_manage_charter,
        "can_open_candidate": can_open_candidate,
        "can_manage_consultation": can_manage_consultation,
        "can_comment": can_comment,
        "can_read_comment": can_read_comment,
        "can_read_hidden_comment": can_read_hidden_comment,
        "can_reply_to_comment": can_reply_to_comment,
        "can_edit_comment": can_edit_comment,
        "can_delete_comment": can_delete_comment,
        "can_report_comment": can_report_comment,
        "can_answer": can_answer,
        "can_moderate": can_moderate,
        "can_hide_comment": can_hide_comment,
        "can_restore_comment": can_restore_comment,
        "can_set_outcome": can_set_outcome,
        "can_write_supplement": can_write_supplement,
        "can_vote": can_vote,
        "can_publish": can_publish,
        "can_withdraw_candidate": can_withdraw_candidate,
    }
