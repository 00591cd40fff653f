"""Does the time an answer takes tell whether an email address has an account?

Times "Forgotten your password?" and registration for an address with an account and one
without, taken in turn, with mail queued on Redis as in production. Prints the medians and
their ratio (1.00 means no difference); a fresh SQLite database unless DATABASE_URL is set.

python bench/account_timing.py [--rounds 200] [--redis redis://127.0.0.1:6379/14]
"""

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from charter import create_app  # noqa: E402
from charter.accounts.operations import create_user  # noqa: E402
from charter.extensions import db, limiter  # noqa: E402
from config import DevelopmentConfig  # noqa: E402

KNOWN = "resident@example.org"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()

    folder = tempfile.mkdtemp()
    overrides = {
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite",
        "REDIS_URL": args.redis,
        "MAIL_BACKEND": "locmem",
        "TESTING": True,
    }
    if "DATABASE_URL" in __import__("os").environ:
        overrides.pop("SQLALCHEMY_DATABASE_URI")
    app = create_app(DevelopmentConfig, overrides)
    limiter.enabled = False  # the limits would refuse a benchmark's hundreds of requests
    with app.app_context():
        db.drop_all()
        db.create_all()
        create_user(KNOWN, "Robin Resident", "correct horse battery")
        db.session.commit()
    from redis import Redis

    Redis.from_url(args.redis).flushdb()
    client = app.test_client()
    page = client.get("/accounts/register").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)

    def forgotten(email: str) -> float:
        start = time.perf_counter()
        response = client.post(
            "/accounts/password/forgotten", data={"email": email, "csrf_token": token}
        )
        assert response.status_code == 302, response.status_code  # answered, not refused
        return time.perf_counter() - start

    def register(email: str) -> float:
        form = {
            "email": email,
            "display_name": "Sam Someone",
            "password": "another long pass phrase",
            "confirm": "another long pass phrase",
            "csrf_token": token,
        }
        start = time.perf_counter()
        response = client.post("/accounts/register", data=form)
        assert response.status_code == 302, response.status_code
        return time.perf_counter() - start

    print(f"{args.rounds} requests each way, taken in turn; mail queued on {args.redis}")
    print(f"{'':28} {'has an account':>15} {'has none':>10} {'ratio':>7}")
    for name, action in (("Forgotten your password?", forgotten), ("Register", register)):
        for n in range(10):  # warm up both paths
            action(KNOWN), action(f"warm{n}@example.org")
        pairs = [
            (action(KNOWN), action(f"new{n}-{name[0]}@example.org")) for n in range(args.rounds)
        ]
        known = statistics.median(k for k, _ in pairs) * 1000
        unknown = statistics.median(u for _, u in pairs) * 1000
        print(f"{name:28} {known:12.2f} ms {unknown:7.2f} ms {known / unknown:7.2f}")
    Redis.from_url(args.redis).flushdb()


if __name__ == "__main__":
    main()
