"""Framing: the words that set each outlet apart, how each names an event's actors, and
which names could be actors.

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
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

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


def _name_pattern(name: str) -> str:
    """A name as a pattern: any whitespace between its words, either apostrophe."""
    words = [re.sub("['’]", "['’]", re.escape(w)) for w in name.split()]
    return r"\s+".join(words)


@lru_cache(maxsize=256)
def _names_regex(names: tuple[str, ...]) -> re.Pattern:
    # Longest first, so "World Health Organization" is one mention, not also "Organization".
    ordered = sorted(names, key=len, reverse=True)
    alternatives = "|".join(f"({_name_pattern(n)})" for n in ordered)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def name_mentions(text: str, names: Iterable[str]) -> Counter:
    """How often each of an actor's names occurs in the text: whole words, any case, each
    occurrence counted once, for the longest name that matches there."""
    unique = tuple(dict.fromkeys(n.strip() for n in names if n.strip()))
    counts: Counter = Counter({name: 0 for name in unique})
    if not unique:
        return counts
    ordered = sorted(unique, key=len, reverse=True)
    for match in _names_regex(unique).finditer(text):
        counts[ordered[match.lastindex - 1]] += 1
    return counts


@dataclass(frozen=True)
class ActorCandidate:
    """A name several outlets use that could be an actor: a capitalised phrase or an acronym."""

    phrase: str
    outlets: int  # how many outlets use it
    count: int  # how often, in all


_CAPITALISED = r"[A-Z][\w’'-]*"
_CONNECTOR = r"(?:of|the|for|de|du|al|el|e|la|von|van)"
_PHRASE = re.compile(rf"{_CAPITALISED}(?:[ \t]+(?:{_CONNECTOR}[ \t]+)*{_CAPITALISED})*")
_CALENDAR = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]
)
MAX_PHRASE_WORDS = 6


def _phrases(text: str) -> Iterator[str]:
    """Capitalised phrases and acronyms, skipping a lone capitalised word that only starts a
    sentence ("However", "Officials")."""
    for match in _PHRASE.finditer(text):
        words = match.group().split()
        while words and words[0].lower() in STOP_WORDS | {"the"}:
            words = words[1:]
        while words and words[-1].lower() in STOP_WORDS:
            words = words[:-1]
        if not words or len(words) > MAX_PHRASE_WORDS:
            continue
        phrase = re.sub(r"['’]s$", "", " ".join(words)).strip("’'-")
        if len(phrase) < 2 or phrase.lower() in _CALENDAR:
            continue
        if len(words) == 1 and not phrase.isupper():
            before = text[: match.start()].rstrip()
            if not before or before[-1] in ".!?:\"“”'‘’\n" or phrase.lower() in STOP_WORDS:
                continue
        yield phrase


def _name_key(name: str) -> str:
    """A name as compared: case and apostrophe shapes aside ("O’Malley" is "O'Malley")."""
    return name.casefold().replace("\u2019", "'").replace("\u2018", "'").replace("\u02bc", "'")


def candidate_actors(
    texts: Mapping[str, str], known: Iterable[str] = (), limit: int = 15
) -> list[ActorCandidate]:
    """Names several outlets use, ranked by how many outlets use them, then how often: the
    first candidates for an event's actors. `texts` is each outlet's text; names in `known`
    (an actor's name or alias already) are left out."""
    taken = {_name_key(k) for k in known}
    per_outlet: dict[str, Counter] = {o: Counter(_phrases(t)) for o, t in texts.items()}
    spelling: dict[str, Counter] = {}
    outlets: Counter = Counter()
    total: Counter = Counter()
    for counts in per_outlet.values():
        for phrase, n in counts.items():
            key = _name_key(phrase)
            spelling.setdefault(key, Counter())[phrase] += n
            outlets[key] += 1
            total[key] += n
    needed_outlets = 2 if len(texts) > 1 else 1
    ranked = [
        ActorCandidate(spelling[key].most_common(1)[0][0], outlets[key], total[key])
        for key in total
        if key not in taken and outlets[key] >= needed_outlets and total[key] >= 2
    ]
    ranked.sort(key=lambda c: (-c.outlets, -c.count, c.phrase.casefold()))
    return ranked[:limit]
