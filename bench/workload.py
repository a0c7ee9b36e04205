"""The standard workload of SPEC §9, generated deterministically from a seed.

1,000 articles of about 5,000 characters over 50 events and 20 outlets, 20 claims each, at
scale 1. Events come in every size the benchmark needs: one each of 2, 6, 10 and 12 articles
(the comparison figures and curves), the rest spread evenly over the others.

The text is already in the app's normalized form (NFC, no trailing spaces, single blank lines
between paragraphs), so the code-point offsets computed here are the offsets the app stores.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

OUTLETS = 20
EVENTS = 50
ARTICLES = 1000
CLAIMS_PER_ARTICLE = 20
TEXT_CHARS = 5000
COMPARISON_SIZES = (2, 6, 10, 12)  # articles in the events the comparison figures use
LABELS = ("supporting", "contested", "unsourced")
STANCES = ("favourable", "neutral", "critical", "hostile", "mixed")
LEANS = ("left", "centre-left", "centre", "centre-right", "right", "state-run")

_ACTORS = (
    "the PMOI",
    "the MEK",
    "the Iranian Resistance",
    "the MKO",
    "the residents",
    "the UN refugee agency",
    "the Iraqi government",
    "the US State Department",
    "Albanian officials",
    "the camp's committee",
    "human-rights groups",
    "Maryam Rajavi",
)
_VERBS = (
    "said",
    "reported",
    "denied",
    "confirmed",
    "claimed",
    "announced",
    "disputed",
    "welcomed",
    "criticised",
    "acknowledged",
)
_PLACES = (
    "Camp Liberty",
    "Camp Ashraf",
    "Tirana",
    "Baghdad",
    "Paris",
    "Geneva",
    "Durrës",
    "Washington",
)
_OBJECTS = (
    "the relocation",
    "the missile attack",
    "the transfer of the last group",
    "the humanitarian situation",
    "the resettlement programme",
    "the security of the camp",
    "the sale of the residents' property",
    "the medical blockade",
    "the airlift to Europe",
    "the agreement with the Iraqi authorities",
)
_TAILS = (
    "according to a statement released on {day}",
    "in remarks to reporters on {day}",
    "citing figures that could not be verified independently",
    "although no evidence was given",
    "in a report seen by this newspaper",
    "as {n} residents waited for their papers",
    "after {n} people had already left",
    "despite “serious concerns” raised by the group",
    "which critics called a “cult-like” operation",
    "in what officials described as a final step",
)


@dataclass
class Span:
    start: int
    end: int
    quote: str
    label: str


@dataclass
class Article:
    key: int
    outlet: str
    event: str
    title: str
    url: str
    stance: str
    published: str
    text: str
    claims: list[Span] = field(default_factory=list)

    def record(self, outlet_lean: str) -> dict:
        """The article as one line of `flask import`'s JSONL."""
        return {
            "outlet": self.outlet,
            "outlet_lean": outlet_lean,
            "title": self.title,
            "text": self.text,
            "url": self.url,
            "stance": self.stance,
            "published": self.published,
            "events": [self.event],
            "author": f"Reporter {self.key % 37}",
        }

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass
class Workload:
    seed: int
    outlets: dict[str, str]  # name -> lean
    events: list[str]
    articles: list[Article]
    comparison_events: dict[int, str]  # size -> event title

    @property
    def claims(self) -> list[tuple[Article, Span]]:
        """Every claim of the workload, article by article."""
        return [(a, s) for a in self.articles for s in a.claims]

    def write_articles(self, path: Path) -> Path:
        with path.open("w", encoding="utf-8") as fh:
            for article in self.articles:
                record = article.record(self.outlets[article.outlet])
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        return path

    def extra_claims(self) -> Iterator[tuple[Article, Span]]:
        """Claims beyond the workload, round-robin over the articles, each one new."""
        rng = random.Random(f"{self.seed}:extra")
        taken = {(a.key, s.start, s.end) for a, s in self.claims}
        index = 0
        while True:
            article = self.articles[index % len(self.articles)]
            span = _word_span(article.text, rng)
            if (article.key, span.start, span.end) in taken:
                continue
            taken.add((article.key, span.start, span.end))
            index += 1
            yield article, span


def _initial_capital(phrase: str) -> str:
    return phrase[0].upper() + phrase[1:]


def _sentence(rng: random.Random, day: date) -> str:
    tail = rng.choice(_TAILS).format(day=day.strftime("%-d %B %Y"), n=rng.randint(2, 3000))
    return (
        f"{_initial_capital(rng.choice(_ACTORS))} {rng.choice(_VERBS)} that {rng.choice(_OBJECTS)} "
        f"in {rng.choice(_PLACES)} involved {rng.randint(2, 900)} people, {tail}."
    )


def _text(
    rng: random.Random,
    day: date,
    chars: int,
    sentence_of: Callable[[random.Random, date], str] | None = None,
) -> tuple[str, list[tuple[int, int]]]:
    """Paragraphs of generated sentences, about `chars` long, and every sentence's span.
    `sentence_of` writes each sentence (the standard workload's by default)."""
    sentence_of = sentence_of or _sentence
    parts: list[str] = []
    sentences: list[tuple[int, int]] = []
    length = 0
    while length < chars - 320:  # paragraphs average about 650 characters
        paragraph: list[str] = []
        for _ in range(rng.randint(3, 6)):
            sentence = sentence_of(rng, day)
            offset = length + sum(len(s) + 1 for s in paragraph)
            sentences.append((offset, offset + len(sentence)))
            paragraph.append(sentence)
        block = " ".join(paragraph)
        parts.append(block)
        length += len(block) + 2
    return "\n\n".join(parts), sentences


def _word_span(text: str, rng: random.Random) -> Span:
    """A run of 4 to 20 words, starting and ending on word boundaries."""
    while True:
        start = rng.randrange(0, len(text) - 200)
        while start > 0 and not text[start - 1].isspace():
            start -= 1
        end = start
        for _ in range(rng.randint(4, 20)):
            nxt = text.find(" ", end + 1)
            end = len(text) if nxt == -1 else nxt
        quote = text[start:end]
        if quote.strip() == quote and "\n" not in quote:
            return Span(start, end, quote, rng.choice(LABELS))


def build(scale: float = 1.0, seed: int = 1) -> Workload:
    """The workload at `scale` (1 = SPEC §9; 0.1 = --quick)."""
    rng = random.Random(seed)
    n_articles = max(sum(COMPARISON_SIZES) + 2, round(ARTICLES * scale))
    n_events = max(len(COMPARISON_SIZES) + 1, round(EVENTS * scale))
    outlets = {f"Outlet {i + 1:02d}": LEANS[i % len(LEANS)] for i in range(OUTLETS)}
    events = [f"Event {i + 1:02d}: relocation round {i + 1}" for i in range(n_events)]

    # Event of every article: the comparison events first, the rest round-robin.
    assignment: list[int] = []
    for index, size in enumerate(COMPARISON_SIZES):
        assignment += [index] * size
    others = list(range(len(COMPARISON_SIZES), n_events))
    assignment += [others[i % len(others)] for i in range(n_articles - len(assignment))]

    names = list(outlets)
    articles: list[Article] = []
    first_day = date(2012, 1, 1)
    for key, event_index in enumerate(assignment):
        outlet = names[key % len(names)]  # an event's articles come from different outlets
        day = first_day + timedelta(days=rng.randrange(0, 5 * 365))
        text, sentences = _text(rng, day, TEXT_CHARS)
        chosen = sorted(rng.sample(range(len(sentences)), CLAIMS_PER_ARTICLE))
        claims = [
            Span(s, e, text[s:e], rng.choice(LABELS)) for s, e in (sentences[i] for i in chosen)
        ]
        articles.append(
            Article(
                key=key,
                outlet=outlet,
                event=events[event_index],
                title=f"{outlet} on {events[event_index]} (piece {key + 1})",
                url=f"https://bench.example/{key + 1}",
                stance=rng.choice(STANCES),
                published=day.isoformat(),
                text=text,
                claims=claims,
            )
        )
    comparison_events = {size: events[i] for i, size in enumerate(COMPARISON_SIZES)}
    return Workload(seed, outlets, events, articles, comparison_events)


def claim_records(claims: list[tuple[Article, Span]], reviewer: str) -> list[str]:
    """JSONL lines for `flask import-claims`: each claim with one assessment."""
    lines = []
    for article, span in claims:
        record = {
            "article_url": article.url,
            "article_content_hash": article.content_hash,
            "start": span.start,
            "end": span.end,
            "quote": span.quote,
            "author": reviewer,
            "assessments": [{"reviewer": reviewer, "label": span.label}],
        }
        lines.append(json.dumps(record, ensure_ascii=False) + "\n")
    return lines
