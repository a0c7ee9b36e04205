"""Each database constraint must reject the bad row on its own, without the services' help."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import Article, Assessment, Claim, Event, Outlet, User
from tests.factories import make_article, make_outlet, make_user


def insert_fails(row) -> None:
    db.session.add(row)
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def a_claim(article: Article, start: int = 0, end: int = 4) -> Claim:
    claim = Claim(article=article, start=start, end=end, quote=article.text[start:end])
    db.session.add(claim)
    return claim


def test_same_outlet_cannot_hold_the_same_text_twice(app):
    article = make_article(text="Same words.")
    insert_fails(
        Article(
            outlet_id=article.outlet_id,
            title="Copy",
            text="Same words.",
            content_hash=article.content_hash,
            stance="neutral",
        )
    )


def test_another_outlet_may_hold_the_same_text(app):
    article = make_article(text="Same words.")
    other = make_outlet()
    db.session.add(
        Article(
            outlet=other,
            title="Copy",
            text="Same words.",
            content_hash=article.content_hash,
            stance="neutral",
        )
    )
    db.session.commit()
    assert db.session.scalar(select(func.count(Article.id))) == 2


@pytest.mark.parametrize(("start", "end"), [(-1, 3), (5, 5), (6, 2)])
def test_claim_span_must_have_0_le_start_lt_end(app, start, end):
    article = make_article(text="Camp Liberty residents left.")
    insert_fails(Claim(article=article, start=start, end=end, quote="x"))


def test_one_assessment_per_claim_and_reviewer(app):
    reviewer = make_user()
    claim = a_claim(make_article())
    db.session.add(Assessment(claim=claim, reviewer=reviewer, label="supporting"))
    db.session.commit()
    insert_fails(Assessment(claim_id=claim.id, reviewer_id=reviewer.id, label="contested"))


def test_role_must_be_known(app):
    """Roles are the capability table's, checked where a role is set (not by the database,
    so that adding one is a change to the table alone)."""
    from app.errors import UnknownRole
    from app.services.accounts import create_user, set_role

    with pytest.raises(UnknownRole, match="superuser"):
        create_user("mallory", "superuser", "a long password")
    admin = create_user("ada", "admin", "a long password")
    user = create_user("omid", "reviewer", "a long password")
    with pytest.raises(UnknownRole):
        set_role(admin, user, "superuser")
    assert user.role == "reviewer"


def test_event_cannot_end_before_it_starts(app):
    from datetime import date

    insert_fails(Event(title="Backwards", start_date=date(2016, 9, 9), end_date=date(2016, 1, 1)))


def test_claim_must_point_to_an_existing_article(app):
    insert_fails(Claim(article_id=999_999, start=0, end=1, quote="x"))


def test_outlet_with_articles_cannot_be_deleted(app):
    article = make_article()
    with pytest.raises(IntegrityError):
        db.session.execute(Outlet.__table__.delete().where(Outlet.id == article.outlet_id))
        db.session.flush()
    db.session.rollback()


def test_deleting_an_article_removes_its_claims_and_assessments(app):
    reviewer = make_user()
    article = make_article()
    claim = a_claim(article)
    db.session.add(Assessment(claim=claim, reviewer=reviewer, label="supporting"))
    db.session.commit()
    # A plain SQL DELETE: the database's ON DELETE CASCADE must do the work, not the ORM.
    db.session.execute(Article.__table__.delete().where(Article.id == article.id))
    db.session.commit()
    assert db.session.scalar(select(func.count(Claim.id))) == 0
    assert db.session.scalar(select(func.count(Assessment.id))) == 0


def test_deleting_a_claims_author_keeps_the_claim(app):
    author = make_user()
    claim = a_claim(make_article())
    claim.author = author
    db.session.commit()
    db.session.execute(User.__table__.delete().where(User.id == author.id))
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Claim, claim.id).author_id is None
