"""Proposals, their earlier texts, and support for them."""

import enum
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from charter.extensions import db
from charter.models.accounts import User
from charter.models.base import UTCDateTime, _enum, _l, labelled, utcnow
from charter.models.charter import Charter, Clause, ClauseRevision


@labelled(
    {
        "amend": _l("Change a clause"),
        "add": _l("Add a clause"),
        "remove": _l("Remove a clause"),
    }
)
class ProposalKind(enum.Enum):
    AMEND = "amend"
    ADD = "add"
    REMOVE = "remove"


@labelled(
    {
        "open": _l("Open"),
        "withdrawn": _l("Withdrawn"),
        "accepted": _l("Accepted"),
        "rejected": _l("Rejected"),
        "fallen": _l("Fallen"),
        "taken_in": _l("Taken in"),
    }
)
class ProposalStatus(enum.Enum):
    OPEN = "open"
    WITHDRAWN = "withdrawn"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    # Another proposal was accepted that changed the same words (or removed the clause), so
    # this one can no longer be made as written.
    FALLEN = "fallen"
    # An amendment its parent proposal's author took into the parent's text.
    TAKEN_IN = "taken_in"


class Proposal(db.Model):
    """A suggested change to the charter, with its reason, its support and its decision."""

    __tablename__ = "proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int] = mapped_column(ForeignKey("charters.id"), index=True)
    kind: Mapped[ProposalKind] = mapped_column(_enum(ProposalKind))
    clause_id: Mapped[int | None] = mapped_column(ForeignKey("clauses.id"), index=True)
    # The wording the proposal was written against (None when adding a clause).
    base_revision_id: Mapped[int | None] = mapped_column(ForeignKey("clause_revisions.id"))
    heading: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int | None] = mapped_column(Integer)
    rationale: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[ProposalStatus] = mapped_column(
        _enum(ProposalStatus), default=ProposalStatus.OPEN, index=True
    )
    needs_update: Mapped[bool] = mapped_column(Boolean, default=False)
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    result_revision_id: Mapped[int | None] = mapped_column(ForeignKey("clause_revisions.id"))
    # For a fallen proposal: the accepted one that made it impossible.
    fell_to_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"))
    # For an amendment: the proposal it proposes to change (one level only), and once its
    # author took it in, the text of the parent it became.
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id"), index=True)
    taken_into_text_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposal_texts.id", use_alter=True)
    )
    # Its place in the voting list the committee set for its competing set (1 goes first).
    vote_order: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Optimistic locking: two people acting on the same proposal cannot both succeed.
    lock_version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": lock_version}

    charter: Mapped[Charter] = relationship()
    clause: Mapped[Clause | None] = relationship()
    base_revision: Mapped[ClauseRevision | None] = relationship(foreign_keys=[base_revision_id])
    result_revision: Mapped[ClauseRevision | None] = relationship(foreign_keys=[result_revision_id])
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    fell_to: Mapped["Proposal | None"] = relationship(remote_side=[id], foreign_keys=[fell_to_id])
    parent: Mapped["Proposal | None"] = relationship(
        remote_side=[id], foreign_keys=[parent_id], back_populates="amendments"
    )
    amendments: Mapped[list["Proposal"]] = relationship(
        foreign_keys=[parent_id], back_populates="parent", order_by="Proposal.id"
    )
    taken_into_text: Mapped["ProposalText | None"] = relationship(
        foreign_keys=[taken_into_text_id], post_update=True
    )
    texts: Mapped[list["ProposalText"]] = relationship(
        back_populates="proposal",
        order_by="ProposalText.number",
        foreign_keys="ProposalText.proposal_id",
    )

    @property
    def is_open(self) -> bool:
        return self.status is ProposalStatus.OPEN

    @property
    def title(self) -> str:
        """Name the proposal in a few words, for lists and page titles."""
        if self.kind is ProposalKind.ADD:
            return f"Add “{self.heading}”"
        name = self.base_revision.heading if self.base_revision else self.heading
        verb = "Remove" if self.kind is ProposalKind.REMOVE else "Change"
        return f"{verb} “{name}”"

    @property
    def shown_title(self) -> str:
        """The title in the reader's language, for pages. `title` stays English: it is stored
        in the transparency log and changelogs and given out as JSON."""
        if self.kind is ProposalKind.ADD:
            return _("Add “%(heading)s”", heading=self.heading)
        name = self.base_revision.heading if self.base_revision else self.heading
        if self.kind is ProposalKind.REMOVE:
            return _("Remove “%(heading)s”", heading=name)
        return _("Change “%(heading)s”", heading=name)

    def __repr__(self) -> str:
        return f"<Proposal {self.id} {self.kind.value} {self.status.value}>"


class ProposalText(db.Model):
    """Each text a proposal has had: edits by its author never erase the earlier ones."""

    __tablename__ = "proposal_texts"
    __table_args__ = (UniqueConstraint("proposal_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    rationale: Mapped[str] = mapped_column(Text)
    base_revision_id: Mapped[int | None] = mapped_column(ForeignKey("clause_revisions.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="texts", foreign_keys=[proposal_id])


class Support(db.Model):
    """One person's support for one proposal."""

    __tablename__ = "supports"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Preference(db.Model):
    """One resident's choice of one proposal among those competing for the same words.

    One choice per set: choosing another proposal of the set moves it. It informs the
    committee; it decides nothing.
    """

    __tablename__ = "preferences"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
