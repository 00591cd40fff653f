"""What reading the site in a second language costs: each page in English and through a catalog.

Run from the repository root: .venv/bin/python bench/language_bench.py [--runs 30]
Data: a temporary SQLite file holding the draft charter, published once, with a committee
member signed in (so no page comes from the sealed-page cache and every one is rendered).
A stand-in catalog is extracted from the code and compiled as a translator's would be (every
message wrapped in ⟦ ⟧, tests/catalogs.py). Each page is fetched in English (the baseline,
measured in the same run) and in the stand-in language; the ratio is the cost of translating.
"""

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from charter import create_app  # noqa: E402
from charter.accounts.operations import create_user  # noqa: E402
from charter.clauses.operations import import_draft  # noqa: E402
from charter.clauses.queries import get_charter  # noqa: E402
from charter.extensions import db  # noqa: E402
from charter.models import Role  # noqa: E402
from charter.text.drafts import parse_draft  # noqa: E402
from charter.versions.operations import publish_working_draft  # noqa: E402
from config import TestConfig  # noqa: E402
from tests.catalogs import STAND_IN, compile_stand_in  # noqa: E402

PAGES = ("/", "/draft", "/proposals/", "/versions/1", "/committee/", "/account")
PASSWORD = "a long bench passphrase"


def median_ms(client, path: str, language: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(path, headers={"Accept-Language": language})
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    app = create_app(
        TestConfig,
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.sqlite'}",
            "BABEL_TRANSLATION_DIRECTORIES": str(compile_stand_in(folder / "translations")),
        },
    )
    with app.app_context():
        db.create_all()
        draft = parse_draft((ROOT / "drafts" / "citizen-data-charter.md").read_text())
        import_draft(draft, slug=app.config["CHARTER_SLUG"])
        publish_working_draft(get_charter(), changelog="- The first agreed text.")
        create_user("member@example.org", "Bench Member", PASSWORD, Role.COMMITTEE)
        db.session.commit()
    client = app.test_client()
    login = client.get("/accounts/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', login).group(1)
    signed_in = client.post(
        "/accounts/login",
        data={"email": "member@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert signed_in.status_code == 302, "could not sign in"
    check = client.get("/draft", headers={"Accept-Language": STAND_IN}).get_data(as_text=True)
    assert "⟦" in check, "the stand-in catalog was not used"
    print(f"Median of {args.runs} requests per page, signed in (every page rendered):")
    print(f"{'page':<14} {'English':>10} {'catalog':>10} {'ratio':>7}")
    ratios = []
    for path in PAGES:
        median_ms(client, path, "en", 3)  # warm the template cache
        english = median_ms(client, path, "en", args.runs)
        translated = median_ms(client, path, STAND_IN, args.runs)
        ratios.append(translated / english)
        print(f"{path:<14} {english:>8.1f} ms {translated:>7.1f} ms {translated / english:>6.2f}×")
    print(f"Geometric mean ratio: {statistics.geometric_mean(ratios):.2f}×")


if __name__ == "__main__":
    main()
