"""Sentence similarity for proposition suggestions: TF-IDF vectors and cosine.

Sentences are split on . ! ? (and line breaks) with their code-point offsets kept, so a
suggestion can become a claim directly. Weights: sublinear tf (1 + log tf) times smoothed idf
(log((1 + N) / (1 + df)) + 1), over the same stop-worded tokens as the framing terms.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from app.text.framing import tokens

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’)]*|$)", re.MULTILINE)


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


def sentences(text: str) -> list[Sentence]:
    """Sentences with code-point offsets, surrounding spaces trimmed."""
    out = []
    for match in _SENTENCE.finditer(text):
        raw = match.group()
        stripped = raw.strip()
        if len(stripped.split()) < 3:
            continue
        start = match.start() + (len(raw) - len(raw.lstrip()))
        out.append(Sentence(start, start + len(stripped), stripped))
    return out


def tfidf_vectors(documents: list[list[str]]) -> list[dict[str, float]]:
    n = len(documents)
    df = Counter(w for doc in documents for w in set(doc))
    vectors = []
    for doc in documents:
        tf = Counter(doc)
        vec = {w: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[w])) + 1) for w, c in tf.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vectors.append({w: v / norm for w, v in vec.items()})
    return vectors


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(w, 0.0) for w, v in a.items())


def most_similar(query: str, candidates: list[str], limit: int = 5) -> list[tuple[int, float]]:
    """(index, score) of the candidates closest to the query, best first, score > 0."""
    vectors = tfidf_vectors([tokens(query)] + [tokens(c) for c in candidates])
    scores = [(i, cosine(vectors[0], v)) for i, v in enumerate(vectors[1:])]
    return sorted((s for s in scores if s[1] > 0), key=lambda s: -s[1])[:limit]
