"""Competing proposals on one clause, and the clause as amended by a selection."""

from hypothesis import given, settings
from hypothesis import strategies as st

from charter.text.competing import (
    Clause,
    LabelledPart,
    Wording,
    amend,
    competing_sets,
    labelled_changes,
    paragraphs,
    rivals,
)
from charter.text.diffing import DELETE, EQUAL, INSERT, new_text, old_text
from charter.text.merging import rebase

HEADING = "How long we keep data"
BODY = (
    "We keep joined data for no longer than two years. "
    "We check every year whether we still need it. "
    "We publish what we deleted."
)


def _w(pid: int, body: str, heading: str = HEADING) -> Wording:
    return Wording(pid, heading, body)


def _clause() -> Clause:
    return Clause(HEADING, BODY)


def test_changes_to_the_same_words_compete():
    a = _w(1, BODY.replace("two years", "one year"))
    b = _w(2, BODY.replace("two years", "six months"))
    assert _clause().collide(a, b)
    assert competing_sets(rivals(_clause(), [a, b])) == [[1, 2]]


def test_changes_that_touch_compete_even_with_only_a_space_between():
    a = _w(1, BODY.replace("no longer", "no more"))
    b = _w(2, BODY.replace("than two", "beyond two"))  # "longer" and "than" touch
    assert _clause().collide(a, b)


def test_changes_with_a_word_between_them_do_not_compete():
    a = _w(1, BODY.replace("joined data", "linked data"))
    b = _w(2, BODY.replace("two years", "one year"))
    assert not _clause().collide(a, b)
    assert competing_sets(rivals(_clause(), [a, b])) == []


def test_the_same_change_twice_does_not_compete():
    a = _w(1, BODY.replace("two years", "one year"))
    b = _w(2, BODY.replace("two years", "one year"))
    assert not _clause().collide(a, b)


def test_headings_compete_too():
    a = _w(1, BODY, heading="How long we hold data")
    b = _w(2, BODY, heading="How long we store data")
    assert _clause().collide(a, b)


def test_a_set_joins_proposals_that_compete_through_another():
    a = _w(1, BODY.replace("joined data", "linked data"))
    b = _w(2, BODY.replace("joined data for no", "data for not"))
    c = _w(3, BODY.replace("no longer than", "at most"))
    d = _w(4, BODY.replace("We publish", "We announce"))
    clause = _clause()
    assert not clause.collide(a, c)
    assert competing_sets(rivals(clause, [a, b, c, d])) == [[1, 2, 3]]
    assert rivals(clause, [a, b, c, d]) == {1: [2], 2: [1, 3], 3: [2], 4: []}


def test_as_amended_merges_what_fits_and_names_what_collides_with_what():
    a = _w(1, BODY.replace("two years", "one year"))
    b = _w(2, BODY.replace("two years", "six months"))
    c = _w(3, BODY.replace("We publish", "Each year we publish"))
    amended = amend(_clause(), [a, b, c])
    assert amended.applied == [1, 3]
    assert amended.collided == {2: [1]}
    assert amended.body == (
        "We keep joined data for no longer than one year. "
        "We check every year whether we still need it. "
        "Each year we publish what we deleted."
    )
    # The order chosen decides which of two rivals goes in.
    assert amend(_clause(), [b, a, c]).applied == [2, 3]


def test_labelled_changes_credit_each_change_to_its_proposal():
    a = _w(1, BODY.replace("two years", "one year"))
    c = _w(3, BODY.replace("We publish", "Each year we publish"))
    amended = amend(_clause(), [a, c])
    parts = labelled_changes(BODY, amended.body, {1: a.body, 3: c.body})
    assert old_text((p.op, p.text) for p in parts) == BODY
    assert new_text((p.op, p.text) for p in parts) == amended.body
    changed = [(p.op, p.text, p.proposals) for p in parts if p.op != EQUAL]
    assert changed == [
        (DELETE, "two years", (1,)),
        (INSERT, "one year", (1,)),
        (DELETE, "We", (3,)),
        (INSERT, "Each year we", (3,)),
    ]


_WORDS = ["we", "keep", "data", "two", "years", "check", "publish", "the", "council", "."]


@st.composite
def _edited(draw, base_words):
    """The base with a few words replaced, removed or added."""
    words = list(base_words)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(words) - 1))
        what = draw(st.sampled_from(["replace", "delete", "insert"]))
        if what == "replace":
            words[at] = draw(st.sampled_from(_WORDS))
        elif what == "delete" and len(words) > 2:
            del words[at]
        else:
            words.insert(at, draw(st.sampled_from(_WORDS)))
    return " ".join(words)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_the_quick_check_agrees_with_the_merge_and_amending_equals_accepting_in_turn(data):
    base_words = data.draw(st.lists(st.sampled_from(_WORDS), min_size=4, max_size=14))
    base = " ".join(base_words)
    texts = [data.draw(_edited(base_words)) for _ in range(3)]
    clause = Clause(HEADING, base)
    wordings = [_w(i, t) for i, t in enumerate(texts, start=1)]
    for a in wordings:
        for b in wordings:
            if a.id < b.id:
                merged = rebase(base, a.body, b.body)
                assert clause.collide(a, b) == (not merged.clean)
    amended = amend(clause, wordings)
    # Accepting the merged ones one after another, as the committee would, gives the same.
    text = base
    for pid in amended.applied:
        step = rebase(base, texts[pid - 1], text)
        assert step.clean
        text = step.text
    assert amended.body == text
    for against in amended.collided.values():
        assert against and set(against) <= set(amended.applied)


def test_paragraphs_cut_changes_at_line_breaks_and_keep_their_proposals():
    parts = [
        LabelledPart(EQUAL, "We keep data.\nWe delete it "),
        LabelledPart(DELETE, "within a year", (3,)),
        LabelledPart(INSERT, "at once.\nWe say so", (4,)),
        LabelledPart(EQUAL, ".\n\n\nEach year we check."),
        LabelledPart(DELETE, "\nWe report.", (5,)),
    ]
    assert paragraphs(parts) == [
        [LabelledPart(EQUAL, "We keep data.")],
        [
            LabelledPart(EQUAL, "We delete it "),
            LabelledPart(DELETE, "within a year", (3,)),
            LabelledPart(INSERT, "at once.", (4,)),
        ],
        [LabelledPart(INSERT, "We say so", (4,)), LabelledPart(EQUAL, ".")],
        [LabelledPart(EQUAL, "Each year we check.")],
        [LabelledPart(DELETE, "We report.", (5,))],  # a removed paragraph keeps its line
    ]


def test_a_paragraph_break_alone_added_or_removed_shows_as_a_pilcrow():
    split = [
        LabelledPart(EQUAL, "One."),
        LabelledPart(INSERT, "\n", (6,)),
        LabelledPart(EQUAL, "Two."),
    ]
    assert paragraphs(split) == [
        [LabelledPart(EQUAL, "One."), LabelledPart(INSERT, "¶", (6,))],
        [LabelledPart(EQUAL, "Two.")],
    ]
    joined = [
        LabelledPart(EQUAL, "One."),
        LabelledPart(DELETE, "\n", (7,)),
        LabelledPart(EQUAL, "Two."),
    ]
    # Joined, the two are one paragraph now, with the struck break where they meet.
    assert paragraphs(joined) == [
        [LabelledPart(EQUAL, "One."), LabelledPart(DELETE, "¶", (7,)), LabelledPart(EQUAL, "Two.")]
    ]


_LINES = st.text(alphabet="ab \n", max_size=12)


@given(
    st.lists(
        st.tuples(st.sampled_from([EQUAL, DELETE, INSERT]), _LINES, st.sampled_from([(), (1,)])),
        max_size=8,
    )
)
def test_paragraphs_lose_no_word(raw):
    parts = [LabelledPart(op, text, ids if op != EQUAL else ()) for op, text, ids in raw]
    lines = paragraphs(parts)
    pieces = [piece for line in lines for piece in line]
    assert all(line and "\n" not in piece.text for line in lines for piece in line)
    for op in (EQUAL, DELETE, INSERT):
        ours = [p for p in parts if p.op == op]
        shown = "".join(p.text for p in pieces if p.op == op).replace("¶", "")
        # The same characters in the same order; only line breaks become line ends.
        assert "".join(shown.split()) == "".join("".join(p.text for p in ours).split())
        alone = [p for p in ours if op != EQUAL and p.text.isspace() and "\n" in p.text]
        assert sum(p.text == "¶" for p in pieces if p.op == op) == len(alone)
    assert {(p.op, p.proposals) for p in pieces} <= {(p.op, p.proposals) for p in parts}
