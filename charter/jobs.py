"""Background jobs: work a request should not wait for, run by `flask --app wsgi worker`.

With REDIS_URL set, a job is put on the Redis queue once the transaction that asked for it
commits (a rolled-back decision asks for nothing) and a worker runs it, retrying if it
fails. Without it (`flask run`, the tests) a job runs at once, inside the same transaction,
so nothing needs Redis to try the app.
"""

from collections.abc import Callable

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from charter.extensions import db

QUEUE = "charter"
_WAITING = "charter.jobs"
_DEFERRED = "charter.jobs.deferred"


def inline() -> bool:
    """Tell whether jobs run at once, in the request, for want of a queue."""
    return not current_app.config.get("REDIS_URL")


def enqueue(job: Callable, *args) -> None:
    """Run job(*args) in the background after commit, or now if there is no queue."""
    if inline():
        job(*args)
        return
    db.session.info.setdefault(_WAITING, []).append((job, args))


def defer(job: Callable, *args) -> None:
    """Run job(*args) once the transaction commits: queued, or at once after commit without one.

    For work outside the database, such as sending mail: what a rolled-back action asked
    for never happens. A deferred job must not use the database session; the caller commits.
    """
    if not inline():
        enqueue(job, *args)
        return
    db.session.info.setdefault(_DEFERRED, []).append((job, args))


def _queue():
    from redis import Redis
    from rq import Queue

    return Queue(QUEUE, connection=Redis.from_url(current_app.config["REDIS_URL"]))


@sa.event.listens_for(Session, "after_commit")
def _run_deferred_jobs(session: Session) -> None:
    for job, args in session.info.pop(_DEFERRED, []):
        try:
            job(*args)
        except Exception:
            # Without a queue there is no retry: the action is committed and stands, and the
            # resident can ask again ("send the link again").
            current_app.logger.exception("A deferred job failed: %s", job.__name__)


@sa.event.listens_for(Session, "after_commit")
def _send_waiting_jobs(session: Session) -> None:
    waiting = session.info.pop(_WAITING, [])
    if waiting:
        from redis.exceptions import RedisError
        from rq import Retry

        try:
            queue = _queue()
            for job, args in waiting:
                queue.enqueue(run, job, *args, retry=Retry(max=3, interval=[5, 30, 120]))
        except RedisError:
            # The decision is committed and stands; only the follow-up work waits. Pages
            # cope meanwhile, and `flask --app wsgi charter place-comments` catches up.
            current_app.logger.exception("Background jobs not queued: Redis is unreachable")


def run(job: Callable, *args) -> None:
    """Run one job in its own transaction: jobs flush, never commit, like every service."""
    try:
        job(*args)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    finally:
        db.session.remove()  # the next job reads the database afresh


@sa.event.listens_for(Session, "after_rollback")
def _forget_waiting_jobs(session: Session) -> None:
    session.info.pop(_WAITING, None)
    session.info.pop(_DEFERRED, None)


def work(burst: bool = False) -> None:
    """Run jobs until stopped (or, with burst, until the queue is empty), in this app."""
    from rq import SimpleWorker

    # A simple worker runs each job in this process, inside the app context the command
    # opened: no fork, so no database connection is shared with a child.
    queue = _queue()
    SimpleWorker([queue], connection=queue.connection).work(burst=burst)
