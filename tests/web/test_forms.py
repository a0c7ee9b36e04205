"""The export page and adding articles from the browser's forms."""

import io

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Article
from tests.factories import csrf_token, login, make_event, make_outlet, make_user

PARA = (
    "The port authority said on Tuesday that dock workers had accepted the offer after "
    "three weeks of talks, and that ships would be unloaded again from Wednesday morning."
)


@pytest.fixture(autouse=True)
def outlet(app):
    """The outlet articles are added to: reviewers add to outlets an admin made."""
    return make_outlet("Daily Lantern")


def articles() -> int:
    return db.session.scalar(select(func.count(Article.id)))


def add_article(client, **fields):
    """Post the Add article form with its CSRF token; a `file` field makes it multipart."""
    data = {"csrf_token": csrf_token(client, "/articles/new"), "stance": "neutral", **fields}
    if "file" in fields:
        return client.post("/articles/new", data=data, content_type="multipart/form-data")
    return client.post("/articles/new", data=data)


def test_export_page_lists_filters_and_formats(client, claim_set):
    login(client, make_user("researcher"))
    page = client.get("/export").get_data(as_text=True)
    for expected in [
        "Departure 2016",
        "Daily Lantern",
        "omid",
        "W3C Web Annotation",
        "/api/v1/export/claims",
        "js/export.js",
    ]:
        assert expected in page


def test_pasted_text_is_stored_exactly_unless_the_clean_box_is_ticked(client):
    login(client, make_user("reviewer"))
    pasted = f"  {PARA} \r\n\r\n\r\n\r\nFacebookTwitterEmail\n\nLeave a Reply\n"
    response = add_article(client, outlet="Daily Lantern", title="As pasted", text=pasted)
    assert response.status_code == 302
    article = db.session.scalar(select(Article))
    assert article.text == pasted.replace("\r\n", "\n")  # trailing spaces, blank lines kept


def test_the_cleaning_preview_strikes_out_what_cleaning_removes_and_stores_nothing(client):
    login(client, make_user("reviewer"))
    pasted = f"Home | World | Sport\n\n{PARA}\n\nFacebookTwitterEmail\n\nLeave a Reply\n\nNice!"
    response = add_article(
        client, outlet="Daily Lantern", title="T", text=pasted, clean="y", preview="Preview"
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<del>Leave a Reply</del>" in page and "<del>Nice!</del>" in page
    assert f"<li>{PARA}</li>" in page
    assert articles() == 0


def test_pasting_an_article_to_clean_cleans_it_and_opens_it(client):
    login(client, make_user("reviewer"))
    event = make_event("Harbour strike")
    response = add_article(
        client,
        outlet="Daily Lantern",
        title="Strike ends",
        events=[str(event.id)],
        text=f"{PARA}\n\nFacebookTwitterEmail\n\nLeave a Reply\n\nNice post!",
        clean="y",
    )
    assert response.status_code == 302 and "/articles/" in response.headers["Location"]
    article = db.session.scalar(select(Article))
    assert article.text == PARA and [e.title for e in article.events] == ["Harbour strike"]
    again = add_article(client, outlet="Daily Lantern", title="Strike ends", text=PARA)
    assert again.headers["Location"].endswith(f"/articles/{article.id}")  # the duplicate
    assert articles() == 1


def test_uploading_a_file_imports_it(client):
    login(client, make_user("reviewer"))
    page = f"<html><head><title>Strike ends</title></head><body><p>{PARA}</p></body></html>"
    response = add_article(
        client, outlet="Daily Lantern", file=(io.BytesIO(page.encode()), "strike.html")
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Article.title)) == "Strike ends"


def test_a_bad_upload_says_why_and_changes_nothing(client):
    login(client, make_user("reviewer"))
    response = add_article(
        client, outlet="Daily Lantern", file=(io.BytesIO(b"\x00\x01\x02"), "photo.txt")
    )
    assert response.status_code == 422
    assert "binary file, not text" in response.get_data(as_text=True)
    assert articles() == 0


def test_an_upload_over_the_limit_is_413(client):
    login(client, make_user("reviewer"))
    boundary = "parallax-test"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n'
    )
    body = head.encode() + b"x" * (11 * 1024 * 1024) + f"\r\n--{boundary}--\r\n".encode()
    # Raw bytes: Werkzeug's test-client multipart encoder spools a body this size to a temp
    # file that it never closes when the server (rightly) refuses to read the body.
    response = client.post(
        "/articles/new", data=body, content_type=f"multipart/form-data; boundary={boundary}"
    )
    assert response.status_code == 413
    assert "10 MB" in response.get_data(as_text=True)
    assert articles() == 0


def test_researchers_cannot_add_articles(client):
    login(client, make_user("researcher"))
    assert client.get("/articles/new").status_code == 403


def test_uploading_a_jsonl_with_bad_lines_stores_the_rest_and_names_each_failure(client):
    login(client, make_user("reviewer"))
    good = [f'{{"title": "Story {n}", "text": "{PARA} {n}."}}' for n in range(1, 6)]
    bad = [
        '{"title": "Nul", "text": "a\\u0000b"}',
        '{"title": "Surrogate", "text": "a\\ud800b"}',
        '{"title": "Big event", "text": "Fine.", "events": [18446744073709551616]}',
        "[" * 20_000 + "]" * 20_000,
    ]
    body = "\n".join(good[:2] + bad + good[2:]).encode()
    response = add_article(
        client, outlet="Daily Lantern", file=(io.BytesIO(body), "batch.jsonl"), title=""
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "5 imported, 0 duplicate, 4 failed" in page
    for line in (3, 4, 5, 6):
        assert f"batch.jsonl:{line}" in page
    assert articles() == 5


def test_a_reviewer_cannot_make_an_outlet_by_naming_one_and_nothing_is_stored(client):
    login(client, make_user("reviewer"))
    before = articles()
    response = add_article(client, outlet="A New Wire", title="T", text=PARA)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "No outlet is named" in page and "admins may" in page
    assert articles() == before


def test_a_refused_update_stores_no_revision(client):
    """The Add article page is one unit of work: a page answered 422 stored nothing, not
    even the revision an earlier record of the same upload made."""
    from app.models import ArticleRevision

    login(client, make_user("admin"))
    url = "https://lantern.example/strike"
    assert add_article(client, outlet="Daily Lantern", title="T", text=PARA, url=url).status_code
    body = (
        f'{{"outlet": "Daily Lantern", "title": "T", "url": "{url}", "text": "Revised. {PARA}"}}\n'
        '{"outlet": "Daily Lantern", "title": "Bad", "text": "x", "stance": "sideways"}\n'
    ).encode()
    response = add_article(
        client, outlet="Daily Lantern", update="y", file=(io.BytesIO(body), "two.jsonl")
    )
    assert response.status_code == 422
    assert db.session.scalar(select(func.count(ArticleRevision.id))) == 0
    assert db.session.scalar(select(Article.text).where(Article.url == url)) == PARA
