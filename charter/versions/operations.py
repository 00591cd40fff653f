"""Candidates, votes and publication: how the working draft becomes a sealed version."""

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from charter.audit import log_events, record, take_log_head, verify_log
from charter.clauses.queries import working_draft
from charter.events import candidate_opened, version_published
from charter.extensions import db
from charter.languages import number
from charter.models import (
    Charter,
    CharterVersion,
    Proposal,
    ProposalKind,
    ProposalStatus,
    User,
    VersionStatus,
    Vote,
    VoteChoice,
    utcnow,
)
from charter.text.hashing import (
    SEAL_SCHEME,
    SealedEntry,
    SealedVote,
    chain_hash,
    clause_hash,
    draft_hash,
    seal_hash,
)
from charter.text.markdown import markdown_problems, render_markdown
from charter.versions.queries import (
    current_candidate,
    draft_as_version,
    latest_published,
    published_versions,
    version_draft,
)

CHANGELOG_MAX = 10_000
NOTE_MAX = 1_000
# The reason goes into the public log entry, whose summary holds 500 characters.
WITHDRAW_REASON_MAX = 400


class VersionError(ValueError):
    """A version action that cannot go ahead, with a message fit to show."""


class NothingToPublish(VersionError):
    """The working draft is the same as the latest published version."""


def _audit(actor: User | None, action: str, version: CharterVersion, summary: str) -> None:
    record(actor, action, "version", version.id, summary)


def _snapshot(charter: Charter, *, changelog: str) -> CharterVersion:
    """Freeze the working draft: the exact clause revisions, their order and the preamble."""
    version = draft_as_version(charter)
    version.changelog = changelog
    version.content_hash = draft_hash(version_draft(version))
    previous = latest_published(charter)
    if previous is not None and previous.content_hash == version.content_hash:
        if version in db.session:
            db.session.expunge(version)
        raise NothingToPublish(
            _(
                "The working draft is the same as version %(n)s; there is nothing new to put to "
                "a vote.",
                n=previous.number,
            )
        )
    return version


def _seal(version: CharterVersion, by: User | None, published_at: datetime | None = None) -> None:
    previous = latest_published(version.charter)
    votes = _votes(version)
    for vote in votes:
        # Snapshot the names while the row may still change: the vote record is sealed below.
        vote.member_name = vote.member.display_name
    # Taken before the version changes: it flushes, and a published row cannot change again.
    log_head = take_log_head()
    # One change of the row: reading the entries below must not flush it half-sealed.
    with db.session.no_autoflush:
        version.number = (previous.number if previous else 0) + 1
        version.status = VersionStatus.PUBLISHED
        version.published_at = (published_at or utcnow()).replace(microsecond=0)
        version.published_by = by
        version.previous_chain_hash = previous.chain_hash if previous else None
        version.seal_scheme = SEAL_SCHEME
        version.log_head = log_head
        version.chain_hash = _chain_hash(version, votes)


def expected_chain_hash(version: CharterVersion) -> str:
    """Recompute a version's chain hash from what is stored now."""
    return _chain_hash(version, _votes(version))


def _votes(version: CharterVersion) -> list[Vote]:
    if version.id is None:
        return []
    return list(db.session.scalars(db.select(Vote).filter_by(version_id=version.id)))


def _chain_hash(version: CharterVersion, votes: list[Vote]) -> str:
    """Compute a version's chain hash by the rule it was sealed with."""
    if version.seal_scheme is None:
        return chain_hash(
            version.content_hash, version.number, version.published_at, version.previous_chain_hash
        )
    return seal_hash(
        content_hash=version.content_hash,
        number=version.number,
        published_at=version.published_at,
        previous_chain_hash=version.previous_chain_hash,
        changelog=version.changelog,
        votes=[SealedVote(v.member_id, v.member_name or "", v.choice.value, v.note) for v in votes],
        entries=[
            SealedEntry(e.position, e.revision.content_hash, e.revision.body_html)
            for e in version.entries
        ],
        log_head=version.log_head,
    )


def publish_working_draft(
    charter: Charter, *, changelog: str = "", published_at: datetime | None = None
) -> CharterVersion:
    """Record the working draft as already ratified (for a charter agreed before Charter)."""
    version = _snapshot(charter, changelog=changelog)
    _seal(version, None, published_at)
    version.opened_at = version.published_at
    db.session.add(version)
    db.session.flush()
    _audit(None, "version.published", version, f"Version {version.number} was published.")
    version_published.send(version)
    return version


def working_draft_is_new(charter: Charter) -> bool:
    """Tell whether the working draft differs from the latest published version."""
    previous = latest_published(charter)
    return previous is None or draft_hash(working_draft(charter)) != previous.content_hash


def accepted_since_last_version(charter: Charter) -> list[Proposal]:
    """Return the accepted proposals whose change is not yet in a published version."""
    previous = latest_published(charter)
    in_force = {e.revision_id for e in previous.entries} if previous else set()
    clauses_in_force = {e.revision.clause_id for e in previous.entries} if previous else set()
    accepted = db.session.scalars(
        db.select(Proposal)
        .filter_by(charter_id=charter.id, status=ProposalStatus.ACCEPTED)
        .order_by(Proposal.decided_at, Proposal.id)
    )
    # Judged by content, not by clock: a proposal counts until its wording is published.
    return [
        p
        for p in accepted
        if (p.kind is ProposalKind.REMOVE and p.clause_id in clauses_in_force)
        or (
            p.kind is not ProposalKind.REMOVE
            and p.result_revision_id not in in_force
            and not _superseded_in(previous, p)
        )
    ]


def _superseded_in(previous: CharterVersion | None, proposal: Proposal) -> bool:
    """Tell whether a published version already holds a later wording of the proposal's clause."""
    if previous is None or proposal.result_revision is None:
        return False
    for entry in previous.entries:
        if entry.revision.clause_id == proposal.clause_id:
            return entry.revision.number >= proposal.result_revision.number
    return False


def open_candidate(charter: Charter, by: User, changelog: str) -> CharterVersion:
    """Put a frozen copy of the working draft to the committee's vote."""
    if current_candidate(charter) is not None:
        raise VersionError(
            _("A candidate is already open. Publish or withdraw it before opening another.")
        )
    changelog = changelog.strip()
    if not changelog:
        raise VersionError(_("Write a changelog: readers need to know what changed and why."))
    if len(changelog) > CHANGELOG_MAX:
        raise VersionError(_("Keep the changelog to %(n)s characters.", n=number(CHANGELOG_MAX)))
    if problems := markdown_problems(changelog):
        raise VersionError(
            _(
                "The changelog cannot be shown as formatted text. %(problem)s",
                problem=problems[0],
            )
        )
    version = _snapshot(charter, changelog=changelog)
    version.opened_by = by
    version.opened_at = utcnow()
    db.session.add(version)
    db.session.flush()
    _audit(by, "version.candidate_opened", version, "A candidate version was opened for a vote.")
    db.session.flush()
    candidate_opened.send(version)
    return version


# What a member is told when someone else closed the candidate first, by what they tried.
_AFTER_PUBLISHED = {
    "vote": _l(
        "Version %(n)s was just published by another member, so voting has closed and your "
        "vote was not recorded."
    ),
    "publish": _l(
        "Version %(n)s was just published by another member, so it was not published a second time."
    ),
    "withdraw": _l(
        "Version %(n)s was just published by another member, so it can no longer be withdrawn."
    ),
}
_AFTER_WITHDRAWN = {
    "vote": _l(
        "This candidate was already %(status)s, so voting has closed and your vote was not "
        "recorded."
    ),
    "publish": _l("This candidate was already %(status)s, so it cannot be published."),
    "withdraw": _l("This candidate was already %(status)s, so nothing was changed."),
}


MISSING_FINGERPRINT = _l(
    "Reload the candidate page and try again: your browser did not say which version of the "
    "candidate you reviewed, so nothing was changed."
)


def _require_candidate(version: CharterVersion, seen_hash: str | None, doing: str) -> None:
    if version.is_published:
        raise VersionError(_AFTER_PUBLISHED[doing] % {"n": version.number})
    if not version.is_candidate:
        raise VersionError(_AFTER_WITHDRAWN[doing] % {"status": version.status.value})
    if not seen_hash:  # without it a member could act on a candidate they never saw
        raise VersionError(str(MISSING_FINGERPRINT))
    if seen_hash != version.content_hash:
        raise VersionError(
            _(
                "The candidate changed since you opened the page. Review the changes again, "
                "then vote."
            )
        )


def _lock_candidate(version: CharterVersion, seen_hash: str | None, doing: str) -> None:
    """Hold the candidate's row until commit, reload it and check it is still open to `doing`.

    Voting, publishing and withdrawing all take this lock first, so a vote either lands before
    the tally that publishes (and is counted in it) or arrives after and is refused.
    """
    db.session.refresh(version, with_for_update=True)
    _require_candidate(version, seen_hash, doing)


def cast_vote(
    version: CharterVersion, member: User, choice: VoteChoice, note: str, *, seen_hash: str
) -> Vote:
    """Record or change a member's vote on the candidate they reviewed."""
    _lock_candidate(version, seen_hash, "vote")
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise VersionError(_("Keep the note to %(n)s characters.", n=number(NOTE_MAX)))
    vote = db.session.scalar(db.select(Vote).filter_by(version_id=version.id, member_id=member.id))
    if vote is None:
        vote = Vote(version=version, member=member, choice=choice, note=note)
        db.session.add(vote)
    else:
        vote.choice, vote.note, vote.updated_at = choice, note, utcnow()
    # The Who column names the member; the sealed summary never does (see charter.audit).
    _audit(member, "version.vote", version, f"Voted {choice.value}.")
    db.session.flush()
    return vote


@dataclass(frozen=True)
class Tally:
    approve: int
    reject: int
    abstain: int
    members: int
    quorum_percent: int
    threshold_percent: int

    @property
    def voted(self) -> int:
        return self.approve + self.reject + self.abstain

    @property
    def quorum_met(self) -> bool:
        """More than quorum_percent of the committee has voted (abstaining counts as voting)."""
        return self.members > 0 and self.voted * 100 > self.quorum_percent * self.members

    @property
    def threshold_met(self) -> bool:
        """More than threshold_percent of those who took a side approve."""
        sides = self.approve + self.reject
        return sides > 0 and self.approve * 100 > self.threshold_percent * sides

    @property
    def rule_met(self) -> bool:
        return self.quorum_met and self.threshold_met


def committee_size() -> int:
    """Count the active accounts that may vote: committee members and admins."""
    return db.session.scalar(db.select(db.func.count(User.id)).where(User.may_vote))


def tally(version: CharterVersion) -> Tally:
    """Count the votes of the current committee against its charter's ratification rule."""
    # Counted like committee_size(): a vote cast before its member was demoted or deactivated
    # must not count towards a committee that member is no longer in.
    counts = dict(
        db.session.execute(
            db.select(Vote.choice, db.func.count(Vote.id))
            .join(User, User.id == Vote.member_id)
            .where(Vote.version_id == version.id, User.may_vote)
            .group_by(Vote.choice)
        ).all()
    )
    return Tally(
        approve=counts.get(VoteChoice.APPROVE, 0),
        reject=counts.get(VoteChoice.REJECT, 0),
        abstain=counts.get(VoteChoice.ABSTAIN, 0),
        members=committee_size(),
        quorum_percent=version.charter.quorum_percent,
        threshold_percent=version.charter.threshold_percent,
    )


def publish_candidate(version: CharterVersion, by: User, *, seen_hash: str) -> CharterVersion:
    """Publish the candidate as the next numbered version, once the ratification rule is met."""
    _lock_candidate(version, seen_hash, "publish")
    result = tally(version)  # counted under the lock: no vote can change until this commits
    if not result.rule_met:
        raise VersionError(
            _("The ratification rule is not met yet: not enough members have voted.")
            if not result.quorum_met
            else _("The ratification rule is not met yet: too few approve.")
        )
    _seal(version, by)
    db.session.flush()
    _audit(by, "version.published", version, f"Version {version.number} was published.")
    db.session.flush()
    version_published.send(version)
    return version


def withdraw_candidate(version: CharterVersion, by: User, *, seen_hash: str, reason: str) -> None:
    """Withdraw the candidate, saying why in the public log; a new one can then be opened."""
    reason = reason.strip()
    if not reason:
        raise VersionError(_("Say why the candidate is withdrawn: everyone will read the reason."))
    if len(reason) > WITHDRAW_REASON_MAX:
        raise VersionError(_("Keep the reason to %(n)s characters.", n=WITHDRAW_REASON_MAX))
    _lock_candidate(version, seen_hash, "withdraw")
    version.status = VersionStatus.WITHDRAWN
    version.withdrawn_at = utcnow()
    db.session.flush()
    _audit(
        by,
        "version.candidate_withdrawn",
        version,
        f"The candidate version was withdrawn. Reason: {reason}",
    )
    db.session.flush()


PUBLISHED_ACTION = "version.published"


def verify_versions(charter: Charter) -> list[str]:
    """Recompute every hash of every published version and of the log; list each mismatch."""
    problems = _verify_renderings(charter)
    events = log_events()
    problems += verify_log(events)
    position = {e.hash: n for n, e in enumerate(events)}
    published_by_event = {
        e.object_id: n for n, e in enumerate(events) if e.action == PUBLISHED_ACTION
    }
    previous = None
    for version in published_versions(charter):
        problems += _verify_version(version, previous, position, published_by_event)
        previous = version
    published_ids = {v.id for v in published_versions(charter)}
    for version_id in published_by_event.keys() - published_ids:
        found = db.session.get(CharterVersion, version_id) if version_id is not None else None
        state = "is missing" if found is None else f"is {found.status.value}"
        problems.append(
            f"Transparency log: it records the publication of a version (id {version_id}) that "
            f"{state}: a published version was removed or withdrawn."
        )
    return problems


def _verify_renderings(charter: Charter) -> list[str]:
    """Render every revision's Markdown again; the stored HTML pages serve must match."""
    problems = []
    for clause in charter.clauses:
        for revision in clause.revisions:
            if revision.body_html != render_markdown(revision.body):
                problems.append(
                    f"Clause '{clause.key}' revision {revision.number}: the HTML that pages "
                    "show is not what its Markdown renders to."
                )
    return problems


def _verify_version(
    version: CharterVersion,
    previous: CharterVersion | None,
    position: dict[str, int],
    published_by_event: dict[int, int],
) -> list[str]:
    problems = []
    name = f"Version {version.number}"
    for entry in version.entries:
        revision = entry.revision
        if revision.content_hash != clause_hash(
            revision.clause.key, revision.heading, revision.body
        ):
            problems.append(
                f"{name}: the text of clause '{revision.clause.key}' "
                f"(revision {revision.number}) does not match its stored hash."
            )
    if version.content_hash != draft_hash(version_draft(version)):
        problems.append(f"{name}: its text does not match its content hash.")
    expected_number = (previous.number if previous else 0) + 1
    if version.number != expected_number:
        problems.append(f"{name}: version {expected_number} is missing before it.")
    if version.previous_chain_hash != (previous.chain_hash if previous else None):
        problems.append(f"{name}: it does not link to the chain hash of the version before.")
    if version.chain_hash != expected_chain_hash(version):
        problems.append(
            f"{name}: its chain hash does not match its contents "
            "(text, HTML, changelog, vote record or log head)."
        )
    if version.seal_scheme is None:
        if previous is not None and previous.seal_scheme is not None:
            problems.append(f"{name}: it claims an older seal than the version before it.")
        return problems
    if version.seal_scheme != SEAL_SCHEME:
        problems.append(f"{name}: it names an unknown seal rule ({version.seal_scheme}).")
    if version.id not in published_by_event:
        problems.append(f"{name}: the transparency log does not record its publication.")
    elif version.log_head is not None and not (
        position.get(version.log_head, len(position)) < published_by_event[version.id]
    ):
        problems.append(
            f"{name}: the transparency log it was sealed with is not the log as kept now."
        )
    return problems


def chain_head(charter: Charter) -> str | None:
    """Return the chain hash of the latest published version: the head readers keep."""
    latest = latest_published(charter)
    return latest.chain_hash if latest else None
