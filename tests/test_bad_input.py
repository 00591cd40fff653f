"""Bad input on every route: NUL bytes and numbers past the database's range get 400 or 404."""

import re
from urllib.parse import quote

import pytest

from tests.test_permissions import QUERY, ROUTES, world  # noqa: F401  (world is a fixture)

PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")
ROLES = ["anon", "citizen", "committee", "admin"]
NUL_MESSAGE = "not allowed"
# Past a PostgreSQL integer, past a bigint, and past what SQLite can bind at all.
HUGE = [2**31, 99999999999, 10**20]
# Form fields the app's forms use, so the NUL reaches whichever one a route reads.
FORM = {
    "email": "someone@example.org",
    "password": "correct horse battery",
    "display_name": "Someone",
    "body": "Words.",
    "heading": "A heading",
    "rationale": "Because.",
    "reason": "Because.",
    "changelog": "- Changes.",
    "note": "A note.",
    "choice": "approve",
    "role": "citizen",
    "active": "y",
    "wording": "1",
    "seen_hash": "0" * 64,
}


def _url(rule: str, values: dict, endpoint: str) -> str:
    url = PARAMETER.sub(lambda m: quote(str(values[m.group(2)]), safe=""), rule)
    return url + QUERY.get(endpoint, "")


def _with_query(url: str, query: str) -> str:
    return url + ("&" if "?" in url else "?") + query


def _cases(rule: str, method: str, sample: dict):
    """Yield (label, url, form data, the status expected) for each kind of bad input."""
    params = PARAMETER.findall(rule)
    for _, name in params:
        values = dict(sample, **{name: f"{sample[name]}\x00"})
        yield f"NUL in <{name}>", values, None, 400
    yield "NUL in the query", sample, ("x=a%00b", None), 400
    yield "NUL as a query name", sample, ("a%00b=1", None), 400
    if method == "POST":
        for field in FORM:
            yield f"NUL in form field {field}", sample, (None, {field: "a\x00b"}), 400
        numbers = {"wording": str(10**20), "seen_version": str(10**20)}
        yield "huge numbers in the form", sample, (None, numbers), None
    for converter, name in params:
        numeric = converter == "int" or name in ("old", "new")
        for huge in HUGE if numeric else []:
            yield f"<{name}>={huge}", dict(sample, **{name: huge}), None, 404
        if numeric:
            yield f"<{name}>=²", dict(sample, **{name: "²"}), None, 404
    for huge in HUGE:
        yield f"page={huge}", sample, (f"page={huge}", None), None
    yield "page=-5", sample, ("page=-5", None), None


def _message(response) -> str:
    """Return the error message a person would read, from JSON or from the error page."""
    if response.is_json:
        return response.get_json()["error"]["message"]
    # Asides (what is open for comment now) come before the page's own words.
    page = re.sub(r"<aside\b.*?</aside>", "", response.get_data(as_text=True), flags=re.S)
    match = re.search(r"<main[^>]*>.*?<p>(.*?)</p>", page, re.S)
    return match.group(1) if match else ""


@pytest.mark.parametrize(
    ("endpoint", "method", "rule"), ROUTES, ids=[f"{m} {r}" for _, m, r in ROUTES]
)
def test_no_bad_input_causes_a_server_error(request, app, world, endpoint, method, rule):  # noqa: F811
    failures = []
    for role in ROLES:
        client = request.getfixturevalue(role)
        for label, values, extra, expected in _cases(rule, method, world):
            url = _url(rule, values, endpoint)
            query, form = extra or (None, None)
            if query:
                url = _with_query(url, query)
            try:
                if method == "GET":
                    response = client.get(url)
                else:
                    response = client.post(url, data=dict(FORM, **(form or {})))
            except Exception as err:  # the test app lets a 500's exception through
                failures.append(f"{role} {label} {url}: {type(err).__name__}: {err}"[:300])
                continue
            status = response.status_code
            problem = None
            if status >= 500:
                problem = "server error"
            elif expected is not None and status != expected:
                problem = f"expected {expected}"
            elif status >= 400 and not _message(response):
                problem = "no message"
            elif expected == 400 and NUL_MESSAGE not in _message(response):
                problem = f"unclear message {_message(response)!r}"
            if problem:
                failures.append(f"{role} {label} {url}: {status} ({problem})")
    assert not failures, "\n".join(failures)
