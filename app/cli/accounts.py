"""Accounts from the command line: create-user, create-token, ensure-admin."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.capabilities import ROLES
from app.cli.console import domain_errors, read_password
from app.extensions import db
from app.models.user import TOKEN_SCOPES
from app.services import accounts


@click.command("create-user")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@with_appcontext
def create_user_command(name: str, role: str) -> None:
    """Create an account; the password comes from stdin (or a prompt on a terminal)."""
    password = read_password()
    with domain_errors():
        user = accounts.create_user(name, role, password)
    db.session.commit()
    click.echo(f"Created {user.role} {user.username!r}.", err=True)


@click.command("create-token")
@click.argument("name")
@click.option(
    "--scope",
    type=click.Choice(TOKEN_SCOPES),
    default="write",
    show_default=True,
    help="read: the token only reads; write: it also writes what NAME's role may.",
)
@click.option("--label", "token_name", help="What the token is for, shown on the account page.")
@with_appcontext
def create_token_command(name: str, scope: str, token_name: str | None) -> None:
    """Print a new API token for NAME, alone on standard output."""
    with domain_errors():
        token = accounts.create_token(name, scope=scope, name=token_name)
    db.session.commit()
    click.echo(token)


@click.command("ensure-admin")
@with_appcontext
def ensure_admin_command() -> None:
    """On a fresh instance, create `admin` with a random password (printed once)."""
    instance = Path(current_app.instance_path)
    password = accounts.ensure_admin(instance)
    db.session.commit()
    if password:
        click.echo(f"Created user {accounts.FIRST_ADMIN!r} with password: {password}")
        click.echo(f"(also written to {instance / 'admin-password.txt'}, mode 600)")


commands = [create_user_command, create_token_command, ensure_admin_command]
