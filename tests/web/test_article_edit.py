"""An article's fields and text are edited in the app: a new text is a revision with its
reason, the claims follow it, and a stale form is refused."""

from __future__ import annotations

from app.extensions import db
from app.models import Article, ArticleRevision, Claim
from app.services.claims.tagging import create_claim
from tests.factories import csrf_token, login, make_article, make_outlet, make_user

TEXT = "The port reopened on Tuesday. Workers accepted the offer after weeks of talks."


def _form(client, article, **changes):
    data = {
        "csrf_token": csrf_token(client, f"/articles/{article.id}/edit"),
        "title": article.title,
        "stance": article.stance,
        "url": "",
        "author": "",
        "published": "",
        "text": article.text,
        "note": "",
        "revision": str(article.revision),
    }
    return client.post(f"/articles/{article.id}/edit", data={**data, **changes})


def test_a_curator_edits_fields_and_revises_the_text_with_a_reason(client):
    article = make_article(make_outlet("Edit Post"), text=TEXT, title="Port")
    reviewer = make_user("reviewer", "rana")
    quote = "Workers accepted the offer"
    start = TEXT.index(quote)
    claim = create_claim(
        article, reviewer, start=start, end=start + len(quote), quote=quote, label="supporting"
    )
    admin = make_user("admin", "ada")
    db.session.commit()
    login(client, admin)
    assert "Edit the article" in client.get(f"/articles/{article.id}/edit").get_data(as_text=True)

    new_text = "Update: " + TEXT.replace("Tuesday", "Wednesday")
    response = _form(
        client,
        article,
        title="Port reopens",
        stance="neutral",
        published="2016-09-09",
        text=new_text,
        note="the outlet corrected the day",
    )
    assert response.status_code == 303
    db.session.expire_all()
    stored = db.session.get(Article, article.id)
    assert (stored.title, stored.stance, str(stored.published)) == (
        "Port reopens",
        "neutral",
        "2016-09-09",
    )
    assert stored.text == new_text and stored.revision == 2
    revision = db.session.query(ArticleRevision).filter_by(article_id=article.id).all()
    assert "the outlet corrected the day" in [r.note for r in revision]
    moved = db.session.get(Claim, claim.id)
    assert new_text[moved.start : moved.end] == quote  # the claim followed its words

    stale = _form(client, stored, revision="1", title="Late")
    assert stale.status_code in (409, 422)
    db.session.expire_all()
    assert db.session.get(Article, article.id).title == "Port reopens"


def test_reviewers_may_not_edit_articles(client):
    article = make_article(make_outlet("Edit Post"), text=TEXT, title="Port")
    db.session.commit()
    login(client, make_user("reviewer", "rana"))
    assert client.get(f"/articles/{article.id}/edit").status_code == 403
