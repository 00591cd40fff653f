"""Accepting a proposal on a clause with 0 to 50,000 anchored comments, as ratios to 0.

Run from the repository root: .venv/bin/python bench/accept_bench.py [--runs 7]
Data: a temporary SQLite file, or DATABASE_URL if set (its tables are dropped and remade).
Each size gets its own clause of about 150 words; its anchored threads sit on passages spread
over the whole text and are bulk-inserted with their placement rows, as `charter seed-demo`
does. Each run opens a proposal that rewords one sentence and times accept_proposal plus the
commit, which is what the committee's "Accept" button waits for. Only the threads on the
reworded sentence need anchoring again and marking addressed, and a background worker does
that (REDIS_URL, default redis://127.0.0.1:6379/14, is emptied first), so the accept should
not grow with the discussion; the worker's own time is printed beside it. --inline runs the
jobs in the request, as `flask run` without Redis does.
"""

import argparse
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from redis import Redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.publish_bench import clause_body  # noqa: E402
from charter import create_app  # noqa: E402
from charter.accounts.operations import create_user  # noqa: E402
from charter.clauses.operations import add_clause, import_draft  # noqa: E402
from charter.clauses.queries import get_charter  # noqa: E402
from charter.comments.placing import scope_key, target_key, wording_text  # noqa: E402
from charter.extensions import db  # noqa: E402
from charter.jobs import inline, work  # noqa: E402
from charter.models import Clause, Comment, CommentPlacement, ProposalKind, Role, User  # noqa: E402
from charter.proposals.operations import accept_proposal, create_proposal  # noqa: E402
from charter.text.anchoring import make_anchor  # noqa: E402
from charter.text.drafts import parse_draft  # noqa: E402
from charter.text.words import word_spans  # noqa: E402
from config import TestConfig  # noqa: E402

SIZES = (0, 500, 5_000, 50_000)


def seed_threads(clause, author, count: int, rng: random.Random) -> None:
    """Bulk-insert anchored threads on passages of one to six words anywhere in the clause."""
    revision = clause.current_revision
    text = wording_text(revision).text
    spans = word_spans(text)
    comments, placements = [], []
    for n in range(count):
        first = rng.randrange(len(spans) - 6)
        anchor = make_anchor(text, spans[first][0], spans[first + rng.randint(0, 5)][1])
        comments.append(
            {
                "clause_id": clause.id,
                "revision_id": revision.id,
                "body": f"Comment {n}",
                "author_id": author.id,
                "exact": anchor.exact,
                "prefix": anchor.prefix,
                "suffix": anchor.suffix,
                "start": anchor.start,
                "end": anchor.end,
            }
        )
    for batch in range(0, len(comments), 5_000):
        rows = comments[batch : batch + 5_000]
        ids = db.session.scalars(db.insert(Comment).returning(Comment.id), rows).all()
        placements += [
            {
                "comment_id": comment_id,
                "scope": scope_key(revision),
                "target": target_key(revision),
                "status": "exact",
                "start": row["start"],
                "end": row["end"],
                "shown": True,
            }
            for comment_id, row in zip(ids, rows, strict=True)
        ]
    if placements:
        db.session.execute(db.insert(CommentPlacement), placements)
    db.session.commit()


def time_accepts(clause_id: int, people: tuple[int, int], runs: int, rng: random.Random):
    """Return the accept times and the worker times, in seconds."""
    times, worker = [], []
    for n in range(runs):
        # A worker ends the session it ran in: read everything afresh for each run.
        clause = db.session.get(Clause, clause_id)
        author, member = (db.session.get(User, i) for i in people)
        body = clause.current_revision.body
        sentences = body.split(". ")
        at = rng.randrange(len(sentences))
        sentences[at] = f"Reworded in run {n} with new words"
        proposal = create_proposal(
            clause.charter,
            author,
            ProposalKind.AMEND,
            clause=clause,
            heading=clause.current_revision.heading,
            body=". ".join(sentences),
            rationale="Bench.",
        )
        db.session.commit()
        started = time.perf_counter()
        accept_proposal(proposal, member, "Bench.")
        db.session.commit()
        times.append(time.perf_counter() - started)
        if not inline():
            started = time.perf_counter()
            work(burst=True)
            worker.append(time.perf_counter() - started)
    return times, worker


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--inline", action="store_true", help="run jobs in the request")
    args = parser.parse_args()
    logging.getLogger("rq").setLevel(logging.WARNING)  # the worker reports every job
    overrides = {"REDIS_URL": None}
    if not args.inline:
        overrides["REDIS_URL"] = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14")
        Redis.from_url(overrides["REDIS_URL"]).flushdb()
    if not os.environ.get("DATABASE_URL"):
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tempfile.mkdtemp()}/accept.db"
    app = create_app(TestConfig, overrides)
    rng = random.Random(11)
    with app.app_context():
        db.drop_all()
        db.create_all()
        draft = parse_draft((ROOT / "drafts/citizen-data-charter.md").read_text())
        import_draft(draft, slug=app.config["CHARTER_SLUG"])
        author = create_user("resident@example.org", "Resident", "bench-password-1", Role.CITIZEN)
        member = create_user("member@example.org", "Member", "bench-password-1", Role.COMMITTEE)
        db.session.commit()
        people = (author.id, member.id)
        jobs = "in the request" if args.inline else "by a worker"
        print(f"Database: {db.engine.dialect.name}; {args.runs} accepts per size, medians;")
        print(f"touched threads anchored again {jobs}")
        print(
            f"{'anchored threads':>17} {'accept ms':>10} {'max ms':>8} {'ratio':>6}"
            f" {'worker ms':>10}"
        )
        baseline = None
        for size in SIZES:
            clause = add_clause(get_charter(), f"Bench clause {size}", clause_body(rng))
            db.session.commit()
            seed_threads(clause, db.session.get(User, people[0]), size, rng)
            times, worker = time_accepts(clause.id, people, args.runs, rng)
            median = statistics.median(times)
            baseline = baseline or median
            behind = f"{statistics.median(worker) * 1000:>10.1f}" if worker else f"{'-':>10}"
            print(
                f"{size:>17,} {median * 1000:>10.1f} {max(times) * 1000:>8.1f} "
                f"{median / baseline:>6.2f} {behind}"
            )


if __name__ == "__main__":
    main()
