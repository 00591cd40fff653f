"""The command line: import, export, verify, demo and users create."""

from pathlib import Path

from charter.accounts.operations import authenticate, find_user
from charter.clauses.queries import get_charter, working_draft
from charter.models import Role
from charter.text.drafts import parse_draft
from charter.text.hashing import draft_hash
from charter.versions.queries import latest_published
from tests.conftest import SAMPLE_DRAFT

DRAFTS = Path(__file__).parents[1] / "drafts"


def _write(tmp_path, text, name="draft.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_import_the_shipped_draft(runner):
    result = runner.invoke(args=["charter", "import", str(DRAFTS / "citizen-data-charter.md")])
    assert result.exit_code == 0, result.output
    assert "12 clause(s) added" in result.output
    charter = get_charter()
    assert charter.title == "Citizen Data Charter"
    assert latest_published(charter) is None


def test_reimport_reports_only_changes(runner, tmp_path):
    runner.invoke(args=["charter", "import", _write(tmp_path, SAMPLE_DRAFT)])
    changed = SAMPLE_DRAFT.replace("every year", "every six months")
    result = runner.invoke(args=["charter", "import", _write(tmp_path, changed, "v2.md")])
    assert result.exit_code == 0, result.output
    assert "1 clause(s) revised: how-long" in result.output
    assert "2 clause(s) unchanged: why, your-rights" in result.output


def test_import_published_records_version_one(runner, tmp_path):
    result = runner.invoke(
        args=["charter", "import", "--published", _write(tmp_path, SAMPLE_DRAFT)]
    )
    assert result.exit_code == 0, result.output
    version = latest_published(get_charter())
    assert version.number == 1
    assert version.content_hash == draft_hash(parse_draft(SAMPLE_DRAFT))
    assert version.previous_chain_hash is None and len(version.chain_hash) == 64
    again = runner.invoke(args=["charter", "import", "--published", _write(tmp_path, SAMPLE_DRAFT)])
    assert again.exit_code == 1
    assert "only for the first version" in again.output


def test_import_rejects_a_broken_file_and_stores_nothing(runner, tmp_path):
    result = runner.invoke(args=["charter", "import", _write(tmp_path, "no title\n")])
    assert result.exit_code == 1
    assert "Line 1" in result.output
    assert get_charter() is None


def test_export_then_import_gives_the_same_content_hash(runner, tmp_path):
    runner.invoke(args=["charter", "import", str(DRAFTS / "citizen-data-charter.md")])
    before = draft_hash(working_draft(get_charter()))
    result = runner.invoke(args=["charter", "export", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    exported = tmp_path / "out" / "citizen-data-charter.md"
    assert draft_hash(parse_draft(exported.read_text())) == before
    result = runner.invoke(args=["charter", "import", str(exported)])
    assert "12 clause(s) unchanged" in result.output
    assert draft_hash(working_draft(get_charter())) == before


def test_export_a_published_version(runner, tmp_path):
    runner.invoke(args=["charter", "import", "--published", _write(tmp_path, SAMPLE_DRAFT)])
    runner.invoke(
        args=["charter", "import", _write(tmp_path, SAMPLE_DRAFT.replace("year", "month"))]
    )
    result = runner.invoke(args=["charter", "export", "--version", "1"])
    assert result.exit_code == 0
    assert "after a year" in result.output
    assert draft_hash(parse_draft(result.output)) == latest_published(get_charter()).content_hash
    missing = runner.invoke(args=["charter", "export", "--version", "7"])
    assert missing.exit_code == 1 and "no published version 7" in missing.output


def test_demo_imports_the_draft_and_prints_working_passwords(runner):
    result = runner.invoke(args=["charter", "demo"])
    assert result.exit_code == 0, result.output
    assert len(get_charter().clauses) == 12
    for line in result.output.splitlines():
        if "password:" in line:
            email, password = line.split()[-3], line.split()[-1]
            assert authenticate(email, password) is not None
    assert find_user("admin@example.org").role is Role.ADMIN
    second = runner.invoke(args=["charter", "demo"])
    assert "Imported" not in second.output and "password:" in second.output


def test_users_create_reads_the_password_from_stdin(runner):
    result = runner.invoke(
        args=[
            "users",
            "create",
            "--email",
            "Chair@Example.org",
            "--name",
            "Chair",
            "--role",
            "committee",
        ],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    user = authenticate("chair@example.org", "a long enough password")
    assert user is not None and user.role is Role.COMMITTEE


def test_users_create_refuses_short_passwords_and_duplicates(runner):
    short = runner.invoke(
        args=["users", "create", "--email", "a@b.org", "--name", "A"], input="short\n"
    )
    assert short.exit_code == 1 and "at least 10" in short.output
    args = ["users", "create", "--email", "a@b.org", "--name", "A"]
    assert runner.invoke(args=args, input="long enough pass\n").exit_code == 0
    dup = runner.invoke(args=args, input="long enough pass\n")
    assert dup.exit_code == 1 and "already exists" in dup.output
