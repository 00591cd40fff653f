"""Every public page and API endpoint on a seeded database against a near-empty one, in one run.

Run from the repository root (PostgreSQL must be running):

    .venv/bin/python bench/scale_bench.py [--runs 20] [--reuse]

It builds two databases, or reuses them with --reuse when they already hold a seeded charter:
the seeded one (`charter seed-demo`'s county: 2,000 residents, 10,000 proposals, 100,000
comments, 50,000 supports, 20 versions) and a near-empty one (the same history and clause keys,
a handful of residents, proposals and comments). Building wipes them, so they must be
databases of their own. Then it requests each public GET route of the app (found in its URL
map, so a new route is measured or named as not measured) in-process with Flask's test client,
alternating the two databases run by run, after a warm-up, and prints for each its median and
p95 time, size and SQL query count on both, and the ratios; a page more than 2x slower (median
or p95) than near-empty, a busiest clause page over 100 KB, or a query count that grows with
the data is flagged. Last, it times accepting a proposal on the busiest clause and on a clause
with no comments (the operation the committee's accept route calls, plus the flush and the log
append its commit does, then rolled back so it can be repeated).

Databases: --seeded-url / BENCH_SEEDED_URL and --empty-url / BENCH_EMPTY_URL.
"""

import argparse
import os
import random
import shlex
import statistics
import sys
import time
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from flask_migrate import upgrade  # noqa: E402
from sqlalchemy import event, func, inspect, make_url  # noqa: E402

from charter import create_app  # noqa: E402
from charter.audit import take_log_head  # noqa: E402
from charter.clauses.queries import get_charter, get_clause  # noqa: E402
from charter.extensions import db  # noqa: E402
from charter.models import (  # noqa: E402
    AuditEvent,
    CharterVersion,
    Comment,
    CommentPlacement,
    Proposal,
    ProposalKind,
    Role,
    Support,
    User,
    VersionStatus,
)
from charter.permissions import Audience  # noqa: E402
from charter.proposals.operations import accept_proposal, create_proposal  # noqa: E402
from charter.seeding import (  # noqa: E402
    SeedPlan,
    busiest_clause,
    busiest_proposal_id,
    quiet_clause,
    reword,
    seed_demo,
)
from charter.text.drafts import parse_draft  # noqa: E402
from config import TestConfig  # noqa: E402

DEFAULT_SEEDED = "postgresql://postgres@127.0.0.1:5432/charter_bench"
DEFAULT_EMPTY = "postgresql://postgres@127.0.0.1:5432/charter_bench_empty"
PASSWORD = "bench-resident-password"  # every seeded account's, for bench/load_test.py
NEAR_EMPTY = {"residents": 10, "proposals": 10, "comments": 20, "supports": 10}
RATIO_LIMIT, BUSY_PAGE_KB = 2.0, 100
MIN_RUNS = 5
PUBLIC = (Audience.ANYONE, Audience.SIGNED_OUT)


class Unreachable(SystemExit):
    """PostgreSQL cannot be reached: say how to get one, and stop."""


@dataclass
class Database:
    label: str
    url: str
    app: object = None
    queries: int = 0
    built: str = ""
    sizes: dict = field(default_factory=dict)
    busiest_proposal: int | None = None

    def count_queries(self, *args) -> None:
        self.queries += 1


def _sqlalchemy_url(url: str) -> str:
    return url.replace("postgresql://", "postgresql+psycopg://", 1)


def _libpq_url(url, database: str | None = None) -> str:
    parsed = make_url(url).set(drivername="postgresql")
    if database is not None:
        parsed = parsed.set(database=database)
    return parsed.render_as_string(hide_password=False)


def make_app(url: str):
    """Build the app as it serves, on this database, with limits and hashing as in tests."""
    overrides = {
        "TESTING": False,
        "SECRET_KEY": "scale-bench-only",
        "SQLALCHEMY_DATABASE_URI": _sqlalchemy_url(url),
        "RATELIMIT_ENABLED": False,
        "SITE_URL": "http://localhost",  # the test client's host
        # As in production: comments a change touched are anchored again by a worker.
        "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/14"),
    }
    return create_app(TestConfig, overrides)


def ensure_database(url: str) -> bool:
    """Create the database if it is missing; return whether it was. Stop if unreachable."""
    name = make_url(url).database
    try:
        with psycopg.connect(_libpq_url(url, "postgres"), autocommit=True, connect_timeout=5) as c:
            if c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                return False
            c.execute(f'CREATE DATABASE "{name}"')
            return True
    except psycopg.OperationalError as err:
        raise Unreachable(
            f"error: cannot reach PostgreSQL for {make_url(url).render_as_string()}:\n  {err}\n"
            "Start PostgreSQL (e.g. `service postgresql start`) or point the bench at a server "
            "you may create databases on:\n"
            "  BENCH_SEEDED_URL=postgresql://USER@HOST:5432/charter_bench \\\n"
            "  BENCH_EMPTY_URL=postgresql://USER@HOST:5432/charter_bench_empty \\\n"
            "  .venv/bin/python bench/scale_bench.py\n"
            "Both databases are wiped and rebuilt unless --reuse finds them already seeded."
        ) from err


def _has_seeded_charter() -> bool:
    return inspect(db.engine).has_table("alembic_version") and get_charter() is not None


def _wipe() -> None:
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")


def prepare(database: Database, plan: SeedPlan, args) -> None:
    """Reuse or build one database: wipe it, migrate it and seed it."""
    ensure_database(database.url)
    database.app = make_app(database.url)
    with database.app.app_context():
        if args.reuse and _has_seeded_charter():
            database.built = "reused"
            return
        name = make_url(database.url).database
        if not any(word in name for word in ("bench", "seed")) and not args.wipe_any_name:
            raise SystemExit(
                f"error: refusing to wipe database {name!r}: its name says neither 'bench' nor "
                "'seed'. Use a database of its own, or pass --wipe-any-name if this one may go."
            )
        started = time.perf_counter()
        _wipe()
        upgrade()
        draft = parse_draft(Path(database.app.config["DRAFT_FILE"]).read_text(encoding="utf-8"))
        seed_demo(
            plan,
            draft=draft,
            slug=database.app.config["CHARTER_SLUG"],
            password=args.password,
            say=lambda line: print(f"  [{database.label}] {line}", flush=True),
        )
        database.built = f"built in {time.perf_counter() - started:.0f} s"


def dataset_sizes() -> dict:
    count = lambda model, *where: db.session.scalar(  # noqa: E731
        db.select(func.count()).select_from(model).where(*where)
    )
    return {
        "residents": count(User, User.role == Role.CITIZEN),
        "proposals": count(Proposal),
        "comments": count(Comment),
        "replies": count(Comment, Comment.parent_id.is_not(None)),
        "anchored threads": count(Comment, Comment.exact.is_not(None)),
        "placements": count(CommentPlacement),
        "supports": count(Support),
        "versions": count(CharterVersion, CharterVersion.status == VersionStatus.PUBLISHED),
        "log entries": count(AuditEvent),
    }


@dataclass(frozen=True)
class Sample:
    seconds: float
    size: int
    queries: int
    status: int


def fetch(database: Database, client, path: str) -> Sample:
    database.queries = 0
    started = time.perf_counter()
    response = client.get(path)
    body = response.get_data()
    return Sample(time.perf_counter() - started, len(body), database.queries, response.status_code)


@dataclass
class Measured:
    label: str
    path: str
    seeded: list[Sample]
    empty: list[Sample]


def percentile(values: list[float], share: float) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


def pages(app, samples: dict[str, list[tuple[str, object, object]]]):
    """List (label, seeded path, empty path) for every public GET route, and those left out."""
    adapter = app.url_map.bind("localhost")
    found, left_out = [], []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions.get(rule.endpoint)
        if "GET" not in rule.methods or getattr(view, "audience", None) not in PUBLIC:
            continue
        names = sorted(rule.arguments)
        if any(name not in samples for name in names):
            left_out.append(f"{rule.rule} (no sample value for {', '.join(names)})")
            continue
        for choice in product(*(samples[name] for name in names)):
            labels = [label for label, _, _ in choice if label]
            pairs = list(zip(names, choice, strict=True))
            seeded = adapter.build(rule.endpoint, {name: c[1] for name, c in pairs})
            empty = adapter.build(rule.endpoint, {name: c[2] for name, c in pairs})
            label = rule.rule + (f" ({', '.join(labels)})" if labels else "")
            found.append((label, seeded, empty))
    return found, left_out


def measure_pages(seeded: Database, empty: Database, targets, args) -> list[Measured]:
    clients = {seeded.label: seeded.app.test_client(), empty.label: empty.app.test_client()}
    results = []
    for label, seeded_path, empty_path in targets:
        pair = ((seeded, seeded_path), (empty, empty_path))
        for _ in range(args.warmup):
            for database, path in pair:
                fetch(database, clients[database.label], path)
        got = {seeded.label: [], empty.label: []}
        started = time.perf_counter()
        for run in range(args.runs):
            for database, path in pair:  # alternated, so both see the same machine
                got[database.label].append(fetch(database, clients[database.label], path))
            if run + 1 >= MIN_RUNS and time.perf_counter() - started > args.page_budget:
                break
        results.append(Measured(label, seeded_path, got[seeded.label], got[empty.label]))
        print(f"  measured {label}: {len(got[seeded.label])} runs", flush=True)
    return results


def measure_accept(database: Database, key: str, runs: int, warmup: int) -> tuple[list, int]:
    """Time accepting a fresh proposal on a clause, each run rolled back; return times, threads."""
    times = []
    with database.app.app_context():
        member = db.session.scalar(db.select(User).where(User.may_vote).order_by(User.id))
        author = db.session.scalar(
            db.select(User).where(User.role == Role.CITIZEN).order_by(User.id)
        )
        clause = get_clause(get_charter(), key)
        anchored = db.session.scalar(
            db.select(func.count(Comment.id)).where(
                Comment.clause_id == clause.id,
                Comment.parent_id.is_(None),
                Comment.exact.is_not(None),
            )
        )
        for run in range(warmup + runs):
            charter = get_charter()
            clause = get_clause(charter, key)
            wording = clause.current_revision
            proposal = create_proposal(
                charter,
                author,
                ProposalKind.AMEND,
                clause=clause,
                heading=wording.heading,
                body=reword(random.Random(run), wording.body),
                rationale="Benchmark.",
            )
            db.session.flush()
            started = time.perf_counter()
            accept_proposal(proposal, member, "Benchmark.")
            db.session.flush()
            take_log_head()  # what the route's commit adds: the log entry, chained
            if run >= warmup:
                times.append(time.perf_counter() - started)
            db.session.rollback()
    return times, anchored


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}" if seconds >= 0.01 else f"{seconds * 1000:.1f}"


def report(results: list[Measured], busiest_key: str) -> int:
    """Print the table of figures and ratios; return how many pages are flagged."""
    header = (
        f"{'page':<58} {'seeded ms':>10} {'p95':>7} {'empty ms':>9} {'p95':>7} "
        f"{'x med':>6} {'x p95':>6} {'KB':>8} {'KB empty':>8} {'queries':>9} {'status':>7}  flags"
    )
    print(header)
    print("-" * len(header))
    flagged = 0
    for item in results:
        s = [x.seconds for x in item.seeded]
        e = [x.seconds for x in item.empty]
        s_med, s_p95 = statistics.median(s), percentile(s, 0.95)
        e_med, e_p95 = statistics.median(e), percentile(e, 0.95)
        kb = statistics.median(x.size for x in item.seeded) / 1024
        kb_empty = statistics.median(x.size for x in item.empty) / 1024
        q, q_empty = item.seeded[-1].queries, item.empty[-1].queries
        statuses = sorted({x.status for x in item.seeded} | {x.status for x in item.empty})
        flags = []
        if s_med / e_med > RATIO_LIMIT or s_p95 / e_p95 > RATIO_LIMIT:
            flags.append(f">{RATIO_LIMIT:g}x")
        if item.path.rstrip("/") == f"/clauses/{busiest_key}" and kb > BUSY_PAGE_KB:
            flags.append(f">{BUSY_PAGE_KB} KB")
        if q > q_empty:
            flags.append("queries grow")
        flagged += bool(flags)
        print(
            f"{item.label[:58]:<58} {_ms(s_med):>10} {_ms(s_p95):>7} {_ms(e_med):>9} "
            f"{_ms(e_p95):>7} {s_med / e_med:>6.1f} {s_p95 / e_p95:>6.1f} {kb:>8,.1f} "
            f"{kb_empty:>8,.1f} {q:>4}/{q_empty:<4} {','.join(map(str, statuses)):>7}  "
            + " ".join(flags)
        )
    return flagged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeded-url", default=os.environ.get("BENCH_SEEDED_URL", DEFAULT_SEEDED))
    parser.add_argument("--empty-url", default=os.environ.get("BENCH_EMPTY_URL", DEFAULT_EMPTY))
    parser.add_argument("--reuse", action="store_true", help="keep databases already seeded")
    parser.add_argument("--wipe-any-name", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=20, help="measured requests per page and db")
    parser.add_argument("--warmup", type=int, default=2, help="unmeasured requests first")
    parser.add_argument(
        "--page-budget",
        type=float,
        default=60.0,
        help=f"seconds per page after which to stop (at least {MIN_RUNS} runs are kept)",
    )
    parser.add_argument("--accept-runs", type=int, default=5)
    parser.add_argument("--password", default=PASSWORD, help="for every seeded account")
    for name, default in vars(SeedPlan()).items():
        parser.add_argument(
            f"--{name}", type=int, default=default, help="seeding (default %(default)s)"
        )
    args = parser.parse_args()

    print(f"command: {shlex.join([Path(sys.executable).name, *sys.argv])}")
    plan = SeedPlan(**{name: getattr(args, name) for name in vars(SeedPlan())})
    near_empty = SeedPlan(**{**vars(plan), **NEAR_EMPTY})
    seeded = Database("seeded", args.seeded_url)
    empty = Database("near-empty", args.empty_url)
    for database, database_plan in ((seeded, plan), (empty, near_empty)):
        prepare(database, database_plan, args)
        with database.app.app_context():
            database.sizes = dataset_sizes()
            if database.built == "reused" and (
                database.sizes["comments"] != database_plan.comments
                or database.sizes["versions"] != database_plan.versions
            ):
                print(
                    f"warning: the reused {database.label} database does not match the plan "
                    f"({database.sizes['comments']:,} comments, {database.sizes['versions']} "
                    "versions); run without --reuse to rebuild it",
                    flush=True,
                )
            database.busiest_proposal = busiest_proposal_id()
            event.listen(db.engine, "before_cursor_execute", database.count_queries)
            version = db.session.execute(db.text("SHOW server_version")).scalar()
    with seeded.app.app_context():
        charter = get_charter()
        busiest, quiet = busiest_clause(charter), quiet_clause(charter)
        busiest_key, quiet_key = busiest.key, quiet.key
        busiest_comments = db.session.scalar(
            db.select(func.count(Comment.id)).filter_by(clause_id=busiest.id)
        )
        latest = db.session.scalar(
            db.select(func.max(CharterVersion.number)).filter_by(status=VersionStatus.PUBLISHED)
        )

    print(f"PostgreSQL {version}; {os.cpu_count()} CPUs; in-process Flask test client")
    for database in (seeded, empty):
        sizes = ", ".join(f"{v:,} {k}" for k, v in database.sizes.items())
        url = make_url(database.url).render_as_string()
        print(f"{database.label} ({url}, {database.built}): {sizes}")
    print(
        f"busiest clause: {busiest_key} ({busiest_comments:,} comments); quiet clause: "
        f"{quiet_key}; busiest proposal: {seeded.busiest_proposal} (near-empty: "
        f"{empty.busiest_proposal}); versions compared: 1 and {latest}"
    )
    print(
        f"each page: {args.warmup} warm-up + up to {args.runs} runs per database, alternating, "
        f"stopping after {args.page_budget:g} s (at least {MIN_RUNS} runs)\n"
    )

    samples = {
        "key": [("busiest", busiest_key, busiest_key), ("quiet", quiet_key, quiet_key)],
        "proposal_id": [("busiest", seeded.busiest_proposal, empty.busiest_proposal)],
        "number": [("", latest, latest)],
        "old": [("", 1, 1)],
        "new": [("", latest, latest)],
    }
    targets, left_out = pages(seeded.app, samples)
    targets += [
        (f"/proposals/?clause={busiest_key}", *[f"/proposals/?clause={busiest_key}"] * 2),
        ("/proposals/?sort=support", *["/proposals/?sort=support"] * 2),
        (
            f"/api/v1/proposals?clause={busiest_key}",
            *[f"/api/v1/proposals?clause={busiest_key}"] * 2,
        ),
    ]
    results = measure_pages(seeded, empty, targets, args)
    print()
    flagged = report(results, busiest_key)
    for rule in left_out:
        print(f"not measured: {rule}")

    print("\naccepting a proposal on the seeded database (the operation, flush, log append):")
    figures = {}
    for label, key in (("busiest clause", busiest_key), ("clause with no comments", quiet_key)):
        times, anchored = measure_accept(seeded, key, args.accept_runs, warmup=1)
        figures[label] = statistics.median(times)
        print(
            f"  {label:<24} {key:<24} {anchored:>6,} anchored threads: median "
            f"{_ms(statistics.median(times))} ms, p95 {_ms(percentile(times, 0.95))} ms "
            f"({len(times)} runs)"
        )
    ratio = figures["busiest clause"] / figures["clause with no comments"]
    verdict = "within" if ratio <= RATIO_LIMIT else "NOT within"
    print(f"  ratio busiest / no comments: {ratio:.1f}x ({verdict} {RATIO_LIMIT:g}x)")
    print(f"\n{flagged} of {len(results)} pages flagged.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
