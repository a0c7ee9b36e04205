"""Labels and stances are configuration: a label added there works everywhere, a name the
pages use for claims without a label is refused at start-up."""

import pytest

from app.extensions import db
from app.vocabulary import check_configuration, label_class
from tests.api.conftest import api_as
from tests.conftest import make_app
from tests.factories import login, make_article, make_event, make_user

LABELS = ("supporting", "contested", "unsourced", "satire")


@pytest.mark.parametrize(
    ("labels", "says"),
    [
        (("supporting", "disputed"), "disputed cannot be a label"),
        (("supporting", "hidden"), "hidden cannot be a label"),
        (("supporting", "attention"), "attention cannot be a label"),
        (("supporting", "Two Words"), "not a usable name"),
        (("supporting", "supporting"), "twice"),
        (tuple(f"l{i}" for i in range(10)), "at most 9"),
        ("supporting", "must be a list"),
    ],
)
def test_a_label_the_app_cannot_show_is_refused_at_start_up(labels, says, tmp_path):
    with pytest.raises(ValueError, match=says):
        check_configuration({"PARALLAX_LABELS": labels, "PARALLAX_STANCES": ("neutral", "unknown")})
    with pytest.raises(ValueError, match=says):
        make_app("sqlite://", tmp_path, PARALLAX_LABELS=labels)


def test_a_label_added_to_the_configuration_works_everywhere(app, client):
    app.config["PARALLAX_LABELS"] = LABELS
    event = make_event("Harbour strike")
    article = make_article(text="The mayor joked the port was on strike.", events=[event])
    api = api_as(client, "reviewer", "rana")
    quote = "the port was on strike"
    start = article.text.index(quote)
    span = {"start": start, "end": start + len(quote), "quote": quote, "label": "satire"}
    created = api.post(f"/articles/{article.id}/claims", json=span)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["final_label"] == "satire"
    exported = api.get("/export/claims?format=csv&label=satire").get_data(as_text=True)
    assert quote in exported
    assert api.get("/codebook").get_json()[-1]["label"] == "satire"
    assert label_class("satire") == "label-satire tone tone-4"
    db.session.commit()
    login(client, make_user("researcher"))
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "satire" in page and "label-satire tone tone-4" in page  # the statistics' chart
