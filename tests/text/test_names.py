"""Display names: cleaned for showing, and compared by what they look like."""

import pytest

from charter.text.names import claimed_role, clean_name, skeleton


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("\u202eMorgan Member", "Morgan Member"),  # right-to-left override
        ("Morgan\u2066 Member\u2069", "Morgan Member"),  # isolates
        ("Mor\u200bgan\u200d Mem\u00adber", "Morgan Member"),  # zero-width and soft hyphen
        ("Morgan\u3164Member", "MorganMember"),  # a Hangul filler that draws nothing
        ("  Morgan \t\u00a0 Member\n", "Morgan Member"),
        ("Zoe\u0308", "Zoë"),  # combining marks compose (NFC), and are kept
        ("Z\u0337\u0322\u031ba\u0338", "Z\u0337\u0322a\u0338"),  # but never more than two a letter
        ("Łukasz Żółć 李小龍", "Łukasz Żółć 李小龍"),
    ],
)
def test_clean_name_drops_what_cannot_be_seen(typed, shown):
    assert clean_name(typed) == shown


@pytest.mark.parametrize(
    "lookalike",
    [
        "Morgan Member",
        "morgan member",
        "Morgan Member (committee)",
        "Morgan  Member, official",
        "M\u043ergan Memb\u0435r",  # Cyrillic о and е
        "M0rgan Member",
        "Morgan Mernber",  # "rn" for "m"
        "\uff2d\uff4f\uff52\uff47\uff41\uff4e",  # fullwidth
        "\U0001d40c\U0001d428\U0001d42b\U0001d420\U0001d41a\U0001d427",  # mathematical bold
        "\u041c\u041eRGAN",  # Cyrillic capitals М and О
        "Mor\u200bgan",
    ],
)
def test_lookalikes_share_a_skeleton(lookalike):
    assert skeleton(lookalike) == skeleton("Morgan Member")


@pytest.mark.parametrize("other", ["Morgan Smith", "Megan Member", "Mórgan", "Organ"])
def test_different_names_have_different_skeletons(other):
    assert skeleton(other) != skeleton("Morgan Member")


@pytest.mark.parametrize(
    ("name", "role"),
    [
        ("Sam (committee)", "committee"),
        ("Data Ethics Committee", "committee"),
        ("Moderator", "moderator"),
        ("Admin", "admin"),
        ("Sam, \u0430dmin", "admin"),  # Cyrillic а
        ("COMMITTEE OFFICIAL", "committee"),
        ("Casey Citizen", None),
        ("Sam Member", None),
        ("Commitment Coach", None),
    ],
)
def test_claimed_role(name, role):
    assert claimed_role(name) == role
