"""Rebasing a proposal onto a clause that has moved on since it was written."""

from collections import Counter

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from charter.text.merging import rebase
from charter.text.words import is_word, tokenise

BASE = (
    "We keep joined data for no longer than two years. "
    "We check every year whether we still need it. "
    "We publish what we deleted."
)


def _words(text: str) -> list[str]:
    return [t for t in tokenise(text) if is_word(t)]


def _assert_stretches_point_into_their_texts(result, base, proposed, head):
    assert result.conflicts and result.text is None
    for conflict in result.conflicts:
        for stretch, text in (
            (conflict.base, base),
            (conflict.proposed, proposed),
            (conflict.head, head),
        ):
            assert text[stretch.start : stretch.end] == stretch.text


# --- Examples --------------------------------------------------------------------------------


def test_unchanged_head_takes_the_proposal_as_is():
    proposed = BASE.replace("two years", "one year")
    result = rebase(BASE, proposed, BASE)
    assert result.clean and result.text == proposed


def test_edit_elsewhere_in_the_clause_merges_cleanly():
    proposed = BASE.replace("two years", "one year")
    head = BASE.replace("We publish what we deleted.", "We publish a list of what we deleted.")
    result = rebase(BASE, proposed, head)
    assert result.clean
    assert result.text == (
        "We keep joined data for no longer than one year. "
        "We check every year whether we still need it. "
        "We publish a list of what we deleted."
    )


def test_edit_of_the_same_words_is_a_conflict_showing_all_three():
    proposed = BASE.replace("no longer than two years", "no longer than one year")
    head = BASE.replace(
        "no longer than two years", "as short a time as we can, never over 18 months"
    )
    result = rebase(BASE, proposed, head)
    assert not result.clean and result.text is None
    [conflict] = result.conflicts
    assert "two years" in conflict.base.text
    assert "one year" in conflict.proposed.text and "two" not in conflict.proposed.text
    assert "18 months" in conflict.head.text
    _assert_stretches_point_into_their_texts(result, BASE, proposed, head)


def test_the_issues_example_is_a_conflict_not_a_garbled_merge():
    base = "Retention periods for health records are set by the Charter Secretariat."
    proposed = "The Health Board and the Ethics Committee set retention periods for health records."
    head = base.replace("health records", "medical records")
    result = rebase(base, proposed, head)
    assert not result.clean
    [conflict] = result.conflicts
    assert "health records" in conflict.base.text
    assert "The Health Board" in conflict.proposed.text
    assert "medical records" in conflict.head.text
    _assert_stretches_point_into_their_texts(result, base, proposed, head)


@pytest.mark.parametrize(
    ("proposed", "head"),
    [
        # Touching: the words are next to each other, only a space between.
        (BASE.replace("two years", "three years"), BASE.replace("two years", "two months")),
        # Separated only by punctuation and whitespace.
        (BASE.replace("two years", "one year"), BASE.replace(". We check", ". Then we check")),
        # Two insertions at the same place.
        (
            BASE.replace("We publish", "We always publish"),
            BASE.replace("We publish", "We do publish"),
        ),
    ],
)
def test_touching_changes_conflict(proposed, head):
    result = rebase(BASE, proposed, head)
    assert not result.clean
    _assert_stretches_point_into_their_texts(result, BASE, proposed, head)


def test_one_unchanged_word_between_is_enough():
    proposed = BASE.replace("still need", "still really need")  # inserted before "need"
    head = BASE.replace("need it", "need them")  # "need" is untouched between the two
    result = rebase(BASE, proposed, head)
    assert result.clean
    assert result.text == BASE.replace("still need it", "still really need them")


def test_a_deletion_among_repeated_words_is_placed_away_from_the_other_change():
    base = "We keep time supplier time by law."
    proposed = "We keep time by law."  # "time supplier" or "supplier time" went: the same text
    head = "We keep time supplier time under law."
    result = rebase(base, proposed, head)
    assert result.clean and result.text == "We keep time under law."
    # Where no placement leaves a word between the two, it stays a conflict.
    assert not rebase(base, proposed, "We keep time supplier times by law.").clean


def test_the_same_change_on_both_sides_is_already_made():
    proposed = BASE.replace("two years", "one year")
    head = proposed.replace("We publish", "We always publish")
    result = rebase(BASE, proposed, head)
    assert result.clean and result.text == head


def test_text_moved_and_still_found_applies():
    proposed = BASE.replace("every year", "every six months")
    head = "Our promise. " + BASE
    result = rebase(BASE, proposed, head)
    assert result.clean and result.text == "Our promise. " + proposed


def test_a_proposal_identical_to_its_base_changes_nothing():
    head = BASE + " More."
    assert rebase(BASE, BASE, head).text == head


def test_non_ascii_text():
    base = "Données personnelles 🙂 protégées. Nous supprimons après un an."
    proposed = base.replace("un an", "six mois")
    head = "Préambule. " + base
    result = rebase(base, proposed, head)
    assert result.clean and result.text == "Préambule. " + proposed


def test_devanagari_words_merge_whole():
    base = "हम आपका डेटा दो साल तक रखते हैं और फिर हटाते हैं।"
    proposed = base.replace("दो साल", "एक साल")
    head = base.replace("फिर हटाते", "फिर सुरक्षित रूप से हटाते")
    result = rebase(base, proposed, head)
    assert result.clean
    assert result.text == "हम आपका डेटा एक साल तक रखते हैं और फिर सुरक्षित रूप से हटाते हैं।"
    # A vowel sign changed inside a word the head also changed: one word, so a conflict.
    clash = rebase(base, base.replace("रखते", "रखती"), base.replace("रखते", "रखेंगे"))
    assert not clash.clean and clash.conflicts[0].base.text == "रखते"


def test_chinese_characters_are_words_without_spaces():
    base = "我们保存数据两年然后删除"
    one_apart = rebase(base, base.replace("两", "一"), base.replace("然后", "随后"))
    assert one_apart.clean and one_apart.text == "我们保存数据一年随后删除"
    touching = rebase(base, base.replace("两", "一"), base.replace("年", "个月"))
    assert not touching.clean
    assert touching.conflicts[0].base.text == "两年"


# --- Properties ------------------------------------------------------------------------------

# Each script: a pool of base words, a disjoint pool of new words, and how words are joined.
_LATIN = st.text("abcdefghij", min_size=1, max_size=5)
_LATIN_NEW = st.text("KLMNOPQRST", min_size=1, max_size=5)
_DEVANAGARI = st.builds(
    "".join,
    st.lists(st.sampled_from(["क", "ख", "ग", "घ", "च"]), min_size=1, max_size=3).map(
        lambda c: [x + "ि" for x in c]
    ),
)
_DEVANAGARI_NEW = st.builds(
    "".join,
    st.lists(st.sampled_from(["त", "थ", "द", "ध", "न"]), min_size=1, max_size=3).map(
        lambda c: [x + "ा" for x in c]
    ),
)
_HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x4EFF)
_HAN_NEW = st.characters(min_codepoint=0x5000, max_codepoint=0x50FF)
SCRIPTS = [(_LATIN, _LATIN_NEW, " "), (_DEVANAGARI, _DEVANAGARI_NEW, " "), (_HAN, _HAN_NEW, "")]


@st.composite
def two_edits(draw, *, gap: str):
    """Draw a base of distinct words and two edits of it: "apart" or "touching" each other.

    Returns the base, the proposed and head wordings, and the expected merge when apart.
    """
    old_words, new_words, sep = draw(st.sampled_from(SCRIPTS))
    units = draw(st.lists(old_words, min_size=3, max_size=25, unique=True))
    n = len(units)

    def edit(lo, hi):
        start = draw(st.integers(lo, hi))
        end = draw(st.integers(start, min(hi, start + 3)))
        new = draw(st.lists(new_words, min_size=0 if end > start else 1, max_size=3))
        return start, end, new

    first = edit(0, n - 2 if gap == "apart" else n)
    if gap == "apart":  # at least one unchanged base word after the first edit
        assume(first[1] + 1 <= n)
        second = edit(first[1] + 1, n)
    else:  # overlapping, or touching: starting at or before the first edit's end
        second = edit(first[0], first[1])
    assume(second != first)

    def apply(*edits):
        out, at = [], 0
        for start, end, new in sorted(edits, key=lambda e: e[:2]):
            out += units[at:start] + new
            at = end
        return sep.join(out + units[at:])

    ours, theirs = (first, second) if draw(st.booleans()) else (second, first)
    both = apply(first, second) if gap == "apart" else None
    return sep.join(units), apply(ours), apply(theirs), both


@settings(max_examples=250, deadline=None)
@given(two_edits(gap="apart"))
def test_edits_with_a_word_between_give_both_edits_exactly(case):
    base, proposed, head, both = case
    result = rebase(base, proposed, head)
    assert result.clean
    assert result.text == both


@settings(max_examples=250, deadline=None)
@given(two_edits(gap="touching"))
def test_overlapping_or_touching_edits_conflict(case):
    base, proposed, head, _ = case
    assume(proposed != head)  # the same edit reached two ways is already made
    result = rebase(base, proposed, head)
    assert not result.clean
    _assert_stretches_point_into_their_texts(result, base, proposed, head)


_SMALL_VOCABULARY = ["data", "we", "keep", "the", "records", "of", "a", "health", "medical"]
_TOKENS = st.sampled_from([*_SMALL_VOCABULARY, " ", ", ", ". ", "数", "据", "हिन्दी"])


@st.composite
def reworded(draw, base: list[str]):
    """Draw a random rewording of a token list: a few replaced, deleted or inserted runs."""
    out = list(base)
    for _ in range(draw(st.integers(0, 4))):
        start = draw(st.integers(0, len(out)))
        end = draw(st.integers(start, min(len(out), start + 4)))
        out[start:end] = draw(st.lists(_TOKENS, max_size=4))
    return "".join(out)


@st.composite
def three_wordings(draw):
    base = draw(st.lists(_TOKENS, max_size=30))
    return "".join(base), draw(reworded(base)), draw(reworded(base))


@settings(max_examples=300, deadline=None)
@given(three_wordings())
def test_a_clean_merge_invents_no_word_and_keeps_the_proposals_words(case):
    base, proposed, head = case
    result = rebase(base, proposed, head)
    if not result.clean:
        _assert_stretches_point_into_their_texts(result, base, proposed, head)
        return
    assert set(_words(result.text)) <= set(_words(base) + _words(proposed) + _words(head))
    inserted = Counter(_words(proposed)) - Counter(_words(base))
    assert not inserted - Counter(_words(result.text))


@settings(max_examples=300, deadline=None)
@given(three_wordings())
def test_merging_with_no_change_on_one_side_gives_the_other(case):
    base, proposed, head = case
    same = rebase(base, proposed, proposed)
    assert same.clean and same.text == proposed
    assert rebase(base, base, head).text == head
    assert rebase(base, proposed, base).text == proposed


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.text(max_size=40), st.text(max_size=40))
def test_any_text_merges_or_names_its_conflicts(base, proposed, head):
    result = rebase(base, proposed, head)
    if result.clean:
        assert isinstance(result.text, str)
    else:
        _assert_stretches_point_into_their_texts(result, base, proposed, head)
