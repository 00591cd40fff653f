"""The README's commands are the ones CI runs."""

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    command = re.search(r"^TEST_COMMAND='(.+)'$", ci, re.MULTILINE).group(1)
    readme = (ROOT / "README.md").read_text()
    assert f"```sh\n{command}\n```" in readme


def test_readme_start_command_sets_up_and_serves_the_app():
    readme = (ROOT / "README.md").read_text()
    start = re.search(r"## Try it.*?```sh\n(.+?)\n```", readme, re.DOTALL).group(1)
    for step in ("pip install", "db upgrade", "charter demo", "flask --app wsgi run"):
        assert step in start
