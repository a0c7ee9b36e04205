"""The reading and annotation view of one article, and adding articles."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Length, Optional

from app.capabilities import requires
from app.extensions import db
from app.formats import readable_names
from app.models import Article, Event, Outlet
from app.models.limits import parse_id
from app.services.claims import history, restore, revisions
from app.services.corpus import articles as article_service
from app.services.corpus import lists
from app.services.corpus.fields import check_body
from app.services.exchange import readers
from app.services.exchange.importing import Defaults, ImportReport, failure_reason, store_batch
from app.services.review import assignments, codebook
from app.text import diffing
from app.text.clean import clean_text, cleaning_preview
from app.unit_of_work import run_batches
from app.vocabulary import stances

bp = Blueprint("articles", __name__)


@bp.route("/articles")
@requires("read")
def index():
    """Every article, newest first, a page at a time; of one outlet or event with ?outlet= or
    ?event= (a value that is no id is no filter)."""
    outlet_id, event_id = parse_id(request.args.get("outlet")), parse_id(request.args.get("event"))
    page = lists.articles_page(
        lists.page_offset(request.args.get("page")), outlet=outlet_id, event=event_id
    )
    return render_template(
        "articles/index.html",
        page=page,
        outlet=db.session.get(Outlet, outlet_id) if outlet_id else None,
        event=db.session.get(Event, event_id) if event_id else None,
        filters={k: v for k, v in (("outlet", outlet_id), ("event", event_id)) if v},
    )


@bp.route("/articles/<int:article_id>")
@requires("read")
def detail(article_id: int):
    article = db.get_or_404(Article, article_id)
    deleted = history.deleted_claims(article.id) if current_user.may("restore_claims") else []
    entries = codebook.entries()
    done, following = (
        assignments.standing(current_user, article.id)
        if current_user.may("assess")
        else (False, None)
    )
    return render_template(
        "articles/detail.html",
        article=article,
        deleted=deleted,
        codebook=entries,
        definitions={e.label: e.summary for e in entries},  # label buttons' tooltips
        revised_at=revisions.revised_at(article),
        done=done,
        next_article=following,
    )


@bp.route("/articles/<int:article_id>/revisions", endpoint="revisions")
@requires("read")
def revisions_page(article_id: int):
    """Each revision of the text, newest first, with a word diff against the one before."""
    article = db.get_or_404(Article, article_id)
    listed = revisions.revisions(article)
    texts = {r.number: revisions.revision_text(article, r.number) for r in listed}
    shown = []
    for before, revision in zip([None, *listed], listed, strict=False):
        diff = None
        if before is not None and texts[before.number] is not None:
            changes = diffing.word_diff(texts[before.number], texts[revision.number] or "")
            diff = (diffing.readable(changes), *diffing.counts(changes))
        shown.append((revision, diff))
    return render_template(
        "articles/revisions.html", article=article, shown=shown[::-1], texts=texts
    )


@bp.post("/articles/<int:article_id>/claims/<int:claim_id>/restore")
@requires("restore_claims")
def restore_claim(article_id: int, claim_id: int):
    """Put a deleted claim back (admins), from the article page's Deleted claims list."""
    db.get_or_404(Article, article_id)
    restore.restore_claim(claim_id, current_user)
    flash(f"Claim {claim_id} restored with its assessments.", "info")
    return redirect(url_for("articles.detail", article_id=article_id)), 303


class EditForm(FlaskForm):
    """An article's fields and text: a new text becomes a revision, with its reason."""

    title = StringField(
        "Title",
        validators=[DataRequired(), Length(max=500)],
        description="In [square brackets] when the source prints none.",
    )
    stance = SelectField("Stance")
    url = StringField("Source URL", validators=[Optional(), URL(), Length(max=2000)])
    author = StringField("Author", validators=[Optional(), Length(max=300)])
    published = DateField("Published", validators=[Optional()])
    text = TextAreaField(
        "Text",
        validators=[DataRequired()],
        description="Change it to make a new revision: the old text is kept and every claim "
        "follows its words (kept, moved with a flag, or orphaned; never deleted).",
    )
    note = StringField(
        "Why the text changed",
        validators=[Optional(), Length(max=300)],
        description="Shown in the revision history, e.g. “the outlet corrected a figure”.",
    )
    revision = HiddenField()


@bp.route("/articles/<int:article_id>/edit", methods=["GET", "POST"])
@requires("revise_articles")
def edit(article_id: int):
    """Edit an article's title, URL, author, date and stance, and revise its text."""
    article = db.get_or_404(Article, article_id)
    form = EditForm(obj=article if request.method == "GET" else None)
    form.stance.choices = list(stances())
    if request.method == "GET":
        form.revision.data = str(article.revision)
    if form.validate_on_submit():
        _, text = check_body({"text": form.text.data})
        revised = revisions.revise(
            article,
            text,
            user=current_user,
            note=form.note.data or None,
            expected_revision=parse_id(form.revision.data),
        )
        article_service.update_fields(
            article,
            {
                "title": form.title.data,
                "url": form.url.data or None,
                "author": form.author.data or None,
                "published": form.published.data,
                "stance": form.stance.data,
            },
        )
        summary = revised.summary()
        if summary["revision"] != int(form.revision.data or 0):
            flash(
                f"Saved as revision {summary['revision']}: {summary['kept']} claims kept, "
                f"{summary['anchored']} found again, {len(summary['moved'])} moved (please "
                f"check), {len(summary['orphaned'])} lost their passage.",
                "info",
            )
        else:
            flash("Saved.", "info")
        return redirect(url_for("articles.detail", article_id=article.id)), 303
    status = 422 if form.errors else 200
    return render_template("articles/edit.html", form=form, article=article), status


class ArticleForm(FlaskForm):
    outlet = StringField(
        "Outlet",
        validators=[DataRequired(), Length(max=200)],
        description="An existing outlet, or a new name to create it.",
    )
    title = StringField(
        "Title",
        validators=[Optional(), Length(max=500)],
        description="Optional for a file: taken from the page. If the source prints none, "
        "write one in [square brackets].",
    )
    stance = SelectField("Stance", default="unknown")
    events = SelectMultipleField("Events", coerce=int)
    url = StringField("Source URL", validators=[Optional(), URL(), Length(max=2000)])
    author = StringField("Author", validators=[Optional(), Length(max=300)])
    published = DateField("Published", validators=[Optional()])
    text = TextAreaField(
        "Text",
        description="Paste the article. It is stored exactly as pasted, unless you tick the box.",
    )
    clean = BooleanField(
        "Clean as a scraped page",
        description="Remove menus, share lines, comment sections and footers.",
    )
    file = FileField(
        "…or upload a file",
        description=f"{readable_names()}, up to {readers.MAX_FILE_BYTES >> 20} MB",
    )
    update = BooleanField(
        "Update the article at this URL",
        description="If an article with this source URL is stored with other text, make this "
        "its new revision; its claims follow the text.",
    )
    preview = SubmitField("Preview cleaning")


@bp.route("/articles/new", methods=["GET", "POST"])
@requires("add_articles")
def new():
    """Paste an article or upload a file. Everything stored is the request's one unit of
    work: a refused request (422) stores nothing at all."""
    form = ArticleForm()
    form.stance.choices = list(stances())
    form.events.choices = [(e.id, e.title) for e in lists.all_events()]
    if not current_user.may("manage_outlets"):
        form.outlet.description = "One of the outlets listed; an admin adds new ones."
    if not form.validate_on_submit():
        return _form_page(form, 422 if form.errors else 200)
    upload = form.file.data if form.file.data and form.file.data.filename else None
    if upload is None and not form.text.data.strip():
        form.text.errors.append("Paste the text or choose a file.")
        return _form_page(form, 422)
    if upload is None and form.preview.data:
        return _form_page(form, 200, preview=cleaning_preview(form.text.data))
    defaults = Defaults(
        outlet=form.outlet.data.strip(),
        events=[e for e in lists.all_events() if e.id in form.events.data],
        stance=form.stance.data,
        user=current_user._get_current_object(),
        update=form.update.data,
    )
    report = ImportReport()
    run_batches(
        _records(form, upload, report.failed),
        lambda batch: store_batch(batch, defaults),
        keep=report.add,
        refuse=lambda item, error: report.failed.append((item[0], failure_reason(error))),
        commit=False,
    )
    return _after_import(report, form)


def _records(form: ArticleForm, upload, failed: list) -> Iterator[list[tuple[str, dict]]]:
    """The form's article records: an uploaded file's (what was typed beside it wins over
    what was read from it), or the pasted text."""
    typed = {
        "title": (form.title.data or "").strip(),
        "url": form.url.data or None,
        "author": (form.author.data or "").strip(),
        "published": form.published.data,
    }
    if upload is not None:
        name = Path(upload.filename).name
        read = readers.read_file(Path(name), None, upload.read())
        yield from readers.file_batches(read, failed, overrides=typed)
        return
    text = clean_text(form.text.data) if form.clean.data else form.text.data
    yield [("pasted text", {**typed, "title": form.title.data, "text": text})]


def _form_page(form: ArticleForm, status: int, preview=None):
    page = render_template(
        "articles/new.html", form=form, outlets=lists.all_outlets(), preview=preview
    )
    return page, status


def _named(source: str) -> str:
    """What the person sent, as a message names it: "the pasted text", or the file's name."""
    return "the pasted text" if source == "pasted text" else source


def _after_import(report: ImportReport, form: ArticleForm):
    for source, existing in report.duplicates:
        flash(f"Already stored: {_named(source)} is article {existing}.", "error")
    for source, existing in report.changed:
        flash(
            f"Not stored: article {existing} is stored at this source URL with other text "
            f"than {_named(source)}. Tick “Update the article at this URL” to make it that "
            "article's new revision.",
            "error",
        )
    for source, existing, moves in report.updated:
        flash(
            f"{source}: article {existing} is now at revision {moves['revision']}; "
            f"{len(moves['moved'])} claim(s) moved, {len(moves['orphaned'])} orphaned.",
            "info",
        )
    for source, reason in report.failed:
        flash(f"Not imported: {source}: {reason}", "error")
    for source, note in report.notes:
        flash(f"{source}: {note}.", "info")
    for source, reason in report.claims_refused:
        flash(f"Claim not stored: {source}: {reason}", "error")
    if len(report.imported) == 1 and not report.failed:
        flash("Article added.", "info")
        return redirect(url_for("articles.detail", article_id=report.imported[0][1]))
    if report.imported:
        flash(f"{report.summary()}.", "info")
        return redirect(url_for("outlets.index"))
    if len(report.updated) == 1 and not report.failed:
        return redirect(url_for("articles.detail", article_id=report.updated[0][1]))
    if len(report.duplicates) == 1 and not report.failed:
        return redirect(url_for("articles.detail", article_id=report.duplicates[0][1]))
    return _form_page(form, 422)
