"""Shifts between wordings: kept text is found exactly, passages move or are reported touched."""

import random

import pytest

from charter.text.shifting import Kept, Shift

OLD = "We join data to plan services. We keep it for 12 months. You can ask us why."


def test_kept_stretches_are_the_same_text_on_both_sides():
    new = "First: we join data to plan services. We keep it for 6 months. You can ask us why."
    shift = Shift.between(OLD, new)
    assert shift.kept
    for k in shift.kept:
        length = k.old_end - k.old_start
        assert OLD[k.old_start : k.old_end] == new[k.new_start : k.new_start + length]


def test_a_passage_away_from_the_change_moves_with_the_text_around_it():
    new = "Every year we join data to plan services. We keep it for 12 months. You can ask us why."
    start = OLD.index("plan services")
    moved = Shift.between(OLD, new).moves(start, start + len("plan services"))
    assert moved is not None and new[moved[0] : moved[1]] == "plan services"


def test_a_passage_the_change_touched_is_not_moved():
    new = OLD.replace("12 months", "6 months")
    start = OLD.index("keep it for 12")
    assert Shift.between(OLD, new).moves(start, start + len("keep it for 12")) is None


def test_an_insertion_inside_a_passage_touches_it_but_one_at_its_edge_does_not():
    new = OLD.replace("plan services", "plan public services")
    start = OLD.index("plan services")
    shift = Shift.between(OLD, new)
    assert shift.moves(start, start + len("plan services")) is None
    before = OLD.index("We join data to")
    moved = shift.moves(before, before + len("We join data to"))
    assert moved is not None and new[moved[0] : moved[1]] == "We join data to"


def test_a_change_of_case_touches_the_passage():
    new = OLD.replace("plan services", "Plan services")
    start = OLD.index("plan services")
    assert Shift.between(OLD, new).moves(start, start + len("plan services")) is None


def test_identical_wordings_keep_everything_and_empty_ones_nothing():
    assert Shift.between(OLD, OLD).kept == (Kept(0, len(OLD), 0),)
    assert Shift.between(OLD, "").kept == ()
    assert Shift.between("", OLD).moves(0, 1) is None


def test_the_json_form_round_trips():
    shift = Shift.between(OLD, OLD.replace("why", "how"))
    assert Shift.from_json(shift.to_json()) == shift


WORDS = [
    "data",
    "share",
    "council",
    "police",
    "university",
    "months",
    "year",
    "keep",
    "ask",
    "why",
    "we",
    "you",
    "it",
    "for",
    "to",
]


def _edit(rng: random.Random, text: str) -> str:
    tokens = text.split(" ")
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(tokens))
        action = rng.choice(["replace", "insert", "delete"])
        if action == "replace":
            tokens[at] = rng.choice(WORDS)
        elif action == "insert":
            tokens.insert(at, rng.choice(WORDS))
        elif len(tokens) > 3:
            del tokens[at]
    return " ".join(tokens)


@pytest.mark.parametrize("seed", range(40))
def test_composed_shifts_agree_with_each_step_and_keep_the_words(seed):
    rng = random.Random(seed)
    first = " ".join(rng.choice(WORDS) for _ in range(40))
    second = _edit(rng, first)
    third = _edit(rng, second)
    one, two = Shift.between(first, second), Shift.between(second, third)
    both = one.then(two)
    checked = 0
    for start in range(0, len(first), 3):
        for end in range(start + 1, min(len(first), start + 25) + 1, 4):
            stepwise = one.moves(start, end)
            stepwise = stepwise and two.moves(*stepwise)
            assert both.moves(start, end) == stepwise
            if stepwise:
                checked += 1
                assert third[stepwise[0] : stepwise[1]] == first[start:end]
    assert checked > 0
