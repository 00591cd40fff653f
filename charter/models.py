"""The domain: accounts, the charter, its clauses and their immutable revisions."""

import enum
from datetime import UTC, datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    DateTime,
    Enum,
    ForeignKey,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from charter.extensions import db, login_manager


def utcnow() -> datetime:
    """Return the current time, aware and in UTC, to the whole second."""
    return datetime.now(UTC).replace(microsecond=0)


class UTCDateTime(TypeDecorator):
    """Store aware UTC datetimes; give them back aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("Refusing to store a naive datetime.")
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def _enum(enum_class):
    # Store the readable value ("committee"), not the member name, and keep it a plain string
    # column so adding a member later needs no database type change.
    return Enum(
        enum_class,
        native_enum=False,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class ImmutableError(RuntimeError):
    """Raised when something tries to change or delete a record that must never change."""


class Role(enum.Enum):
    CITIZEN = "citizen"
    COMMITTEE = "committee"
    ADMIN = "admin"

    @property
    def label(self) -> str:
        return {"citizen": "Citizen", "committee": "Committee member", "admin": "Administrator"}[
            self.value
        ]


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(_enum(Role), default=Role.CITIZEN)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_committee(self) -> bool:
        return self.role in (Role.COMMITTEE, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def set_password(self, password: str) -> None:
        """Store a salted hash of the password (scrypt unless the config says otherwise)."""
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """Tell whether the password matches the stored hash."""
        return check_password_hash(self.password_hash, password)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role.value}>"


class Charter(db.Model):
    __tablename__ = "charters"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    preamble: Mapped[str] = mapped_column(Text, default="")
    consultation_open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    clauses: Mapped[list["Clause"]] = relationship(
        back_populates="charter", order_by="Clause.position"
    )


class Clause(db.Model):
    """A clause's identity: its key and place survive every rewording."""

    __tablename__ = "clauses"
    __table_args__ = (UniqueConstraint("charter_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int] = mapped_column(ForeignKey("charters.id"), index=True)
    key: Mapped[str] = mapped_column(String(60))
    position: Mapped[int] = mapped_column(Integer)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)
    # Points at the working draft; revisions themselves are append-only.
    current_revision_id: Mapped[int | None] = mapped_column(
        ForeignKey("clause_revisions.id", use_alter=True)
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    charter: Mapped[Charter] = relationship(back_populates="clauses")
    current_revision: Mapped["ClauseRevision | None"] = relationship(
        foreign_keys=[current_revision_id], post_update=True
    )
    revisions: Mapped[list["ClauseRevision"]] = relationship(
        back_populates="clause",
        foreign_keys="ClauseRevision.clause_id",
        order_by="ClauseRevision.number",
    )

    def __repr__(self) -> str:
        return f"<Clause {self.key}>"


class ClauseRevision(db.Model):
    """One wording of a clause. Written once, never updated or deleted."""

    __tablename__ = "clause_revisions"
    __table_args__ = (UniqueConstraint("clause_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    heading: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    note: Mapped[str] = mapped_column(String(200), default="")
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", use_alter=True))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    clause: Mapped[Clause] = relationship(back_populates="revisions", foreign_keys=[clause_id])
    author: Mapped[User | None] = relationship()
    proposal: Mapped["Proposal | None"] = relationship(foreign_keys=[proposal_id])

    def __repr__(self) -> str:
        return f"<ClauseRevision {self.clause_id}#{self.number}>"


class VersionStatus(enum.Enum):
    CANDIDATE = "candidate"
    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"


class CharterVersion(db.Model):
    """A numbered snapshot of the whole charter; immutable once published."""

    __tablename__ = "charter_versions"
    __table_args__ = (UniqueConstraint("charter_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    charter_id: Mapped[int] = mapped_column(ForeignKey("charters.id"), index=True)
    number: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[VersionStatus] = mapped_column(_enum(VersionStatus))
    title: Mapped[str] = mapped_column(String(200))
    preamble: Mapped[str] = mapped_column(Text, default="")
    changelog: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))
    previous_chain_hash: Mapped[str | None] = mapped_column(String(64))
    chain_hash: Mapped[str | None] = mapped_column(String(64))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    charter: Mapped[Charter] = relationship()
    entries: Mapped[list["VersionClause"]] = relationship(
        back_populates="version", order_by="VersionClause.position"
    )

    def __repr__(self) -> str:
        return f"<CharterVersion {self.number} {self.status.value}>"


class VersionClause(db.Model):
    """Which clause revision stands at which place in a version."""

    __tablename__ = "version_clauses"
    __table_args__ = (UniqueConstraint("version_id", "revision_id"),)

    version_id: Mapped[int] = mapped_column(ForeignKey("charter_versions.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    revision_id: Mapped[int] = mapped_column(ForeignKey("clause_revisions.id"), index=True)

    version: Mapped[CharterVersion] = relationship(back_populates="entries")
    revision: Mapped[ClauseRevision] = relationship()


class ProposalKind(enum.Enum):
    AMEND = "amend"
    ADD = "add"
    REMOVE = "remove"

    @property
    def label(self) -> str:
        return {"amend": "Change a clause", "add": "Add a clause", "remove": "Remove a clause"}[
            self.value
        ]


class ProposalStatus(enum.Enum):
    OPEN = "open"
    WITHDRAWN = "withdrawn"
    ACCEPTED = "accepted"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return self.value.capitalize()


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
    texts: Mapped[list["ProposalText"]] = relationship(
        back_populates="proposal", order_by="ProposalText.number"
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

    proposal: Mapped[Proposal] = relationship(back_populates="texts")


class Support(db.Model):
    """One person's support for one proposal."""

    __tablename__ = "supports"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEvent(db.Model):
    """Who did what to which object, and when; public events form the transparency log."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(60))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(String(500))
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    actor: Mapped[User | None] = relationship()


def _was_published(session: Session, version: CharterVersion) -> bool:
    """Tell whether the stored row is published, whatever the object now says."""
    if inspect(version).identity is None:
        return False
    with session.no_autoflush:
        stored = session.execute(
            db.select(CharterVersion.status).where(CharterVersion.id == version.id)
        ).scalar()
    return stored is VersionStatus.PUBLISHED


@event.listens_for(Session, "before_flush")
def _refuse_changes_to_immutable_records(session, flush_context, instances):
    """Stop any update or delete of a stored revision or a published version."""
    for obj in session.dirty:
        if not session.is_modified(obj, include_collections=False):
            continue
        if isinstance(obj, ClauseRevision | VersionClause | ProposalText):
            raise ImmutableError(f"{obj!r} is stored for good and cannot be changed.")
        if isinstance(obj, CharterVersion) and _was_published(session, obj):
            raise ImmutableError(f"{obj!r} is published and cannot be changed.")
    for obj in session.deleted:
        if isinstance(obj, ClauseRevision | ProposalText):
            raise ImmutableError(f"{obj!r} is stored for good and cannot be deleted.")
        if isinstance(obj, VersionClause) and obj.version.status is VersionStatus.PUBLISHED:
            raise ImmutableError(f"{obj!r} belongs to a published version.")
        if isinstance(obj, CharterVersion) and _was_published(session, obj):
            raise ImmutableError(f"{obj!r} is published and cannot be deleted.")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Return the signed-in user for Flask-Login; inactive accounts count as signed out."""
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.active else None
