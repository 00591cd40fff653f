"""Read a discussion: threads with their replies, and where each sits in the wording shown."""

from dataclasses import dataclass

from sqlalchemy.orm import joinedload, selectinload

from charter.comments.placing import Spot, spots, wording_text
from charter.extensions import db
from charter.models import (
    ClauseRevision,
    Comment,
    CommentReport,
    ProposalText,
    ReportStatus,
)
from charter.text.plaintext import Block, highlight


@dataclass(frozen=True)
class Discussion:
    threads: list[Comment]
    placements: dict[int, Spot]
    wording: ClauseRevision | ProposalText
    html: str  # the wording, with each placed passage highlighted
    paragraphs: tuple[Block, ...]

    def placement(self, comment: Comment) -> Spot | None:
        return self.placements.get(comment.id)

    @property
    def on_earlier_wording(self) -> list[Comment]:
        """Anchored threads whose words are not in this wording any more."""
        return [
            c
            for c in self.threads
            if c.is_anchored and (p := self.placements.get(c.id)) and p.status == "orphaned"
        ]

    @property
    def visible_threads(self) -> list[Comment]:
        """Threads still worth showing: not deleted, or deleted but with replies."""
        return [c for c in self.threads if not c.deleted or c.replies]


def discussion(wording: ClauseRevision | ProposalText, base_html: str, **about) -> Discussion:
    """Load every thread about a clause or proposal, placed on the wording shown, in 2 queries."""
    # Joined, not select-in, loading: select-in splits long id lists into batches of 500,
    # and then the query count would grow with the number of comments.
    threads = list(
        db.session.scalars(
            db.select(Comment)
            .filter_by(parent_id=None, **about)
            .order_by(Comment.created_at, Comment.id)
            .options(
                joinedload(Comment.author),
                joinedload(Comment.revision),
                joinedload(Comment.proposal_text),
                joinedload(Comment.replies).joinedload(Comment.author),
            )
        ).unique()
    )
    placements = spots(wording, threads)
    spans = [
        (p.start, p.end, f"c{c.id}")
        for c in threads
        if (p := placements.get(c.id)) and p.status != "orphaned" and not c.deleted and not c.hidden
    ]
    return Discussion(
        threads=threads,
        placements=placements,
        wording=wording,
        html=highlight(base_html, spans),
        paragraphs=wording_text(wording).blocks,
    )


def open_reports() -> list[CommentReport]:
    """Return the reports waiting for a moderator, oldest first."""
    return list(
        db.session.scalars(
            db.select(CommentReport)
            .filter_by(status=ReportStatus.OPEN)
            .order_by(CommentReport.created_at)
            .options(
                selectinload(CommentReport.comment).selectinload(Comment.author),
                selectinload(CommentReport.reporter),
            )
        )
    )


def hidden_comments() -> list[Comment]:
    """Return hidden comments, newest first, so moderators can restore them."""
    return list(
        db.session.scalars(
            db.select(Comment)
            .filter_by(hidden=True)
            .order_by(Comment.hidden_at.desc())
            .options(selectinload(Comment.author))
        )
    )
