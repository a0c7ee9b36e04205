"""Factories that build one thing each, through the services where one exists. Like any
entry point, each commits what it built."""

from __future__ import annotations

import re
from datetime import date
from itertools import count

from flask.testing import FlaskClient

from app.extensions import db
from app.models import Event, Outlet, User
from app.services.accounts import create_user
from app.services.corpus.articles import create_article
from app.services.corpus.outlets import get_or_create_outlet

_seq = count(1)
PASSWORD = "correct horse battery"


def make_user(role: str = "reviewer", username: str | None = None) -> User:
    user = create_user(username or f"{role}{next(_seq)}", role, PASSWORD)
    db.session.commit()
    return user


def make_outlet(name: str | None = None, **fields) -> Outlet:
    outlet = get_or_create_outlet(name or f"Outlet {next(_seq)}", **fields)
    db.session.commit()
    return outlet


def make_event(title: str | None = None, start: date | None = date(2016, 9, 9)) -> Event:
    event = Event(title=title or f"Event {next(_seq)}", start_date=start)
    db.session.add(event)
    db.session.commit()
    return event


def make_article(outlet: Outlet | None = None, text: str | None = None, **fields):
    fields.setdefault("title", f"Article {next(_seq)}")
    events = fields.pop("events", ())
    fields["text"] = text or f"Body number {next(_seq)}."
    article = create_article(outlet or make_outlet(), fields, events)
    db.session.commit()
    return article


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf-token" content="([^"]+)"', page
    )
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def login(client: FlaskClient, user: User, password: str = PASSWORD):
    return client.post(
        "/login",
        data={"username": user.username, "password": password, "csrf_token": csrf_token(client)},
    )
