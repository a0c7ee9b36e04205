"""The reading and annotation view of one article, and adding articles."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import URL, DataRequired, Length, Optional

from app.config import stances
from app.extensions import db
from app.models import Article, Event, Outlet
from app.models.limits import parse_id
from app.models.user import WRITER_ROLES
from app.services import assignments, catalogue, codebook, history, revisions
from app.services.importing import Defaults, ImportReport, import_file, store_article
from app.text import diffing
from app.text.clean import clean_text, cleaning_preview
from app.web.access import admins_only, roles_required

bp = Blueprint("articles", __name__)


@bp.route("/articles")
def index():
    """Every article, newest first, a page at a time; of one outlet or event with ?outlet= or
    ?event= (a value that is no id is no filter)."""
    outlet_id, event_id = parse_id(request.args.get("outlet")), parse_id(request.args.get("event"))
    page = catalogue.articles_page(
        catalogue.page_offset(request.args.get("page")), outlet=outlet_id, event=event_id
    )
    return render_template(
        "articles/index.html",
        page=page,
        outlet=db.session.get(Outlet, outlet_id) if outlet_id else None,
        event=db.session.get(Event, event_id) if event_id else None,
        filters={k: v for k, v in (("outlet", outlet_id), ("event", event_id)) if v},
    )


@bp.route("/articles/<int:article_id>")
def detail(article_id: int):
    article = db.get_or_404(Article, article_id)
    deleted = history.deleted_claims(article.id) if current_user.is_admin else []
    entries = codebook.entries()
    done, following = (
        assignments.standing(current_user, article.id) if current_user.can_write else (False, None)
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
@admins_only
def restore_claim(article_id: int, claim_id: int):
    """Put a deleted claim back (admins), from the article page's Deleted claims list."""
    db.get_or_404(Article, article_id)
    history.restore_claim(claim_id, current_user)
    flash(f"Claim {claim_id} restored with its assessments.", "info")
    return redirect(url_for("articles.detail", article_id=article_id)), 303


class ArticleForm(FlaskForm):
    outlet = StringField(
        "Outlet",
        validators=[DataRequired(), Length(max=200)],
        description="An existing outlet, or a new name to create it.",
    )
    title = StringField(
        "Title",
        validators=[Optional(), Length(max=500)],
        description="Optional for a file: taken from the page.",
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
    file = FileField("…or upload a file", description=".txt, .md, .html or .jsonl, up to 10 MB")
    update = BooleanField(
        "Update the article at this URL",
        description="If an article with this source URL is stored with other text, make this "
        "its new revision; its claims follow the text.",
    )
    preview = SubmitField("Preview cleaning")


@bp.route("/articles/new", methods=["GET", "POST"])
@roles_required(*WRITER_ROLES)
def new():
    form = ArticleForm()
    form.stance.choices = list(stances())
    form.events.choices = [(e.id, e.title) for e in catalogue.all_events()]
    if form.validate_on_submit():
        upload = form.file.data
        defaults = Defaults(
            outlet=form.outlet.data.strip(),
            events=[e for e in catalogue.all_events() if e.id in form.events.data],
            stance=form.stance.data,
            user=current_user._get_current_object(),
            update=form.update.data,
            overrides={
                "title": (form.title.data or "").strip(),
                "url": form.url.data,
                "author": (form.author.data or "").strip(),
                "published": form.published.data,
            },
        )
        report = ImportReport()
        if upload and upload.filename:
            name = Path(upload.filename).name
            import_file(Path(name), defaults, report, data=upload.read())
        elif form.text.data.strip():
            if form.preview.data:
                return _form_page(form, 200, preview=cleaning_preview(form.text.data))
            store_article(
                {
                    "title": form.title.data,
                    "text": clean_text(form.text.data) if form.clean.data else form.text.data,
                    "url": form.url.data or None,
                    "author": form.author.data or None,
                    "published": form.published.data,
                },
                defaults,
                "pasted text",
                report,
            )
        else:
            form.text.errors.append("Paste the text or choose a file.")
            return _form_page(form, 422)
        return _after_import(report, form)
    return _form_page(form, 422 if form.errors else 200)


def _form_page(form: ArticleForm, status: int, preview=None):
    page = render_template(
        "articles/new.html", form=form, outlets=catalogue.all_outlets(), preview=preview
    )
    return page, status


def _after_import(report: ImportReport, form: ArticleForm):
    for source, existing in report.duplicates:
        flash(f"Already stored: {source} is article {existing}.", "error")
    for source, existing in report.changed:
        flash(
            f"Not stored: article {existing} has the URL of {source} with other text. Tick "
            "“Update the article at this URL” to make this its new revision.",
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
