"""The seeding command: a small county's worth of discussion, shaped as the real one would be.

One database is seeded for the whole module (seeding takes a couple of seconds); the first test
uses the ordinary per-test database instead, so it runs before that one is made.
"""

from collections import Counter

import pytest

from charter import create_app
from charter.clauses.queries import get_clause
from charter.comments.operations import post_comment
from charter.comments.placing import target_key, wording_text
from charter.extensions import db
from charter.models import (
    Clause,
    Comment,
    CommentKind,
    CommentPlacement,
    Proposal,
    ProposalStatus,
    Role,
    Support,
    User,
    VersionStatus,
)
from charter.models.versions import CharterVersion
from charter.seeding import RESIDENT_DOMAIN, resident_email
from config import TestConfig
from tests.conftest import CSRFClient, sign_in

PASSWORD = "seeded residents' password"
SMALL = [
    *("--residents", "12", "--proposals", "30", "--comments", "300"),
    *("--supports", "60", "--versions", "2", "--seed", "7", "--password", PASSWORD),
]


def test_it_refuses_a_database_with_comments_unless_forced(app, charter, users, runner):
    post_comment(users["citizen"], body="Mine.", clause=get_clause(charter, "why"))
    db.session.commit()
    refused = runner.invoke(args=["charter", "seed-demo", *SMALL])
    assert refused.exit_code == 1
    assert "already has comments" in refused.output
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 1
    tiny = ["--residents", "3", "--proposals", "4", "--comments", "20", "--supports", "5"]
    forced = runner.invoke(args=["charter", "seed-demo", *tiny, "--versions", "2", "--force"])
    assert forced.exit_code == 0, forced.output
    # Built on the charter that was there: its clauses, its comment, two versions.
    assert db.session.scalar(db.select(db.func.count(Comment.id))) == 21
    assert {c.key for c in charter.clauses} == {"why", "how-long", "your-rights"}
    assert runner.invoke(args=["charter", "verify"]).exit_code == 0


@pytest.fixture(scope="module")
def seeded_app(tmp_path_factory):
    overrides = {}
    if TestConfig.SQLALCHEMY_DATABASE_URI.startswith("sqlite"):
        path = tmp_path_factory.mktemp("seeded") / "seeded.sqlite"
        overrides["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    app = create_app(TestConfig, overrides)
    app.test_client_class = CSRFClient
    with app.app_context():
        db.drop_all()
        db.create_all()
        result = app.test_cli_runner().invoke(args=["charter", "seed-demo", *SMALL])
        assert result.exit_code == 0, result.output
        app.seed_output = result.output
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def seeded(seeded_app):
    yield seeded_app.seed_output
    db.session.rollback()


def _all(model):
    return list(db.session.scalars(db.select(model)))


def test_it_makes_what_was_asked_and_says_so(seeded):
    users = _all(User)
    residents = [u for u in users if u.email.endswith("@" + RESIDENT_DOMAIN)]
    assert len(residents) == 12 and all(u.role is Role.CITIZEN for u in residents)
    assert sum(u.may_vote for u in users) == 8
    comments = _all(Comment)
    assert len(comments) == 300
    assert len(_all(Support)) == 60
    published = [v for v in _all(CharterVersion) if v.status is VersionStatus.PUBLISHED]
    assert len(published) == 2
    # 30 in bulk, and those the history accepted or rejected through the real operations.
    proposals = _all(Proposal)
    assert len(proposals) > 30
    assert {p.status for p in proposals} >= {ProposalStatus.OPEN, ProposalStatus.ACCEPTED}
    assert "comments                   300" in seeded
    assert "charter verify: every hash of the record matches." in seeded


def test_the_discussion_has_the_shape_of_a_real_one(seeded):
    comments = _all(Comment)
    threads = [c for c in comments if c.parent_id is None]
    replies = [c for c in comments if c.parent_id is not None]
    assert len(replies) == 90  # 30%
    assert sum(c.kind is CommentKind.QUESTION for c in comments) == 24  # 8%
    for reply in replies:
        root = reply.parent
        assert root.parent_id is None  # one level deep
        assert (reply.clause_id, reply.revision_id) == (root.clause_id, root.revision_id)
        assert (reply.proposal_id, reply.proposal_text_id) == (
            root.proposal_id,
            root.proposal_text_id,
        )
        if reply.kind is CommentKind.ANSWER:
            assert root.kind is CommentKind.QUESTION and reply.author.is_committee
    assert any(r.kind is CommentKind.ANSWER for r in replies)
    for thread in threads:
        assert (thread.clause_id is None) != (thread.proposal_id is None)
        if thread.clause_id:
            assert thread.revision.clause_id == thread.clause_id
        else:
            assert thread.proposal_text.proposal_id == thread.proposal_id
    busiest = Counter(c.clause_id for c in comments if c.clause_id).most_common(1)[0][1]
    assert 0.08 < busiest / len(comments) < 0.25  # "one clause is busy": about 14%
    assert sum(c.deleted and c.body == "" for c in comments) >= 1


def test_anchors_quote_the_words_they_were_made_on(seeded):
    anchored = [c for c in _all(Comment) if c.exact is not None]
    assert 0.3 < len(anchored) / 210 < 0.5  # 40% of the 210 threads
    for comment in anchored:
        assert comment.parent_id is None
        text = wording_text(comment.revision or comment.proposal_text).text
        assert text[comment.start : comment.end] == comment.exact
        assert text[: comment.start].endswith(comment.prefix)
        assert text[comment.end :].startswith(comment.suffix)


def test_each_anchored_thread_has_one_placement_on_the_wording_shown_now(seeded):
    placements = {p.comment_id: p for p in _all(CommentPlacement)}
    anchored = [c for c in _all(Comment) if c.exact is not None]
    assert set(placements) == {c.id for c in anchored}
    statuses = Counter()
    for comment in anchored:
        placement = placements[comment.id]
        statuses[placement.status] += 1
        shown = comment.clause.current_revision if comment.clause else comment.proposal_text
        assert placement.target == target_key(shown)
        if placement.status == "orphaned":
            assert placement.start is None and placement.end is None
            assert comment.revision_id != shown.id  # made on an earlier wording
        else:
            text = wording_text(shown).text
            assert text[placement.start : placement.end]
        if placement.status == "exact" and comment.revision_id == getattr(shown, "id", None):
            assert (placement.start, placement.end) == (comment.start, comment.end)
    assert statuses["exact"] > statuses["orphaned"] > 0


def test_supports_are_unique_counted_and_never_the_authors_own(seeded):
    supports = _all(Support)
    assert len({(s.user_id, s.proposal_id) for s in supports}) == len(supports)
    per_proposal = Counter(s.proposal_id for s in supports)
    for proposal in _all(Proposal):
        assert proposal.support_count == per_proposal[proposal.id]
        assert proposal.author_id not in {
            s.user_id for s in supports if s.proposal_id == proposal.id
        }
        assert proposal.texts and proposal.texts[-1].body == proposal.body
        assert (proposal.decision_reason != "") == (proposal.status in (
            ProposalStatus.ACCEPTED, ProposalStatus.REJECTED
        ))  # fmt: skip


def test_the_record_verifies_and_residents_can_sign_in(seeded, seeded_app):
    result = seeded_app.test_cli_runner().invoke(args=["charter", "verify"])
    assert result.exit_code == 0, result.output
    assert "OK: 2 published version(s) verified" in result.output
    client = seeded_app.test_client()
    assert sign_in(client, resident_email(0), PASSWORD).status_code == 302
    busiest = db.session.scalar(
        db.select(Clause).join(Comment, Comment.clause_id == Clause.id).group_by(Clause.id)
        .order_by(db.func.count(Comment.id).desc()).limit(1)
    )  # fmt: skip
    assert client.get(f"/clauses/{busiest.key}").status_code == 200
