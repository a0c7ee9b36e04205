"""Importing a page again: same URL and text is a duplicate; other text is reported as
changed, or with --update becomes the article's new revision with its claims re-anchored."""

from __future__ import annotations

import io
import json

from sqlalchemy import select

from app.extensions import db
from app.models import Article, Claim
from app.services.claims.tagging import create_claim
from tests.factories import csrf_token, login, make_outlet, make_user

URL = "https://lantern.example/strike"
TEXT = (
    "The port authority said on Tuesday that dock workers accepted the offer.\n\n"
    "Ships will be unloaded again from Wednesday morning."
)
EDITED = (
    "Correction: the offer was accepted on Monday.\n\n"
    "The port authority said on Tuesday that dock workers accepted the offer.\n\n"
    "Ships will be unloaded from Thursday."
)


def write(tmp_path, name, text, url=URL):
    path = tmp_path / name
    record = {"outlet": "Daily Lantern", "title": "Strike ends", "url": url, "text": text}
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def test_a_changed_page_is_reported_then_updated_with_its_claims(runner, tmp_path):
    assert runner.invoke(args=["import", str(write(tmp_path, "a.jsonl", TEXT))]).exit_code == 0
    article = db.session.scalar(select(Article).where(Article.url == URL))
    reviewer = make_user("reviewer", "rana")
    quote = "dock workers accepted the offer"
    start = TEXT.index(quote)
    claim = create_claim(
        article, reviewer, start=start, end=start + len(quote), quote=quote, label="supporting"
    )
    gone = create_claim(
        article,
        reviewer,
        start=TEXT.index("again"),
        end=TEXT.index("again") + 5,
        quote="again",
        label="contested",
    )
    db.session.commit()
    claim_id, gone_id = claim.id, gone.id

    same = runner.invoke(args=["import", str(write(tmp_path, "same.jsonl", TEXT))])
    assert same.exit_code == 0 and "1 duplicate" in same.stdout

    edited = write(tmp_path, "b.jsonl", EDITED)
    result = runner.invoke(args=["import", str(edited)])
    assert result.exit_code == 0, result.output
    assert "0 imported, 1 changed (not updated)" in result.stdout
    assert f"changed    {edited}:1: article {article.id} has this URL" in result.stderr
    db.session.expire_all()
    assert db.session.get(Article, article.id).text == TEXT

    result = runner.invoke(args=["import", "--update", str(edited)])
    assert result.exit_code == 0, result.output
    assert "0 imported, 1 updated" in result.stdout
    assert f"article {article.id} revision 2" in result.stderr
    assert "1 orphaned" in result.stderr
    db.session.expire_all()
    stored = db.session.get(Article, article.id)
    assert (stored.text, stored.revision) == (EDITED, 2)
    assert db.session.scalar(select(Article.id).where(Article.id != article.id)) is None
    moved = db.session.get(Claim, claim_id)
    assert EDITED[moved.start : moved.end] == quote and moved.anchor is None
    assert db.session.get(Claim, gone_id).anchor == "orphan"


def test_the_add_article_page_updates_only_when_asked(client, tmp_path):
    """A curator may revise articles; a reviewer adds them but is told an update is not
    theirs to make."""
    make_outlet("Daily Lantern")
    login(client, make_user("curator"))

    def upload(text, **extra):
        data = {
            "csrf_token": csrf_token(client, "/articles/new"),
            "outlet": "Daily Lantern",
            "stance": "unknown",
            "file": (
                io.BytesIO(json.dumps({"title": "Strike", "url": URL, "text": text}).encode()),
                "page.jsonl",
            ),
            **extra,
        }
        return client.post("/articles/new", data=data, content_type="multipart/form-data")

    assert upload(TEXT).status_code == 302
    refused = upload(EDITED)
    assert refused.status_code == 422
    assert "is stored at this source URL with other text than" in refused.get_data(as_text=True)
    updated = upload(EDITED, update="y")
    assert updated.status_code == 302
    article = db.session.scalar(select(Article).where(Article.url == URL))
    assert updated.headers["Location"].endswith(f"/articles/{article.id}")
    assert (article.text, article.revision) == (EDITED, 2)
