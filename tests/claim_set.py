"""The claim_set fixture: a small, varied annotated corpus shared by export and import tests."""

from datetime import date

import pytest

from app.extensions import db
from app.services.claims.propositions import create_proposition
from app.services.claims.tagging import adjudicate, create_claim, put_assessment
from tests.factories import make_article, make_event, make_outlet, make_user

TEXT_A = (
    "The last 280 residents left Camp Liberty for Albania on Friday, the group said. "
    'Officials called it "a major blow", with commas, quotes and\na line break. '
    "Residents 🇦🇱 cheered 👨‍👩‍👧."
)
TEXT_B = "گروه گفت که ۲۸۰ ساکن کمپ لیبرتی به آلبانی رفتند. Tehran called it humiliating."


def tag(article, user, quote, label, **kw):
    start = article.text.index(quote)
    return create_claim(
        article, user, start=start, end=start + len(quote), quote=quote, label=label, **kw
    )


@pytest.fixture
def claim_set(app):
    """Two outlets, two events, three reviewers; agreement, disagreement, adjudication."""
    rana, omid, ada = (
        make_user("reviewer", "rana"),
        make_user("reviewer", "omid"),
        make_user("admin", "ada"),
    )
    ev2016, ev2012 = make_event("Departure 2016"), make_event("Relocation 2012")
    a = make_article(
        make_outlet("Daily Lantern", lean="centre"),
        text=TEXT_A,
        title="A",
        url="https://lantern.example/a",
        events=[ev2016],
        published=date(2016, 9, 10),
        stance="neutral",
    )
    b = make_article(
        make_outlet("Persian Post", lean="state media"),
        text=TEXT_B,
        title="B",
        events=[ev2016, ev2012],
        published=date(2016, 9, 11),
        stance="hostile",
    )
    c1 = tag(a, rana, "280 residents", "supporting", note="Group statement")
    tag(a, rana, '"a major blow", with commas, quotes and\na line', "unsourced")
    c3 = tag(a, rana, "Residents 🇦🇱 cheered 👨‍👩‍👧", "contested")
    put_assessment(c3, omid, label="supporting", note="Photo shows it")
    c4 = tag(b, omid, "۲۸۰ ساکن کمپ لیبرتی", "supporting", evidence_url="https://example.org/unhcr")
    c5 = tag(b, omid, "Tehran called it humiliating", "contested")
    put_assessment(c5, rana, label="unsourced")
    adjudicate(c5, ada, "contested")
    create_proposition(  # rana's claim and omid's: whoever may link any claim links them
        ev2016, ada, statement="280 residents left for Albania", claims=[c1.id, c4.id]
    )
    db.session.commit()
    return {"a": a, "b": b, "events": (ev2016, ev2012)}
