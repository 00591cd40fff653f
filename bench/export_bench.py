"""Time the downloads: the whole charter as Markdown, Word and PDF; a comparison as Word and PDF.

Run from the repository root: .venv/bin/python bench/export_bench.py [--runs 20]
Data: a temporary SQLite file. Version 1 is drafts/citizen-data-charter.md; version 2 rewords a
third of its clauses, adds one and removes one. Times are medians in milliseconds, in-process
(no HTTP), with the word-diff cache emptied before every run; Word and PDF are given as a ratio
to the Markdown baseline (a comparison: to the word diff alone) measured in the same run. The
PDF rows lay the page out with WeasyPrint each time; --runs applies to them too. The verify rows
time `charter verify FILE`'s check of each kind of copy, as a ratio to checking the Markdown.
"""

import argparse
import io
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from charter import create_app  # noqa: E402
from charter.changes import _rendered  # noqa: E402
from charter.clauses.operations import create_revision, import_draft  # noqa: E402
from charter.clauses.queries import live_clauses  # noqa: E402
from charter.extensions import db  # noqa: E402
from charter.text.diffing import compare  # noqa: E402
from charter.text.drafts import parse_draft  # noqa: E402
from charter.versions.comparing import compare_versions  # noqa: E402
from charter.versions.copies import (  # noqa: E402
    check_copy,
    comparison_docx,
    comparison_pdf,
    markdown_copy,
    version_docx,
    version_pdf,
)
from charter.versions.operations import publish_working_draft  # noqa: E402
from charter.versions.queries import get_published, published_versions  # noqa: E402
from config import TestConfig  # noqa: E402

DRAFT = ROOT / "drafts" / "citizen-data-charter.md"


def _seed(charter) -> None:
    publish_working_draft(charter, changelog="- The first agreed text.")
    rng = random.Random(20261204)
    clauses = live_clauses(charter)
    for clause in clauses[::3]:
        words = clause.current_revision.body.split(" ")
        for _ in range(max(1, len(words) // 10)):
            words[rng.randrange(len(words))] = rng.choice(["residents", "never", "shared", "—"])
        create_revision(clause, clause.current_revision.heading + " (revised)", " ".join(words))
    clauses[-1].retired = True
    publish_working_draft(charter, changelog="- Reworded, one clause taken out.")


def _median_ms(action, runs: int) -> float:
    times = []
    for _ in range(runs):
        compare.cache_clear()
        _rendered.cache_clear()
        db.session.expire_all()
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        uri = f"sqlite:///{folder}/bench.db"
        app = create_app(TestConfig, {"SQLALCHEMY_DATABASE_URI": uri})
        # A request context: a comparison's page links to the site, as it does when served.
        with app.test_request_context():
            db.create_all()
            charter = import_draft(parse_draft(DRAFT.read_text()), slug="bench").charter
            _seed(charter)
            db.session.commit()
            size = len(markdown_copy(get_published(charter, 2)))

            def version(n):
                return get_published(charter, n)

            rows = {
                "whole charter, Markdown": lambda: markdown_copy(version(2)),
                "whole charter, Word": lambda: version_docx(version(2)),
                "whole charter, PDF": lambda: version_pdf(version(2)),
                "comparison 1 to 2, word diff only": lambda: [
                    (c.change.heading, c.change.body)
                    for c in compare_versions(version(1), version(2)).clauses
                ],
                "comparison 1 to 2, Word redline": lambda: comparison_docx(
                    compare_versions(version(1), version(2))
                ),
                "comparison 1 to 2, PDF": lambda: comparison_pdf(
                    compare_versions(version(1), version(2))
                ),
            }
            # `charter verify FILE` on each kind of copy, against the Markdown copy's check.
            copies = {
                "verify: Markdown copy": markdown_copy(version(2)).encode(),
                "verify: Word copy": version_docx(version(2)),
                "verify: Word redline 1 to 2": comparison_docx(
                    compare_versions(version(1), version(2))
                ),
                "verify: PDF copy": version_pdf(version(2)),
            }
            for name, data in copies.items():
                assert check_copy(name, data, published_versions(charter)).ok, name
                rows[name] = lambda data=data: check_copy("copy", data, published_versions(charter))
            times = {name: _median_ms(action, args.runs) for name, action in rows.items()}
            pages = {
                name: len(PdfReader(io.BytesIO(rows[name]())).pages)
                for name in rows
                if name.endswith("PDF") and not name.startswith("verify")
            }
    clauses = len(parse_draft(DRAFT.read_text()).clauses)
    print(f"{DRAFT.name}: {clauses} clauses, {size:,} characters; median of {args.runs} runs")
    markdown = times["whole charter, Markdown"]
    diff = times["comparison 1 to 2, word diff only"]
    check = times["verify: Markdown copy"]
    for name, ms in times.items():
        kind = name.split(":")[0].split(",")[0]
        base = {"whole charter": markdown, "verify": check}.get(kind, diff)
        note = f"   {pages[name]} pages" if name in pages else ""
        print(f"  {name:<36} {ms:8.2f} ms   {ms / base:6.1f}x{note}")


if __name__ == "__main__":
    main()
