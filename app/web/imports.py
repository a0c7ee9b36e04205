"""The claim import page: another tool's annotations (Label Studio, doccano, brat, WebAnno
TSV) or a Parallax JSONL export, uploaded with a label map; a dry run first, if one likes.

Everything an upload stores is the request's one unit of work: a dry run rolls it back, and
a refused upload stores nothing. Uploads are held to MAX_CONTENT_LENGTH (10 MB); a larger
corpus goes through `flask import-claims`, which commits a batch at a time.
"""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path

from flask import Blueprint, render_template
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from werkzeug.utils import secure_filename
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from app.capabilities import requires
from app.errors import DomainError
from app.extensions import db
from app.interop import UnreadableFile
from app.models import limits
from app.services.exchange import foreign
from app.unit_of_work import run_batches

bp = Blueprint("imports", __name__)


class ImportForm(FlaskForm):
    file = FileField("File", validators=[FileRequired("Choose a file to import.")])
    tool = SelectField(
        "Made by", choices=[SelectChoice(k, v) for k, v in foreign.SOURCES.items()], default="auto"
    )
    label_map = StringField(
        "Label map",
        validators=[Optional(), Length(max=2000)],
        description="Foreign labels to Parallax's: opinion=contested, Source=skip (commas "
        "between). Parallax's own labels need no entry.",
    )
    outlet = StringField(
        "Outlet",
        validators=[Optional(), Length(max=limits.OUTLET_NAME)],
        description="For documents whose file names none (default: Imported).",
    )
    reviewer = StringField(
        "Reviewer",
        validators=[Optional(), Length(max=limits.USERNAME)],
        description="For spans whose file names no annotator.",
    )
    dry_run = BooleanField("Dry run: report what would be imported, store nothing", default=True)


def _import(path: Path, form: ImportForm) -> list[foreign.FileReport]:
    options = foreign.ForeignOptions(
        labels=foreign.LabelMap.parse([form.label_map.data or ""]),
        outlet=(form.outlet.data or "").strip() or None,
        reviewer=(form.reviewer.data or "").strip() or None,
    )
    # The request's unit of work: nothing committed here; a dry run takes it all back.
    run = partial(run_batches, commit=False, dry_run=form.dry_run.data)
    return foreign.import_path(path, form.tool.data, options, foreign.claim_store(run))


@bp.route("/import/claims", methods=["GET", "POST"])
@requires("import_claims")
def claims():
    form = ImportForm()
    if not form.validate_on_submit():
        return render_template("imports/claims.html", form=form), 422 if form.errors else 200
    upload = form.file.data
    name = secure_filename(upload.filename or "") or "upload"
    try:
        with tempfile.TemporaryDirectory(prefix="parallax-import-") as folder:
            path = Path(folder) / name
            upload.save(path)
            reports = _import(path, form)
    except (UnreadableFile, DomainError, UnicodeDecodeError) as exc:
        db.session.rollback()
        message = exc.message if isinstance(exc, DomainError) else str(exc)
        form.file.errors.append(message)
        return render_template("imports/claims.html", form=form), 422
    return render_template(
        "imports/claims.html", form=form, reports=reports, dry_run=form.dry_run.data
    )
