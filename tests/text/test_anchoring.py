"""Re-anchoring claims on a new revision: kept, anchored, moved or orphan, never silently
wrong."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from app.text.anchoring import ANCHORED, KEPT, MOVED, ORPHAN, UNAMBIGUOUS, Reanchorer
from app.text.offsets import context

OLD = (
    "The last residents of Camp Liberty left Iraq on Friday. "
    "Officials said the plan will pass next week.\n\n"
    "A second paragraph describes the buses and the long road to the airport.\n\n"
    "Critics called it a gift. Critics called it a gift to Tehran."
)


def claim(text: str, quote: str, occurrence: int = 0) -> dict:
    at = -1
    for _ in range(occurrence + 1):
        at = text.index(quote, at + 1)
    prefix, suffix = context(text, at, at + len(quote))
    return {"start": at, "end": at + len(quote), "quote": quote, "prefix": prefix, "suffix": suffix}


def place(old: str, new: str, c: dict):
    anchor = Reanchorer(old, new).anchor(**c)
    if anchor.status != ORPHAN:
        assert new[anchor.start : anchor.end] == anchor.quote  # never silently wrong
    return anchor


def test_an_unchanged_position_is_kept():
    c = claim(OLD, "the plan will pass")
    assert place(OLD, OLD + " Later text.", c).status == KEPT


def test_an_insertion_before_the_claim_shifts_it():
    new = "BREAKING: " + OLD
    anchor = place(OLD, new, claim(OLD, "the plan will pass"))
    assert anchor.status == ANCHORED
    assert anchor.start == new.index("the plan will pass")


def test_an_edit_inside_the_claim_moves_it_and_flags_it():
    new = OLD.replace("the plan will pass", "the plan will surely pass")
    anchor = place(OLD, new, claim(OLD, "the plan will pass"))
    assert anchor.status == MOVED
    assert anchor.quote == "the plan will surely pass"
    assert anchor.similarity >= 0.75


def test_a_deleted_paragraph_orphans_its_claims_and_no_other():
    new = OLD.replace(
        "A second paragraph describes the buses and the long road to the airport.\n\n", ""
    )
    gone = place(OLD, new, claim(OLD, "describes the buses and the long road"))
    assert gone.status == ORPHAN and gone.start is None
    assert place(OLD, new, claim(OLD, "Critics called it a gift to Tehran")).status in (
        KEPT,
        ANCHORED,
    )


def test_a_repeated_quote_goes_to_the_occurrence_its_context_names():
    second = claim(OLD, "Critics called it a gift", occurrence=1)
    new = "Update: " + OLD.replace("A second paragraph", "The second paragraph")
    anchor = place(OLD, new, second)
    assert anchor.status == ANCHORED
    assert anchor.start == new.index("Critics called it a gift", new.index("gift."))


@pytest.mark.parametrize(
    "text",
    [
        "ساکنان کمپ لیبرتی عراق را ترک کردند و به آلبانی رفتند. 👩‍👩‍👧 خانواده‌ها شاد بودند.",
        "Family 👩‍👩‍👧 and flag 🇦🇱 arrived; the café 𝐋𝐢𝐛𝐞𝐫𝐭𝐲 opened its doors again today.",
    ],
)
def test_emoji_and_rtl_around_the_edit(text):
    quote = text.split()[3] + " " + text.split()[4]
    c = claim(text, quote)
    new = "🇮🇶 " + text.replace(text.split()[1], text.split()[1] + " ‌ویژه", 1)
    anchor = place(text, new, c)
    assert anchor.status in (KEPT, ANCHORED)
    assert anchor.quote == quote


def test_random_edits_never_leave_a_claim_on_other_words():
    rng = random.Random(7)
    words = OLD.split(" ")
    for _ in range(200):
        edited = list(words)
        for _ in range(rng.randrange(1, 4)):
            i = rng.randrange(len(edited))
            roll = rng.random()
            if roll < 0.4:
                edited.insert(i, rng.choice(["new", "words", "here", "🙂", "داده"]))
            elif roll < 0.7 and len(edited) > 5:
                edited.pop(i)
            else:
                edited[i] = edited[i].upper()
        new = " ".join(edited)
        for quote in ("the plan will pass", "long road to the airport", "a gift to Tehran"):
            place(OLD, new, claim(OLD, quote))  # asserts the stored quote is the new text


_VOCABULARY = [
    "the",
    "camp",
    "residents",
    "left",
    "for",
    "albania",
    "after",
    "years",
    "of",
    "talks",
    "said",
    "officials",
    "group",
    "statement",
    "iraq",
    "were",
    "killed",
    "many",
    "more",
]


def _edited(rng, text):
    """Random edits (insertions, deletions, replacements, a moved passage) and, for each
    character of the new text, the index it had in the old one (None: new)."""
    chars = [(c, i) for i, c in enumerate(text)]
    for _ in range(rng.randint(1, 8)):
        at = rng.randrange(len(chars))
        op = rng.random()
        if op < 0.35:
            words = " " + " ".join(rng.choice(_VOCABULARY) for _ in range(rng.randint(1, 8))) + " "
            chars[at:at] = [(c, None) for c in words]
        elif op < 0.6:
            del chars[at : at + rng.randint(1, 200)]
        elif op < 0.8:
            chars[at : at + rng.randint(1, 15)] = [(c, None) for c in rng.choice(_VOCABULARY)]
        else:
            piece = chars[at : at + rng.randint(20, 300)]
            del chars[at : at + len(piece)]
            to = rng.randrange(len(chars))
            chars[to:to] = piece
    return "".join(c for c, _ in chars), [i for _, i in chars]


def test_random_edits_never_leave_an_intact_claim_in_the_wrong_place():
    """Whatever the edits, a claim whose characters all survived in one piece and that is
    reported kept or anchored is exactly where those characters went."""
    rng = random.Random(7)
    checked = 0
    for _ in range(150):
        old = "\n\n".join(
            " ".join(rng.choice(_VOCABULARY) for _ in range(rng.randint(20, 60))) + "."
            for _ in range(rng.randint(5, 30))
        )
        new, origin = _edited(rng, old)
        where = {o: j for j, o in enumerate(origin) if o is not None}
        engine = Reanchorer(old, new)
        for _ in range(20):
            start = rng.randrange(len(old) - 30)
            end = start + rng.randint(5, 60)
            prefix, suffix = context(old, start, end)
            found = engine.anchor(start, end, old[start:end], prefix, suffix)
            if found.status != ORPHAN:
                assert new[found.start : found.end] == found.quote
            intact = all(i in where for i in range(start, end)) and all(
                where[i + 1] == where[i] + 1 for i in range(start, end - 1)
            )
            if intact and found.status in (KEPT, ANCHORED):
                assert found.start == where[start]
                checked += 1
    assert checked > 1000


def _edited_with_copies(rng, text):
    """As _edited, and also: a passage copied elsewhere (a pull quote, a recap, a wire
    passage another outlet shares), a sentence repeated right after itself, a letter changed
    inside a word, a doubled space, paragraphs swapped. A copy elsewhere is new characters
    (origin None): a claim on it is not on its own words. A sentence repeated right after
    itself keeps its origin in both places: which of the two is "the original" no text can
    tell, so either is the claim's own."""
    chars = [(c, i) for i, c in enumerate(text)]
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(chars))
        op = rng.random()
        if op < 0.2:  # a pull quote or wire passage: a copy of existing words elsewhere
            piece = chars[at : at + rng.randint(20, 200)]
            to = rng.randrange(len(chars) + 1)
            chars[to:to] = [(c, None) for c, _ in piece]
        elif op < 0.3:  # a sentence repeated right after itself
            end = next((j for j in range(at, len(chars)) if chars[j][0] == "."), len(chars) - 1)
            begin = max(0, max((j for j in range(at) if chars[j][0] == "."), default=-1) + 1)
            chars[end + 1 : end + 1] = chars[begin : end + 1]
        elif op < 0.5:  # a letter changed inside a word
            if chars[at][0].isalpha():
                chars[at] = ("k" if chars[at][0] != "k" else "q", None)
        elif op < 0.6:  # a doubled space
            chars[at:at] = [(" ", None)]
        elif op < 0.75:  # two paragraphs swapped
            paragraphs = "".join(c for c, _ in chars).split("\n\n")
            if len(paragraphs) > 2:
                i = rng.randrange(len(paragraphs) - 1)
                spans, pos = [], 0
                for p in paragraphs:
                    spans.append((pos, pos + len(p)))
                    pos += len(p) + 2
                (a0, a1), (b0, b1) = spans[i], spans[i + 1]
                chars[a0:b1] = chars[b0:b1] + chars[a1:b0] + chars[a0:a1]
        elif op < 0.9:
            del chars[at : at + rng.randint(1, 120)]
        else:
            words = " " + " ".join(rng.choice(_VOCABULARY) for _ in range(rng.randint(1, 8))) + " "
            chars[at:at] = [(c, None) for c in words]
    return "".join(c for c, _ in chars), [i for _, i in chars]


def _own(origin: list, at: int, start: int, end: int) -> bool:
    """Whether the new text at `at` holds the old characters start..end, in one piece (nine
    in ten of them: an edit can rebuild the same words from other characters of the same
    words, which no reader could tell apart from the old ones)."""
    if at + end - start > len(origin):
        return False
    return sum(origin[at + k] == start + k for k in range(end - start)) >= 0.9 * (end - start)


def _whole_copy(new: str, at: int, quote: str, prefix: str, suffix: str) -> bool:
    """A copy of the words with all their context around it too (a passage copied whole):
    the claim's selectors (W3C: exact, prefix, suffix) fit it as well as the original, and no
    reader could tell the two apart."""
    return new[at - len(prefix) : at + len(quote) + len(suffix)] == prefix + quote + suffix


def _alone(new: str, quote: str) -> bool:
    """The words occur once in the new text and nothing else in it is even FUZZY_MIN like
    them: whatever the edits were, no reader could find the claim anywhere else."""
    if new.count(quote) != 1:
        return False
    at = new.index(quote)
    masked = new[:at] + "\0" * len(quote) + new[at + len(quote) :]
    return fuzz.partial_ratio_alignment(quote, masked, score_cutoff=75) is None


SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def _toy_text(rng) -> str:
    """Paragraphs of 19 words over and over: copies everywhere, the hard case."""
    return "\n\n".join(
        " ".join(rng.choice(_VOCABULARY) for _ in range(rng.randint(8, 30))) + "."
        for _ in range(rng.randint(4, 14))
    )


def _seed_text(rng) -> str:
    """A stretch of real news prose (the seed articles), some 4 to 14 paragraphs."""
    paragraphs = [
        p.strip()
        for f in sorted(SEEDS.glob("*.txt"))
        for p in f.read_text(encoding="utf-8").split("\n\n")
        if len(p.strip()) > 40
    ]
    at = rng.randrange(len(paragraphs) - 14)
    return "\n\n".join(paragraphs[at : at + rng.randint(4, 14)])


@pytest.mark.parametrize("text", [_toy_text, _seed_text])
def test_no_claim_is_ever_on_other_text_than_its_own_without_a_flag(text):
    """Whatever the edits, verbatim copies among them: a claim reported kept or anchored (no
    flag) is on its own characters where they went (or, where no text could tell, on a
    copy of them with all their context, or on the only words like them left); and a claim
    whose characters survived in one piece, long and unique in the new text, is never an
    orphan."""
    rng = random.Random(23)
    silent = flagged = 0
    for _ in range(300):
        old = text(rng)
        new, origin = _edited_with_copies(rng, old)
        where = {o: j for j, o in enumerate(origin) if o is not None}
        engine = Reanchorer(old, new)

        for _ in range(15):
            start = rng.randrange(len(old) - 10)
            end = min(len(old), start + rng.randint(3, 120))
            quote = old[start:end]
            prefix, suffix = context(old, start, end)
            found = engine.anchor(start, end, quote, prefix, suffix)
            intact = all(i in where for i in range(start, end)) and all(
                where[i + 1] == where[i] + 1 for i in range(start, end - 1)
            )
            if found.status in (KEPT, ANCHORED):
                silent += 1
                at = found.start
                assert (
                    _own(origin, at, start, end)
                    or _whole_copy(new, at, quote, prefix, suffix)
                    or _alone(new, quote)
                ), (quote, found)
            elif found.status == MOVED:
                flagged += 1
            elif intact and new.count(quote) == 1 and len(quote) >= UNAMBIGUOUS:
                pytest.fail(f"needless orphan: {quote!r}")
    assert silent > 1000 and flagged > 100
