"""Notices by email: at once, or in one daily digest; and the signed link that stops them.

Rows are claimed before a mail is built (UPDATE ... SET emailed_at WHERE emailed_at IS NULL
RETURNING id), in the transaction that asks for the mail, which goes out only once that
commits: a second or concurrent run finds nothing left to claim, so nothing is sent twice.
A claimed notice whose comment has since been hidden or deleted is left out of the mail and,
being claimed, is never mailed later either. Flush, never commit.
"""

from contextlib import contextmanager

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update

from charter import mail
from charter.extensions import db
from charter.languages import DEFAULT_LANGUAGE, language_of
from charter.models import (
    EmailChoice,
    Notification,
    NotificationSetting,
    User,
    utcnow,
)
from charter.notifications.follows import upsert
from charter.notifications.notices import describe, grouped, load


def email_choice(user: User) -> EmailChoice:
    """How a resident wants notices by email: a daily digest unless they chose otherwise."""
    found = db.session.get(NotificationSetting, user.id)
    return found.email if found else EmailChoice.DAILY


def set_email_choice(user: User, choice: EmailChoice) -> None:
    """Remember how a resident wants notices by email."""
    now = utcnow()
    db.session.execute(
        upsert(NotificationSetting)
        .values(user_id=user.id, email=choice, changed_at=now)
        .on_conflict_do_update(
            index_elements=["user_id"], set_={"email": choice, "changed_at": now}
        )
    )
    db.session.expire_all()


def _mailable():
    """Residents who may get mail: a confirmed address, an account neither deleted nor closed."""
    return (
        User.email_verified_at.is_not(None),
        User.deleted_at.is_(None),
        User.active.is_(True),
    )


def _claim(*where) -> list[int]:
    """Mark these unmailed notices mailed and return their ids; rows another run took are not."""
    result = db.session.execute(
        update(Notification)
        .where(*where, Notification.emailed_at.is_(None))
        .values(emailed_at=utcnow())
        .returning(Notification.id)
        .execution_options(synchronize_session=False)
    )
    return list(result.scalars())


def mail_at_once(notice_ids: list[int]) -> int:
    """Mail each of these notices now to those who asked for mail at once; return how many."""
    wanting = select(NotificationSetting.user_id).where(
        NotificationSetting.email == EmailChoice.AT_ONCE
    )
    ready = select(User.id).where(*_mailable(), User.id.in_(wanting))
    claimed = _claim(Notification.id.in_(notice_ids), Notification.user_id.in_(ready))
    if not claimed:
        return 0
    sent = 0
    with site_context():
        for notice in load(claimed):
            with force_locale(language_of(notice.user)):
                text, path = describe(notice)
                _send(
                    notice.user,
                    _("Something you follow has news"),
                    "notification",
                    notice=notice,
                    text=text,
                    link=_absolute(path),
                )
            sent += 1
    return sent


def residents_due() -> list[int]:
    """The residents with notices not yet mailed who want a digest (or missed one at once)."""
    never = select(NotificationSetting.user_id).where(
        NotificationSetting.email == EmailChoice.NEVER
    )
    return list(
        db.session.scalars(
            select(User.id)
            .where(
                *_mailable(),
                User.id.not_in(never),
                User.id.in_(select(Notification.user_id).where(Notification.emailed_at.is_(None))),
            )
            .order_by(User.id)
        )
    )


def send_digest(user_id: int) -> int:
    """Mail one resident their unmailed notices in one email, by clause, newest first.

    Returns how many notices the mail holds (0: nothing sent).
    """
    user = db.session.get(User, user_id)
    if user is None or email_choice(user) is EmailChoice.NEVER:
        return 0
    claimed = _claim(Notification.user_id == user_id)
    notices = load(claimed)
    if not notices:
        return 0
    with site_context(), force_locale(language_of(user)):
        groups = [
            (group.title, [(*describe(n), n) for n in group.notices]) for group in grouped(notices)
        ]
        groups = [
            (title, [(text, _absolute(path), n) for text, path, n in items])
            for title, items in groups
        ]
        count = len(notices)
        subject = ngettext("%(num)d new notification", "%(num)d new notifications", count)
        _send(
            user,
            subject,
            "digest",
            groups=groups,
            count=count,
            list_url=_absolute(url_for("notifications.index")),
        )
    return count


def _send(user: User, subject: str, template: str, **context) -> None:
    link = unsubscribe_url(user)
    headers = {
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    mail.send(
        user.email,
        subject,
        template,
        _(
            "you follow clauses, proposals or discussions on %(site)s",
            site=current_app.config["SITE_NAME"],
        ),
        name=user.display_name,
        unsubscribe=link,
        account_url=_absolute(url_for("account.index")),
        headers=headers,
        **context,
    )


def _absolute(path: str) -> str:
    return url_for("public.index", _external=True).rstrip("/") + path


@contextmanager
def site_context():
    """Let mail build the site's links outside a request (a job, the digest command), in the
    site's own language unless the recipient chose one: a notice mailed at once goes out from
    someone else's request, in which the asker's language must not leak."""
    if has_request_context():
        with force_locale(DEFAULT_LANGUAGE):
            yield
        return
    site = current_app.config.get("SITE_URL") or "http://localhost"
    with current_app.test_request_context("/", base_url=site), force_locale(DEFAULT_LANGUAGE):
        yield


# --- Unsubscribing ----------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="charter.unsubscribe")


def unsubscribe_url(user: User) -> str:
    """The signed link in every notice mail that stops them; it works for as long as mail comes."""
    token = _serializer().dumps({"u": user.id})
    return url_for("notifications.unsubscribe", token=token, _external=True)


def check_unsubscribe_token(token: str) -> User | None:
    """Return whose mail a link stops; None if it was altered or the account is gone."""
    try:
        payload = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        return None
    user = db.session.get(User, payload["u"])
    if user is None or user.deleted_at is not None:
        return None
    return user
