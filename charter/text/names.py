"""Names people give themselves: clean them for display, and tell when two look the same.

Two names are confusable when their skeletons are equal. A skeleton is built by this rule:

1. NFKC, so fullwidth, mathematical and other compatibility letters become plain ones;
2. words are the runs of letters, digits and combining marks; everything else (spaces,
   punctuation, brackets, symbols, invisible characters) only separates them;
3. each character is replaced by one representative of its class of look-alikes, classes being
   built from the Unicode confusables data (UTS #39) that the confusable-homoglyphs package
   ships, with each ASCII capital joined to its small letter (a character with no look-alikes
   of its own is case-folded first): Latin "o", Cyrillic "о", Greek "ο", "0" and "O" all
   become one character; then "rn", which the data lists as a look-alike of "m", becomes "m";
4. words that only name a role ("committee", "member", "official", "admin", ...) are dropped,
   and the rest are joined with nothing between them.

So "Morgan Member (committee)", "MORGAN  MEMBER", "Mоrgan Membеr" (Cyrillic о and е) and
"Morgan Mernber" all have the skeleton of "Morgan Member". The rule errs towards calling names
confusable: a resident may be asked to choose another name when they meant no harm, but no one
can pass for a committee member by a trick of the letters.
"""

import re
import string
import unicodedata
from functools import cache

from confusable_homoglyphs.confusables import confusables_data

# Default-ignorable characters that Unicode does not class as format or control characters:
# fillers that draw nothing, and selectors and joiners that only modify their neighbours.
_INVISIBLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u3164\uffa0\u2800"
) | frozenset(chr(c) for c in range(0xFE00, 0xFE10))
_HIDDEN_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}
_MAX_MARKS = 2  # combining marks on one letter; more only stack up over neighbouring lines

# Words that name a role, and only a role: dropped from skeletons.
ROLE_WORDS = (
    "committee",
    "member",
    "members",
    "official",
    "admin",
    "administrator",
    "moderator",
    "moderators",
    "mod",
    "staff",
    "team",
)
# Words a resident's name may not contain, because they claim a role the server gives.
CLAIMED_ROLES = (
    "committee",
    "official",
    "admin",
    "administrator",
    "moderator",
    "moderators",
    "staff",
)


def clean_name(name: str) -> str:
    """Return a name as it will be shown: NFC, no invisible or direction-changing characters."""
    kept = []
    marks = 0
    for char in unicodedata.normalize("NFC", name):
        category = unicodedata.category(char)
        if category in _HIDDEN_CATEGORIES or char in _INVISIBLE:
            continue
        if category.startswith("Z") or char.isspace():
            char = " "
        if category.startswith("M"):
            marks += 1
            if marks > _MAX_MARKS:
                continue
        else:
            marks = 0
        kept.append(char)
    return re.sub(r" {2,}", " ", "".join(kept)).strip()


@cache
def _representatives() -> dict[str, str]:
    """Map each character with look-alikes to one member of its class (the lowest)."""
    parent: dict[str, str] = {}

    def find(char: str) -> str:
        parent.setdefault(char, char)
        while parent[char] != char:
            parent[char] = parent[parent[char]]
            char = parent[char]
        return char

    def join(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    for char, glyphs in confusables_data.items():
        for glyph in glyphs:
            if len(char) == 1 and len(glyph["c"]) == 1:
                join(char, glyph["c"])
    # Joining each ASCII capital to its small letter also makes "0" ("O") and "o", or "1" ("I",
    # "l") and "i", one class. Joining every letter to its case-folded form would chain
    # unrelated classes together (it made "e" and "7" one).
    for upper in string.ascii_uppercase:
        join(upper, upper.lower())
    return {char: find(char) for char in parent}


def _word_skeleton(word: str) -> str:
    reps = _representatives()
    # A capital's own look-alikes first (Cyrillic "М" looks like "M", its small "м" like no
    # Latin letter); other characters by their case-folded form.
    mapped = "".join(
        reps[char] if char in reps else "".join(reps.get(c, c) for c in char.casefold())
        for char in word
    )
    return mapped.replace(reps.get("r", "r") + reps.get("n", "n"), reps.get("m", "m"))


def _words(name: str) -> list[str]:
    text = unicodedata.normalize("NFKC", clean_name(name))
    text = "".join(c if unicodedata.category(c)[0] in "LNM" else " " for c in text)
    return text.split()


@cache
def _role_skeletons() -> frozenset[str]:
    return frozenset(_word_skeleton(word) for word in ROLE_WORDS)


def skeleton(name: str) -> str:
    """Return what a name looks like, for comparing: see the rule at the top of this module."""
    roles = _role_skeletons()
    return "".join(s for w in _words(name) if (s := _word_skeleton(w)) not in roles)


def claimed_role(name: str) -> str | None:
    """Return the role word a name claims (such as "committee"), or None."""
    claims = _claims()
    for word in _words(name):
        if found := claims.get(_word_skeleton(word)):
            return found
    return None


@cache
def _claims() -> dict[str, str]:
    return {_word_skeleton(word): word for word in CLAIMED_ROLES}
