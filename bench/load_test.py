"""Load a local gunicorn with readers and writers; then check every acknowledged write landed once.

Against a gunicorn you started (on a database seeded with `flask --app wsgi charter seed-demo
--password ...`):

    .venv/bin/gunicorn -w 4 -b 127.0.0.1:8000 wsgi:app
    DATABASE_URL=postgresql://... .venv/bin/python bench/load_test.py --password PASSWORD

or let it start (and stop) one, in production mode on that database: add --start [--port 8123].

Readers fetch real pages (clause pages including the busiest, proposals, versions, the feed, the
API); writers each sign in, through the form, as their own seeded residents and post comments,
replies and supports through the real forms with their CSRF tokens. Every comment carries a
unique marker, and every acknowledged write (a redirect) is looked for in the database
afterwards: it must be there exactly once. Writers keep each account under the app's posting
limits (charter/limits.py, the comment routes), rotating accounts rather than loosening limits.

Bounded: only loopback addresses are accepted, the run stops issuing requests after --seconds
(at most 600) and each request times out after --timeout seconds.
"""

import argparse
import ipaddress
import os
import random
import re
import resource
import secrets
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from http import client as http
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from sqlalchemy import bindparam, create_engine, text

ROOT = Path(__file__).resolve().parents[1]
MAX_SECONDS = 600
RESIDENTS = "%@residents.example.org"
_TOKEN = re.compile(
    r'name="csrf_token"[^>]*?value="([^"]+)"|value="([^"]+)"[^>]*?name="csrf_token"'
)
# The app's per-account limits, kept with a margin (10 a minute and 100 a day for comments,
# 60 an hour for supports): the test measures the site, not its refusals.
COMMENTS_PER_MINUTE, COMMENTS_PER_RUN, SUPPORTS_PER_HOUR = 8, 90, 55
ACKNOWLEDGED = (302, 303)


def loopback_url(url: str) -> str:
    """Return the URL's scheme, host and port if it names this machine; refuse anything else."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        local = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    if parts.scheme != "http" or not local:
        raise SystemExit(
            f"error: {url!r} is not a loopback http:// address (127.0.0.0/8, ::1 or localhost). "
            "This load test only targets a server on this machine."
        )
    return f"http://{parts.netloc}"


@dataclass(frozen=True)
class Result:
    status: int | str  # an HTTP status, or the name of the error that stopped the request
    seconds: float
    body: bytes = b""
    location: str = ""


class Browser:
    """One visitor: a cookie jar and plain HTTP/1.1 requests, one connection each (as gunicorn's
    sync workers close every connection after its response)."""

    def __init__(self, base: str, timeout: float):
        parts = urlsplit(base)
        self.origin, self.host, self.port = base, parts.hostname, parts.port or 80
        self.timeout, self.cookies = timeout, {}

    def request(self, method: str, path: str, form: dict | None = None) -> Result:
        headers = {"User-Agent": "charter-load-test"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin  # as a browser sends with a form
        started = time.perf_counter()
        connection = http.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            data = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                self._remember(header)
            return Result(
                response.status,
                time.perf_counter() - started,
                data,
                response.getheader("Location", ""),
            )
        except (OSError, http.HTTPException) as error:
            return Result(type(error).__name__, time.perf_counter() - started)
        finally:
            connection.close()

    def _remember(self, header: str) -> None:
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            gone = morsel["max-age"] == "0" or "1970" in morsel["expires"]
            if gone:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value


def csrf_token(page: bytes) -> str | None:
    match = _TOKEN.search(page.decode("utf-8", "replace"))
    return (match.group(1) or match.group(2)) if match else None


@dataclass
class Site:
    """What the database holds that readers and writers need to find real pages and forms."""

    clauses: list[str]  # live clause keys, busiest first
    latest: int
    busiest_proposal: int | None
    open_proposals: list[tuple[int, int]]  # (id, author id)
    threads: list[int]  # comments that take replies
    accounts: list[tuple[int, str]]  # (id, email) of seeded residents
    supported: set[tuple[int, int]]  # (user id, proposal id)
    comments: int

    @classmethod
    def load(cls, engine, accounts_needed: int, rng: random.Random) -> "Site":
        with engine.connect() as c:
            clauses = [
                row.key
                for row in c.execute(
                    text(
                        "SELECT c.key, (SELECT count(*) FROM comments m WHERE m.clause_id = c.id)"
                        " AS n FROM clauses c WHERE c.retired = false ORDER BY n DESC, c.position"
                    )
                )
            ]
            latest = c.execute(
                text("SELECT max(number) FROM charter_versions WHERE status = 'published'")
            ).scalar()
            busiest_proposal = c.execute(
                text(
                    "SELECT proposal_id FROM comments WHERE proposal_id IS NOT NULL "
                    "GROUP BY proposal_id ORDER BY count(*) DESC LIMIT 1"
                )
            ).scalar()
            open_proposals = [
                tuple(row)
                for row in c.execute(
                    text("SELECT id, author_id FROM proposals WHERE status = 'open' ORDER BY id")
                )
            ]
            threads = list(
                c.execute(
                    text(
                        "SELECT id FROM comments WHERE parent_id IS NULL AND hidden = false "
                        "AND deleted = false ORDER BY id DESC LIMIT 20000"
                    )
                ).scalars()
            )
            accounts = [
                tuple(row)
                for row in c.execute(
                    text("SELECT id, email FROM users WHERE email LIKE :d AND active ORDER BY id"),
                    {"d": RESIDENTS},
                )
            ]
            if len(accounts) < accounts_needed:
                raise SystemExit(
                    f"error: the database has {len(accounts)} seeded residents; this run needs "
                    f"{accounts_needed}. Seed more (charter seed-demo) or use fewer writers."
                )
            accounts = rng.sample(accounts, accounts_needed)
            ids = [a[0] for a in accounts]
            supported = {
                tuple(row)
                for row in c.execute(
                    text(
                        "SELECT user_id, proposal_id FROM supports WHERE user_id IN :ids"
                    ).bindparams(bindparam("ids", expanding=True)),
                    {"ids": ids},
                )
            }
            comments = c.execute(text("SELECT count(*) FROM comments")).scalar()
        if latest is None or not clauses:
            raise SystemExit("error: the database holds no published charter; seed it first.")
        return cls(
            clauses,
            latest,
            busiest_proposal,
            open_proposals,
            threads,
            accounts,
            supported,
            comments,
        )


@dataclass
class Tally:
    """What each thread saw; merged at the end."""

    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)  # (label, status)
    acknowledged: dict[str, str] = field(default_factory=dict)  # marker -> what
    unacknowledged: dict[str, str] = field(default_factory=dict)  # marker -> status
    supports: list[tuple[int, int]] = field(default_factory=list)  # acknowledged (user, prop)
    waited: float = 0.0

    def note(self, label: str, result: Result) -> None:
        self.latencies[label].append(result.seconds)
        self.statuses[(label, result.status)] += 1


def reader_pages(site: Site, rng: random.Random):
    """Return functions choosing a page to read; the two busiest ones make about 10% of reads."""
    busiest = site.clauses[0]
    others = site.clauses[1:] or site.clauses
    proposal_ids = [p[0] for p in site.open_proposals] or [site.busiest_proposal]

    def one(label, make):
        return label, make

    pages = [
        one("/", lambda: "/"),
        one("/draft", lambda: "/draft"),
        one("/clauses/<busiest>", lambda: f"/clauses/{busiest}"),
        one("/clauses/<other>", lambda: f"/clauses/{rng.choice(others)}"),
        one("/clauses/<other>", lambda: f"/clauses/{rng.choice(others)}"),
        one("/proposals/", lambda: "/proposals/"),
        one("/proposals/?page=N", lambda: f"/proposals/?page={rng.randint(2, 50)}"),
        one("/proposals/<id>", lambda: f"/proposals/{rng.choice(proposal_ids)}"),
        one("/versions", lambda: "/versions"),
        one("/versions/<n>", lambda: f"/versions/{rng.randint(1, site.latest)}"),
        one("/versions/<a>/compare/<b>", lambda: f"/versions/1/compare/{site.latest}"),
        one("/versions.atom", lambda: "/versions.atom"),
        one("/transparency", lambda: "/transparency"),
        one("/api/v1/charter", lambda: "/api/v1/charter"),
        one("/api/v1/clauses/<key>", lambda: f"/api/v1/clauses/{rng.choice(site.clauses)}"),
        one("/api/v1/clauses/<busiest>/comments", lambda: f"/api/v1/clauses/{busiest}/comments"),
        one(
            "/api/v1/clauses/<other>/comments",
            lambda: f"/api/v1/clauses/{rng.choice(others)}/comments",
        ),  # noqa: E501
        one("/api/v1/proposals", lambda: "/api/v1/proposals"),
        one("/api/v1/proposals/<id>", lambda: f"/api/v1/proposals/{rng.choice(proposal_ids)}"),
        one(
            "/api/v1/proposals/<id>/comments",
            lambda: f"/api/v1/proposals/{rng.choice(proposal_ids)}/comments",
        ),  # noqa: E501
    ]
    if site.busiest_proposal:
        pages.append(one("/proposals/<busiest>", lambda: f"/proposals/{site.busiest_proposal}"))
    return pages


def read(args, site: Site, deadline: float, tally: Tally, seed: int) -> None:
    rng = random.Random(seed)
    browser = Browser(args.url, args.timeout)
    pages = reader_pages(site, rng)
    while time.monotonic() < deadline:
        label, make = rng.choice(pages)
        tally.note(label, browser.request("GET", make()))
        if args.think:  # a person reads a page before opening the next
            time.sleep(min(rng.expovariate(1 / args.think), max(0.0, deadline - time.monotonic())))


class Account:
    """A seeded resident signed in on its own browser, with what it may still post."""

    def __init__(self, user_id: int, email: str, browser: Browser):
        self.user_id, self.email, self.browser = user_id, email, browser
        self.token: str | None = None
        self.comment_times: deque[float] = deque()
        self.comments = 0
        self.supports = 0

    def sign_in(self, password: str, form_page: str) -> str | None:
        """Sign in through the form and fetch a form page's token; return what went wrong."""
        page = self.browser.request("GET", "/accounts/login")
        token = csrf_token(page.body)
        if page.status != 200 or token is None:
            return f"sign-in page: {page.status}"
        form = {"email": self.email, "password": password, "csrf_token": token}
        answer = self.browser.request("POST", "/accounts/login", form)
        if answer.status not in ACKNOWLEDGED:
            return f"sign-in: {answer.status} (is --password the one seed-demo was given?)"
        page = self.browser.request("GET", form_page)
        self.token = csrf_token(page.body)
        return None if self.token else f"form page {form_page}: {page.status}, no CSRF token"

    def may_comment(self, now: float) -> bool:
        while self.comment_times and now - self.comment_times[0] > 61:
            self.comment_times.popleft()
        return len(self.comment_times) < COMMENTS_PER_MINUTE and self.comments < COMMENTS_PER_RUN

    def may_support(self) -> bool:
        return self.supports < SUPPORTS_PER_HOUR


def write(args, site: Site, accounts: list[Account], run: str, number: int, deadline, tally):
    rng = random.Random(f"{run}:{number}")
    busiest = site.clauses[0]
    sequence = 0
    while time.monotonic() < deadline:
        action = rng.choices(["clause", "proposal", "reply", "support"], [55, 15, 15, 15])[0]
        now = time.monotonic()
        ready = [
            a for a in accounts if (a.may_support() if action == "support" else a.may_comment(now))
        ]
        if not ready:
            pause = min(1.0, max(0.0, deadline - now))
            tally.waited += pause
            time.sleep(pause)
            continue
        account = rng.choice(ready)
        sequence += 1
        marker = f"lt-{run}-{number}-{sequence}"
        form = {"csrf_token": account.token}
        note = f"Load test {marker}: {rng.choice(['I agree.', 'Please explain.', 'Too vague.'])}"
        if action == "clause":
            key = busiest if rng.random() < 0.3 else rng.choice(site.clauses)
            path = f"/comments/clauses/{key}"
            form |= {"body": note, "kind": rng.choice(["comment", "question"]), "paragraph": "0"}
        elif action == "proposal":
            if not site.open_proposals:
                continue
            path = f"/comments/proposals/{rng.choice(site.open_proposals)[0]}"
            form |= {"body": note, "kind": "comment", "paragraph": "0"}
        elif action == "reply":
            path = f"/comments/{rng.choice(site.threads)}/reply"
            form |= {"body": note}
        else:
            choices = [
                p
                for p, author in rng.sample(site.open_proposals, min(20, len(site.open_proposals)))
                if author != account.user_id and (account.user_id, p) not in site.supported
            ]
            if not choices:
                continue
            proposal = choices[0]
            site.supported.add((account.user_id, proposal))  # never twice, even unanswered
            path = f"/proposals/{proposal}/support"
        result = account.browser.request("POST", path, form)
        tally.note(f"POST {action}", result)
        if action == "support":
            account.supports += 1
            if result.status in ACKNOWLEDGED:
                tally.supports.append((account.user_id, proposal))
            continue
        account.comments += 1
        account.comment_times.append(time.monotonic())
        if result.status in ACKNOWLEDGED:
            tally.acknowledged[marker] = action
        else:
            tally.unacknowledged[marker] = str(result.status)


def check_writes(engine, run: str, tallies: list[Tally]) -> dict:
    """Look for every write in the database: acknowledged ones must be there exactly once."""
    acknowledged = {m: a for t in tallies for m, a in t.acknowledged.items()}
    unacknowledged = {m: s for t in tallies for m, s in t.unacknowledged.items()}
    marker = re.compile(rf"lt-{run}-\d+-\d+")
    found = Counter()
    with engine.connect() as c:
        for body in c.execute(
            text("SELECT body FROM comments WHERE body LIKE :m"), {"m": f"%lt-{run}-%"}
        ).scalars():
            found.update(marker.findall(body))
        supports = [(u, p) for t in tallies for u, p in t.supports]
        present = Counter()
        counts_ok, touched = 0, sorted({p for _, p in supports})
        for start in range(0, len(supports), 500):
            batch = supports[start : start + 500]
            for row in c.execute(
                text(
                    "SELECT user_id, proposal_id FROM supports WHERE proposal_id IN :p"
                ).bindparams(bindparam("p", expanding=True)),
                {"p": sorted({p for _, p in batch})},
            ):
                if tuple(row) in set(batch):
                    present[tuple(row)] += 1
        for start in range(0, len(touched), 500):
            for ok in c.execute(
                text(
                    "SELECT p.support_count = (SELECT count(*) FROM supports s "
                    "WHERE s.proposal_id = p.id) FROM proposals p WHERE p.id IN :p"
                ).bindparams(bindparam("p", expanding=True)),
                {"p": touched[start : start + 500]},
            ).scalars():
                counts_ok += bool(ok)
    return {
        "comments acknowledged": len(acknowledged),
        "found exactly once": sum(found[m] == 1 for m in acknowledged),
        "missing": sorted(m for m in acknowledged if found[m] == 0),
        "duplicated": sorted(m for m in found if found[m] > 1),
        "unacknowledged": len(unacknowledged),
        "unacknowledged but present": sorted(m for m in unacknowledged if found[m]),
        "supports acknowledged": len(supports),
        "supports found once": sum(present[s] == 1 for s in supports),
        "supports missing": sorted(s for s in supports if present[s] == 0),
        "proposals touched": len(touched),
        "support counts right": counts_ok,
    }


def start_gunicorn(args, database_url: str, log: Path) -> subprocess.Popen:
    """Serve the app in production mode on this database, on loopback only, logging to log."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", args.port)) == 0:
            raise SystemExit(f"error: something already listens on 127.0.0.1:{args.port}")
    env = {
        **os.environ,
        "CHARTER_ENV": "production",
        "SECRET_KEY": secrets.token_hex(32),
        "SITE_URL": f"http://127.0.0.1:{args.port}",
        "DATABASE_URL": database_url,
        "RATELIMIT_STORAGE_URI": args.limits_storage,
    }
    command = [
        *(sys.executable, "-m", "gunicorn", "--workers", str(args.workers)),
        *("--bind", f"127.0.0.1:{args.port}", "--log-level", "warning", "wsgi:app"),
    ]
    print(f"starting: {shlex.join(command)} (production mode, limits in {args.limits_storage})")
    print(f"gunicorn's log: {log}")
    with log.open("wb") as out:
        server = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    deadline = time.monotonic() + 60
    browser = Browser(args.url, 10)
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"error: gunicorn exited with {server.returncode}")
        if browser.request("GET", "/versions").status == 200:
            return server
        time.sleep(0.5)
    stop_gunicorn(server)
    raise SystemExit("error: gunicorn did not answer /versions within 60 s")


def stop_gunicorn(server: subprocess.Popen) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _quantiles(values: list[float]) -> tuple[float, float, float]:
    if len(values) < 2:
        value = values[0] if values else float("nan")
        return value, value, value
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return statistics.median(values), cuts[94], cuts[98]


def _line(label: str, values: list[float], seconds: float) -> str:
    p50, p95, p99 = _quantiles(values)
    return (
        f"  {label:<40} {len(values):>7,} {len(values) / seconds:>8.1f}/s "
        f"{p50 * 1000:>9,.0f} {p95 * 1000:>9,.0f} {p99 * 1000:>9,.0f}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="a loopback http:// URL")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"))
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--readers", type=int, default=200)
    parser.add_argument("--writers", type=int, default=20)
    parser.add_argument("--accounts-per-writer", type=int, default=6)
    parser.add_argument("--password", default=os.environ.get("SEED_PASSWORD"))
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per request")
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a reader spends on a page before the next (0: none, the worst case)",
    )
    parser.add_argument("--start", action="store_true", help="start and stop gunicorn here")
    parser.add_argument("--port", type=int, default=8000, help="with --start")
    parser.add_argument("--workers", type=int, default=4, help="with --start")
    parser.add_argument(
        "--limits-storage",
        default=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        help="with --start: where its rate-limit counters live (e.g. redis://127.0.0.1:6379/0)",
    )
    args = parser.parse_args()
    if not 0 < args.seconds <= MAX_SECONDS:
        raise SystemExit(f"error: --seconds must be between 0 and {MAX_SECONDS}")
    if not args.database_url:
        raise SystemExit("error: set DATABASE_URL (or --database-url) to the server's database")
    if not args.password:
        raise SystemExit("error: give the seeded residents' password (--password or SEED_PASSWORD)")
    if args.start:
        args.url = f"http://127.0.0.1:{args.port}"
    args.url = loopback_url(args.url)
    database_url = args.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
    run = secrets.token_hex(4)
    rng = random.Random(run)
    engine = create_engine(database_url)
    site = Site.load(engine, args.writers * args.accounts_per_writer, rng)

    print(f"command: {shlex.join([Path(sys.executable).name, *sys.argv])}")
    print(
        f"target: {args.url}; database: {engine.url.render_as_string()} ({site.comments:,} "
        f"comments, {len(site.open_proposals):,} open proposals, busiest clause {site.clauses[0]})"
    )
    print(
        f"run {run}: {args.readers} readers, {args.writers} writers ({args.accounts_per_writer} "
        f"accounts each), {args.seconds:g} s, request timeout {args.timeout:g} s, "
        + (f"readers pause {args.think:g} s on average" if args.think else "readers never pause")
    )
    log = Path(tempfile.gettempdir()) / f"charter-load-test-{run}.log"
    server = start_gunicorn(args, args.database_url, log) if args.start else None
    try:
        return _run(args, site, engine, run, rng)
    finally:
        if server is not None:
            stop_gunicorn(server)
            said = log.read_text(errors="replace")
            print(
                f"gunicorn stopped; its log ({log}) has {said.count('WORKER TIMEOUT')} worker "
                f"timeouts and {said.count('Traceback')} tracebacks"
            )


def _run(args, site: Site, engine, run: str, rng: random.Random) -> int:
    accounts = [
        Account(user_id, email, Browser(args.url, args.timeout)) for user_id, email in site.accounts
    ]
    problems = []
    form_page = f"/clauses/{site.clauses[-1]}"  # the comment form, on the quietest clause

    def sign_in(group):
        for account in group:
            if (problem := account.sign_in(args.password, form_page)) is not None:
                problems.append(f"{account.email}: {problem}")

    started = time.monotonic()
    groups = [accounts[n :: args.writers] for n in range(args.writers)]
    threads = [threading.Thread(target=sign_in, args=(g,)) for g in groups]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if problems:
        print("error: writers could not sign in:\n  " + "\n  ".join(problems[:5]))
        return 1
    print(
        f"{len(accounts)} accounts signed in through the form in {time.monotonic() - started:.1f} s"
    )

    tallies = [Tally() for _ in range(args.readers + args.writers)]
    cpu = resource.getrusage(resource.RUSAGE_SELF)
    started = time.monotonic()
    deadline = started + args.seconds
    workers = [
        threading.Thread(target=read, args=(args, site, deadline, tallies[n], rng.random()))
        for n in range(args.readers)
    ] + [
        threading.Thread(
            target=write,
            args=(args, site, groups[n], run, n, deadline, tallies[args.readers + n]),
        )
        for n in range(args.writers)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.monotonic() - started
    used = resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = used.ru_utime + used.ru_stime - cpu.ru_utime - cpu.ru_stime
    return _report(args, engine, run, tallies, elapsed, client_cpu)


def _report(args, engine, run, tallies, elapsed, client_cpu) -> int:
    readers, writers = tallies[: args.readers], tallies[args.readers :]
    by_page, by_action = defaultdict(list), defaultdict(list)
    for tally in readers:
        for label, values in tally.latencies.items():
            by_page[label].extend(values)
    for tally in writers:
        for label, values in tally.latencies.items():
            by_action[label].extend(values)
    all_reads = [v for values in by_page.values() for v in values]
    all_writes = [v for values in by_action.values() for v in values]
    print(
        f"\nran {elapsed:.1f} s (requests still running at the deadline were let finish); "
        f"client CPU {100 * client_cpu / elapsed:.0f}% of one core"
    )
    print(f"  {'':<40} {'requests':>7} {'rate':>10} {'p50 ms':>9} {'p95 ms':>9} {'p99 ms':>9}")
    print(_line("all requests", all_reads + all_writes, elapsed))
    print(_line("readers", all_reads, elapsed))
    for label in sorted(by_page, key=lambda k: -statistics.median(by_page[k])):
        print(_line(f"  {label}", by_page[label], elapsed))
    print(_line("writers", all_writes, elapsed))
    for label in sorted(by_action):
        print(_line(f"  {label}", by_action[label], elapsed))
    waited = sum(t.waited for t in writers)
    if waited:
        print(f"  writers waited {waited:.0f} s in all for an account under the posting limits")

    statuses = Counter()
    for tally in tallies:
        statuses.update(tally.statuses)
    odd = {
        key: n
        for key, n in statuses.items()
        if not (isinstance(key[1], int) and 200 <= key[1] < 400)
    }
    print("\nstatuses other than 2xx/3xx:" + ("" if odd else " none"))
    for (label, status), n in sorted(odd.items(), key=lambda item: -item[1]):
        print(f"  {status!s:>22} x {n:<6} {label}")

    checked = check_writes(engine, run, tallies)
    print("\nwrites checked in the database:")
    print(
        f"  comments and replies: {checked['comments acknowledged']:,} acknowledged, "
        f"{checked['found exactly once']:,} found exactly once, {len(checked['missing'])} "
        f"missing, {len(checked['duplicated'])} duplicated; {checked['unacknowledged']} not "
        f"acknowledged, of which {len(checked['unacknowledged but present'])} present"
    )
    print(
        f"  supports: {checked['supports acknowledged']:,} acknowledged, "
        f"{checked['supports found once']:,} found, {len(checked['supports missing'])} missing; "
        f"support counts right on {checked['support counts right']:,} of "
        f"{checked['proposals touched']:,} proposals touched"
    )
    for name in ("missing", "duplicated", "supports missing"):
        for item in checked[name][:10]:
            print(f"  {name}: {item}")
    server_errors = sum(
        n for (_, status), n in odd.items() if isinstance(status, int) and status >= 500
    )
    p95 = _quantiles(all_reads)[1] if all_reads else float("nan")
    lost = len(checked["missing"]) + len(checked["duplicated"]) + len(checked["supports missing"])
    counts_wrong = checked["proposals touched"] - checked["support counts right"]
    print("\ntargets:")
    print(f"  no 5xx: {'met' if not server_errors else f'NOT met ({server_errors})'}")
    print(f"  no lost or duplicated write: {'met' if not lost and not counts_wrong else 'NOT met'}")
    print(f"  reader p95 under 1 s: {'met' if p95 < 1 else 'NOT met'} ({p95 * 1000:,.0f} ms)")
    return 1 if lost or counts_wrong else 0


if __name__ == "__main__":
    sys.exit(main())
