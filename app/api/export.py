"""The claim set, streamed, in JSONL, CSV, JSON or W3C Web Annotation."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from flask import Response, request, stream_with_context
from flask_login import current_user

from app.api.base import Blueprint
from app.api.schemas.export import CountSchema, ExportQuery
from app.capabilities import requires
from app.formats import FORMATS, attachment, render
from app.services.exchange.export import ClaimFilters, count_claims, iter_export
from app.workers import retire_after

bp = Blueprint(
    "api_export",
    __name__,
    url_prefix="/api/v1/export",
    description="Download the annotated claim set.",
)
blueprints = [bp]


def claim_filters(query: dict) -> ClaimFilters:
    """The parsed query as the export's filters."""
    return ClaimFilters(
        event=query.get("event"),
        outlet=query.get("outlet"),
        article=query.get("article"),
        label=query.get("label"),
        reviewer=query.get("reviewer"),
        published_from=query.get("from_"),
        published_to=query.get("to"),
        include_text=query["include_text"],
        viewer=current_user._get_current_object(),
    )


def download_name(fmt: str, describe: str) -> str:
    parts = ["parallax-claims", describe, date.today().isoformat()]
    return "_".join(p for p in parts if p) + "." + FORMATS[fmt].extension


@bp.get("/claims")
@requires("export")
@bp.arguments(ExportQuery, location="query")
@bp.response(200, content_type="application/x-ndjson")
def export_claims(query):
    """Stream every claim matching the filters, one record per claim (SPEC §6)."""
    fmt = query["format"]
    filters = claim_filters(query)
    options = {"bom": query["bom"], "neutralize_formulas": query["neutralize_formulas"]}
    if fmt == "w3c":
        # Named by what it holds, not by the Host header the client sent.
        options.update(total=count_claims(filters), collection_id=collection_urn(request))
    chunks = render(fmt, iter_export(filters, FORMATS[fmt].by_document), **options)
    response = Response(
        stream_with_context(chunks),
        content_type=FORMATS[fmt].media_type,  # as written: mimetype= adds a second charset
    )
    response.headers["Content-Disposition"] = attachment(download_name(fmt, filters.describe()))
    return retire_after(response) if FORMATS[fmt].heavy else response


@bp.get("/count")
@requires("export")
@bp.arguments(ExportQuery, location="query")
@bp.response(200, CountSchema)
def export_count(query):
    """How many claims the same filters would export (the export page's live count)."""
    return {"count": count_claims(claim_filters(query))}


def collection_urn(req) -> str:
    """The W3C collection's id: the export's path and query as a URN (a URL would be built
    from the Host header, which the client chooses)."""
    return "urn:parallax:export:" + quote(req.full_path.rstrip("?"), safe="/?=&")
