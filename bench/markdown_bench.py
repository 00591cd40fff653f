"""Time Markdown rendering on adversarial bodies of the longest length the forms accept.

Run from the repository root: .venv/bin/python bench/markdown_bench.py [--repeat N]
Each body is rendered uncached; figures are medians of N runs, and each is also given as a ratio
to a normal charter clause of the same length rendered in the same run. A body the limits refuse
is timed too (it is shown as plain text if it was stored before the limits), marked "refused".
Plain-text extraction and the rendered-view diff against the normal clause are timed alongside.
Nothing here is asserted.
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from charter.comments.operations import BODY_MAX as COMMENT_MAX  # noqa: E402
from charter.proposals.operations import BODY_MAX  # noqa: E402
from charter.text.diffing import diff_rendered_html  # noqa: E402
from charter.text.markdown import markdown_problems, render_comment, render_markdown  # noqa: E402
from charter.text.plaintext import plain_text  # noqa: E402

SEED = 20261202
DRAFT = Path(__file__).resolve().parents[1] / "drafts" / "citizen-data-charter.md"


def fill(unit: str, length: int = BODY_MAX) -> str:
    """Repeat unit up to exactly length characters."""
    return (unit * (length // len(unit) + 1))[:length]


def normal_clause() -> str:
    """The shipped draft's clause bodies, headings dropped, repeated to the maximum length."""
    lines = [line for line in DRAFT.read_text().split("\n") if not line.startswith("#")]
    return fill("\n".join(lines).strip() + "\n\n").strip()


def at_limit(unit: str, count: int) -> str:
    """Repeat unit count times, then pad with plain words to the maximum length."""
    return fill(unit * count + "\n\n" + fill("data we hold ", BODY_MAX))


def nested(marker: str, indent: str = "") -> str:
    """Nest a marker as deep as the length allows, one level per line."""
    lines, depth = [], 0
    while sum(len(line) + 1 for line in lines) < BODY_MAX:
        lines.append(indent * depth + marker + "x")
        depth += 1
    return "\n".join(lines)[:BODY_MAX]


def fuzz(rng: random.Random, alphabet: str) -> str:
    return "".join(rng.choice(alphabet) for _ in range(BODY_MAX))


def corpus() -> dict[str, str]:
    """Name every adversarial body; each is BODY_MAX characters long."""
    rng = random.Random(SEED)
    bodies = {
        "[ run": fill("["),
        "![ run": fill("!["),
        "]( run": fill("]("),
        "[a]( run": fill("[a]("),
        '[a]("t run': fill('[a]("t'),
        "[a](b) links": fill("[a](b) "),
        "[[[ ]]] nested": "[" * (BODY_MAX // 2) + "]" * (BODY_MAX // 2),
        "* run": fill("*"),
        "_ run": fill("_"),
        "*a run": fill("*a"),
        "**a** run": fill("**a** "),
        "` run": fill("`"),
        "`a` run": fill("`a` "),
        "< run": fill("<"),
        "& run": fill("&"),
        "&amp; run": fill("&amp;"),
        "<http://a> run": fill("<http://a.b> "),
        "bare URLs": fill("https://a.example/x "),
        "\\ run": fill("\\"),
        "- on one line": fill("- ") + "x",
        "1. on one line": fill("1. ") + "x",
        "> on one line": fill("> ") + "x",
        "- nested by indent": nested("- ", "    "),
        "1. nested by indent": nested("1. ", "    "),
        "> nested quotes": nested("", "> "),
        "- 8 deep (limit)": nested("- ", "    ")[:0]
        + "\n".join("    " * d + "- item at this depth" for d in range(8)),
        "emphasis nested": fill("*_", BODY_MAX // 2) + "x" + fill("_*", BODY_MAX // 2 - 1),
        "link references": fill("[r]: http://a.example\n") + "",
        "refs and uses": "\n".join(f"[r{i}]: /x{i}" for i in range(300)) + "\n\n" + fill("[r1] "),
        "long table": "| a | b |\n|---|---|\n" + fill("| x | y |\n", BODY_MAX - 20),
        "wide table": "|" + fill("a|", 4000) + "\n|" + fill("-|", 4000) + "\n|" + fill("b|", 1990),
        "headings": fill("### h\n"),
        "rules": fill("---\n\n"),
        "fences": fill("```\n"),
        "mixture [*`<&": fill("[*`<&_!]("),
        "mixture nested": fill("> - 1. [*a*](b) `c` &amp; <d>\n"),
    }
    # The most of each construct the limits accept, padded with prose to the maximum length.
    bodies.update(
        {
            "limit: *a* x333": at_limit("*a* ", 333),
            "limit: `a` x333": at_limit("`a` ", 333),
            "limit: [a](/b) x199": at_limit("[a](/b) ", 199),
            '[a](/b "t") x199': at_limit('[a](/b "t") ', 199),
            "limit: & x790": at_limit("& ", 790),
            "limit: < x790": at_limit("< ", 790),
            "headings x150": at_limit("### h\n\n", 150),
            "list items x180": at_limit("- item\n", 180),
            "table rows x100": "| a | b |\n|---|---|\n" + at_limit("| x | y\n", 100),
            "8-deep lists x10": at_limit(
                "".join("    " * d + "- item\n" for d in range(8)) + "\n", 10
            ),
        }
    )
    for n in range(5):
        bodies[f"fuzz markup {n}"] = fuzz(rng, "[]()!*_`<>&#-> |\\\n1.abc ")
    for n in range(3):
        bodies[f"fuzz text {n}"] = fuzz(rng, "abcdefgh     \n*_[]()`")
    bodies["normal clause"] = normal_clause()
    return {name: body[:BODY_MAX] for name, body in bodies.items()}


def timed(function, argument, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(argument)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    bodies = corpus()
    normal = bodies["normal clause"]
    render_markdown(normal)  # build this thread's sanitiser first
    baseline = timed(render_markdown, normal, args.repeat)
    normal_html = render_markdown(normal)
    print(f"normal {len(normal):,}-character clause: {baseline * 1000:.1f} ms")
    print(f"{'body':<24} {'render ms':>9} {'ratio':>6} {'plain ms':>8} {'diff ms':>8}  accepted")
    worst = worst_accepted = ("", 0.0)
    for name, body in bodies.items():
        seconds = timed(render_markdown, body, args.repeat)
        output = render_markdown(body)
        plain = timed(plain_text, output, args.repeat)
        start = time.perf_counter()
        diff_rendered_html(normal_html, output)
        diff = time.perf_counter() - start
        accepted = not markdown_problems(body)
        print(
            f"{name:<24} {seconds * 1000:9.1f} {seconds / baseline:6.1f} {plain * 1000:8.1f} "
            f"{diff * 1000:8.1f}  {'yes' if accepted else 'refused'}"
        )
        worst = max(worst, (name, seconds), key=lambda pair: pair[1])
        if accepted:
            worst_accepted = max(worst_accepted, (name, seconds), key=lambda pair: pair[1])
    for label, (name, seconds) in (("worst accepted", worst_accepted), ("worst of all", worst)):
        print(f"{label}: {name!r} {seconds * 1000:.1f} ms, {seconds / baseline:.1f}x normal")
    comment_worst = max(
        (timed(render_comment, fill(unit, COMMENT_MAX), args.repeat), unit)
        for unit in ("<", "&", "https://a.example/ ", "[", "a ")
    )
    print(
        f"worst comment ({COMMENT_MAX:,} x {comment_worst[1]!r}): {comment_worst[0] * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
