"""Notifications: the list, following and not, how often to email, and the unsubscribe link."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from charter.clauses.queries import get_charter
from charter.extensions import csrf, db
from charter.forms import EmptyForm
from charter.inputs import RefusedChoice
from charter.models import Clause, Comment, EmailChoice, FollowKind, Proposal
from charter.notifications.follows import (
    NothingToFollow,
    find_target,
    following,
    is_following,
    set_following,
)
from charter.notifications.forms import EmailChoiceForm, FollowForm
from charter.notifications.mailing import (
    check_unsubscribe_token,
    email_choice,
    set_email_choice,
)
from charter.notifications.notices import describe, grouped, mark_all_read, recent, unread_count
from charter.permissions import Audience, allow

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def notification_helpers() -> dict:
    """Offer templates the unread count (asked for once, by the header) and follow buttons."""

    def unread() -> int:
        return unread_count(current_user) if current_user.is_authenticated else 0

    def following_now(kind: str, target_id: int) -> bool:
        return is_following(current_user, FollowKind(kind), target_id)

    return {
        "unread_notifications": unread,
        "is_following": following_now,
        "followed_things": lambda: following(current_user),
        "email_choice_form": lambda: EmailChoiceForm(
            formdata=None, email=email_choice(current_user).value
        ),
        "follow_form": lambda: FollowForm(formdata=None),
    }


@bp.get("")
@allow(Audience.SIGNED_IN)
def index():
    """List your notifications, newest first, grouped by clause."""
    notices = recent(current_user)
    return render_template(
        "notifications/index.html",
        charter=get_charter(),
        groups=grouped(notices),
        describe=describe,
        unread=sum(n.read_at is None for n in notices),
        button_form=EmptyForm(),
    )


@bp.post("/read")
@allow(Audience.SIGNED_IN)
def read():
    """Mark all your notifications as read."""
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    mark_all_read(current_user)
    db.session.commit()
    flash(_("All your notifications are marked as read."), "success")
    return redirect(url_for(".index"))


def _target_page(kind: FollowKind, target) -> str:
    if kind is FollowKind.CLAUSE:
        return url_for("public.clause", key=target.key)
    if kind is FollowKind.PROPOSAL:
        return url_for("proposals.detail", proposal_id=target.id)
    if kind is FollowKind.THREAD:
        return url_for("comments.thread", comment_id=target.id)
    return url_for(".index")


def _now_following(target) -> str:
    if isinstance(target, Clause):
        heading = target.current_revision.heading
        return _("You are now following the clause “%(heading)s”.", heading=heading)
    if isinstance(target, Proposal):
        return _("You are now following proposal %(number)s.", number=target.id)
    if isinstance(target, Comment):
        return _("You are now following this thread.")
    return _("You are now following the whole charter.")


def _no_longer_following(target) -> str:
    if isinstance(target, Clause):
        return _(
            "You no longer follow the clause “%(heading)s”. Writing there again will not "
            "follow it again.",
            heading=target.current_revision.heading,
        )
    if isinstance(target, Proposal):
        return _(
            "You no longer follow proposal %(number)s. Writing there again will not follow it "
            "again.",
            number=target.id,
        )
    if isinstance(target, Comment):
        return _("You no longer follow this thread. Writing there again will not follow it again.")
    return _(
        "You no longer follow the whole charter. Writing there again will not follow it again."
    )


def _change_following(active: bool):
    form = FollowForm()
    if not form.validate_on_submit():
        # Only an expired page or an altered button gets here: say which, on an error page.
        if form.csrf_token.errors:
            abort(400, _("The CSRF token is missing or expired."))
        messages = [str(m) for name, errors in form.errors.items() for m in errors]
        raise RefusedChoice(" ".join(messages) or _("The button did not say what to follow."))
    kind = FollowKind(form.kind.data)
    try:
        target = find_target(kind, form.target_id.data)
    except NothingToFollow:
        abort(404)
    set_following(current_user, kind, target.id, active)
    db.session.commit()
    if active:
        flash(_now_following(target), "success")
    else:
        flash(_no_longer_following(target), "success")
    back = {"account": url_for("account.index"), "notifications": url_for(".index")}
    return redirect(back.get(form.back.data) or _target_page(kind, target))


@bp.post("/follow")
@allow(Audience.SIGNED_IN)
def follow():
    """Follow a clause, a proposal, a thread or the whole charter."""
    return _change_following(True)


@bp.post("/stop")
@allow(Audience.SIGNED_IN)
def stop():
    """Stop following something; writing there again will not follow it again."""
    return _change_following(False)


@bp.post("/email")
@allow(Audience.SIGNED_IN)
def email():
    """Choose how often to get email about what you follow."""
    form = EmailChoiceForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400, _("The CSRF token is missing or expired."))
        messages = [str(m) for errors in form.errors.values() for m in errors]
        flash(" ".join(messages) or _("Choose one of the options."), "error")
        return redirect(url_for("account.index", _anchor="email-choice-heading"))
    choice = EmailChoice(form.email.data)
    set_email_choice(current_user, choice)
    db.session.commit()
    flash(_("Email about what you follow: %(choice)s.", choice=choice.label.lower()), "success")
    return redirect(url_for("account.index", _anchor="email-choice-heading"))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@allow(Audience.ANYONE)
@csrf.exempt  # the signed token is the proof; mail programs post here without a page (RFC 8058)
def unsubscribe(token):
    """Stop notification emails from the link in one: confirm on the page, or one click."""
    user = check_unsubscribe_token(token)
    if user is None:
        return render_template("notifications/unsubscribe.html", user=None), 400
    if request.method == "POST":
        set_email_choice(user, EmailChoice.NEVER)
        db.session.commit()
        return render_template("notifications/unsubscribe.html", user=user, done=True)
    return render_template("notifications/unsubscribe.html", user=user, done=False)
