"""An outlet may go by several names: imports and the API find it by any, in any case."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from app.cli.corpus import import_articles
from app.extensions import db
from app.models import Article, Outlet
from app.services.exchange.importing import Defaults
from tests.factories import csrf_token, login, make_outlet, make_user


def test_aliases_name_one_outlet_and_find_it_in_any_case(admin, tmp_path):
    outlet = make_outlet("The New York Times")
    make_outlet("The Guardian")
    db.session.commit()
    response = admin.put(f"/outlets/{outlet.id}/aliases", {"aliases": ["NYT", "nytimes", "nyt"]})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["aliases"] == ["NYT", "nytimes"]
    taken = admin.put(f"/outlets/{outlet.id}/aliases", {"aliases": ["the guardian"]})
    assert taken.status_code == 409
    assert "The Guardian" in taken.get_json()["message"]
    assert admin.get(f"/outlets/{outlet.id}").get_json()["aliases"] == ["NYT", "nytimes"]
    assert admin.put(f"/outlets/{outlet.id}/aliases", {"aliases": ["x" * 201]}).status_code == 422

    created = admin.post("/articles", {"outlet": "Nyt", "title": "One", "text": "A text."})
    assert created.status_code == 201
    assert created.get_json()["outlet"]["name"] == "The New York Times"
    path = tmp_path / "corpus.jsonl"
    path.write_text(
        "\n".join(
            json.dumps({"outlet": name, "title": f"T{i}", "text": f"Text number {i}."})
            for i, name in enumerate(["NYTIMES", "nyt", "The new york times", "New Outlet"])
        ),
        encoding="utf-8",
    )
    report = import_articles([path], Defaults())
    assert report.failed == [] and len(report.imported) == 4
    db.session.commit()
    assert (
        db.session.scalar(select(func.count(Article.id)).where(Article.outlet_id == outlet.id)) == 4
    )
    assert db.session.scalar(select(func.count(Outlet.id))) == 3


def test_the_outlet_page_edits_aliases(client):
    outlet = make_outlet("Daily Lantern")
    db.session.commit()
    login(client, make_user("admin"))
    token = csrf_token(client, f"/outlets/{outlet.id}")
    response = client.post(
        f"/outlets/{outlet.id}/aliases",
        data={"csrf_token": token, "aliases": "Lantern, DL\nthe lantern"},
    )
    assert response.status_code == 303
    page = client.get(f"/outlets/{outlet.id}").get_data(as_text=True)
    assert "Lantern, DL, the lantern" in page or "DL, Lantern, the lantern" in page
    assert client.post(f"/outlets/{outlet.id}/aliases", data={"aliases": "X"}).status_code == 400
