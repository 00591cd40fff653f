"""Reading levels of clause wordings: known texts, short texts, the words a reader sees."""

from charter.text.readability import PLAIN_ENOUGH, markdown_reading_level, reading_level

SIMPLE = (
    "We keep your data safe. We do not sell it. You can ask us what we hold. "
    "You can ask us to stop. We will tell you what we do with it."
)
COMPLEX = (
    "Notwithstanding the aforementioned considerations, the organisational infrastructure "
    "necessitates comprehensive institutional accountability mechanisms, incorporating "
    "independent verification procedures and proportionate administrative remediation."
)


def test_very_simple_text_is_easy_for_children():
    level = reading_level(SIMPLE)
    assert level.measured and level.ease >= 80
    assert "11 to 12 year olds" in level.summary or "10 to 11 year olds" in level.summary
    assert not level.needs_plain_version


def test_very_complex_text_is_hard_and_asks_for_a_plain_version():
    level = reading_level(COMPLEX)
    assert level.ease < 30
    assert level.label == "Very hard to read"
    assert "graduates" in level.summary
    assert level.needs_plain_version


def test_empty_and_short_text_is_too_short_to_measure():
    for text in ("", "   \n ", "Hi.", "Be fair to everyone."):
        level = reading_level(text)
        assert not level.measured
        assert level.summary == "Too short to measure"
        assert not level.needs_plain_version


def test_the_threshold_is_lower_secondary_school():
    assert PLAIN_ENOUGH == 60


def test_markdown_is_measured_as_the_reader_sees_it():
    # Link addresses and emphasis marks are not words a reader reads.
    marked = (
        "**We** keep [your data](https://example.org/a-very-long-organisational-address) safe. "
        "We do not sell it. You can ask us what we hold. You can ask us to stop. "
        "We will tell you what we do with it."
    )
    assert markdown_reading_level(marked).words == reading_level(SIMPLE).words


def test_list_items_without_full_stops_are_separate_sentences():
    items = "\n".join(f"- we keep your data safe number {n}" for n in range(6))
    # Run together as one sentence of 42 words it would score as very hard.
    assert markdown_reading_level(items).ease > 60
