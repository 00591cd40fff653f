"""One definition of a word: the tokens every text function shares, in many scripts."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from charter.text.words import diff, has_words, is_word, tokenise, word_spans


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("We keep data.", ["We", "keep", "data"]),
        ("हिन्दी भाषा", ["हिन्दी", "भाषा"]),  # vowel signs are marks inside the word
        ("שָׁלוֹם עולם", ["שָׁלוֹם", "עולם"]),  # Hebrew points stay in their word
        ("snake_case names", ["snake_case", "names"]),
        ("cafe\u0301 au lait", ["cafe\u0301", "au", "lait"]),  # accent typed apart
        ("数据共享", ["数", "据", "共", "享"]),  # no spaces: each ideograph is a word
        ("データを共有", ["データ", "を", "共", "有"]),  # a katakana word stays whole
        ("ภาษาไทย ดี", ["ภาษาไทย", "ดี"]),
        ("می\u200cخواهم", ["می\u200cخواهم"]),  # Persian: ZWNJ inside one word
        ("don't", ["don", "t"]),
    ],
)
def test_words_in_many_scripts(text, words):
    assert "".join(tokenise(text)) == text
    assert [t for t in tokenise(text) if is_word(t)] == words
    assert [text[a:b] for a, b in word_spans(text)] == words


def test_emoji_sequences_and_stray_marks_are_not_words():
    tokens = tokenise("ok \U0001f469\u200d\U0001f4bb \u0301x")
    assert "\U0001f469\u200d\U0001f4bb" in tokens
    assert not is_word("\U0001f469\u200d\U0001f4bb")
    assert not is_word("\u0301")
    assert has_words("a.") and not has_words(" .,!\u200d")


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_tokens_join_back_and_never_split_a_word(text):
    tokens = tokenise(text)
    assert "".join(tokens) == text
    # Two neighbouring word tokens only ever meet at an ideograph or a katakana change.
    for a, b in zip(tokens, tokens[1:], strict=False):
        if is_word(a) and is_word(b):
            assert not (a.isascii() and b.isascii())


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from(["a", "b", "c", " ", "."]), max_size=30),
    st.lists(st.sampled_from(["a", "b", "c", " ", "."]), max_size=30),
)
def test_diff_counts_cover_both_sequences(old, new):
    ops = diff(old, new)
    assert sum(n for op, n in ops if op != "insert") == len(old)
    assert sum(n for op, n in ops if op != "delete") == len(new)
    assert diff(old, new) == ops  # deterministic: no time limit


def _runs(old: str, new: str) -> list[tuple[str, str]]:
    from charter.text.diffing import diff_words

    return [(part.op, part.text) for part in diff_words(old, new)]


def test_a_moved_sentence_stays_kept_rather_than_both_rewritten():
    report = "Report it to the regulator within 72 hours, where the law requires this."
    tell = "Tell you directly, within five working days of finding out, if it could harm you."
    runs = _runs(f"{report} {tell} We will say.", f"{tell} {report} We will say.")
    assert ("equal", tell) in runs
    assert [op for op, _ in runs] == ["delete", "equal", "insert", "equal"]


def test_spaces_and_commas_never_pair_two_different_sentences():
    old = "We keep data, we share data, we delete data."
    new = "Councils publish registers, residents read them, committees decide."
    runs = _runs(old, new)
    assert [op for op, _ in runs] in (["delete", "insert", "equal"], ["delete", "insert"])


def test_a_short_kept_run_inside_a_rewrite_joins_it_and_a_long_one_stays():
    runs = _runs(
        "We may pay a firm of lawyers to help.", "Officers could hire a big company to help."
    )
    assert runs[0] == ("delete", "We may pay a firm of lawyers")
    long_kept = "the committee checks every project"
    runs = _runs(f"Once {long_kept} twice.", f"Then {long_kept} again.")
    assert ("equal", f" {long_kept} ") in runs


def test_changed_spacing_between_kept_words_shows_as_a_change_of_spacing_only():
    assert _runs("keep  data", "keep data") == [
        ("equal", "keep"),
        ("delete", "  "),
        ("insert", " "),
        ("equal", "data"),
    ]


def test_a_kept_sentence_between_two_rewritten_ones_stays_kept():
    kept = "Residents sit on the committee."
    old = f"We bring together information from many bodies. {kept} It checks all our work."
    new = (
        f"Councils, police and the university share their records. {kept} "
        "Nobody outside it decides anything about any project at all."
    )
    assert any(op == "equal" and kept in text for op, text in _runs(old, new))


def test_a_change_slid_next_to_another_is_still_one_deletion_then_one_insertion():
    # Sliding a deletion left empties the kept run before it; the two changes then meet
    # and must read as one change, deletion first (found by hypothesis).
    runs = _runs("data> > data", "data > data")
    assert [op for op, _ in runs] == ["equal", "delete", "insert", "equal"]
