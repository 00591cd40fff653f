"""One search over clauses, proposals and comments, whichever database holds them."""

from dataclasses import dataclass, field

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from charter.models import Charter, CommentKind, ProposalKind, ProposalStatus
from charter.search.backends import backend_for
from charter.text.searching import MAX_QUERY_LENGTH, mark_snippet, parse_query

KINDS = ("clauses", "proposals", "comments")
KIND_LABELS = {"clauses": _l("Clauses"), "proposals": _l("Proposals"), "comments": _l("Comments")}
PER_PAGE = 20


class SearchRefused(ValueError):
    """A search that cannot be run as asked; the message says why, in plain words."""


@dataclass
class Result:
    kind: str
    title: Markup
    url: str
    snippet: Markup
    note: str = ""


@dataclass
class SearchPage:
    query: str
    kind: str | None
    page: int
    searchable: bool = False
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    results: list[Result] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.counts[self.kind] if self.kind else sum(self.counts.values())

    @property
    def first(self) -> int:
        return (self.page - 1) * PER_PAGE + 1

    @property
    def last(self) -> int:
        return self.first + len(self.results) - 1

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page * PER_PAGE < self.total

    def groups(self) -> list[tuple[str, list[Result]]]:
        """The results on this page by kind, in the order the kinds are listed."""
        grouped = [(kind, [r for r in self.results if r.kind == kind]) for kind in KINDS]
        return [(kind, results) for kind, results in grouped if results]


def check_search(query: str, kind: str | None, page: str | None) -> tuple[str, str | None, int]:
    """Read the search form's values, or refuse them with a reason a person can act on."""
    query = " ".join(query.split())
    if len(query) > MAX_QUERY_LENGTH:
        raise SearchRefused(
            _(
                "Search for at most %(max)d characters: you entered %(length)d.",
                max=MAX_QUERY_LENGTH,
                length=len(query),
            )
        )
    if kind and kind not in KINDS:
        raise SearchRefused(_("Choose clauses, proposals or comments, or search everything."))
    number = page or "1"
    if not (number.isascii() and number.isdigit()) or int(number) < 1:
        raise SearchRefused(_("The page must be a whole number, 1 or more."))
    return query, kind or None, int(number)


def search(charter: Charter, query: str, kind: str | None = None, page: int = 1) -> SearchPage:
    """Find what matches the query (websearch syntax), 20 results a page, best first by kind."""
    found = SearchPage(query=query, kind=kind, page=page)
    parsed = parse_query(query)
    if not parsed.searchable:
        return found
    found.searchable = True
    backend = backend_for(parsed, query, charter.id)
    found.counts = {each: backend.count(each) for each in KINDS}
    # Kinds follow one another (clauses, then proposals, then comments): a page is a slice of
    # that sequence, so it may take the end of one kind and the start of the next.
    skip, room = (page - 1) * PER_PAGE, PER_PAGE
    for each in (kind,) if kind else KINDS:
        if room and skip < found.counts[each]:
            rows = backend.rows(each, limit=room, offset=skip)
            found.results += [_PRESENT[each](row) for row in rows]
            room -= len(rows)
        skip = max(0, skip - found.counts[each])
    return found


def _clause(row) -> Result:
    return Result(
        kind="clauses",
        title=mark_snippet(row["title"]),
        url=url_for("public.clause", key=row["key"]),
        snippet=mark_snippet(row["snippet"]),
        note=_("Retired clause: no longer in the draft") if row["retired"] else _("Clause"),
    )


def _proposal(row) -> Result:
    status = ProposalStatus(row["status"])
    title = mark_snippet(row["title"]) or Markup(ProposalKind(row["kind"]).label)
    return Result(
        kind="proposals",
        title=title,
        url=url_for("proposals.detail", proposal_id=row["id"]),
        snippet=mark_snippet(row["snippet"]),
        note=_("Proposal %(n)s · %(status)s", n=row["id"], status=status.label),
    )


def _comment(row) -> Result:
    # The thread page always shows the comment (a reply's id leads to its thread's page).
    url = url_for("comments.thread", comment_id=row["id"], _anchor=f"comment-{row['id']}")
    if row["clause_key"]:
        title = _("On the clause “%(heading)s”", heading=row["clause_heading"])
    elif row["proposal_heading"]:
        title = _(
            "On proposal %(n)s, “%(heading)s”",
            n=row["proposal_id"],
            heading=row["proposal_heading"],
        )
    else:
        title = _("On proposal %(n)s", n=row["proposal_id"])
    return Result(
        kind="comments",
        title=mark_snippet(title),
        url=url,
        snippet=mark_snippet(row["snippet"]),
        note=CommentKind(row["kind"]).label,
    )


_PRESENT = {"clauses": _clause, "proposals": _proposal, "comments": _comment}
