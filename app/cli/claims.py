"""Claim sets from the command line: import-claims (a JSONL export into this instance) and
export (a claim set to a file, streamed)."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import click
from flask.cli import with_appcontext

from app.cli.console import domain_errors
from app.cli.database import BULK, CLAIM_TABLES, refresh_statistics
from app.formats import render, writable
from app.models.limits import MAX_ID
from app.services.exchange import readers
from app.services.exchange.claims_import import BATCH, ClaimImportReport, ClaimStore
from app.services.exchange.export import ClaimFilters, count_claims, iter_claim_records
from app.services.exchange.importing import failure_reason
from app.services.review.codebook import as_records
from app.unit_of_work import run_batches


def import_claims(lines: Iterable[str], batch: int = BATCH) -> ClaimImportReport:
    """Import a JSONL claim export a batch at a time, each batch committed; a bad record is
    reported by its line, and the rest are stored."""
    report = ClaimImportReport()
    store = ClaimStore()
    run_batches(
        readers.claim_batches(lines, report.failed, batch),
        store,
        keep=report.add,
        refuse=lambda item, error: report.failed.append((item[0], failure_reason(error))),
        forget=store.forget,
    )
    report.failed.sort()
    return report


@click.command("import-claims")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@with_appcontext
def import_claims_command(file) -> None:
    """Load a JSONL claim export (made with --include-text) into this instance."""
    started = time.perf_counter()
    report = import_claims(file)
    seconds = time.perf_counter() - started
    for number, reason in report.failed:
        click.echo(f"failed     line {number}: {reason}", err=True)
    for number, note in report.notes:
        click.echo(f"note       line {number}: {note}", err=True)
    click.echo(f"{report.summary()} in {seconds:.2f} s")
    if report.claims_created + report.claims_matched >= BULK:
        refresh_statistics(CLAIM_TABLES)
    if report.failed:
        sys.exit(1)


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
@with_appcontext
def export_command(**options) -> None:
    """Write the claim set to a file (or stdout), streamed."""
    chosen = ExportOptions(**options)
    if chosen.with_codebook and chosen.output == "-":
        raise click.BadParameter("give a file with -o", param_hint="--with-codebook")
    with domain_errors():
        filters = chosen.filters()
        total = count_claims(filters)
    chunks = render(
        chosen.fmt,
        iter_claim_records(filters),
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


commands = [import_claims_command, export_command]
