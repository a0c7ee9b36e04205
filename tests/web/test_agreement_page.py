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


def test_span_figures_pooling_and_a_blind_subset_are_said_on_the_page(client):
    event = make_event("Spans page")
    build(event)
    reviewer = make_user("reviewer", "cai")
    event.blind = True
    db.session.commit()

    login(client, make_user("researcher", "ines"))
    page = client.get(f"/events/{event.id}/agreement?informed=1").get_data(as_text=True)
    # Ana tagged 12 claims that Ben assessed: counting informed spans they agree fully.
    assert "Krippendorff's α<sub>u</sub>" in page and "1.000" in page
    assert "The 1 article compared" in page
    api = client.get(f"/api/v1/events/{event.id}/agreement?informed=true").get_json()
    (pair,) = api["spans"]
    assert (pair["exact_f1"], pair["articles"], len(pair["article_ids"])) == (1.0, 1, 1)
    assert api["span_articles"][0]["reviewers"] == ["ana", "ben"]
    rows = client.get(f"/events/{event.id}/agreement.csv?informed=1").get_data(as_text=True)
    assert "krippendorff_alpha_u" in rows and "span_article" in rows
    # Ben saw Ana's spans: by default his are left out, and the page says so.
    independent = client.get(f"/api/v1/events/{event.id}/agreement").get_json()
    assert independent["spans"] == [] and independent["span_left_out"] == 1
    corpus = client.get("/agreement?informed=1").get_data(as_text=True)
    assert "pool every event" in corpus and "Each event" in corpus

    other = client.application.test_client()
    login(other, reviewer)
    blind = other.get(f"/events/{event.id}/agreement?informed=1").get_data(as_text=True)
    assert "Blind mode hides the labels of 12 claims in 1 article from you" in blind
    assert other.get(f"/api/v1/events/{event.id}/agreement").get_json()["hidden_claims"] == 12
