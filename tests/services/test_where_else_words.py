"""Where else asks the index for a passage's rarest words (services/search._rarest): on
PostgreSQL its statistics say which words most articles hold; SQLite keeps none, so there the
longest words stand in for the rarest."""

from __future__ import annotations

from sqlalchemy import text

from app.extensions import db
from app.models import SEARCH_TABLE
from app.services.compare import search
from tests.factories import make_article, make_outlet


def test_the_words_most_articles_hold_come_last(app, monkeypatch):
    outlet = make_outlet("Lantern")
    for n in range(30):
        make_article(outlet, text=f"The residents of the camp waited, report {n}.", title=f"R{n}")
    make_article(outlet, text="The residents reached Tirana.", title="Tirana")
    monkeypatch.setattr(search, "_common", (-search.COMMON_TTL, {}))  # read afresh
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"ANALYZE {SEARCH_TABLE}"))
        common = search._common_words()
        assert common["residents"] > 0.9 > 0.1 > common.get("tirana", 0.0)
        # "residents" is the longer word, but nearly every article holds it.
        assert search._rarest(["residents", "tirana"], 1) == ("tirana",)
    else:
        assert search._common_words() == {}
        assert search._rarest(["residents", "tirana"], 1) == ("residents",)
