"""What a reader of a clause page sees: the full text, a plainer version or a translation."""

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from charter.extensions import db
from charter.models import Clause, ClauseRevision, Supplement, SupplementKind
from charter.plain.languages import EASY_READ, KNOWN, PLAIN, Language, enabled_languages
from charter.text.readability import ReadingLevel, markdown_reading_level

DEFAULT_LANGUAGES = ("cy", "pl", "ur", "pa", "bn", "ro", "ar", "so", "zh-Hans")
VIEWS = {"full": _l("Full text"), PLAIN.name: PLAIN.title, EASY_READ.name: EASY_READ.title}
_VIEW_KIND = {PLAIN.name: SupplementKind.PLAIN, EASY_READ.name: SupplementKind.EASY_READ}


def language_codes() -> tuple[str, ...]:
    """The languages the committee has enabled (CHARTER_LANGUAGES), known ones only."""
    codes = current_app.config.get("CHARTER_LANGUAGES", DEFAULT_LANGUAGES)
    return tuple(code for code in codes if code in KNOWN)


def newest_supplements(clause: Clause) -> dict[tuple[SupplementKind, str], Supplement]:
    """The newest wording of each of a clause's summaries and translations."""
    newest: dict[tuple[SupplementKind, str], Supplement] = {}
    for supplement in db.session.scalars(
        db.select(Supplement).filter_by(clause_id=clause.id).order_by(Supplement.number)
    ):
        newest[(supplement.kind, supplement.language)] = supplement
    return newest


@dataclass(frozen=True)
class ClauseReading:
    view: str
    views: dict[str, str]
    level: ReadingLevel
    supplement: Supplement | None  # the plain or Easy Read text asked for, if there is one
    languages: list[Language]
    language: Language | None  # the language asked for, if enabled
    translation: Supplement | None  # its newest text, current or not
    plain: Supplement | None
    easy_read: Supplement | None
    translations: dict[str, Supplement]

    @property
    def translation_current(self) -> bool:
        return self.translation is not None and self.translation.is_current

    @property
    def view_noun(self) -> str:
        """The chosen view as it reads mid-sentence."""
        return {PLAIN.name: PLAIN.noun, EASY_READ.name: EASY_READ.noun}.get(
            self.view, _l("full text")
        )

    def view_exists(self, view: str) -> bool:
        return (
            view == "full"
            or {PLAIN.name: self.plain, EASY_READ.name: self.easy_read}.get(view) is not None
        )


def clause_reading(clause: Clause, revision: ClauseRevision, view: str | None, lang: str | None):
    """Pick the view and language a reader asked for; anything unknown falls back to English."""
    codes = language_codes()
    newest = newest_supplements(clause)
    view = view if view in VIEWS else "full"
    language = KNOWN[lang] if lang in codes else None
    translations = {
        code: newest[(SupplementKind.TRANSLATION, code)]
        for code in codes
        if (SupplementKind.TRANSLATION, code) in newest
    }
    return ClauseReading(
        view=view,
        views=VIEWS,
        level=markdown_reading_level(revision.body),
        supplement=newest.get((_VIEW_KIND[view], "en")) if view in _VIEW_KIND else None,
        languages=enabled_languages(codes),
        language=language,
        translation=translations.get(language.code) if language else None,
        plain=newest.get((SupplementKind.PLAIN, "en")),
        easy_read=newest.get((SupplementKind.EASY_READ, "en")),
        translations=translations,
    )
