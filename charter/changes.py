"""Tracked changes between two wordings of a clause, ready for the diff macros to show."""

from dataclasses import dataclass
from functools import cached_property, lru_cache

from flask_babel import lazy_gettext as _l

from charter.text.diffing import (
    Comparison,
    Row,
    Summary,
    compare,
    render_inline,
    render_markdown_diff,
    separate_replacements,
    side_by_side,
)

VIEWS = {
    "inline": _l("Inline"),
    "side": _l("Side by side"),
    "rendered": _l("As it will read"),
}
DEFAULT_VIEW = "rendered"


@lru_cache(maxsize=512)
def _rendered(old_body: str, new_body: str) -> str:
    # Pure in its two texts, so caching by them is always correct, in any worker.
    return separate_replacements(render_markdown_diff(old_body, new_body))


@dataclass(frozen=True)
class ClauseChange:
    """What changes in one clause: its heading and body, old and new."""

    kind: str  # "changed", "added", "removed" or "unchanged"
    old_heading: str
    old_body: str
    new_heading: str
    new_body: str

    @cached_property
    def heading(self) -> Comparison:
        return compare(self.old_heading, self.new_heading)

    @cached_property
    def body(self) -> Comparison:
        return compare(self.old_body, self.new_body)

    @property
    def summary(self) -> Summary:
        return Summary(
            insertions=self.heading.summary.insertions + self.body.summary.insertions,
            deletions=self.heading.summary.deletions + self.body.summary.deletions,
        )

    @property
    def heading_html(self) -> str:
        return separate_replacements(render_inline(self.heading.parts))

    @property
    def body_inline_html(self) -> str:
        return separate_replacements(render_inline(self.body.parts))

    @property
    def body_rows(self) -> tuple[Row, ...]:
        return side_by_side(self.body.parts)

    @property
    def body_rendered_html(self) -> str:
        return _rendered(self.old_body, self.new_body)

    @property
    def operations(self) -> list[dict]:
        """List the changes as plain data for the API."""
        return [
            {"field": field, "op": part.op, "text": part.text}
            for field, comparison in (("heading", self.heading), ("body", self.body))
            for part in comparison.parts
        ]


def amended(old_heading: str, old_body: str, new_heading: str, new_body: str) -> ClauseChange:
    """Describe a clause reworded from the old to the new text."""
    same = old_heading == new_heading and old_body == new_body
    return ClauseChange(
        "unchanged" if same else "changed", old_heading, old_body, new_heading, new_body
    )


def added(heading: str, body: str) -> ClauseChange:
    """Describe a clause that is new."""
    return ClauseChange("added", "", "", heading, body)


def removed(heading: str, body: str) -> ClauseChange:
    """Describe a clause taken out."""
    return ClauseChange("removed", heading, body, "", "")


def pick_view(requested: str | None) -> str:
    """Return a known view name, falling back to the rendered view."""
    return requested if requested in VIEWS else DEFAULT_VIEW
