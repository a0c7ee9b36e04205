"""Each read page costs the same number of SQL statements however large its event: the event is
read once (an EventSnapshot) and every figure on the page is computed from that one value."""

from sqlalchemy import select

from app.extensions import db
from app.models import Event, Outlet, User
from app.services.claims.tagging import create_claim, put_assessment
from app.services.corpus.articles import create_article
from bench.query_counts import PASSWORD, build_event, count_pages
from tests.factories import login


def grow(built, articles: int, claims: int) -> None:
    """More articles and claims in the same event, and a second event the first outlet also
    covers (the outlet page then reads two events)."""
    event = db.session.get(Event, built.event_id)
    outlet = db.session.get(Outlet, built.outlet_id)
    rana, omid = (
        db.session.scalar(select(User).where(User.username == n)) for n in ("rana", "omid")
    )
    other = Event(title="Another event")
    db.session.add(other)
    for a in range(articles):
        text = f"Grown article {a}. " + " ".join(f"Line {i} of it." for i in range(claims))
        article = create_article(outlet, {"title": f"Grown {a}", "text": text}, [event, other])
        for i in range(claims):
            quote = f"Line {i} of it."
            start = text.index(quote)
            claim = create_claim(
                article, rana, start=start, end=start + len(quote), quote=quote, label="unsourced"
            )
            put_assessment(claim, omid, label="supporting", note="seen elsewhere")
    db.session.commit()


def test_page_statement_counts_do_not_grow_with_articles_or_claims(client):
    built = build_event(articles=2, claims=3)
    ada = db.session.scalar(select(User).where(User.username == "ada"))

    small = count_pages(client, built, lambda: login(client, ada, PASSWORD))
    grow(built, articles=6, claims=15)
    large = count_pages(client, built, lambda: None)  # still logged in
    assert large == small
    # And a few statements each, not one per article: the snapshot is a handful of reads.
    assert max(small.values()) <= 15, small
