"""The one date parser: every importer, the seeds, the API and the HTML metadata use it."""

from __future__ import annotations

import re
from datetime import date, datetime

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: str) -> date | None:
    """A date in one of the shapes news sites and data files print, or None.

    ISO dates may carry a time ("2016-09-09T10:00:00Z"): the day is kept.
    """
    value = value.strip()
    if not value:
        return None
    if _ISO_DATE.match(value) and (len(value) == 10 or value[10] in "T "):
        value = value[:10]  # the common case, at a fraction of strptime's cost
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    value = re.sub(r"\s+", " ", value.rstrip(".")).replace(".", "")
    if not value:
        return None
    value = re.sub(r"^\w{3,9}, ", "", value) if not value[0].isdigit() else value
    for fmt in (
        "%B %d, %Y",
        "%B %d %Y",
        "%b %d, %Y",
        "%b %d %Y",
        "%d %B %Y",
        "%d %b %Y",
        "%Y-%m-%d",
        "%m/%d/%Y",
    ):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    if value.lower().startswith("sept"):
        return parse_date("Sep" + value[4:])
    return None
