"""Claim sets from the command line: import-claims (a JSONL export into this instance) and
export (a claim set to a file, streamed)."""

from __future__ import annotations

import json
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

import click
from flask.cli import with_appcontext

from app.cli.console import domain_errors
from app.cli.database import BULK, CLAIM_TABLES, refresh_statistics
from app.formats import FORMATS, render, writable
from app.interop import UnreadableFile
from app.models.limits import MAX_ID
from app.services.exchange import foreign, readers
from app.services.exchange.claims_import import BATCH, ClaimImportReport
from app.services.exchange.export import (
    ClaimFilters,
    count_claims,
    iter_documents,
    iter_export,
)
from app.services.review.codebook import as_records
from app.unit_of_work import run_batches


def import_claims(
    lines: Iterable[str], batch: int = BATCH, *, commit: bool = True
) -> ClaimImportReport:
    """Import a JSONL claim export a batch at a time, each batch committed; a bad record is
    reported by its line, and the rest are stored."""
    failed: list[tuple[int, str]] = []
    store = foreign.claim_store(partial(run_batches, commit=commit))
    report = store(readers.claim_batches(lines, failed, batch))
    report.failed = sorted(failed + report.failed)
    return report


@click.command("import-claims")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--from",
    "tool",
    type=click.Choice(list(foreign.SOURCES)),
    default="auto",
    show_default=True,
    help="Which tool wrote the files; auto tells by their names and first record.",
)
@click.option(
    "--label-map",
    "label_map",
    multiple=True,
    metavar="FOREIGN=LABEL",
    help="Map a foreign label to a Parallax label, or to 'skip' (repeat, or comma-separate).",
)
@click.option("--outlet", help="Outlet of articles whose files name none (default: Imported).")
@click.option("--reviewer", help="Reviewer of spans whose file names no annotator.")
@click.option("--dry-run", is_flag=True, help="Report what would be imported; store nothing.")
@with_appcontext
def import_claims_command(paths, tool, label_map, outlet, reviewer, dry_run) -> None:
    """Load claims into this instance: a Parallax JSONL export (made with --include-text), or
    annotations from Label Studio (JSON, JSON-MIN), doccano (JSONL, one file per member, or
    its zip) or brat/INCEpTION/WebAnno standoff (.ann beside .txt, a folder or a zip)."""
    started = time.perf_counter()
    with domain_errors():
        options = foreign.ForeignOptions(
            labels=foreign.LabelMap.parse(list(label_map)), outlet=outlet, reviewer=reviewer
        )
    failed = False
    totals = Counter()
    store = foreign.claim_store(partial(run_batches, dry_run=dry_run))
    for path in paths:
        try:
            for report in foreign.import_path(path, tool, options, store):
                _print_report(report)
                totals["claims created"] += report.claims_created
                totals["refused"] += len(report.refused)
                failed |= bool(report.refused)
        except UnreadableFile as exc:
            click.echo(f"failed     {exc}", err=True)
            failed = True
    seconds = time.perf_counter() - started
    verb = "would be" if dry_run else "were"
    click.echo(
        f"done in {seconds:.2f} s{' (dry run: nothing stored)' if dry_run else ''}; "
        f"{totals['claims created']} claims {verb} created"
    )
    if totals["claims created"] >= BULK and not dry_run:
        refresh_statistics(CLAIM_TABLES)
    if failed:
        sys.exit(1)


def _print_report(report) -> None:
    for where, reason in report.refused:
        click.echo(f"refused    {where}: {reason}", err=True)
    for where, note in report.notes:
        click.echo(f"note       {where}: {note}", err=True)
    for mapped, n in sorted(report.labels_mapped.items()):
        click.echo(f"label      {mapped}: {n}")
    for label, n in sorted(report.labels_skipped.items()):
        click.echo(f"label      {label} skipped: {n}")
    if report.reviewers:
        click.echo(f"reviewers  {', '.join(sorted(report.reviewers))}")
    click.echo(report.summary())


@dataclass(frozen=True)
class ExportOptions:
    """The export command's options: which claims, in which format, where to."""

    fmt: str
    event: int | None
    outlet: int | None
    article: int | None
    label: str | None
    reviewer: str | None
    from_: datetime | None
    to: datetime | None
    include_text: bool
    no_bom: bool
    keep_formulas: bool
    output: str
    with_codebook: bool
    with_articles: bool

    def filters(self) -> ClaimFilters:
        return ClaimFilters(
            event=self.event,
            outlet=self.outlet,
            article=self.article,
            label=self.label,
            reviewer=self.reviewer,
            published_from=self.from_.date() if self.from_ else None,
            published_to=self.to.date() if self.to else None,
            include_text=self.include_text,
        )


WRITABLE = [f.id for f in writable()]


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(WRITABLE), default="jsonl", show_default=True)
@click.option("--event", type=click.IntRange(1, MAX_ID))
@click.option("--outlet", type=click.IntRange(1, MAX_ID))
@click.option("--article", type=click.IntRange(1, MAX_ID))
@click.option("--label", help="Final label, or 'disputed'.")
@click.option("--reviewer")
@click.option(
    "--from",
    "from_",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Published on or after (YYYY-MM-DD).",
)
@click.option("--to", type=click.DateTime(formats=["%Y-%m-%d"]), help="Published on or before.")
@click.option("--include-text", is_flag=True, help="Add article_text (for import-claims).")
@click.option("--no-bom", is_flag=True, help="CSV without the UTF-8 byte order mark.")
@click.option(
    "--keep-formulas",
    is_flag=True,
    help="CSV: write cells starting with = + - @ as stored (default: prefixed with ').",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    default="-",
    show_default=True,
)
@click.option(
    "--with-codebook",
    is_flag=True,
    help="Also write the codebook (each label's definition and examples) next to the "
    "output, as OUTPUT.codebook.json.",
)
@click.option(
    "--with-articles",
    is_flag=True,
    help="With --format parquet: also write the articles (one row each, with their text) "
    "as OUTPUT.articles.parquet.",
)
@with_appcontext
def export_command(**options) -> None:
    """Write the claim set to a file (or stdout), streamed."""
    chosen = ExportOptions(**options)
    if chosen.with_codebook and chosen.output == "-":
        raise click.BadParameter("give a file with -o", param_hint="--with-codebook")
    if chosen.with_articles and (chosen.output == "-" or chosen.fmt != "parquet"):
        raise click.BadParameter("goes with --format parquet -o FILE", param_hint="--with-articles")
    with domain_errors():
        filters = chosen.filters()
        total = count_claims(filters)
    chunks = render(
        chosen.fmt,
        iter_export(filters, FORMATS[chosen.fmt].by_document),
        total=total,
        bom=not chosen.no_bom,
        neutralize_formulas=not chosen.keep_formulas,
    )
    if chosen.output == "-":
        sys.stdout.flush()
        for chunk in chunks:
            sys.stdout.buffer.write(chunk)
        sys.stdout.buffer.flush()
        return
    # UTF-8 bytes as rendered: CSV rows end in CRLF by RFC 4180; nothing translates them.
    with open(chosen.output, "wb") as fh:
        for chunk in chunks:
            fh.write(chunk)
    click.echo(f"Exported {total} claims to {chosen.output}.", err=True)
    if chosen.with_codebook:
        book = f"{chosen.output}.codebook.json"
        with open(book, "w", encoding="utf-8") as fh:
            json.dump(as_records(), fh, ensure_ascii=False, indent=2)
        click.echo(f"Wrote the codebook to {book}.", err=True)
    if chosen.with_articles:
        from app.formats import parquet_format  # pyarrow only when it is wanted

        table = f"{chosen.output.removesuffix('.parquet')}.articles.parquet"
        with open(table, "wb") as fh:
            for chunk in parquet_format.article_table(iter_documents(filters)):
                fh.write(chunk)
        click.echo(f"Wrote the articles to {table}.", err=True)


commands = [import_claims_command, export_command]
