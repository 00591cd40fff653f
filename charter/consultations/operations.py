"""Open, extend and close consultation windows. Flush, never commit."""

from datetime import UTC, date, datetime, time, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _

from charter.audit import record
from charter.consultations.queries import LONDON, forget_windows, moment_in_words
from charter.extensions import db
from charter.languages import DEFAULT_LANGUAGE
from charter.models import Charter, Clause, ConsultationWindow, User, utcnow

NOTE_MAX = 300
LONGEST = timedelta(days=366)


class WindowError(ValueError):
    """A window action that cannot go ahead, with a message fit to show, and the field at fault."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def parse_deadline(day: str, clock: str) -> datetime:
    """Read a closing date (YYYY-MM-DD) and time (HH:MM) given in London time; return UTC."""
    try:
        on = date.fromisoformat((day or "").strip())
    except ValueError:
        raise WindowError(
            _("Enter the closing date as day, month and year, for example 2027-03-12."),
            "closes_on",
        ) from None
    try:
        at = time.fromisoformat((clock or "").strip())
    except ValueError:
        raise WindowError(
            _("Enter the closing time in 24-hour form, for example 17:00."), "closes_time"
        ) from None
    moment = datetime.combine(on, at.replace(second=0, microsecond=0), tzinfo=LONDON)
    # A time the clocks skip in spring does not exist in London: say so rather than guess.
    utc = moment.astimezone(UTC)
    if utc.astimezone(LONDON).replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise WindowError(
            _(
                "That time does not exist in London on that day, because the clocks go forward. "
                "Choose another time."
            ),
            "closes_time",
        )
    return utc


def _check_deadline(closes_at: datetime, now: datetime) -> None:
    if closes_at <= now:
        raise WindowError(
            _(
                "The closing time must be in the future; %(moment)s has passed.",
                moment=moment_in_words(closes_at),
            ),
            "closes_on",
        )
    if closes_at > now + LONGEST:
        raise WindowError(
            _("A window can stay open for at most a year. Choose an earlier closing date."),
            "closes_on",
        )


def _scope_words(clause: Clause | None) -> str:
    """Name a window's scope inside a sentence, for the audit log (which stays English)."""
    if clause is None:
        return "the whole working draft"
    return f"the clause “{clause.current_revision.heading}”"


def _in_english(summary):
    """Say an audit summary in English, whatever the reader's language: the log keeps it."""
    with force_locale(DEFAULT_LANGUAGE):
        return str(summary())


def open_window(
    charter: Charter,
    by: User,
    *,
    clause: Clause | None,
    closes_at: datetime,
    note: str = "",
    now: datetime | None = None,
) -> ConsultationWindow:
    """Open the working draft, or one clause, for residents' comments until a deadline."""
    now = now or utcnow()
    note = (note or "").strip()
    if clause is not None and (clause.retired or clause.charter_id != charter.id):
        raise WindowError(_("Choose a clause of the working draft."), "scope")
    _check_deadline(closes_at, now)
    if len(note) > NOTE_MAX:
        raise WindowError(_("Keep the note to %(num)d characters.", num=NOTE_MAX), "note")
    running = [
        w
        for w in _scope_windows(charter, clause)
        if w.is_open_at(now) and w.clause_id == (clause.id if clause else None)
    ]
    if running:
        until = moment_in_words(running[0].ends_at)
        if clause is None:
            refused = _(
                "The whole working draft is already open until %(until)s. "
                "Extend that window instead.",
                until=until,
            )
        else:
            refused = _(
                "The clause “%(heading)s” is already open until %(until)s. "
                "Extend that window instead.",
                heading=clause.current_revision.heading,
                until=until,
            )
        raise WindowError(refused, "scope")
    window = ConsultationWindow(
        charter_id=charter.id,
        clause=clause,
        opens_at=now,
        closes_at=closes_at,
        note=note,
        opened_by=by,
        created_at=now,
    )
    db.session.add(window)
    db.session.flush()
    forget_windows()
    record(
        by,
        "consultation.opened",
        "consultation_window",
        window.id,
        _in_english(
            lambda: (
                f"{_scope_words(clause).capitalize()} opened for comment until "
                f"{moment_in_words(closes_at)} (London time)."
            )
        ),
    )
    return window


def _scope_windows(charter: Charter, clause: Clause | None) -> list[ConsultationWindow]:
    return list(
        db.session.scalars(
            db.select(ConsultationWindow).filter_by(
                charter_id=charter.id, clause_id=clause.id if clause else None
            )
        )
    )


def _require_running(window: ConsultationWindow, now: datetime) -> None:
    if not window.is_open_at(now):
        raise WindowError(
            _(
                "This window closed on %(moment)s. Open a new one instead.",
                moment=moment_in_words(window.ends_at),
            )
        )


def extend_window(
    window: ConsultationWindow, by: User, closes_at: datetime, now: datetime | None = None
) -> None:
    """Move a running window's deadline later."""
    now = now or utcnow()
    _require_running(window, now)
    if closes_at <= window.closes_at:
        raise WindowError(
            _(
                "To extend the window, choose a time after its current deadline, %(moment)s.",
                moment=moment_in_words(window.closes_at),
            ),
            "closes_on",
        )
    _check_deadline(closes_at, now)
    before = window.closes_at
    window.closes_at = closes_at
    db.session.flush()
    forget_windows()
    record(
        by,
        "consultation.extended",
        "consultation_window",
        window.id,
        _in_english(
            lambda: (
                f"Comment on {_scope_words(window.clause)} extended from "
                f"{moment_in_words(before)} to {moment_in_words(closes_at)} (London time)."
            )
        ),
    )


def close_window(window: ConsultationWindow, by: User, now: datetime | None = None) -> None:
    """Close a running window now, before its deadline."""
    now = now or utcnow()
    _require_running(window, now)
    window.closed_early_at = now
    db.session.flush()
    forget_windows()
    record(
        by,
        "consultation.closed",
        "consultation_window",
        window.id,
        _in_english(
            lambda: (
                f"Comment on {_scope_words(window.clause)} closed early, on "
                f"{moment_in_words(now)} (it was due to close on "
                f"{moment_in_words(window.closes_at)})."
            )
        ),
    )
