"""One unit of work per request: the request commits once, or rolls back.

Services add and flush; they never commit. A view that returns a success commits what its
services flushed; a view that raises, or answers 4xx/5xx, rolls all of it back, so a refused
request changes nothing (indico's `RH.process` does the same). CLI commands commit
explicitly; the two bulk importers commit a batch at a time, the documented exception.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.services.errors import Conflict, DomainError, StaleVersion

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
