"""A corpus with span annotations comes in one step: claims with their article, offsets into
the record's own text, carried exactly through the normalization the stored text gets."""

from __future__ import annotations

import json
import random
import unicodedata

import pytest

from app.cli.corpus import import_articles
from app.extensions import db
from app.models import Article, User
from app.services.exchange.importing import Defaults
from app.text.normalize import exact_text
from app.text.offsets import OffsetMap
from tests.factories import make_outlet

# A BOM, Windows line ends, decomposed accents (NFD), trailing spaces, RTL and an emoji.
SUBMITTED = (
    "\ufeffThe mayor of Montre\u0301al said on Monday the plan will pass. \r\n\r\n"
    "Critics in Que\u0301bec called it \u201ca gift\u201d.  \r\n"
    "شهردار گفت که طرح تصویب می‌شود 👩‍👩‍👧. The end."
)


def span(text: str, quote: str, **extra) -> dict:
    start = text.index(quote)
    return {"start": start, "end": start + len(quote), "quote": quote, **extra}


def test_every_span_lands_at_its_offsets_through_bom_line_ends_and_nfc(admin):
    quotes = [
        "Montre\u0301al said on Monday",
        "the plan will pass. \r\n\r\nCritics",
        "Que\u0301bec called it \u201ca gift\u201d",
        "طرح تصویب می‌شود 👩‍👩‍👧",
        "The end.",
    ]
    claims = [span(SUBMITTED, q, label="supporting") for q in quotes]
    response = admin.post(
        "/articles", {"outlet": "Corpus", "title": "NFD", "text": SUBMITTED, "claims": claims}
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["refused_claims"] == []
    stored = body["text"]
    assert stored == exact_text(SUBMITTED)
    got = sorted((c["start"], c["quote"]) for c in body["claims"])
    want = sorted(
        (stored.index(exact_text(q)), unicodedata.normalize("NFC", q.replace("\r\n", "\n")))
        for q in quotes
    )
    assert got == want
    for claim in body["claims"]:
        assert stored[claim["start"] : claim["end"]] == claim["quote"]


def test_a_bad_claim_is_refused_with_its_index_and_the_rest_are_stored(reviewer):
    make_outlet("Corpus")
    claims = [
        span(SUBMITTED, "The end.", label="supporting"),
        {**span(SUBMITTED, "The end."), "quote": "Not the text", "label": "supporting"},
        {
            **span(SUBMITTED, "Montre\u0301al"),
            "start": SUBMITTED.index("e\u0301") + 1,
            "quote": None,
            "label": "contested",
        },
        span(SUBMITTED, "Critics", label="maybe"),
        span(SUBMITTED, "Critics", label="contested", reviewer="someone-else"),
        {"start": 5, "end": 10_000, "label": "supporting"},
    ]
    claims[2].pop("quote")
    response = reviewer.post(
        "/articles", {"outlet": "Corpus", "title": "Mixed", "text": SUBMITTED, "claims": claims}
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    refused = {r["index"]: r["reason"] for r in body["refused_claims"]}
    assert sorted(refused) == [1, 2, 3, 4, 5]
    assert "does not equal" in refused[1]
    assert "inside a character" in refused[2]
    assert "maybe" in refused[3]
    assert "admin" in refused[4]
    assert "does not fit" in refused[5]
    assert [c["quote"] for c in body["claims"]] == ["The end."]


def test_an_admin_imports_claims_in_each_coders_name(admin):
    claims = [
        span(SUBMITTED, "The end.", label="supporting", reviewer="coder-1"),
        span(SUBMITTED, "The end.", label="contested", reviewer="coder-2"),
    ]
    response = admin.post(
        "/articles", {"outlet": "Corpus", "title": "Coders", "text": SUBMITTED, "claims": claims}
    )
    body = response.get_json()
    assert response.status_code == 201 and body["refused_claims"] == []
    assert sorted(a["reviewer"] for c in body["claims"] for a in c["assessments"]) == [
        "coder-1",
        "coder-2",
    ]
    coder = db.session.query(User).filter_by(username="coder-1").one()
    assert coder.password_hash is None  # named, cannot log in


def test_claims_need_text_not_html(admin):
    response = admin.post(
        "/articles",
        {"outlet": "Corpus", "title": "H", "html": "<p>Some text here.</p>", "claims": []},
    )
    assert response.status_code == 422 and "text" in response.get_json()["message"]


def test_jsonl_records_carry_their_claims_and_refusals_are_reported(app, tmp_path, runner):
    records = [
        {
            "outlet": "Corpus",
            "title": "One",
            "text": SUBMITTED,
            "claims": [
                span(SUBMITTED, "The end.", label="supporting", reviewer="coder-1"),
                {**span(SUBMITTED, "The end."), "quote": "wrong", "label": "supporting"},
            ],
        },
        {"outlet": "Corpus", "title": "Two", "text": "Plain text.", "claims": "nope"},
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    report = import_articles([path], Defaults())
    assert report.claims_created == 1
    assert [s for s, _ in report.claims_refused] == [f"{path}:1 claim 1"]
    assert [s for s, _ in report.failed] == [f"{path}:2"]
    article = db.session.get(Article, report.imported[0][1])
    (claim,) = article.claims
    assert article.text[claim.start : claim.end] == "The end."
    other = tmp_path / "other.jsonl"
    text = "Another text. The end."
    bad = {**span(text, "The end."), "quote": "wrong", "label": "supporting"}
    other.write_text(json.dumps({"outlet": "Corpus", "title": "3", "text": text, "claims": [bad]}))
    result = runner.invoke(args=["import", str(other)])
    assert result.exit_code == 1, result.output
    assert f"refused    {other}:1 claim 0: quote 'wrong' does not equal" in result.output
    assert "1 imported, 0 duplicate, 0 failed; 0 claims stored, 1 refused" in result.output


@pytest.mark.parametrize("seed", range(3))
def test_offset_map_agrees_with_normalizing_each_span(seed):
    """A second implementation: the stored span equals the submitted span normalized on its
    own, whenever both ends map."""
    rng = random.Random(seed)
    alphabet = [
        "a",
        "e",
        "\u0301",
        "\u0323",
        "\r",
        "\n",
        "\u1100",
        "\u1161",
        "\u11a8",
        "ه",
        "\u200c",
        " ",
        "é",
        "👩",
        "\u200d",
    ]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 10)))
        if rng.random() < 0.2:
            text = "\ufeff" + text
        mapping = OffsetMap(text)
        assert mapping.stored == exact_text(text)
        for i in range(len(text) + 1):
            for j in range(i, len(text) + 1):
                a, b = mapping(i), mapping(j)
                if a is None or b is None:
                    continue
                piece = text[i:j].replace("\r\n", "\n").replace("\r", "\n")
                if i == 0:
                    piece = piece.removeprefix("\ufeff")
                assert mapping.stored[a:b] == unicodedata.normalize("NFC", piece), (text, i, j)


def test_outlet_names_match_in_any_case(admin, app, tmp_path):
    first = admin.post("/articles", {"outlet": "NYT", "title": "A", "text": "First text."})
    second = admin.post("/articles", {"outlet": "nyt", "title": "B", "text": "Second text."})
    assert first.get_json()["outlet"]["id"] == second.get_json()["outlet"]["id"]
    again = admin.post("/outlets", {"name": "Nyt"})
    assert again.status_code == 409 and "'NYT'" in again.get_json()["message"]
    path = tmp_path / "more.jsonl"
    path.write_text(
        "\n".join(
            json.dumps({"outlet": name, "title": name, "text": f"Text from {name}."})
            for name in ("nyt", "NEW one", "new ONE")
        )
    )
    report = import_articles([path], Defaults())
    outlets = [db.session.get(Article, i).outlet for _, i in report.imported]
    assert outlets[0].name == "NYT"
    assert outlets[1].id == outlets[2].id and outlets[1].name == "NEW one"
