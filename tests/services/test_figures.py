"""Figures kept once computed (services/figures.py): served while their inputs stand, computed
again as soon as an article's text, the event's articles or its actors change."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import EventFigure
from app.services.claims.revisions import revise
from app.services.compare import comparison, figures
from app.services.corpus import actors
from tests.factories import make_article, make_event, make_outlet, make_user

LANTERN = "The regime's mercenaries attacked Camp Liberty. The mercenaries fled. " * 3
HERALD = "The residents moved to Albania. Residents of Camp Liberty left for Albania. " * 3


def snapshot(event):
    db.session.expire_all()
    return comparison.load_snapshot(event, actors=True)


def framing(event):
    """figures.framing as the event page calls it: the state read first, the snapshot only
    when the kept figure is missing or stale."""
    db.session.expire_all()
    return figures.framing(figures.event_state(event), lambda: snapshot(event))


def suggestions(event):
    db.session.expire_all()
    return figures.actor_suggestions(figures.event_state(event), lambda: snapshot(event))


def kept_rows(event) -> dict[str, EventFigure]:
    rows = db.session.scalars(select(EventFigure).where(EventFigure.event_id == event.id))
    return {row.kind: row for row in rows}


def test_framing_is_kept_and_served_until_its_inputs_change(app):
    event = make_event("Departure")
    admin = make_user("admin")
    lantern = make_article(make_outlet("Lantern"), text=LANTERN, events=[event])
    make_article(make_outlet("Herald"), text=HERALD, events=[event])
    first = framing(event)
    assert first == comparison.framing(snapshot(event))
    db.session.commit()
    row = kept_rows(event)["framing"]
    stamp, fingerprint = row.computed_at, row.fingerprint
    again = framing(event)
    db.session.commit()
    assert again == first and kept_rows(event)["framing"].computed_at == stamp

    # A new revision: the kept figure is not served, the new text's is.
    revise(lantern, LANTERN.replace("mercenaries", "militiamen"), user=admin)
    db.session.commit()
    revised = framing(event)
    db.session.commit()
    assert revised == comparison.framing(snapshot(event)) != first
    assert "militiamen" in [t.word for t in revised.terms["Lantern"]]
    assert kept_rows(event)["framing"].fingerprint != fingerprint

    # An actor and its aliases change how each outlet's names are counted.
    actors.create_actor(event, admin, name="Camp residents", aliases=["residents"])
    db.session.commit()
    named = framing(event)
    assert [n.actor.name for n in named.actors] == ["Camp residents"]
    assert named == comparison.framing(snapshot(event))


def test_an_article_joining_the_event_recomputes_its_figures(app):
    event = make_event("Departure")
    make_article(make_outlet("Lantern"), text=LANTERN, events=[event])
    before = suggestions(event)
    db.session.commit()
    make_article(make_outlet("Herald"), text=HERALD + " Albania Albania.", events=[event])
    after = suggestions(event)
    assert after == figures.suggest_actors(snapshot(event))
    assert after != before
