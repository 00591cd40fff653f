"""The public archive: every published version, comparisons, downloads, feed, transparency."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)

from charter.audit import public_events_query
from charter.changes import VIEWS, pick_view
from charter.clauses.queries import get_charter
from charter.comments.outcomes import version_outcomes
from charter.exports.pdf import PDF_MIMETYPE
from charter.exports.redline import DOCX_MIMETYPE
from charter.extensions import db
from charter.inputs import parse_id
from charter.permissions import Audience, allow
from charter.plain.queries import translations_current_for, translations_mark
from charter.plain.reading import language_codes
from charter.public.reading import version_reading
from charter.versions.comparing import compare_versions
from charter.versions.copies import (
    comparison_docx,
    comparison_pdf,
    markdown_copy,
    version_docx,
    version_pdf,
)
from charter.versions.feed import atom_feed
from charter.versions.pages import candidate_page
from charter.versions.queries import (
    current_candidate,
    get_published,
    latest_published,
    published_versions,
    seals,
    votes_on,
)
from charter.web import conditional, sealed_page

bp = Blueprint("versions", __name__)

EVENTS_PER_PAGE = 30


def _charter():
    return get_charter() or abort(404)


def _published_or_404(charter, number: int):
    return get_published(charter, number) or abort(404)


def _version_by_name(charter, name: str):
    """Find a version by number, or 'candidate', or 'latest'."""
    if name == "candidate":
        return current_candidate(charter) or abort(404)
    if name == "latest":
        return latest_published(charter) or abort(404)
    number = parse_id(name)
    if number is None:
        abort(404)
    return _published_or_404(charter, number)


@bp.get("/versions")
@allow(Audience.ANYONE)
def index():
    """List every published version, newest first."""
    charter = _charter()
    versions = list(reversed(published_versions(charter)))
    return render_template(
        "versions/index.html", versions=versions, candidate=current_candidate(charter)
    )


@bp.get("/versions/<int:number>")
@allow(Audience.ANYONE)
def detail(number):
    """Show one published version with its changelog, vote record and fingerprints."""
    sealed = seals(current_app.config["CHARTER_SLUG"])
    if number not in sealed:
        abort(404)
    latest = max(sealed)

    def render():
        charter = _charter()
        version = _published_or_404(charter, number)
        revisions = [entry.revision for entry in version.entries]
        coverage = translations_current_for(revisions, language_codes())
        return render_template(
            "versions/detail.html",
            reading=version_reading(charter, version),
            votes=votes_on(version),
            newer=get_published(charter, number + 1) if latest > number else None,
            translations=[language for language in coverage if language.current],
        )

    # The page names the newest version, so it is keyed by that one's seal too, and it lists
    # the translations that fit it, which grow without a new version.
    key = f"version:{sealed[number]}:{sealed[latest]}:{translations_mark()}"
    return sealed_page(key, render)


@bp.get("/versions/<int:number>.md")
@allow(Audience.ANYONE)
def markdown(number):
    """Download a version as Markdown, in the drafts/ file format, stamped with its hashes."""
    return _version_copy(number, "md", markdown_copy, "text/markdown")


@bp.get("/versions/<int:number>.docx")
@allow(Audience.ANYONE)
def docx(number):
    """Download a version as a Word file that carries its number, hashes and Markdown."""
    return _version_copy(number, "docx", version_docx, DOCX_MIMETYPE)


@bp.get("/versions/<int:number>.pdf")
@allow(Audience.ANYONE)
def pdf(number):
    """Download a version as a tagged PDF that carries its number, hashes and Markdown."""
    return _version_copy(number, "pdf", version_pdf, PDF_MIMETYPE)


def _version_copy(number: int, extension: str, build, mimetype: str):
    """Serve a published version's copy, built once per seal and cached like the page."""
    slug = current_app.config["CHARTER_SLUG"]
    sealed = seals(slug)
    if number not in sealed:
        abort(404)
    response = sealed_page(
        f"{extension}-copy:{sealed[number]}",
        lambda: build(_published_or_404(_charter(), number)),
        mimetype=mimetype,
    )
    return _attachment(response, f"{slug}-v{number}.{extension}")


def _attachment(response, filename: str):
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/versions/<int:number>/print")
@allow(Audience.ANYONE)
def printable(number):
    """Show a version as a plain page for printing or saving as PDF."""
    charter = _charter()
    version = _published_or_404(charter, number)
    return conditional(
        make_response(
            render_template("versions/print.html", reading=version_reading(charter, version))
        )
    )


@bp.get("/versions/<int:number>/outcomes")
@allow(Audience.ANYONE)
def outcomes(number):
    """Show what residents raised before this version and what became of each: you said, we did."""
    version = _published_or_404(_charter(), number)
    return render_template("versions/outcomes.html", summary=version_outcomes(version))


@bp.get("/versions/<old>/compare/<new>")
@allow(Audience.ANYONE)
def compare(old, new):
    """Show the tracked changes between two versions, clause by clause, with their reasons."""
    view = pick_view(request.args.get("view"))

    def render():
        charter = _charter()
        comparison = compare_versions(
            _version_by_name(charter, old), _version_by_name(charter, new)
        )
        return render_template(
            "versions/compare.html", comparison=comparison, view=view, views=VIEWS
        )

    old_number, new_number = parse_id(old), parse_id(new)
    if old_number is not None and new_number is not None:
        sealed = seals(current_app.config["CHARTER_SLUG"])
        if old_number not in sealed or new_number not in sealed:
            abort(404)
        return sealed_page(f"compare:{sealed[old_number]}:{sealed[new_number]}:{view}", render)
    return conditional(make_response(render()))  # a candidate can still be withdrawn


@bp.get("/versions/<old>/compare/<new>.docx")
@allow(Audience.ANYONE)
def compare_docx(old, new):
    """Download the changes between two versions as Word tracked changes."""
    return _comparison_download(old, new, "docx", comparison_docx, DOCX_MIMETYPE)


@bp.get("/versions/<old>/compare/<new>.pdf")
@allow(Audience.ANYONE)
def compare_pdf(old, new):
    """Download the changes between two versions as a tagged PDF, changes marked in words."""
    return _comparison_download(old, new, "pdf", comparison_pdf, PDF_MIMETYPE)


def _comparison_download(old, new, extension, build, mimetype):
    slug = current_app.config["CHARTER_SLUG"]
    filename = f"{slug}-changes-{old}-to-{new}.{extension}"

    def render():
        charter = _charter()
        return build(
            compare_versions(_version_by_name(charter, old), _version_by_name(charter, new))
        )

    old_number, new_number = parse_id(old), parse_id(new)
    if old_number is not None and new_number is not None:
        sealed = seals(slug)
        if old_number not in sealed or new_number not in sealed:
            abort(404)
        key = f"{extension}:compare:{sealed[old_number]}:{sealed[new_number]}"
        return _attachment(sealed_page(key, render, mimetype=mimetype), filename)
    response = conditional(Response(render(), mimetype=mimetype))
    return _attachment(response, filename)


@bp.get("/versions/compare")
@allow(Audience.ANYONE)
def choose_comparison():
    """Turn the compare form's choices into a comparison address."""
    old, new = request.args.get("old", ""), request.args.get("new", "")
    if not old or not new:
        return redirect(url_for(".index"))
    return redirect(url_for(".compare", old=old, new=new))


@bp.get("/versions/candidate")
@allow(Audience.ANYONE)
def candidate():
    """Show the candidate under vote: its tracked changes against the latest version, the tally."""
    charter = _charter()
    version = current_candidate(charter)
    if version is None:
        return render_template("versions/no_candidate.html", charter=charter)
    return candidate_page(charter, version)


@bp.get("/versions.atom")
@allow(Audience.ANYONE)
def feed():
    """Announce each published version in an Atom feed."""
    charter = _charter()
    versions = list(reversed(published_versions(charter)))[:20]
    return conditional(Response(atom_feed(charter, versions), mimetype="application/atom+xml"))


@bp.get("/transparency")
@allow(Audience.ANYONE)
def transparency():
    """List every public decision, newest first."""
    page = db.paginate(public_events_query(), per_page=EVENTS_PER_PAGE, error_out=False)
    return render_template("versions/transparency.html", page=page)
