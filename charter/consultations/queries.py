"""Whether residents may comment, ask, reply and propose now, and what to tell them if not.

The rules, in the words the public page uses:
- While the committee has never opened a window for a clause or for the whole draft, that
  clause stays open as it always was (proposals need the consultation switched on by an admin).
- Once a window has been opened for the whole draft, or for one clause, that clause is open
  only while a window covering it runs: a whole-draft window covers every clause.
- The admin switch is the master switch: while it is off, no window is open.
- Official answers and outcomes from the committee are never closed.
"""

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import g, has_app_context
from flask_babel import gettext as _
from flask_babel import ngettext

from charter.extensions import db
from charter.languages import day_in_words as in_words
from charter.models import Charter, Clause, ConsultationWindow, utcnow

LONDON = ZoneInfo("Europe/London")
_CACHE = "consultation_windows"


def local(moment: datetime) -> datetime:
    """Return a moment in the site's own time, London."""
    return moment.astimezone(LONDON)


def day_in_words(moment: datetime) -> str:
    """Say a moment's date in London, as “12 March 2027”."""
    return in_words(local(moment))


def moment_in_words(moment: datetime) -> str:
    """Say a moment in London time, as “12 March 2027 at 17:00”."""
    at = local(moment)
    return _("%(day)s at %(time)s", day=in_words(at), time=at.strftime("%H:%M"))


def time_left_in_words(closes_at: datetime, now: datetime) -> str:
    """Say how long is left before a deadline, roughly, as “9 days left”."""
    seconds = max(0, int((closes_at - now).total_seconds()))
    if seconds >= 86_400:
        return ngettext("%(num)d day left", "%(num)d days left", seconds // 86_400)
    if seconds >= 3_600:
        return ngettext("%(num)d hour left", "%(num)d hours left", seconds // 3_600)
    if seconds >= 60:
        return ngettext("%(num)d minute left", "%(num)d minutes left", seconds // 60)
    return _("less than a minute left")


def _windows(charter_id: int, *, fresh: bool = False) -> list[ConsultationWindow]:
    """Every window of the charter, oldest first: one small query, kept for the request."""
    cached = getattr(g, _CACHE, None) if has_app_context() and not fresh else None
    if cached is not None and cached[0] == charter_id:
        return cached[1]
    found = list(
        db.session.scalars(
            db.select(ConsultationWindow)
            .filter_by(charter_id=charter_id)
            .order_by(ConsultationWindow.opens_at, ConsultationWindow.id)
        )
    )
    if has_app_context():
        setattr(g, _CACHE, (charter_id, found))
    return found


def forget_windows() -> None:
    """Drop the request's copy of the windows after one changed."""
    if has_app_context() and hasattr(g, _CACHE):
        delattr(g, _CACHE)


@dataclass(frozen=True)
class Standing:
    """Whether a clause (or, for None, a new clause) is open for residents now, and why."""

    governed: bool  # a window was ever opened that covers it
    open_window: ConsultationWindow | None  # the window that lets residents in now
    last_window: ConsultationWindow | None  # the window that ended last, when none runs
    switched_on: bool
    clause: Clause | None

    @property
    def open(self) -> bool:
        """May residents comment, ask and reply (and, with the switch on, propose) now?"""
        if not self.governed:
            return True  # as before windows existed
        return self.switched_on and self.open_window is not None

    @property
    def closed_on(self) -> datetime | None:
        # While a window runs but the admin switch is off, no deadline explains the closing.
        if self.open or self.open_window is not None or self.last_window is None:
            return None
        return self.last_window.ends_at

    def refusal(self, proposals: bool = False) -> str:
        """Say why residents cannot comment (or propose) now, in words, and what they can still do.

        Each sentence is whole in the catalog, so translators never join fragments.
        """
        on_clause = self.clause is not None
        if self.closed_on is not None:
            when = moment_in_words(self.closed_on)
            if proposals and on_clause:
                said = _("Proposals on this clause closed on %(when)s.", when=when)
            elif proposals:
                said = _("Proposals on the working draft closed on %(when)s.", when=when)
            elif on_clause:
                said = _("Comments on this clause closed on %(when)s.", when=when)
            else:
                said = _("Comments on the working draft closed on %(when)s.", when=when)
        elif proposals and on_clause:
            said = _("Proposals on this clause are closed just now.")
        elif proposals:
            said = _("Proposals on the working draft are closed just now.")
        elif on_clause:
            said = _("Comments on this clause are closed just now.")
        else:
            said = _("Comments on the working draft are closed just now.")
        return _(
            "%(closed)s You can still read everything and follow what happens next.", closed=said
        )


def window_for(
    charter: Charter, clause: Clause | None, now: datetime | None = None, *, fresh: bool = False
) -> Standing:
    """Return where a clause stands (None: new clauses, which only a whole-draft window covers)."""
    now = now or utcnow()
    covering = [
        w
        for w in _windows(charter.id, fresh=fresh)
        if w.clause_id is None or (clause is not None and w.clause_id == clause.id)
    ]
    running = [w for w in covering if w.is_open_at(now)]
    ended = [w for w in covering if w.ends_at <= now]
    return Standing(
        governed=bool(covering),
        open_window=max(running, key=lambda w: w.ends_at) if running else None,
        last_window=max(ended, key=lambda w: w.ends_at) if ended else None,
        switched_on=charter.consultation_open,
        clause=clause,
    )


def is_open_for(
    charter: Charter, clause: Clause | None, now: datetime | None = None, *, fresh: bool = False
) -> bool:
    """Say whether residents may comment, ask, reply and propose on a clause now."""
    return window_for(charter, clause, now, fresh=fresh).open


def open_windows(charter: Charter | None, now: datetime | None = None) -> list[ConsultationWindow]:
    """The windows running now, soonest deadline first (none while the switch is off)."""
    if charter is None or not charter.consultation_open:
        return []
    now = now or utcnow()
    return sorted((w for w in _windows(charter.id) if w.is_open_at(now)), key=lambda w: w.ends_at)


def all_windows(charter: Charter) -> list[ConsultationWindow]:
    """Every window, newest first, for the committee and the public list."""
    return sorted(_windows(charter.id), key=lambda w: (w.opens_at, w.id), reverse=True)


def windows_between(
    charter_id: int, start: datetime | None, end: datetime
) -> list[ConsultationWindow]:
    """The windows that ran at some point between two moments, oldest first."""
    query = (
        db.select(ConsultationWindow)
        .filter_by(charter_id=charter_id)
        .where(ConsultationWindow.opens_at < end)
        .order_by(ConsultationWindow.opens_at, ConsultationWindow.id)
    )
    found = db.session.scalars(query)
    return [w for w in found if start is None or w.ends_at > start]


def banner_key(charter: Charter | None, now: datetime | None = None) -> str:
    """Name what the banner says now, so a cached page shows it only while it is still true."""
    now = now or utcnow()
    return ";".join(
        f"{w.id}:{w.ends_at.isoformat()}:{time_left_in_words(w.ends_at, now)}"
        for w in open_windows(charter, now)
    )
