"""Time the tracked-change diff on a whole charter: 50 clauses of ~150 words, ~10% changed.

Run from the repository root: .venv/bin/python bench/diff_bench.py [--repeat N]
Figures are medians over repeated runs in one process; nothing here is asserted.
"""

import argparse
import difflib
import hashlib
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from charter.text import diffing  # noqa: E402
from charter.text import words as engine  # noqa: E402

SEED = 20240611
CLAUSES = 50
WORDS_PER_CLAUSE = 150
SUBSTITUTED_WORDS = 0.04
CHANGED_CLAUSES_IN_TYPICAL_VERSION = 10

WORDS = """
data personal citizen citizens council committee charter clause right rights access
consent purpose purposes processing process processed share shared sharing store stored
storage keep kept retain retention delete deleted deletion record records public private
privacy transparency transparent accountable accountability fair fairly lawful lawfully
secure security breach notify notified request requests correct correction explain
explanation automated decision decisions algorithm algorithms model models risk risks
assessment assess review reviewed independent oversight audit audited publish published
report reports annual register openly clear plain language residents service services
health education housing transport benefits partner partners supplier suppliers contract
contracts third party parties only necessary minimum minimise limited time period years
months days within without unless where when which that this these those every each any
all no not may must should will shall can cannot never always before after under over
from into onto about across between through during against among the a an and or of to
in on for by with as at be is are was were has have had its their our your they we you
it people group groups community communities children young older vulnerable anonymous
anonymised pseudonymised identify identified identifiable linked linking combine combined
sensitive special category categories location biometric camera cameras sensor sensors
city street streets neighbourhood reason reasons benefit harm harms protect protected
protection safeguard safeguards complain complaint complaints appeal appeals respond
response days working free charge format formats machine readable copy copies portable
"""
VOCABULARY = WORDS.split()

LINKS = ["https://example.org/law", "https://example.org/register", "mailto:dpo@example.org"]


def sentence(rng: random.Random) -> str:
    """Make one plain sentence of 8 to 20 words, now and then with emphasis or a link."""
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(8, 20))]
    if rng.random() < 0.15:
        i = rng.randrange(len(words))
        words[i] = f"**{words[i]}**"
    if rng.random() < 0.1:
        i = rng.randrange(len(words) - 1)
        words[i : i + 2] = [f"[{words[i]} {words[i + 1]}]({rng.choice(LINKS)})"]
    if rng.random() < 0.2:
        i = rng.randrange(1, len(words))
        words[i - 1] += ","
    return words[0].capitalize() + " " + " ".join(words[1:]) + rng.choice("....;!?")[:1]


def clause(rng: random.Random) -> list[list[str]]:
    """Make a clause body as paragraphs of sentences, about WORDS_PER_CLAUSE words long."""
    paragraphs, count = [], 0
    while count < WORDS_PER_CLAUSE - 20:
        paragraph = [sentence(rng) for _ in range(rng.randint(2, 4))]
        count += sum(len(s.split()) for s in paragraph)
        paragraphs.append(paragraph)
    return paragraphs


def markdown(paragraphs: list[list[str]]) -> str:
    """Join paragraphs; a paragraph of four sentences becomes a bulleted list."""
    blocks = []
    for paragraph in paragraphs:
        if len(paragraph) == 4:
            blocks.append("\n".join(f"- {s}" for s in paragraph))
        else:
            blocks.append(" ".join(paragraph))
    return "\n\n".join(blocks)


def revise(rng: random.Random, paragraphs: list[list[str]]) -> list[list[str]]:
    """Insert, delete or move a sentence, then change a few of the words.

    A sentence is ~14 words, so with SUBSTITUTED_WORDS this touches ~10% of a clause's words.
    """
    paragraphs = [list(p) for p in paragraphs]
    action = ("insert", "delete", "move")[rng.randrange(3)]
    p = rng.randrange(len(paragraphs))
    if action == "insert":
        paragraphs[p].insert(rng.randint(0, len(paragraphs[p])), sentence(rng))
    elif len(paragraphs[p]) > 1:
        moved = paragraphs[p].pop(rng.randrange(len(paragraphs[p])))
        if action == "move":
            q = rng.randrange(len(paragraphs))
            paragraphs[q].insert(rng.randint(0, len(paragraphs[q])), moved)
    revised = []
    for paragraph in paragraphs:
        sentences = []
        for s in paragraph:
            words = s.split(" ")
            for i, word in enumerate(words):
                if word.isalpha() and rng.random() < SUBSTITUTED_WORDS:
                    words[i] = rng.choice(VOCABULARY)
            sentences.append(" ".join(words))
        revised.append(sentences)
    return revised


def build() -> tuple[list[str], list[str]]:
    """Build the seeded charter and its revision, as Markdown clause bodies."""
    rng = random.Random(SEED)
    old, new = [], []
    for _ in range(CLAUSES):
        paragraphs = clause(rng)
        old.append(markdown(paragraphs))
        new.append(markdown(revise(rng, paragraphs)))
    return old, new


def median_ms(run, repeat: int) -> float:
    """Run once to warm up, then return the median wall time of repeat runs in ms."""
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> None:
    """Print the benchmark figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=31)
    repeat = parser.parse_args().repeat

    old, new = build()
    pairs = list(zip(old, new, strict=True))
    old_tokens = [diffing.tokenise(t) for t in old]
    new_tokens = [diffing.tokenise(t) for t in new]
    token_pairs = list(zip(old_tokens, new_tokens, strict=True))
    words = sum(len(t.split()) for t in old)
    parts = [p for a, b in pairs for p in diffing.diff_words(a, b)]
    deleted = sum(len(p.text.split()) for p in parts if p.op == "delete")
    inserted = sum(len(p.text.split()) for p in parts if p.op == "insert")

    def tokenising():
        for a, b in pairs:
            diffing.tokenise(a)
            diffing.tokenise(b)

    def ours_on_texts():
        for a, b in pairs:
            diffing.diff_words(a, b)

    def ours_on_tokens():
        for a, b in token_pairs:
            diffing.diff_tokens(a, b)

    def stdlib_on_tokens():
        for a, b in token_pairs:
            difflib.SequenceMatcher(None, a, b).get_opcodes()

    # A typical new version changes a few clauses; the rest keep their revision, so their
    # stored content hashes are equal and no diff is needed.
    typical_new = [
        b if i < CHANGED_CLAUSES_IN_TYPICAL_VERSION else a for i, (a, b) in enumerate(pairs)
    ]
    hashed = [
        (a, b, hashlib.sha256(a.encode()).hexdigest(), hashlib.sha256(b.encode()).hexdigest())
        for a, b in zip(old, typical_new, strict=True)
    ]

    def skipping_equal_hashes():
        return [
            (diffing.Part("equal", b),) if ha == hb else diffing.diff_words(a, b)
            for a, b, ha, hb in hashed
        ]

    def diffing_every_clause():
        for a, b, _, _ in hashed:
            diffing.diff_words(a, b)

    per_clause = [
        median_ms(lambda a=a, b=b: diffing.diff_words(a, b), max(5, repeat // 3)) for a, b in pairs
    ]
    typical = f"{CHANGED_CLAUSES_IN_TYPICAL_VERSION} of {CLAUSES} clauses changed"

    def show(label: str, value: float, unit: str = "ms") -> None:
        print(f"{label + ':':<58}{value:8.2f} {unit}".rstrip())

    print(f"backend: {engine.BACKEND}; python {sys.version.split()[0]}; runs: {repeat}")
    print(
        f"charter: {CLAUSES} clauses, {words} words, {sum(map(len, old_tokens))} tokens "
        f"(old side); {deleted / words:.0%} of old words deleted, "
        f"{inserted / sum(len(t.split()) for t in new):.0%} of new words inserted"
    )
    texts_ms = median_ms(ours_on_texts, repeat)
    ours_ms = median_ms(ours_on_tokens, repeat)
    stdlib_ms = median_ms(stdlib_on_tokens, repeat)
    show("whole-charter tracked-change diff (tokenise + diff)", texts_ms)
    show("  tokenising both sides of every clause", median_ms(tokenising, repeat))
    show("per-clause diff, median", statistics.median(per_clause))
    show("per-clause diff, slowest clause", max(per_clause))
    show("whole charter on token lists, ours", ours_ms)
    show("whole charter on token lists, difflib get_opcodes", stdlib_ms)
    show("ratio ours / difflib on the same word lists", ours_ms / stdlib_ms, "")
    show("ratio ours with tokenising / difflib on word lists", texts_ms / stdlib_ms, "")
    show(
        f"typical version ({typical}), equal hashes skipped",
        median_ms(skipping_equal_hashes, repeat),
    )
    show(
        f"typical version ({typical}), every clause diffed", median_ms(diffing_every_clause, repeat)
    )
    for name in engine.BACKENDS:
        if name != engine.BACKEND:
            saved, engine.BACKEND = engine.BACKEND, name
            try:
                show(f"whole-charter diff with {name} instead", median_ms(ours_on_texts, repeat))
            finally:
                engine.BACKEND = saved
    try:
        from charter.text.markdown import render_markdown
    except ImportError:  # the rendered view needs Markdown and bleach
        return
    html = [(render_markdown(a), render_markdown(b)) for a, b in pairs]

    def rendered_view():
        for a, b in html:
            diffing.diff_rendered_html(a, b)

    show("rendered view from stored HTML, whole charter", median_ms(rendered_view, 5))


if __name__ == "__main__":
    main()
