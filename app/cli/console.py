"""What the commands share: domain errors as click's, passwords read without echo."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import click

from app.errors import DomainError


@contextlib.contextmanager
def domain_errors(param_hint: str | None = None) -> Iterator[None]:
    """A domain error inside the block ends the command with its message (exit status 1), or,
    with `param_hint`, as a usage error about that option (exit status 2)."""
    try:
        yield
    except DomainError as exc:
        if param_hint is not None:
            raise click.BadParameter(exc.message, param_hint=param_hint) from None
        raise click.ClickException(exc.message) from None


def read_password() -> str:
    """From standard input when it is not a terminal, else prompted twice."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)
