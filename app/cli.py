"""`flask --app app ...` commands: seed, create-user, create-token, ensure-admin, import,
import-claims, export, backup.

Each command is its own unit of work and commits once, when everything it did succeeded
(the bulk importers commit a batch at a time, as their modules say).
"""

from __future__ import annotations

import codecs
import json
import sys
import time
from pathlib import Path

import click
from flask import Flask, current_app

from app.config import stances
from app.extensions import db
from app.formats import FORMATS
from app.models.user import ROLES
from app.services import accounts
from app.services.errors import DomainError
from app.services.export import ClaimFilters, count_claims, iter_claim_records
from app.services.seeds import load_demo, seed

# After a bulk import the planner's statistics describe the tables as they were, and no
# page is yet marked all-visible: PostgreSQL then picked whole-table scans for lookups of a
# few rows, and counted through the heap instead of the index. So a large import ends by
# refreshing both, as pg_restore's documentation advises after loading.
BULK = 1000
ARTICLE_TABLES = ("outlets", "events", "articles", "article_events", "article_revisions")
CLAIM_TABLES = ("propositions", "claims", "assessments", "history")


def refresh_statistics(tables: tuple[str, ...]) -> None:
    """VACUUM (ANALYZE) the tables on PostgreSQL, ANALYZE on SQLite; timed on stderr."""
    started = time.perf_counter()
    if db.engine.dialect.name == "postgresql":
        from app.models.search import SEARCH_TABLE

        if "articles" in tables:
            tables = (*tables, SEARCH_TABLE)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql(f"VACUUM (ANALYZE) {', '.join(tables)}")
    else:
        with db.engine.begin() as connection:
            connection.exec_driver_sql("ANALYZE")
    click.echo(f"statistics refreshed in {time.perf_counter() - started:.1f} s", err=True)


def _fail(exc: DomainError) -> None:
    raise click.ClickException(exc.message)


def _read_password() -> str:
    """From standard input when it is not a terminal, else prompted twice."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def register_cli(app: Flask) -> None:
    @app.cli.command("seed")
    @click.option(
        "--dir",
        "seeds_dir",
        type=click.Path(path_type=Path),
        default=None,
        help="Folder holding manifest.toml and the seed texts.",
    )
    @click.option("--no-demo", is_flag=True, help="Leave out the demo claim set (demo.toml).")
    def seed_command(seeds_dir: Path | None, no_demo: bool) -> None:
        """Load the seed corpus (idempotent), with its demo claims unless --no-demo."""
        folder = seeds_dir or Path(current_app.config["SEEDS_DIR"])
        try:
            report = seed(folder)
            demo = None if no_demo else load_demo(folder)
        except DomainError as exc:
            _fail(exc)
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

    @app.cli.command("create-user")
    @click.argument("name")
    @click.option("--role", type=click.Choice(ROLES), required=True)
    def create_user_command(name: str, role: str) -> None:
        """Create an account; the password comes from stdin (or a prompt on a terminal)."""
        password = _read_password()
        try:
            user = accounts.create_user(name, role, password)
        except DomainError as exc:
            _fail(exc)
        db.session.commit()
        click.echo(f"Created {user.role} {user.username!r}.", err=True)

    @app.cli.command("create-token")
    @click.argument("name")
    def create_token_command(name: str) -> None:
        """Print a new API token for NAME, alone on standard output."""
        try:
            token = accounts.create_token(name)
        except DomainError as exc:
            _fail(exc)
        db.session.commit()
        click.echo(token)

    @app.cli.command("export")
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(list(FORMATS)),
        default="jsonl",
        show_default=True,
    )
    @click.option("--event", type=int)
    @click.option("--outlet", type=int)
    @click.option("--article", type=int)
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
    def export_command(
        fmt,
        event,
        outlet,
        article,
        label,
        reviewer,
        from_,
        to,
        include_text,
        no_bom,
        keep_formulas,
        output,
        with_codebook,
    ):
        """Write the claim set to a file (or stdout), streamed."""
        from app.formats import render

        try:
            filters = ClaimFilters(
                event=event,
                outlet=outlet,
                article=article,
                label=label,
                reviewer=reviewer,
                published_from=from_.date() if from_ else None,
                published_to=to.date() if to else None,
                include_text=include_text,
            )
            total = count_claims(filters)
        except DomainError as exc:
            _fail(exc)
        chunks = render(
            fmt,
            iter_claim_records(filters),
            total=total,
            bom=not no_bom,
            neutralize_formulas=not keep_formulas,
        )
        if output == "-":
            if with_codebook:
                raise click.BadParameter("give a file with -o", param_hint="--with-codebook")
            sys.stdout.flush()
            for chunk in chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
            return
        # UTF-8 bytes as rendered: CSV rows end in CRLF by RFC 4180; nothing translates them.
        with open(output, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
        click.echo(f"Exported {total} claims to {output}.", err=True)
        if with_codebook:
            from app.services.codebook import as_records

            book = f"{output}.codebook.json"
            with open(book, "w", encoding="utf-8") as fh:
                json.dump(as_records(), fh, ensure_ascii=False, indent=2)
            click.echo(f"Wrote the codebook to {book}.", err=True)

    @app.cli.command("import")
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
    def import_command(
        paths: tuple[Path, ...],
        outlet: str | None,
        events: tuple[str, ...],
        stance: str,
        claims_reviewer: str,
        encoding: str | None,
        update: bool,
    ) -> None:
        """Import articles from .txt, .md, .html, .jsonl files or folders of them.

        Exit status: 0 when every record (and claim) was stored, was a duplicate, updated an
        article (--update) or was reported as changed; 1 when any record, file or claim
        failed (each is listed with its line and reason, the rest are stored);
        2 for a usage error (a bad option), before anything is imported.
        """
        from app.services.importing import Defaults, import_paths, resolve_event, total_bytes

        if stance not in stances():
            raise click.BadParameter(
                f"unknown stance {stance!r}; expected one of {', '.join(stances())}",
                param_hint="--stance",
            )
        if encoding is not None:
            try:
                encoding = codecs.lookup(encoding).name
            except LookupError:
                raise click.BadParameter(
                    f"unknown encoding {encoding!r}", param_hint="--encoding"
                ) from None
        try:
            defaults = Defaults(
                outlet=outlet,
                events=[resolve_event(e) for e in events],
                stance=stance,
                encoding=encoding,
                claims_reviewer=claims_reviewer,
                update=update,
            )
        except DomainError as exc:
            raise click.BadParameter(exc.message, param_hint="--event") from None
        with click.progressbar(
            length=total_bytes(paths),
            label="Importing",
            file=sys.stderr,
            show_pos=False,
            show_percent=True,
        ) as bar:
            started = time.perf_counter()
            report = import_paths(paths, defaults, advance=bar.update)
            db.session.commit()
            seconds = time.perf_counter() - started
        for source, existing in report.duplicates:
            click.echo(f"duplicate  {source} (already article {existing})", err=True)
        for source, existing in report.changed:
            click.echo(
                f"changed    {source}: article {existing} has this URL with other text "
                "(--update makes this its new revision)",
                err=True,
            )
        for source, existing, moves in report.updated:
            click.echo(
                f"updated    {source}: article {existing} revision {moves['revision']}; "
                f"claims: {moves['kept'] + moves['anchored']} in place, "
                f"{len(moves['moved'])} moved (please check), {len(moves['orphaned'])} orphaned",
                err=True,
            )
        for source, reason in report.failed:
            click.echo(f"failed     {source}: {reason}", err=True)
        for source, reason in report.claims_refused:
            click.echo(f"refused    {source}: {reason}", err=True)
        for source, note in report.notes:
            click.echo(f"note       {source}: {note}", err=True)
        rate = len(report.imported) / seconds if seconds else 0
        click.echo(f"{report.summary()} in {seconds:.2f} s ({rate:,.0f} articles/s)")
        if len(report.imported) >= BULK:
            refresh_statistics(ARTICLE_TABLES + CLAIM_TABLES)
        if report.failed or report.claims_refused:
            sys.exit(1)

    @app.cli.command("import-claims")
    @click.argument("file", type=click.File("r", encoding="utf-8"))
    def import_claims_command(file) -> None:
        """Load a JSONL claim export (made with --include-text) into this instance."""
        from app.services.claims_import import import_claims

        started = time.perf_counter()
        report = import_claims(file)
        seconds = time.perf_counter() - started
        for number, reason in report.failed:
            click.echo(f"failed     line {number}: {reason}", err=True)
        click.echo(f"{report.summary()} in {seconds:.2f} s")
        if report.claims_created + report.claims_matched >= BULK:
            refresh_statistics(CLAIM_TABLES)
        if report.failed:
            sys.exit(1)

    @app.cli.command("backup")
    @click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
    def backup_command(path: Path) -> None:
        """Write a consistent copy of the database to PATH while the app serves (SQLite: the
        online backup API; PostgreSQL: pg_dump, custom format). README: restoring."""
        from app.services.backup import backup

        try:
            written = backup(db.engine, path)
        except DomainError as exc:
            _fail(exc)
        click.echo(f"Backed up to {path} ({written}).")

    @app.cli.command("ensure-admin")
    def ensure_admin_command() -> None:
        """On a fresh instance, create `admin` with a random password (printed once)."""
        instance = Path(current_app.instance_path)
        password = accounts.ensure_admin(instance)
        db.session.commit()
        if password:
            click.echo(f"Created user 'admin' with password: {password}")
            click.echo(f"(also written to {instance / 'admin-password.txt'}, mode 600)")
