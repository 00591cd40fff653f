"""A stand-in second language for tests: the catalog extracted as a translator would, then
compiled with every message wrapped in ⟦ ⟧, so whatever a page shows in ⟦ ⟧ came through it."""

from pathlib import Path

from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent

# Dutch counts as English does (one, other), so a plural message has the same two forms.
STAND_IN = "nl"


def extract_catalog(target: Path) -> Path:
    """Run the extraction the README gives translators; return the catalog template."""
    pot = target / "messages.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "_l"]
        + ["--ignore-dirs", ".* __pycache__ instance", "--no-location", "--omit-header"]
        + ["-o", str(pot), str(ROOT)]
    )
    return pot


def wrapped(message: str) -> str:
    return f"⟦{message}⟧"


def compile_stand_in(folder: Path, language: str = STAND_IN) -> Path:
    """Fill a translations folder with one compiled catalog: every message wrapped in ⟦ ⟧.

    In a language with more plural forms than English (Polish has three), a plural message's
    form k is its English plural marked with k, "⟦form 2: … characters remaining⟧", so a test
    can tell which form a number took.
    """
    folder.mkdir(parents=True, exist_ok=True)
    with extract_catalog(folder).open("rb") as source:
        catalog = read_po(source, locale=language)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple) and catalog.num_plurals == 2:
            message.string = tuple(wrapped(form) for form in message.id)
        elif isinstance(message.id, tuple):
            forms = (message.id[0],) + (message.id[1],) * (catalog.num_plurals - 1)
            message.string = tuple(wrapped(f"form {k}: {form}") for k, form in enumerate(forms))
        else:
            message.string = wrapped(message.id)
    compiled = folder / language / "LC_MESSAGES" / "messages.mo"
    compiled.parent.mkdir(parents=True)
    with compiled.open("wb") as out:
        write_mo(out, catalog)
    return folder
