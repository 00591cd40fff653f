"""Passages as marks: overlapping passages cut into pieces, each saying how many threads."""

from charter.text.plaintext import Segment, mark_passages, passage_segments, plain_text


def test_overlapping_passages_are_cut_at_every_boundary_and_counted():
    passages = [(0, 10, 2), (5, 15, 1), (20, 25, 3)]
    assert passage_segments(passages) == [
        Segment(0, 5, 2),
        Segment(5, 10, 3),
        Segment(10, 15, 1),
        Segment(20, 25, 3),
    ]


def test_the_same_passage_twice_and_empty_passages():
    assert passage_segments([(3, 7, 1), (3, 7, 4), (9, 9, 5), (8, 2, 1)]) == [Segment(3, 7, 5)]
    assert passage_segments([]) == []


def test_marks_keep_the_plain_text_and_say_the_count():
    html = "<p>We join <em>data</em> to plan services.</p>\n<p>See &amp; know.</p>"
    text = plain_text(html).text
    start = text.index("data")
    end = text.index("services") + len("services")
    marked = mark_passages(html, passage_segments([(start, end, 2), (start, start + 4, 1)]))
    assert plain_text(marked).text == text
    assert (
        f'<em><mark class="comment-mark" data-on="{start}-{start + 4}" data-threads="3" '
        f'title="3 threads on these words">data</mark></em>'
    ) in marked
    assert f'data-on="{start + 4}-{end}" data-threads="2"' in marked
    assert "to plan services</mark>" in marked and "See &amp; know." in marked


def test_a_mark_across_paragraphs_skips_the_whitespace_between_them():
    html = "<ul>\n<li>One</li>\n<li>Two</li>\n</ul>"
    text = plain_text(html).text
    marked = mark_passages(html, passage_segments([(text.index("One"), text.index("Two") + 3, 1)]))
    assert marked.count("<mark") == 2 and plain_text(marked).text == text
    assert 'title="1 thread on these words">One</mark>' in marked
    assert mark_passages(html, []) == html
