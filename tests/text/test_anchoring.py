"""Re-anchoring claims on a new revision: kept, anchored, moved or orphan, never silently
wrong."""

from __future__ import annotations

import random

import pytest

from app.text.anchoring import ANCHORED, KEPT, MOVED, ORPHAN, Reanchorer
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
