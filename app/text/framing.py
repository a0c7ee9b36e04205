"""Framing: the words that set each outlet apart, and how each names the actors.

Distinctive words use the weighted log-odds ratio with an informative Dirichlet prior
(Monroe, Colaresi and Quinn 2008, "Fightin' Words", eq. 16-22): for word w, group i against
the rest j, with prior pseudo-counts a_w (a0 = sum a_w),

    delta_w = log((y_iw + a_w) / (n_i + a0 - y_iw - a_w))
            - log((y_jw + a_w) / (n_j + a0 - y_jw - a_w))
    var_w   ~ 1 / (y_iw + a_w) + 1 / (y_jw + a_w)
    z_w     = delta_w / sqrt(var_w)

The prior is the pooled word distribution of all groups, scaled to a0 = PRIOR_SIZE.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

PRIOR_SIZE = 500.0
STOP_WORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "herself",
        "him",
        "himself",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "last",
        "me",
        "more",
        "most",
        "my",
        "myself",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "ourselves",
        "out",
        "over",
        "own",
        "said",
        "same",
        "say",
        "says",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "themselves",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "yourselves",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "mr",
        "mrs",
        "ms",
        "since",
        "still",
        "however",
        "upon",
        "us",
        "new",
        "according",
        "told",
        "year",
        "years",
        "many",
        "may",
        "much",
        "well",
        "even",
        "another",
    ]
)
_TOKEN = re.compile(r"[^\W\d_]+(?:[-’'][^\W\d_]+)*")


def tokens(text: str) -> list[str]:
    """Lower-cased words, stop words and one-letter tokens dropped; hyphenated names kept."""
    words = (t.lower().replace("’", "'") for t in _TOKEN.findall(text))
    return [w for w in words if len(w) > 1 and w not in STOP_WORDS]


@dataclass(frozen=True)
class Term:
    word: str
    z: float
    count: int


def log_odds(
    counts: Mapping[str, Counter], prior_size: float = PRIOR_SIZE, min_count: int = 1
) -> dict[str, list[Term]]:
    """For each group, every word it uses, by z-score of its log-odds against the rest."""
    pooled: Counter = Counter()
    for c in counts.values():
        pooled.update(c)
    total = sum(pooled.values())
    if not total:
        return {group: [] for group in counts}
    alpha = {w: prior_size * n / total for w, n in pooled.items()}
    a0 = sum(alpha.values())
    result: dict[str, list[Term]] = {}
    for group, own in counts.items():
        n_i = sum(own.values())
        n_j = total - n_i
        terms = []
        for word, y_i in own.items():
            if y_i < min_count:
                continue
            a = alpha[word]
            y_j = pooled[word] - y_i
            rest_i, rest_j = n_i + a0 - y_i - a, n_j + a0 - y_j - a
            if rest_i <= 0 or rest_j <= 0 or y_j + a <= 0:
                terms.append(Term(word, 0.0, y_i))  # the word is the whole vocabulary
                continue
            delta = math.log((y_i + a) / rest_i) - math.log((y_j + a) / rest_j)
            variance = 1 / (y_i + a) + 1 / (y_j + a)
            terms.append(Term(word, delta / math.sqrt(variance), y_i))
        result[group] = sorted(terms, key=lambda t: (-t.z, t.word))
    return result


# How outlets name the actors of the Camp Liberty story. Patterns are matched whole-word,
# case-insensitively; an outlet's choice among them is a framing choice.
ACTOR_NAMES: dict[str, dict[str, str]] = {
    "the group": {
        "MEK": r"MEK",
        "PMOI": r"PMOI",
        "Mojahedin / Mujahedin": r"Moj?ahed(?:in|een)|Muj?ahed(?:in|een)|Mujahadeen",
        "MKO": r"MKO",
        "Iranian Resistance": r"Iranian Resistance",
        "NCRI": r"NCRI|National Council of Resistance",
        "terrorist(s)": r"terrorists?",
        "cult": r"cult(?:ic)?",
        "dissidents": r"dissidents?",
        "exiles": r"exiles?",
        "refugees": r"refugees?",
        "residents": r"residents?",
    },
    "Iran's government": {
        "regime": r"regime",
        "mullahs": r"mullahs?",
        "Tehran": r"Tehran",
        "Iranian government": r"Iranian government|government of Iran",
        "Islamic Republic": r"Islamic Republic",
    },
}


def actor_mentions(text: str, names: Mapping[str, str]) -> Counter:
    """How often each name (pattern) occurs in the text."""
    return Counter(
        {
            label: len(re.findall(rf"\b(?:{pattern})\b", text, re.IGNORECASE))
            for label, pattern in names.items()
        }
    )
