"""Time /search on whatever database DATABASE_URL names (seed it with `charter seed-demo`).

DATABASE_URL=... python bench/search_timing.py
"""

import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from charter import create_app  # noqa: E402

SEARCHES = [
    ("data", ""),
    ("data", "&page=500"),
    ("police footage", ""),
    ("sharing", "&kind=comments"),
    ("cctv", ""),
    ('"data" -police or council', ""),
]


def main() -> None:
    client = create_app().test_client()
    for query, extra in SEARCHES:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            response = client.get(f"/search?q={query}{extra}")
            times.append(time.perf_counter() - start)
        found = re.search(r"Everything \((\d+)\)", response.get_data(as_text=True))
        total = found.group(1) if found else "-"
        median = statistics.median(times) * 1000
        print(f"{query!r:30} {extra:16} {response.status_code} {total:>7} matches {median:7.1f} ms")


if __name__ == "__main__":
    main()
