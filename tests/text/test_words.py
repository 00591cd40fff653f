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
