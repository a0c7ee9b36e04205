"""The second outside audit's findings, each closed: ids of ASCII digits only, integers too
long for Python answered in the app's words, headers that never echo the client's Host,
405s that say what is allowed, one charset, HSTS over HTTPS, and no event named by a number."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import Event
from tests.api.conftest import span
from tests.factories import make_article, make_outlet


def test_ids_are_ascii_digits_only(reviewer, article):
    claim = reviewer.post(
        f"/articles/{article.id}/claims", json=span(article.text, "residents")
    ).json
    assert reviewer.get(f"/claims/{claim['id']}").status_code == 200
    for lookalike in ("%D9%A1", "%EF%BC%91", "%DB%B1"):  # Arabic-Indic, fullwidth, Persian 1
        assert reviewer.get(f"/claims/{lookalike}").status_code == 404
    assert reviewer.client.get("/events/%D9%A1").status_code in (302, 404)


def test_an_integer_of_thousands_of_digits_is_a_422_in_our_words(reviewer, article):
    huge = "9" * 5000
    body = '{"start": ' + huge + ', "end": 2, "quote": "Th", "label": "supporting"}'
    response = reviewer.post(
        f"/articles/{article.id}/claims", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422
    payload = response.get_json()
    assert payload["error"] == "malformed_json" and "too long" in payload["message"]
    assert "4300" not in payload["message"] and isinstance(payload["errors"], dict)


def test_malformed_json_errors_are_an_object_as_documented(reviewer, article):
    response = reviewer.post(
        f"/articles/{article.id}/claims", data="{nope", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 422 and isinstance(response.get_json()["errors"], dict)


def test_a_405_says_which_methods_are_allowed(reviewer, article):
    response = reviewer.patch(f"/articles/{article.id}/claims", json={})
    assert response.status_code == 405
    assert set(response.headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_page_links_are_relative_and_articles_are_paged_like_the_other_lists(reviewer):
    outlet = make_outlet("Paged")
    for n in range(3):
        make_article(outlet, text=f"Article number {n} of three.")
    db.session.commit()
    response = reviewer.get("/articles?limit=2", headers={"Host": "evil.example"})
    assert response.status_code == 200
    assert response.headers["X-Total-Count"] == "3"
    assert response.headers["Link"] == '</api/v1/articles?limit=2&offset=2>; rel="next"'
    last = reviewer.get("/articles?limit=2&offset=2")
    assert "Link" not in last.headers and len(last.json) == 1
    outlets = reviewer.get("/outlets?limit=1", headers={"Host": "evil.example"})
    assert "evil.example" not in outlets.headers.get("Link", "")


def test_the_csv_export_names_its_charset_once_and_w3c_ids_ignore_the_host(researcher):
    response = researcher.get("/export/claims?format=csv")
    assert response.headers["Content-Type"].count("charset") == 1
    w3c = researcher.get("/export/claims?format=w3c", headers={"Host": "evil.example"})
    assert "evil.example" not in w3c.get_data(as_text=True)


def test_https_deployments_send_hsts(app, client):
    app.config["PARALLAX_HTTPS"] = True
    try:
        response = client.get("/login")
    finally:
        app.config["PARALLAX_HTTPS"] = False
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    assert "Strict-Transport-Security" not in client.get("/login").headers


def test_an_event_reference_of_digits_alone_never_creates_an_event(app, tmp_path):
    page = tmp_path / "a.txt"
    page.write_text("Title\n\nSome text of an article about the port.", encoding="utf-8")
    before = db.session.scalar(select(func.count(Event.id)))
    result = app.test_cli_runner().invoke(
        args=["import", str(page), "--outlet", "Wire", "--event", "2147483648"]
    )
    assert result.exit_code != 0 and "No event 2147483648" in result.output
    assert db.session.scalar(select(func.count(Event.id))) == before
    assert not db.session.scalar(select(Event).where(Event.title == "2147483648"))
