"""The length limits of the text columns, in characters. Columns are declared with them, and
every validator (API schemas, forms, importers, seeds) checks against them, so what SQLite
would store PostgreSQL stores too."""

OUTLET_NAME = 200
OUTLET_COUNTRY = 100
OUTLET_LEAN = 200
EVENT_TITLE = 300
ARTICLE_TITLE = 500
AUTHOR = 300
URL = 2000
STANCE = 50
LABEL = 50
ACTOR_NAME = 200
USERNAME = 80
