"""Offsets are Unicode code points: exact for astral characters, joiners, marks and RTL."""

import pytest

from tests.api.conftest import snapshot
from tests.factories import make_article, make_outlet

TEXT = (
    "Residents 🇦🇱 cheered 👨‍👩‍👧 as the buses left. "
    "The sign read 𝐋𝐢𝐛𝐞𝐫𝐭𝐲 in bold. "
    "Cafe\u0301 owners (decomposed) and café owners (composed) watched. "
    "گروه گفت که ساکنان کمپ لیبرتی به آلبانی رفتند. "
    "End."
)


@pytest.fixture
def unicode_article(app):
    return make_article(make_outlet("Unicode Times"), text=TEXT)


@pytest.mark.parametrize(
    "quote",
    [
        "cheered",
        "🇦🇱",
        "👨‍👩‍👧",
        "𝐋𝐢𝐛𝐞𝐫𝐭𝐲",
        "café owners (composed)",
        "ساکنان کمپ لیبرتی",
        "as the buses left",
    ],
)
def test_code_point_offsets_round_trip(reviewer, unicode_article, quote):
    text = unicode_article.text  # normalized: the decomposed é is now composed
    start = text.index(quote)
    end = start + len(quote)
    response = reviewer.post(
        f"/articles/{unicode_article.id}/claims",
        {"start": start, "end": end, "quote": quote, "label": "unsourced"},
    )
    assert response.status_code == 201, response.json
    assert response.json["quote"] == text[start:end] == quote
    assert (response.json["start"], response.json["end"]) == (start, end)


def test_utf16_offsets_are_refused(reviewer, unicode_article):
    text = unicode_article.text
    quote = "as the buses left"
    start = text.index(quote)
    utf16_start = len(text[:start].encode("utf-16-le")) // 2
    assert utf16_start != start  # the flag and the family are astral: they differ
    before = snapshot()
    response = reviewer.post(
        f"/articles/{unicode_article.id}/claims",
        {
            "start": utf16_start,
            "end": utf16_start + len(quote),
            "quote": quote,
            "label": "unsourced",
        },
    )
    assert response.status_code == 422 and response.json["error"] == "invalid_span"
    assert snapshot() == before


def test_byte_offsets_are_refused(reviewer, unicode_article):
    text = unicode_article.text
    quote = "ساکنان"
    start = text.index(quote)
    byte_start = len(text[:start].encode("utf-8"))
    response = reviewer.post(
        f"/articles/{unicode_article.id}/claims",
        {"start": byte_start, "end": byte_start + len(quote), "quote": quote, "label": "unsourced"},
    )
    assert response.status_code == 422
