"""Forms shared by every area."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.validators import InputRequired

from charter.languages import language_choices


class EmptyForm(FlaskForm):
    """Carries only the CSRF token, for POST-only buttons."""


class LanguageForm(FlaskForm):
    """The reader's choice of language for the site's own words."""

    language = SelectField(_l("Language"), validators=[InputRequired()])
    next = HiddenField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.language.choices = language_choices()
