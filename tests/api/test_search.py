"""GET /api/v1/search, the /search page and where-else: each database's own full-text engine
(PostgreSQL tsvector, SQLite FTS5), kept in step by the search service."""

from __future__ import annotations

from datetime import date

import pytest

from app.extensions import db
from app.services.claims.revisions import revise
from app.services.claims.tagging import adjudicate, create_claim, put_assessment
from app.services.corpus.articles import update_fields
from app.text.search import FACET_MARK
from tests.factories import login, make_article, make_event, make_outlet, make_user

LANTERN = (
    "The last 280 residents of Camp Liberty left Iraq for Albania on 9 September 2016, "
    "the group said in a statement.\n\nOfficials in Tirana welcomed the airlift."
)
HERALD = (
    "Residents left Camp Liberty for Albania, officials said. The relocation was described "
    "as a final step by the UN refugee agency."
)
PERSIAN = "گروه گفت که ۲۸۰ ساکن کمپ لیبرتی به آلبانی رفتند و می‌خواهند در تیرانا بمانند."
ARABIC = "قالت المجموعة إن السكان غادروا مخيم ليبرتي إلى ألبانيا في سبتمبر."


@pytest.fixture
def corpus(app):
    lantern = make_outlet("Daily Lantern", lean="centre")
    herald = make_outlet("Herald", lean="right")
    event = make_event("Departure 2016")
    other = make_event("Relocation 2012", start=date(2012, 2, 1))
    a = make_article(
        lantern,
        text=LANTERN,
        title="Last residents leave Camp Liberty",
        stance="neutral",
        published="2016-09-10",
        events=[event],
    )
    b = make_article(
        herald,
        text=HERALD,
        title="A final step",
        stance="critical",
        published="2012-02-18",
        events=[other],
    )
    c = make_article(lantern, text=PERSIAN, title="خروج ساکنان", published="2016-09-11")
    d = make_article(herald, text=ARABIC, title="مغادرة", published="2016-09-12")
    return {"a": a, "b": b, "c": c, "d": d, "event": event, "lantern": lantern, "herald": herald}


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json
    return [hit["article"]["id"] for hit in response.json["hits"]]


def test_every_word_must_appear_and_matches_are_highlighted(researcher, corpus):
    response = researcher.get("/search?q=Camp+Albania")
    assert set(ids(response)) == {corpus["a"].id, corpus["b"].id}
    assert ids(researcher.get("/search?q=Camp+Tirana")) == [corpus["a"].id]
    hit = response.json["hits"][0]
    text = corpus["a"].text if hit["article"]["id"] == corpus["a"].id else corpus["b"].text
    marked = [text[m["start"] : m["end"]].lower() for m in hit["highlights"]]
    assert set(marked) == {"camp", "albania"}
    assert text[hit["snippet_start"] :].startswith(hit["snippet"])


def test_a_quoted_phrase_must_appear_in_that_order(researcher, corpus):
    assert ids(researcher.get('/search?q="left+Camp+Liberty"')) == [corpus["b"].id]
    assert ids(researcher.get('/search?q="Liberty+Camp"')) == []
    assert ids(researcher.get('/search?q="residents+of+Camp+Liberty"')) == [corpus["a"].id]


def test_a_title_match_ranks_above_a_text_match(researcher, corpus):
    # Both say "final step"; only the Herald's title does.
    found = ids(researcher.get('/search?q="final+step"'))
    assert found[0] == corpus["b"].id


def test_case_and_accents_do_not_matter(researcher, app):
    article = make_article(text="The ferry reached DURRËS at dawn.", title="Ferry")
    assert ids(researcher.get("/search?q=durres")) == [article.id]
    assert ids(researcher.get("/search?q=Durrës")) == [article.id]


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("لیبرتی", "c"),  # Persian yeh, as typed on a Persian keyboard
        ("ليبرتي", "c"),  # Arabic yeh, as typed on an Arabic keyboard: the same word
        ("کمپ", "c"),
        ("كمپ", "c"),  # Arabic kaf
        ("۲۸۰", "c"),  # Persian digits find what was written in them
        ("280", "c"),  # ... and ASCII digits do too
        ("میخواهند", "c"),  # written with a zero-width non-joiner, typed without
        ("خواهند", "c"),  # its second part alone
        ("مخيم", "d"),
        ('"غادروا مخيم ليبرتي"', "d"),
        ("ألبانيا", "d"),
        ("البانيا", "d"),  # without the hamza
    ],
)
def test_persian_and_arabic_are_found_whichever_keyboard(researcher, corpus, query, key):
    found = ids(researcher.get("/search", query_string={"q": query}))
    assert corpus[key].id in found


def test_filters_narrow_the_results(researcher, corpus):
    q = {"q": "residents"}
    assert set(ids(researcher.get("/search", query_string=q))) == {corpus["a"].id, corpus["b"].id}
    by_outlet = researcher.get("/search", query_string=q | {"outlet": corpus["herald"].id})
    assert ids(by_outlet) == [corpus["b"].id]
    by_event = researcher.get("/search", query_string=q | {"event": corpus["event"].id})
    assert ids(by_event) == [corpus["a"].id]
    assert ids(researcher.get("/search", query_string=q | {"stance": "critical"})) == [
        corpus["b"].id
    ]
    dated = q | {"from": "2016-01-01", "to": "2016-12-31"}
    assert ids(researcher.get("/search", query_string=dated)) == [corpus["a"].id]
    assert ids(researcher.get("/search", query_string=q | {"to": "2012-12-31"})) == [corpus["b"].id]


def test_filters_combine_and_follow_a_changed_stance(researcher, corpus):
    q = {"q": "residents"}
    both = q | {"outlet": corpus["lantern"].id, "event": corpus["event"].id, "stance": "neutral"}
    assert ids(researcher.get("/search", query_string=both)) == [corpus["a"].id]
    wrong = both | {"stance": "critical"}
    assert ids(researcher.get("/search", query_string=wrong)) == []
    update_fields(corpus["b"], {"stance": "favourable"})
    db.session.commit()
    assert ids(researcher.get("/search", query_string=q | {"stance": "critical"})) == []
    assert ids(researcher.get("/search", query_string=q | {"stance": "favourable"})) == [
        corpus["b"].id
    ]


def test_what_the_index_keeps_of_a_filter_is_not_a_word(researcher, corpus):
    """SQLite's index holds each article's outlet, events and stance as tokens: a query for
    one finds nothing, since only titles and texts are searched for words."""
    outlet, event = corpus["herald"].id, corpus["event"].id
    for token in (f"o{outlet}", f"e{event}", "s" + b"critical".hex()):
        for typed in (token, FACET_MARK + token):
            assert ids(researcher.get("/search", query_string={"q": typed})) == []


def test_the_label_filter_reads_each_claims_final_label(researcher, corpus):
    rana, omid = make_user("reviewer", "rana2"), make_user("reviewer", "omid2")
    a, b = corpus["a"], corpus["b"]
    claim_a = create_claim(a, rana, start=4, end=8, quote="last", label="supporting")
    claim_b = create_claim(b, rana, start=0, end=9, quote="Residents", label="supporting")
    put_assessment(claim_b, omid, label="contested")
    db.session.commit()
    q = {"q": "residents"}
    assert ids(researcher.get("/search", query_string=q | {"label": "supporting"})) == [a.id]
    assert ids(researcher.get("/search", query_string=q | {"label": "disputed"})) == [b.id]
    adjudicate(claim_b, make_user("curator"), label="contested")
    db.session.commit()
    assert ids(researcher.get("/search", query_string=q | {"label": "contested"})) == [b.id]
    assert claim_a.id


def test_keyset_pages_cover_every_match_once(researcher, app):
    outlet = make_outlet("Wire")
    made = {
        make_article(outlet, text=f"Convoy report {i}: the convoy left " + "convoy " * (i % 5)).id
        for i in range(13)
    }
    seen, after, pages = [], None, 0
    while True:
        query = {"q": "convoy", "limit": 5} | ({"after": after} if after else {})
        body = researcher.get("/search", query_string=query).json
        seen += [h["article"]["id"] for h in body["hits"]]
        scores = [h["score"] for h in body["hits"]]
        assert scores == sorted(scores, reverse=True)
        pages += 1
        after = body["next_cursor"]
        if not after:
            break
    assert pages == 3 and len(seen) == 13 and set(seen) == made
    assert body["matches"] == 13 and body["more_than_ranked"] is False


def test_the_index_follows_a_new_revision_and_a_new_title(researcher, corpus, reviewer):
    a = corpus["a"]
    revise(a, a.text.replace("Tirana", "Durrës"), user=make_user("admin"))
    db.session.commit()
    assert ids(researcher.get("/search?q=Tirana")) == []
    assert ids(researcher.get("/search?q=Durres")) == [a.id]
    update_fields(a, {"title": "Convoy reaches the coast"})
    db.session.commit()
    assert ids(researcher.get("/search?q=coast")) == [a.id]
    assert ids(researcher.get("/search?q=leave")) == []


def test_imported_articles_are_searchable(researcher, runner, tmp_path, app):
    path = tmp_path / "articles.jsonl"
    path.write_text(
        '{"outlet": "Wire", "title": "Imported", "text": "A flotilla reached Durres."}\n',
        encoding="utf-8",
    )
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 0, result.output
    assert len(ids(researcher.get("/search?q=flotilla"))) == 1


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": ""},
        {"q": "   "},
        {"q": "—…!"},
        {"q": "x" * 501},
        {"q": "camp", "stance": "furious"},
        {"q": "camp", "label": "maybe"},
        {"q": "camp", "outlet": "0"},
        {"q": "camp", "outlet": "99999999999"},
        {"q": "camp", "from": "soon"},
        {"q": "camp", "from": "2016-02-01", "to": "2016-01-01"},
        {"q": "camp", "after": "nonsense"},
        {"q": "camp", "after": "1.5_99999999999"},
        {"q": "camp", "limit": "0"},
        {"q": "camp", "limit": "101"},
        {"q": "a\x00b"},
    ],
)
def test_bad_queries_are_422_with_a_message(researcher, corpus, query):
    response = researcher.get("/search", query_string=query)
    assert response.status_code == 422, response.json
    assert response.json["message"]


@pytest.mark.parametrize(
    "query", ['"', '"unclosed phrase', "AND OR NOT", "NEAR(camp", "camp*", "'", "a:b", "^camp"]
)
def test_engine_syntax_in_a_query_is_just_text(researcher, corpus, query):
    response = researcher.get("/search", query_string={"q": query})
    assert response.status_code in (200, 422), response.json
    if response.status_code == 200:
        assert isinstance(response.json["hits"], list)


def test_search_needs_a_login(client, corpus):
    assert client.get("/api/v1/search?q=camp").status_code == 401


def test_the_search_page_shows_marked_snippets_and_escapes_them(client, corpus):
    outlet = make_outlet("Wire")
    make_article(outlet, text="<script>alert(1)</script> convoy <b>bold</b>", title="<i>T</i>")
    login(client, make_user("researcher"))
    page = client.get("/search?q=convoy").get_data(as_text=True)
    assert "<mark>convoy</mark>" in page
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert "&lt;i&gt;T&lt;/i&gt;" in page
    bad = client.get("/search?q=camp&stance=furious")
    assert bad.status_code == 422 and "furious" in bad.get_data(as_text=True)
    assert "No article matches" in client.get("/search?q=zebra").get_data(as_text=True)


def test_the_search_page_pages_on_with_its_filters(client, app):
    outlet = make_outlet("Wire")
    for i in range(25):
        make_article(outlet, text=f"Convoy bulletin {i}.", title=f"Bulletin {i}")
    login(client, make_user("researcher"))
    first = client.get(f"/search?q=convoy&outlet={outlet.id}").get_data(as_text=True)
    assert first.count('class="search-hit card"') == 20
    assert 'rel="next"' in first
    import re

    link = re.search(r'rel="next" href="([^"]+)"', first)[1].replace("&amp;", "&")
    assert f"outlet={outlet.id}" in link
    second = client.get(link).get_data(as_text=True)
    assert second.count('class="search-hit card"') == 5 and 'rel="next"' not in second


# --- where else ---------------------------------------------------------------------------


def test_where_else_finds_the_same_and_similar_wording_across_outlets(reviewer, corpus, app):
    user = make_user("reviewer", "wes")
    a = corpus["a"]
    quote = "Officials in Tirana welcomed the airlift"
    start = a.text.index(quote)
    claim = create_claim(
        a, user, start=start, end=start + len(quote), quote=quote, label="supporting"
    )
    same = make_article(
        make_outlet("Gazette"),
        text=f"Yesterday. {quote}. Then nothing.",
        events=[make_event("Elsewhere")],
    )
    near = make_article(
        make_outlet("Courier"), text="Reports say officials in Tirana welcomed an airlift."
    )
    make_article(make_outlet("Unrelated"), text="Officials in Paris said nothing.")
    response = reviewer.get(f"/claims/{claim.id}/where-else")
    assert response.status_code == 200, response.json
    found = {p["article"]["id"]: p for p in response.json}
    assert set(found) == {same.id, near.id}
    assert found[same.id]["similarity"] == 100
    assert found[same.id]["quote"] == quote
    assert same.text[found[same.id]["start"] : found[same.id]["end"]] == quote
    assert 80 <= found[near.id]["similarity"] < 100
    assert response.json[0]["article"]["id"] == same.id


def test_where_else_lists_the_claims_already_on_a_passage(reviewer, corpus):
    user = make_user("reviewer", "wes")
    quote = "residents of Camp Liberty"
    a = corpus["a"]
    start = a.text.index(quote)
    claim = create_claim(
        a, user, start=start, end=start + len(quote), quote=quote, label="supporting"
    )
    other = make_article(make_outlet("Gazette"), text=f"All {quote} have gone.")
    s = other.text.index(quote)
    theirs = create_claim(other, user, start=s, end=s + len(quote), quote=quote, label="contested")
    db.session.commit()
    body = reviewer.get(f"/claims/{claim.id}/where-else").json
    assert body[0]["article"]["id"] == other.id and body[0]["similarity"] == 100
    assert [c["id"] for c in body[0]["claims"]] == [theirs.id]
    # The Herald's "Residents left Camp Liberty" is alike, but not the same, and unclaimed.
    assert [(p["article"]["id"], p["claims"]) for p in body[1:]] == [(corpus["b"].id, [])]


def test_where_else_of_an_unknown_claim_is_404(reviewer, corpus):
    assert reviewer.get("/claims/999999/where-else").status_code == 404


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_postgresql_plans_each_search_for_its_own_filter(researcher, corpus):
    """psycopg prepares a statement after five runs, and PostgreSQL may then plan it once for
    any parameters: a search filtered to one outlet, planned without knowing the outlet,
    walked every match of its words (40 -> 100-120 ms on 20,000 articles). The app's sessions
    plan each execution for its own values."""
    outlet = corpus["lantern"].id
    for _ in range(12):
        assert ids(researcher.get(f"/search?q=Camp&outlet={outlet}")) == [corpus["a"].id]
    plans = db.session.execute(
        db.text(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE statement LIKE '%article_search%' AND statement LIKE '%outlet_id%'"
        )
    ).all()
    assert plans, "the search was not prepared: the test no longer shows anything"
    assert all(generic == 0 and custom > 0 for generic, custom in plans)
