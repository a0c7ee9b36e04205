"""The quantities a passage states, to flag outlets whose numbers disagree.

"24 killed" and "dozens", or "five missile attacks" and "at least eight times", state
different quantities. Years and the day in a date are not quantities and are left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "thousand": 1000,
    "dozen": 12,
}
VAGUE = {"dozens", "hundreds", "thousands", "scores", "several", "many", "numerous", "few"}
MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|"
    "december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_DATE_DAY = re.compile(
    rf"\b(?:{MONTHS})\.?\s+\d{{1,2}}\b|\b\d{{1,2}}\s+(?:{MONTHS})\b", re.IGNORECASE
)
_DIGITS = re.compile(r"(?<![\w.,])\d{1,3}(?:,\d{3})+(?![\d,])|(?<![\w.])\d+(?:\.\d+)?")
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
_YEAR = re.compile(r"^(1[89]|20)\d\d$")
_SLASH_DATE = re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b")


def quantities(passage: str) -> frozenset[str]:
    """Numbers and vague quantifiers in the passage, as comparable tokens ("24", "dozens")."""
    text = _SLASH_DATE.sub(" ", _DATE_DAY.sub(" ", passage))
    found: set[str] = set()
    for match in _DIGITS.finditer(text):
        token = match.group().replace(",", "")
        if "," not in match.group() and _YEAR.match(token):
            continue  # a year ("2016"), unlike a count written "2,000"
        found.add(str(float(token)).removesuffix(".0"))
    for word in _WORD.findall(text.lower()):
        for part in word.split("-"):
            if part in WORDS:
                found.add(str(WORDS[part]))
            elif part in VAGUE:
                found.add(part)
    return frozenset(found)


def numbers_disagree(passages: Iterable[str]) -> bool:
    """True when two passages that both state quantities share none of them."""
    sets = [q for q in (quantities(p) for p in passages) if q]
    return any(a.isdisjoint(b) for i, a in enumerate(sets) for b in sets[i + 1 :])
