"""The domain model, one module per aggregate. Imported here so Alembic sees every table."""

from sqlalchemy.orm import column_property

from app.models.article import Article, ArticleRevision, article_events
from app.models.assignment import Assignment
from app.models.claim import Assessment, Claim, Proposition
from app.models.codebook import LabelDefinition
from app.models.event import Actor, ActorAlias, Event, article_overlap
from app.models.figures import EventFigure
from app.models.history import History
from app.models.outlet import Outlet, OutletAlias
from app.models.search import SEARCH_TABLE
from app.models.user import ApiToken, Login, User, hash_token

__all__ = [
    "Actor",
    "ActorAlias",
    "ApiToken",
    "Article",
    "ArticleRevision",
    "Assignment",
    "Assessment",
    "Claim",
    "Event",
    "EventFigure",
    "History",
    "LabelDefinition",
    "Login",
    "Outlet",
    "OutletAlias",
    "Proposition",
    "SEARCH_TABLE",
    "User",
    "article_events",
    "article_overlap",
    "hash_token",
]

# k, each article's: how many assessments its claims need before a final label (SPEC §2).
# Read only when asked for (`undefer(Article.overlap)` where many articles are read).
Article.overlap = column_property(article_overlap(Article.id), deferred=True)

# Ids leave the app (page addresses, exports, W3C annotation ids): a deleted row's id must
# never name a new row. PostgreSQL's sequences never go back; SQLite needs AUTOINCREMENT.
from app.extensions import db  # noqa: E402

for _table in db.metadata.tables.values():
    if len(_table.primary_key.columns) == 1:
        _table.dialect_kwargs["sqlite_autoincrement"] = True
