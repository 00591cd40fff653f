"""Placements carried from wording to wording: only the threads a change touched are re-anchored."""

import random

import pytest

from charter.clauses.operations import create_revision
from charter.clauses.queries import get_clause
from charter.comments import placing
from charter.comments.operations import Selection, delete_comment, hide_comment, post_comment
from charter.comments.placing import passage_counts, spots, threads_on_words, wording_text
from charter.extensions import db
from charter.jobs import QUEUE, work
from charter.models import ClauseRevision, Comment, CommentPlacement, Role
from charter.text.anchoring import index_to_utf16
from tests.conftest import REDIS

LONG = (
    "We join data to plan services for everyone in the county. We keep joined data for "
    "twelve months and then delete it. You can ask us what we hold and why we hold it. "
    "The committee checks every use of joined data each year and publishes what it finds."
)


@pytest.fixture
def clause(charter):
    found = get_clause(charter, "why")
    create_revision(found, "Why we join data", LONG)
    db.session.commit()
    return found


def _on(clause, author, words, occurrence=0):
    revision = clause.current_revision
    text = wording_text(revision).text
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(words, start + 1)
    selection = Selection(
        index_to_utf16(text, start), index_to_utf16(text, start + len(words)), words
    )
    return post_comment(author, body=f"On {words}", clause=clause, selection=selection)


def _reword(clause, body):
    create_revision(clause, clause.current_revision.heading, body)
    db.session.commit()
    return clause.current_revision


def _words_at(revision, spot):
    return wording_text(revision).text[spot.start : spot.end]


def _rows():
    return {p.comment_id: p for p in db.session.scalars(db.select(CommentPlacement))}


def test_untouched_threads_keep_their_row_and_are_read_shifted(clause, users):
    citizen = users[Role.CITIZEN.value]
    far = _on(clause, citizen, "publishes what it finds")
    near = _on(clause, citizen, "twelve months")
    db.session.commit()
    first = clause.current_revision
    new = _reword(clause, "Every day, " + LONG.replace("twelve months", "six months"))
    rows = _rows()
    assert rows[far.id].target == f"r{first.id}"  # not rewritten
    assert rows[near.id].target == f"r{new.id}"  # anchored again
    found = spots(new, [far, near])
    assert _words_at(new, found[far.id]) == "publishes what it finds"
    assert found[far.id].status == "exact"
    assert found[near.id].status != "exact"


def test_a_change_anchors_again_only_the_threads_on_the_words_it_touched(
    clause, users, monkeypatch
):
    citizen = users[Role.CITIZEN.value]
    phrases = ["plan services", "in the county", "and then delete it", "what we hold", "each year"]
    made = [_on(clause, citizen, p) for p in phrases for _ in range(20)]
    db.session.commit()
    anchored = []
    real = placing.place_afresh
    monkeypatch.setattr(placing, "place_afresh", lambda w, cs: anchored.extend(cs) or real(w, cs))
    new = _reword(clause, LONG.replace("each year", "every month"))
    assert sorted(c.id for c in anchored) == sorted(c.id for c in made[80:])
    found = spots(new, made)
    for comment in made[:80]:
        assert _words_at(new, found[comment.id]) == comment.exact


def test_positions_compose_over_many_rewordings(clause, users):
    citizen = users[Role.CITIZEN.value]
    rng = random.Random(7)
    made = [_on(clause, citizen, w) for w in ["plan services", "joined data", "why we hold it"]]
    db.session.commit()
    body = LONG
    for n in range(8):
        body = f"Step {n}. " + body if rng.random() < 0.5 else body + f" Note {n}."
        revision = _reword(clause, body)
        found = spots(revision, made)
        for comment in made:
            assert _words_at(revision, found[comment.id]) == comment.exact
    assert all(p.target == f"r{made[0].revision_id}" for p in _rows().values())


def test_words_removed_then_restored_bring_their_threads_back(clause, users):
    citizen = users[Role.CITIZEN.value]
    comment = _on(clause, citizen, "You can ask us what we hold and why we hold it.")
    db.session.commit()
    gone = _reword(clause, LONG.replace("You can ask us what we hold and why we hold it. ", ""))
    assert spots(gone, [comment])[comment.id].orphaned
    back = _reword(clause, LONG)
    spot = spots(back, [comment])[comment.id]
    assert spot.status == "exact" and _words_at(back, spot) == comment.exact


def test_passage_counts_leave_out_deleted_and_hidden_threads(clause, users):
    citizen, member = users[Role.CITIZEN.value], users[Role.COMMITTEE.value]
    kept = [_on(clause, citizen, "plan services") for _ in range(3)]
    other = _on(clause, citizen, "joined data")
    db.session.commit()
    text = wording_text(clause.current_revision).text
    start = text.index("plan services")
    assert (start, start + len("plan services"), 3) in passage_counts(clause.current_revision)
    delete_comment(kept[0])
    hide_comment(kept[1], member, "Off-topic")
    db.session.commit()
    counts = passage_counts(clause.current_revision)
    assert (start, start + len("plan services"), 1) in counts
    assert sum(n for _, _, n in counts) == 2 and other.id


def test_threads_on_words_finds_overlapping_passages_on_the_wording_now(clause, users):
    citizen = users[Role.CITIZEN.value]
    services = _on(clause, citizen, "plan services")
    county = _on(clause, citizen, "in the county")
    db.session.commit()
    new = _reword(clause, "First of all, " + LONG)
    text = wording_text(new).text
    start = text.index("services")
    found = set(
        db.session.scalars(db.select(Comment.id).where(threads_on_words(new, start, start + 8)))
    )
    assert found == {services.id} and county.id not in found


def test_a_comment_made_on_an_older_wording_is_placed_on_the_newest(clause, users):
    citizen = users[Role.CITIZEN.value]
    old = clause.current_revision
    text = wording_text(old).text
    start = text.index("joined data")
    new = _reword(clause, "Today: " + LONG)
    comment = post_comment(
        citizen,
        body="Stale page",
        clause=clause,
        revision=old,
        selection=Selection(start, start + len("joined data"), "joined data"),
    )
    db.session.commit()
    assert _rows()[comment.id].target == f"r{new.id}"
    assert _words_at(new, spots(new, [comment])[comment.id]) == "joined data"


def test_place_comments_command_places_threads_that_have_no_row(clause, users, app):
    citizen = users[Role.CITIZEN.value]
    made = [_on(clause, citizen, "plan services"), _on(clause, citizen, "joined data")]
    db.session.commit()
    db.session.execute(db.delete(CommentPlacement))
    db.session.commit()
    new = _reword(clause, "Now: " + LONG)
    assert (
        "Placed 2 anchored comments"
        in app.test_cli_runner().invoke(args=["charter", "place-comments"]).output
    )
    rows = _rows()
    assert {rows[c.id].target for c in made} == {f"r{new.id}"}
    assert [_words_at(new, spots(new, made)[c.id]) for c in made] == [c.exact for c in made]
    assert "Placed 0" in app.test_cli_runner().invoke(args=["charter", "place-comments"]).output


def test_with_a_queue_the_change_leaves_touched_threads_to_a_worker(clause, users, queue):
    citizen = users[Role.CITIZEN.value]
    touched = [_on(clause, citizen, "twelve months") for _ in range(3)]
    untouched = _on(clause, citizen, "plan services")
    db.session.commit()
    first = clause.current_revision
    new = _reword(clause, LONG.replace("twelve months", "six months"))
    assert {p.target for p in _rows().values()} == {f"r{first.id}"}  # nothing rewritten yet
    # Meanwhile pages place the touched threads for themselves, and highlight the rest.
    assert spots(new, touched) == placing.place_afresh(new, touched)
    assert sum(n for _, _, n in passage_counts(new)) == 1
    ids, untouched_id, first_id, new_id = [c.id for c in touched], untouched.id, first.id, new.id
    work(burst=True)  # the worker ends its session: read everything afresh
    touched = [db.session.get(Comment, i) for i in ids]
    new = db.session.get(ClauseRevision, new_id)
    rows = _rows()
    assert {rows[i].target for i in ids} == {f"r{new_id}"}
    assert rows[untouched_id].target == f"r{first_id}"
    placed = placing.place_afresh(new, touched)
    assert spots(new, touched) == placed
    assert sum(n for _, _, n in passage_counts(new)) == 1 + sum(
        not s.orphaned for s in placed.values()
    )


def test_a_rolled_back_change_queues_no_job(clause, users, queue):
    from redis import Redis
    from rq import Queue

    _on(clause, users[Role.CITIZEN.value], "twelve months")
    db.session.commit()
    create_revision(clause, "Why", LONG.replace("twelve", "six"))
    db.session.rollback()
    assert Queue(QUEUE, connection=Redis.from_url(REDIS)).count == 0
    _reword(clause, LONG.replace("twelve", "six"))
    assert Queue(QUEUE, connection=Redis.from_url(REDIS)).count == 1


def test_the_worker_takes_touched_threads_in_batches_and_stops(clause, users, queue, monkeypatch):
    from redis import Redis
    from rq import Queue
    from rq.registry import FinishedJobRegistry

    monkeypatch.setattr(placing, "JOB_BATCH", 2)
    citizen = users[Role.CITIZEN.value]
    ids = [_on(clause, citizen, "twelve months").id for _ in range(5)]
    db.session.commit()
    scope = f"c{clause.id}"
    new_id = _reword(clause, LONG.replace("twelve months and then delete it. ", "")).id
    work(burst=True)
    finished = FinishedJobRegistry(queue=Queue(QUEUE, connection=Redis.from_url(REDIS)))
    assert finished.count == 3  # 2 + 2 + 1 threads
    assert {_rows()[i].target for i in ids} == {f"r{new_id}"}
    assert all(p.status == "orphaned" for p in _rows().values())
    # Orphans are tried once on a wording, so nothing is left to do the next time.
    assert placing.place_pending(scope, 2) == 0


def test_a_job_overtaken_by_a_newer_one_keeps_its_placement_and_looks_again(
    clause, users, queue, monkeypatch
):
    from redis import Redis
    from rq import Queue

    citizen = users[Role.CITIZEN.value]
    ids = [_on(clause, citizen, "twelve months").id for _ in range(3)]
    db.session.commit()
    scope = f"c{clause.id}"
    _reword(clause, LONG.replace("twelve months", "six months"))
    jobs = Queue(QUEUE, connection=Redis.from_url(REDIS))
    jobs.empty()
    real = placing.place_afresh

    def overtaken(wording, comments):
        # Meanwhile another worker placed the first thread on a newer wording.
        db.session.execute(
            db.update(CommentPlacement)
            .filter_by(comment_id=ids[0])
            .values(target="r999", status="exact", start=0, end=4)
        )
        return real(wording, comments)

    monkeypatch.setattr(placing, "place_afresh", overtaken)
    assert placing.place_pending(scope, 10) == 3
    db.session.commit()
    rows = _rows()
    assert (rows[ids[0]].target, rows[ids[0]].start) == ("r999", 0)  # not overwritten
    assert {rows[i].target for i in ids[1:]} == {f"r{clause.current_revision.id}"}
    assert jobs.count == 1  # a fresh look from the wording shown now


def test_a_decision_stands_when_redis_is_down_and_place_comments_catches_up(
    clause, users, app, caplog
):
    ids = [_on(clause, users[Role.CITIZEN.value], "twelve months").id for _ in range(2)]
    db.session.commit()
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        new_id = _reword(clause, LONG.replace("twelve months", "six months")).id
    finally:
        app.config["REDIS_URL"] = None
    assert "Redis is unreachable" in caplog.text
    assert db.session.get(ClauseRevision, new_id).clause.current_revision_id == new_id
    assert {_rows()[i].target for i in ids} != {f"r{new_id}"}  # still waiting
    output = app.test_cli_runner().invoke(args=["charter", "place-comments"]).output
    assert "Placed 2 anchored comments" in output
    assert {_rows()[i].target for i in ids} == {f"r{new_id}"}
