import pytest
from sqlalchemy import func, select

from app.errors import DuplicateArticle, InvalidInput, UnknownStance
from app.extensions import db
from app.models import Article
from app.services.corpus.articles import create_article
from tests.factories import make_article, make_outlet


def count_articles() -> int:
    return db.session.scalar(select(func.count(Article.id)))


def test_article_text_is_stored_as_submitted_but_for_nfc_line_ends_and_a_bom(app):
    article = make_article(text="\ufeffCafe\u0301\r\nline two\n\n\n\nend  ")
    assert article.text == "Caf\u00e9\nline two\n\n\n\nend  "


def test_duplicate_text_for_the_same_outlet_is_refused_with_the_existing_id(app):
    outlet = make_outlet()
    first = make_article(outlet, text="The last 280 residents left.")
    with pytest.raises(DuplicateArticle) as excinfo:
        # Differs only in line ends and trailing space: the same normalized text.
        make_article(outlet, text="The last 280 residents left.\r\n  ")
    assert excinfo.value.existing_id == first.id
    assert count_articles() == 1


def test_unknown_stance_is_refused_and_nothing_is_stored(app):
    with pytest.raises(UnknownStance, match="expected one of favourable"):
        create_article(make_outlet(), {"title": "T", "text": "Body.", "stance": "sympathetic"})
    assert count_articles() == 0


@pytest.mark.parametrize(("title", "text"), [("", "Body."), ("Title", "  \n\n ")])
def test_article_needs_a_title_and_text(app, title, text):
    with pytest.raises(InvalidInput):
        create_article(make_outlet(), {"title": title, "text": text})
    assert count_articles() == 0
