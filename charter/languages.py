"""The site's own words in the reader's language: English first, others as catalogs arrive.

Interface text is marked with gettext (`_` in templates and routes, `_l` where a string is made
before any request, as form labels are). A language is offered once its catalog is compiled
under charter/translations/<code>/LC_MESSAGES/messages.mo; the README says how to add one.
"""

import re
from pathlib import Path

from babel import Locale
from flask import current_app, has_request_context, request
from flask_babel import format_date, format_number, get_locale
from flask_babel import gettext as _
from flask_babel.speaklater import LazyString
from flask_login import current_user
from markupsafe import Markup, escape

DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "charter_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600  # a choice of language is remembered for a year


def catalog_languages(directories: list[Path]) -> list[str]:
    """English, then every language with a compiled catalog in one of the directories."""
    found = {
        mo.parent.parent.name
        for directory in directories
        for mo in Path(directory).glob("*/LC_MESSAGES/messages.mo")
    }
    return [DEFAULT_LANGUAGE, *sorted(found - {DEFAULT_LANGUAGE})]


def offered_languages() -> list[str]:
    return current_app.config["INTERFACE_LANGUAGES"]


def select_language() -> str:
    """The reader's choice if they made one here, else the best their browser asks for."""
    if not has_request_context():  # a background job or a command: the site's own language
        return DEFAULT_LANGUAGE
    offered = offered_languages()
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in offered:
        return chosen
    if current_user and current_user.is_authenticated and current_user.language in offered:
        return current_user.language  # chosen on another device
    return request.accept_languages.best_match(offered) or DEFAULT_LANGUAGE


def language_of(user) -> str:
    """The language to write to someone in when they are not the one asking: their choice."""
    chosen = getattr(user, "language", None)
    return chosen if chosen in offered_languages() else DEFAULT_LANGUAGE


def vary_by_language(response):
    """Every page is in the language the cookie or the browser asked for: caches must know."""
    response.vary.update(("Cookie", "Accept-Language"))
    return response


def current_language() -> str:
    return str(get_locale() or DEFAULT_LANGUAGE)


def page_language() -> str:
    """The page's lang attribute: British English, or the chosen catalog's language."""
    code = current_language()
    return "en-GB" if code == DEFAULT_LANGUAGE else code.replace("_", "-")


def language_choices() -> list[tuple[str, str]]:
    """Each offered language named in its own words, as a reader looks for it."""
    return [
        (code, Locale.parse(code).get_display_name(code) or code) for code in offered_languages()
    ]


def day_in_words(moment) -> str:
    """A date as the reader says it: "5 December 2026" in British English, or in their language.

    The moment is taken as it is (UTC, or London time where the caller made it so).
    """
    if current_language() == DEFAULT_LANGUAGE:
        return format_date(moment, "d MMMM y", rebase=False)
    return format_date(moment, "long", rebase=False)


def _hidden(words: str) -> str:
    return f'<span class="visually-hidden">{words}</span>'


# Tracked changes come from charter/text, which knows nothing of requests and is cached; the
# words it writes for screen readers are put into the reader's language as a page is made.
_LINK_NOTE = re.compile(
    r'<span class="diff-note">\(link target changed from (.*?) to (.*?)\)</span>', re.S
)


def tracked_change_words(marked: str) -> Markup:
    """Tracked-change HTML with its screen-reader words in the reader's language."""
    html = str(marked)
    if current_language() == DEFAULT_LANGUAGE:
        return Markup(html)
    spoken = {
        "deleted: ": _("deleted:") + " ",
        " (end deleted)": " " + _("(end deleted)"),
        "inserted: ": _("inserted:") + " ",
        " (end inserted)": " " + _("(end inserted)"),
        " replaced by ": " " + _("replaced by") + " ",
    }
    for english, translated in spoken.items():
        html = html.replace(_hidden(english), _hidden(escape(translated)))
    # The addresses were escaped when the note was written; they go back in as they are.
    return Markup(
        _LINK_NOTE.sub(
            lambda m: (
                '<span class="diff-note">'
                + escape(_("(link target changed from %(old)s to %(new)s)", old="\0", new="\1"))
                .replace("\0", m.group(1))
                .replace("\1", m.group(2))
                + "</span>"
            ),
            html,
        )
    )


def number(n: int) -> LazyString:
    """A number written the reader's way when a message shows it: 10,000 in English.

    Lazy, so a limit named in a form's words, made at import time, is still written in the
    language of whoever reads the form.
    """
    return LazyString(format_number, n)


# Whole numbers tried for each plural category; French needs a million for "many".
_PLURAL_TRIES = (*range(200), 1_000, 1_000_000)


def plural_samples() -> list[tuple[str, int]]:
    """A whole number for each plural category of the reader's language, smallest first.

    Scripts choose among a message's forms with the browser's Intl.PluralRules, which names
    categories (one, few, many, other ...), where a catalog numbers its forms: the page gives
    each category's form, made by ngettext with its number. "Other" is always there, as the
    form to fall back on; where whole numbers never reach it (Polish), it is the "many" form.
    """
    rule = get_locale().plural_form
    found: dict[str, int] = {}
    for n in _PLURAL_TRIES:
        found.setdefault(rule(n), n)
    found.setdefault("other", found.get("many", max(found.values())))
    return sorted(found.items(), key=lambda item: item[1])
