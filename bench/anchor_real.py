"""A held-out check of re-anchoring on real charter prose, reworded the way people reword.

The generated corpora in bench/anchor_corpus.py use made-up word lists. This one takes the
sentences of drafts/citizen-data-charter.md as they are written (plain English, with its
real repetitions: "data", "the committee", "we will") and applies the same kinds of
rewording, with words drawn from the charter's own vocabulary, so every word is still
followed to its new place and each placement is judged right, orphaned or wrong.

Seeds 11-13 were looked at while the anchoring was developed (they showed the diff pairing
the spaces of two moved sentences); seeds 21-25 only to measure. Run from the repository root:
    .venv/bin/python bench/anchor_real.py [-v]
"""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.anchor_bench import report  # noqa: E402
from bench.anchor_corpus import KINDS, Generator, Language, Token  # noqa: E402

DRAFT = Path(__file__).resolve().parent.parent / "drafts" / "citizen-data-charter.md"
SEEDS = (11, 12, 13, 21, 22, 23, 24, 25)
PER_KIND = 100


def real_sentences() -> list[list[str]]:
    """Return every sentence of the draft's prose as a list of words (Markdown marks dropped)."""
    sentences = []
    for line in DRAFT.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "|")):
            continue
        line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)  # a link shows as its text
        line = re.sub(r"^[-*] |\*\*|\*", "", line)
        for sentence in re.split(r"(?<=[.!?])\s+", line):
            words = sentence.split()
            if len(words) >= 4:
                sentences.append(words)
    return sentences


class RealProse(Generator):
    """The corpus generator, writing clauses of real charter sentences instead of word salad."""

    def __init__(self, seed: int) -> None:
        super().__init__(seed, "A")
        self.sentences = real_sentences()
        vocabulary = sorted(
            {w.strip(".,;:()\"'").lower() for s in self.sentences for w in s} - {""}
        )
        self.latin = Language("English (charter prose)", vocabulary)

    def clause(self, language: Language) -> list[list[Token]]:
        if language is not self.latin:  # the non-ASCII kind keeps its generated languages
            return super().clause(language)
        start = self.rng.randrange(len(self.sentences))
        count = self.rng.randint(3, 7)
        chosen = [self.sentences[(start + n) % len(self.sentences)] for n in range(count)]
        return [[(w, self.new_id()) for w in sentence] for sentence in chosen]


def main() -> None:
    for seed in SEEDS:
        generator = RealProse(seed)
        cases = [generator.case(kind) for kind in KINDS for _ in range(PER_KIND)]
        report(f"real charter prose (seed {seed})", cases)


if __name__ == "__main__":
    main()
