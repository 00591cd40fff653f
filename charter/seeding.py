"""Seed a county's worth of discussion, so that anyone can reproduce the figures at scale.

The charter's history (clauses, their revisions, published versions with their votes, seals
and transparency log) is written through the real operations, exactly as the committee would
write it, so `charter verify` holds afterwards. What only grows in number (residents,
proposals, supports, comments and their placements) is written in bulk through SQLAlchemy
Core: through the operations it would take hours.

The same plan (and seed) gives the same data. The history depends only on the seed and the
number of versions, so a near-empty database seeded with the same seed has the same clause
keys and versions as a full one.
"""

import enum
import random
import re
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import accumulate

from sqlalchemy import func, insert
from sqlalchemy import text as sql

from charter.audit import record
from charter.clauses.operations import import_draft, record_import
from charter.clauses.queries import live_clauses
from charter.comments.placing import target_key, wording_text
from charter.extensions import db
from charter.models import (
    Charter,
    Clause,
    ClauseRevision,
    Comment,
    CommentKind,
    CommentPlacement,
    Proposal,
    ProposalKind,
    ProposalStatus,
    ProposalText,
    Role,
    Support,
    User,
    VoteChoice,
    utcnow,
)
from charter.proposals.operations import accept_proposal, create_proposal, reject_proposal
from charter.text.anchoring import Anchor, make_anchor, reanchor_many
from charter.text.drafts import Draft
from charter.text.markdown import rendered
from charter.text.plaintext import plain_text
from charter.versions.operations import (
    cast_vote,
    open_candidate,
    publish_candidate,
    publish_working_draft,
    withdraw_candidate,
)
from charter.versions.queries import current_candidate, latest_published

# The shape of the discussion, as the issue that asked for this data set describes it.
REPLY_SHARE = 0.30  # of all comments
QUESTION_SHARE = 0.08  # of all comments (questions are always threads)
ANSWERED_SHARE = 0.5  # of questions, answered officially by a committee member
ANCHORED_SHARE = 0.40  # of threads, on selected words
EARLIER_SHARE = 0.10  # of anchored clause threads: made on a wording whose words are gone
CLAUSE_SHARE = 0.60  # of threads, on clauses (the rest on proposals)
BUSIEST_SHARE = 0.14  # of all comments, on the busiest clause
HIDDEN_SHARE, DELETED_SHARE, EDITED_SHARE = 0.005, 0.01, 0.03
OPEN_SHARE, REJECTED_SHARE = 0.75, 0.15  # of proposals; the rest are withdrawn
AMEND_SHARE, ADD_SHARE = 0.85, 0.08  # of proposals; the rest propose removing a clause
TWO_TEXTS_SHARE = 0.10  # of proposals, edited once by their author
COMMITTEE_SIZE = 7  # members, plus one administrator; all of them vote

RESIDENT_DOMAIN = "residents.example.org"
COMMITTEE_DOMAIN = "committee.example.org"

# Enough names for 1,600 residents; after that a number tells namesakes apart.
_FIRST = (
    "Ada Ben Cara Dev Ella Finn Gita Hugo Isla Jon Kemi Leo Maya Nia Omar Pia Quinn Ravi Sara Tom "
    "Uma Vic Wes Xena Yara Zak Alma Bram Cleo Dara Emil Fern Gus Hana Ivo Jude Kit Lena Milo Nell"
)
_LAST = (
    "Abbott Baker Carter Dunn Evans Fisher Grant Hughes Iqbal Jones Khan Lewis Mason Novak Owen "
    "Price Quayle Reid Shah Taylor Usher Vance Walsh Young Zielinski Ahmed Brooks Chen Doyle Ellis "
    "Foster Gill Hart Ince Jarvis Kerr Lowe Moss Nash Okafor"
)
FIRST_NAMES, LAST_NAMES = _FIRST.split(), _LAST.split()
COMMITTEE_NAMES = [
    "Morgan Hale",
    "Rosa Lindqvist",
    "Tariq Osei",
    "Helen Marsh",
    "Idris Penhaligon",
    "Joy Adebayo",
    "Colm Brannigan",
]
ADMIN_NAME = "Jordan Reyes"

SUBJECTS = (
    "We",
    "The committee",
    "The council",
    "Every partner",
    "The Office for Data Analytics",
    "Each project team",
    "The police",
    "The university",
    "Our staff",
    "Anyone who works with the data",
)
VERBS = (
    "will publish",
    "will explain",
    "will check",
    "will review",
    "will record",
    "will delete",
    "will keep",
    "will ask residents about",
    "will write down",
    "will never sell",
)
OBJECTS = (
    "every request for data",
    "the purpose of each project",
    "the list of partners",
    "how long data is kept",
    "each decision of the committee",
    "the results of every audit",
    "the data we join",
    "any breach of this charter",
    "the register of projects",
    "the names of the companies involved",
    "what a model was trained on",
    "the reasons for each decision",
)
ENDINGS = (
    "within ten working days",
    "in plain English",
    "before a project starts",
    "once a year",
    "on the public register",
    "without charge",
    "as soon as we can",
    "when a resident asks",
    "at every committee meeting",
    "before the data is deleted",
)
OPENERS = (
    "I agree with this.",
    "This needs to be clearer.",
    "This goes too far.",
    "This does not go far enough.",
    "Good, but who checks it?",
    "Please keep this promise as it is.",
    "My neighbours worry about this part.",
    "I would add one thing.",
    "This is the most important promise here.",
    "The wording is hard to follow.",
)
QUESTIONS = (
    "Who checks {}?",
    "When will you publish {}?",
    "Does this cover {}?",
    "Can residents see {}?",
    "What happens to {} when a project ends?",
)
TOPICS = (
    "children's data",
    "health records",
    "cameras in public places",
    "data about location",
    "research with the university",
    "automated scores",
    "data shared with other councils",
    "complaints about data",
)
REJECTIONS = (
    "The charter already promises this in another clause.",
    "This would stop projects that residents asked for.",
    "The law does not allow us to promise this.",
    "The committee prefers the current wording; it is clearer.",
)
HIDING_REASONS = ("Off-topic.", "Personal details about someone else.", "Abusive language.")

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_SENTENCE = re.compile(r"[^.!?]+[.!?]?")


class SeedRefused(RuntimeError):
    """Seeding would mix with data that is already there, or the plan cannot be met."""


@dataclass(frozen=True)
class SeedPlan:
    """How much to make. The defaults are the county's worth the scale issue describes."""

    residents: int = 2_000
    proposals: int = 10_000
    comments: int = 100_000
    supports: int = 50_000
    versions: int = 20
    seed: int = 1


@dataclass
class SeedReport:
    """What was made, how long each phase took, and what a benchmark should look at."""

    counts: Counter = field(default_factory=Counter)
    phases: list[tuple[str, float]] = field(default_factory=list)
    placements: Counter = field(default_factory=Counter)  # by status
    busiest_clause: str = ""
    quiet_clause: str = ""
    busiest_proposal: int | None = None
    busiest_clause_comments: int = 0

    @property
    def seconds(self) -> float:
        return sum(seconds for _, seconds in self.phases)


class _Clock:
    """Time each phase of the seeding into the report, and tell the caller as it goes."""

    def __init__(self, report: SeedReport, say: Callable[[str], None]):
        self.report, self.say, self.started = report, say, time.perf_counter()

    def done(self, phase: str) -> None:
        now = time.perf_counter()
        self.report.phases.append((phase, now - self.started))
        self.say(f"{phase}: {now - self.started:.1f} s")
        self.started = now


def sentence(rng: random.Random) -> str:
    """Make one plain sentence of charter-like prose."""
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(ENDINGS)}."
    )


def _is_prose(block: str) -> bool:
    """Tell whether a Markdown block is a plain paragraph that a sentence can be swapped in."""
    return bool(block) and block[0].isalpha() and not any(c in block for c in "[]`|<>\n")


def reword(rng: random.Random, body: str) -> str:
    """Change a clause body as a proposal would: swap one sentence, or add one."""
    blocks = body.split("\n\n")
    prose = [n for n, block in enumerate(blocks) if _is_prose(block)]
    if not prose:
        return body + "\n\n" + sentence(rng)
    n = rng.choice(prose)
    sentences = re.split(r"(?<=[.!?])\s+", blocks[n])
    at = rng.randrange(len(sentences))
    new = sentence(rng)
    if rng.random() < 0.7 and sentences[at] != new:
        sentences[at] = new
    else:
        sentences.insert(at + 1, new)
    blocks[n] = " ".join(sentences)
    return "\n\n".join(blocks)


def _zipf(count: int, exponent: float) -> list[float]:
    return [1 / (rank + 1) ** exponent for rank in range(count)]


def _spread(total: int, weights: list[float], cap: int) -> list[int]:
    """Share total among weighted slots, none above cap (what cannot fit is dropped)."""
    if total <= 0 or not weights or cap <= 0:
        return [0] * len(weights)
    scale = total / sum(weights)
    counts = [min(cap, int(w * scale)) for w in weights]
    left = total - sum(counts)
    # What rounding and the cap left over goes one by one to the heaviest slots with room.
    order = sorted(range(len(weights)), key=lambda i: -weights[i])
    while left > 0:
        room = [i for i in order if counts[i] < cap][:left]
        if not room:
            break
        for i in room:
            counts[i] += 1
        left -= len(room)
    return counts


class _Draw:
    """Draw from a weighted population many times: the running totals are summed once."""

    def __init__(self, population: Sequence, weights: Sequence[float]):
        self.population, self.totals = population, list(accumulate(weights))

    def __call__(self, rng: random.Random):
        return rng.choices(self.population, cum_weights=self.totals)[0]


def _between(rng: random.Random, start: datetime, end: datetime) -> datetime:
    """Return a time in [start, end]; it always draws once, so the data never hangs on time."""
    share = rng.random()
    return start + timedelta(seconds=share * max(0.0, (end - start).total_seconds()))


def _insert(table, rows: list[dict], *, returning: bool = False) -> list[int]:
    """Insert rows in bulk; return their new ids, in order, when asked."""
    if not rows:
        return []
    if db.session.connection().dialect.name == "postgresql":
        return _copy(table, rows, returning=returning)
    if not returning:
        db.session.execute(insert(table), rows)
        return []
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(db.session.scalars(statement, rows))


def _copy(table, rows: list[dict], *, returning: bool) -> list[int]:
    """Insert rows with PostgreSQL's COPY, many times faster than INSERT for this many rows.

    Ids come from the table's own sequence, so anything inserted meanwhile gets others.
    """
    ids = []
    if returning:
        ids = sorted(
            db.session.scalars(
                sql("SELECT nextval(pg_get_serial_sequence(:t, 'id')) FROM generate_series(1, :n)"),
                {"t": table.name, "n": len(rows)},
            )
        )
        rows = [{"id": row_id, **row} for row_id, row in zip(ids, rows, strict=True)]
    columns = list(rows[0])
    names = ", ".join(f'"{name}"' for name in columns)
    cursor = db.session.connection().connection.cursor()
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row([_stored(row[name]) for name in columns])
    return ids


def _stored(value):
    # Enum columns hold the member's value ("open"), as the models' column type stores it.
    return value.value if isinstance(value, enum.Enum) else value


def count_comments() -> int:
    return db.session.scalar(db.select(func.count(Comment.id)))


def seed_demo(
    plan: SeedPlan,
    *,
    draft: Draft,
    slug: str,
    password: str,
    force: bool = False,
    say: Callable[[str], None] = lambda message: None,
) -> SeedReport:
    """Build the data set the plan describes, committing as it goes; return what it made."""
    if plan.residents < 2 or plan.versions < 1:
        raise SeedRefused("Seed at least 2 residents and 1 version.")
    if min(plan.proposals, plan.comments, plan.supports) < 0:
        raise SeedRefused("Counts cannot be negative.")
    if not force and count_comments():
        raise SeedRefused(
            "This database already has comments. Seed an empty database, or pass --force to "
            "add the seeded data to what is there."
        )
    report = SeedReport()
    clock = _Clock(report, say)
    committee, residents = _accounts(plan, shared_password_hash(password), report)
    db.session.commit()
    clock.done(f"accounts ({len(residents):,} residents, {len(committee)} committee)")

    history = _History(plan, draft, slug, committee, residents, report)
    charter = history.build()
    clock.done(f"history ({plan.versions} versions through the real operations)")

    bulk = _Bulk(plan, charter, committee, residents, history, report)
    bulk.proposals()
    clock.done(f"proposals ({report.counts['proposals']:,} with their texts and supports)")
    bulk.comments()
    clock.done(f"comments ({report.counts['comments']:,} with their placements)")
    bulk.decisions_in_the_log()
    db.session.commit()
    clock.done("transparency log entries for the decisions and moderation")
    # Fresh statistics, as autovacuum would gather soon after a real load: without them the
    # planner takes the bulk-loaded tables for nearly empty and picks plans to match.
    db.session.execute(sql("ANALYZE"))
    db.session.commit()
    clock.done("statistics for the query planner (ANALYZE)")

    report.busiest_clause = busiest_clause(charter).key
    report.busiest_clause_comments = comments_on_clause(busiest_clause(charter))
    report.quiet_clause = quiet_clause(charter).key
    report.busiest_proposal = busiest_proposal_id()
    return report


def shared_password_hash(password: str) -> str:
    """Hash a password once, as accounts hash theirs, for every seeded account to share."""
    user = User()
    user.set_password(password)
    return user.password_hash


def _accounts(plan: SeedPlan, password_hash: str, report: SeedReport):
    """Make the committee (unless there) and the residents, all with one password hash."""
    now = utcnow()
    committee = []
    wanted = [
        (f"member{n}@{COMMITTEE_DOMAIN}", name, Role.COMMITTEE)
        for n, name in enumerate(COMMITTEE_NAMES, start=1)
    ]
    wanted.append((f"admin@{COMMITTEE_DOMAIN}", ADMIN_NAME, Role.ADMIN))
    for email, name, role in wanted:
        user = db.session.scalar(db.select(User).filter_by(email=email))
        if user is None:
            user = User(
                email=email,
                display_name=name,
                role=role,
                password_hash=password_hash,
                email_verified_at=now,  # made by a command, as create_user's are
            )
            db.session.add(user)
            report.counts["users"] += 1
        committee.append(user)
    db.session.flush()
    # Numbered after any seeded before, so a forced second seeding adds new people.
    already = db.session.scalar(
        db.select(func.count(User.id)).where(User.email.like(f"%@{RESIDENT_DOMAIN}"))
    )
    rows = []
    for n in range(already, already + plan.residents):
        rows.append(
            {
                "email": resident_email(n),
                "display_name": resident_name(n),
                "password_hash": password_hash,
                "role": Role.CITIZEN,
                "active": True,
                "created_at": now,
                "email_verified_at": now,  # demo residents take part without a mailbox
            }
        )
    residents = _insert(User.__table__, rows, returning=True)
    report.counts["users"] += len(residents)
    return committee, residents


def resident_name(n: int) -> str:
    """Return the display name of the n-th seeded resident (from 0)."""
    first = FIRST_NAMES[n % len(FIRST_NAMES)]
    last = LAST_NAMES[n // len(FIRST_NAMES) % len(LAST_NAMES)]
    lap = n // (len(FIRST_NAMES) * len(LAST_NAMES))
    return f"{first} {last}" + (f" {lap + 1}" if lap else "")


def resident_email(n: int) -> str:
    """Return the email address of the n-th seeded resident (from 0)."""
    return f"resident{n + 1:05d}@{RESIDENT_DOMAIN}"


class _History:
    """The charter's history through the real operations: proposals accepted, versions voted."""

    def __init__(self, plan, draft, slug, committee, residents, report):
        self.plan, self.draft, self.slug = plan, draft, slug
        self.committee, self.residents, self.report = committee, residents, report
        # Its own random stream: the history is the same whatever the bulk counts.
        self.rng = random.Random(f"{plan.seed}:history")
        self.busiest: Clause | None = None
        self.quiet: Clause | None = None

    def build(self) -> Charter:
        charter = db.session.scalar(db.select(Charter).filter_by(slug=self.slug))
        if charter is None:
            imported = import_draft(self.draft, slug=self.slug, note="First draft")
            record_import(imported, "the seeded draft")
            charter = imported.charter
            db.session.commit()
        if current_candidate(charter) is not None:
            raise SeedRefused("A candidate version is open; publish or withdraw it first.")
        if not charter.consultation_open:
            raise SeedRefused("The consultation is closed, so no proposal can be made.")
        clauses = live_clauses(charter)
        if len(clauses) < 2:
            raise SeedRefused("The charter needs at least two clauses: a busy one and a quiet one.")
        self.busiest, self.quiet = self.rng.sample(clauses, 2)
        rounds = self.plan.versions
        if latest_published(charter) is None:
            publish_working_draft(charter, changelog="- Ratified before Charter.")
            self.report.counts["versions"] += 1
            db.session.commit()
            rounds -= 1
        for n in range(rounds):
            self._round(charter, n)
        # One accepted change waits for the next version, as it usually would.
        self._accept_amendments(charter, self._pick_clauses(charter, 1))
        db.session.commit()
        return charter

    def _author(self) -> User:
        return db.session.get(User, self.rng.choice(self.residents))

    def _member(self) -> User:
        return self.rng.choice(self.committee)

    def _others(self, charter: Charter) -> list[Clause]:
        """Return the live clauses other than the busiest and the quiet one."""
        return [c for c in live_clauses(charter) if c not in (self.busiest, self.quiet)]

    def _pick_clauses(self, charter: Charter, count: int, with_busiest: bool = False):
        others = self._others(charter)
        chosen = self.rng.sample(others, min(count, len(others)))
        if with_busiest or not chosen:  # a charter of two clauses has only the busiest to change
            return [self.busiest, *chosen[1:]]
        return chosen

    def _accept_amendments(self, charter: Charter, clauses: list[Clause]) -> list[Proposal]:
        accepted = []
        for clause in clauses:
            wording = clause.current_revision
            proposal = create_proposal(
                charter,
                self._author(),
                ProposalKind.AMEND,
                clause=clause,
                heading=wording.heading,
                body=reword(self.rng, wording.body),
                rationale=f"{self.rng.choice(OPENERS)} {sentence(self.rng)}",
            )
            accept_proposal(proposal, self._member(), "Agreed: " + sentence(self.rng))
            accepted.append(proposal)
        self.report.counts["proposals"] += len(accepted)
        return accepted

    def _round(self, charter: Charter, n: int) -> None:
        accepted = self._accept_amendments(
            charter, self._pick_clauses(charter, self.rng.randint(2, 4), with_busiest=n % 3 == 0)
        )
        if n % 6 == 4:  # now and then a clause is added
            topic = self.rng.choice(TOPICS)
            proposal = create_proposal(
                charter,
                self._author(),
                ProposalKind.ADD,
                heading=topic[0].upper() + topic[1:],
                body=" ".join(sentence(self.rng) for _ in range(3)),
                rationale=f"The charter says nothing about {topic}.",
            )
            accept_proposal(proposal, self._member(), "Agreed: this was missing.")
            accepted.append(proposal)
            self.report.counts["proposals"] += 1
        if n == self.plan.versions // 2 and len(self._others(charter)) > 2:  # once, one goes
            clause = self._pick_clauses(charter, 1)[0]
            proposal = create_proposal(
                charter,
                self._author(),
                ProposalKind.REMOVE,
                clause=clause,
                rationale="Another clause already says this.",
            )
            accept_proposal(proposal, self._member(), "Agreed: it repeated another clause.")
            accepted.append(proposal)
            self.report.counts["proposals"] += 1
        rejected = create_proposal(
            charter,
            self._author(),
            ProposalKind.AMEND,
            clause=self._pick_clauses(charter, 1)[0],
            heading="A shorter promise",
            body=sentence(self.rng),
            rationale="Shorter is clearer.",
        )
        reject_proposal(rejected, self._member(), self.rng.choice(REJECTIONS))
        self.report.counts["proposals"] += 1
        db.session.commit()
        changelog = "\n".join(
            f"- {p.title} (proposal {p.id}): {p.decision_reason}" for p in accepted
        )
        if n == 1:  # a candidate withdrawn before the vote ends, as happens
            withdrawn = open_candidate(charter, self._member(), changelog)
            withdraw_candidate(
                withdrawn,
                self._member(),
                seen_hash=withdrawn.content_hash,
                reason="The changelog left out two accepted proposals.",
            )
            db.session.commit()
        candidate = open_candidate(charter, self._member(), changelog)
        seen = candidate.content_hash
        voters = self.rng.sample(self.committee, self.rng.randint(5, len(self.committee)))
        for voter, choice in zip(voters, self._choices(len(voters)), strict=True):
            cast_vote(candidate, voter, choice, "", seen_hash=seen)
        publish_candidate(candidate, self._member(), seen_hash=seen)
        self.report.counts["versions"] += 1
        db.session.commit()

    def _choices(self, voters: int) -> list[VoteChoice]:
        """Mostly approvals: at most one rejection and one abstention, so the rule is met."""
        choices = [VoteChoice.APPROVE] * voters
        if self.rng.random() < 0.5:
            choices[-1] = VoteChoice.REJECT
        if self.rng.random() < 0.3:
            choices[0] = VoteChoice.ABSTAIN
        return choices


@dataclass
class _Wording:
    """A wording that comments are made on, with its plain text and where its words are."""

    key: str  # "r<revision id>" or "t<proposal text id>"
    text: str
    spans: list[tuple[int, int]]  # (start, end) of each block's words
    gone: list[tuple[int, int]]  # sentences no longer in the clause's current wording

    def anchor(self, rng: random.Random, *, gone: bool = False) -> Anchor | None:
        """Choose a passage of 1 to 6 whole words (inside a gone sentence when asked)."""
        places = self.gone if gone else self.spans
        if not places:
            return None
        start, end = rng.choice(places)
        words = [(m.start() + start, m.end() + start) for m in _WORD.finditer(self.text[start:end])]
        if not words:
            return None
        count = rng.randint(2 if gone else 1, 6)
        first = rng.randrange(max(1, len(words) - count + 1))
        chosen = words[first : first + count]
        return make_anchor(self.text, chosen[0][0], chosen[-1][1])


def _wording(key: str, html: str, current_text: str | None = None) -> _Wording:
    text = plain_text(html)
    spans = [(b.start, b.end) for b in text.blocks if _WORD.search(b.text)]
    gone = []
    if current_text is not None:
        for start, end in spans:
            for m in _SENTENCE.finditer(text.text[start:end]):
                words = m.group().strip()
                if len(_WORD.findall(words)) >= 3 and words not in current_text:
                    gone.append((start + m.start(), start + m.end()))
    return _Wording(key, text.text, spans, gone)


@dataclass
class _Thread:
    row: dict
    wording: _Wording | None = None
    anchor: Anchor | None = None
    weight: float = 1.0  # how much it draws replies


class _Bulk:
    """Everything that only grows in number, written with bulk inserts."""

    def __init__(self, plan, charter, committee, residents, history, report):
        self.plan, self.charter, self.report = plan, charter, report
        self.committee = [u.id for u in committee]
        self.members = {u.id: u for u in committee}
        self.residents = residents
        self.rng = random.Random(f"{plan.seed}:bulk")
        self.now = utcnow()
        self.clauses = live_clauses(charter)
        self.busiest, self.quiet = history.busiest, history.quiet
        self.revisions = {
            c.id: list(
                db.session.scalars(
                    db.select(ClauseRevision)
                    .filter_by(clause_id=c.id)
                    .order_by(ClauseRevision.number)
                )
            )
            for c in self.clauses
        }
        # Proposals made before the bulk ones (the history's): comments go on them too.
        self.discussed = [
            (
                p.id,
                [(t.id, {"body": t.body, "created_at": t.created_at}) for t in p.texts],
                p.created_at,
            )
            for p in db.session.scalars(
                db.select(Proposal).filter_by(charter_id=charter.id).order_by(Proposal.id)
            )
        ]
        self.rejected: list[tuple[int, int, str, str]] = []  # id, member, title, reason
        self.hidden: list[tuple[int, int, str]] = []  # id, member, reason
        # Residents who say a lot and residents who say little.
        self._resident = _Draw(residents, [self.rng.paretovariate(1.2) for _ in residents])
        self.weights = self._clause_weights(BUSIEST_SHARE / CLAUSE_SHARE)

    def _clause_weights(self, busiest_share: float) -> list[float]:
        """Skewed: the busiest clause takes busiest_share, the quiet one nothing."""
        others = [c for c in self.clauses if c not in (self.busiest, self.quiet)]
        self.rng.shuffle(others)
        zipf = _zipf(len(others), 0.7)
        scale = (1 - busiest_share) / sum(zipf) if others else 0
        weights = {c.id: w * scale for c, w in zip(others, zipf, strict=True)}
        weights[self.busiest.id] = busiest_share if others else 1.0
        weights[self.quiet.id] = 0.0
        return [weights[c.id] for c in self.clauses]

    def _after(self, revision: ClauseRevision) -> datetime:
        """When a wording stopped being current (now, if it still is)."""
        later = [r for r in self.revisions[revision.clause_id] if r.number > revision.number]
        return later[0].created_at if later else self.now

    # Proposals, their texts and their supports.

    def proposals(self) -> None:
        rng, plan = self.rng, self.plan
        weights = list(self.weights)
        weights[self.clauses.index(self.quiet)] = 0.002  # a quiet clause, not a forgotten one
        draw_clause = _Draw(self.clauses, weights)
        rows, texts, titles = [], [], []
        for _ in range(plan.proposals):
            kind = rng.random()
            kind = (
                ProposalKind.AMEND
                if kind < AMEND_SHARE
                else ProposalKind.ADD
                if kind < AMEND_SHARE + ADD_SHARE
                else ProposalKind.REMOVE
            )
            row, versions, title = self._proposal(kind, draw_clause)
            rows.append(row)
            texts.append(versions)
            titles.append(title)
        # Supports decide support_count, so they are drawn before the proposals are written.
        order = list(range(len(rows)))
        rng.shuffle(order)
        zipf = _zipf(len(rows), 0.8)
        counts = [0] * len(rows)
        for rank, count in zip(
            order, _spread(plan.supports, zipf, len(self.residents) - 1), strict=True
        ):
            counts[rank] = count
        for row, count in zip(rows, counts, strict=True):
            row["support_count"] = count
        ids = _insert(Proposal.__table__, rows, returning=True)
        self.report.counts["proposals"] += len(ids)
        text_rows = []
        for proposal_id, versions in zip(ids, texts, strict=True):
            for number, version in enumerate(versions, start=1):
                text_rows.append({**version, "proposal_id": proposal_id, "number": number})
        text_ids = _insert(ProposalText.__table__, text_rows, returning=True)
        self.report.counts["proposal texts"] += len(text_ids)
        texts_of: dict[int, list[tuple[int, dict]]] = {}
        for text_id, text in zip(text_ids, text_rows, strict=True):
            texts_of.setdefault(text["proposal_id"], []).append((text_id, text))
        for proposal_id, row, title in zip(ids, rows, titles, strict=True):
            self.discussed.append((proposal_id, texts_of[proposal_id], row["created_at"]))
            if row["status"] is ProposalStatus.REJECTED:
                self.rejected.append(
                    (proposal_id, row["decided_by_id"], title, row["decision_reason"])
                )
        self._supports(list(zip(ids, rows, strict=True)), counts)

    def _proposal(self, kind: ProposalKind, draw_clause: _Draw):
        rng = self.rng
        clause = base = None
        if kind is ProposalKind.ADD:
            topic = rng.choice(TOPICS)
            heading = topic[0].upper() + topic[1:]
            versions = [" ".join(sentence(rng) for _ in range(rng.randint(2, 4)))]
            created = _between(rng, self.revisions[self.clauses[0].id][0].created_at, self.now)
            until = self.now
            title = f"Add “{heading}”"
        else:
            clause = draw_clause(rng)
            history = self.revisions[clause.id]
            base = history[-1] if rng.random() < 0.75 or len(history) == 1 else rng.choice(history)
            heading = base.heading if kind is ProposalKind.AMEND else ""
            created, until = base.created_at, self._after(base)
            created = _between(rng, created, until)
            if kind is ProposalKind.AMEND:
                versions = [reword(rng, base.body)]
                title = f"Change “{base.heading}”"
            else:
                versions = [""]
                title = f"Remove “{base.heading}”"
        if rng.random() < TWO_TEXTS_SHARE:
            versions.append(reword(rng, versions[0]) if versions[0] else "")
        status = rng.random()
        status = (
            ProposalStatus.OPEN
            if status < OPEN_SHARE
            else ProposalStatus.REJECTED
            if status < OPEN_SHARE + REJECTED_SHARE
            else ProposalStatus.WITHDRAWN
        )
        edited = _between(rng, created, self.now) if len(versions) > 1 else created
        decided = _between(rng, edited, self.now)
        rejected = status is ProposalStatus.REJECTED
        rationale = f"{rng.choice(OPENERS)} {sentence(rng)}"
        row = {
            "charter_id": self.charter.id,
            "kind": kind,
            "clause_id": clause.id if clause else None,
            "base_revision_id": base.id if base else None,
            "heading": heading,
            "body": versions[-1],
            "position": None,
            "rationale": rationale,
            "author_id": self._resident(self.rng),
            "status": status,
            "needs_update": False,
            "decision_reason": rng.choice(REJECTIONS) if rejected else "",
            "decided_by_id": rng.choice(self.committee) if rejected else None,
            "decided_at": decided if rejected else None,
            "result_revision_id": None,
            "created_at": created,
            "updated_at": decided if status is not ProposalStatus.OPEN else edited,
            "lock_version": 1,
        }
        texts = [
            {
                "heading": heading,
                "body": body,
                "rationale": rationale,
                "base_revision_id": base.id if base else None,
                "created_at": created if number == 0 else edited,
            }
            for number, body in enumerate(versions)
        ]
        return row, texts, title

    def _supports(self, proposals: list[tuple[int, dict]], counts: list[int]) -> None:
        rows = []
        for (proposal_id, proposal), count in zip(proposals, counts, strict=True):
            if not count:
                continue
            people = self.rng.sample(self.residents, min(count + 1, len(self.residents)))
            people = [p for p in people if p != proposal["author_id"]][:count]
            until = proposal["decided_at"] or proposal["updated_at"]
            if proposal["status"] is ProposalStatus.OPEN:
                until = self.now
            for person in people:
                rows.append(
                    {
                        "proposal_id": proposal_id,
                        "user_id": person,
                        "created_at": _between(self.rng, proposal["created_at"], until),
                    }
                )
        _insert(Support.__table__, rows)
        self.report.counts["supports"] += len(rows)

    # Comments: threads, replies, and where anchored threads sit on the current wording.

    def comments(self) -> None:
        plan, rng = self.plan, self.rng
        replies = round(plan.comments * REPLY_SHARE)
        threads_total = plan.comments - replies
        questions = min(round(plan.comments * QUESTION_SHARE), threads_total)
        on_proposals = threads_total - round(threads_total * CLAUSE_SHARE)
        if not self.discussed:
            on_proposals = 0
        threads = self._clause_threads(threads_total - on_proposals)
        threads += self._proposal_threads(on_proposals)
        for thread in rng.sample(threads, questions):
            thread.row["kind"] = CommentKind.QUESTION
            thread.row["body"] = rng.choice(QUESTIONS).format(rng.choice(OBJECTS))
        self._insert_comments([t.row for t in threads])
        self._place(threads)
        self._insert_comments(self._replies(threads, replies))

    def _insert_comments(self, rows: list[dict]) -> None:
        """Write comments, a few of them hidden, deleted or edited since, and note their ids."""
        for row in rows:  # drawn in the order made: the order written hangs on the clock
            self._moderate(row)
        in_time = sorted(rows, key=lambda row: row["created_at"])  # ids grow with time
        ids = _insert(Comment.__table__, in_time, returning=True)
        for comment_id, row in zip(ids, in_time, strict=True):
            row["id"] = comment_id
        for row in rows:
            if row["hidden"]:
                self.hidden.append((row["id"], row["hidden_by_id"], row["hidden_reason"]))
        self.report.counts["comments"] += len(ids)
        self.report.counts["hidden comments"] += sum(row["hidden"] for row in rows)
        self.report.counts["deleted comments"] += sum(row["deleted"] for row in rows)

    def _moderate(self, row: dict) -> None:
        draw = self.rng.random()
        later = _between(self.rng, row["created_at"], self.now)
        if draw < HIDDEN_SHARE:
            row.update(
                hidden=True,
                hidden_reason=self.rng.choice(HIDING_REASONS),
                hidden_by_id=self.rng.choice(self.committee),
                hidden_at=later,
            )
        elif draw < HIDDEN_SHARE + DELETED_SHARE:
            row.update(deleted=True, body="", edited_at=later)
        elif draw < HIDDEN_SHARE + DELETED_SHARE + EDITED_SHARE:
            row.update(edited_at=later)

    def _comment(self, author: int, created: datetime, body: str, **about) -> dict:
        return {
            "clause_id": None,
            "revision_id": None,
            "proposal_id": None,
            "proposal_text_id": None,
            "parent_id": None,
            "exact": None,
            "prefix": None,
            "suffix": None,
            "start": None,
            "end": None,
            "body": body,
            "kind": CommentKind.COMMENT,
            "author_id": author,
            "created_at": created,
            "edited_at": None,
            "deleted": False,
            "hidden": False,
            "hidden_reason": "",
            "hidden_by_id": None,
            "hidden_at": None,
            **about,
        }

    def _body(self) -> str:
        return f"{self.rng.choice(OPENERS)} {sentence(self.rng)}"

    def _clause_threads(self, total: int) -> list[_Thread]:
        rng = self.rng
        draw_clause = _Draw(self.clauses, self.weights)
        wordings: dict[int, _Wording] = {}
        threads = []
        for _ in range(total):
            clause = draw_clause(rng)
            history = self.revisions[clause.id]
            current = history[-1]
            revision, gone = current, False
            anchored = rng.random() < ANCHORED_SHARE
            if len(history) > 1 and rng.random() < (EARLIER_SHARE if anchored else 0.25):
                revision, gone = rng.choice(history[:-1]), anchored
            if revision.id not in wordings:
                today = wording_text(current).text if revision is not current else None
                wordings[revision.id] = _wording(target_key(revision), revision.body_html, today)
            wording = wordings[revision.id]
            anchor = wording.anchor(rng, gone=gone) if anchored else None
            if anchored and anchor is None:  # no passage gone from this wording: use today's
                if current.id not in wordings:
                    wordings[current.id] = _wording(target_key(current), current.body_html)
                revision, wording = current, wordings[current.id]
                anchor = wording.anchor(rng)
            created = _between(rng, revision.created_at, self._after(revision))
            row = self._comment(
                self._resident(self.rng),
                created,
                self._body(),
                clause_id=clause.id,
                revision_id=revision.id,
            )
            threads.append(self._anchored(row, wording, anchor))
        return threads

    def _anchored(self, row: dict, wording: _Wording, anchor: Anchor | None) -> _Thread:
        if anchor is not None:
            row.update(
                exact=anchor.exact,
                prefix=anchor.prefix,
                suffix=anchor.suffix,
                start=anchor.start,
                end=anchor.end,
            )
        return _Thread(row, wording, anchor, self.rng.paretovariate(1.3))

    def _proposal_threads(self, total: int) -> list[_Thread]:
        rng, proposals = self.rng, self.discussed
        order = list(range(len(proposals)))
        rng.shuffle(order)
        weights = [0.0] * len(proposals)
        for rank, index in enumerate(order):
            weights[index] = 1 / (rank + 1) ** 0.8
        draw_proposal = _Draw(proposals, weights)
        wordings: dict[int, _Wording] = {}
        threads = []
        for _ in range(total):
            proposal_id, texts, created = draw_proposal(rng)
            text_id, text = texts[-1]
            if len(texts) > 1 and rng.random() < 0.3:
                text_id, text = texts[0]
            anchored = text["body"] != "" and rng.random() < ANCHORED_SHARE
            anchor = wording = None
            if anchored:
                # Passages are chosen on the newest text, where the placement is stored.
                text_id, text = texts[-1]
                if text_id not in wordings:
                    wordings[text_id] = _wording(f"t{text_id}", rendered(text["body"]))
                wording = wordings[text_id]
                anchor = wording.anchor(rng)
            row = self._comment(
                self._resident(self.rng),
                _between(rng, max(created, text["created_at"]), self.now),
                self._body(),
                proposal_id=proposal_id,
                proposal_text_id=text_id,
            )
            threads.append(self._anchored(row, wording, anchor))
        return threads

    def _place(self, threads: list[_Thread]) -> None:
        """Store one placement per anchored thread, on the wording shown now."""
        rows = []
        earlier: dict[int, list[_Thread]] = {}
        currents = {c.id: self.revisions[c.id][-1] for c in self.clauses}
        for thread in threads:
            if thread.anchor is None:
                continue
            clause_id = thread.row["clause_id"]
            if clause_id and thread.row["revision_id"] != currents[clause_id].id:
                earlier.setdefault(thread.row["revision_id"], []).append(thread)
                continue
            rows.append(self._placement(thread, thread.wording.key, "exact", thread.anchor))
        for group in earlier.values():
            clause_id = group[0].row["clause_id"]
            current = currents[clause_id]
            spots = reanchor_many(
                [t.anchor for t in group], group[0].wording.text, wording_text(current).text
            )
            for thread, spot in zip(group, spots, strict=True):
                rows.append(self._placement(thread, target_key(current), spot.status, spot))
        _insert(CommentPlacement.__table__, rows)
        self.report.counts["comment placements"] += len(rows)
        self.report.placements.update(row["status"] for row in rows)

    @staticmethod
    def _placement(thread: _Thread, target: str, status: str, spot) -> dict:
        row = thread.row
        return {
            "comment_id": row["id"],
            "scope": f"c{row['clause_id']}" if row["clause_id"] else f"p{row['proposal_id']}",
            "shown": not (row["hidden"] or row["deleted"]),
            "target": target,
            "status": status,
            "start": spot.start,
            "end": spot.end,
        }

    def _replies(self, threads: list[_Thread], total: int) -> list[dict]:
        rng = self.rng
        questions = [t for t in threads if t.row["kind"] is CommentKind.QUESTION]
        answered = rng.sample(questions, min(total, round(len(questions) * ANSWERED_SHARE)))
        rows = []
        for thread in answered:
            rows.append(self._reply(thread, rng.choice(self.committee), CommentKind.ANSWER))
        weights = [t.weight for t in threads]
        for thread in rng.choices(threads, weights, k=total - len(rows)) if threads else []:
            author = rng.choice(self.committee) if rng.random() < 0.03 else self._resident(self.rng)
            rows.append(self._reply(thread, author, CommentKind.COMMENT))
        return rows

    def _reply(self, thread: _Thread, author: int, kind: CommentKind) -> dict:
        root = thread.row
        body = (
            f"Thank you for asking. {sentence(self.rng)}"
            if kind is CommentKind.ANSWER
            else self._body()
        )
        return self._comment(
            author,
            _between(self.rng, root["created_at"], self.now),
            body,
            kind=kind,
            parent_id=root["id"],
            clause_id=root["clause_id"],
            revision_id=root["revision_id"],
            proposal_id=root["proposal_id"],
            proposal_text_id=root["proposal_text_id"],
        )

    def decisions_in_the_log(self) -> None:
        """Log the bulk rejections and hidings as the operations would, chained at commit."""
        members = self.members
        for proposal_id, member, title, reason in self.rejected:
            record(
                members[member],
                "proposal.rejected",
                "proposal",
                proposal_id,
                f"Rejected: {title}. Reason: {reason}",
            )
        for comment_id, member, reason in self.hidden:
            record(
                members[member],
                "comment.hidden",
                "comment",
                comment_id,
                f"Comment {comment_id} hidden by the moderators: {reason}",
            )
        self.report.counts["log entries"] += len(self.rejected) + len(self.hidden)


# What a benchmark looks at, found by query so that it works on any seeded database.


def comments_on_clause(clause: Clause) -> int:
    return db.session.scalar(db.select(func.count(Comment.id)).filter_by(clause_id=clause.id))


def _by_comments(charter: Charter):
    count = func.count(Comment.id)
    return (
        db.select(Clause, count)
        .outerjoin(Comment, Comment.clause_id == Clause.id)
        .filter(Clause.charter_id == charter.id, Clause.retired.is_(False))
        .group_by(Clause.id)
    )


def busiest_clause(charter: Charter) -> Clause:
    """Return the live clause with the most comments."""
    count = func.count(Comment.id)
    return db.session.execute(
        _by_comments(charter).order_by(count.desc(), Clause.position).limit(1)
    ).first()[0]


def quiet_clause(charter: Charter) -> Clause:
    """Return the live clause with the fewest comments (none, on a seeded database)."""
    count = func.count(Comment.id)
    return db.session.execute(
        _by_comments(charter).order_by(count, Clause.position).limit(1)
    ).first()[0]


def busiest_proposal_id() -> int | None:
    """Return the id of the proposal with the most comments."""
    count = func.count(Comment.id)
    return db.session.scalar(
        db.select(Comment.proposal_id)
        .where(Comment.proposal_id.is_not(None))
        .group_by(Comment.proposal_id)
        .order_by(count.desc(), Comment.proposal_id)
        .limit(1)
    )
