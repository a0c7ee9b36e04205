"""The corpus from the command line: seed, import (articles from files), reindex."""

from __future__ import annotations

import codecs
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.cli.console import domain_errors
from app.cli.database import ARTICLE_TABLES, BULK, CLAIM_TABLES, refresh_statistics
from app.errors import UnknownStance
from app.extensions import db
from app.services.corpus import index
from app.services.corpus.events import resolve_event
from app.services.exchange import readers
from app.services.exchange.importing import Defaults, ImportReport, failure_reason, store_batch
from app.services.exchange.seeds import load_demo, seed
from app.unit_of_work import run_batches
from app.vocabulary import check_stance


def import_articles(
    paths: Iterable[Path], defaults: Defaults, advance: Callable[[int], None] = lambda n: None
) -> ImportReport:
    """Import every file under `paths`, a batch at a time, each batch committed (a batch that
    fails is replayed record by record, so only a bad record is lost)."""
    report = ImportReport()
    db.session.commit()  # what the caller set up (events named on the command line) stays
    run_batches(
        readers.batches(paths, defaults.encoding, report.failed, advance),
        lambda batch: store_batch(batch, defaults),
        keep=report.add,
        refuse=lambda item, error: report.failed.append((item[0], failure_reason(error))),
    )
    return report


@click.command("seed")
@click.option(
    "--dir",
    "seeds_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder holding manifest.toml and the seed texts.",
)
@click.option("--no-demo", is_flag=True, help="Leave out the demo claim set (demo.toml).")
@with_appcontext
def seed_command(seeds_dir: Path | None, no_demo: bool) -> None:
    """Load the seed corpus (idempotent), with its demo claims unless --no-demo."""
    folder = seeds_dir or Path(current_app.config["SEEDS_DIR"])
    with domain_errors():
        report = seed(folder)
        demo = None if no_demo else load_demo(folder)
    db.session.commit()
    click.echo(
        f"Seeded: {report.created} new articles, {report.unchanged} already present; "
        f"{report.actors} new actors."
    )
    if demo is not None:
        click.echo(
            f"Demo claims by 'demo': {demo.claims} new, {demo.unchanged} already present; "
            f"{demo.propositions} new propositions; {demo.second_assessments} second "
            f"assessments, {demo.adjudications} adjudications."
        )


def _defaults(options: dict) -> Defaults:
    """The command's options as the importer's defaults; a bad one is a usage error."""
    try:
        check_stance(options["stance"])
    except UnknownStance as exc:
        raise click.BadParameter(exc.message, param_hint="--stance") from None
    encoding = options["encoding"]
    if encoding is not None:
        try:
            encoding = codecs.lookup(encoding).name
        except LookupError:
            raise click.BadParameter(
                f"unknown encoding {encoding!r}", param_hint="--encoding"
            ) from None
    with domain_errors(param_hint="--event"):
        return Defaults(
            outlet=options["outlet"],
            events=[resolve_event(e) for e in options["events"]],
            stance=options["stance"],
            encoding=encoding,
            claims_reviewer=options["claims_reviewer"],
            update=options["update"],
        )


def _tell(report: ImportReport, seconds: float) -> None:
    """What became of each file and record, on stderr; the summary on stdout."""
    lines = [f"duplicate  {s} (already article {e})" for s, e in report.duplicates]
    lines += [
        f"changed    {s}: article {e} has this URL with other text "
        "(--update makes this its new revision)"
        for s, e in report.changed
    ]
    lines += [
        f"updated    {s}: article {e} revision {m['revision']}; claims: "
        f"{m['kept'] + m['anchored']} in place, {len(m['moved'])} moved (please check), "
        f"{len(m['orphaned'])} orphaned"
        for s, e, m in report.updated
    ]
    lines += [f"failed     {s}: {r}" for s, r in report.failed]
    lines += [f"refused    {s}: {r}" for s, r in report.claims_refused]
    lines += [f"note       {s}: {n}" for s, n in report.notes]
    for line in lines:
        click.echo(line, err=True)
    rate = len(report.imported) / seconds if seconds else 0
    click.echo(f"{report.summary()} in {seconds:.2f} s ({rate:,.0f} articles/s)")


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--outlet", help="Outlet name (or id) for files that don't name one.")
@click.option(
    "--event",
    "events",
    multiple=True,
    help="Event id or title (a new title creates the event). Repeatable.",
)
@click.option("--stance", default="unknown", show_default=True)
@click.option(
    "--reviewer",
    "claims_reviewer",
    default="import",
    show_default=True,
    help="Who labels the claims of JSONL records that name no reviewer.",
)
@click.option(
    "--encoding",
    help="Encoding of files without a byte order mark or a declared charset "
    "(e.g. cp1252, iso-8859-6); UTF-8 when not given.",
)
@click.option(
    "--update",
    is_flag=True,
    help="A page whose URL is stored with other text becomes a new revision of that "
    "article, its claims re-anchored. Without it such a page is only reported.",
)
@with_appcontext
def import_command(paths: tuple[Path, ...], **options) -> None:
    """Import articles from files or folders of them, in the formats the registry reads
    (flask --app app import --help lists them).

    Exit status: 0 when every record (and claim) was stored, was a duplicate, updated an
    article (--update) or was reported as changed; 1 when any record, file or claim
    failed (each is listed with its line and reason, the rest are stored);
    2 for a usage error (a bad option), before anything is imported.
    """
    defaults = _defaults(options)
    with click.progressbar(
        length=readers.total_bytes(paths),
        label="Importing",
        file=sys.stderr,
        show_pos=False,
        show_percent=True,
    ) as bar:
        started = time.perf_counter()
        report = import_articles(paths, defaults, advance=bar.update)
        seconds = time.perf_counter() - started
    _tell(report, seconds)
    if len(report.imported) >= BULK:
        refresh_statistics(ARTICLE_TABLES + CLAIM_TABLES)
    if report.failed or report.claims_refused:
        sys.exit(1)


@click.command("reindex")
@with_appcontext
def reindex_command() -> None:
    """Rebuild the search index from the articles (after restoring a database by hand, say)."""
    started = time.perf_counter()
    indexed = index.reindex_all()
    db.session.commit()
    click.echo(f"Indexed {indexed} articles in {time.perf_counter() - started:.1f} s.")


commands = [seed_command, import_command, reindex_command]
