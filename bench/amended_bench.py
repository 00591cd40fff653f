"""Competing sets and the draft as amended on a clause with 50 open proposals.

Run from the repository root: .venv/bin/python bench/amended_bench.py [--runs 7] [--proposals 50]
Data: a temporary SQLite file, or DATABASE_URL if set (its tables are dropped and remade).
The draft charter gets one more clause of about 150 words, with N open proposals, each
rewording one to three words somewhere in it, so some compete and most do not. Timed, with
every cache emptied first:
- the pure work (charter/text/competing): which proposals collide, the sets, and the clause
  as amended by all of them in order;
- the same through the app: GET /clauses/<key>/competing and GET /draft/as-amended, whole
  requests with their queries and templates.
The baseline is the naive way measured in the same run: a full three-way merge for every pair
of proposals (N(N-1)/2 merges), which the quick check on each proposal's changes avoids. The
target is under 200 ms to compute the as-amended clause with 50 proposals.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.publish_bench import clause_body  # noqa: E402
from charter import create_app  # noqa: E402
from charter.accounts.operations import create_user  # noqa: E402
from charter.clauses.operations import add_clause, import_draft  # noqa: E402
from charter.clauses.queries import get_charter  # noqa: E402
from charter.extensions import db  # noqa: E402
from charter.models import ProposalKind, Role  # noqa: E402
from charter.proposals import competing as service  # noqa: E402
from charter.proposals.operations import create_proposal  # noqa: E402
from charter.text import competing  # noqa: E402
from charter.text.drafts import parse_draft  # noqa: E402
from charter.text.merging import rebase  # noqa: E402
from config import TestConfig  # noqa: E402


def reworded(body: str, rng: random.Random, n: int) -> str:
    """Replace one to three neighbouring words somewhere in the body."""
    words = body.split(" ")
    at = rng.randrange(len(words) - 3)
    span = rng.randint(1, 3)
    words[at : at + span] = [f"new{n}word{k}" for k in range(span)]
    return " ".join(words)


def median_ms(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        service._head.cache_clear()
        service._rivals.cache_clear()
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--proposals", type=int, default=50)
    args = parser.parse_args()
    overrides = {}
    if not os.environ.get("DATABASE_URL"):  # else TestConfig reads it
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite"
    app = create_app(TestConfig, overrides)
    rng = random.Random(20261205)
    with app.app_context():
        db.drop_all()
        db.create_all()
        draft = parse_draft((ROOT / "drafts/citizen-data-charter.md").read_text())
        import_draft(draft, slug=app.config["CHARTER_SLUG"])
        charter = get_charter()
        clause = add_clause(charter, "A busy clause", clause_body(rng))
        author = create_user(
            "bench@example.org", "Bench Author", "a long bench password", Role.CITIZEN
        )
        body = clause.current_revision.body
        texts = [reworded(body, rng, n) for n in range(args.proposals)]
        for text in texts:
            create_proposal(
                charter,
                author,
                ProposalKind.AMEND,
                clause=clause,
                heading=clause.current_revision.heading,
                body=text,
                rationale="Bench.",
            )
        db.session.commit()
        heading, key = clause.current_revision.heading, clause.key

    wordings = [competing.Wording(i, heading, t) for i, t in enumerate(texts)]

    def naive():
        for k, a in enumerate(texts):
            for b in texts[k + 1 :]:
                rebase(body, a, b)

    def pure():
        head = competing.Clause(heading, body)
        found = competing.rivals(head, wordings)
        competing.competing_sets(found)
        competing.amend(head, wordings)

    client = app.test_client()

    def page(url):
        def fetch():
            response = client.get(url)
            assert response.status_code == 200, url

        return fetch

    with app.app_context():
        head = competing.Clause(heading, body)
        sets = competing.competing_sets(competing.rivals(head, wordings))
        amended = competing.amend(head, wordings)
    baseline = median_ms(naive, max(3, args.runs // 2))
    rows = [
        ("pairwise full merges (baseline)", baseline),
        ("rivals, sets and as-amended (pure)", median_ms(pure, args.runs)),
        (f"GET /clauses/{key}/competing", median_ms(page(f"/clauses/{key}/competing"), args.runs)),
        ("GET /draft/as-amended (all chosen)", 0.0),
    ]
    chosen = "&".join(f"proposal={i + 1}" for i in range(args.proposals))
    rows[-1] = (rows[-1][0], median_ms(page(f"/draft/as-amended?chosen=1&{chosen}"), args.runs))
    with app.app_context():
        print(f"Database: {db.engine.dialect.name}")
    print(
        f"{args.proposals} open proposals on one clause of {len(body.split())} words: "
        f"{len(sets)} competing sets, {len(amended.applied)} applied together, "
        f"{len(amended.collided)} left out; medians of {args.runs} runs, caches emptied"
    )
    print(f"{'':38} {'ms':>8} {'ratio':>7}")
    for name, ms in rows:
        print(f"{name:38} {ms:8.1f} {ms / baseline:7.2f}")


if __name__ == "__main__":
    main()
