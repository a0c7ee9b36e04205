"""`flask --app app ...` commands: seed, create-user, create-token, ensure-admin."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app

from app.config import ROLES
from app.services import accounts
from app.services.errors import DomainError
from app.services.seeds import seed


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
    def seed_command(seeds_dir: Path | None) -> None:
        """Load the seed corpus (idempotent)."""
        folder = seeds_dir or Path(current_app.config["SEEDS_DIR"])
        try:
            report = seed(folder)
        except DomainError as exc:
            _fail(exc)
        click.echo(f"Seeded: {report.created} new articles, {report.unchanged} already present.")

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
        click.echo(f"Created {user.role} {user.username!r}.", err=True)

    @app.cli.command("create-token")
    @click.argument("name")
    def create_token_command(name: str) -> None:
        """Print a new API token for NAME, alone on standard output."""
        try:
            token = accounts.create_token(name)
        except DomainError as exc:
            _fail(exc)
        click.echo(token)

    @app.cli.command("ensure-admin")
    def ensure_admin_command() -> None:
        """On a fresh instance, create `admin` with a random password (printed once)."""
        instance = Path(current_app.instance_path)
        password = accounts.ensure_admin(instance)
        if password:
            click.echo(f"Created user 'admin' with password: {password}")
            click.echo(f"(also written to {instance / 'admin-password.txt'}, mode 600)")
