"""The domain model, one module per aggregate. Imported here so Alembic sees every table."""

from app.models.article import Article, article_events
from app.models.claim import NO_FINAL_LABEL, Assessment, Claim, Proposition
from app.models.event import Actor, ActorAlias, Event
from app.models.outlet import Outlet
from app.models.user import ApiToken, User, hash_token

__all__ = [
    "NO_FINAL_LABEL",
    "Actor",
    "ActorAlias",
    "ApiToken",
    "Article",
    "Assessment",
    "Claim",
    "Event",
    "Outlet",
    "Proposition",
    "User",
    "article_events",
    "hash_token",
]
