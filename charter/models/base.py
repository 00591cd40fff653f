"""Shared pieces of the models: aware UTC timestamps, enum columns, the immutability error."""

from datetime import UTC, datetime

from flask_babel import force_locale, gettext
from flask_babel.speaklater import LazyString
from sqlalchemy import DateTime, Enum, TypeDecorator


def utcnow() -> datetime:
    """Return the current time, aware and in UTC."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Store aware UTC datetimes; give them back aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None:
            if value.tzinfo is None:
                raise ValueError("Refusing to store a naive datetime.")
            value = value.astimezone(UTC)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


class LazyLabel(LazyString):
    """A label translated when shown, that also formats like a str: f"{role.label:<17}"."""

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def _l(string: str) -> LazyLabel:
    """Mark a label for translation, translated each time it is shown (lazy_gettext)."""
    return LazyLabel(gettext, string)


def labelled(labels: dict):
    """Give an enum's members `label`, their name in the reader's language (lazy, for pages),
    and `english`, the same name in English (for stored text and the transparency log)."""

    def decorate(enum_class):
        unnamed = {member.value for member in enum_class} - set(labels)
        if unnamed:
            raise TypeError(f"{enum_class.__name__} has no label for {sorted(unnamed)}")
        enum_class.label = property(lambda member: labels[member.value])
        enum_class.english = property(lambda member: in_english(labels[member.value]))
        return enum_class

    return decorate


def in_english(text) -> str:
    """The English words of a lazily translated text (an enum's label): what stored text, the
    transparency log and JSON hold, whatever language the reader chose."""
    with force_locale("en"):
        return str(text)


def _enum(enum_class):
    # Store the readable value ("committee"), not the member name, and keep it a plain string
    # column so adding a member later needs no database type change.
    return Enum(
        enum_class,
        native_enum=False,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class ImmutableError(RuntimeError):
    """Raised when something tries to change or delete a record that must never change."""
