"""Events: creating one, and finding one by id or title."""

from __future__ import annotations

from sqlalchemy import select

from app.errors import InvalidInput, NotFound
from app.extensions import db
from app.models import Event, limits
from app.models.limits import parse_id
from app.services.corpus.fields import check_date, check_string, check_text


def create_event(
    *, title: object, start_date=None, end_date=None, date=None, summary=None
) -> Event:
    """A new event on a date or over a date range."""
    title = check_string("title", title, limits.EVENT_TITLE, required=True)
    start_date = check_date("start_date", start_date or date)
    end_date = check_date("end_date", end_date)
    if start_date and end_date and end_date < start_date:
        raise InvalidInput(f"end_date {end_date} is before start_date {start_date}.")
    if end_date and not start_date:
        raise InvalidInput("end_date needs a start_date.")
    summary = check_text("summary", summary)
    event = Event(title=title, start_date=start_date, end_date=end_date, summary=summary)
    db.session.add(event)
    db.session.flush()
    return event


def resolve_event(ref: str) -> Event:
    """An event by id ("3") or title; an unknown title creates it. A reference of digits
    alone names an event that exists (by id, else by that title), never a new one:
    "2147483648" or a mistyped id is refused."""
    if isinstance(ref, str) and ref.strip().isdigit():
        event_id = parse_id(ref.strip())
        event = db.session.get(Event, event_id) if event_id is not None else None
        if event is None:
            event = db.session.scalar(select(Event).where(Event.title == ref.strip()))
        if event is None:
            raise NotFound(
                f"No event {ref.strip()} (a reference of digits alone is an event id; "
                "give a new event a title with words)."
            )
        return event
    title = check_string("event title", ref, limits.EVENT_TITLE, required=True)
    event = db.session.scalar(select(Event).where(Event.title == title))
    if event is None:
        event = Event(title=title)
        db.session.add(event)
        db.session.flush()
    return event
