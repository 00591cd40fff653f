"""The domain: accounts, the charter, clauses, revisions, proposals, versions, the audit log."""

from charter.models import append_only, immutability, search_index  # noqa: F401  (register hooks)
from charter.models.accounts import Role, User, UserSession, load_user
from charter.models.audit import AuditEvent, AuditLogHead, AuditName
from charter.models.base import ImmutableError, UTCDateTime, utcnow
from charter.models.charter import Charter, Clause, ClauseRevision
from charter.models.comments import (
    Comment,
    CommentKind,
    CommentOutcome,
    CommentPlacement,
    CommentReport,
    ReportStatus,
    WordingShift,
)
from charter.models.consultations import ConsultationWindow
from charter.models.notifications import (
    EmailChoice,
    Follow,
    FollowKind,
    NoticeKind,
    Notification,
    NotificationSetting,
)
from charter.models.plain import Supplement, SupplementKind
from charter.models.proposals import (
    Preference,
    Proposal,
    ProposalKind,
    ProposalStatus,
    ProposalText,
    Support,
)
from charter.models.versions import CharterVersion, VersionClause, VersionStatus, Vote, VoteChoice

__all__ = [
    "AuditEvent",
    "AuditLogHead",
    "AuditName",
    "Charter",
    "CharterVersion",
    "Clause",
    "Comment",
    "CommentKind",
    "CommentOutcome",
    "CommentPlacement",
    "CommentReport",
    "ConsultationWindow",
    "ReportStatus",
    "ClauseRevision",
    "EmailChoice",
    "Follow",
    "FollowKind",
    "ImmutableError",
    "NoticeKind",
    "Notification",
    "NotificationSetting",
    "Proposal",
    "ProposalKind",
    "ProposalStatus",
    "ProposalText",
    "Role",
    "Preference",
    "Supplement",
    "SupplementKind",
    "Support",
    "UTCDateTime",
    "User",
    "UserSession",
    "VersionClause",
    "VersionStatus",
    "Vote",
    "WordingShift",
    "VoteChoice",
    "load_user",
    "utcnow",
]
