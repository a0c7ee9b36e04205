"""One unit of work per request: the request commits once, or rolls back.

Services add and flush; they never commit. A view that returns a success commits what its
services flushed; a view that raises, or answers 4xx/5xx, rolls all of it back, so a refused
request changes nothing (indico's `RH.process` does the same). CLI commands commit
explicitly; the two bulk importers commit a batch at a time, the documented exception.
"""

from __future__ import annotations

from flask import Flask
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db
from app.services.errors import Conflict, StaleVersion


def commit() -> None:
    """Commit the session; a collision the database found last becomes a 409 domain error."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise StaleVersion("Someone saved this at the same moment; reload and try again.") from None
    except IntegrityError:
        db.session.rollback()
        raise Conflict("Someone stored the same thing at the same moment; reload.") from None


class Parallax(Flask):
    """Flask with the request as the owner of its unit of work."""

    def dispatch_request(self):
        try:
            response = self.make_response(super().dispatch_request())
        except BaseException:
            db.session.rollback()
            raise
        if response.status_code < 400:
            commit()
        else:
            db.session.rollback()
        return response
