"""`flask --app app ...` commands, one module a family: accounts (create-user, create-token,
ensure-admin), corpus (seed, import, reindex), claims (import-claims, export) and database
(backup). This package only registers them.

Each command is its own unit of work and commits once, when everything it did succeeded;
the bulk imports commit a batch at a time through app.unit_of_work.run_batches.
"""

from __future__ import annotations

from flask import Flask

from app.cli import accounts, claims, corpus, database


def register_cli(app: Flask) -> None:
    for module in (accounts, corpus, claims, database):
        for command in module.commands:
            app.cli.add_command(command)
