"""Throughput of the published-charter pages under gunicorn, as ratios to a trivial route.

Run from the repository root: .venv/bin/python bench/publish_bench.py [--seconds 5] [--threads 8]
Data: a temporary SQLite file, or DATABASE_URL if set (its tables are dropped and remade).
Gunicorn's sync workers close each connection after one response, so every request opens a new
connection. The trivial route is measured first and last; its mean is the baseline.
"""

import argparse
import http.client
import os
import random
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from charter import create_app  # noqa: E402
from charter.accounts.operations import create_user  # noqa: E402
from charter.clauses.operations import create_revision, import_draft  # noqa: E402
from charter.clauses.queries import live_clauses  # noqa: E402
from charter.extensions import db  # noqa: E402
from charter.models import Role  # noqa: E402
from charter.text.drafts import parse_draft  # noqa: E402
from charter.versions.operations import publish_working_draft  # noqa: E402
from config import TestConfig  # noqa: E402

SEED, CLAUSES, WORDS_PER_CLAUSE, CHANGED_CLAUSES, CHANGED_WORDS = 20240611, 50, 150, 35, 0.12
TRIVIAL, TARGET, MAX_REQUESTS = "/bench/trivial", 0.5, 100_000
WORDS = """data personal citizens council committee charter right access consent purpose share
store keep delete record public private privacy transparent accountable fair lawful secure breach
notify request correct explain automated decision algorithm model risk review independent audit
publish report register plain language residents service health housing partner supplier contract
necessary limited years months only never always must may should will the and or of to in for
with people community children anonymous linked sensitive location camera protect appeal"""
VOCABULARY = WORDS.split()


def make_app(uri: str, secret: str):
    """Build the app with test-like settings, a real secret key and the trivial baseline route."""
    overrides = {"TESTING": False, "SECRET_KEY": secret, "SQLALCHEMY_DATABASE_URI": uri}
    app = create_app(TestConfig, overrides)
    app.add_url_rule(TRIVIAL, "bench_trivial", lambda: "ok")
    return app


def served_app():
    """Gunicorn's factory: the same app, configured from the environment this script passes."""
    return make_app(os.environ["BENCH_DATABASE_URI"], os.environ["BENCH_SECRET_KEY"])


def sentence(rng: random.Random) -> str:
    """Make one sentence of 8 to 18 words, now and then with *emphasis* or **strong** words."""
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(8, 18))]
    if rng.random() < 0.3:
        i = rng.randrange(1, len(words))
        words[i] = rng.choice(("*{}*", "**{}**")).format(words[i])
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def clause_body(rng: random.Random) -> str:
    """Make a clause body of about WORDS_PER_CLAUSE words: paragraphs and bulleted lists."""
    blocks, count = [], 0
    while count < WORDS_PER_CLAUSE - 10:
        sentences = [sentence(rng) for _ in range(rng.randint(2, 4))]
        count += sum(len(s.split()) for s in sentences)
        bulleted = rng.random() < 0.35
        blocks.append("\n".join(f"- {s}" for s in sentences) if bulleted else " ".join(sentences))
    return "\n\n".join(blocks)


def reword(rng: random.Random, body: str) -> tuple[str, int]:
    """Swap about CHANGED_WORDS of a body's plain words; return the text and how many changed."""
    words, changed = body.split(" "), 0
    for i, word in enumerate(words):
        if word.isalpha() and rng.random() < CHANGED_WORDS:
            words[i] = rng.choice(VOCABULARY)
            changed += words[i] != word
    return " ".join(words), changed


def build_database(uri: str, secret: str) -> str:
    """Publish version 1, reword many clauses, publish version 2; describe what was made."""
    rng = random.Random(SEED)
    heads = [" ".join(rng.sample(VOCABULARY, 4)).capitalize() for _ in range(CLAUSES)]
    sections = [f"## {h} {{#clause-{n}}}\n\n{clause_body(rng)}" for n, h in enumerate(heads, 1)]
    draft = parse_draft("# Citizen Data Charter\n\nOur promises.\n\n" + "\n\n".join(sections))
    app = make_app(uri, secret)
    with app.app_context():
        db.drop_all()
        db.create_all()
        author = create_user("bench@example.org", "Bench", secrets.token_hex(8), Role.COMMITTEE)
        charter = import_draft(draft, slug=app.config["CHARTER_SLUG"]).charter
        first = datetime(2024, 1, 1, tzinfo=UTC)
        publish_working_draft(charter, changelog="- First text.", published_at=first)
        clauses = live_clauses(charter)
        total = sum(len(c.current_revision.body.split()) for c in clauses)
        words = changed = 0
        for clause in rng.sample(clauses, CHANGED_CLAUSES):
            revision = clause.current_revision
            body, count = reword(rng, revision.body)
            create_revision(clause, revision.heading, body, author=author, note="Reworded.")
            words, changed = words + len(revision.body.split()), changed + count
        publish_working_draft(charter, changelog="- Reworded many clauses.")
        db.session.commit()
    return (
        f"charter: {CLAUSES} clauses, {total} words; version 2 rewords {CHANGED_CLAUSES} clauses, "
        f"{changed} of their {words} words ({100 * changed / words:.1f}%)"
    )


def wait_ready(server: subprocess.Popen, port: int, timeout: float = 30) -> str:
    """Poll until gunicorn serves /versions/2 (bounded by timeout); return that page's ETag."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and server.poll() is None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request("GET", "/versions/2")
            response = conn.getresponse()
            response.read()
            if response.status != 200 or not response.getheader("ETag"):
                raise SystemExit(f"error: /versions/2 answered {response.status} with no ETag")
            return response.getheader("ETag")
        except OSError:
            time.sleep(0.2)
        finally:
            conn.close()
    raise SystemExit(f"error: gunicorn did not answer in time (exit code {server.poll()})")


def hammer(port: int, path: str, headers: dict, seconds: float, threads: int) -> dict:
    """Request path from `threads` threads for `seconds`; return rate, latencies and statuses."""
    deadline = time.perf_counter() + seconds
    latencies, statuses, sizes, lock = [], Counter(), set(), threading.Lock()

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine, seen, size = [], Counter(), set()
        while time.perf_counter() < deadline and len(mine) < MAX_REQUESTS // threads:
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                size.add(len(response.read()))
                seen[response.status] += 1
            except (OSError, http.client.HTTPException) as error:
                seen[type(error).__name__] += 1
                conn.close()
            mine.append(time.perf_counter() - start)
        conn.close()
        with lock:
            latencies.extend(mine)
            statuses.update(seen)
            sizes.update(size)

    cpu, started = resource.getrusage(resource.RUSAGE_SELF), time.perf_counter()
    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed, used = time.perf_counter() - started, resource.getrusage(resource.RUSAGE_SELF)
    client_cpu = used.ru_utime + used.ru_stime - cpu.ru_utime - cpu.ru_stime
    return {
        "rate": len(latencies) / elapsed,
        "median": statistics.median(latencies) * 1000,
        "p95": statistics.quantiles(latencies, n=20)[18] * 1000,
        "statuses": dict(statuses),
        "bytes": sorted(sizes),
        "client_cpu": 100 * client_cpu / elapsed,
    }


def measure(args, uri: str, secret: str) -> list[tuple[str, str, int, dict]]:
    """Serve the app with gunicorn, warm up and measure each URL; always stop gunicorn."""
    with socket.socket() as probe:  # a port that is free right now
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "BENCH_DATABASE_URI": uri, "BENCH_SECRET_KEY": secret}
    command = [
        *(sys.executable, "-m", "gunicorn", "--workers", "2", "--worker-class", "sync"),
        *("--bind", f"127.0.0.1:{port}", "--pythonpath", str(ROOT / "bench")),
        *("--log-level", "warning", "--no-control-socket", "publish_bench:served_app()"),
    ]
    server = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        etag = wait_ready(server, port)
        cases = [
            ("trivial route (first)", TRIVIAL, {}, 200),
            ("published charter page", "/", {}, 200),
            ("compare v1 to v2", "/versions/1/compare/2", {}, 200),
            ("published version page", "/versions/2", {}, 200),
            ("version page, If-None-Match", "/versions/2", {"If-None-Match": etag}, 304),
            ("trivial route (last)", TRIVIAL, {}, 200),
        ]
        results = []
        for label, path, headers, expected in cases:
            hammer(port, path, headers, 1.0, args.threads)  # warm-up
            result = hammer(port, path, headers, args.seconds, args.threads)
            results.append((f"{label} {path}", path, expected, result))
        return results
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main() -> int:
    """Build the data, measure each URL and print rates, ratios, latencies and statuses."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    secret = secrets.token_hex(32)
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as tmp:
        uri = TestConfig.SQLALCHEMY_DATABASE_URI
        if uri.startswith("sqlite"):
            uri = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        print(f"database: {uri.split('@')[-1]}")
        print(build_database(uri, secret))
        print(f"gunicorn: 2 sync workers; client: {args.threads} threads, new connection per "
              f"request, {args.seconds:g} s per URL after a 1 s warm-up")  # fmt: skip
        results = measure(args, uri, secret)
    trivial = statistics.mean(r["rate"] for _, path, _, r in results if path == TRIVIAL)
    print(f"trivial baseline (mean of first and last): {trivial:.1f} req/s")
    failed = False
    for label, _, expected, r in results:
        ok = set(r["statuses"]) == {expected}
        failed |= not ok
        print(
            f"{label + ':':<50} {r['rate']:7.1f} req/s {r['rate'] / trivial:5.2f}x trivial  "
            f"median {r['median']:6.1f} ms  p95 {r['p95']:6.1f} ms  statuses {r['statuses']}  "
            f"bytes {r['bytes']}  client cpu {r['client_cpu']:.0f}%"
            + ("" if ok else f"  ERROR: expected only {expected}")
        )
    if failed:
        print("error: some responses had an unexpected status")
        return 1
    ratio = next(r["rate"] for _, path, _, r in results if path == "/") / trivial
    verdict = "met" if ratio >= TARGET else "NOT met"
    print(f"target: published charter page >= {TARGET}x trivial route: {verdict} ({ratio:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
