"""The languages the committee translates the charter into, and the other kinds of wording."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from charter.models import SupplementKind


@dataclass(frozen=True)
class Language:
    code: str  # BCP 47
    name: str  # in English (stored with each translation, so never itself translated)
    native: str  # in the language itself, so a reader finds their own
    direction: str = "ltr"


# The languages most spoken at home in the area after English; CHARTER_LANGUAGES in the
# config picks which of these the committee works in.
KNOWN = {
    language.code: language
    for language in (
        Language("cy", "Welsh", "Cymraeg"),
        Language("pl", "Polish", "Polski"),
        Language("ur", "Urdu", "اردو", "rtl"),
        Language("pa", "Punjabi", "ਪੰਜਾਬੀ"),
        Language("bn", "Bengali", "বাংলা"),
        Language("ro", "Romanian", "Română"),
        Language("ar", "Arabic", "العربية", "rtl"),
        Language("so", "Somali", "Soomaali"),
        Language("zh-Hans", "Chinese (Simplified)", "简体中文"),
    )
}
ENGLISH = Language("en", "English", "English")


@dataclass(frozen=True)
class Slot:
    """What a wording is: the plain-language summary, the Easy Read version or a translation."""

    name: str  # in URLs: "plain", "easy-read" or a language code
    kind: SupplementKind
    language: Language
    title: str  # marked for translation (lazy): say it in English for the audit log
    noun: str  # as it reads mid-sentence

    @property
    def is_translation(self) -> bool:
        return self.kind is SupplementKind.TRANSLATION


PLAIN = Slot(
    "plain",
    SupplementKind.PLAIN,
    ENGLISH,
    _l("Plain-language summary"),
    _l("plain-language summary"),
)
EASY_READ = Slot(
    "easy-read",
    SupplementKind.EASY_READ,
    ENGLISH,
    _l("Easy Read version"),
    _l("Easy Read version"),
)


def enabled_languages(codes) -> list[Language]:
    """The configured languages, in the order given; codes not known are left out."""
    return [KNOWN[code] for code in codes if code in KNOWN]


def slot_named(name: str, codes) -> Slot | None:
    """Find a slot by its URL name; None for anything else, such as a language not enabled."""
    if name == PLAIN.name:
        return PLAIN
    if name == EASY_READ.name:
        return EASY_READ
    language = KNOWN.get(name) if name in codes else None
    if language is None:
        return None
    title = _l("%(language)s translation", language=language.name)
    return Slot(language.code, SupplementKind.TRANSLATION, language, title, title)
