"""Measure how fast and how well comments re-anchor on a reworded charter.

Generates (seeded, so every run sees the same text) a 50-clause charter of about 150
words per clause, anchors 1,000 comments on random passages of 1-15 whole words, and
rewords every clause: about 10% of words replaced, lightly edited, deleted or inserted,
and in some clauses a sentence moved, deleted or added. The generator follows every
word to its new place, so each placement can be checked: right words, wrong words
(taking in a word the passage did not have, or none it had), or orphaned.

It then reports, per kind of rewording, how many passages land on the right words, are
orphaned, or land on wrong words, on two generated corpora made by different generators
and seeds (bench/anchor_corpus.py) and on a handful of real rewordings written by hand.
Orphaning counts against the anchoring only where the passage's words remain.

Run from the repository root: .venv/bin/python bench/anchor_bench.py (add -v to list the
passages orphaned although their words remain, and every wrong placement).
"""

import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.anchor_corpus import HAND_WRITTEN, KINDS, Case, corpus  # noqa: E402
from charter.text import words  # noqa: E402
from charter.text.anchoring import (  # noqa: E402
    Anchor,
    Placement,
    make_anchor,
    reanchor,
    reanchor_many,
)

SEED = 20240607
CLAUSES = 50
WORDS_PER_CLAUSE = 150
COMMENTS = 1000
RUNS = 7
STATUS_ORDER = ("exact", "fuzzy", "orphaned")

SUBJECTS = [
    "The council", "The committee", "Every public body", "The city", "Each data controller",
    "Citizens", "A resident", "The data ethics committee", "Any contractor of the city",
    "The municipality", "Every department", "The data protection officer",
]  # fmt: skip
MODALS = ["shall", "must", "may", "should", "will", "may not", "must never"]
VERBS = [
    "publish", "explain", "review", "delete", "protect", "share", "collect", "record",
    "assess", "disclose", "store", "audit", "limit", "justify", "anonymise", "encrypt",
]  # fmt: skip
OBJECTS = [
    "personal data", "the purpose of each dataset", "any automated decision",
    "the results of every audit", "location data", "health records", "data about children",
    "the names of all processors", "records of consent", "the criteria used by algorithms",
    "camera footage from public spaces", "the contracts it signs with suppliers",
]  # fmt: skip
QUALIFIERS = [
    "within thirty days", "in plain language", "before any processing begins",
    "at least once a year", "unless the law requires otherwise", "on the public register",
    "with the consent of the person concerned", "after consulting the committee",
    "so that every citizen can understand it", "and keep a record of the decision",
    "for no longer than is necessary", "in a form that anyone can read",
]  # fmt: skip
CONDITIONS = [
    "Where a citizen asks,", "In an emergency,", "When a new system is bought,",
    "If the data is sensitive,", "Before any sharing,", "Each year,",
]  # fmt: skip
VOCABULARY = sorted({w.strip(",.").lower() for group in (SUBJECTS, VERBS, OBJECTS, QUALIFIERS)
                     for phrase in group for w in phrase.split()})  # fmt: skip


def sentence(rng: random.Random) -> list[str]:
    """Return the words of one charter-like sentence."""
    words = f"{rng.choice(SUBJECTS)} {rng.choice(MODALS)} {rng.choice(VERBS)}".split()
    if rng.random() < 0.3:
        condition = rng.choice(CONDITIONS).split()
        words = condition + [words[0].lower()] + words[1:]
    words += rng.choice(OBJECTS).split() + rng.choice(QUALIFIERS).split()
    words[-1] += "."
    return words


class Clause:
    """One clause as sentences of (word, id) tokens; ids follow words across revisions."""

    def __init__(self, sentences: list[list[tuple[str, int | None]]]) -> None:
        self.sentences = sentences

    @property
    def tokens(self) -> list[tuple[str, int | None]]:
        return [token for s in self.sentences for token in s]

    def text_and_spans(self) -> tuple[str, list[tuple[int, int, int | None]]]:
        """Return the plain text and each token's (start, end, id)."""
        spans, at = [], 0
        for word, ident in self.tokens:
            spans.append((at, at + len(word), ident))
            at += len(word) + 1
        return " ".join(word for word, _ in self.tokens), spans


def make_clause(rng: random.Random, ids: Iterator[int]) -> Clause:
    """Return a new clause of about WORDS_PER_CLAUSE words."""
    sentences, count = [], 0
    while count < WORDS_PER_CLAUSE:
        words = sentence(rng)
        sentences.append([(word, next(ids)) for word in words])
        count += len(words)
    return Clause(sentences)


def light_edit(rng: random.Random, word: str) -> str:
    """Return word with a small edit: case, punctuation or an inflection."""
    kind = rng.randrange(3)
    if kind == 0:
        return word[0].swapcase() + word[1:]
    if kind == 1:
        return word[:-1] if word[-1] in ",." else word + ","
    return word + "s"


def reword(rng: random.Random, clause: Clause, swapped: set[int]) -> Clause:
    """Return a new revision of clause with about 10% of its words changed.

    Words replaced by other words keep their id (they stand in the same place) and are
    added to swapped.
    """
    sentences = []
    for old in clause.sentences:
        new: list[tuple[str, int | None]] = []
        for word, ident in old:
            roll = rng.random()
            if roll < 0.04:
                new.append((rng.choice(VOCABULARY), ident))
                swapped.add(ident)
            elif roll < 0.06:
                new.append((light_edit(rng, word), ident))
            elif roll < 0.08:
                continue  # deleted
            else:
                new.append((word, ident))
            if 0.08 <= roll < 0.10:
                new.append((rng.choice(VOCABULARY), None))  # inserted
        sentences.append(new or [(rng.choice(VOCABULARY), None)])
    if rng.random() < 0.3 and len(sentences) > 2:
        moved = sentences.pop(rng.randrange(len(sentences)))
        sentences.insert(rng.randrange(len(sentences) + 1), moved)
    if rng.random() < 0.15 and len(sentences) > 2:
        sentences.pop(rng.randrange(len(sentences)))
    if rng.random() < 0.15:
        sentences.insert(rng.randrange(len(sentences) + 1), [(w, None) for w in sentence(rng)])
    return Clause(sentences)


def verdict(placement: Placement, passage: set[int], spans: list[tuple[int, int, int | None]]):
    """Return whether a placement is on the right words, wrong words, or orphaned."""
    if placement.status == "orphaned":
        return "orphaned"
    covered = {i for s, e, i in spans if s < placement.end and e > placement.start} - {None}
    return "right" if covered and covered <= passage else "wrong"


def intact(passage: set[int], spans: list[tuple[int, int, int | None]], swapped: set[int]) -> bool:
    """Tell whether every word of a passage is still there, together and in order."""
    if passage & swapped:
        return False
    where = [n for n, (_, _, i) in enumerate(spans) if i in passage]
    if len(where) != len(passage):
        return False
    between = [spans[n][2] for n in range(where[0], where[-1] + 1)]
    return [i for i in between if i is not None] == sorted(passage)


def main() -> None:
    """Generate the charter, time re-anchoring, and check every placement."""
    rng = random.Random(SEED)
    ids = iter(range(10**9))
    old = [make_clause(rng, ids) for _ in range(CLAUSES)]
    swapped: set[int] = set()
    new = [reword(rng, clause, swapped) for clause in old]
    old_texts = [clause.text_and_spans() for clause in old]
    new_texts = [clause.text_and_spans() for clause in new]

    anchors: list[list[Anchor]] = [[] for _ in range(CLAUSES)]
    passages: list[list[set[int]]] = [[] for _ in range(CLAUSES)]
    for _ in range(COMMENTS):
        c = rng.randrange(CLAUSES)
        text, spans = old_texts[c]
        length = rng.randint(1, 15)
        first = rng.randrange(len(spans) - length + 1)
        chosen = spans[first : first + length]
        anchors[c].append(make_anchor(text, chosen[0][0], chosen[-1][1]))
        passages[c].append({i for _, _, i in chosen})

    timings, baseline = [], []
    for _ in range(RUNS):
        # Baseline: the one diff of each clause that re-anchoring cannot do without.
        began = time.perf_counter()
        for c in range(CLAUSES):
            words.diff(words.tokenise(old_texts[c][0]), words.tokenise(new_texts[c][0]))
        baseline.append(time.perf_counter() - began)
        began = time.perf_counter()
        placements = [
            reanchor_many(anchors[c], old_texts[c][0], new_texts[c][0]) for c in range(CLAUSES)
        ]
        timings.append(time.perf_counter() - began)

    statuses, methods, verdicts, wrong, lost = Counter(), Counter(), Counter(), [], []
    for c in range(CLAUSES):
        for anchor, passage, placement in zip(anchors[c], passages[c], placements[c], strict=True):
            statuses[placement.status] += 1
            methods[placement.method] += 1
            result = verdict(placement, passage, new_texts[c][1])
            verdicts[result] += 1
            if result == "wrong":
                wrong.append((c, anchor, placement))
            if result == "orphaned" and intact(passage, new_texts[c][1], swapped):
                lost.append((c, anchor))

    print(f"{COMMENTS} comments on {CLAUSES} clauses, {RUNS} runs")
    print(
        f"time to re-anchor all: median {statistics.median(timings) * 1000:.0f} ms, "
        f"fastest {min(timings) * 1000:.0f} ms; baseline (diffing the 50 clauses once) "
        f"median {statistics.median(baseline) * 1000:.0f} ms, "
        f"ratio {statistics.median(timings) / statistics.median(baseline):.1f}x"
    )
    print("status:", ", ".join(f"{k} {statuses[k] / COMMENTS:.1%}" for k in STATUS_ORDER))
    print("method:", ", ".join(f"{k} {n}" for k, n in methods.most_common()))
    print(
        f"accuracy: right words {verdicts['right']}, wrong words {verdicts['wrong']}, "
        f"orphaned {verdicts['orphaned']} (of which {len(lost)} had every word still there, "
        "together and in order, none replaced)"
    )
    for c, anchor, placement in wrong[:10]:
        text = new_texts[c][0]
        print(f"  wrong: {anchor.exact!r} -> {text[placement.start : placement.end]!r}")
    if "-v" in sys.argv:
        for _, anchor in lost:
            print(f"  lost: {anchor.exact!r}")


def judge(cases: list[Case]) -> tuple[dict, list]:
    """Return, per kind and fate, a Counter of verdicts, and the cases that went astray."""
    table: dict[tuple[str, str], Counter] = {}
    astray = []
    for case in cases:
        anchor = make_anchor(case.old, case.start, case.end)
        placement = reanchor(anchor, case.old, case.new)
        result = case.verdict(placement.status, placement.start, placement.end)
        fate = "remains" if case.fate == "remains" else "gone"  # "partly": orphaning is fair
        table.setdefault((case.kind, fate), Counter())[result] += 1
        if result == "wrong" or (result == "orphaned" and case.fate == "remains"):
            astray.append((case, anchor, placement, result))
    return table, astray


def report(name: str, cases: list[Case]) -> None:
    """Print the per-kind table of right / orphaned / wrong for one corpus."""
    table, astray = judge(cases)
    print(f"\n{name}: {len(cases)} cases")
    print(f"  {'kind':<24} {'words':<8} {'cases':>5} {'right':>6} {'orphaned':>9} {'wrong':>6}")
    totals = {fate: Counter() for fate in ("remains", "gone")}
    for kind in KINDS:
        for fate in ("remains", "gone"):
            counts = table.get((kind, fate))
            if not counts:
                continue
            totals[fate].update(counts)
            n = sum(counts.values())
            print(
                f"  {kind:<24} {fate:<8} {n:>5} {counts['right']:>6} "
                f"{counts['orphaned']:>9} {counts['wrong']:>6}"
            )
    for fate, counts in totals.items():
        n = sum(counts.values())
        print(
            f"  {'all':<24} {fate:<8} {n:>5} {counts['right']:>6} {counts['orphaned']:>9} "
            f"{counts['wrong']:>6}"
            + (f"   orphaned {counts['orphaned'] / n:.1%}" if fate == "remains" else "")
        )
    if "-v" in sys.argv:
        for case, anchor, placement, result in astray:
            got = case.new[placement.start : placement.end] if placement.start is not None else ""
            print(f"  {result} [{case.kind}/{case.language}] {anchor.exact!r} -> {got!r}")
            print(f"      old: {case.old!r}\n      new: {case.new!r}")


def report_hand_written() -> None:
    """Print how the hand-written real rewordings come out."""
    counts = Counter()
    for old, quote, new, expected in HAND_WRITTEN:
        at = old.index(quote)
        placement = reanchor(make_anchor(old, at, at + len(quote)), old, new)
        got = None if placement.start is None else new[placement.start : placement.end]
        if got == expected:
            counts["right"] += 1
        else:
            counts["orphaned" if got is None else "wrong"] += 1
            print(f"  hand-written: {quote!r} -> {got!r}, expected {expected!r}")
    print(
        f"\nhand-written real rewordings: {len(HAND_WRITTEN)} cases, right {counts['right']}, "
        f"orphaned {counts['orphaned']}, wrong {counts['wrong']}"
    )


if __name__ == "__main__":
    main()
    report("corpus A (seed 1, template sentences)", corpus(1, "A", 200))
    report("corpus B (seed 2, Zipf word streams, heavier edits)", corpus(2, "B", 200))
    report_hand_written()
