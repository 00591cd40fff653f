"""Refuse input the database cannot take before any view sees it: NUL bytes and huge numbers."""

from flask import Flask, abort, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

# The largest value of an INTEGER column in PostgreSQL: every id, version number and page.
DB_INT_MAX = 2**31 - 1
# Query arguments Flask-SQLAlchemy's paginate reads as whole numbers and multiplies into OFFSET.
PAGE_ARGS = ("page", "per_page")


class RefusedInput(BadRequest):
    """A request carrying a character no text in Charter may contain."""

    description = _l(
        "What you sent contains a NUL character (\\0), which is not allowed in any address "
        "or form. Remove it and try again."
    )


class RefusedChoice(BadRequest):
    """A query parameter with a value the page cannot use; the description says why."""

    def __init__(self, description: str):
        super().__init__(description=description)


class BoundedIntConverter(IntegerConverter):
    """Match only the whole numbers an INTEGER column can hold, so a larger one is a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=DB_INT_MAX, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def parse_id(text: str) -> int | None:
    """Read a plain decimal number an INTEGER column can hold; None for anything else."""
    if not (text.isascii() and text.isdigit()):
        return None  # str.isdigit() also says yes to "²", which int() refuses
    value = int(text)
    return value if value <= DB_INT_MAX else None


def _has_nul(pairs) -> bool:
    return any("\x00" in key or "\x00" in value for key, value in pairs)


def refuse_bad_input() -> None:
    """Answer 400 to a NUL anywhere in the path, query or form, and 404 to a page past any end."""
    # PostgreSQL cannot store or even compare a string holding NUL: the query fails with a 500.
    if "\x00" in request.path or _has_nul(request.args.items(multi=True)):
        raise RefusedInput()
    if request.method not in ("GET", "HEAD", "OPTIONS") and (
        _has_nul(request.form.items(multi=True))
        or any("\x00" in (f.filename or "") for f in request.files.values())
    ):
        raise RefusedInput()
    for name in PAGE_ARGS:
        try:
            number = int(request.args.get(name, "1"))
        except ValueError:
            continue  # paginate reads a page that is not a number as the first page
        if number > DB_INT_MAX:
            abort(404, description=_("There is no page %(number)s.", number=number))


def _answer_refused(error: RefusedInput):
    if request.path.startswith("/api/"):
        return jsonify(error={"status": 400, "message": str(error.description)}), 400
    return render_template("errors/error.html", code=400, message=error.description), 400


def guard_input(app: Flask) -> None:
    """Bound integer URL parts and check every request before the views (call before routes)."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.before_request(refuse_bad_input)
    app.register_error_handler(RefusedInput, _answer_refused)
