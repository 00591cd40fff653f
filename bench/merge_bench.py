"""Measure the proposal merge on generated edits at controlled distances, against the old one.

For each generated clause, a proposal's edit and the clause's own later edit (replacing,
inserting or deleting words) are placed a given number of unchanged words apart: overlapping,
touching (0 words apart: only spaces or punctuation between), 1, 2, 3, 5 and 10 or more, plus
the same edit made on both sides. Each case is merged with `charter.text.merging.rebase` and
with the character-level diff-match-patch replay it replaced, kept below as the baseline.

  clean     the merge said it fitted
  conflict  the merge refused
  wrong     a clean result that is not exactly the base with both edits (apart, identical),
            or any clean result for overlapping or touching edits

Run from the repository root: .venv/bin/python bench/merge_bench.py [--clauses N] [--seed S]
Nothing here is asserted; the figures are printed.
"""

import argparse
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

from diff_match_patch import diff_match_patch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from charter.text.merging import rebase  # noqa: E402
from charter.text.words import word_spans  # noqa: E402

VOCABULARY = """
data personal resident residents council committee charter clause right rights access consent
purpose purposes share shared sharing store stored keep kept retain retention delete deleted
record records health medical public private privacy fair fairly lawful secure security breach
notify request requests correct explain decision decisions automated model risk risks review
independent audit publish published report annual register plain language service services
partner partners supplier contract only necessary minimum time period years months days within
without unless where when which that this every each any all no not may must should will can
never always before after under over from into about between during the a an and or of to in
on for by with as at is are was has have its their our your they we you it people group
children older anonymous linked combine sensitive location camera city street reason harm
protect protection safeguard complaint appeal respond free copy Board Secretariat Ethics
""".split()  # noqa: SIM905 - a paragraph of words reads better

KINDS = ("replace", "insert", "delete")
DISTANCES = ("overlapping", "touching", "1", "2", "3", "5", "10+", "identical")
APART = {"1": 1, "2": 2, "3": 3, "5": 5, "10+": 10}


def sentence(rng: random.Random) -> str:
    """Make one plain sentence of 8 to 18 words, now and then with a comma."""
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(8, 18))]
    words[0] = words[0].capitalize()
    if rng.random() < 0.3:
        words[rng.randrange(2, len(words) - 1)] += ","
    return " ".join(words) + "."


def clause(rng: random.Random) -> str:
    """Make a clause of two to five sentences."""
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))


def new_words(rng: random.Random, avoid: list[str]) -> str:
    """Pick one to three words to put in, none of them one to avoid."""
    while True:
        words = [rng.choice(VOCABULARY) for _ in range(rng.randint(1, 3))]
        if not {w.lower() for w in words} & set(avoid):
            return " ".join(words)


def edit(rng, text, spans, kind, first, last):
    """Make an edit of the words first..last-1 (an insertion goes before word `first`)."""
    # New words never repeat the words they replace or sit next to: a word diff cannot tell
    # which of two equal neighbours changed, and the bench measures merging, not that.
    near = [text[a:b].lower() for a, b in spans[max(0, first - 1) : last + 1]]
    if kind == "insert":
        at = spans[first][0]
        return at, at, new_words(rng, near) + " "
    start, end = spans[first][0], spans[last - 1][1]
    if kind == "replace":
        return start, end, new_words(rng, near)
    # Deleting takes the space after the last word when there is one, else the one before.
    if text[end : end + 1] == " ":
        return start, end + 1, ""
    return start - 1 if text[start - 1 : start] == " " else start, end, ""


def apply(text: str, *edits) -> str:
    """Make edits, which do not overlap, to text."""
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text


def case(rng: random.Random, text: str, distance: str):
    """Make one (base, proposed, head, expected) case; expected is None where it must conflict."""
    spans = word_spans(text)
    n = len(spans)
    kind_a, kind_b = rng.choice(KINDS), rng.choice(KINDS)
    width_a = 0 if kind_a == "insert" else rng.randint(1, 3)
    width_b = 0 if kind_b == "insert" else rng.randint(1, 3)
    if distance == "identical":
        first = rng.randrange(1, n - 4)
        a = edit(rng, text, spans, kind_a, first, first + width_a)
        return text, apply(text, a), apply(text, a), apply(text, a), None
    if distance == "overlapping":
        width_a = max(width_a, 1)
        kind_a = "replace" if kind_a == "insert" else kind_a
        first = rng.randrange(1, n - 8)
        a = edit(rng, text, spans, kind_a, first, first + width_a)
        at = first + rng.randrange(width_a)  # B starts on or inside A's words
        b = edit(rng, text, spans, kind_b, at, at + width_b)
        gap = None
    else:
        gap = (
            0
            if distance == "touching"
            else APART[distance] + (rng.randint(0, 10) if distance == "10+" else 0)
        )
        if width_a + gap + width_b + 2 > n:
            return None
        first = rng.randrange(1, n - (width_a + gap + width_b) - 1 + 1)
        a = edit(rng, text, spans, kind_a, first, first + width_a)
        second = first + width_a + gap
        b = edit(rng, text, spans, kind_b, second, second + width_b)
        if a[1] > b[0]:  # deleting a trailing space ran into the other edit: not apart
            return None
    proposed, head = apply(text, a), apply(text, b)
    if rng.random() < 0.5:
        proposed, head = head, proposed
    expected = apply(text, a, b) if gap else None  # gap 0 (touching) or overlap: must refuse
    if proposed == head:  # two different edits that come to the same: already made
        expected = proposed
    both = apply(text, a, b) if gap is not None else None  # touching edits do not overlap
    return text, proposed, head, expected, both


def old_rebase(base: str, proposed: str, head: str) -> tuple[bool, str]:
    """The replaced merge: a character-level patch replayed with fuzzy patch_apply."""
    if base == head:
        return True, proposed
    if base == proposed:
        return True, head
    dmp = diff_match_patch()
    dmp.Match_Threshold = 0.25
    dmp.Match_Distance = 500
    dmp.Patch_DeleteThreshold = 0.25
    diffs = dmp.diff_main(base, proposed)
    dmp.diff_cleanupSemantic(diffs)
    patches = dmp.patch_make(base, diffs)
    text, results = dmp.patch_apply(patches, head)
    return all(results), text


def new_rebase(base: str, proposed: str, head: str) -> tuple[bool, str]:
    result = rebase(base, proposed, head)
    return result.clean, result.text


def judge(clean: bool, text: str, expected: str | None) -> str:
    if not clean:
        return "conflict"
    return "clean" if expected is not None and text == expected else "wrong"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clauses", type=int, default=300)
    parser.add_argument("--seed", type=int, default=20240917)
    parser.add_argument("--per-clause", type=int, default=3, help="cases per clause per distance")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    clauses = [clause(rng) for _ in range(args.clauses)]
    cases = {d: [] for d in DISTANCES}
    for text in clauses:
        for distance in DISTANCES:
            for _ in range(args.per_clause):
                made = case(rng, text, distance)
                if made is not None and made[1] != text and made[2] != text:
                    cases[distance].append(made)

    counts = {name: {d: Counter() for d in DISTANCES} for name in ("new", "old")}
    timings = {"new": [], "old": []}
    exact_touching = Counter()  # clean touching results that are still base with both edits
    for distance, made in cases.items():
        for base, proposed, head, expected, both in made:
            for name, merge in (("new", new_rebase), ("old", old_rebase)):
                began = time.perf_counter()
                clean, text = merge(base, proposed, head)
                timings[name].append(time.perf_counter() - began)
                verdict = judge(clean, text, expected)
                counts[name][distance][verdict] += 1
                if verdict == "wrong" and distance == "touching" and text == both:
                    exact_touching[name] += 1

    total = sum(len(c) for c in cases.values())
    print(f"{args.clauses} clauses, seed {args.seed}, {total} cases")
    print(
        "clean = right merge; wrong = clean but not base with both edits, or clean where they meet"
    )
    print(f"{'':<18}{'new merge':^24}{'old merge':^24}")
    print(f"{'distance':<12}{'cases':>6}" + f"{'clean':>8}{'conflict':>9}{'wrong':>7}" * 2)
    for distance in DISTANCES:
        row = f"{distance:<12}{len(cases[distance]):>6}"
        for name in ("new", "old"):
            c = counts[name][distance]
            row += f"{c['clean']:>8}{c['conflict']:>9}{c['wrong']:>7}"
        print(row)
    print(
        "touching cases counted wrong whose text is nonetheless exactly base with both edits: "
        f"new {exact_touching['new']}, old {exact_touching['old']}"
    )
    new_t, old_t = statistics.median(timings["new"]), statistics.median(timings["old"])
    print(
        f"median time per merge: new {new_t * 1e6:.0f} µs, old {old_t * 1e6:.0f} µs "
        f"(new/old = {new_t / old_t:.2f})"
    )


if __name__ == "__main__":
    main()
