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
REVISION_NOTE = 300
TOKEN_NAME = 100

# Integer columns are 32-bit on PostgreSQL: ids, offsets and versions beyond this are refused
# at the edge (404 in a path, 422 in a body or filter) instead of reaching the database.
MAX_ID = 2**31 - 1
MAX_INT = 2**31 - 1


def parse_id(value: str | None) -> int | None:
    """A query-string or command-line id ("3"), or None when it is not one the columns hold
    (ASCII digits only, and no more of them than 2147483647 has)."""
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > 10:
        return None
    number = int(value)
    return number if 1 <= number <= MAX_ID else None
