from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Article, Assessment, Claim, Event, Outlet, Proposition
from app.services.accounts import create_token
from tests.factories import make_article, make_event, make_outlet, make_user


class Api:
    """A script's view of the API: a bearer token and JSON in and out."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def __getattr__(self, method):
        def call(path, json=None, **kwargs):
            return getattr(self.client, method)(
                f"/api/v1{path}",
                json=json,
                headers={**self.headers, **kwargs.pop("headers", {})},
                **kwargs,
            )

        return call


def api_as(client, role: str, username: str | None = None) -> Api:
    user = make_user(role, username)
    token = create_token(user.username)
    db.session.commit()
    return Api(client, token)


@pytest.fixture
def reviewer(client):
    return api_as(client, "reviewer", "rana")


@pytest.fixture
def other_reviewer(client):
    return api_as(client, "reviewer", "omid")


@pytest.fixture
def admin(client):
    return api_as(client, "admin", "ada")


@pytest.fixture
def curator(client):
    """Tags and assesses as a reviewer does, adjudicates and revises articles."""
    return api_as(client, "curator", "cora")


@pytest.fixture
def researcher(client):
    return api_as(client, "researcher", "ines")


TEXT = (
    "The last 280 residents of Camp Liberty left Iraq for Albania on 9 September 2016, "
    "the group said in a statement."
)


@pytest.fixture
def article(app):
    event = make_event("Departure")
    return make_article(make_outlet("Daily Lantern"), text=TEXT, events=[event])


def span(text: str, quote: str, label: str = "supporting", **extra) -> dict:
    start = text.index(quote)
    return {"start": start, "end": start + len(quote), "quote": quote, "label": label, **extra}


def snapshot() -> dict[str, int]:
    """Row counts, to show a refused request changed nothing."""
    models = (Outlet, Event, Article, Claim, Assessment, Proposition)
    counts = {m.__name__: db.session.scalar(select(func.count(m.id))) for m in models}
    counts["labels"] = db.session.scalars(select(Assessment.label).order_by(Assessment.id)).all()
    counts["versions"] = db.session.scalars(
        select(Assessment.version).order_by(Assessment.id)
    ).all()
    return counts
