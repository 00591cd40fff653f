"""Command line: `flask --app wsgi charter ...` and `flask --app wsgi users ...`."""

import secrets
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from charter.accounts.operations import AccountError, create_user, find_user
from charter.clauses.operations import EmptyDraft, import_draft, record_import
from charter.clauses.queries import get_charter, working_draft
from charter.comments.placing import place_missing, place_pending
from charter.exports.markdown import split_stamp
from charter.extensions import db
from charter.jobs import work
from charter.models import Role, WordingShift
from charter.seeding import (
    COMMITTEE_DOMAIN,
    COMMITTEE_NAMES,
    SeedPlan,
    SeedRefused,
    resident_email,
    seed_demo,
)
from charter.text.drafts import DraftError, format_draft, parse_draft
from charter.text.hashing import draft_hash
from charter.versions.copies import check_copy
from charter.versions.operations import (
    NothingToPublish,
    chain_head,
    publish_working_draft,
    verify_versions,
)
from charter.versions.queries import (
    get_published,
    latest_published,
    published_versions,
    version_draft,
)

charter_cli = AppGroup("charter", help="Import, export and verify the charter.")
users_cli = AppGroup("users", help="Manage accounts.")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run background jobs from the Redis queue at REDIS_URL."""
    if not current_app.config.get("REDIS_URL"):
        _fail("Set REDIS_URL, e.g. redis://127.0.0.1:6379/0: without it jobs run in requests.")
    work(burst=burst)


DEMO_ACCOUNTS = [
    ("citizen@example.org", "Casey Citizen", Role.CITIZEN),
    ("committee@example.org", "Morgan Member", Role.COMMITTEE),
    ("admin@example.org", "Alex Admin", Role.ADMIN),
]


def _fail(message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


@charter_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--published",
    is_flag=True,
    help="Record the text as already ratified version 1 (for a charter agreed before Charter).",
)
@click.option(
    "--allow-empty",
    is_flag=True,
    help="Accept a file with no clauses, retiring every clause of the working draft.",
)
def import_command(file: Path, published: bool, allow_empty: bool) -> None:
    """Load a draft file into the working draft; only changed clauses get new revisions."""
    try:
        # A downloaded copy imports as its text: the stamp above it is not part of the draft.
        draft = parse_draft(split_stamp(file.read_text(encoding="utf-8"))[1])
    except (DraftError, UnicodeDecodeError) as err:
        _fail(f"{file}: {err}")
    slug = current_app.config["CHARTER_SLUG"]
    existing = get_charter()
    if published and existing is not None and latest_published(existing) is not None:
        _fail("--published is only for the first version; this charter already has one.")
    try:
        report = import_draft(
            draft, slug=slug, note=f"Imported from {file.name}", allow_empty=allow_empty
        )
    except EmptyDraft as err:
        _fail(f"{file}: {err}")
    record_import(report, file.name)
    for label, keys in (
        ("added", report.added),
        ("revised", report.revised),
        ("retired", report.retired),
        ("unchanged", report.unchanged),
    ):
        if keys:
            click.echo(f"{len(keys)} clause(s) {label}: {', '.join(keys)}")
    if published:
        try:
            version = publish_working_draft(report.charter, changelog="Ratified before Charter.")
        except NothingToPublish as err:
            _fail(str(err))
        click.echo(f"Recorded as published version {version.number} ({version.content_hash}).")
    db.session.commit()
    click.echo(f"Working draft content hash: {draft_hash(working_draft(report.charter))}")


@charter_cli.command("export")
@click.option("--version", "number", type=int, help="Export published version N.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the file into this folder instead of printing it.",
)
def export_command(number: int | None, out: Path | None) -> None:
    """Write the working draft (or a published version) in the draft file format."""
    charter = get_charter() or _fail("no charter has been imported yet.")
    if number is None:
        draft, name = working_draft(charter), f"{charter.slug}.md"
    else:
        version = get_published(charter, number) or _fail(
            f"there is no published version {number}."
        )
        draft, name = version_draft(version), f"{charter.slug}-v{number}.md"
    text = format_draft(draft)
    if out is None:
        click.echo(text, nl=False)
        return
    out.mkdir(parents=True, exist_ok=True)
    (out / name).write_text(text, encoding="utf-8")
    click.echo(f"Wrote {out / name} (content hash {draft_hash(draft)}).")


@charter_cli.command("verify")
@click.option(
    "--expect-head",
    metavar="HASH",
    help="The chain head you saved earlier; fail unless the record still holds it.",
)
@click.argument(
    "file", required=False, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def verify_command(expect_head: str | None, file: Path | None) -> None:
    """Recompute every hash of the record; fail on any mismatch, or if FILE is not a version."""
    charter = get_charter() or _fail("no charter has been imported yet.")
    versions = published_versions(charter)
    problems = verify_versions(charter)
    head = chain_head(charter)
    if expect_head is not None:
        problems += _check_saved_head(expect_head.strip().lower(), head, versions)
    if file is not None:
        copy = check_copy(str(file), file.read_bytes(), versions)
        if not copy.ok:
            problems.append(copy.message)
    if problems:
        for problem in problems:
            click.echo(f"FAIL {problem}", err=True)
        sys.exit(1)
    click.echo(f"OK: {len(versions)} published version(s) verified; every hash matches.")
    if file is not None:
        click.echo(f"OK: {copy.message}")
    click.echo(f"Chain head: {head or 'none (nothing published yet)'}")


def _check_saved_head(saved: str, head: str | None, versions) -> list[str]:
    """Tell whether the verified chain still holds the head a reader kept."""
    if saved == head:
        return []
    # A later publication extends the chain: the saved head must then be one of its links.
    if any(v.chain_hash == saved for v in versions):
        return []
    return [
        f"the chain does not hold the head you saved ({saved}); it ends at {head}: a "
        "published version was rewritten or removed since you saved it."
    ]


@charter_cli.command("place-comments")
def place_comments_command() -> None:
    """Place every anchored comment that has no placement yet (once, after upgrading)."""
    placed = place_missing()
    for scope in db.session.scalars(db.select(WordingShift.scope).distinct()):
        placed += place_pending(scope)
    db.session.commit()
    click.echo(f"Placed {placed:,} anchored comments on the wording readers see now.")


@charter_cli.command("demo")
def demo_command() -> None:
    """Set up a demo: import the draft if the charter is empty, and (re)set demo accounts."""
    if get_charter() is None:
        draft = parse_draft(Path(current_app.config["DRAFT_FILE"]).read_text(encoding="utf-8"))
        report = import_draft(draft, slug=current_app.config["CHARTER_SLUG"], note="First draft")
        record_import(report, Path(current_app.config["DRAFT_FILE"]).name)
        click.echo(f"Imported the draft charter: {len(draft.clauses)} clauses.")
    click.echo("Demo accounts (new passwords on every run):")
    for email, name, role in DEMO_ACCOUNTS:
        password = secrets.token_urlsafe(9)
        user = find_user(email) or create_user(email, name, password, role)
        user.set_password(password)
        user.role, user.active = role, True
        click.echo(f"  {role.label:<17} {email:<24} password: {password}")
    db.session.commit()


@charter_cli.command("seed-demo")
@click.option("--residents", type=click.IntRange(2), default=SeedPlan.residents, show_default=True)
@click.option("--proposals", type=click.IntRange(0), default=SeedPlan.proposals, show_default=True)
@click.option("--comments", type=click.IntRange(0), default=SeedPlan.comments, show_default=True)
@click.option("--supports", type=click.IntRange(0), default=SeedPlan.supports, show_default=True)
@click.option(
    "--versions",
    type=click.IntRange(1),
    default=SeedPlan.versions,
    show_default=True,
    help="Published versions to build through the real operations.",
)
@click.option(
    "--seed", type=int, default=SeedPlan.seed, show_default=True, help="Same seed, same data."
)
@click.option(
    "--password",
    help="Give every seeded account this password (at least 10 characters); "
    "default: a new random one, printed.",
)
@click.option("--force", is_flag=True, help="Seed even though the database already has comments.")
def seed_demo_command(password: str | None, force: bool, **counts) -> None:
    """Seed a county's worth of discussion, for benchmarks and load tests."""
    if password is not None and len(password) < 10:
        _fail("the password must be at least 10 characters.")
    password = password or secrets.token_urlsafe(12)
    plan = SeedPlan(**counts)
    draft = parse_draft(Path(current_app.config["DRAFT_FILE"]).read_text(encoding="utf-8"))
    try:
        report = seed_demo(
            plan,
            draft=draft,
            slug=current_app.config["CHARTER_SLUG"],
            password=password,
            force=force,
            say=lambda line: click.echo(f"  {line}"),
        )
    except SeedRefused as err:
        _fail(str(err))
    click.echo(f"Seeded in {report.seconds:.1f} s:")
    for name, count in report.counts.items():
        click.echo(f"  {name:<20} {count:>9,}")
    placed = ", ".join(f"{count:,} {status}" for status, count in sorted(report.placements.items()))
    click.echo(f"  placements by status: {placed or 'none'}")
    click.echo(
        f"Busiest clause: {report.busiest_clause} ({report.busiest_clause_comments:,} comments); "
        f"quiet clause: {report.quiet_clause}; busiest proposal: {report.busiest_proposal}."
    )
    click.echo(
        f"Accounts: {resident_email(0)} and on, member1@{COMMITTEE_DOMAIN} to "
        f"member{len(COMMITTEE_NAMES)}@, admin@{COMMITTEE_DOMAIN}; every password: {password}"
    )
    problems = verify_versions(get_charter())
    if problems:
        for problem in problems:
            click.echo(f"FAIL {problem}", err=True)
        sys.exit(1)
    click.echo("charter verify: every hash of the record matches.")


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True, help="Display name, shown publicly.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.CITIZEN.value)
def create_user_command(email: str, name: str, role: str) -> None:
    """Create an account; the password comes from the prompt or standard input."""
    if sys.stdin.isatty():
        password = click.prompt(
            "Password (at least 10 characters)", hide_input=True, confirmation_prompt=True
        )
    else:
        password = sys.stdin.readline().rstrip("\n")
    if len(password) < 10:
        _fail("the password must be at least 10 characters.")
    try:
        user = create_user(email, name, password, Role(role))
    except AccountError as err:
        _fail(str(err))
    db.session.commit()
    click.echo(f"Created {user.role.label.lower()} account for {user.email}.")


@charter_cli.command("send-digests")
def send_digests_command() -> None:
    """Email each resident one digest of their new notifications; safe to run twice."""
    from charter.notifications.mailing import residents_due, send_digest

    residents = notices = 0
    for user_id in residents_due():
        sent = send_digest(user_id)
        db.session.commit()  # one resident at a time: a failure later never resends these
        residents, notices = residents + (sent > 0), notices + sent
    click.echo(f"Sent {residents} digest(s) holding {notices} notification(s).")
