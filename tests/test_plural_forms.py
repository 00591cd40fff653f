"""A number in a message takes the plural form the reader's language gives it, in scripts too.

English has two forms (one, other); Polish three (one, few, many) and Welsh six. The catalog
numbers its forms, the browser's Intl.PluralRules names categories: each message a script
shows is given to it once per category, made by ngettext with a number of that category.
"""

import re

import pytest
from flask_babel import force_locale

from charter.languages import plural_samples
from tests.catalogs import wrapped

POLISH = {"Accept-Language": "pl"}
REMAINING = "You have {count} characters remaining"


@pytest.fixture
def app_overrides(polish_stand_in):
    return {"BABEL_TRANSLATION_DIRECTORIES": str(polish_stand_in)}


def _forms(page: str, message: str) -> dict[str, str]:
    return dict(re.findall(rf'data-{message}-(\w+)="([^"]*)"', page))


def test_each_language_gets_a_number_for_each_of_its_categories(app):
    with app.test_request_context():
        samples = {}
        for language in ("en", "pl", "cy", "ar", "zh"):
            with force_locale(language):
                samples[language] = plural_samples()
    assert samples["en"] == [("other", 0), ("one", 1)]
    # Whole numbers never take Polish "other": it is the "many" form, to fall back on.
    assert samples["pl"] == [("many", 0), ("other", 0), ("one", 1), ("few", 2)]
    assert [category for category, _ in samples["cy"]] == [
        "zero",
        "one",
        "two",
        "few",
        "other",
        "many",
    ]
    assert dict(samples["ar"])["many"] == 11 and dict(samples["ar"])["other"] == 100
    assert samples["zh"] == [("other", 0)]


def test_a_counted_box_carries_a_form_for_each_polish_category(citizen, charter):
    page = citizen.get("/proposals/new?kind=amend&clause=why", headers=POLISH)
    html = page.get_data(as_text=True)
    assert '<html lang="pl">' in html
    remaining = _forms(html, "remaining")
    assert remaining == {
        "one": wrapped("form 0: You have {count} character remaining"),
        "few": wrapped(f"form 1: {REMAINING}"),
        "many": wrapped(f"form 2: {REMAINING}"),
        "other": wrapped(f"form 2: {REMAINING}"),
    }
    assert set(_forms(html, "over")) == {"one", "few", "many", "other"}


def test_in_english_the_box_carries_its_two_forms(citizen, charter):
    html = citizen.get("/proposals/new?kind=amend&clause=why").get_data(as_text=True)
    assert _forms(html, "remaining") == {
        "other": REMAINING,
        "one": "You have {count} character remaining",
    }


def test_the_word_chooser_says_how_many_words_in_each_polish_form(anon, charter):
    html = anon.get("/clauses/why", headers=POLISH).get_data(as_text=True)
    chosen = _forms(html, "chosen")
    assert set(chosen) == {"one", "few", "many", "other"}
    assert chosen["few"].startswith("⟦form 1: Chosen: {quote} ({count} words).")
