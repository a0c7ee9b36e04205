"""One unit of work per request: the request commits once, or rolls back.

Services add and flush; they never commit. A view that returns a success commits what its
services flushed; a view that raises, or answers 4xx/5xx, rolls all of it back, so a refused
request changes nothing (indico's `RH.process` does the same). CLI commands commit
explicitly.

Bulk work (importing articles or claims) is a loop the entry point owns: `run_batches` hands
the store a batch at a time (the store only flushes), commits each one, and replays a batch
that failed one record at a time, so only the bad record is lost, with its reason. In a
request nothing is committed before the request ends: a failed record is dropped by storing
the others again in a fresh unit of work. No SAVEPOINTs: SQLite's driver would need its
transaction handling taken over to honour them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TypeVar

from flask import Flask
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.errors import Conflict, DomainError, StaleVersion
from app.extensions import db

# PostgreSQL's SQLSTATEs for "two transactions collided; running again may succeed":
# serialization failure, deadlock, lock not available.
RETRYABLE_SQLSTATES = {"40001", "40P01", "55P03"}


def collision(error: BaseException) -> DomainError | None:
    """The 409 a database collision means (a row changed or vanished under this unit of work,
    a unique or foreign key another writer got to first, a deadlock), or None for any other
    error. The services turn the collisions they expect into their own errors; this catches
    the rest, wherever the flush that found them happened."""
    if isinstance(error, StaleDataError):
        return StaleVersion("Someone changed or deleted this at the same moment; reload.")
    if isinstance(error, IntegrityError):
        return Conflict("Someone stored or deleted the same thing at the same moment; reload.")
    if isinstance(error, DBAPIError) and _sqlstate(error) in RETRYABLE_SQLSTATES:
        return Conflict("The database was busy with a conflicting change; try again.")
    return None


def _sqlstate(error: DBAPIError) -> str | None:
    return getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)


def commit() -> None:
    """Commit the session; a collision the database found last becomes a 409 domain error."""
    try:
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        if (domain_error := collision(error)) is not None:
            raise domain_error from None
        raise


class Parallax(Flask):
    """Flask with the request as the owner of its unit of work."""

    def dispatch_request(self):
        try:
            response = self.make_response(super().dispatch_request())
        except Exception as error:
            db.session.rollback()
            if (domain_error := collision(error)) is not None:
                raise domain_error from None
            raise
        except BaseException:
            db.session.rollback()
            raise
        if response.status_code < 400:
            commit()
        else:
            db.session.rollback()
        return response


T = TypeVar("T")
R = TypeVar("R")
log = logging.getLogger(__name__)


def run_batches(
    batches: Iterable[list[T]],
    store: Callable[[list[T]], R],
    *,
    keep: Callable[[R], None],
    refuse: Callable[[T, BaseException], None],
    forget: Callable[[], None] = lambda: None,
    commit: bool = True,
    dry_run: bool = False,
) -> None:
    """Store each batch, keep its outcome once it is safe, and refuse only the records that
    fail. `store` adds and flushes (never commits) and returns what it did; `keep` takes that
    outcome once its batch is committed (or, with commit=False, once every batch is stored);
    `refuse` hears of a record that could not be stored and why; `forget` drops whatever the
    store cached of rows a rollback took away. `commit=False` is a request's: it commits
    nothing, and the request's own commit (or rollback) decides. `dry_run` stores everything
    in one unit of work, keeps the outcomes, and rolls it all back."""
    if not commit or dry_run:
        _run_uncommitted([item for batch in batches for item in batch], store, keep, refuse, forget)
        if dry_run:  # everything checked and written, then taken back
            _undo(forget)
        return
    for batch in batches:
        if not batch:
            continue
        try:
            outcome = store(batch)
            db.session.commit()
        except Exception as error:  # noqa: BLE001 - replayed below, each record on its own
            _undo(forget)
            if len(batch) == 1:
                _refused(refuse, batch[0], error)
                continue
            for item in batch:
                try:
                    outcome = store([item])
                    db.session.commit()
                except Exception as single:  # noqa: BLE001 - refuses this record alone
                    _undo(forget)
                    _refused(refuse, item, single)
                else:
                    keep(outcome)
        else:
            keep(outcome)


def _run_uncommitted(items: list, store, keep, refuse, forget) -> None:
    """All of `items` in the request's one unit of work. When storing them fails, the work is
    rolled back and stored again one record at a time, leaving out each record that fails
    (and storing again the ones before it, which a rollback took away too)."""
    try:
        outcome = store(items) if items else None
    except Exception:  # noqa: BLE001 - isolated below
        _undo(forget)
    else:
        if outcome is not None:
            keep(outcome)
        return
    good: list = []
    outcomes: list = []
    for item in items:
        try:
            outcome = store([item])
            db.session.flush()
        except Exception as error:  # noqa: BLE001 - refuses this record alone
            _undo(forget)
            _refused(refuse, item, error)
            outcomes = [store([kept]) for kept in good]  # what the rollback took
        else:
            good.append(item)
            outcomes.append(outcome)
    for outcome in outcomes:
        keep(outcome)


def _undo(forget: Callable[[], None]) -> None:
    db.session.rollback()
    forget()


def _refused(refuse: Callable, item, error: BaseException) -> None:
    if not isinstance(error, DomainError):
        log.warning("refused %s: %s: %s", str(item)[:200], type(error).__name__, error)
    refuse(item, error)
