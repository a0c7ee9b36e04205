"""Inputs an attacker or a broken script sends: each gets a 4xx with a message naming what
is wrong, and changes nothing, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import io
from urllib.parse import unquote

import pytest

from tests.api.conftest import TEXT, snapshot, span
from tests.factories import login, make_user

BIG_IDS = [2**31, 2**63, 10**30]


def _message(response) -> str:
    body = response.get_json()
    assert body is not None, response.get_data(as_text=True)[:200]
    assert body["error"] and body["message"], body
    return body["message"]


@pytest.mark.parametrize("ident", BIG_IDS)
@pytest.mark.parametrize(
    "path",
    [
        "/claims/{}",
        "/claims/{}/suggestions",
        "/articles/{}",
        "/outlets/{}",
        "/events/{}",
        "/events/{}/comparison",
        "/events/{}/actors",
    ],
)
def test_ids_past_the_column_range_in_a_path_are_404(researcher, path, ident):
    response = researcher.get(path.format(ident))
    assert response.status_code == 404
    _message(response)


@pytest.mark.parametrize("ident", BIG_IDS)
def test_ids_past_the_column_range_on_pages_are_404(client, ident):
    login(client, make_user("admin", "ada"))
    for path in ("/articles/{}", "/events/{}", "/events/{}/compare", "/outlets/{}"):
        assert client.get(path.format(ident)).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "/articles?event=2147483648",
        "/articles?outlet=9223372036854775808",
        "/articles?limit=-1",
        "/articles?limit=0",
        "/articles?offset=100000000000000000000",
        "/articles?offset=-1",
        "/export/claims?event=2147483648",
        "/export/count?article=9223372036854775808",
        "/export/count?outlet=-5",
    ],
)
def test_filters_and_pages_out_of_range_are_422_naming_the_parameter(researcher, query):
    response = researcher.get(query)
    assert response.status_code == 422
    name = query.split("?")[1].split("=")[0]
    assert name in _message(response)


def test_comparison_article_choice_out_of_range_is_422(researcher, article):
    event_id = article.events[0].id
    response = researcher.get(f"/events/{event_id}/comparison?articles=99999999999999999999")
    assert response.status_code == 422
    assert "articles" in _message(response)


@pytest.mark.parametrize("bad", ["a\x00b", "a\ud800b", "\udfff"])
@pytest.mark.parametrize(
    "path, field, body",
    [
        ("/outlets", "name", {}),
        ("/outlets", "description", {"name": "Ok"}),
        ("/events", "title", {}),
        ("/events", "summary", {"title": "Ok"}),
        ("/articles", "text", {"outlet": "Ok", "title": "Ok"}),
        ("/articles", "title", {"outlet": "Ok", "text": "Fine text."}),
        ("/articles", "outlet", {"title": "Ok", "text": "Fine text."}),
        ("/articles", "author", {"outlet": "Ok", "title": "Ok", "text": "Fine text."}),
    ],
)
def test_nul_and_lone_surrogates_in_body_text_are_422_naming_the_field(
    admin, path, field, body, bad
):
    before = snapshot()
    response = admin.post(path, json={**body, field: bad})
    assert response.status_code == 422
    assert field in _message(response)
    assert snapshot() == before


@pytest.mark.parametrize("bad", ["a\x00b", "\ud800"])
def test_nul_and_surrogates_in_claim_fields_are_422(admin, article, bad):
    before = snapshot()
    for field in ("quote", "label", "note", "evidence_url"):
        body = {**span(TEXT, "Albania"), field: bad}
        response = admin.post(f"/articles/{article.id}/claims", json=body)
        assert response.status_code == 422, (field, response.get_json())
        assert field in _message(response)
    assert snapshot() == before


def test_nul_in_a_query_string_is_422_naming_the_parameter(researcher):
    for query in ("/export/claims?reviewer=a%00b", "/export/count?label=%00", "/outlets?x=%00"):
        response = researcher.get(query)
        assert response.status_code == 422
        assert unquote(query.split("?")[1].split("=")[0]) in _message(response)


def test_nul_in_a_login_form_is_refused_not_looked_up(client):
    response = client.post("/login", data={"username": "a\x00", "password": "x"})
    assert response.status_code == 422
    assert b"username" in response.data


@pytest.mark.parametrize(
    "path, field, limit, body",
    [
        ("/outlets", "name", 200, {}),
        ("/outlets", "homepage_url", 2000, {"name": "Ok"}),
        ("/events", "title", 300, {}),
        ("/articles", "author", 300, {"outlet": "Ok", "title": "Ok", "text": "Fine text."}),
        ("/articles", "url", 2000, {"outlet": "Ok", "title": "Ok", "text": "Fine text."}),
        ("/articles", "outlet", 200, {"title": "Ok", "text": "Fine text."}),
    ],
)
def test_strings_longer_than_their_column_are_422_with_the_limit(admin, path, field, limit, body):
    before = snapshot()
    value = "https://example.org/" + "a" * limit if field.endswith("url") else "a" * (limit + 1)
    response = admin.post(path, json={**body, field: value})
    assert response.status_code == 422
    message = _message(response)
    assert field in message and str(limit) in message
    assert snapshot() == before


@pytest.mark.parametrize(
    "field, value",
    [("proposition", 2**31), ("start", 2**31), ("end", 2**40), ("proposition", 0)],
)
def test_body_ids_and_offsets_past_the_column_range_are_422(admin, article, field, value):
    response = admin.post(
        f"/articles/{article.id}/claims", json={**span(TEXT, "Albania"), field: value}
    )
    assert response.status_code == 422
    assert field in _message(response)


def test_body_ids_in_lists_and_references_are_range_checked(admin):
    base = {"title": "Ok", "text": "Fine text."}
    for body, field in (
        ({**base, "outlet": 2**64}, "outlet"),
        ({**base, "outlet": "Ok", "events": [2**40]}, "events"),
    ):
        response = admin.post("/articles", json=body)
        assert response.status_code == 422
        assert field in _message(response)
    response = admin.post("/events", json={"title": "E"})
    event_id = response.get_json()["id"]
    response = admin.post(
        f"/events/{event_id}/propositions", json={"statement": "S", "claims": [2**33]}
    )
    assert response.status_code == 422


def test_deeply_nested_json_is_refused(admin):
    for body in ("[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000):
        response = admin.post("/outlets", data=body, content_type="application/json")
        assert response.status_code in (400, 422)
        assert "nested" in _message(response)


def test_a_chunked_body_over_the_limit_is_413_like_a_declared_one(admin):
    body = b'{"name": "' + b"a" * (11 * 1024 * 1024) + b'"}'
    before = snapshot()
    response = admin.post(
        "/outlets",
        input_stream=io.BytesIO(body),
        headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 413
    assert "10 MB" in _message(response)
    small = admin.post(
        "/outlets",
        input_stream=io.BytesIO(b'{"name": "Chunked Daily"}'),
        headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert small.status_code == 201, small.get_json()
    assert snapshot()["Outlet"] == before["Outlet"] + 1


@pytest.mark.parametrize("reviewer", ["中", "مریم", 'a"b;c', "x\\y"])
def test_export_download_names_keep_any_reviewer_name(researcher, reviewer):
    make_user("reviewer", reviewer)
    response = researcher.get(
        "/export/claims", query_string={"reviewer": reviewer, "format": "csv"}
    )
    assert response.status_code == 200
    response.get_data()
    header = response.headers["Content-Disposition"]
    header.encode("latin-1")  # what a WSGI server must be able to send
    assert header.startswith('attachment; filename="parallax-claims')
    ascii_part = header.split('filename="')[1].split('"')[0]
    assert all(ch.isalnum() or ch in "._-" for ch in ascii_part)
    if reviewer.isascii():
        return
    encoded = header.split("filename*=UTF-8''")[1]
    assert reviewer in unquote(encoded)
