"""Every list is paged: events, outlets and articles, as pages and through the API. No page
loads a whole table."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from app.extensions import db
from app.models import Event
from app.models.article import SQLITE_ID_INDEX
from tests.api.conftest import api_as
from tests.factories import login, make_article, make_outlet, make_user


def shown(html: str, pattern: str) -> list[str]:
    return re.findall(pattern, html)


@pytest.fixture
def many(app):
    outlets = [make_outlet(f"Outlet {i:03d}") for i in range(60)]
    events = []
    for i in range(55):
        event = Event(title=f"Event {i:03d}")
        db.session.add(event)
        events.append(event)
    db.session.commit()
    for i in range(60):
        make_article(outlets[i], text=f"Text {i}.", title=f"Piece {i:03d}", events=[events[i % 55]])
    return outlets, events


def test_the_event_list_pages_and_counts_each_pages_events(client, many):
    login(client, make_user("researcher"))
    first = client.get("/").get_data(as_text=True)
    assert len(shown(first, r'class="card event-card"')) == 50
    assert "page 1 of 2" in first and "55 in all" in first
    second = client.get("/?page=2").get_data(as_text=True)
    assert len(shown(second, r'class="card event-card"')) == 5
    titles = set(shown(first, r">(Event \d+)</a>")) | set(shown(second, r">(Event \d+)</a>"))
    assert len(titles) == 55
    # Events 0 to 4 have two articles each (60 articles over 55 events).
    assert '<span class="count">2</span> articles' in first + second
    # Past the end, or not a number: a page that exists.
    assert "page 2 of 2" in client.get("/?page=99").get_data(as_text=True)
    assert "page 1 of 2" in client.get("/?page=x").get_data(as_text=True)


def test_the_outlet_and_article_lists_page(client, many):
    login(client, make_user("researcher"))
    outlets = client.get("/outlets").get_data(as_text=True)
    assert len(shown(outlets, r'<th scope="row"><a href="/outlets/')) == 50
    assert "page 1 of 2" in outlets
    articles = client.get("/articles").get_data(as_text=True)
    assert len(shown(articles, r'<th scope="row" dir="auto"><a href="/articles/')) == 50
    last = client.get("/articles?page=2").get_data(as_text=True)
    assert len(shown(last, r'<th scope="row" dir="auto"><a href="/articles/')) == 10
    one = many[0][3]
    mine = client.get(f"/articles?outlet={one.id}").get_data(as_text=True)
    assert shown(mine, r">(Piece \d+)</a>") == ["Piece 003"]
    assert client.get("/articles?outlet=abc").status_code == 200


def test_the_api_lists_page_with_a_total_and_a_next_link(client, many):
    api = api_as(client, "researcher")
    for path, total in (("/events", 55), ("/outlets", 60), ("/articles", 60)):
        first = api.get(f"{path}?limit=25")
        assert first.status_code == 200 and len(first.json) == 25
        if path != "/articles":
            assert first.headers["X-Total-Count"] == str(total)
            assert 'offset=25>; rel="next"' in first.headers["Link"]
        rest = api.get(f"{path}?limit=25&offset=50").json
        assert len(rest) == total - 50
        everything = [
            r["id"] for o in (0, 25, 50) for r in api.get(f"{path}?limit=25&offset={o}").json
        ]
        assert len(set(everything)) == total
    assert api.get("/events?limit=25&offset=100").json == []
    assert api.get("/events?limit=0").status_code == 422
    assert api.get("/outlets?limit=5000").status_code == 422


def test_deep_article_pages_walk_an_index_of_ids_not_the_rows(app):
    """SQLite keeps each article's text in the table's own rows; its list pages step through
    an index of the ids alone. PostgreSQL's primary key index is that already."""
    if db.engine.dialect.name == "sqlite":
        plan = db.session.execute(
            text("EXPLAIN QUERY PLAN SELECT id FROM articles ORDER BY id DESC LIMIT 50 OFFSET 50")
        ).all()
        assert SQLITE_ID_INDEX in " ".join(str(row[-1]) for row in plan)
    else:
        found = db.session.execute(
            text("SELECT count(*) FROM pg_indexes WHERE indexname = :name"),
            {"name": SQLITE_ID_INDEX},
        ).scalar()
        assert found == 0


def test_article_pages_from_either_end_of_the_index_are_the_same_pages(app, many):
    """Pages in the older half are read from the oldest end (OFFSET walks what it skips):
    every page, of all articles or of one event's, is the one a walk from the newest gives."""
    from app.models import Article
    from app.services.corpus import lists

    outlets, events = many
    for filters in ({}, {"event": events[2].id}):
        newest_first = [
            a.id
            for a in sorted(db.session.scalars(db.select(Article)), key=lambda a: -a.id)
            if not filters or events[2] in a.events
        ]
        for size in (1, 7, 50):
            pages = [
                [a.id for a in lists.articles_page(offset, size, **filters).items]
                for offset in range(0, len(newest_first), size)
            ]
            assert [i for page in pages for i in page] == newest_first
            assert all(len(page) == size for page in pages[:-1])
        past_the_end = lists.articles_page(len(newest_first), 7, exact_offset=True, **filters)
        assert past_the_end.items == []


def test_an_article_row_shows_its_outlet_events_and_claims(client, many):
    from app.services.claims.tagging import create_claim

    outlets, events = many
    article = make_article(
        outlets[7], text="Tirana said so twice.", title="Row piece", events=events[40:42]
    )
    rana = make_user("reviewer", "rana")
    for start, end in ((0, 6), (7, 11), (12, 14)):
        quote = article.text[start:end]
        create_claim(article, rana, start=start, end=end, quote=quote, label="supporting")
    db.session.commit()
    login(client, rana)
    html = client.get("/articles").get_data(as_text=True)
    head = f'<th scope="row" dir="auto"><a href="/articles/{article.id}">Row piece</a>'
    row = re.search(re.escape(head) + r".*?</tr>", html, re.S)
    assert row, "the newest article heads the list"
    cells = row.group()
    assert f'href="/articles?outlet={outlets[7].id}">Outlet 007</a>' in cells
    assert f'href="/events/{events[40].id}">Event 040</a>, ' in cells
    assert f'href="/events/{events[41].id}">Event 041</a>' in cells
    assert '<td class="num">3</td>' in cells
