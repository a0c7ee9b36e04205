"""The compare page, the matrix page and the comparison API on the seeded 2016 event."""

import csv
import io
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Event
from app.services.exchange.seeds import load_demo, seed
from tests.api.conftest import api_as
from tests.factories import login, make_user
from tests.services.test_seeds import SEEDS


@pytest.fixture
def event_2016(app):
    seed(SEEDS)
    load_demo(SEEDS)
    return db.session.scalar(select(Event).where(Event.title.like("Last Camp Liberty%")))


def test_compare_page_has_one_column_per_article(client, event_2016):
    login(client, make_user("researcher"))
    page = client.get(f"/events/{event_2016.id}/compare").get_data(as_text=True)
    columns = re.findall(r'<section class="column" data-article-id="(\d+)"', page)
    assert len(columns) == len(event_2016.articles) == 4
    for outlet in ["BackChannels", "Breitbart News", "Track Persia", "The Media Express"]:
        assert f'aria-label="{outlet}"' in page
    assert page.count('class="proposition"') >= 4
    assert 'mark class="hl label-' in page
    chosen = client.get(
        f"/events/{event_2016.id}/compare?article={columns[2]}&article={columns[0]}"
        f"&pos-{columns[2]}=1&pos-{columns[0]}=2"
    ).get_data(as_text=True)
    assert re.findall(r'data-article-id="(\d+)"', chosen) == [columns[2], columns[0]]


def test_comparison_api_lists_propositions_across_three_outlets(client, event_2016):
    api = api_as(client, "researcher")
    data = api.get(f"/events/{event_2016.id}/comparison").json
    assert len(data["articles"]) == 4
    assert all(a["outlet"]["name"] and a["stance"] for a in data["articles"])
    wide = [p for p in data["propositions"] if len(p["outlets"]) >= 3]
    assert wide, data["propositions"]
    claim_ids = {c["id"] for a in data["articles"] for c in a["claims"]}
    for p in data["propositions"]:
        for ids in p["claims"].values():
            assert set(ids) <= claim_ids
    assert set(data["outlet_label_counts"]) == {a["outlet"]["name"] for a in data["articles"]}
    assert api.get("/events/999/comparison").status_code == 404


def test_matrix_page_and_csv(client, event_2016):
    login(client, make_user("researcher"))
    page = client.get(f"/events/{event_2016.id}/matrix").get_data(as_text=True)
    assert "omits" in page and "numbers disagree" in page and "labels differ" in page
    flagged_first = client.get(f"/events/{event_2016.id}/matrix?sort=flagged")
    assert flagged_first.status_code == 200
    csv_response = client.get(f"/events/{event_2016.id}/matrix?format=csv")
    assert csv_response.mimetype == "text/csv"
    body = csv_response.get_data(as_text=True)
    assert body.startswith("\ufeffproposition_id,proposition,labels_differ,numbers_conflict")
    assert "omitted" in body


def test_event_and_outlet_pages_show_statistics_and_framing(client, event_2016):
    login(client, make_user("researcher"))
    page = client.get(f"/events/{event_2016.id}").get_data(as_text=True)
    assert "<svg" in page and "Claims by final label, per outlet" in page
    assert "Unique propositions" in page and "Omitted propositions" in page
    assert "How each outlet names People&#39;s Mojahedin Organization of Iran" in page
    assert "Iranian Resistance" in page
    outlet_id = event_2016.articles[0].outlet_id
    assert "<svg" in client.get(f"/outlets/{outlet_id}").get_data(as_text=True)


def test_comparison_api_claims_are_exactly_what_the_claim_schema_dumps(client, event_2016):
    """The comparison writes claims out by hand for speed; they must not drift from the
    documented ClaimSchema (nor from GET /claims/<id>)."""
    from app.api.schemas.articles import ArticleSchema
    from app.api.schemas.catalogue import OutletSchema
    from app.api.schemas.claims import ClaimSchema
    from app.services.compare.comparison import load_snapshot

    api = api_as(client, "researcher")
    data = api.get(f"/events/{event_2016.id}/comparison").json
    articles = {a.id: a for a in load_snapshot(event_2016).articles}
    claims = 0
    for column in data["articles"]:
        article = articles[column["id"]]
        expected = ArticleSchema(only=("id", "title", "stance", "published", "url"))
        assert {k: column[k] for k in expected.fields} == expected.dump(article)
        assert column["outlet"] == OutletSchema().dump(article.outlet)
        assert column["claims"] == ClaimSchema(many=True).dump(article.claims)
        claims += len(column["claims"])
    assert claims >= 15


def test_matrix_csv_neutralizes_formula_cells_unless_asked_not_to(client, event_2016):
    proposition = event_2016.propositions[0]
    proposition.statement = "=cmd|' /C calc'!A0"
    db.session.commit()
    login(client, make_user("researcher"))
    url = f"/events/{event_2016.id}/matrix?format=csv"
    rows = list(csv.reader(io.StringIO(client.get(url).get_data(as_text=True).lstrip("\ufeff"))))
    statements = {row[0]: row[1] for row in rows[1:]}
    assert statements[str(proposition.id)] == "'=cmd|' /C calc'!A0"
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    raw = client.get(url + "&neutralize_formulas=false").get_data(as_text=True)
    assert "\r\n" + f"{proposition.id},=cmd|' /C calc'!A0," in raw


def test_a_large_event_opens_on_a_few_columns_one_of_each_stance_in_turn(client, app):
    from tests.factories import make_article, make_event, make_outlet

    event = make_event("Large")
    stances = ["critical"] * 10 + ["favourable"] * 6 + ["neutral"] * 3 + ["hostile"]
    made = {}
    for i, stance in enumerate(stances):
        article = make_article(
            make_outlet(f"Outlet {i:02d}"), text=f"Text {i}.", stance=stance, events=[event]
        )
        made[article.id] = stance
    login(client, make_user("researcher"))
    page = client.get(f"/events/{event.id}/compare").get_data(as_text=True)
    columns = [int(c) for c in re.findall(r'<section class="column" data-article-id="(\d+)"', page)]
    assert len(columns) == 8
    # Every stance is there before any stance has three.
    shown = [made[c] for c in columns]
    assert set(shown) == {"critical", "favourable", "neutral", "hostile"}
    assert max(shown.count(s) for s in set(shown)) <= 3
    assert "8 of the 20 articles side by side" in page
    # The chooser lists all 20, grouped by stance; a choice is shown as chosen.
    assert len(re.findall(r'name="article" value="\d+"', page)) == 20
    pick = list(made)[:2]
    chosen = client.get(f"/events/{event.id}/compare?article={pick[0]}&article={pick[1]}").get_data(
        as_text=True
    )
    ids = [int(c) for c in re.findall(r'<section class="column" data-article-id="(\d+)"', chosen)]
    assert ids == pick and "side by side: the first" not in chosen
