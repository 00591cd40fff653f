"""Forms shared by every area."""

from flask_wtf import FlaskForm


class EmptyForm(FlaskForm):
    """Carries only the CSRF token, for POST-only buttons."""
