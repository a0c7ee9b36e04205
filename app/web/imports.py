"""The claim import page: another tool's annotations (Label Studio, doccano, brat, WebAnno
TSV) or a Parallax JSONL export, uploaded with a label map; a dry run first, if one likes.

Everything an upload stores is the request's one unit of work: a dry run rolls it back, and
a refused upload stores nothing. Uploads are held to MAX_CONTENT_LENGTH (10 MB); a larger
corpus goes through `flask import-claims`, which commits a batch at a time.

A dry run keeps its upload (in the instance folder, named by a random token the person's
signed session holds) so that the import that follows needs no second choice of the file: a
browser cannot fill a file input again. A kept upload is dropped when it is imported, when
another replaces it, or after HELD_HOURS.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import time
from functools import partial
from pathlib import Path

from flask import Blueprint, current_app, render_template, session
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from werkzeug.utils import secure_filename
from wtforms import BooleanField, HiddenField, SelectField, StringField
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

HELD = "import_held"  # the session's key: {"token", "name"} of the upload a dry run kept
HELD_HOURS = 2


class ImportForm(FlaskForm):
    file = FileField("File")
    held = HiddenField()
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


def _held_folder() -> Path:
    return Path(current_app.instance_path) / "held-imports"


def _held() -> tuple[str, Path] | None:
    """The token and file of the upload this session's dry run kept, if it is still there."""
    held = session.get(HELD)
    if not isinstance(held, dict):
        return None
    token, name = str(held.get("token", "")), secure_filename(str(held.get("name", "")))
    path = _held_folder() / secure_filename(token) / name
    return (token, path) if token and name and path.is_file() else None


def _drop_held() -> None:
    if (held := _held()) is not None:
        shutil.rmtree(held[1].parent, ignore_errors=True)
    session.pop(HELD, None)


def _hold(path: Path) -> None:
    """Keep a dry run's upload for the import that follows; sweep what is too old."""
    _drop_held()
    folder = _held_folder()
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if old.stat().st_mtime < time.time() - HELD_HOURS * 3600:
            shutil.rmtree(old, ignore_errors=True)
    token = secrets.token_urlsafe(18)
    (folder / token).mkdir()
    shutil.copyfile(path, folder / token / path.name)
    session[HELD] = {"token": token, "name": path.name}


def _page(form: ImportForm, status: int = 200, **context):
    held = _held()
    form.held.data = held[0] if held else ""
    return render_template(
        "imports/claims.html", form=form, held=held[1].name if held else None, **context
    ), status


@bp.route("/import/claims", methods=["GET", "POST"])
@requires("import_claims")
def claims():
    form = ImportForm()
    if not form.validate_on_submit():
        return _page(form, 422 if form.errors else 200)
    upload = form.file.data
    held = _held()
    use_held = not upload and held is not None and form.held.data == held[0]
    if not upload and not use_held:
        form.file.errors.append("Choose a file to import.")
        return _page(form, 422)
    try:
        with tempfile.TemporaryDirectory(prefix="parallax-import-") as folder:
            if use_held:
                path = held[1]  # type: ignore[index]
            else:
                path = Path(folder) / (secure_filename(upload.filename or "") or "upload")
                upload.save(path)
            reports = _import(path, form)
            if form.dry_run.data and not use_held:
                _hold(path)
    except (UnreadableFile, DomainError, UnicodeDecodeError) as exc:
        db.session.rollback()
        message = exc.message if isinstance(exc, DomainError) else str(exc)
        form.file.errors.append(message)
        return _page(form, 422)
    dry_run = form.dry_run.data
    if dry_run:
        form.dry_run.data = False  # what comes after a dry run is the import
    else:
        _drop_held()
    return _page(form, reports=reports, dry_run=dry_run)
