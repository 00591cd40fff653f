"""The command line refuses bad files and bad accounts with a message, and logs imports."""

import pytest

from charter.accounts.operations import AccountError, create_user, find_user
from charter.clauses.queries import get_charter, live_clauses
from charter.extensions import db
from charter.models import AuditEvent
from tests.conftest import PASSWORD, SAMPLE_DRAFT
from tests.test_cli import _write


def _events():
    return db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id)).all()


def test_importing_a_file_without_clauses_is_refused(runner, tmp_path):
    runner.invoke(args=["charter", "import", _write(tmp_path, SAMPLE_DRAFT)])
    empty = _write(tmp_path, "# Test Charter\n\nOnly a preamble.\n", "empty.md")
    result = runner.invoke(args=["charter", "import", empty])
    assert result.exit_code == 1
    assert "has no clauses" in result.output and "--allow-empty" in result.output
    db.session.expire_all()
    assert [c.key for c in live_clauses(get_charter())] == ["why", "how-long", "your-rights"]


def test_an_empty_import_goes_ahead_when_asked(runner, tmp_path):
    runner.invoke(args=["charter", "import", _write(tmp_path, SAMPLE_DRAFT)])
    empty = _write(tmp_path, "# Test Charter\n", "empty.md")
    result = runner.invoke(args=["charter", "import", "--allow-empty", empty])
    assert result.exit_code == 0, result.output
    assert "3 clause(s) retired" in result.output
    assert live_clauses(get_charter()) == []


@pytest.mark.parametrize("control", ["\x00", "\x07", "\x1b"])
def test_a_control_character_in_a_draft_is_a_clear_error(runner, tmp_path, control):
    text = SAMPLE_DRAFT.replace("plan services", f"plan{control} services")
    result = runner.invoke(args=["charter", "import", _write(tmp_path, text)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Line 7: it holds a control character" in result.output
    assert f"U+{ord(control):04X}" in result.output
    assert get_charter() is None


def test_an_import_is_logged_publicly_with_what_it_changed(runner, tmp_path, anon):
    runner.invoke(args=["charter", "import", _write(tmp_path, SAMPLE_DRAFT)])
    changed = SAMPLE_DRAFT.replace("every year", "every month").replace(
        "## Your rights\n\nYou can ask what we hold.\n", "## Complaints\n\nWrite to us.\n"
    )
    result = runner.invoke(args=["charter", "import", _write(tmp_path, changed, "v2.md")])
    assert result.exit_code == 0, result.output
    first, second = _events()
    assert first.public and first.action == "charter.imported"
    assert first.summary == (
        "The working draft was imported from draft.md: "
        "3 clause(s) added (why, how-long, your-rights)."
    )
    assert second.summary == (
        "The working draft was imported from v2.md: 1 clause(s) added (complaints); "
        "1 clause(s) revised (how-long); 1 clause(s) retired (your-rights)."
    )
    page = anon.get("/transparency").get_data(as_text=True)
    assert "imported from v2.md" in page and "1 clause(s) retired (your-rights)" in page


def test_a_refused_import_leaves_no_log_entry(runner, tmp_path):
    runner.invoke(args=["charter", "import", _write(tmp_path, SAMPLE_DRAFT)])
    runner.invoke(args=["charter", "import", _write(tmp_path, "# Test Charter\n", "empty.md")])
    assert [e.summary.split(":")[0] for e in _events()] == [
        "The working draft was imported from draft.md"
    ]


@pytest.mark.parametrize(
    ("email", "name", "message"),
    [
        ("not-an-email", "Someone", "must have an @-sign"),
        ("someone@localhost", "Someone", "should have a period"),
        ("a" * 250 + "@example.org", "Someone", "too long"),
        ("someone@example.org", "N" * 81, "at most 80 characters"),
        ("someone@example.org", "   ", "Enter the name"),
    ],
)
def test_users_create_refuses_invalid_fields_with_a_message(runner, email, name, message):
    result = runner.invoke(
        args=["users", "create", "--email", email, "--name", name], input=f"{PASSWORD}\n"
    )
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)
    assert message in result.output
    assert find_user(email) is None


def test_users_create_accepts_a_name_of_exactly_80_characters(runner):
    args = ["users", "create", "--email", "long@example.org", "--name", "N" * 80]
    result = runner.invoke(args=args, input=f"{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert find_user("long@example.org").display_name == "N" * 80


@pytest.mark.parametrize(
    ("email", "name", "password"),
    [
        ("nobody", "Someone", PASSWORD),
        ("someone@example.org", "N" * 81, PASSWORD),
        ("someone@example.org", "Someone", "short"),
        ("someone@example.org", "Someone", "x" * 129),
    ],
)
def test_the_operation_itself_validates_every_field(app, email, name, password):
    with pytest.raises(AccountError):
        create_user(email, name, password)
    assert find_user(email) is None
