"""The agreement page, its CSV and the API say the same numbers, and say when there are too
few claims for one."""

from __future__ import annotations

import csv
import io

from app.extensions import db
from app.services.claims.tagging import create_claim, put_assessment
from tests.factories import login, make_article, make_event, make_outlet, make_user


def build(event):
    article = make_article(make_outlet("Agree Post"), text="w " * 100, events=[event])
    ana, ben = make_user("reviewer", "ana"), make_user("reviewer", "ben")
    labels = ["supporting", "contested", "unsourced"]
    for i in range(12):
        claim = create_claim(
            article, ana, start=2 * i, end=2 * i + 1, quote="w", label=labels[i % 3]
        )
        put_assessment(claim, ben, label=labels[i % 3] if i % 4 else labels[(i + 1) % 3])
    db.session.commit()


def test_the_page_csv_and_api_agree_and_small_scopes_say_too_few(client):
    event = make_event("Agreed")
    quiet = make_event("Quiet")
    build(event)
    login(client, make_user("researcher", "ines"))
    # Ben labelled after seeing Ana's labels (the event is not blind): by default those
    # informed assessments do not count, and there is nothing independent to measure.
    independent = client.get(f"/api/v1/events/{event.id}/agreement").get_json()
    assert independent["units"] == 0 and "too few" in independent["alpha"]["reason"]
    api = client.get(f"/api/v1/events/{event.id}/agreement?informed=true").get_json()
    alpha = api["alpha"]["value"]
    assert api["units"] == 12 and api["values"] == 24 and -1 <= alpha <= 1
    page = client.get(f"/events/{event.id}/agreement?informed=1").get_data(as_text=True)
    assert "Krippendorff" in page and f"{alpha:.3f}" in page
    assert "ana · ben" in page
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get(f"/events/{event.id}/agreement.csv?informed=1").get_data(as_text=True)[
                    1:
                ]
            )
        )
    )
    by_figure = {(r["section"], r["figure"]): r for r in rows}
    assert float(by_figure[("labels", "krippendorff_alpha_nominal")]["value"]) == alpha
    assert by_figure[("labels", "units")]["value"] == "12"
    small = client.get(f"/events/{quiet.id}/agreement").get_data(as_text=True)
    assert "too few to say" in small
    assert client.get("/agreement").status_code == 200
    assert client.get("/api/v1/agreement?informed=true").get_json()["units"] == 12
    assert client.get("/events/999999/agreement").status_code == 404
    assert client.get("/api/v1/outlets/999999/agreement").status_code == 404
