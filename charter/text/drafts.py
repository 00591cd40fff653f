"""Read and write charter drafts: `# Title`, a preamble, then `## Heading {#key}` clauses."""

import re
import unicodedata
from dataclasses import dataclass, field

from charter.text.markdown import markdown_problems

_TITLE = re.compile(r"^#\s+(?P<title>.+?)\s*#*\s*$")
_CLAUSE = re.compile(r"^##\s+(?P<heading>.+?)(?:\s+\{#(?P<key>[^}\s]*)\})?\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_TOP_HEADING = re.compile(r"^#{1,2}(\s|$)")
# Control characters other than tab and line breaks: nothing a writer means to put in a charter,
# and NUL cannot even be stored by PostgreSQL.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_KEY_LENGTH = 60


class DraftError(ValueError):
    """A draft file that cannot be read, with the line at fault."""


@dataclass(frozen=True)
class DraftClause:
    key: str
    heading: str
    body: str


@dataclass(frozen=True)
class Draft:
    title: str
    preamble: str = ""
    clauses: tuple[DraftClause, ...] = field(default_factory=tuple)


def normalise_text(text: str) -> str:
    """Return text in canonical form: NFC, Unix newlines, no trailing spaces or blank edges."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def normalise_heading(heading: str) -> str:
    """Return a heading on one line with single spaces."""
    return " ".join(unicodedata.normalize("NFC", heading).split())


def slugify(heading: str) -> str:
    """Derive a clause key from its heading: lowercase ASCII words joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", heading).encode("ascii", "ignore").decode()
    ascii_text = re.sub(r"(\w)'(\w)", r"\1\2", ascii_text)  # "children's" -> "childrens"
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    key = "-".join(words)[:MAX_KEY_LENGTH].strip("-")
    return key or "clause"


def is_valid_key(key: str) -> bool:
    """Tell whether a key is a lowercase slug fit for a URL."""
    return len(key) <= MAX_KEY_LENGTH and bool(_KEY.match(key))


def body_problems(body: str) -> list[str]:
    """List what stops a clause body from being written to a draft file or shown, in plain words."""
    problems = []
    in_fence = False
    for line in body.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and _TOP_HEADING.match(line):
            problems.append(
                "Lines starting with # or ## are kept for the charter and clause titles; "
                "start a sub-heading inside a clause with ###."
            )
            break
    return problems + markdown_problems(body)


def parse_draft(text: str) -> Draft:
    """Parse a draft file into its title, preamble and clauses."""
    lines = normalise_text(text).split("\n")
    for number, line in enumerate(lines, start=1):
        if control := _CONTROL.search(line):
            raise DraftError(
                f"Line {number}: it holds a control character (U+{ord(control.group()):04X}) "
                "that a charter cannot contain; remove it and import again."
            )
    title_match = _TITLE.match(lines[0]) if lines else None
    if not title_match or lines[0].startswith("##"):
        raise DraftError("Line 1: a draft must start with the charter title, as '# Title'.")

    preamble: list[str] = []
    sections: list[tuple[int, str, str | None, list[str]]] = []
    in_fence = False
    for number, line in enumerate(lines[1:], start=2):
        if _FENCE.match(line):
            in_fence = not in_fence
        clause = None if in_fence else _CLAUSE.match(line)
        if clause and not line.startswith("###"):
            sections.append((number, clause["heading"], clause["key"], []))
        elif not in_fence and _TITLE.match(line) and not line.startswith("##"):
            raise DraftError(f"Line {number}: only the first line may be a '# Title'.")
        elif sections:
            sections[-1][3].append(line)
        else:
            preamble.append(line)

    clauses = []
    seen: set[str] = set()
    for number, heading, key, body in sections:
        heading = normalise_heading(heading)
        if key is None:
            key = slugify(heading)
        elif not is_valid_key(key):
            raise DraftError(
                f"Line {number}: the key '{key}' must be lowercase letters, digits and hyphens."
            )
        if key in seen:
            raise DraftError(f"Line {number}: the key '{key}' is used by an earlier clause.")
        seen.add(key)
        for problem in markdown_problems(normalise_text("\n".join(body))):
            raise DraftError(f"Line {number}: the clause '{key}' cannot be shown. {problem}")
        clauses.append(DraftClause(key=key, heading=heading, body=normalise_text("\n".join(body))))
    for problem in markdown_problems(normalise_text("\n".join(preamble))):
        raise DraftError(f"The preamble cannot be shown. {problem}")
    return Draft(
        title=normalise_heading(title_match["title"]),
        preamble=normalise_text("\n".join(preamble)),
        clauses=tuple(clauses),
    )


def format_clause(clause: DraftClause) -> str:
    """Write one clause as a draft section."""
    section = f"## {clause.heading} {{#{clause.key}}}"
    return f"{section}\n\n{clause.body}" if clause.body else section


def format_draft(draft: Draft) -> str:
    """Write a draft in the canonical file format that parse_draft reads back."""
    parts = [f"# {draft.title}"]
    if draft.preamble:
        parts.append(draft.preamble)
    parts.extend(format_clause(clause) for clause in draft.clauses)
    return "\n\n".join(parts) + "\n"
