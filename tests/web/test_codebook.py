"""The codebook: admins write each label's meaning in Markdown; everyone reads it sanitized,
beside the article, in the API and with exports."""

from __future__ import annotations

import json

from app.extensions import db
from tests.api.conftest import api_as
from tests.factories import csrf_token, login, make_article, make_outlet, make_user

XSS = '<script>alert("x")</script> [bad](javascript:alert(1))'


def test_admins_write_it_and_everyone_reads_it_sanitized(client, runner, tmp_path):
    admin = api_as(client, "admin", "ada")
    researcher = api_as(client, "researcher", "ines")
    written = admin.put(
        "/codebook/supporting",
        json={
            "definition": f"A **named** source backs it.\n\nMore. {XSS}",
            "examples": "- A minister said",
        },
    )
    assert written.status_code == 200, written.get_json()
    assert researcher.put("/codebook/supporting", json={"definition": "x"}).status_code == 403
    assert admin.put("/codebook/maybe", json={"definition": "x"}).status_code == 422
    book = researcher.get("/codebook").get_json()
    assert [e["label"] for e in book] == ["supporting", "contested", "unsourced"]
    html = book[0]["definition_html"]
    assert "<strong>named</strong>" in html
    assert "<script>" not in html and 'href="javascript' not in html
    assert book[1]["definition"] == "Another source or outlet disputes it."  # SPEC's, until written

    article = make_article(make_outlet("Book Post"), text="Some text here.")
    db.session.commit()
    login(client, make_user("reviewer", "rana"))
    page = client.get(f"/articles/{article.id}").get_data(as_text=True)
    assert 'id="codebook"' in page and "<strong>named</strong>" in page
    assert 'title="A named source backs it."' in page  # the label button's tooltip
    assert "&lt;script&gt;" in page and "<script>alert" not in page
    assert "supporting" in json.loads(
        page.split("data-definitions='")[1].split("'")[0].replace("&#34;", '"')
    )
    download = client.get("/export/codebook.json")
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.get_json()[0]["examples"] == "- A minister said"

    out = tmp_path / "claims.jsonl"
    result = runner.invoke(args=["export", "--format", "jsonl", "-o", str(out), "--with-codebook"])
    assert result.exit_code == 0, result.output
    written_book = json.loads((tmp_path / "claims.jsonl.codebook.json").read_text())
    assert written_book[0]["label"] == "supporting"


def test_the_admin_page_saves_every_label(client):
    login(client, make_user("admin", "ada"))
    token = csrf_token(client, "/admin/codebook")
    response = client.post(
        "/admin/codebook",
        data={
            "csrf_token": token,
            "definition-supporting": "Backed.",
            "definition-contested": "Disputed by another source.",
            "examples-contested": "",
            "definition-unsourced": "No source.",
        },
    )
    assert response.status_code == 303
    page = client.get("/codebook").get_data(as_text=True)
    assert "Disputed by another source." in page and "No source." in page
    other = client.application.test_client()
    login(other, make_user("reviewer", "rana"))
    assert other.get("/admin/codebook").status_code == 403


def test_a_fresh_codebook_says_what_the_default_labels_mean_and_exports_plain_line_ends(
    client,
):
    admin = make_user("admin", "ada")
    login(client, admin)
    page = client.get("/codebook").get_data(as_text=True)
    assert "attributed to a named source" in page  # SPEC's definition, before anyone writes
    assert 'aria-current="page">Export' not in page  # the codebook is not the export page
    client.post(
        "/admin/codebook",
        data={
            "csrf_token": csrf_token(client, "/admin/codebook"),
            "definition-contested": "One line.\r\nAnother line.",
        },
    )
    body = client.get("/export/codebook.json").get_data(as_text=True)
    assert "\\r" not in body and "One line.\\nAnother line." in body
