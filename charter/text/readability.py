"""How hard a clause is to read: Flesch reading ease, told as a UK school year and age."""

import re
from dataclasses import dataclass

import textstat

from charter.text.markdown import rendered
from charter.text.plaintext import plain_text

# Fewer words than this give a score that means nothing (one short sentence scores "very easy").
MIN_WORDS = 12
# WCAG 3.1.5: text needing more than lower secondary education (about age 15, Year 10 in
# England) should have a simpler supplement. Flesch 60 and above is read by 13 to 15 year olds.
PLAIN_ENOUGH = 60

# (lowest score, label, who reads it, school years): the usual Flesch bands, in UK terms.
_BANDS = (
    (90, "Very easy to read", "most 10 to 11 year olds", "Year 6, end of primary school"),
    (80, "Easy to read", "most 11 to 12 year olds", "Year 7"),
    (70, "Fairly easy to read", "most 12 to 13 year olds", "Year 8"),
    (60, "Plain English", "most 13 to 15 year olds", "Years 9 and 10"),
    (50, "Fairly hard to read", "most 15 to 18 year olds", "Years 11 to 13, GCSE to A level"),
    (30, "Hard to read", "most university students", "university"),
    (None, "Very hard to read", "most university graduates", "after a degree"),
)

_ENDS_SENTENCE = re.compile(r"[.!?:;]['\"”’)]*\s*$")


@dataclass(frozen=True)
class ReadingLevel:
    """A text's reading level: a score, and what it means in plain words."""

    words: int
    ease: float | None  # Flesch reading ease; None when the text is too short to measure
    label: str
    readers: str
    school: str

    @property
    def measured(self) -> bool:
        return self.ease is not None

    @property
    def needs_plain_version(self) -> bool:
        """Harder than lower secondary school: WCAG asks for a plainer supplement."""
        return self.ease is not None and self.ease < PLAIN_ENOUGH

    @property
    def summary(self) -> str:
        if self.ease is None:
            return self.label
        return f"{self.label}: {self.readers} ({self.school})"


def _sentences(text: str) -> str:
    # A list item or heading without a full stop still ends a sentence for a reader.
    return " ".join(
        line if _ENDS_SENTENCE.search(line) else f"{line}."
        for line in (part.strip() for part in text.splitlines())
        if line
    )


def reading_level(text: str) -> ReadingLevel:
    """Measure plain text; a text too short to measure says so instead of a score."""
    prose = _sentences(text)
    words = textstat.lexicon_count(prose) if prose else 0
    if words < MIN_WORDS:
        return ReadingLevel(words, None, "Too short to measure", "", "")
    ease = round(float(textstat.flesch_reading_ease(prose)), 1)
    for lowest, label, readers, school in _BANDS:
        if lowest is None or ease >= lowest:
            return ReadingLevel(words, ease, label, readers, school)
    raise AssertionError("unreachable")  # the last band has no lower bound


def markdown_reading_level(body: str) -> ReadingLevel:
    """Measure the words a reader sees once the Markdown is rendered, paragraph by paragraph."""
    shown = plain_text(rendered(body))
    return reading_level("\n".join(block.text for block in shown.blocks) or shown.text)
