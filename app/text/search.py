"""Search text: how article text and a query are folded before either database's full-text
engine sees them, how a query is read, and where its words fall in the original text.

Both engines (PostgreSQL `tsvector` with the `simple` configuration, SQLite FTS5) index the
folded text, so they match the same words:
- case is folded, and so are compatibility forms (ligatures, full-width letters);
- combining marks go: Latin accents (`Durrës` is `durres`) and Arabic harakat;
- Arabic yeh and kaf become their Persian forms, and tatweel goes, so a word typed on an Arabic
  or a Persian keyboard is the same word;
- Arabic-Indic and Persian digits are ASCII digits;
- a zero-width non-joiner separates (as PostgreSQL's parser does): the parts of `خانه‌ام` are
  words. The joined form (`خانهام`), as many people type it, is indexed too, after the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

ZWNJ = "\u200c"
# A private-use character that folding turns into a space, so that no folded text or query
# holds it: SQLite's index marks its facet tokens with it (app/models/search.py), and no word
# searched for can be one of them.
FACET_MARK = "\ue000"
MAX_QUERY = 500  # characters: a query is words and phrases, not a document
MAX_TERMS = 32

_DIGITS = {ord(d): str(i) for i, d in enumerate("٠١٢٣٤٥٦٧٨٩")} | {
    ord(d): str(i) for i, d in enumerate("۰۱۲۳۴۵۶۷۸۹")
}
_LETTERS = {
    ord("ي"): "ی",  # Arabic yeh -> Farsi yeh
    ord("ى"): "ی",  # alef maksura
    ord("ك"): "ک",  # Arabic kaf -> keheh
    ord("ـ"): "",  # tatweel
    ord(ZWNJ): " ",
    ord("\u200d"): "",  # zero-width joiner
    ord("\u00ad"): "",  # soft hyphen
    ord(FACET_MARK): " ",
}


class _FoldTable(dict):
    """str.translate's table: each character's folded form, worked out once when first met."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if code in _DIGITS:
            folded = _DIGITS[code]
        elif code in _LETTERS:
            folded = _LETTERS[code]
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            kept = "".join(c for c in decomposed if not unicodedata.combining(c))
            folded = "".join(_LETTERS.get(ord(c), c) for c in kept).casefold()
        self[code] = folded
        return folded


_TABLE = _FoldTable({c: chr(c).lower() for c in range(128)})


_NON_ASCII_RUN = re.compile(r"([^\x00-\x7f]+)")


def fold(text: str) -> str:
    """The text as the search index holds it (see the module's docstring).

    The same as text.translate(_TABLE), faster: ASCII runs are only lower-cased (which is
    all the table does to them, in C and without a lookup a character), and only the runs of
    other characters go through the table. Most news text is ASCII with a few quotes."""
    if text.isascii():
        return text.lower()
    pieces = _NON_ASCII_RUN.split(text)
    pieces[::2] = [piece.lower() for piece in pieces[::2]]
    pieces[1::2] = [piece.translate(_TABLE) for piece in pieces[1::2]]
    return "".join(pieces)


_ZWNJ_WORD = re.compile(rf"\w+(?:{ZWNJ}\w+)+")


def document(text: str) -> str:
    """What is indexed for `text`: its folded form, then each word written with a zero-width
    non-joiner once more, joined, so that both spellings find it."""
    folded = fold(text)
    if ZWNJ not in text:
        return folded
    joined = {fold(m.group().replace(ZWNJ, "")) for m in _ZWNJ_WORD.finditer(text)}
    return folded + "\n" + " ".join(sorted(joined))


def offset_map(text: str) -> list[int] | None:
    """For each position of fold(text), the position in `text` it came from; None when
    folding kept every character to one (then positions are the same)."""
    if text.isascii() or all(len(_TABLE[ord(c)]) == 1 for c in set(text)):
        return None
    positions: list[int] = []
    for index, char in enumerate(text):
        positions.extend([index] * len(_TABLE[ord(char)]))
    positions.append(len(text))
    return positions


_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Query:
    """A query as typed, folded as the index is: words that must all appear, and quoted
    phrases. A word keeps the punctuation inside it (`u.s.`, `e-mail`): each engine's own
    parser splits it, as it split the text."""

    words: tuple[str, ...] = ()
    phrases: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.words and not self.phrases

    def runs(self) -> list[tuple[str, ...]]:
        """Every word and phrase as a run of plain words, for finding them in the text."""
        return [tuple(_WORD.findall(t)) for t in (*self.words, *self.phrases)]


def parse_query(raw: str) -> Query:
    """Words and "quoted phrases", folded. A token with no letter or digit is dropped: it
    could match nothing. The caller checks MAX_QUERY."""
    words: list[str] = []
    phrases: list[str] = []
    for quoted, bare in _TOKEN.findall(raw):
        token = fold(quoted or bare).strip()
        if not _WORD.search(token):
            continue
        if quoted and len(_WORD.findall(token)) > 1:
            if token not in phrases:
                phrases.append(token)
        elif token not in words:
            words.append(token)
    return Query(tuple(words[:MAX_TERMS]), tuple(phrases[:MAX_TERMS]))


def query_from_passage(passage: str, most: int = 12) -> Query:
    """A query for text like `passage`: its distinct words (longest first, at most `most`),
    the ones most likely to tell one passage from another."""
    words = list(dict.fromkeys(_WORD.findall(fold(passage))))
    words.sort(key=len, reverse=True)
    return Query(tuple(words[:most]))


def _term_pattern(run: tuple[str, ...]) -> str:
    return r"(?<!\w)" + r"\W+".join(re.escape(w) for w in run) + r"(?!\w)"


@dataclass(frozen=True)
class Snippet:
    """A stretch of an article's text around the query's words: `start` and `end` are code
    points into the text, `marks` the matched stretches within it (also text offsets)."""

    start: int
    end: int
    marks: tuple[tuple[int, int], ...]

    def parts(self, text: str) -> list[tuple[str, bool]]:
        """The snippet as (text, is a match) pieces, for a template to mark up (escaped)."""
        pieces, at = [], self.start
        for start, end in self.marks:
            if start > at:
                pieces.append((text[at:start], False))
            pieces.append((text[start:end], True))
            at = end
        if at < self.end:
            pieces.append((text[at : self.end], False))
        return pieces


def snippet(text: str, query: Query, width: int = 240) -> Snippet:
    """The `width`-character stretch of `text` holding the most of the query's matches, cut
    at word edges, with each match marked. The text's opening when nothing matches (a title
    match)."""
    folded = fold(text)
    positions = offset_map(text)
    pattern = "|".join(_term_pattern(run) for run in query.runs() if run) or r"(?!)"
    found = [(m.start(), m.end()) for m in re.finditer(pattern, folded)]
    if positions is not None:
        found = [(positions[s], positions[e]) for s, e in found]
    if not found:
        return Snippet(0, _word_end(text, min(len(text), width)), ())
    best, best_count, right = 0, 0, 0
    for left, (start, _) in enumerate(found):  # the window starting at each match
        while right < len(found) and found[right][1] <= start + width:
            right += 1
        if right - left > best_count:
            best, best_count = left, right - left
    first = found[best][0]
    start = _word_start(text, max(0, first - width // 4))
    end = _word_end(text, min(len(text), start + width))
    marks = tuple((s, e) for s, e in found if s >= start and e <= end)
    return Snippet(start, end, marks)


def _word_start(text: str, index: int, most: int = 30) -> int:
    """Back to the start of the word at `index` (at most `most` characters: some scripts
    write no spaces)."""
    floor = max(0, index - most)
    while index > floor and not text[index - 1].isspace():
        index -= 1
    return index if index > floor or floor == 0 else floor + most


def _word_end(text: str, index: int, most: int = 30) -> int:
    ceiling = min(len(text), index + most)
    while index < ceiling and not text[index].isspace():
        index += 1
    return index if index < ceiling or ceiling == len(text) else ceiling - most
