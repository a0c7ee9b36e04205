"""How many SQL statements each read page costs, on an event of a given size.

    .venv/bin/python -m bench.query_counts --articles 10 --claims 20

A page that reads its event once costs the same number of statements for 2 articles as for
200; tests/web/test_query_counts.py holds every page to that. This prints the counts, so two
versions of the code can be compared.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import event as sa_event

from app.extensions import db
from app.models import Event, Outlet
from app.services.accounts import create_token, create_user
from app.services.claims.propositions import create_proposition
from app.services.claims.tagging import adjudicate, create_claim, put_assessment
from app.services.corpus.articles import create_article

PASSWORD = "a long enough password"  # noqa: S105 - a throwaway database's demo account
WORDS = "the group said residents left the camp for albania after years of talks"


@dataclass
class Built:
    event_id: int
    outlet_id: int
    article_id: int
    token: str


def build_event(articles: int, claims: int, outlets: int | None = None) -> Built:
    """An event of `articles` articles over `outlets` outlets, each with `claims` claims
    assessed by two reviewers (who disagree on every third), one claim in five linked to a
    proposition, and one adjudication per article."""
    outlets = outlets or max(2, articles // 2)
    rana = create_user("rana", "reviewer", PASSWORD)
    omid = create_user("omid", "reviewer", PASSWORD)
    ada = create_user("ada", "admin", PASSWORD)
    db.session.flush()
    event = Event(title=f"Event of {articles} articles")
    db.session.add(event)
    pool = [Outlet(name=f"Outlet {i}", lean="centre") for i in range(outlets)]
    db.session.add_all(pool)
    db.session.flush()
    proposition = create_proposition(event, rana, statement="The camp was emptied.")
    first = None
    for a in range(articles):
        text = f"Article {a}. " + " ".join(f"Sentence {i} says {WORDS}." for i in range(claims))
        article = create_article(
            pool[a % outlets], {"title": f"Article {a}", "text": text}, [event]
        )
        first = first or article
        for i in range(claims):
            quote = f"Sentence {i} says"
            start = text.index(quote)
            claim = create_claim(
                article,
                rana,
                start=start,
                end=start + len(quote),
                quote=quote,
                label="supporting",
                proposition=proposition.id if i % 5 == 0 else None,
            )
            put_assessment(claim, omid, label="contested" if i % 3 == 0 else "supporting")
            if i == 0:
                adjudicate(claim, ada, "contested")
    token = create_token("ada")
    db.session.commit()
    return Built(event.id, pool[0].id, first.id, token)


def pages(built: Built) -> dict[str, str]:
    """The read pages and API calls whose cost must not grow with the data."""
    e, o, a = built.event_id, built.outlet_id, built.article_id
    return {
        "event page": f"/events/{e}",
        "compare page": f"/events/{e}/compare",
        "matrix page": f"/events/{e}/matrix",
        "outlet page": f"/outlets/{o}",
        "article page": f"/articles/{a}",
        "comparison API": f"/api/v1/events/{e}/comparison",
        "article API": f"/api/v1/articles/{a}",
        "events list": "/",
    }


@contextmanager
def counting(connectable) -> Iterator[list[str]]:
    """The statements run on `connectable` inside the block (savepoints left out)."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK TO")):
            seen.append(statement)

    sa_event.listen(connectable, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        sa_event.remove(connectable, "before_cursor_execute", record)


def count_pages(client, built: Built, login) -> dict[str, int]:
    """Statements per page, for a logged-in admin (pages) and a bearer token (API)."""
    login()
    counts = {}
    engine = db.engine
    for name, path in pages(built).items():
        headers = {"Authorization": f"Bearer {built.token}"} if path.startswith("/api") else {}
        # Each request in an app context of its own, so its session starts empty, as served.
        with client.application.app_context():
            client.get(path, headers=headers)  # warm: the token's last use is written once
        with client.application.app_context(), counting(engine) as seen:
            response = client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.status_code)
        counts[name] = len(seen)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[2, 20])
    parser.add_argument("--claims", type=int, default=20)
    args = parser.parse_args()
    from app import create_app

    results = {}
    for n in args.articles:
        with tempfile.TemporaryDirectory() as tmp:
            app = create_app(
                {
                    "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/q.sqlite",
                    "SECRET_KEY": "query-counts",
                    "WTF_CSRF_ENABLED": False,
                    "RATELIMIT_ENABLED": False,
                }
            )
            with app.app_context():
                db.create_all()
                built = build_event(n, args.claims)
                client = app.test_client()

                def login(client=client):
                    client.post("/login", data={"username": "ada", "password": PASSWORD})

                results[n] = count_pages(client, built, login)
                db.session.remove()
                db.engine.dispose()
    names = list(next(iter(results.values())))
    print(f"{'page':<16}" + "".join(f"{f'{n} articles':>14}" for n in results))
    for name in names:
        print(f"{name:<16}" + "".join(f"{results[n][name]:>14}" for n in results))


if __name__ == "__main__":
    main()
