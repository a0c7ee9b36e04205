"""Claims from another tool's files (or a Parallax export), uploaded: the import page's
work for scripts. Everything is the request's one unit of work; a dry run takes it back."""

from __future__ import annotations

import tempfile
from functools import partial
from pathlib import Path

from werkzeug.utils import secure_filename

from app.api.base import Blueprint, accepts_upload
from app.api.schemas.imports import ImportFile, ImportQuery, ImportResultSchema
from app.capabilities import requires
from app.errors import InvalidInput
from app.interop import UnreadableFile
from app.services.exchange import foreign
from app.unit_of_work import run_batches

bp = Blueprint(
    "api_imports",
    __name__,
    url_prefix="/api/v1/import",
    description="Bring claims in from Label Studio, doccano, brat, WebAnno TSV or Parallax.",
)
blueprints = [bp]


@bp.post("/claims")
@accepts_upload
@requires("import_claims")
@bp.arguments(ImportQuery, location="query")
@bp.arguments(ImportFile, location="files")
@bp.response(200, ImportResultSchema)
def import_claims(query, files):
    """Import one file's claims (a zip for many files); the report says, per file, what was
    read, created, matched, mapped, left out and refused (with where and why)."""
    options = foreign.ForeignOptions(
        labels=foreign.LabelMap.parse([query["label_map"]]),
        outlet=(query.get("outlet") or "").strip() or None,
        reviewer=(query.get("reviewer") or "").strip() or None,
    )
    upload = files["file"]
    run = partial(run_batches, commit=False, dry_run=query["dry_run"])
    try:
        with tempfile.TemporaryDirectory(prefix="parallax-import-") as folder:
            path = Path(folder) / (secure_filename(upload.filename or "") or "upload")
            upload.save(path)
            reports = foreign.import_path(path, query["format"], options, foreign.claim_store(run))
    except (UnreadableFile, UnicodeDecodeError) as exc:
        raise InvalidInput(str(exc)) from None
    return {"dry_run": query["dry_run"], "files": [r.as_dict() for r in reports]}
